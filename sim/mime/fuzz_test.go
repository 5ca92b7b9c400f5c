package mime

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"maillab/sim/mime/dovecottest"
)

// FuzzParse feeds arbitrary messages through Parse and everything FETCH
// reads from the result: nothing may panic, every part must lie where its
// offsets say, and ENVELOPE and BODYSTRUCTURE must stay well-formed IMAP.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.eml")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(toCRLF(b))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		e, err := Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{e.Envelope(), e.BodyStructure(true), e.BodyStructure(false)} {
			if _, err := dovecottest.ParseValue(s); err != nil {
				t.Fatalf("malformed output %q: %v", s, err)
			}
		}
		e.Text(HeaderText)
		e.Text(BodyText)
		var walk func(p *Entity, path []int)
		walk = func(p *Entity, path []int) {
			if !bytes.Equal(raw[p.Offset:p.Offset+len(p.Raw)], p.Raw) {
				t.Fatalf("part %v is not at its offset", path)
			}
			for _, spec := range []string{"", "MIME", "HEADER", "TEXT", "HEADER.FIELDS"} {
				e.Section(path, spec, []string{"subject"})
			}
			for i, c := range p.Parts {
				walk(c, append(path[:len(path):len(path)], i+1))
			}
			if p.Message != nil {
				walk(p.Message, path)
			}
		}
		walk(e, nil)
	})
}
