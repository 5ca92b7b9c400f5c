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

	osfs "github.com/hack-pad/hackpadfs/os"

	"maillab/sim/mailstore"
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
