//go:build !js && !wasip1

package imap

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hack-pad/hackpadfs"
	osfs "github.com/hack-pad/hackpadfs/os"

	"maillab/sim/mailstore"
	"maillab/sim/mime/dovecottest"
)

// TestDovecotSearchDifferential runs the same SEARCH commands on Dovecot
// and on this server, over the same messages in the same order, and
// compares the message numbers each finds. Dates of arrival differ between
// the two (Dovecot takes the file's), so BEFORE/ON/SINCE are left out;
// SENT* use the Date header and are compared.
func TestDovecotSearchDifferential(t *testing.T) {
	files, err := filepath.Glob("../mime/testdata/*.eml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test messages: %v", err)
	}
	slices.Sort(files)
	var lf [][]byte
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	mb, _ := u.Mailbox("INBOX")
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lf = append(lf, []byte(strings.ReplaceAll(string(raw), "\r\n", "\n")))
		if _, err := mb.Append(raw, nil, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	dc := dovecottest.Start(t, dovecottest.WriteMaildir(t, t.TempDir(), lf))
	if _, err := dc.Do("EXAMINE INBOX"); err != nil {
		t.Fatal(err)
	}
	c := login(t, st, "melanie", "toybox")
	c.do("e", "EXAMINE INBOX")
	queries := []string{
		"ALL", "UNSEEN", "SEEN", "NEW", "1:3", "5:*", "NOT 2:4", "OR 1 3",
		`SUBJECT "lunch"`, `SUBJECT "Привет"`, `FROM "alice"`, `FROM "example.org"`, `TO "bob"`, `CC "recipients"`,
		`BCC "pete"`, `HEADER "Message-ID" "example"`, `HEADER "MIME-Version" ""`, `HEADER "X-None" ""`,
		`BODY "лекция"`, `BODY "вторая лекция"`, `BODY "аудитории"`, `TEXT "report.pdf"`, `BODY "Lunch"`, `TEXT "Lunch"`, `TEXT "ivan@example.ru"`, `TEXT "Иван"`,
		"LARGER 500", "SMALLER 300", "LARGER 200 SMALLER 1000",
		"SENTBEFORE 18-Sep-2026", "SENTON 19-Sep-2026", "SENTSINCE 15-Sep-2026",
		`OR SUBJECT "lunch" BODY "лекция"`, `NOT (FROM "alice" SMALLER 2000)`, `UID 2:4,7`,
		// Sequence sets past the last message; UID sets, where "*" is
		// always the highest UID (RFC 3501 6.4.8).
		"40:*", "*:40", "*:20", "20:*", "*", "NOT 40:*", "OR 40:* 1", "UID 40:*", "UID *", "30:40",
		// TEXT covers the parts' MIME headers, BODY does not.
		`TEXT "dot.png"`, `BODY "dot.png"`, `TEXT "data.bin"`, `TEXT "long-file"`, `TEXT "attachment"`,
		`BODY "attachment"`, `TEXT "Content-Type: image"`, `TEXT "Content-Transfer-Encoding"`, `BODY "base64"`,
		// Address keys match the addresses as ENVELOPE reads them,
		// written back: comments dropped, names quoted where needed
		// and decoded, <> around every address, groups as "name: ...;".
		`FROM "user-from@domain.org"`, `FROM "comment"`, `FROM "before"`, `FROM "<user-from@domain.org>"`,
		`SUBJECT "comment"`, `HEADER "From" "comment"`, `TO "Odd"`, `TO "x.example"`, `TO "INVALID_ROUTE"`,
		`CC "group2:;"`, `CC "group:;, group2"`, `CC "foo"`, `BCC "g3: <a@example.org>"`, `BCC "c1"`, `BCC "c2"`,
		`BCC "MISSING_MAILBOX@MISSING_DOMAIN>;"`, `BCC "g6:;"`, `BCC "after@"`,
		`TO "Ján Novák <jan"`, `TO "=?utf-8"`, `TO "\"john q\"@example.com"`, `FROM "\"Mary Smith\" <mary"`,
		`FROM "Mary Smith"`, `CC "\"Last, First\" <first"`, `TO "<c@a.test>, <joe"`, `TO "\"A Group\": "`,
		`BCC "Pete Smith"`, `BCC "<@relay.test,@hop.test:route@host.test>"`, `CC "Undisclosed"`, `FROM ", "`,
		`TO "boss"`, `TO "trailing"`, `FROM "Иван Петров <ivan"`,
	}
	for _, q := range queries {
		cmd := "SEARCH CHARSET UTF-8 " + q
		if !strings.ContainsFunc(q, func(r rune) bool { return r > 127 }) {
			cmd = "SEARCH " + q
		} else {
			cmd = literalize(q)
		}
		resp, err := dc.Do(cmd)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, r := range resp {
			if r.Tag == "*" && len(r.Fields) > 0 && r.Fields[0] == dovecottest.Atom("SEARCH") {
				for _, n := range r.Fields[1:] {
					want = append(want, string(n.(dovecottest.Atom)))
				}
			}
		}
		out := c.do("q", cmd)
		got := strings.Fields(strings.TrimPrefix(strings.SplitN(out, "\r\n", 2)[0], "* SEARCH"))
		if !slices.Equal(got, want) {
			t.Errorf("%s: Dovecot finds %v, we find %v", cmd, want, got)
		}
	}
}

