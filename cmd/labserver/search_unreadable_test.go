package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A message whose file cannot be read (a link to a directory in its
// place) is not searched as an empty message: SEARCH by what messages
// hold answers the others' result and NO [SERVERBUG] naming its UID, as
// Dovecot does, and a SEARCH saving "$" leaves it empty; SORT by a
// header sorts it as empty and THREAD answers nothing, both then NO
// [SERVERBUG], as Dovecot; a SEARCH by numbers finds it, a SORT by
// arrival sorts it. CATENATE of a URL naming it stores nothing and
// answers NO [SERVERBUG].
func TestMaildirUnreadableSearchAndCatenate(t *testing.T) {
	dir, files := writeMaildir(t)
	l := startLab(t, testConfig(t, "-imap", "127.0.0.1:0", "-maildir", dir, "-persist"))
	c := dial(t, l.imapAddr())
	c.expect("* OK")
	// do sends a command and returns its answer's lines, the tagged last.
	do := func(cmd string) []string { return c.imapLines("t", cmd) }
	do("LOGIN kim secret123")
	do("SELECT INBOX")
	file := filepath.Join(dir, "kim", "cur", files[1])
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(t.TempDir(), file); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ cmd, want string }{
		{"SEARCH BODY class", "* SEARCH 1|t NO [SERVERBUG] Message UID 2: "},
		{"SEARCH TEXT lesson", "* SEARCH 1|t NO [SERVERBUG] Message UID 2: "},
		{"UID SEARCH NOT BODY nowhere", "* SEARCH 1|t NO [SERVERBUG] Message UID 2: "},
		{"SEARCH SUBJECT lesson", "* SEARCH 1|t NO [SERVERBUG] Message UID 2: "},
		{"SEARCH RETURN (SAVE) BODY class", "t NO [SERVERBUG] Message UID 2: "},
		{"SEARCH $", "* SEARCH|t OK"},
		{"SEARCH UID 2", "* SEARCH 2|t OK"},
		{"SORT (SUBJECT) UTF-8 ALL", "* SORT 2 1|t NO [SERVERBUG] Message UID 2: "},
		{"SORT (REVERSE ARRIVAL) UTF-8 ALL", "* SORT 2 1|t OK"},
		{"THREAD REFERENCES UTF-8 ALL", "t NO [SERVERBUG] Message UID 2: "},
		{`APPEND INBOX CATENATE (TEXT {9}` + "\r\n" + `Subject:  URL "/INBOX/;UID=2")`, "t NO [SERVERBUG] Message UID 2 of the URL: "},
		{"STATUS INBOX (MESSAGES)", "* STATUS INBOX (MESSAGES 2)|t OK"},
		{`APPEND INBOX CATENATE (URL "/INBOX/;UID=1")`, "t OK [APPENDUID "},
	} {
		var got string
		if strings.Contains(tc.cmd, "{9}") {
			head, rest, _ := strings.Cut(tc.cmd, "\r\n")
			c.send("t " + head + "\r\n")
			c.expect("+")
			c.send(rest + "\r\n")
			got = c.line()
		} else {
			got = strings.Join(do(tc.cmd), "|")
		}
		if !strings.HasPrefix(got, tc.want) && !strings.Contains(got, "|"+tc.want) {
			t.Errorf("%s answered %q, want %q...", tc.cmd, got, tc.want)
		}
	}
}
