//go:build !js && !wasip1

package imap

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestDovecotQresyncSelectOrder runs a SELECT (QRESYNC ...) on Dovecot and
// here after another session has added a keyword, expunged a message and
// appended one, and compares the answers line by line, in order, without
// the values that differ between servers: FLAGS and PERMANENTFLAGS come
// first, before EXISTS and UIDVALIDITY, then VANISHED (EARLIER) and a
// FETCH for each message changed since the client's mod-sequence, the new
// one included. A client that restores its cached view when UIDVALIDITY
// confirms it (as Dovecot's imaptest does) reads FLAGS before that, not
// against the cached messages' keywords.
func TestDovecotQresyncSelectOrder(t *testing.T) {
	root := t.TempDir()
	md := filepath.Join(root, "melanie")
	for _, sub := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(md, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 4 {
		name := fmt.Sprintf("%d.M%dP1.test:2,S", 1000000000+i, i)
		if err := os.WriteFile(filepath.Join(md, "cur", name), []byte(fmt.Sprintf("Subject: m%d\n\nbody\n", i+1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st, _ := loadMelanieMaildir(t, root)
	dovecot, ours := condSides(t, st, md)
	msg := "Subject: new\r\n\r\nhi\r\n"
	steps := []string{
		"A: ENABLE QRESYNC", "A: SELECT INBOX",
		"B: SELECT INBOX", "B: UID STORE 1 +FLAGS ($Plan)", `B: UID STORE 2 +FLAGS.SILENT (\Deleted)`, "B: EXPUNGE",
		fmt.Sprintf("B: APPEND INBOX {%d+}\r\n%s", len(msg), msg),
		"C: ENABLE QRESYNC",
	}
	for _, step := range steps {
		for _, side := range []*condSide{dovecot, ours} {
			side.learn(side.run(int(step[0]-'A'), step[3:]))
		}
	}
	var got [2][]string
	for i, side := range []*condSide{dovecot, ours} {
		got[i] = selectShape(side.run(2, "SELECT INBOX (QRESYNC ({V} {H0}))"))
	}
	if !slices.Equal(got[0], got[1]) {
		t.Errorf("SELECT (QRESYNC) answers differ\n Dovecot: %s\n ours:    %s", strings.Join(got[0], " | "), strings.Join(got[1], " | "))
	}
}

var reSelectCode = regexp.MustCompile(`^\* OK \[([A-Z]+)`)

// selectShape names each line of a SELECT's answer by what it is: the
// response (FLAGS with its list, PERMANENTFLAGS, EXISTS with its count,
// RECENT, a response code's name), VANISHED with its UIDs, FETCH with
// its UID and flags, and the completion with its response code.
func selectShape(lines []string) []string {
	var out []string
	for _, l := range lines {
		f := strings.Fields(l)
		switch {
		case strings.HasPrefix(l, "* FLAGS "):
			out = append(out, l[2:])
		case strings.HasPrefix(l, "* OK [PERMANENTFLAGS "):
			out = append(out, "PERMANENTFLAGS "+strings.SplitN(l[len("* OK [PERMANENTFLAGS "):], "]", 2)[0])
		case reSelectCode.MatchString(l):
			out = append(out, reSelectCode.FindStringSubmatch(l)[1])
		case strings.HasPrefix(l, "* VANISHED"):
			out = append(out, l[2:])
		case len(f) > 2 && f[2] == "FETCH":
			out = append(out, "FETCH "+strings.Join(reUID.FindStringSubmatch(l)[:1], "")+" "+reFlags.FindString(l))
		case len(f) > 2 && f[0] == "*":
			out = append(out, f[2]+" "+f[1])
		default:
			out = append(out, f[1]+" "+f[2])
		}
	}
	return out
}