// literalize sends the 8-bit strings of a query as LITERAL+ literals, as
// RFC 3501 requires for 8-bit search strings.
func literalize(q string) string {
	var b strings.Builder
	b.WriteString("SEARCH CHARSET UTF-8 ")
	parts := strings.Split(q, `"`)
	for i, p := range parts {
		if i%2 == 0 {
			b.WriteString(p)
			continue
		}
		fmt.Fprintf(&b, "{%d+}\r\n%s", len(p), p)
	}
	return b.String()
}

// TestDovecotTwoSessions plays the same commands in two sessions of one
// user on Dovecot and here. Every untagged response each client receives
// must be consistent with what it was told before (clientView), each
// command must end with the same status, and after NOOP both clients must
// see the same messages on both servers.
func TestDovecotTwoSessions(t *testing.T) {
	appendNew := "APPEND INBOX {27+}\r\nSubject: new\r\n\r\nnew body\r\n"
	scripts := []struct {
		name  string
		steps []string // "A: cmd" or "B: cmd"
	}{
		{"append and expunge unseen", []string{
			"B: " + appendNew, `B: STORE 9 +FLAGS.SILENT (\Deleted)`, "B: EXPUNGE", "A: NOOP"}},
		{"expunge old and new", []string{
			"B: " + appendNew, "B: " + appendNew, `B: STORE 1,9 +FLAGS.SILENT (\Deleted)`, "B: EXPUNGE", "A: NOOP"}},
		{"own expunge meanwhile", []string{
			`A: STORE 2 +FLAGS.SILENT (\Deleted)`, "B: " + appendNew, `B: STORE 9 +FLAGS.SILENT (\Deleted)`,
			"B: UID EXPUNGE 9", "A: EXPUNGE"}},
		{"expunge held during fetch", []string{
			`B: STORE 3 +FLAGS.SILENT (\Deleted)`, "B: EXPUNGE", "A: FETCH 1:2 UID", "A: SEARCH ALL", "A: NOOP"}},
		{"copy and store of an expunged message", []string{
			"B: CREATE Other", `B: STORE 2 +FLAGS.SILENT (\Deleted)`, "B: EXPUNGE",
			`A: STORE 1:3 +FLAGS.SILENT (\Seen)`, "A: COPY 1:3 Other", "A: STATUS Other (MESSAGES)",
			`B: STORE 2 +FLAGS.SILENT (\Deleted)`, "B: EXPUNGE", "A: UID MOVE 3 Other", "A: MOVE 1 Other"}},
		{"new keywords", []string{
			"A: STORE 1 +FLAGS (Work)", "B: NOOP", "B: STORE 2 +FLAGS.SILENT (Work $Later)", "A: NOOP",
			"A: APPEND INBOX ($Note) {21+}\r\nSubject: m\r\n\r\nbody\r\n", "B: NOOP", "B: STORE 3 +FLAGS (Work)"}},
		{"a keyword fetched before NOOP", []string{
			"B: STORE 1 +FLAGS.SILENT (Fresh)", "A: UID FETCH 1:* (FLAGS)", "B: STORE 2 +FLAGS.SILENT (Fresher)",
			"A: FETCH 2 (FLAGS)", "B: STORE 3 FLAGS.SILENT (Freshest)", "A: STORE 3 +FLAGS (\\Seen)", "B: NOOP"}},
		{"fetch of an expunged message", []string{
			`B: STORE 2 +FLAGS.SILENT (\Deleted)`, "B: EXPUNGE", "A: FETCH 1:3 RFC822.SIZE", "A: FETCH 1:3 BODY.PEEK[]",
			"A: FETCH 1:3 (UID FLAGS)", "A: UID FETCH 1:* (BODY.PEEK[HEADER] FLAGS)"}},
		{"search of an expunged message", []string{
			`B: STORE 2 +FLAGS.SILENT (\Deleted)`, "B: EXPUNGE", "A: SEARCH TEXT text", "A: SORT (SUBJECT) UTF-8 TEXT text",
			"A: THREAD REFERENCES UTF-8 TEXT text", "A: SEARCH RETURN (COUNT) TEXT text", "A: SEARCH 1:3",
			"A: SORT (ARRIVAL) UTF-8 1:3"}},
	}
	// Where the answers differ on purpose. A FETCH naming a message another
	// session expunged answers OK on both servers, for the others. Dovecot
	// gives what its index still holds of the gone message (UID, flags)
	// and NIL for the rest, with [EXPUNGEISSUED] only when it had to give
	// NIL; we leave the message out, as NIL data would be invented, and
	// always say [EXPUNGEISSUED].
	// SEARCH and SORT say [EXPUNGEISSUED] when a message they had to
	// read was gone, on both servers; a key of numbers alone (SEARCH 1:3)
	// still finds it. Sorting or threading it needs its data: Dovecot
	// takes what its index holds, we leave it out and say so.
	differs := map[string]string{"A: FETCH 1:3 (UID FLAGS)": "OK / OK [EXPUNGEISSUED]",
		"A: THREAD REFERENCES UTF-8 TEXT text": "OK / OK [EXPUNGEISSUED]",
		"A: SORT (ARRIVAL) UTF-8 1:3":          "OK / OK [EXPUNGEISSUED]"}
	for _, sc := range scripts {
		t.Run(sc.name, func(t *testing.T) {
			st := newStore(t, 1000)
			u := addUser(t, st, "melanie", "toybox")
			fill(t, u, "INBOX", 8)
			var lf [][]byte
			for i := 0; i < 8; i++ {
				lf = append(lf, []byte(strings.ReplaceAll(string(message("message", "text")), "\r\n", "\n")))
			}
			dcA := dovecottest.Start(t, dovecottest.WriteMaildir(t, t.TempDir(), lf))
			dc := []*dovecottest.Conn{dcA, dcA.Open(t)}
			ours := []*conn{login(t, st, "melanie", "toybox"), login(t, st, "melanie", "toybox")}
			views := map[string]*clientView{}
			run := func(who int, cmd string) (dovecotStatus, ourStatus string) {
				t.Helper()
				dl, err := dc[who].Lines(cmd)
				if err != nil {
					t.Fatal(err)
				}
				ol := ours[who].doLines("x", cmd)
				for server, lines := range map[string][]string{"dovecot": dl, "ours": ol} {
					key := server + " " + "AB"[who:who+1]
					if views[key] == nil {
						views[key] = &clientView{name: key}
					}
					for _, l := range lines {
						if err := views[key].apply(l); err != nil {
							t.Fatalf("%s: %v\n%s", cmd, err, strings.Join(lines, "\n"))
						}
					}
				}
				if d, o := flagsLine(dl), flagsLine(ol); d != o {
					t.Errorf("%s: Dovecot sends FLAGS %q, we send %q", cmd, d, o)
				}
				return completion(dl), completion(ol)
			}
			run(0, "SELECT INBOX")
			run(1, "SELECT INBOX")
			for _, s := range sc.steps {
				who := int(s[0] - 'A')
				cmd := strings.TrimPrefix(s[1:], ": ")
				d, o := run(who, cmd)
				if want, ok := differs[s]; ok {
					if d+" / "+o != want {
						t.Errorf("%s: Dovecot answers %s, we answer %s; the documented difference is %s", s, d, o, want)
					}
				} else if d != o {
					t.Errorf("%s: Dovecot answers %s, we answer %s", s, d, o)
				}
			}
			for who := range ours {
				run(who, "NOOP")
				run(who, "FETCH 1:* UID")
				key := "AB"[who : who+1]
				if d, o := views["dovecot "+key], views["ours "+key]; !slices.Equal(d.uids, o.uids) {
					t.Errorf("session %s: Dovecot shows UIDs %v, we show %v", key, d.uids, o.uids)
				}
			}
		})
	}
}

