//go:build !js && !wasip1

package imap

import (
	"strings"
	"testing"
)

// TestDovecotUnknownCommandBeforeLogin sends each line before login to
// Dovecot's imap-login and here and compares how it is answered: tagged
// or untagged, and with which status. A command this server does not
// know gets a tagged BAD, as from Dovecot, so that a client can match it;
// the answer here repeats the tag only (see TestCredentialsStaySecret).
// Where they differ on purpose: a line of one word Dovecot answers with
// that word as the tag; here it may be a password typed alone, and the
// BAD is untagged.
func TestDovecotUnknownCommandBeforeLogin(t *testing.T) {
	addr := startDovecotLogin(t)
	st := newStore(t, 1000)
	addUser(t, st, "melanie", "toybox")
	c := dial(t, Options{Store: st})
	c.expect("* OK ...")
	differs := map[string]string{"kq8z": "kq8z BAD / * BAD"}
	for _, line := range []string{"a1 FROBNICATE", "b1 XYZZY plugh", "c1 LOGINN melanie toybox", "melanie toybox", "d1 NOOP", "kq8z"} {
		dl, _ := dovecotAnswer(t, addr, line)
		if len(dl) == 0 {
			t.Fatalf("%s: Dovecot does not answer", line)
		}
		want := strings.Join(strings.Fields(dl[len(dl)-1])[:2], " ")
		c.send(line)
		tag := strings.Fields(line)[0]
		var got string
		for {
			f := strings.Fields(c.line())
			if len(f) > 1 && (f[0] == tag || f[1] == "BAD") {
				got = f[0] + " " + f[1]
				break
			}
		}
		if d, ok := differs[line]; ok {
			if want+" / "+got != d {
				t.Errorf("%s: the documented difference is %s; now Dovecot answers %s, we %s", line, d, want, got)
			}
		} else if got != want {
			t.Errorf("%s: Dovecot answers %s..., we answer %s...", line, want, got)
		}
	}
}
