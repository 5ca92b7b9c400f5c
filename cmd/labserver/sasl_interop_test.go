package main

import (
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/xdg-go/scram"
)

// loginLogged reports whether the log holds a successful login of user
// with mech over proto.
func loginLogged(log, proto, user, mech string) bool {
	return regexp.MustCompile(`msg="` + proto + ` login" [^\n]*user=` + user + ` mechanism=` + regexp.QuoteMeta(mech) + `[ \n]`).MatchString(log)
}

// curl's POP3 and IMAP clients log in with each mechanism --login-options
// names; a wrong password is refused (curl's exit status 67, "login
// denied"). Without --login-options curl picks the strongest mechanism it
// knows from CAPA and CAPABILITY: CRAM-MD5.
func TestCurlSASL(t *testing.T) {
	l := startLab(t, imapConfig(t))
	urls := map[string]string{
		"pop3": "pop3://" + l.pop3Addr() + "/",
		"imap": "imap://" + l.imapAddr() + "/",
	}
	for _, proto := range []string{"pop3", "imap"} {
		for _, mech := range []string{"CRAM-MD5", "LOGIN", "PLAIN"} {
			t.Run(proto+"/"+mech, func(t *testing.T) {
				out := curl(t, "--verbose", "--user", "alex:drums", "--login-options", "AUTH="+mech, urls[proto])
				listing := map[string]string{"pop3": `(?m)^1 \d+\r?$`, "imap": `(?m)^\* LIST .* INBOX\r?$`}[proto]
				if !regexp.MustCompile(listing).MatchString(out) {
					t.Errorf("curl's listing:\n%s", out)
				}
				if !strings.Contains(out, "AUTH"+map[string]string{"pop3": "", "imap": "ENTICATE"}[proto]+" "+mech) {
					t.Errorf("curl did not ask for %s:\n%s", mech, out)
				}
				if !loginLogged(l.log.String(), proto, "alex", mech) {
					t.Errorf("no %s login with %s logged:\n%s", proto, mech, l.log)
				}
				cmd := exec.Command("curl", "--silent", "--max-time", "20", "--user", "alex:wrong", "--login-options", "AUTH="+mech, urls[proto])
				var exit *exec.ExitError
				if err := cmd.Run(); !errors.As(err, &exit) || exit.ExitCode() != 67 {
					t.Errorf("a wrong password: curl ended with %v, want exit status 67 (login denied)", err)
				}
			})
		}
		t.Run(proto+"/default", func(t *testing.T) {
			curl(t, "--user", "smith:sesame", urls[proto])
			if !loginLogged(l.log.String(), proto, "smith", "CRAM-MD5") {
				t.Errorf("curl's own choice is not CRAM-MD5:\n%s", l.log)
			}
		})
	}
}

// Python's imaplib logs in with login_cram_md5 and with authenticate()
// for LOGIN and PLAIN; poplib runs the same exchanges written out by
// hand, since it has no AUTH of its own.
func TestPythonSASL(t *testing.T) {
	l := startLab(t, imapConfig(t))
	for _, tc := range []struct{ proto, addr string }{{"imap", l.imapAddr()}, {"pop3", l.pop3Addr()}} {
		t.Run(tc.proto, func(t *testing.T) {
			host, port := hostPort(t, tc.addr)
			out, err := exec.Command("python3", "testdata/sasl_check.py", tc.proto, host, port, "melanie", "toybox").CombinedOutput()
			if err != nil {
				t.Fatalf("sasl_check.py: %v\n%s", err, out)
			}
			text := string(out)
			var want []string
			if tc.proto == "imap" {
				want = []string{"AUTH=CRAM-MD5", "AUTH=LOGIN", "AUTH=SCRAM-SHA-256",
					"cram-md5: OK", "cram-md5 select: OK", "login: OK", "login select: OK", "plain: OK", "plain select: OK",
					"cram-md5 wrong: refused [AUTHENTICATIONFAILED]", "login wrong: refused [AUTHENTICATIONFAILED]", "plain wrong: refused [AUTHENTICATIONFAILED]"}
			} else {
				want = []string{"capa sasl: PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256",
					"cram-md5: +OK melanie's maildrop has", "cram-md5 stat:", "login: +OK melanie's maildrop has", "login stat:",
					"plain: +OK melanie's maildrop has", "plain stat:",
					"cram-md5 wrong: refused -ERR [AUTH] authentication failed", "login wrong: refused -ERR [AUTH] authentication failed",
					"plain wrong: refused -ERR [AUTH] authentication failed"}
			}
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("sasl_check.py output lacks %q:\n%s", w, text)
				}
			}
			for _, mech := range []string{"CRAM-MD5", "LOGIN", "PLAIN"} {
				if !loginLogged(l.log.String(), tc.proto, "melanie", mech) {
					t.Errorf("no %s login logged:\n%s", mech, l.log)
				}
			}
		})
	}
}

