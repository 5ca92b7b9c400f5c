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
	for _, want := range []string{"C: PASS [credentials hidden]", "C: NOOP", "user=melanie", "user=alex", "user=mrose", "msg=connect", "msg=disconnect"} {
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
