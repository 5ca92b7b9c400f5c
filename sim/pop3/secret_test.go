package pop3

import (
	"encoding/base64"
	"strings"
	"testing"

	"maillab/sim/event"
)

// Before login, a line that is not a well-formed command carrying no
// credentials is Secret, names at most a known verb, and no event repeats
// it: a host logging the events never writes the password.
func TestCredentialsStaySecret(t *testing.T) {
	plain := base64.StdEncoding.EncodeToString([]byte("\x00melanie\x00kq8z11"))
	cases := []struct {
		line, verb string
		secret     bool
	}{
		{"PASS\tkq8z01", "PASS", true},
		{" PASS kq8z02", "PASS", true},
		{"PASSS kq8z03", "", true},
		{"pass  kq8z04", "PASS", true},
		{"PA\x7fSS kq8z05", "", true},
		{"APOP\tmrose 0123456789abcdef0123456789abcde6", "APOP", true},
		{"AUTH\tPLAIN " + plain, "AUTH", true},
		{"kq8z07", "", true},
		{"USER melanie kq8z08", "USER", true},
		{"USER\tkq8z09", "USER", true},
		{"Kq8z10 and more", "", true},
		{"USER melanie", "USER", false},
		{"CAPA", "CAPA", false},
		{"STAT", "STAT", false},
		{"AUTH", "AUTH", false},
		{"", "", false},
	}
	k := dial(t, Options{Store: newStore(t, melanie(100))})
	k.line()
	for _, c := range cases {
		k.do(c.line)
	}
	// A SASL exchange: the mechanism is named openly, the response is not.
	if got := k.cmd("AUTH PLAIN"); got != "+ " {
		t.Fatalf("AUTH PLAIN: %q", got)
	}
	k.cmd(plain)
	k.cmd("USER melanie")
	k.cmd("PASS toybox")
	k.cmd("PASS\tkq8z12") // after login a credential command is still secret
	k.cmd("NOOP")
	k.cmd("QUIT")
	k.wait()

	clients := kinds(k.rec, event.Client)
	for i, c := range cases {
		e := clients[i]
		if e.Secret != c.secret || e.Command != c.verb {
			t.Errorf("%q: Secret %v Command %q, want %v %q", c.line, e.Secret, e.Command, c.secret, c.verb)
		}
	}
	rest := clients[len(cases):]
	for i, want := range []bool{false, true, false, true, true, false, false} {
		if rest[i].Secret != want {
			t.Errorf("%q: Secret %v, want %v", rest[i].Line, rest[i].Secret, want)
		}
	}
	for _, e := range k.rec.Events {
		text := e.Command + " " + e.Text
		if e.Kind != event.Client || !e.Secret {
			text += " " + e.Line
		}
		for _, p := range e.Parts {
			text += " " + p.Token
		}
		if strings.Contains(strings.ToLower(text), "kq8z") || strings.Contains(text, plain) {
			t.Errorf("a %s event repeats a credential: %+v", e.Kind, e)
		}
	}
}
