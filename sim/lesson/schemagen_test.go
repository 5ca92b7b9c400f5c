package lesson

import (
	"bytes"
	"os"
	"testing"
)

// TestSchemaIsGeneratedFromTheRegistry fails when a protocol, a state or a
// transition was added without regenerating lessons/schema.json.
func TestSchemaIsGeneratedFromTheRegistry(t *testing.T) {
	committed, err := os.ReadFile("../../lessons/schema.json")
	if err != nil {
		t.Fatal(err)
	}
	gen, err := Schema(committed)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gen, committed) {
		t.Fatal("lessons/schema.json differs from what the protocol registry makes of it; run: go run ./cmd/labctl schema -w lessons/schema.json")
	}
	for _, want := range []string{`"pop3"`, `"imap"`, `"authorization"`, `"selected"`, `"5r"`} {
		if !bytes.Contains(gen, []byte(want)) {
			t.Errorf("the generated schema lacks %s", want)
		}
	}
}