// completion is a tagged response's status and response code: "OK",
// "NO [EXPUNGEISSUED]". Codes carrying data (COPYUID, APPENDUID) are
// shortened to their name.
func completion(lines []string) string {
	f := strings.Fields(lines[len(lines)-1])
	out := f[1]
	if len(f) > 2 && strings.HasPrefix(f[2], "[") {
		out += " " + strings.TrimSuffix(f[2], "]")
		if !strings.HasSuffix(out, "]") {
			out += "]"
		}
	}
	return out
}

// flagsLine is the FLAGS response among lines, its flags sorted (Dovecot
// lists keywords in the order they were defined, we alphabetically), or "".
func flagsLine(lines []string) string {
	for _, l := range lines {
		if list, ok := strings.CutPrefix(l, "* FLAGS ("); ok {
			f := strings.Fields(strings.TrimSuffix(list, ")"))
			slices.Sort(f)
			return strings.Join(f, " ")
		}
	}
	return ""
}

// TestDovecotMailboxCommands loads one Maildir++ tree here and in Dovecot
// and runs the same mailbox commands on both: each must end with the same
// status (OK, NO or BAD), and the LIST, LSUB and STATUS lines must be the
// same (in any order). The tree has levels without folders of their own
// (".Work.Projects.Alpha" alone), a folder with children, and a folder
// named NIL.
func TestDovecotMailboxCommands(t *testing.T) {
	root := t.TempDir()
	md := filepath.Join(root, "melanie")
	for _, f := range []string{"", ".Work.Projects.Alpha", ".Old", ".Old.Sub", ".Saved", ".NIL", ".Archive.2023"} {
		for _, sub := range []string{"cur", "new", "tmp"} {
			if err := os.MkdirAll(filepath.Join(md, f, sub), 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.WriteFile(filepath.Join(md, "cur", "1000000000.M1P1.test:2,S"), []byte("Subject: one\n\nbody\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	st, _ := loadMelanieMaildir(t, root)
	dc := dovecottest.Start(t, md)
	ours := login(t, st, "melanie", "toybox")
	// Where the answers differ on purpose.
	differs := map[string]string{
		// Dovecot's list index still shows a deleted mailbox with children
		// as selectable (SELECT then fails); RFC 3501 6.3.4 says it stays
		// as a \Noselect name.
		`LIST "" Old*`: `* LIST (\HasChildren) "/" Old` + "\n" + `* LIST (\HasNoChildren) "/" Old/Sub` +
			" / " + `* LIST (\HasNoChildren) "/" Old/Sub` + "\n" + `* LIST (\Noselect \HasChildren) "/" Old`,
	}
	// Where the response codes differ on purpose: Dovecot's first, then
	// the lab's (a command given twice, DELETE Old, is refused once).
	codeDiffers := map[string]string{
		// RFC 9051 6.3.5: refusing to delete a name with inferior names,
		// the NO SHOULD carry HASCHILDREN. The name exists, as a
		// \Noselect level LIST shows, so Dovecot's NONEXISTENT
		// (RFC 5530: deleting what does not exist) does not fit.
		"DELETE Old":  "NO [NONEXISTENT] / NO [HASCHILDREN]",
		"DELETE Work": "NO [NONEXISTENT] / NO [HASCHILDREN]",
		// Dovecot gives no code where RFC 5530's CANNOT fits exactly:
		// "the operation violates some invariant of the server and can
		// never succeed" (its example is a CREATE of a name the server
		// cannot have). Dovecot itself says CANNOT for other names it
		// cannot have ("/top", "p//q", "w2/").
		`CREATE "bad&utf7"`:            "NO / NO [CANNOT]",
		`CREATE "&AGE-"`:               "NO / NO [CANNOT]",
		"CREATE \"a\tb\"":              "NO / NO [CANNOT]",
		`CREATE "&AC4ALg-"`:            "NO / NO [CANNOT]",
		`SELECT "bad&utf7"`:            "NO / NO [CANNOT]",
		`STATUS "bad&utf7" (MESSAGES)`: "NO / NO [CANNOT]",
		`RENAME Saved "&Jjo"`:          "NO / NO [CANNOT]",
		"RENAME Saved Saved/Sub":       "NO / NO [CANNOT]",
		"DELETE INBOX":                 "NO / NO [CANNOT]",
	}
	for _, cmd := range []string{
		`LIST "" *`, `LIST "" %`, `LIST "" Work/%`, "SELECT Work/Projects", "STATUS Work (MESSAGES)", "EXAMINE Work",
		"CREATE Work/Projects", `LIST "" Work/*`, "SELECT Work/Projects", "UNSELECT",
		"DELETE Old", `LIST "" Old*`, "SELECT Old", "STATUS Old (MESSAGES)", "DELETE Old", "DELETE Work",
		"SUBSCRIBE INBOX", "SUBSCRIBE Archive/2023", "SUBSCRIBE NIL",
		`LSUB "" Archive`, `LSUB "" *e`, `LSUB "" %e`, `LSUB "" %`, `LSUB "" Arch%`, `LSUB "" *`,
		`LIST "" In%`, `LIST "" *x`, `LIST "" inb*`, `LIST "in" "box"`, `LIST "" *BOX`, `LIST "" *b*`,
		`LIST "" NIL`, `LSUB "" NIL`, "STATUS NIL (MESSAGES)", "STATUS nil (MESSAGES)",
		`CREATE "bad&utf7"`, `CREATE "&AGE-"`, "CREATE \"a\tb\"", `CREATE "&AC4ALg-"`, `SELECT "bad&utf7"`,
		`STATUS "bad&utf7" (MESSAGES)`, `RENAME Saved "&Jjo"`, `LIST "" "bad&utf7"`,
		"RENAME Saved INBOX", "RENAME Saved Saved/Sub", "RENAME Saved Kept", `LIST "" K*`, `LIST "" Sa*`,
		// CREATE leaves missing superior levels \Noselect; RENAME moves
		// what lies below a \Noselect level and makes none of the new
		// name's levels mailboxes; CREATE makes a level a mailbox.
		"CREATE a/b/c", `LIST "" a*`, "SELECT a/b", "STATUS a (MESSAGES)", "DELETE a/b/c", `LIST "" a*`,
		"CREATE a/b/c", "RENAME a/b x/y/z", `LIST "" x*`, `LIST "" a*`, "RENAME a x", "RENAME x/y w", `LIST "" *w*`,
		"CREATE w", "RENAME w/z w2/c", `LIST "" w*`, "RENAME Kept w2/c/c", "RENAME Kept w2", `LIST "" w*`, "SUBSCRIBE w2",
		"CREATE INBOX", "CREATE inbox", "CREATE w2", "CREATE w2/", "CREATE /top", "CREATE p//q", "DELETE INBOX", "DELETE nothere",
		"RENAME nothere x", "RENAME w2 w", "SUBSCRIBE nothere", "UNSUBSCRIBE nothere", "UNSUBSCRIBE w2", "UNSUBSCRIBE w2",
		"APPEND nothere {1+}\r\nx", "EXAMINE nothere", "SELECT INBOX", "COPY 1 nothere", "MOVE 1 nothere", "COPY 1 Work",
		"COPY 9 w", "CLOSE", "SELECT nothere", "RENAME INBOX inbox", "DELETE w/", "CREATE NIL", "STATUS nothere (MESSAGES)",
		"RENAME w2/ w3", "RENAME w2 w3/", "SUBSCRIBE w2/", "SELECT w2/", "STATUS w2/ (MESSAGES)", "CREATE q/", "DELETE q/", "DELETE q",
		"UNSUBSCRIBE w2/", "SUBSCRIBE Old", "SELECT INBOX", "COPY 1 w2/", "MOVE 1 w2/", "CLOSE", "APPEND w2/ {1+}\r\nx",
	} {
		dl, err := dc.Lines(cmd)
		if err != nil {
			t.Fatal(err)
		}
		ol := ours.doLines("x", cmd)
		d, o := statusCode(dl[len(dl)-1]), statusCode(ol[len(ol)-1])
		if want, ok := codeDiffers[cmd]; ok && d != o {
			if d+" / "+o != want {
				t.Errorf("%s: the documented difference is %s; now Dovecot answers %s, we %s", cmd, want, dl[len(dl)-1], ol[len(ol)-1])
			}
			d = o
		}
		if want, ok := differs[cmd]; ok && !strings.Contains(want, "\n") {
			if d+" / "+o != want {
				t.Errorf("%s: the documented difference is %s; now Dovecot answers %s, we %s", cmd, want, dl[len(dl)-1], ol[len(ol)-1])
			}
			continue
		}
		if d != o {
			t.Errorf("%s: Dovecot answers %s, we answer %s", cmd, dl[len(dl)-1], ol[len(ol)-1])
		}
		d, o = listLines(dl), listLines(ol)
		if want, ok := differs[cmd]; ok {
			if d+" / "+o != want {
				t.Errorf("%s: the documented difference is\n%s\nnow Dovecot says\n%s\nand we say\n%s", cmd, want, d, o)
			}
		} else if d != o {
			t.Errorf("%s:\nDovecot says\n%s\nwe say\n%s", cmd, d, o)
		}
	}
}

// statusCode is a tagged response's status and response code, if any:
// "NO [ALREADYEXISTS]", "OK [READ-WRITE]", "BAD".
func statusCode(line string) string {
	f := strings.SplitN(line, " ", 3)
	if len(f) < 2 {
		return line
	}
	if len(f) == 3 && strings.HasPrefix(f[2], "[") {
		if end := strings.IndexByte(f[2], ']'); end > 0 {
			code, _, _ := strings.Cut(f[2][:end+1], " ") // [BADCHARSET (...)] → [BADCHARSET
			return f[1] + " " + strings.TrimSuffix(code, "]") + "]"
		}
	}
	return f[1]
}

// listLines are the LIST, LSUB and STATUS responses among lines, sorted.
func listLines(lines []string) string {
	var out []string
	for _, l := range lines {
		for _, p := range []string{"* LIST ", "* LSUB ", "* STATUS "} {
			if strings.HasPrefix(l, p) {
				out = append(out, withoutMarks(l))
			}
		}
	}
	slices.Sort(out)
	return strings.Join(out, "\n")
}

// withoutMarks drops \Marked and \UnMarked from a LIST line: Dovecot
// names them when it happens to know from the Maildir's directory times
// whether mail arrived since the last look (a matter of timing between
// the test's writes), and the lab, like RFC 3501 allows, never names
// them.
func withoutMarks(l string) string {
	if !strings.HasPrefix(l, "* LIST (") {
		return l
	}
	for _, a := range []string{`\Marked`, `\UnMarked`, `\Unmarked`} {
		l = strings.Replace(l, " "+a, "", 1)
		l = strings.Replace(l, a+" ", "", 1)
		l = strings.Replace(l, a, "", 1)
	}
	return l
}

// TestDovecotLongCommandLine: a command line over the limit (a UID set as
// Python's imaplib writes it for 15,000 messages) gets a tagged BAD from
// Dovecot ("Too long argument"), and the session goes on; the lab answers
// with the same tag and status, and goes on too.
func TestDovecotLongCommandLine(t *testing.T) {
	var set []string
	for i := 1; i < 30000; i += 2 {
		set = append(set, fmt.Sprint(i))
	}
	long := "UID FETCH " + strings.Join(set, ",") + " (FLAGS)"
	if len(long) <= maxLineLength {
		t.Fatalf("the line is only %d octets", len(long))
	}
	dc := dovecottest.Start(t, dovecottest.WriteMaildir(t, t.TempDir(), [][]byte{message("a", "b")}))
	if _, err := dc.Do("SELECT INBOX"); err != nil {
		t.Fatal(err)
	}
	dvLines, err := dc.Lines(long)
	if err != nil {
		t.Fatal(err)
	}
	dvNoop, _ := dc.Lines("NOOP")
	dv := completion(dvLines)
	if !strings.HasPrefix(dvLines[len(dvLines)-1], "d2 BAD ") || completion(dvNoop) != "OK" {
		t.Fatalf("Dovecot answered %q, then %q", dvLines, dvNoop)
	}

	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	fill(t, u, "INBOX", 1)
	c := login(t, st, "melanie", "toybox")
	c.do("s", "SELECT INBOX")
	got := c.doLines("f1", long)
	if completion(got) != dv || !strings.HasPrefix(got[len(got)-1], "f1 BAD Command line longer than 65536 octets") {
		t.Errorf("lab answered %q; Dovecot %q", got, dvLines)
	}
	c.run(`
		C: f2 NOOP
		S: f2 OK NOOP completed
	`)
	// A line whose first word is no tag: the answer is untagged.
	c.send("(bad " + strings.Repeat("x", maxLineLength))
	c.expect("* BAD Command line longer than 65536 octets; send long arguments as literals {n}")
	c.do("f3", "NOOP")
}

// startDovecotLogin runs a private Dovecot master with its imap-login
// process on a free port of 127.0.0.1, without TLS and with nothing read
// from /etc/dovecot, and returns its address. Only what happens before
// login is asked of it: it has no users.
func startDovecotLogin(t *testing.T) string {
	t.Helper()
	const master = "/usr/sbin/dovecot"
	for _, f := range []string{master, "/usr/lib/dovecot/imap-login"} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("no %s (make apt-deps installs dovecot-imapd): %v", f, err)
		}
	}
	dir, err := os.MkdirTemp("", "imap-login")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	conf := fmt.Sprintf(`base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
instance_name = imap-login-%[2]d
listen = 127.0.0.1
ssl = no
protocols = imap
disable_plaintext_auth = no
passdb {
  driver = static
  args = nopassword=no password=
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = %[2]d
  }
  inet_listener imaps {
    port = 0
  }
}
`, dir, port)
	if os.Geteuid() != 0 {
		u, err := user.Current()
		if err != nil {
			t.Fatal(err)
		}
		g, err := user.LookupGroupId(u.Gid)
		if err != nil {
			t.Fatal(err)
		}
		conf += fmt.Sprintf("default_internal_user = %[1]s\ndefault_login_user = %[1]s\ndefault_internal_group = %[2]s\n", u.Username, g.Name)
	}
	if err := os.WriteFile(filepath.Join(dir, "dovecot.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(master, "-F", "-c", filepath.Join(dir, "dovecot.conf"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return addr
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "dovecot.log"))
			t.Fatalf("dovecot does not listen on %s: %v\n%s", addr, err, log)
		}
	}
}

// dovecotAnswer sends line to a fresh imap-login connection and returns
// what Dovecot answers until it closes the connection or is quiet for
// a while; closed says whether it closed it.
func dovecotAnswer(t *testing.T, addr, line string) (lines []string, closed bool) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if g, err := r.ReadString('\n'); err != nil || !strings.HasPrefix(g, "* OK") {
		t.Fatalf("greeting %q, %v", g, err)
	}
	if _, err := c.Write([]byte(line + "\r\n")); err != nil {
		t.Fatal(err)
	}
	for {
		c.SetReadDeadline(time.Now().Add(time.Second))
		l, err := r.ReadString('\n')
		if l != "" {
			lines = append(lines, strings.TrimRight(l, "\r\n"))
		}
		if err != nil {
			return lines, !os.IsTimeout(err)
		}
	}
}

