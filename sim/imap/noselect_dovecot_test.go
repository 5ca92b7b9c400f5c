//go:build !js && !wasip1

package imap

import (
	"os"
	"path/filepath"
	"testing"

	"maillab/sim/mime/dovecottest"
)

// TestDovecotOpenNoMailbox opens names that are no mailboxes, here and in
// Dovecot on the same Maildir++ tree: a \Noselect level (".Work.Projects.Alpha"
// alone makes Work and Work/Projects levels LIST shows) and a name that is
// nothing. SELECT, EXAMINE and STATUS fail with NO and no response code,
// DELETE and RENAME with NO [NONEXISTENT], in both.
func TestDovecotOpenNoMailbox(t *testing.T) {
	root := t.TempDir()
	md := filepath.Join(root, "melanie")
	for _, f := range []string{"", ".Work.Projects.Alpha"} {
		for _, sub := range []string{"cur", "new", "tmp"} {
			if err := os.MkdirAll(filepath.Join(md, f, sub), 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	st, _ := loadMelanieMaildir(t, root)
	dc := dovecottest.Start(t, md)
	ours := login(t, st, "melanie", "toybox")
	for _, cmd := range []string{
		`LIST "" *`, "SELECT Work", "EXAMINE Work/Projects", "STATUS Work (MESSAGES)", "SELECT INBOX", "SELECT Work/Projects",
		"SELECT Nope", "EXAMINE Nope", "STATUS Nope (MESSAGES)", "DELETE Nope", "RENAME Nope Other",
	} {
		dl, err := dc.Lines(cmd)
		if err != nil {
			t.Fatal(err)
		}
		ol := ours.doLines("x", cmd)
		if d, o := statusAndCode(dl[len(dl)-1]), statusAndCode(ol[len(ol)-1]); d != o {
			t.Errorf("%s: Dovecot answers %s, we answer %s", cmd, dl[len(dl)-1], ol[len(ol)-1])
		}
	}
}
