package imap

import (
	"encoding/base64"
	"slices"
	"strings"
	"testing"

	"github.com/xdg-go/scram"

	"maillab/sim/sasl/scramtest"

	"maillab/sim/event"
	"maillab/sim/sasl"
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// rfc2195Challenge is RFC 2195's example challenge.
const rfc2195Challenge = "<1896.697170952@postoffice.reston.mci.net>"

// CRAM-MD5 as in RFC 2195's example; a wrong digest, an answer that is
// not "user digest" and an initial response, which CRAM-MD5 cannot have.
func TestAuthenticateCramMD5(t *testing.T) {
	st := newStore(t, 1000)
	addUser(t, st, "tim", "tanstaaftanstaaf")
	c := dial(t, Options{Store: st, CRAMChallenge: rfc2195Challenge})
	c.run(`
		S: * OK ...
		C: a1 AUTHENTICATE CRAM-MD5
		S: + PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+
		C: ` + b64("tim 00000000000000000000000000000000") + `
		S: a1 NO [AUTHENTICATIONFAILED] Invalid user name or password
		C: a2 AUTHENTICATE CRAM-MD5
		S: + PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+
		C: ` + b64("tim") + `
		S: a2 BAD AUTHENTICATE: a CRAM-MD5 response is the user name, a space and the 32 hexadecimal digits of the HMAC-MD5 digest
		C: a3 AUTHENTICATE CRAM-MD5 ` + b64("tim") + `
		S: a3 BAD AUTHENTICATE: CRAM-MD5 starts with the server's challenge; send no initial response
		C: a4 authenticate cram-md5
		S: + PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+
		C: dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw
		S: a4 OK [CAPABILITY ...
		C: a5 LOGOUT
		S: * BYE ...
		S: a5 OK LOGOUT completed
	`)
	evs := c.wait()
	var ex []event.Event
	for _, e := range evs {
		if e.Kind == event.Explain && e.Command == "AUTHENTICATE" {
			ex = append(ex, e)
		}
	}
	cont, ok := ex[len(ex)-2], ex[len(ex)-1]
	if got := partTokens(cont); !slices.Equal(got, []string{"+", "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+", rfc2195Challenge}) {
		t.Errorf("continuation parts %q", got)
	}
	if got := partTokens(ok); !slices.Equal(got[len(got)-2:], []string{"tim", "b913a602c7eda7a495b4e6e7334d3890"}) || got[0] != "a4" {
		t.Errorf("completion parts %q", got)
	}
	for _, e := range evs {
		if e.Kind == event.Client && e.Command == "AUTHENTICATE" && !e.Secret {
			t.Errorf("%q is not secret", e.Line)
		}
	}
}

func partTokens(e event.Event) []string {
	var out []string
	for _, p := range e.Parts {
		out = append(out, p.Token)
	}
	return out
}

// LOGIN as draft-murchison-sasl-login's example, with SASL-IR, a cancel
// between the prompts and a wrong password.
func TestAuthenticateLogin(t *testing.T) {
	st := newStore(t, 1000)
	addUser(t, st, "tim", "tanstaaftanstaaf")
	c := dial(t, Options{Store: st})
	c.run(`
		S: * OK ...
		C: a1 AUTHENTICATE LOGIN
		S: + VXNlcm5hbWU6
		C: dGlt
		S: + UGFzc3dvcmQ6
		C: *
		S: a1 BAD AUTHENTICATE cancelled
		C: a2 AUTHENTICATE LOGIN dGlt
		S: + UGFzc3dvcmQ6
		C: ` + b64("wrong") + `
		S: a2 NO [AUTHENTICATIONFAILED] Invalid user name or password
		C: a3 AUTHENTICATE LOGIN
		S: + VXNlcm5hbWU6
		C: not base64!
		S: a3 BAD AUTHENTICATE: the response is not valid base64
		C: a4 AUTHENTICATE LOGIN
		S: + VXNlcm5hbWU6
		C: dGlt
		S: + UGFzc3dvcmQ6
		C: dGFuc3RhYWZ0YW5zdGFhZg==
		S: a4 OK [CAPABILITY ...
		C: a5 SELECT INBOX
		S: * 0 EXISTS
	`)
}

// scramIMAP runs a SCRAM exchange with xdg-go/scram's client and returns
// the tagged completion.
func scramIMAP(t *testing.T, c *conn, tag, mech string, hg scram.HashGeneratorFcn, user, pass, authz string, initial bool) string {
	t.Helper()
	conv := scramtest.New(hg, user, pass, authz, "clientnonce")
	first, _ := conv.Step("")
	var got string
	if initial {
		c.send(tag + " AUTHENTICATE " + mech + " " + b64(first))
		got = c.line()
	} else {
		c.send(tag + " AUTHENTICATE " + mech)
		if got = c.line(); got != "+ " {
			t.Fatalf("AUTHENTICATE %s: %q", mech, got)
		}
		c.send(b64(first))
		got = c.line()
	}
	for strings.HasPrefix(got, "+ ") {
		ch, err := base64.StdEncoding.DecodeString(got[2:])
		if err != nil {
			t.Fatalf("challenge %q: %v", got, err)
		}
		if conv.Done() {
			t.Fatalf("a challenge after the server's signature: %q", ch)
		}
		msg, err := conv.Step(string(ch))
		if err != nil {
			t.Fatalf("the client refuses %q: %v", ch, err)
		}
		if conv.Done() && !conv.Valid() {
			t.Fatal("the server's signature is wrong")
		}
		c.send(b64(msg))
		got = c.line()
	}
	return got
}

func TestAuthenticateScram(t *testing.T) {
	st := newStore(t, 1000)
	addUser(t, st, "melanie", "toybox")
	addUser(t, st, "alex", "drums")
	for _, tc := range []struct {
		mech string
		hg   scram.HashGeneratorFcn
	}{{"SCRAM-SHA-1", scram.SHA1}, {"SCRAM-SHA-256", scram.SHA256}} {
		for _, initial := range []bool{false, true} {
			c := dial(t, Options{Store: st})
			c.expect("* OK ...")
			for _, bad := range []struct{ user, pass, authz, want string }{
				{"melanie", "wrong", "", "a1 NO [AUTHENTICATIONFAILED] Invalid user name or password"},
				{"nobody", "toybox", "", "a1 NO [AUTHENTICATIONFAILED] Invalid user name or password"},
				{"melanie", "toybox", "alex", "a1 NO [AUTHORIZATIONFAILED] melanie may not act as alex; leave the authorization identity empty"},
			} {
				if got := scramIMAP(t, c, "a1", tc.mech, tc.hg, bad.user, bad.pass, bad.authz, initial); got != bad.want {
					t.Errorf("%s %+v: %q", tc.mech, bad, got)
				}
			}
			if got := scramIMAP(t, c, "a2", tc.mech, tc.hg, "melanie", "toybox", "", initial); !strings.HasPrefix(got, "a2 OK [CAPABILITY IMAP4rev1 ") {
				t.Errorf("%s: %q", tc.mech, got)
			}
			c.send("a3 SELECT INBOX")
			c.until("a3")
			c.c.Close()
			for _, e := range c.wait() {
				if e.Kind == event.Client && e.Command == "AUTHENTICATE" && !e.Secret {
					t.Errorf("%q is not secret", e.Line)
				}
			}
		}
	}
}

// No event repeats a password: LOGIN's and PLAIN's show as the mask.
func TestAuthenticateNeverShowsThePassword(t *testing.T) {
	const pass = "kq8z-toybox"
	st := newStore(t, 1000)
	addUser(t, st, "melanie", pass)
	c := dial(t, Options{Store: st, Lang: "sk"})
	c.run(`
		S: * OK ...
		C: a1 AUTHENTICATE LOGIN
		S: + VXNlcm5hbWU6
		C: ` + b64("melanie") + `
		S: + UGFzc3dvcmQ6
		C: ` + b64(pass+"x") + `
		S: a1 NO ...
		C: a2 AUTHENTICATE PLAIN ` + b64("\x00melanie\x00"+pass+"x") + `
		S: a2 NO ...
		C: a3 AUTHENTICATE PLAIN
		S: + ...
		C: ` + b64("\x00melanie\x00"+pass) + `
		S: a3 OK ...
		C: a4 LOGOUT
		S: * BYE ...
		S: a4 OK LOGOUT completed
	`)
	masks := 0
	for _, e := range c.wait() {
		text := e.Tag + " " + e.Command + " " + e.Text
		if e.Kind != event.Client || !e.Secret {
			text += " " + e.Line
		}
		for _, p := range e.Parts {
			text += " " + p.Token + " " + p.Meaning
			if p.Token == sasl.Mask {
				masks++
			}
		}
		if strings.Contains(text, "kq8z") || strings.Contains(text, b64(pass)) {
			t.Errorf("a %s event shows the password: %+v", e.Kind, e)
		}
	}
	if masks != 3 {
		t.Errorf("the mask shows %d times, want 3", masks)
	}
}

// CAPABILITY's AUTH= entries are each explained, in the session's
// language.
func TestCapabilityMechanismsExplained(t *testing.T) {
	st := newStore(t, 1000)
	c := dial(t, Options{Store: st, Lang: "ru"})
	c.run(`
		S: * OK ...
		C: a1 CAPABILITY
		S: * CAPABILITY ...
		S: a1 OK CAPABILITY completed
		C: a2 LOGOUT
		S: * BYE ...
		S: a2 OK LOGOUT completed
	`)
	var meanings = map[string]string{}
	for _, e := range c.wait() {
		if e.Kind == event.Explain && e.Command == "CAPABILITY" {
			for _, p := range e.Parts {
				meanings[p.Token] = p.Meaning
			}
		}
	}
	for _, m := range sasl.Mechanisms() {
		got := meanings["AUTH="+m]
		if got == "" || got == texts.Text("ru", "role.cap") {
			t.Errorf("AUTH=%s means %q", m, got)
		}
	}
	if got := meanings["AUTH=SCRAM-SHA-256"]; got != sasl.Describe("ru", "SCRAM-SHA-256") {
		t.Errorf("AUTH=SCRAM-SHA-256 means %q", got)
	}
}