// TestDovecotLiteralTooLargeBeforeLogin compares the answer to a literal
// over the limit before login with Dovecot's imap-login (limit 8 KiB: its
// longest line). For a non-synchronizing literal both answer an untagged
// BYE and close the connection. A synchronizing one Dovecot treats the
// same way; this server answers BAD without "+", which RFC 3501 allows
// (the client sends nothing more), and the session goes on.
func TestDovecotLiteralTooLargeBeforeLogin(t *testing.T) {
	addr := startDovecotLogin(t)
	for _, tc := range []struct {
		line    string
		bye     bool // this server's answer: BYE and close
		dvClose bool
	}{
		{"a1 LOGIN {999999999999+}", true, true},
		{"a1 LOGIN {9000+}", true, true},
		{"a1 LOGIN user {99999999999999999999999+}", true, true},
		{"a1 LOGIN {999999999999}", false, true},
	} {
		dv, dvClosed := dovecotAnswer(t, addr, tc.line)
		if len(dv) == 0 || !strings.HasPrefix(dv[0], "* BYE ") || dvClosed != tc.dvClose {
			t.Errorf("%s: Dovecot answered %q (closed %v)", tc.line, dv, dvClosed)
		}
		c := dial(t, Options{Store: newStore(t, 1000)})
		c.expect("* OK ...")
		c.send(tc.line)
		got := c.line()
		if tc.bye {
			if !strings.HasPrefix(got, "* BYE ") {
				t.Errorf("%s: lab answered %q; Dovecot %q", tc.line, got, dv)
			}
			c.wait()
			continue
		}
		if !strings.HasPrefix(got, "a1 BAD ") {
			t.Errorf("%s: lab answered %q", tc.line, got)
		}
		c.do("a2", "NOOP")
	}
}

