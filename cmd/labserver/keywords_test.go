package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"maillab/sim/mime/dovecottest"
)

// Forty keywords on one message survive a restart with -persist: Maildir
// has 26 letters for keywords (dovecot-keywords), the rest are kept in
// maillab-keywords. Dovecot still reads the folder: the message, with the
// keywords that have letters, and its own flags.
func TestMaildirKeywordsBeyond26SurviveRestart(t *testing.T) {
	dir, _ := writeMaildir(t)
	var kws []string
	for i := range 40 {
		kws = append(kws, fmt.Sprintf("kw%d", i))
	}
	args := []string{"-imap", "127.0.0.1:0", "-maildir", dir, "-persist"}
	l := startLab(t, testConfig(t, args...))
	c := dial(t, l.imapAddr())
	c.expect("* OK")
	c.imapDo("a1", "LOGIN kim secret123")
	sel := strings.Join(c.imapDo("a2", "SELECT INBOX"), "\n")
	if !strings.Contains(sel, `\*)] `) {
		t.Fatalf("PERMANENTFLAGS without \\*: clients may not make keywords:\n%s", sel)
	}
	c.imapDo("a3", "STORE 1 +FLAGS ("+strings.Join(kws, " ")+")")
	c.imapDo("a4", "LOGOUT")
	l.shutdown(t)

	again := startLab(t, testConfig(t, args...))
	c = dial(t, again.imapAddr())
	c.expect("* OK")
	c.imapDo("b1", "LOGIN kim secret123")
	c.imapDo("b2", "SELECT INBOX")
	got := strings.Join(c.imapDo("b3", "FETCH 1 FLAGS"), "\n")
	for _, kw := range append(kws, `\Seen`) {
		if !strings.Contains(got+" ", " "+kw+" ") && !strings.Contains(got, " "+kw+")") && !strings.Contains(got, "("+kw+" ") {
			t.Errorf("after a restart %s is missing: %s", kw, got)
		}
	}
	// A keyword removed is gone after a restart too.
	c.imapDo("b4", "STORE 1 -FLAGS (kw39)")
	c.imapDo("b5", "LOGOUT")
	again.shutdown(t)
	third := startLab(t, testConfig(t, args...))
	c = dial(t, third.imapAddr())
	c.expect("* OK")
	c.imapDo("c1", "LOGIN kim secret123")
	c.imapDo("c2", "EXAMINE INBOX")
	if got := strings.Join(c.imapDo("c3", "FETCH 1 FLAGS"), "\n"); strings.Contains(got, "kw39") || !strings.Contains(got, "kw38") {
		t.Errorf("after -FLAGS (kw39) and a restart: %s", got)
	}
	c.imapDo("c4", "LOGOUT")
	third.shutdown(t)

	if data, err := os.ReadFile(filepath.Join(dir, "kim", "maillab-keywords")); err != nil || !strings.Contains(string(data), "kw38") {
		t.Errorf("maillab-keywords: %q, %v", data, err)
	}
	d := dovecottest.Start(t, filepath.Join(dir, "kim"))
	lines, err := d.Lines("SELECT INBOX")
	if err != nil || !strings.Contains(strings.Join(lines, "\n"), "* 2 EXISTS") {
		t.Fatalf("Dovecot's SELECT: %q, %v", lines, err)
	}
	lines, err = d.Lines("FETCH 1:2 (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
	text := strings.Join(lines, "\n")
	if err != nil || !strings.Contains(text, "lesson 1") || !strings.Contains(text, "lesson 2") {
		t.Fatalf("Dovecot's FETCH: %q, %v", lines, err)
	}
	for _, kw := range []string{`\Seen`, "kw0", "kw25"} {
		if !strings.Contains(lines[0], kw) {
			t.Errorf("Dovecot does not show %s: %s", kw, lines[0])
		}
	}
}