// scramTCP logs in with xdg-go/scram's client over a real connection to
// labserver and returns the server's final line. The client checks the
// server's signature.
func scramTCP(t *testing.T, c *client, proto, mech, user, pass string, initial bool) string {
	t.Helper()
	hg := scram.SHA1
	if mech == "SCRAM-SHA-256" {
		hg = scram.SHA256
	}
	cl, err := hg.NewClient(user, pass, "")
	if err != nil {
		t.Fatal(err)
	}
	conv := cl.NewConversation()
	first, err := conv.Step("")
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.StdEncoding.EncodeToString
	cmd := "AUTH " + mech
	if proto == "imap" {
		cmd = "s1 AUTHENTICATE " + mech
	}
	var got string
	if initial {
		got = c.cmd(cmd + " " + b64([]byte(first)))
	} else {
		if got = c.cmd(cmd); got != "+ " {
			t.Fatalf("%s: %q", cmd, got)
		}
		got = c.cmd(b64([]byte(first)))
	}
	for strings.HasPrefix(got, "+ ") {
		ch, err := base64.StdEncoding.DecodeString(got[2:])
		if err != nil {
			t.Fatalf("%q: %v", got, err)
		}
		msg, err := conv.Step(string(ch))
		if err != nil {
			t.Fatalf("the client refuses %q: %v", ch, err)
		}
		if conv.Done() && !conv.Valid() {
			t.Fatalf("the server's signature %q is wrong", ch)
		}
		got = c.cmd(b64([]byte(msg)))
	}
	return got
}

// SCRAM-SHA-1 and SCRAM-SHA-256 with a real client over TCP, in POP3 and
// IMAP, with and without an initial response, over plain TCP and TLS: the
// right password logs in, a wrong one is refused.
func TestGoScramClient(t *testing.T) {
	l := startLab(t, imapConfig(t))
	for _, proto := range []string{"pop3", "imap"} {
		for _, mech := range []string{"SCRAM-SHA-1", "SCRAM-SHA-256"} {
			for _, secure := range []bool{false, true} {
				name := fmt.Sprintf("%s/%s/tls=%v", proto, mech, secure)
				t.Run(name, func(t *testing.T) {
					flag := proto
					if secure {
						flag += "s"
					}
					c := dial(t, l.app.addr(flag))
					if secure {
						tc := tls.Client(c.c, &tls.Config{InsecureSkipVerify: true})
						c.c = tc
						c.br.Reset(tc)
					}
					ok, fail := "+OK alex's maildrop has", "-ERR [AUTH] authentication failed"
					if proto == "imap" {
						ok, fail = "s1 OK [CAPABILITY IMAP4rev1", "s1 NO [AUTHENTICATIONFAILED] Invalid user name or password"
					}
					c.line() // the greeting
					if got := scramTCP(t, c, proto, mech, "alex", "wrong", secure); got != fail {
						t.Errorf("a wrong password: %q, want %q", got, fail)
					}
					if got := scramTCP(t, c, proto, mech, "alex", "drums", !secure); !strings.HasPrefix(got, ok) {
						t.Errorf("got %q, want %q", got, ok)
					}
					if !loginLogged(l.log.String(), proto, "alex", mech) {
						t.Errorf("no login with %s logged:\n%s", mech, l.log)
					}
					// QUIT releases the maildrop lock before its +OK: the
					// next subtest logs in as alex again.
					if proto == "pop3" {
						c.c.Write([]byte("QUIT\r\n"))
						if got := c.line(); !strings.HasPrefix(got, "+OK") {
							t.Errorf("QUIT: %q", got)
						}
					}
				})
			}
		}
	}
}