// twin plays the same commands in sessions of one user on Dovecot and on
// this server, over the same messages: sessions are named by a letter and
// opened on first use, each logged in and with nothing selected.
type twin struct {
	t     *testing.T
	md    string
	st    *mailstore.Store
	first *dovecottest.Conn
	dc    map[byte]*dovecottest.Conn
	ours  map[byte]*conn
}

// newTwin puts msgs (CRLF) in INBOX on both servers, in order.
func newTwin(t *testing.T, msgs ...[]byte) *twin {
	t.Helper()
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	mb, _ := u.Mailbox("INBOX")
	var lf [][]byte
	for _, m := range msgs {
		if _, err := mb.Append(m, nil, time.Time{}); err != nil {
			t.Fatal(err)
		}
		lf = append(lf, []byte(strings.ReplaceAll(string(m), "\r\n", "\n")))
	}
	return &twin{t: t, md: dovecottest.WriteMaildir(t, t.TempDir(), lf), st: st,
		dc: map[byte]*dovecottest.Conn{}, ours: map[byte]*conn{}}
}

// do runs cmd in session who on both servers and returns the lines each
// answered, the tagged one last.
func (tw *twin) do(who byte, cmd string) (dovecot, ours []string) {
	tw.t.Helper()
	if tw.dc[who] == nil {
		if tw.first == nil {
			tw.first = dovecottest.Start(tw.t, tw.md)
			tw.dc[who] = tw.first
		} else {
			tw.dc[who] = tw.first.Open(tw.t)
		}
		tw.ours[who] = login(tw.t, tw.st, "melanie", "toybox")
	}
	dl, err := tw.dc[who].Lines(cmd)
	if err != nil {
		tw.t.Fatal(err)
	}
	return dl, tw.ours[who].doLines("x", cmd)
}

