package main

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
)

// The log, even at debug level with every protocol line, never holds a
// password, whichever way it was sent and whether or not it was right.
func TestLogNeverHoldsAPassword(t *testing.T) {
	l := startLab(t, testConfig(t, "-log-level", "debug", "-apop-timestamp", "<1896.697170952@dbc.mtview.ca.us>"))
	const wrong = "wrong-secret-9731"
	plainInitial := base64.StdEncoding.EncodeToString([]byte("\x00alex\x00drums"))
	plainLater := base64.StdEncoding.EncodeToString([]byte("alex\x00alex\x00drums"))
	plainWrong := base64.StdEncoding.EncodeToString([]byte("\x00smith\x00" + wrong))

	// USER/PASS, a wrong password first.
	c := dial(t, l.pop3Addr())
	c.expect("+OK")
	c.ok("USER melanie")
	if got := c.cmd("PASS " + wrong); !strings.HasPrefix(got, "-ERR") {
		t.Fatalf("wrong PASS: %q", got)
	}
	c.ok("USER melanie")
	c.ok("PASS toybox")
	c.ok("QUIT")

	// AUTH PLAIN with an initial response (RFC 5034), then a wrong one.
	c = dial(t, l.pop3Addr())
	c.expect("+OK")
	if got := c.cmd("AUTH PLAIN " + plainWrong); !strings.HasPrefix(got, "-ERR") {
		t.Fatalf("AUTH PLAIN with a wrong password: %q", got)
	}
	c.ok("AUTH PLAIN " + plainInitial)
	c.ok("QUIT")

	// AUTH PLAIN answering the server's "+ " continuation.
	c = dial(t, l.pop3Addr())
	c.expect("+OK")
	if got := c.cmd("AUTH PLAIN"); !strings.HasPrefix(got, "+") || strings.HasPrefix(got, "+OK") {
		t.Fatalf("AUTH PLAIN: got %q, want a continuation", got)
	}
	c.ok(plainLater)
	c.ok("NOOP") // lines after the exchange are logged again
	c.ok("QUIT")

	// APOP: the digest is not the password, but it is a credential.
	c = dial(t, l.pop3Addr())
	c.expect("+OK")
	sum := md5.Sum([]byte("<1896.697170952@dbc.mtview.ca.us>tanstaaf"))
	digest := hex.EncodeToString(sum[:])
	c.ok("APOP mrose " + digest)
	c.ok("QUIT")

	log := l.log.String()
	for _, secret := range []string{"toybox", "drums", "tanstaaf", wrong, plainInitial, plainLater, plainWrong, digest} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds the credential %q:\n%s", secret, log)
		}
	}
	// The log still tells what happened.
	for _, want := range []string{"C: PASS …", "C: NOOP", "user=melanie", "user=alex", "user=mrose", "msg=connect", "msg=disconnect"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q:\n%s", want, log)
		}
	}
	// Each line names its session once.
	for _, line := range strings.Split(log, "\n") {
		if n := strings.Count(line, " session="); n > 1 {
			t.Errorf("session named %d times: %s", n, line)
		}
	}
}

// A mistyped command word, a tab, a leading space or a password alone on
// a line must not put a credential in the debug log either, in POP3 or in
// IMAP; the lines are still logged, as their verb and "…".
func TestLogHidesMistypedCredentials(t *testing.T) {
	l := startLab(t, testConfig(t, "-imap", "127.0.0.1:0", "-log-level", "debug", "-apop-timestamp", "<1896.697170952@dbc.mtview.ca.us>"))
	plain := base64.StdEncoding.EncodeToString([]byte("\x00melanie\x00zr7p8"))
	c := dial(t, l.pop3Addr())
	c.expect("+OK")
	for _, line := range []string{"PASS\tzr7p1", " PASS zr7p2", "PASSS zr7p3", "USER melanie zr7p4", "zr7p5",
		"PA\x7fSS zr7p6", "APOP\tmrose c4c9334bac560ecc979e58001b3e22fb", "AUTH\tPLAIN " + plain} {
		if got := c.cmd(line); !strings.HasPrefix(got, "-ERR") {
			t.Fatalf("%q: got %q", line, got)
		}
	}
	if got := c.cmd("AUTH PLAIN"); got != "+ " {
		t.Fatalf("AUTH PLAIN: %q", got)
	}
	if got := c.cmd(plain); !strings.HasPrefix(got, "-ERR [AUTH]") {
		t.Fatalf("a wrong SASL response: %q", got)
	}
	c.ok("QUIT")

	d := dial(t, l.imapAddr())
	d.expect("* OK")
	for _, line := range []string{"a1 LOGIN\tmelanie zr7i1", " a2 LOGIN melanie zr7i2", "a3 LOGINN melanie zr7i3",
		"a4 LOGI\x7fN melanie zr7i4", "zr7i5", "a6 LOGN {6}", "zr7i7 and more"} {
		d.send(line + "\r\n")
		d.expect("")
	}
	d.send("zr7i06\r\n") // the literal a mistyped command never asked for
	d.expect("* BAD")
	d.send("a7 capability\r\n")
	d.expect("* CAPABILITY")
	d.expect("a7 OK")
	d.send("a8 LOGOUT\r\n")
	d.expect("* BYE")
	d.expect("a8 OK")

	log := l.log.String()
	for _, secret := range []string{"zr7", "ZR7", "c4c9334bac560ecc979e58001b3e22fb", plain} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds %q:\n%s", secret, log)
		}
	}
	for _, want := range []string{"C: PASS …", "C: USER …", "C: APOP …", "C: AUTH …", "C: …", "C: AUTH PLAIN\"",
		"C: a1 LOGIN …", "S: * BAD", "C: a7 capability"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q:\n%s", want, log)
		}
	}
}
