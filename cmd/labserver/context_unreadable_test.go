package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A search kept up to date (CONTEXT=SEARCH, CONTEXT=SORT) does not match
// a message whose file cannot be read (a link to a directory in its
// place) as an empty message: whether it matches is unknown, as in
// SEARCH, which leaves it out and fails with NO [SERVERBUG], so it joins
// no result (NOT SUBJECT would match an empty message) when a change
// makes the server match the searches again.
func TestMaildirUnreadableContextUpdate(t *testing.T) {
	dir, files := writeMaildir(t)
	l := startLab(t, testConfig(t, "-imap", "127.0.0.1:0", "-maildir", dir, "-persist"))
	c := dial(t, l.imapAddr())
	c.expect("* OK")
	do := c.imapLines
	do("a", "LOGIN kim secret123")
	do("a", "ENABLE CONDSTORE")
	do("a", "SELECT INBOX")
	file := filepath.Join(dir, "kim", "cur", files[1])
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(t.TempDir(), file); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ tag, cmd, want string }{
		{"t1", "SEARCH RETURN (ALL UPDATE) BODY class", "* ESEARCH (TAG \"t1\") ALL 1|t1 NO [SERVERBUG]"},
		{"t2", "SEARCH RETURN (ALL UPDATE) NOT SUBJECT \"lesson 2\"", "* ESEARCH (TAG \"t2\") ALL 1|t2 NO [SERVERBUG]"},
		{"t3", "SORT RETURN (ALL UPDATE) (SUBJECT) UTF-8 BODY class", "* ESEARCH (TAG \"t3\") ALL 1|t3 NO [SERVERBUG]"},
		{"t4", "SEARCH RETURN (ALL UPDATE) FLAGGED", "* ESEARCH (TAG \"t4\")|t4 OK"},
	} {
		if got := strings.Join(do(tc.tag, tc.cmd), "|"); !strings.HasPrefix(got, tc.want) {
			t.Fatalf("%s answered %q, want %q...", tc.cmd, got, tc.want)
		}
	}
	// The readable message still joins a result: only t4's update.
	got := do("s", "STORE 1 +FLAGS (\\Flagged)")
	var updates []string
	for _, l := range got {
		if strings.Contains(l, "ESEARCH") {
			updates = append(updates, l)
		}
	}
	if u := strings.Join(updates, "|"); u != `* ESEARCH (TAG "t4") ADDTO (0 1)` {
		t.Errorf("STORE announced %q, want only t4's ADDTO (0 1): %q", u, strings.Join(got, "|"))
	}
	if last := got[len(got)-1]; !strings.HasPrefix(last, "s OK") {
		t.Errorf("STORE: %q", last)
	}
}
