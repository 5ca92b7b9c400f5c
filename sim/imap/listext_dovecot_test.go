//go:build !js && !wasip1

package imap

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"maillab/sim/mime/dovecottest"
)

// TestDovecotListExtended runs LIST-EXTENDED and LIST-STATUS commands on
// one Maildir++ tree here and in Dovecot: each must end with the same
// status, and the LIST and STATUS lines must be the same (in any order).
func TestDovecotListExtended(t *testing.T) {
	root := t.TempDir()
	md := filepath.Join(root, "melanie")
	for _, f := range []string{"", ".Work.Projects.Alpha", ".Work.Notes", ".Old", ".Old.Sub", ".Saved", ".Sent", ".Gone"} {
		for _, sub := range []string{"cur", "new", "tmp"} {
			if err := os.MkdirAll(filepath.Join(md, f, sub), 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i, f := range []string{"cur/1000000000.M1P1.test:2,S", "cur/1000000001.M1P2.test:2,", ".Saved/cur/1000000002.M1P3.test:2,F"} {
		if err := os.WriteFile(filepath.Join(md, f), []byte("Subject: "+string(rune('a'+i))+"\n\nbody\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st, _ := loadMelanieMaildir(t, root)
	dc := dovecottest.Start(t, md)
	ours := login(t, st, "melanie", "toybox")
	for _, cmd := range []string{
		// Without a subscriptions file the lab has INBOX subscribed,
		// Dovecot not: start both from the same list.
		"UNSUBSCRIBE INBOX", "SUBSCRIBE Saved", "SUBSCRIBE Work/Projects/Alpha", "SUBSCRIBE Work/Notes", "SUBSCRIBE Gone", "DELETE Gone", "SUBSCRIBE Old/Sub",
		`LIST "" (Saved Work/*)`, `LIST "" (% Old/%)`, `LIST () "" %`, `LIST (REMOTE) "" %`,
		`LIST (SUBSCRIBED) "" *`, `LIST (SUBSCRIBED) "" %`, `LIST (SUBSCRIBED RECURSIVEMATCH) "" %`,
		`LIST (SUBSCRIBED RECURSIVEMATCH) "" Work/%`, `LIST (SUBSCRIBED RECURSIVEMATCH) "" (Work Work/Notes)`,
		`LIST (SUBSCRIBED RECURSIVEMATCH) "" % RETURN (CHILDREN)`, `LIST (SUBSCRIBED REMOTE) "" *`,
		`LIST "" % RETURN (SUBSCRIBED)`, `LIST "" * RETURN (CHILDREN SUBSCRIBED)`,
		`LIST "" % RETURN (STATUS (MESSAGES UNSEEN UIDNEXT))`, `LIST "" * RETURN (STATUS (UNSEEN MESSAGES))`,
		`LIST (SUBSCRIBED) "" * RETURN (STATUS (MESSAGES))`,
		`LIST (RECURSIVEMATCH) "" %`, `LIST (REMOTE RECURSIVEMATCH) "" %`, `LIST (FROB) "" %`, `LIST "" % RETURN (FROB)`,
		`LIST "" % RETURN (STATUS (FROB))`,
	} {
		dl, err := dc.Lines(cmd)
		if err != nil {
			t.Fatal(err)
		}
		ol := ours.doLines("x", cmd)
		d, o := strings.Fields(dl[len(dl)-1])[1], strings.Fields(ol[len(ol)-1])[1]
		if d != o {
			t.Errorf("%s: Dovecot answers %s, we answer %s", cmd, dl[len(dl)-1], ol[len(ol)-1])
		}
		if d, o := listLines(dl), listLines(ol); d != o {
			t.Errorf("%s:\nDovecot says\n%s\nwe say\n%s", cmd, d, o)
		}
	}
}

// TestDovecotBinaryFetch fetches BINARY[] and BINARY.SIZE[] of every part
// of the test messages (base64 and quoted-printable parts among them)
// from Dovecot and from this server, over the same messages.
func TestDovecotBinaryFetch(t *testing.T) {
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
	for i := range files {
		n := strconv.Itoa(i + 1)
		switch filepath.Base(files[i]) {
		case "duplicates.eml":
			// Two Content-Type fields: Dovecot's BODYSTRUCTURE, as
			// ours, takes the first (text/html, base64); its binary
			// converter the last (multipart, nothing to decode).
			continue
		}
		for _, sec := range []string{"", "1", "2", "3", "1.1", "1.2", "2.1", "2.2", "3.1"} {
			if filepath.Base(files[i]) == "nested.eml" && sec == "" {
				// A message/rfc822 part in base64, which RFC 2046 5.2.1
				// forbids: Dovecot leaves its body as it is but labels
				// it binary; the lab leaves both.
				continue
			}
			cmd := "FETCH " + n + " (BINARY.SIZE[" + sec + "] BINARY.PEEK[" + sec + "] BINARY.PEEK[" + sec + "]<3.20>)"
			dr, err := dc.Do(cmd)
			if err != nil {
				t.Fatal(err)
			}
			or := responses(t, c, cmd)
			if dr[len(dr)-1].Fields[0] == dovecottest.Atom("NO") {
				// UNKNOWN-CTE: Dovecot sends "* n FETCH (UID n)" first.
				dr = dr[len(dr)-1:]
			}
			trueSizes(dr)
			// Literals and literal8s read alike: Dovecot sends every
			// decoded section as ~{n}, RFC 3516 4.2 asks for one only
			// when it holds NUL.
			d, o := fmt.Sprintf("%q", dr[:len(dr)-1]), fmt.Sprintf("%q", or[:len(or)-1])
			if dr[len(dr)-1].Fields[0] != or[len(or)-1].Fields[0] || d != o {
				at := 0
				for at < len(d) && at < len(o) && d[at] == o[at] {
					at++
				}
				t.Errorf("%s (%s): from octet %d\nDovecot says %s %v\nwe say      %s %v", cmd, filepath.Base(files[i]), at, d[max(0, at-150):], dr[len(dr)-1], o[max(0, at-150):], or[len(or)-1])
			}
		}
	}
}

// trueSizes sets BINARY.SIZE[] in Dovecot's FETCH responses to the size
// of the BINARY[] it sends with it: for a multipart or message/rfc822
// part that holds encoded parts Dovecot's BINARY.SIZE is not the size of
// its own BINARY[] (0 or a few octets off).
func trueSizes(rs []dovecottest.Response) {
	for _, r := range rs {
		if len(r.Fields) < 3 {
			continue
		}
		items, ok := r.Fields[2].([]any)
		if !ok {
			continue
		}
		for i := 0; i+1 < len(items); i += 2 {
			name, _ := items[i].(dovecottest.Atom)
			sec, ok := strings.CutPrefix(string(name), "BINARY.SIZE")
			if !ok {
				continue
			}
			for j := 0; j+1 < len(items); j += 2 {
				if items[j] == dovecottest.Atom("BINARY"+sec) {
					if data, ok := items[j+1].(string); ok {
						items[i+1] = dovecottest.Atom(strconv.Itoa(len(data)))
					}
				}
			}
		}
	}
}

// TestDovecotAppend runs the same APPENDs (MULTIAPPEND, literal8, CATENATE
// with good and bad URLs, refusals) on Dovecot and here: each must end with
// the same status and response code, and the messages stored must be the
// same octets. Where the lab answers otherwise on purpose, the difference
// is listed.
func TestDovecotAppend(t *testing.T) {
	first := []byte("From: a@example.org\nSubject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhello\n--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nAAEC/w==\n--b--\n")
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	mb, _ := u.Mailbox("INBOX")
	if _, err := mb.Append(first, nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	dc := dovecottest.Start(t, dovecottest.WriteMaildir(t, t.TempDir(), [][]byte{first}))
	c := login(t, st, "melanie", "toybox")
	msg := func(s string) string { return lit("Subject: " + s + "\r\n\r\nbody " + s + "\r\n") }
	differs := map[string]string{
		// A section that does not exist: Dovecot appends nothing for it.
		`APPEND INBOX CATENATE (TEXT ` + lit("Subject: skip-me\r\n\r\n") + ` URL "/INBOX/;UID=1/;SECTION=5")`: "OK [APPENDUID / NO [BADURL",
		// Dovecot takes only relative URLs; RFC 4469 5 allows absolute ones.
		`APPEND INBOX CATENATE (TEXT ` + lit("Subject: skip-me\r\n\r\n") + ` URL "imap://localhost/INBOX/;UID=1/;SECTION=1")`: "NO [BADURL / OK [APPENDUID",
	}
	for _, cmd := range []string{
		"APPEND INBOX " + msg("one") + " (\\Seen) " + msg("two") + ` " 7-Feb-1994 21:52:25 -0800" ` + msg("three"),
		"APPEND INBOX " + msg("four") + " " + lit(""),
		"APPEND INBOX (\\Seen) " + msg("five") + " (\\Recent) " + msg("six"),
		"APPEND Nothing " + msg("seven") + " " + msg("eight"),
		"APPEND INBOX ~" + lit("Subject: bin\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n\x00\x01\xff\r\n"),
		"APPEND INBOX ~" + lit("Subject: bin2\r\nContent-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\nContent-Transfer-Encoding: binary\r\n\r\n\x00\x01\r\n--q\r\nContent-Transfer-Encoding: BINARY\r\nContent-Type: image/png\r\n\r\n"+strings.Repeat("\x89PNG\x00", 20)+"\r\n--q--\r\n"),
		`APPEND INBOX CATENATE (URL "/INBOX/;UID=1/;SECTION=HEADER" TEXT ` + lit("new body\r\n") + `)`,
		`APPEND INBOX CATENATE (TEXT ` + lit("Subject: parts\r\n\r\n") + ` URL "/INBOX/;UID=1/;SECTION=1" URL "/INBOX/;UID=1/;SECTION=2.MIME" URL "/INBOX/;UID=1/;PARTIAL=2.20")`,
		`APPEND INBOX CATENATE (URL "/INBOX;UIDVALIDITY=1/;UID=1" TEXT ` + lit("x\r\n") + `)`,
		`APPEND INBOX CATENATE (URL "/INBOX/;UID=99")`,
		`APPEND INBOX CATENATE (URL "/Nothing/;UID=1")`,
		`APPEND INBOX CATENATE (URL "/INBOX/;UID=1/;URLAUTH=anonymous")`,
		`APPEND INBOX CATENATE (TEXT ` + lit("Subject: skip-me\r\n\r\n") + ` URL "/INBOX/;UID=1/;SECTION=5")`,
		`APPEND INBOX CATENATE (TEXT ` + lit("Subject: skip-me\r\n\r\n") + ` URL "imap://localhost/INBOX/;UID=1/;SECTION=1")`,
		`APPEND INBOX CATENATE ()`, `APPEND INBOX CATENATE (FOO x)`, "APPEND INBOX " + lit("") + " CATENATE (URL \"/INBOX/;UID=1\")",
		"APPEND INBOX CATENATE (URL \"/INBOX/;UID=1\") " + msg("nine"),
	} {
		dl, err := dc.Lines(cmd)
		if err != nil {
			t.Fatal(err)
		}
		ol := c.doLines("a", cmd)
		d, o := statusAndCode(dl[len(dl)-1]), statusAndCode(ol[len(ol)-1])
		if want, ok := differs[cmd]; ok {
			if d+" / "+o != want {
				t.Errorf("%q: the documented difference is %s; now Dovecot answers %s, we %s", cmd, want, dl[len(dl)-1], ol[len(ol)-1])
			}
			continue
		}
		if d != o {
			t.Errorf("%q: Dovecot answers %s, we answer %s", cmd, dl[len(dl)-1], ol[len(ol)-1])
		}
	}
	// Drop the messages only one side stored, then compare the rest.
	if _, err := dc.Do("SELECT INBOX"); err != nil {
		t.Fatal(err)
	}
	c.do("s", "SELECT INBOX")
	for _, q := range []string{`SEARCH HEADER Subject "skip-me"`} {
		dr, _ := dc.Do("UID " + q)
		for _, n := range dr[0].Fields[1:] {
			dc.Do("UID STORE " + string(n.(dovecottest.Atom)) + ` +FLAGS.SILENT (\Deleted)`)
		}
		for _, n := range strings.Fields(strings.TrimPrefix(c.doLines("q", "UID "+q)[0], "* SEARCH")) {
			c.do("d", "UID STORE "+n+` +FLAGS.SILENT (\Deleted)`)
		}
	}
	dc.Do("EXPUNGE")
	c.do("e", "EXPUNGE")
	dr, err := dc.Do("FETCH 1:* (FLAGS BODY.PEEK[])")
	if err != nil {
		t.Fatal(err)
	}
	or := responses(t, c, "FETCH 1:* (FLAGS BODY.PEEK[])")
	if d, o := fetched(dr), fetched(or); d != o {
		t.Errorf("the messages stored differ:\nDovecot %s\nwe      %s", d, o)
	}
}

// fetched writes FETCH responses with each FLAGS list sorted: the two
// servers list flags in different orders.
func fetched(rs []dovecottest.Response) string {
	var out []string
	for _, r := range rs {
		if len(r.Fields) == 3 {
			if items, ok := r.Fields[2].([]any); ok {
				for i := 0; i+1 < len(items); i += 2 {
					if flags, ok := items[i+1].([]any); ok && items[i] == dovecottest.Atom("FLAGS") {
						slices.SortFunc(flags, func(a, b any) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
					}
				}
			}
		}
		out = append(out, fmt.Sprintf("%q", r.Fields))
	}
	return strings.Join(out, "\n")
}

// statusAndCode is a tagged response's status and the name of its code.
func statusAndCode(line string) string {
	f := strings.Fields(line)
	if len(f) < 2 {
		return line
	}
	out := f[1]
	if len(f) > 2 && strings.HasPrefix(f[2], "[") {
		out += " " + strings.TrimSuffix(f[2], "]")
	}
	return out
}
