package smtp

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Format cuts a reply line longer than RFC 5321's 510 octets on a
// character boundary, so no UTF-8 character is cut in two (it would show
// as \xNN escapes, past 510 again once written out).
func TestFormatCutOnCharacter(t *testing.T) {
	for pad := range 2 {
		r := &Reply{Code: 550, Enhanced: "5.1.1", Lines: []string{strings.Repeat("a", pad) + strings.Repeat("é", 300)}}
		for _, enhanced := range []bool{false, true} {
			for _, l := range r.Format(enhanced) {
				if len(l) > maxReplyLine-2 || len(l) < maxReplyLine-3 || !utf8.ValidString(l) {
					t.Errorf("pad %d, enhanced %v: %d octets: %q", pad, enhanced, len(l), l)
				}
			}
		}
	}
}
