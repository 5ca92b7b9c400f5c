package wire

import (
	"strings"
	"testing"
	"time"

	"maillab/sim/lineio"
)

func decoder(in string) *Decoder {
	d := NewDecoder(lineio.NewReader(strings.NewReader(in), 1024), 100)
	d.Next()
	return d
}

func TestSeqSetResolve(t *testing.T) {
	cases := []struct {
		in   string
		star uint32
		want string
	}{
		{"1", 5, "1"}, {"5:2", 9, "2:5"}, {"*", 7, "7"}, {"3:*", 2, "2:3"}, {"1,3:4,*", 9, "1,3:4,9"}, {"*", 0, ""},
	}
	for _, c := range cases {
		var set NumSet
		d := decoder(c.in)
		if err := d.Parse(func() { set = d.SeqSet("set") }); err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		if got := NumSet(set.Resolve(c.star)).String(); got != c.want {
			t.Errorf("%s with * = %d: %s, want %s", c.in, c.star, got, c.want)
		}
	}
}

func TestQuoteAndAString(t *testing.T) {
	cases := map[string]string{`a"b\c`: `"a\"b\\c"`, "two\r\nlines": "{10}\r\ntwo\r\nlines", "": `""`, "Привет": "{12}\r\nПривет"}
	for in, want := range cases {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %q, want %q", in, got, want)
		}
	}
	if AString("INBOX") != "INBOX" || AString("Tom & Jerry") != `"Tom & Jerry"` {
		t.Error("AString")
	}
	// As an atom, NIL is nil to a client: a name NIL must be quoted.
	if AString("NIL") != `"NIL"` || AString("nil") != `"nil"` || AString("NILS") != "NILS" {
		t.Errorf("AString of NIL: %s %s %s", AString("NIL"), AString("nil"), AString("NILS"))
	}
	if SetOf([]uint32{1, 2, 3, 5, 7, 8}) != "1:3,5,7:8" {
		t.Errorf("SetOf: %s", SetOf([]uint32{1, 2, 3, 5, 7, 8}))
	}
}

func TestQuotedEscapesAndLiterals(t *testing.T) {
	var conts int
	d := decoder("\"a\\\"b\" {3}\r\nxyz {2+}\r\nab\r\n")
	d.Continue = func() error { conts++; return nil }
	var a, b, c string
	if err := d.Parse(func() {
		a = d.AString("1")
		d.SP("2")
		b = d.AString("2")
		d.SP("3")
		c = d.AString("3")
		d.End()
	}); err != nil {
		t.Fatal(err)
	}
	if a != `a"b` || b != "xyz" || c != "ab" || conts != 1 || d.Literals() != 2 {
		t.Errorf("got %q %q %q, %d continuations", a, b, c, conts)
	}
}

func TestDateTime(t *testing.T) {
	d := decoder(`" 7-Jul-1996 02:44:25 -0700"`)
	var tm time.Time
	if err := d.Parse(func() { tm = d.DateTime("date") }); err != nil {
		t.Fatal(err)
	}
	if FormatDateTime(tm) != `" 7-Jul-1996 02:44:25 -0700"` {
		t.Errorf("round trip: %s", FormatDateTime(tm))
	}
}

func TestFetchAttsAndSearchKeys(t *testing.T) {
	d := decoder(`(FLAGS body.peek[1.2.HEADER.FIELDS (From "X-Y")]<0.100> RFC822.SIZE) OR NOT 1:3 (SEEN SUBJECT x)`)
	var atts []FetchAtt
	var keys []SearchKey
	if err := d.Parse(func() { atts = d.FetchAtts(); d.SP("keys"); keys = d.SearchKeys(); d.End() }); err != nil {
		t.Fatal(err)
	}
	if len(atts) != 3 || atts[1].Name != "BODY.PEEK" || atts[1].Section.String() != "1.2.HEADER.FIELDS (FROM X-Y)" || atts[1].Partial[1] != 100 {
		t.Errorf("atts %+v", atts)
	}
	if len(keys) != 1 || keys[0].Key != "OR" || keys[0].Sub[0].Key != "NOT" || keys[0].Sub[1].Key != "AND" || len(keys[0].Sub[1].Sub) != 2 {
		t.Errorf("keys %+v", keys)
	}
}