// TestDovecotRecent: \Recent goes to one session only, the first
// read-write one to learn of a message (RFC 3501 2.3.2). The answers that
// show it (SELECT's and EXAMINE's RECENT, STATUS (RECENT), \Recent in
// FLAGS) must be Dovecot's, in four sessions: one that selects, one that
// appends, one that only examines or asks STATUS, one that comes later.
func TestDovecotRecent(t *testing.T) {
	appendNew := "APPEND INBOX {20+}\r\nSubject: m\r\n\r\nbody\r\n"
	m := message("message", "text")
	tw := newTwin(t, m, m, m)
	// known is the RECENT count each client was last told (Dovecot sends
	// RECENT only when it changes).
	known := map[string]string{}
	for _, step := range []string{
		"E: STATUS INBOX (MESSAGES RECENT)", "A: SELECT INBOX", "E: STATUS INBOX (MESSAGES RECENT)",
		"B: " + appendNew, "E: STATUS INBOX (MESSAGES RECENT)", "C: EXAMINE INBOX", "C: NOOP",
		"A: NOOP", "E: STATUS INBOX (RECENT)", "C: NOOP", "C: FETCH 1:* FLAGS", "A: FETCH 1:* FLAGS",
		"B: " + appendNew, "E: STATUS INBOX (RECENT)", "D: SELECT INBOX", "E: STATUS INBOX (RECENT)",
		"A: NOOP", "A: FETCH 1:* FLAGS", "C: NOOP", "C: FETCH 1:* FLAGS", "D: FETCH 1:* FLAGS",
		"B: SELECT INBOX", "B: " + appendNew, "D: NOOP", "A: NOOP", "B: FETCH 1:* FLAGS",
		"C: EXAMINE INBOX", "A: LOGOUT", "E: STATUS INBOX (RECENT)", "D: LOGOUT", "E: SELECT INBOX",
	} {
		who, cmd := step[0], step[3:]
		dl, ol := tw.do(who, cmd)
		for server, lines := range map[string][]string{"dovecot": dl, "ours": ol} {
			for _, l := range lines {
				if n, ok := strings.CutSuffix(l, " RECENT"); ok {
					known[server+step[:1]] = strings.TrimPrefix(n, "* ")
				}
			}
		}
		if d, o := known["dovecot"+step[:1]], known["ours"+step[:1]]; d != o {
			t.Errorf("%s: Dovecot's client knows %s recent, ours %s\n%s\n%s", step, d, o, strings.Join(dl, "\n"), strings.Join(ol, "\n"))
		}
		if d, o := recentLines(dl), recentLines(ol); d != o {
			t.Errorf("%s:\nDovecot says\n%s\nwe say\n%s", step, d, o)
		}
	}
}

