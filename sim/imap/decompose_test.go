package imap

import (
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// The written-out table is Unicode's NFKD of every capital letter in its
// ranges that has a decomposition, no more and no less.
func TestDecomposedTable(t *testing.T) {
	dec := decomposed()
	n := 0
	for _, rg := range [][2]rune{{0xC0, 0x24F}, {0x370, 0x4FF}, {0x1E00, 0x1EFF}} {
		for r := rg[0]; r <= rg[1]; r++ {
			want := norm.NFKD.String(string(r))
			if !unicode.IsLetter(r) || unicode.ToTitle(r) != r || want == string(r) {
				if _, ok := dec[r]; ok {
					t.Errorf("%U is in the table but has no decomposition of its own", r)
				}
				continue
			}
			n++
			if dec[r] != want {
				t.Errorf("%U decomposes to %+q, the table says %+q", r, want, dec[r])
			}
		}
	}
	if n != len(dec) || n < 300 {
		t.Errorf("%d letters decompose, the table has %d", n, len(dec))
	}
}
