//go:build !js && !wasip1

package imap

import (
	"slices"
	"strings"
	"testing"
)

// TestDovecotContextQresyncVanished: with QRESYNC enabled, expunges are
// announced by one VANISHED (RFC 7162 3.2.10), and a search kept up to
// date (RFC 5267 RETURN (UPDATE); Dovecot 2.3 offers CONTEXT=SEARCH)
// first loses the expunged messages with REMOVEFROM, one ESEARCH per
// search, numbering them as the client still knows them: sequence
// numbers from before the VANISHED for SEARCH, UIDs for UID SEARCH. The
// ESEARCH and VANISHED lines session A gets are Dovecot's, whether
// another session expunged (NOOP) or A itself (EXPUNGE, UID EXPUNGE).
func TestDovecotContextQresyncVanished(t *testing.T) {
	dc, ours := sixMessagesTwice(t)
	// The lines compared: ESEARCH and VANISHED, and the status.
	compared := func(lines []string) []string {
		var out []string
		for i, l := range lines {
			switch {
			case i == len(lines)-1:
				f := strings.Fields(l)
				out = append(out, f[1])
			case strings.HasPrefix(l, "* ESEARCH ") || strings.HasPrefix(l, "* VANISHED "):
				out = append(out, l)
			}
		}
		return out
	}
	for _, step := range []string{
		"A: ENABLE QRESYNC",
		"A: SELECT INBOX",
		"B: SELECT INBOX",
		"A: SEARCH RETURN (UPDATE) SEEN",
		"A: UID SEARCH RETURN (UPDATE ALL) ALL",
		`A: STORE 1,2,4,5 +FLAGS.SILENT (\Seen)`,
		`B: STORE 2,4 +FLAGS.SILENT (\Deleted)`,
		"B: EXPUNGE",
		"A: NOOP",
		`A: STORE 1 +FLAGS.SILENT (\Deleted)`,
		"A: EXPUNGE",
		`A: STORE 2 +FLAGS.SILENT (\Deleted)`,
		"A: UID EXPUNGE 1:*",
		`A: STORE 1 +FLAGS.SILENT (\Seen)`,
	} {
		who, dl, ol := stepOnBoth(t, dc, ours, step)
		if want, got := compared(dl), compared(ol); who == 0 && !slices.Equal(got, want) {
			t.Errorf("%s:\n Dovecot: %q\n ours:    %q", step, want, got)
		}
	}
}
