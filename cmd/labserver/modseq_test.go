package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// highestModSeq is the HIGHESTMODSEQ among lines.
func highestModSeq(t *testing.T, lines []string) string {
	t.Helper()
	re := regexp.MustCompile(`HIGHESTMODSEQ (\d+)`)
	for _, l := range lines {
		if m := re.FindStringSubmatch(l); m != nil {
			return m[1]
		}
	}
	t.Fatalf("no HIGHESTMODSEQ in %q", lines)
	return ""
}

// With -persist the mod-sequences survive a restart: after a STORE and an
// EXPUNGE, a client that saw HIGHESTMODSEQ before them resynchronizes with
// SELECT QRESYNC against the restarted server and is told exactly what
// changed and what vanished; the next change gets a higher mod-sequence
// than any given before. A message put into new/ while the server was
// stopped gets a new mod-sequence too.
func TestModSeqSurvivesRestart(t *testing.T) {
	dir, _ := writeMaildir(t)
	args := []string{"-maildir", dir, "-persist", "-imap", "127.0.0.1:0"}
	l := startLab(t, testConfig(t, args...))
	c := dial(t, l.imapAddr())
	c.line()
	c.imapDo("a1", "LOGIN kim secret123")
	c.imapDo("a2", "ENABLE QRESYNC")
	sel := c.imapDo("a3", "SELECT INBOX")
	h0 := highestModSeq(t, sel)
	validity := regexp.MustCompile(`\[UIDVALIDITY (\d+)\]`).FindStringSubmatch(strings.Join(sel, "\n"))[1]
	c.imapDo("a4", `UID STORE 2 +FLAGS.SILENT (\Flagged)`)
	c.imapDo("a5", `UID STORE 1 +FLAGS.SILENT (\Deleted)`)
	c.imapDo("a6", "EXPUNGE")
	h1 := highestModSeq(t, c.imapDo("a7", "STATUS INBOX (HIGHESTMODSEQ)"))
	c.imapDo("a8", "LOGOUT")
	l.shutdown(t)
	if !exists(filepath.Join(dir, "kim", "maillab-modseq")) {
		t.Fatal("no maillab-modseq file in the Maildir")
	}

	l = startLab(t, testConfig(t, args...))
	c = dial(t, l.imapAddr())
	c.line()
	c.imapDo("b1", "LOGIN kim secret123")
	c.imapDo("b2", "ENABLE QRESYNC")
	got := c.imapDo("b3", "SELECT INBOX (QRESYNC ("+validity+" "+h0+"))")
	if h := highestModSeq(t, got); h != h1 {
		t.Errorf("HIGHESTMODSEQ after the restart %s, before it %s", h, h1)
	}
	text := strings.Join(got, "\n")
	if !strings.Contains(text, "* VANISHED (EARLIER) 1\n") || !regexp.MustCompile(`\* 1 FETCH \(UID 2 FLAGS \(\\Flagged\) MODSEQ \(\d+\)\)`).MatchString(text) {
		t.Errorf("SELECT QRESYNC from %s after the restart:\n%s", h0, text)
	}
	if strings.Count(text, " FETCH ") != 1 {
		t.Errorf("only UID 2 changed:\n%s", text)
	}
	c.imapDo("b4", "LOGOUT")
	l.shutdown(t)

	// Mail dropped into new/ while the server is stopped.
	if err := os.WriteFile(filepath.Join(dir, "kim", "new", "1800000000.M1P1.other"), []byte("Subject: meanwhile\n\nx\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	l = startLab(t, testConfig(t, args...))
	c = dial(t, l.imapAddr())
	c.line()
	c.imapDo("c1", "LOGIN kim secret123")
	c.imapDo("c2", "ENABLE QRESYNC")
	got = c.imapDo("c3", "SELECT INBOX (QRESYNC ("+validity+" "+h1+"))")
	text = strings.Join(got, "\n")
	if h := atoi(highestModSeq(t, got)); h <= atoi(h1) {
		t.Errorf("HIGHESTMODSEQ %d did not grow past %s for the new message", h, h1)
	}
	if !strings.Contains(text, "(UID 3 FLAGS (") || strings.Contains(text, "UID 2 FLAGS") || strings.Contains(text, "VANISHED") {
		t.Errorf("SELECT QRESYNC from %s: want only the new message, UID 3:\n%s", h1, text)
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
