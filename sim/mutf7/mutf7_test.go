package mutf7

import (
	"errors"
	"testing"
)

var pairs = []struct{ utf8, mutf7 string }{
	{"INBOX", "INBOX"},
	{"Входящие", "&BBIERQQ+BDQETwRJBDgENQ-"},
	{"Черновики", "&BCcENQRABD0EPgQyBDgEOgQ4-"},
	{"a&b", "a&-b"},
	{"&", "&-"},
	{"owatagusiam/blurdybloop", "owatagusiam/blurdybloop"},
	// RFC 3501 section 5.1.3's example.
	{"~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"},
	{"Отправленные/2024", "&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-/2024"},
	{"😀", "&2D3eAA-"},
	{"tab\there", "tab&AAk-here"},
}

func TestEncodeDecode(t *testing.T) {
	for _, p := range pairs {
		if got := Encode(p.utf8); got != p.mutf7 {
			t.Errorf("Encode(%q) = %q, want %q", p.utf8, got, p.mutf7)
		}
		got, err := Decode(p.mutf7)
		if err != nil || got != p.utf8 {
			t.Errorf("Decode(%q) = %q, %v; want %q", p.mutf7, got, err, p.utf8)
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	for _, s := range []string{
		"&",                 // unterminated
		"a&BBI",             // unterminated section
		"&BBI*-",            // "*" is not modified BASE64
		"&BBI/BEU-",         // "/" is RFC 2045's, not modified BASE64's
		"&AGE-",             // encodes printable "a"
		"&ACY-",             // encodes "&", which must be "&-"
		"&BBI-&BEU-",        // two sections in a row: not the shortest form
		"&BBJ-",             // non-zero padding bits
		"&BB-",              // half a UTF-16 unit
		"&2D0-",             // lone high surrogate
		"&3gA-",             // lone low surrogate
		"Вход",              // raw 8-bit bytes
		"a\x00b",            // control byte
		"&BBIERQQ+BDQETw=-", // "=" padding is not allowed
	} {
		if got, err := Decode(s); err == nil || !errors.Is(err, ErrInvalid) {
			t.Errorf("Decode(%q) = %q, %v; want an ErrInvalid error", s, got, err)
		}
	}
}

func FuzzRoundTrip(f *testing.F) {
	for _, p := range pairs {
		f.Add(p.utf8)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc := Encode(s)
		dec, err := Decode(enc)
		if err != nil {
			t.Fatalf("Decode(Encode(%q)) = %v", s, err)
		}
		if Encode(dec) != enc {
			t.Fatalf("Encode is not stable for %q", s)
		}
	})
}
