//go:build !js && !wasip1

package mailstore

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hack-pad/hackpadfs"
	osfs "github.com/hack-pad/hackpadfs/os"

	"maillab/sim/mime/dovecottest"
	"maillab/sim/mutf7"
)

// osDir is a hackpadfs view of a new temporary directory.
func osDir(t *testing.T) (hackpadfs.FS, string) {
	t.Helper()
	dir := t.TempDir()
	fsys, err := osfs.NewFS().Sub(strings.TrimPrefix(dir, "/"))
	if err != nil {
		t.Fatal(err)
	}
	return fsys, dir
}

// dovecotMessage is what Dovecot reports of one message. Internal dates
// are not compared: dovecottest copies the tree, which resets the files'
// modification times (the mem FS tests check dates).
type dovecotMessage struct {
	uid   uint32
	flags []string
	size  int
}

var (
	uidValidityRe = regexp.MustCompile(`\[UIDVALIDITY (\d+)\]`)
	uidNextRe     = regexp.MustCompile(`\[UIDNEXT (\d+)\]`)
)

func imapName(name string) string {
	levels := strings.Split(name, Delimiter)
	for i, l := range levels {
		levels[i] = mutf7.Encode(l)
	}
	return `"` + strings.Join(levels, Delimiter) + `"`
}

// examine asks Dovecot for a mailbox's UIDVALIDITY, UIDNEXT and messages.
func examine(t *testing.T, c *dovecottest.Conn, name string) (validity, next uint32, msgs []dovecotMessage) {
	t.Helper()
	resp, err := c.Do("EXAMINE " + imapName(name))
	if err != nil {
		t.Fatalf("EXAMINE %s: %v", name, err)
	}
	for _, r := range resp {
		if m := uidValidityRe.FindStringSubmatch(r.Text); m != nil {
			n, _ := strconv.ParseUint(m[1], 10, 32)
			validity = uint32(n)
		}
		if m := uidNextRe.FindStringSubmatch(r.Text); m != nil {
			n, _ := strconv.ParseUint(m[1], 10, 32)
			next = uint32(n)
		}
	}
	resp, err = c.Do("FETCH 1:* (UID FLAGS RFC822.SIZE)")
	if err != nil {
		t.Fatalf("FETCH in %s: %v", name, err)
	}
	for _, r := range resp {
		if r.Tag != "*" || len(r.Fields) != 3 || r.Fields[1] != dovecottest.Atom("FETCH") {
			continue
		}
		list, _ := r.Fields[2].([]any)
		var m dovecotMessage
		for i := 0; i+1 < len(list); i += 2 {
			name, _ := list[i].(dovecottest.Atom)
			switch v := list[i+1]; name {
			case "UID":
				n, _ := strconv.ParseUint(string(v.(dovecottest.Atom)), 10, 32)
				m.uid = uint32(n)
			case "RFC822.SIZE":
				m.size, _ = strconv.Atoi(string(v.(dovecottest.Atom)))
			case "FLAGS":
				for _, f := range v.([]any) {
					if f := string(f.(dovecottest.Atom)); f != FlagRecent {
						m.flags = append(m.flags, f)
					}
				}
				m.flags = NormalizeFlags(m.flags)
			}
		}
		msgs = append(msgs, m)
	}
	return validity, next, msgs
}

