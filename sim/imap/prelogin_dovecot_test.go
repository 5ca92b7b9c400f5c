//go:build !js && !wasip1

package imap

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"

	"maillab/sim/mime/dovecottest"
)

// TestDovecotBeforeLogin sends the same lines before login to Dovecot's
// login process and here and compares how each is answered: tagged or
// untagged, and with which status. A command this server does not know
// gets a tagged BAD, as from Dovecot, so that a client can match it; the
// answer here repeats the tag only (see TestCredentialsStaySecret).
func TestDovecotBeforeLogin(t *testing.T) {
	md := dovecottest.WriteMaildir(t, t.TempDir(), nil)
	addr := dovecottest.Listen(t, md, "melanie", "toybox")
	dc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer dc.Close()
	dr := bufio.NewReader(dc)
	dc.SetDeadline(time.Now().Add(10 * time.Second))
	if g, err := dr.ReadString('\n'); err != nil || !strings.HasPrefix(g, "* OK") {
		t.Fatalf("Dovecot's greeting %q, %v", g, err)
	}
	st := newStore(t, 1000)
	addUser(t, st, "melanie", "toybox")
	c := dial(t, Options{Store: st})
	c.expect("* OK ...")
	// Dovecot closes the connection at the third BAD: two at most here.
	for _, line := range []string{"a1 FROBNICATE", "a2 NOOP", "b1 XYZZY plugh", "a3 CAPABILITY", "a4 LOGIN melanie toybox", "a5 FROBNICATE"} {
		tag := strings.Fields(line)[0]
		if _, err := dc.Write([]byte(line + "\r\n")); err != nil {
			t.Fatal(err)
		}
		var want string
		for {
			l, err := dr.ReadString('\n')
			if err != nil {
				t.Fatalf("%s: Dovecot: %v", line, err)
			}
			if f := strings.Fields(l); len(f) > 1 && (f[0] == tag || f[1] == "BAD" || f[1] == "BYE") {
				want = f[0] + " " + f[1]
				break
			}
		}
		c.send(line)
		var got string
		for {
			f := strings.Fields(c.line())
			if len(f) > 1 && (f[0] == tag || f[1] == "BAD" || f[1] == "BYE") {
				got = f[0] + " " + f[1]
				break
			}
		}
		if got != want {
			t.Errorf("%s: Dovecot answers %s..., we answer %s...", line, want, got)
		}
	}
}
