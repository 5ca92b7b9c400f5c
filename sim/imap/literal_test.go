package imap

import (
	"slices"
	"strings"
	"testing"

	"maillab/sim/event"
)

// clientLines are the lines of the events of one command, from the Client
// event that starts with first to the tagged response of tag: "C: " for
// Client events, "S: " for Server ones, as the transcript shows them.
func clientLines(evs []event.Event, first, tag string) []string {
	var out []string
	in := false
	for _, e := range evs {
		if e.Kind == event.Client && e.Line == first {
			in = true
		}
		if !in {
			continue
		}
		switch e.Kind {
		case event.Client:
			out = append(out, "C: "+e.Line)
		case event.Server:
			out = append(out, "S: "+e.Line)
			if e.Tag == tag {
				return out
			}
		}
	}
	return out
}

// A synchronizing literal typed on lines of its own: the command line, the
// continuation request, the literal's lines as typed, the tagged answer;
// no empty line for the CRLF that ends the command after the octets.
func TestLiteralClientEvents(t *testing.T) {
	st := newStore(t, 1000)
	addUser(t, st, "melanie", "toybox")
	c := dial(t, Options{Store: st, MaxLiteral: 100})
	c.run(`
		S: * OK ...
		C: a1 LOGIN {7}
		S: + Ready for literal data
		C: melanie {6}
		S: + Ready for literal data
		C: toybox
		S: a1 OK ...
		C: a4 APPEND INBOX {5}
		S: + Ready for literal data
		C: hello
		S: a4 OK [APPENDUID 1000 1] APPEND completed
		C: a5 APPEND INBOX {12}
		S: + Ready for literal data
		C: line1
		C: line2
		S: a5 OK [APPENDUID 1000 2] APPEND completed
		C: a6 APPEND INBOX {7}
		S: + Ready for literal data
		C: line1
		C:
		S: a6 OK [APPENDUID 1000 3] APPEND completed
	`)
	c.send("a8 NOOP " + strings.Repeat("ж", 35000))
	c.expect("a8 BAD Command line longer than 65536 octets; send long arguments as literals {n}")
	// A non-synchronizing literal over the limit ends the session.
	c.sendRaw("a7 APPEND INBOX {200+}\r\n" + strings.Repeat("x", 200) + "\r\n")
	c.expect("* BYE Literal of 200 octets is larger than this server accepts (100); closing the connection")
	evs := c.wait()
	for _, tc := range []struct {
		first, tag string
		want       []string
	}{
		{"a1 LOGIN {7}", "a1", []string{"C: a1 LOGIN {7}", "S: + Ready for literal data", "C: melanie {6}", "S: + Ready for literal data", "C: toybox", "S: a1 OK ..."}},
		{"a4 APPEND INBOX {5}", "a4", []string{"C: a4 APPEND INBOX {5}", "S: + Ready for literal data", "C: hello", "S: a4 OK [APPENDUID 1000 1] APPEND completed"}},
		{"a5 APPEND INBOX {12}", "a5", []string{"C: a5 APPEND INBOX {12}", "S: + Ready for literal data", "C: line1", "C: line2", "S: a5 OK [APPENDUID 1000 2] APPEND completed"}},
		// The literal ends with its own CRLF: the line after it is an
		// empty line the client really sent.
		{"a6 APPEND INBOX {7}", "a6", []string{"C: a6 APPEND INBOX {7}", "S: + Ready for literal data", "C: line1", "C: ", "S: a6 OK [APPENDUID 1000 3] APPEND completed"}},
		{"a7 APPEND INBOX {200+}", "a7", []string{"C: a7 APPEND INBOX {200+}", "S: * BYE ..."}},
	} {
		got := clientLines(evs, tc.first, tc.tag)
		if len(got) > 0 && strings.HasSuffix(tc.want[len(tc.want)-1], "...") {
			last := &got[len(got)-1]
			if strings.HasPrefix(*last, strings.TrimSuffix(tc.want[len(tc.want)-1], "...")) {
				*last = tc.want[len(tc.want)-1]
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: events\n%s\nwant\n%s", tc.first, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
		}
	}
	var long event.Event
	for _, e := range evs {
		if e.Kind == event.Client && e.Tag == "a1" && !e.Secret {
			t.Errorf("LOGIN's line %q is not secret", e.Line)
		}
		if e.Kind == event.Client && strings.HasPrefix(e.Line, "a8 ") {
			long = e
		}
	}
	want := "a8 NOOP " + strings.Repeat("ж", 96) + "… (70008 octets)"
	if long.Line != want || long.Command != "NOOP" || long.Tag != "a8" {
		t.Errorf("the over-long line's event is %+v, want line %q", long, want)
	}
}