// Authen::SCRAM::Client, Perl's SCRAM client (Debian's
// libauthen-scram-perl): a second implementation, independent of the
// library the server uses.
func TestPerlScramClient(t *testing.T) {
	l := startLab(t, imapConfig(t))
	for _, proto := range []string{"pop3", "imap"} {
		for _, digest := range []string{"SHA-1", "SHA-256"} {
			t.Run(proto+"/"+digest, func(t *testing.T) {
				host, port := hostPort(t, l.app.addr(proto))
				run := func(pass string) string {
					out, err := exec.Command("perl", "testdata/scram_check.pl", proto, host, port, "smith", pass, digest).CombinedOutput()
					if err != nil {
						t.Fatalf("scram_check.pl: %v\n%s", err, out)
					}
					return string(out)
				}
				ok, fail := "result: +OK smith's maildrop has", "result: -ERR [AUTH] authentication failed"
				if proto == "imap" {
					ok, fail = "result: a1 OK [CAPABILITY", "result: a1 NO [AUTHENTICATIONFAILED]"
				}
				if out := run("sesame"); !strings.Contains(out, "signature: valid") || !strings.Contains(out, ok) {
					t.Errorf("login:\n%s", out)
				}
				if out := run("wrong"); !strings.Contains(out, fail) {
					t.Errorf("a wrong password:\n%s", out)
				}
			})
		}
	}
}

// The debug log shows every line of an exchange but the client's, which
// are Secret, whatever the mechanism.
func TestDebugLogHidesSASLResponses(t *testing.T) {
	l := startLab(t, testConfig(t, "-imap", "127.0.0.1:0", "-log-level", "debug"))
	var responses []string
	for _, mech := range []string{"SCRAM-SHA-256", "SCRAM-SHA-1"} {
		c := dial(t, l.pop3Addr())
		c.line()
		if got := scramTCP(t, c, "pop3", mech, "melanie", "toybox", false); !strings.HasPrefix(got, "+OK") {
			t.Fatalf("%s: %q", mech, got)
		}
		c.cmd("QUIT")
	}
	d := dial(t, l.imapAddr())
	d.line()
	login := base64.StdEncoding.EncodeToString
	if got := d.cmd("a1 AUTHENTICATE LOGIN"); got != "+ VXNlcm5hbWU6" {
		t.Fatalf("LOGIN: %q", got)
	}
	responses = append(responses, login([]byte("melanie")), login([]byte("toybox")))
	d.cmd(responses[0])
	if got := d.cmd(responses[1]); !strings.HasPrefix(got, "a1 OK") {
		t.Fatalf("LOGIN: %q", got)
	}
	d.cmd("a2 NOOP")
	log := l.log.String()
	for _, s := range append(responses, "toybox", "bWVsYW5p", "biws", "p=") {
		if strings.Contains(log, s) {
			t.Errorf("the log holds %q:\n%s", s, log)
		}
	}
	for _, want := range []string{`"C: AUTH SCRAM-SHA-256"`, `"C: AUTH …"`, `"S: + "`, `"C: a1 AUTHENTICATE …"`, `"S: + VXNlcm5hbWU6"`, `"C: a2 NOOP"`} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %s:\n%s", want, log)
		}
	}
}
