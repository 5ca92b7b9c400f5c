package wire

import (
	"bytes"
	"testing"
)

// RFC 3516's fetch attributes: part numbers only, a partial on BINARY
// and BINARY.PEEK, none on BINARY.SIZE.
func TestBinaryFetchAtts(t *testing.T) {
	d := decoder(`(binary.peek[1.2]<0.5> BINARY[] BINARY.SIZE[3])`)
	var atts []FetchAtt
	if err := d.Parse(func() { atts = d.FetchAtts(); d.End() }); err != nil {
		t.Fatal(err)
	}
	if len(atts) != 3 || atts[0].Name != "BINARY.PEEK" || atts[0].Section.String() != "1.2" || atts[0].Partial[1] != 5 ||
		atts[1].Name != "BINARY" || len(atts[1].Section.Parts) != 0 || atts[2].Name != "BINARY.SIZE" || atts[2].Section.String() != "3" {
		t.Errorf("atts %+v", atts)
	}
	for _, bad := range []string{"BINARY[HEADER]", "BINARY[1.TEXT]", "BINARY[0]", "BINARY[1.]", "BINARY", "BINARY.SIZE[1]<0.1>", "BINARY.FOO[1]"} {
		d := decoder(bad)
		if err := d.Parse(func() { d.FetchAtts(); d.End() }); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

// A literal8 "~{n}" carries octets with NUL; PeekLiteral sees its size
// before its octets are asked for; a NUL makes the server send one.
func TestLiteral8(t *testing.T) {
	d := decoder("~{3+}\r\na\x00b ~{200}\r\n")
	var got []byte
	var n int64
	var sync, ok bool
	if err := d.Parse(func() {
		got = d.Literal8("message")
		d.SP("next")
		n, sync, ok = d.PeekLiteral()
	}); err != nil {
		t.Fatal(err)
	}
	if string(got) != "a\x00b" || n != 200 || !sync || !ok {
		t.Errorf("got %q, then %d %v %v", got, n, sync, ok)
	}
	if !bytes.Equal(LiteralBytes8([]byte("a\x00")), []byte("~{2}\r\na\x00")) || !bytes.Equal(LiteralBytes8([]byte("ab")), []byte("{2}\r\nab")) {
		t.Error("LiteralBytes8")
	}
}