// recentLines are the STATUS responses among lines and the FETCH
// responses that show \Recent.
func recentLines(lines []string) string {
	var out []string
	for _, l := range lines {
		if strings.HasPrefix(l, "* STATUS ") || strings.Contains(l, " FETCH ") && strings.Contains(l, `\Recent`) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestDovecotSubscriptions: the subscriptions file in the Maildir is read
// and written as Dovecot 2.3 does, so one folder gives the same LSUB
// answers from both servers. A tree without the file subscribes nothing
// (not even INBOX); after every command both servers' files hold the
// same octets; and each server reads the file the other wrote.
func TestDovecotSubscriptions(t *testing.T) {
	root := t.TempDir()
	md := filepath.Join(root, "melanie")
	for _, f := range []string{"", ".Work", ".Work.Sub", ".&BB8EQAQ4BDIENQRC-", ".Old"} {
		for _, sub := range []string{"cur", "new", "tmp"} {
			if err := os.MkdirAll(filepath.Join(md, f, sub), 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	st, fsys := loadMelanieMaildir(t, root)
	st.SetPersister(mailstore.NewMaildirPersister(fsys, "."))
	dc := dovecottest.Start(t, md)
	ours := login(t, st, "melanie", "toybox")
	file := func(dir string) string {
		b, err := os.ReadFile(filepath.Join(dir, "subscriptions"))
		if errors.Is(err, fs.ErrNotExist) {
			return "(no file)"
		}
		return string(b)
	}
	for _, cmd := range []string{
		`LSUB "" *`, "SUBSCRIBE Work", "SUBSCRIBE inbox", "SUBSCRIBE Work/Sub", `SUBSCRIBE "&BB8EQAQ4BDIENQRC-"`,
		"SUBSCRIBE Nonexistent", "SUBSCRIBE Work", "UNSUBSCRIBE INBOX", "SUBSCRIBE INBOX", "SUBSCRIBE Old",
		"DELETE Old", "RENAME Work/Sub Work/Moved", `LSUB "" *`, `LSUB "" %`, `LSUB "" Work/%`, `LSUB "" O*`,
		"UNSUBSCRIBE Nonexistent", "UNSUBSCRIBE Work", `LSUB "" %`, `LSUB "" *`,
	} {
		dl, err := dc.Lines(cmd)
		if err != nil {
			t.Fatal(err)
		}
		ol := ours.doLines("x", cmd)
		if d, o := strings.Fields(dl[len(dl)-1])[1], strings.Fields(ol[len(ol)-1])[1]; d != o {
			t.Errorf("%s: Dovecot answers %s, we answer %s", cmd, dl[len(dl)-1], ol[len(ol)-1])
		}
		if d, o := listLines(dl), listLines(ol); d != o {
			t.Errorf("%s:\nDovecot says\n%s\nwe say\n%s", cmd, d, o)
		}
		if d, o := file(filepath.Join(dc.Dir, "Maildir")), file(md); d != o {
			t.Errorf("after %s Dovecot's subscriptions file holds %q, ours %q", cmd, d, o)
		}
	}
	// Each reads the other's file: Dovecot ours, we Dovecot's.
	fromOurs := dovecottest.Start(t, md)
	dl, err := fromOurs.Lines(`LSUB "" *`)
	if err != nil {
		t.Fatal(err)
	}
	root2 := t.TempDir()
	if err := os.CopyFS(filepath.Join(root2, "melanie"), os.DirFS(filepath.Join(dc.Dir, "Maildir"))); err != nil {
		t.Fatal(err)
	}
	st2, _ := loadMelanieMaildir(t, root2)
	ol := login(t, st2, "melanie", "toybox").doLines("x", `LSUB "" *`)
	if d, o := listLines(dl), listLines(ol); d != o || d == "" {
		t.Errorf("Dovecot reading our file says\n%s\nwe reading Dovecot's say\n%s", d, o)
	}
}

// loadMelanieMaildir gives the Maildir++ tree below root a passwd with
// melanie (password toybox) and loads it as labserver -maildir does; it
// returns the store and the tree's file system, for a persister.
func loadMelanieMaildir(t *testing.T, root string) (*mailstore.Store, hackpadfs.FS) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(root, "passwd"), []byte("melanie:{PLAIN}toybox\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fsys, err := osfs.NewFS().Sub(strings.TrimPrefix(root, "/"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := mailstore.LoadMaildir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	return st, fsys
}
