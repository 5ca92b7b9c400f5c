package catalog

import (
	"encoding/json"
	"io/fs"
	"maps"
	"testing"
)

// The hand-written reader reads what encoding/json reads.
func TestParseAsEncodingJSON(t *testing.T) {
	inputs := []string{
		`{}`,
		` { "a" : "b" } `,
		`{"a": "x \"quoted\" \\Seen \/ \n\t\r\b\f end", "b": "plain"}`,
		`{"u": "\u00e9\u2028 \ud83d\ude00 «ё»", "dup": "1", "dup": "2"}`,
		"{\n  \"k\": \"v\",\n  \"l\": \"w\"\n}\n",
	}
	files, _ := fs.Glob(Files, "texts/*/*.json")
	for _, f := range files {
		b, _ := fs.ReadFile(Files, f)
		inputs = append(inputs, string(b))
	}
	for _, in := range inputs {
		want := map[string]string{}
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatal(err)
		}
		got, ok := parseFlat(in)
		if !ok || !maps.Equal(got, want) {
			t.Errorf("parseFlat(%.60q) = %v, %v; want %v", in, got, ok, want)
		}
	}
}

// What the hand-written reader does not take goes to encoding/json, which
// reads it or says why not.
func TestParseFallsBack(t *testing.T) {
	if m, err := parse([]byte(`{"a": "b", "n": null}`)); err != nil || m["a"] != "b" {
		t.Errorf("null value: %v, %v", m, err)
	}
	for _, in := range []string{`{"a": 1}`, `{"a": "b",}`, `["a"]`, `{"a": "b"} x`, `{"a": "\x"}`, `{"a": "b`} {
		if _, ok := parseFlat(in); ok {
			t.Errorf("parseFlat(%q) took it", in)
		}
		if _, err := parse([]byte(in)); err == nil {
			t.Errorf("parse(%q): no error", in)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	for _, name := range []string{"pop3", "imap"} {
		b.Run(name, func(b *testing.B) {
			for range b.N {
				if _, err := Load(Files, name); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
