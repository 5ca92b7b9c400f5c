package event

import (
	"bytes"
	"encoding/json"
	"testing"
)

// plain is Event without its MarshalJSON: what encoding/json writes from
// the field tags.
type plain Event

func TestMarshalJSONIsEncodingJSONs(t *testing.T) {
	odd := "a\"b\\c<d>&e\x00\x01\x1f\b\f\n\r\t\x7f\u2028\u2029\xff\xc3(é Привет 🙂"
	for _, e := range []Event{
		{},
		{Kind: Open, Proto: "pop3", State: "AUTHORIZATION"},
		{Kind: Client, Session: "3", Proto: "imap", State: "AUTHENTICATED", Line: "a1 LOGIN x y", Command: "LOGIN", Tag: "a1", Secret: true},
		{Kind: Server, Proto: "smtp", State: "MAIL", Line: odd, Status: "250", Code: "2.1.0"},
		{Kind: Transition, Proto: "pop3", State: "TRANSACTION", From: "AUTHORIZATION", To: "TRANSACTION", Transition: "pass-ok", Trigger: "PASS"},
		{Kind: Explain, Proto: "pop3", State: "TRANSACTION", Command: "STAT", Text: odd, Parts: []Part{{Token: "+OK", Meaning: odd}, {}}, Allowed: []string{"TRANSACTION", odd}},
		{Kind: Explain, Parts: []Part{}, Allowed: []string{}},
	} {
		want, err := json.Marshal(plain(e))
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("MarshalJSON\n got %s\nwant %s", got, want)
		}
	}
}

func FuzzMarshalJSON(f *testing.F) {
	f.Add("+OK <1.2@x> \u2028", "é\xff", true)
	f.Fuzz(func(t *testing.T, line, text string, secret bool) {
		e := Event{Kind: Server, Proto: "pop3", Line: line, Text: text, Secret: secret, Parts: []Part{{Token: line, Meaning: text}}, Allowed: []string{text}}
		want, _ := json.Marshal(plain(e))
		got, _ := e.MarshalJSON()
		if !bytes.Equal(got, want) {
			t.Errorf("MarshalJSON(%q, %q)\n got %s\nwant %s", line, text, got, want)
		}
	})
}
