//go:build !js && !wasip1

package smtpref

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"maillab/sim/mailstore"
	"maillab/sim/smtp"
)

// labFor is the lab's server set up as the reference server key of the
// scenarios is: the same host name, domain, users, alias and limits.
func labFor(t *testing.T, server string) func() net.Conn {
	st := mailstore.New()
	for _, u := range []string{"melanie", "alex"} {
		if _, err := st.AddUser(u, map[string]string{"melanie": "toybox", "alex": "drums"}[u]); err != nil {
			t.Fatal(err)
		}
	}
	st.SetAliases("postmaster: melanie\n")
	o := smtp.Options{Store: st, Hostname: "mail.example.org", Domains: []string{"example.org"}}
	switch server {
	case "postfix":
		o.Config = smtp.Config{MaxSize: 10000, MaxRecipients: 3, VRFY: smtp.VRFYDisabled}
	case "postfix-vrfy", "postfix-defaults":
		o.Config = smtp.Config{VRFY: smtp.VRFYCannot}
	case "submission":
		o.Role = smtp.RoleMSA
	case "lmtp":
		o.LMTP = true
	}
	return func() net.Conn {
		srv, cli := net.Pipe()
		go func() {
			smtp.NewSession(o).Serve(srv)
			srv.Close()
		}()
		return cli
	}
}

// deviations are the replies in which the lab answers otherwise than
// Postfix or Dovecot, on purpose: scenario → the replies' numbers (0 is the
// greeting) → why. Every other reply of every scenario must carry the
// reference's code and enhanced code (the text may differ), and a listed
// reply that agrees again must come off the list.
var deviations = map[string]map[int]string{
	"relaying denied": {
		4: "melanie@example.org@example.com has two @: the lab refuses the syntax (501 5.1.3, RFC 5321 4.1.2); Postfix reads the last @ and refuses the relay",
		5: "the percent hack (melanie%example.org): the lab takes it as a local part with no such user; Postfix rewrites it to melanie",
	},
	"VRFY and EXPN, disable_vrfy_command = yes": {
		4: "EXPN is answered from the aliases, as RFC 5321 3.5 and the lecture describe; Postfix has no EXPN",
	},
	"SEND, SOML, SAML, TURN, and other verbs not implemented": {
		2: "RFC 821's SEND, which the lecture teaches: 502 5.5.1, recognized and not implemented (RFC 5321 4.2.4); Postfix does not know it (500)",
		3: "SOML, as SEND", 4: "SAML, as SEND", 5: "TURN, as SEND",
		7:  "HELP is answered with the commands (214, RFC 5321 4.1.1.8); Postfix has no HELP",
		8:  "HELP MAIL: the command's syntax",
		11: "ETRN (RFC 1985) is not offered: 502; Postfix offers it",
		12: "ETRN without a domain, as ETRN",
	},
	"command lines of 513, 1001 and 2100 octets": {
		2: "a command line over 512 octets (RFC 5321 4.5.3.1.4) is refused with 500 5.5.2; Postfix reads up to 2048",
		3: "as above",
		4: "a local part over 64 octets (RFC 5321 4.5.3.1.1) is refused; Postfix takes it",
		6: "as the first",
	},
	"lines of 1500 and 3000 octets in DATA": {
		5: "a text line over 1000 octets (RFC 5321 4.5.3.1.6) refuses the message after the dot, 500 5.6.0; Postfix stores it",
	},
	"VRFY, disable_vrfy_command = no": {
		9: "EXPN of a user: 550 5.1.0, not a list; Postfix has no EXPN",
	},
	"MAIL before EHLO, smtpd_helo_required = no": {
		1: "the lab always wants HELO or EHLO first (RFC 5321 4.1.4: the client MUST greet); Postfix's default forgives it",
		2: "RCPT, as MAIL", 3: "DATA, as MAIL; the message lines are then commands, refused each",
		4: "the replies to the message lines shift the rest", 5: "as above",
	},
	"relaying with Postfix's default smtpd_relay_restrictions": {
		3: "relaying is refused for good (554 5.7.1), as Postfix's reject_unauth_destination does; its default since 3.0 defers (454 4.7.1)",
	},
	"bad commands until Postfix hangs up (smtpd_hard_error_limit = 20)": {
		21: "the lab ends a session after 100 refused commands, not 20: a learner typing by hand has room for mistakes",
		22: "as above",
	},
	"junk commands until Postfix hangs up (smtpd_junk_command_limit = 100)": {
		122: "the lab does not count NOOPs as junk", 123: "as above", 124: "as above", 125: "as above",
	},
	"a delivery resets the error count": {
		41: "the lab's limit is 100 refused commands", 42: "as above",
	},
	"submission: AUTH offered, relaying after AUTH only": {
		2: "MAIL before AUTH on the MSA: 530 5.7.0 Authentication required (RFC 4954 section 6); Postfix takes MAIL and refuses at RCPT (554 5.7.1)",
		3: "RCPT without the transaction the lab did not start: 503 5.5.1",
		9: "mail for another domain is refused at once (550 5.4.4): nothing leaves the lab; Postfix queues it",
	},
	"submission: AUTH cancelled and unknown mechanism": {
		4: "the lab offers CRAM-MD5 (and SCRAM): 334 with its challenge; this Postfix offers PLAIN and LOGIN only (535)",
		5: "the next line is CRAM-MD5's response, not base64: 501 5.5.2",
	},
	"LMTP: EHLO and HELO, MAIL before LHLO": {
		3: "MAIL before LHLO: 503 5.5.1 send LHLO first (RFC 2033 4.1: LHLO comes first, as HELO in SMTP); Dovecot takes it",
	},
	"LMTP: commands out of order and unknown": {
		8: "EXPN is answered from the aliases; Dovecot's LMTP has no EXPN",
		9: "HELP is answered; Dovecot's LMTP has no HELP",
	},
	"LMTP: paths and parameters": {
		7:  "a space after the colon is forgiven, as Postfix forgives it; Dovecot refuses it (501 5.5.4)",
		9:  "the lab's LHLO offers SIZE, BODY and DSN, so their parameters are taken; Dovecot takes none (555)",
		10: "RCPT in the transaction Dovecot did not start",
		11: "an unknown parameter: 555 5.5.4 where Dovecot has no transaction (503)",
		13: "as the space after the colon above",
	},
	"LMTP: bare LF, bare CR, NUL and a long line in DATA": {
		5: "the 1500-octet line refuses the message (500 5.6.0), as in SMTP; Dovecot stores it",
	},
	"LMTP: many bad commands": {
		12: "the lab ends a session after 100 refused commands; Dovecot after 10",
		13: "as above", 14: "as above", 15: "as above", 16: "as above", 17: "as above", 18: "as above", 19: "as above",
		20: "as above", 21: "as above", 22: "as above", 23: "as above", 24: "as above", 25: "as above", 26: "as above", 27: "as above",
	},
}

