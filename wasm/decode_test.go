package main

import (
	"os"
	"strings"
	"testing"
)

// The demo's first message, KOI8-R in an RFC 2047 subject and an 8bit body,
// decoded with the charset and encodings named.
func TestDecodeMessageKOI8R(t *testing.T) {
	raw, err := os.ReadFile("../sim/demo/maildir/melanie/cur/1209964360.M100037P1.demo,S=332,W=344!2,S")
	if err != nil {
		t.Fatal(err)
	}
	crlf := strings.ReplaceAll(string(raw), "\n", "\r\n")
	d := DecodeMessage([]byte(crlf))
	if len(d.Fields) != 1 || d.Fields[0].Name != "Subject" || d.Fields[0].Decoded != "Привет!" {
		t.Fatalf("fields = %+v, want the Subject decoded to Привет!", d.Fields)
	}
	if w := d.Fields[0].Words; len(w) != 1 || w[0].Charset != "koi8-r" || w[0].Encoding != "B" {
		t.Errorf("words = %+v, want one koi8-r B word", w)
	}
	if d.Charset != "koi8-r" || d.Encoding != "8bit" || d.Type != "text/plain" || !d.NonASCII {
		t.Errorf("part = %q %q %q nonASCII=%v", d.Type, d.Charset, d.Encoding, d.NonASCII)
	}
	if !strings.HasPrefix(d.Text, "Привет!\n") {
		t.Errorf("text = %q, want it to start Привет!", d.Text)
	}
}

func TestDecodeMessageQuotedPrintableAndBase64(t *testing.T) {
	qp := "Subject: =?utf-8?Q?Gr=C3=BC=C3=9Fe?= and more\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nGr=FC=DFe=\r\n aus Wien\r\n"
	d := DecodeMessage([]byte(qp))
	if len(d.Fields) != 1 || d.Fields[0].Decoded != "Grüße and more" || d.Fields[0].Words[0].Encoding != "Q" {
		t.Errorf("fields = %+v", d.Fields)
	}
	if d.Text != "Grüße aus Wien\n" || d.Encoding != "quoted-printable" || d.NonASCII {
		t.Errorf("text = %q (%s), nonASCII %v", d.Text, d.Encoding, d.NonASCII)
	}
	b64 := "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n0J/RgNC4\r\n0LLQtdGCIQ==\r\n"
	if d := DecodeMessage([]byte(b64)); d.Text != "Привет!" || d.Charset != "utf-8" {
		t.Errorf("base64 text = %q charset %q", d.Text, d.Charset)
	}
	if d := DecodeMessage([]byte("Content-Type: text/plain; charset=x-nothing\r\n\r\nhi\r\n")); d.Error == "" || d.Text != "" {
		t.Errorf("unknown charset: %+v", d)
	}
}