func listNames(t *testing.T, c *dovecottest.Conn, command string) []string {
	t.Helper()
	resp, err := c.Do(command + ` "" "*"`)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range resp {
		if r.Tag == "*" && len(r.Fields) == 4 {
			name, err := mutf7.Decode(fmt.Sprint(r.Fields[3]))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// compareWithDovecot checks that Dovecot, reading the tree of one user,
// sees the mailboxes, subscriptions, UIDVALIDITY, UIDNEXT, UIDs, flags,
// sizes and internal dates the store holds.
func compareWithDovecot(t *testing.T, s *Store, user string, c *dovecottest.Conn) {
	t.Helper()
	u, _ := s.User(user)
	var listed []string
	for _, e := range u.List() {
		listed = append(listed, e.Name)
	}
	slices.Sort(listed)
	if got := listNames(t, c, "LIST"); !slices.Equal(got, listed) {
		t.Errorf("Dovecot lists %v, the store %v", got, listed)
	}
	want := u.Mailboxes()
	subs := u.Subscriptions()
	slices.Sort(subs)
	if got := listNames(t, c, "LSUB"); !slices.Equal(got, subs) {
		t.Errorf("Dovecot's subscriptions %v, the store's %v", got, subs)
	}
	for _, name := range want {
		mb, _ := u.Mailbox(name)
		st := mb.Status()
		validity, next, msgs := examine(t, c, name)
		if validity != st.UIDValidity || next != st.UIDNext {
			t.Errorf("%s: Dovecot UIDVALIDITY %d UIDNEXT %d, the store %d %d", name, validity, next, st.UIDValidity, st.UIDNext)
		}
		var ours []dovecotMessage
		for _, m := range mb.Messages() {
			flags, _ := mb.Flags(m.UID())
			ours = append(ours, dovecotMessage{m.UID(), flags, m.Size()})
		}
		if fmt.Sprint(msgs) != fmt.Sprint(ours) {
			t.Errorf("%s:\n Dovecot   %v\n the store %v", name, msgs, ours)
		}
	}
}

// TestDovecotReadsWhatWeWrite saves a store, changes it through the
// persister, and lets Dovecot read the tree.
func TestDovecotReadsWhatWeWrite(t *testing.T) {
	s, err := LoadMaildir(handMade(t, "."), ".")
	if err != nil {
		t.Fatal(err)
	}
	fsys, root := osDir(t)
	if err := SaveMaildir(s, fsys, "."); err != nil {
		t.Fatal(err)
	}
	s.SetPersister(NewMaildirPersister(fsys, "."))
	u, _ := s.User("anna")
	inbox := mailbox(t, s, "anna", "INBOX")
	if _, err := inbox.Append([]byte("Subject: appended\n\nhello\n"), []string{"Later", `\Seen`}, day); err != nil {
		t.Fatal(err)
	}
	if _, err := inbox.Append([]byte("Subject: new\n\n.\n"), nil, day.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := inbox.StoreFlags([]uint32{4}, FlagsAdd, []string{`\Answered`, "Work"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := inbox.Remove([]uint32{3}, true, nil); err != nil {
		t.Fatal(err)
	}
	if err := u.CreateMailbox("Работа/Отчёты"); err != nil {
		t.Fatal(err)
	}
	rep := mailbox(t, s, "anna", "Работа/Отчёты")
	if _, err := rep.Append([]byte("Subject: report\n\nx\n"), []string{`\Flagged`}, day); err != nil {
		t.Fatal(err)
	}
	if err := u.Subscribe("Работа/Отчёты"); err != nil {
		t.Fatal(err)
	}
	c := dovecottest.Start(t, filepath.Join(root, "anna"))
	compareWithDovecot(t, s, "anna", c)
}

// TestWeReadWhatDovecotWrites lets Dovecot change a tree we wrote (append,
// flags, a new keyword, expunge, a new folder, a subscription) and loads
// the result: UIDs, UIDVALIDITY and flags must be the ones Dovecot gives.
func TestWeReadWhatDovecotWrites(t *testing.T) {
	s, err := LoadMaildir(handMade(t, "."), ".")
	if err != nil {
		t.Fatal(err)
	}
	fsys, root := osDir(t)
	if err := SaveMaildir(s, fsys, "."); err != nil {
		t.Fatal(err)
	}
	c := dovecottest.Start(t, filepath.Join(root, "anna"))
	for _, cmd := range []string{
		"SELECT INBOX",
		`STORE 1 +FLAGS (\Flagged Zeta)`,
		`STORE 2 -FLAGS (\Seen)`,
		`STORE 3 +FLAGS (\Deleted)`,
		"EXPUNGE",
		`APPEND INBOX (\Seen Omega) "09-May-2008 00:10:14 +0000" {19+}` + "\r\nSubject: dv\r\n\r\nok\r\n",
		`CREATE "&BCcENQRABD0EPgQyBDgEOgQ4-/2024"`,
		`SUBSCRIBE "&BCcENQRABD0EPgQyBDgEOgQ4-/2024"`,
		`APPEND "&BCcENQRABD0EPgQyBDgEOgQ4-/2024" {19+}` + "\r\nSubject: dv\r\n\r\nok\r\n",
		"NOOP",
	} {
		resp, err := c.Do(cmd)
		if err != nil || len(resp) == 0 || resp[len(resp)-1].Fields[0] != dovecottest.Atom("OK") {
			t.Fatalf("%s: %v %v", cmd, resp, err)
		}
	}
	// What Dovecot says now is the truth the tree must carry.
	dvState := map[string]string{}
	for _, name := range []string{"INBOX", "Черновики/2024", "Sent"} {
		v, n, msgs := examine(t, c, name)
		dvState[name] = fmt.Sprint(v, n, msgs)
	}
	if _, err := c.Do("LOGOUT"); err != nil {
		t.Fatal(err)
	}
	// Load Dovecot's copy, beside a passwd file.
	back := t.TempDir()
	if err := os.CopyFS(filepath.Join(back, "anna"), os.DirFS(filepath.Join(c.Dir, "Maildir"))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(back, "passwd"), []byte("anna:{PLAIN}secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bfs, err := osfs.NewFS().Sub(strings.TrimPrefix(back, "/"))
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadMaildir(bfs, ".")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range dvState {
		mb := mailbox(t, loaded, "anna", name)
		st := mb.Status()
		var ours []dovecotMessage
		for _, m := range mb.Messages() {
			flags, _ := mb.Flags(m.UID())
			ours = append(ours, dovecotMessage{m.UID(), flags, m.Size()})
		}
		// Dovecot updates N in dovecot-uidlist lazily (its index holds
		// the truth), so UIDNEXT is left out.
		got := fmt.Sprint(st.UIDValidity, 0, ours)
		wantNoNext := regexp.MustCompile(`^(\d+) \d+ `).ReplaceAllString(want, "$1 0 ")
		if got != wantNoNext {
			t.Errorf("%s:\n Dovecot      %s\n LoadMaildir  %s", name, wantNoNext, got)
		}
	}
	if got := mailbox(t, loaded, "anna", "INBOX").UIDs(); !slices.Equal(got, []uint32{1, 2, 4, 5}) {
		t.Errorf("INBOX UIDs after Dovecot's expunge and append: %v, want [1 2 4 5]", got)
	}
	m, _ := mailbox(t, loaded, "anna", "INBOX").Flags(1)
	if !slices.Contains(m, "Zeta") || !slices.Contains(m, `\Flagged`) {
		t.Errorf("flags Dovecot stored: %v", m)
	}
	u, _ := loaded.User("anna")
	if !slices.Contains(u.Subscriptions(), "Черновики/2024") {
		t.Errorf("subscriptions %v lack Dovecot's new one", u.Subscriptions())
	}
}