// TestLabAgreesWithTheReference plays every scenario of the golden file on
// the reference server and on the lab's, and compares each reply's code
// and enhanced code: a learner who moves from the lab to Postfix or
// Dovecot meets the same answers, except where deviations says why not.
func TestLabAgreesWithTheReference(t *testing.T) {
	refs := startReferences(t)
	used := map[string]bool{}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			ref := Dial(t, refs[sc.server].Addr)
			want := append([]Reply{ref.Greeting}, ref.Dialogue(sc.lines)...)
			ref.Close()
			lab := NewConn(t, labFor(t, sc.server)())
			lab.Timeout = 5 * time.Second
			got := append([]Reply{lab.Greeting}, lab.Dialogue(sc.lines)...)
			lab.Close()
			dev := deviations[sc.name]
			var diffs []string
			for i := 0; i < max(len(got), len(want)); i++ {
				var g, w Reply
				if i < len(got) {
					g = got[i]
				}
				if i < len(want) {
					w = want[i]
				}
				same := g.Code == w.Code && g.Enhanced == w.Enhanced
				if why, ok := dev[i]; ok {
					used[fmt.Sprint(sc.name, i)] = true
					if same {
						t.Errorf("reply %d is listed as a deviation (%s) but agrees now: %v; take it off the list", i, why, g)
					}
					continue
				}
				if !same {
					diffs = append(diffs, fmt.Sprintf("reply %d: lab %q, reference %q", i, short(g), short(w)))
				}
			}
			if len(diffs) > 0 {
				t.Errorf("the lab answers otherwise than %s:\n  %s", sc.server, strings.Join(diffs, "\n  "))
			}
		})
	}
	for name, m := range deviations {
		for i := range m {
			if !used[fmt.Sprint(name, i)] {
				t.Errorf("deviation %q reply %d names no reply of any scenario", name, i)
			}
		}
	}
}

func short(r Reply) string {
	if r.Code == 0 {
		return "(none)"
	}
	s := r.String()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " …"
	}
	return s
}
