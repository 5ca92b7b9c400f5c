package imap

import (
	"strings"
	"testing"

	"maillab/sim/event"
)

// Lines that may carry credentials are Secret, name at most a known verb
// and its tag, and no event repeats them: a host logging the events never
// writes the password. Before login that is every line but a well-formed
// CAPABILITY, NOOP, LOGOUT, STARTTLS or ID; in any state LOGIN and
// AUTHENTICATE with their literals and SASL lines, and the line after a
// credential command that announced a literal it did not wait for.
func TestCredentialsStaySecret(t *testing.T) {
	st := newStore(t, 1000)
	addUser(t, st, "melanie", "toybox")
	c := dial(t, Options{Store: st})
	c.expect("* OK ...")
	cases := []struct {
		line, tag, verb string
		secret          bool
	}{
		{"a1 LOGIN melanie kq8z01", "a1", "LOGIN", true},
		{"a2\tLOGIN melanie kq8z02", "a2", "LOGIN", true},
		{"a3  LOGIN melanie kq8z03", "a3", "LOGIN", true},
		{"a4 login  melanie kq8z04", "a4", "LOGIN", true},
		{"a5 LOGIN melanie kq8z05 extra", "a5", "LOGIN", true},
		{"kq8z06", "", "", true},
		{"kq8z07 and more", "", "", true},
		{"melanie kq8z08", "", "", true},
		{"a6 LOGIN{7}", "a6", "LOGIN", true},
		{"kq8z09", "", "", true}, // the octets of a6's literal, sent anyway
		{"a7 CAPABILITY kq8z10", "a7", "CAPABILITY", true},
		{"a8 FROBNICATE kq8z11", "", "", true},
		{`a9 ID ("name" "kq8z12"`, "a9", "ID", true},
		{`b1 ID ("name" "x")`, "b1", "ID", false},
		{"b2 NOOP", "b2", "NOOP", false},
		{"b3 capability", "b3", "CAPABILITY", false},
		{"", "", "", false},
		{"b4 SELECT kq8z13", "b4", "SELECT", true},
		{"b6 AUTHENTICATE kq8z16", "b6", "AUTHENTICATE", true},
		{"b5 AUTHENTICATE PLAIN " + plain("melanie", "kq8z15"), "b5", "AUTHENTICATE", true},
	}
	for _, tc := range cases {
		c.send(tc.line)
		// Before login an unknown command's BAD carries its tag, which
		// only the wire shows.
		for l := c.line(); !strings.Contains(l, " BAD ") && (tc.tag == "" || !strings.HasPrefix(l, tc.tag+" ")); l = c.line() {
		}
	}
	// A SASL exchange and a literal password: every line of the command
	// is secret.
	c.run(`
		C: c1 AUTHENTICATE PLAIN
		S: + ...
		C: ` + plain("melanie", "kq8z14") + `
		S: c1 NO [AUTHENTICATIONFAILED] ...
		C: c2 LOGIN melanie {6}
		S: + Ready for literal data
		C: kq8z17
		S: c2 NO [AUTHENTICATIONFAILED] ...
		C: c3 LOGIN melanie toybox
		S: c3 OK ...
		C: c4 LOGIN melanie kq8z18
		S: c4 BAD LOGIN is not allowed ...
		C: c5 LOGIN melanie {6}
		S: c5 BAD LOGIN is not allowed ...
		C: kq8z19
		S: * BAD Not a well-formed command: ...
		C: c6 NOOP
		S: c6 OK NOOP completed
		C: c7 LOGOUT
		S: * BYE ...
		S: c7 OK LOGOUT completed
	`)
	evs := c.wait()
	var clients []event.Event
	for _, e := range evs {
		if e.Kind == event.Client {
			clients = append(clients, e)
		}
	}
	for i, tc := range cases {
		e := clients[i]
		if e.Line != tc.line || e.Secret != tc.secret || e.Tag != tc.tag || e.Command != tc.verb {
			t.Errorf("%q: event %q Secret %v Tag %q Command %q, want %v %q %q", tc.line, e.Line, e.Secret, e.Tag, e.Command, tc.secret, tc.tag, tc.verb)
		}
	}
	rest := clients[len(cases):]
	for i, want := range []bool{true, true, true, true, true, true, true, true, false, false} {
		if rest[i].Secret != want {
			t.Errorf("%q: Secret %v, want %v", rest[i].Line, rest[i].Secret, want)
		}
	}
	for _, e := range evs {
		text := e.Tag + " " + e.Command + " " + e.Code + " " + e.Text
		if !e.Secret {
			text += " " + e.Line
		}
		for _, p := range e.Parts {
			text += " " + p.Token + " " + p.Meaning
		}
		if strings.Contains(strings.ToLower(text), "kq8z") {
			t.Errorf("a %s event repeats a credential: %+v", e.Kind, e)
		}
	}
}
