package pop3

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// A reply line longer than RFC 2449's 510 octets (here the greeting, its
// APOP timestamp holding a long host name in UTF-8) is cut on a
// character boundary: a UTF-8 character cut in two would show as \xNN
// escapes and take the line past 510 again.
func TestReplyCutOnCharacter(t *testing.T) {
	for pad := range 3 {
		host := strings.Repeat("a", pad) + strings.Repeat("é", 300)
		k := dial(t, Options{Store: newStore(t), Hostname: host})
		got := k.line()
		if len(got) > maxReplyLine-2 || len(got) < maxReplyLine-3 || !utf8.ValidString(got) || strings.Contains(got, `\x`) {
			t.Errorf("pad %d: %d octets: %q", pad, len(got), got)
		}
		k.cmd("QUIT")
	}
}
