//go:build !js && !wasip1

package imap

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	osfs "github.com/hack-pad/hackpadfs/os"

	"maillab/sim/mailstore"
	"maillab/sim/mime/dovecottest"
)

// A SEARCH by what messages hold, over a message whose file cannot be
// read (a link to a directory in its place, which Dovecot, run as
// another user, and this server, run as root, both fail to read), is
// answered as Dovecot answers it: the SEARCH result of the others, then
// NO [SERVERBUG]; a SEARCH by numbers alone still finds the message. SORT
// by a header sorts it as an empty message and THREAD answers no threads,
// both then NO [SERVERBUG].
func TestDovecotSearchUnreadableMessage(t *testing.T) {
	msgs := [][]byte{
		[]byte("Subject: a\n\nhello one\n"),
		[]byte("Subject: b\n\nhello two\n"),
		[]byte("Subject: c\n\nhello three\n"),
	}
	dc := dovecottest.Start(t, dovecottest.WriteMaildir(t, t.TempDir(), msgs))

	// The same files in a tree of this server's, its messages left in
	// their files as labserver -maildir leaves them.
	root := t.TempDir()
	dovecottest.WriteMaildir(t, root, msgs)
	if err := os.Rename(filepath.Join(root, "Maildir"), filepath.Join(root, "melanie")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "passwd"), []byte("melanie:{PLAIN}toybox\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fsys, err := osfs.NewFS().Sub(strings.TrimPrefix(root, "/"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := mailstore.OpenMaildir(fsys, ".", 0)
	if err != nil {
		t.Fatal(err)
	}
	ours := login(t, st, "melanie", "toybox")

	for _, c := range []string{"SELECT INBOX"} {
		if _, err := dc.Lines(c); err != nil {
			t.Fatal(err)
		}
		ours.doLines("x", c)
	}
	for _, cur := range []string{filepath.Join(dc.Dir, "Maildir", "cur"), filepath.Join(root, "melanie", "cur")} {
		entries, err := os.ReadDir(cur)
		if err != nil || len(entries) != 3 {
			t.Fatalf("%s: %v %v", cur, entries, err)
		}
		file := filepath.Join(cur, entries[1].Name())
		if err := os.Remove(file); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(t.TempDir(), file); err != nil {
			t.Fatal(err)
		}
	}
	for _, cmd := range []string{"SEARCH BODY hello", "SEARCH TEXT hello", "UID SEARCH BODY hello", "SEARCH UID 2",
		"SORT (SUBJECT) UTF-8 ALL", "THREAD REFERENCES UTF-8 ALL"} {
		want, err := dc.Lines(cmd)
		if err != nil {
			t.Fatal(err)
		}
		got := ours.doLines("x", cmd)
		if searchLines(got) != searchLines(want) || completion(got) != completion(want) {
			t.Errorf("%s: ours %q, Dovecot %q", cmd, got, want)
		}
	}
}

// searchLines are the untagged SEARCH, SORT and THREAD responses among
// lines.
func searchLines(lines []string) string {
	var out []string
	for _, l := range lines {
		if strings.HasPrefix(l, "* SEARCH") || strings.HasPrefix(l, "* SORT") || strings.HasPrefix(l, "* THREAD") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "|")
}
