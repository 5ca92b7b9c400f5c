package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A file the store cannot write, one whose name holds CR LF: the tagged
// NO [SERVERBUG] of STORE and EXPUNGE is one line with a fixed text,
// naming no file, so that no name on the disk can add a line to the
// answer; the log says what failed.
func TestIMAPServerBugNamesNoPath(t *testing.T) {
	dir, files := writeMaildir(t)
	// Message 2's file, renamed by another program, has CR LF in its name.
	evil := "1700000002.M2P1.lab\r\n* BYE injected"
	if err := os.Rename(filepath.Join(dir, "kim", "cur", files[1]), filepath.Join(dir, "kim", "cur", evil+":2,")); err != nil {
		t.Fatal(err)
	}
	l := startLab(t, testConfig(t, "-imap", "127.0.0.1:0", "-maildir", dir, "-persist"))
	c := dial(t, l.imapAddr())
	c.expect("* OK")
	c.send("a LOGIN kim secret123\r\n")
	c.expect("a OK")
	c.send("b SELECT INBOX\r\n")
	for l := c.line(); !strings.HasPrefix(l, "b "); l = c.line() {
	}
	c.send("b STORE 2 +FLAGS.SILENT (\\Deleted)\r\n")
	c.expect("b OK")
	// Its file becomes a directory that is not empty: EXPUNGE cannot
	// remove it.
	// cur/ keeps its time, so the server does not look again.
	cur := filepath.Join(dir, "kim", "cur")
	st, err := os.Stat(cur)
	if err != nil {
		t.Fatal(err)
	}
	defer os.Chtimes(cur, st.ModTime(), st.ModTime())
	file := filepath.Join(cur, evil+":2,T")
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(file, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(cur, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	// The folder's modseq file becomes a directory: the store cannot
	// record a change.
	modseq := filepath.Join(dir, "kim", "maillab-modseq")
	if err := os.Remove(modseq); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if err := os.Mkdir(modseq, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"STORE 1 +FLAGS (\\Flagged)", "EXPUNGE"} {
		c.send("c " + cmd + "\r\nd NOOP\r\n")
		var lines []string
		for {
			l := c.line()
			lines = append(lines, l)
			if strings.HasPrefix(l, "d ") {
				break
			}
		}
		var tagged string
		for _, l := range lines {
			if strings.HasPrefix(l, "* BYE") || strings.Contains(l, "injected") || strings.Contains(l, "modseq") || strings.Contains(l, "kim/") {
				t.Errorf("%s: the answer names the disk: %q", cmd, l)
			}
			if strings.HasPrefix(l, "c ") {
				tagged = l
			}
		}
		t.Logf("%q", lines)
		if !strings.HasPrefix(tagged, "c NO [SERVERBUG] ") {
			t.Errorf("%s answered %q, want NO [SERVERBUG]", cmd, lines)
		}
	}
	if log := l.log.String(); !strings.Contains(log, "maillab-modseq") {
		t.Errorf("the log does not say which file failed:\n%s", log)
	}
}
