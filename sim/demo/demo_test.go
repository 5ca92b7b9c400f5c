package demo

import (
	"bytes"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"maillab/sim/mailstore"
	"maillab/sim/mutf7"
)

// wSize reads the CRLF size a Maildir file name records in ",W=".
var wSize = regexp.MustCompile(`,W=(\d+)`)

func TestEveryAccountLogsIn(t *testing.T) {
	s, err := Store()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range Accounts {
		if _, err := s.Authenticate(a.User, a.Password); err != nil {
			t.Errorf("%s/%s: %v", a.User, a.Password, err)
		}
		if _, err := s.Authenticate(a.User, a.Password+"x"); err == nil {
			t.Errorf("%s: a wrong password was accepted", a.User)
		}
	}
	if _, err := s.Authenticate("Smith", "sesame"); err == nil {
		t.Error("user names must be case-sensitive, as in Dovecot")
	}
	if got := len(s.Users()); got != len(Accounts) {
		t.Errorf("%d users, want %d", got, len(Accounts))
	}
}

// TestCountsAndSizes checks the store against the files: one message per
// file, each the size its name records, in file name order.
func TestCountsAndSizes(t *testing.T) {
	s, err := Store()
	if err != nil {
		t.Fatal(err)
	}
	fsys := FS()
	for _, a := range Accounts {
		u, _ := s.User(a.User)
		for _, name := range u.Mailboxes() {
			mb, err := u.Mailbox(name)
			if err != nil {
				t.Fatal(err)
			}
			dir := a.User
			if name != mailstore.Inbox {
				dir += "/." + encodeLevels(name)
			}
			var want []int
			for _, sub := range []string{"cur", "new"} {
				entries, _ := fs.ReadDir(fsys, dir+"/"+sub)
				for _, e := range entries {
					m := wSize.FindStringSubmatch(e.Name())
					n, _ := strconv.Atoi(m[1])
					want = append(want, n)
				}
			}
			msgs := mb.Messages()
			if len(msgs) != len(want) {
				t.Errorf("%s %s: %d messages, want %d", a.User, name, len(msgs), len(want))
				continue
			}
			total := 0
			for _, m := range msgs {
				total += m.Size()
				if !bytes.Contains(m.Raw(), []byte("\r\n")) || bytes.Contains(bytes.ReplaceAll(m.Raw(), []byte("\r\n"), nil), []byte("\n")) {
					t.Errorf("%s %s uid %d: not in CRLF form", a.User, name, m.UID())
				}
			}
			wantTotal := 0
			for _, n := range want {
				wantTotal += n
			}
			if total != wantTotal {
				t.Errorf("%s %s: %d octets, want %d", a.User, name, total, wantTotal)
			}
		}
	}
}

func encodeLevels(name string) string {
	levels := strings.Split(name, "/")
	for i, l := range levels {
		levels[i] = mutf7.Encode(l)
	}
	return strings.Join(levels, ".")
}

// TestLectureNumbers pins the numbers the lessons replay.
func TestLectureNumbers(t *testing.T) {
	s, err := Store()
	if err != nil {
		t.Fatal(err)
	}
	status := func(user, box string) mailstore.Status {
		u, _ := s.User(user)
		mb, err := u.Mailbox(box)
		if err != nil {
			t.Fatalf("%s %s: %v", user, box, err)
		}
		return mb.Status()
	}
	// RFC 1939: "mrose's maildrop has 2 messages (320 octets)".
	if st := status("mrose", "INBOX"); st.Messages != 2 || st.Size != 320 {
		t.Errorf("mrose INBOX: %+v, want 2 messages, 320 octets", st)
	}
	// The lecture: STATUS inbox (MESSAGES 1 RECENT 0 UNSEEN 0), STATUS newbox
	// (MESSAGES 1 UNSEEN 0 UIDNEXT 2), UIDVALIDITY 936033227.
	if st := status("alex", "INBOX"); st.Messages != 1 || st.Recent != 0 || st.Unseen != 0 || st.UIDValidity != 936033227 || st.UIDNext != 2 {
		t.Errorf("alex INBOX: %+v", st)
	}
	if st := status("alex", "newbox"); st.Messages != 1 || st.Unseen != 0 || st.UIDNext != 2 {
		t.Errorf("alex newbox: %+v", st)
	}
	// The message in new/ is \Recent; RFC 3501's UIDVALIDITY 3857529045.
	if st := status("SMITH", "INBOX"); st.Recent != 1 || st.UIDValidity != 3857529045 {
		t.Errorf("SMITH INBOX: %+v", st)
	}
	u, _ := s.User("SMITH")
	if _, err := u.Mailbox("owatagusiam/blurdybloop"); err == nil {
		t.Error("SMITH must not have owatagusiam/blurdybloop: RFC 3501's CREATE example makes it")
	}
	if err := u.CreateMailbox("owatagusiam/blurdybloop"); err != nil {
		t.Error(err)
	}
	u, _ = s.User("smith")
	mb, err := u.Mailbox("Sent")
	if err != nil || mb.SpecialUse() != `\Sent` {
		t.Errorf("smith Sent: %v, special use %q", err, mb.SpecialUse())
	}
	// The inosmi.ru test message the lecture retrieves with RETR 5.
	mel, _ := s.User("melanie")
	inbox, _ := mel.Mailbox("INBOX")
	msgs := inbox.Messages()
	if len(msgs) != 5 || !bytes.Contains(msgs[4].Raw(), []byte("Subject: test message\r\n")) {
		t.Error("melanie's message 5 is not the lecture's inosmi.ru test message")
	}
}

func TestKOI8Subject(t *testing.T) {
	s, err := Store()
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, a := range Accounts {
		u, _ := s.User(a.User)
		inbox, _ := u.Mailbox("INBOX")
		for _, m := range inbox.Messages() {
			if bytes.Contains(m.Raw(), []byte("Subject: =?koi8-r?B?")) {
				found++
			}
		}
	}
	if found == 0 {
		t.Error("no RFC 2047 KOI8-R subject in any INBOX")
	}
}

func TestStoreIsFresh(t *testing.T) {
	a, _ := Store()
	b, _ := Store()
	u, _ := a.User("melanie")
	inbox, _ := u.Mailbox("INBOX")
	if _, err := inbox.Remove(inbox.UIDs(), false, nil); err != nil {
		t.Fatal(err)
	}
	u, _ = b.User("melanie")
	inbox, _ = u.Mailbox("INBOX")
	if n := len(inbox.UIDs()); n != 5 {
		t.Errorf("a change to one demo store reached another: %d messages left", n)
	}
}

// TestTheTreeIsAsTheStoreWritesIt: the demo tree holds every file the
// store writes when it starts keeping a tree (each mailbox's
// maillab-modseq, its cur/, new/ and tmp/), so that a first visit's
// start writes nothing; those writes had been a quarter of it.
func TestTheTreeIsAsTheStoreWritesIt(t *testing.T) {
	fsys, err := memTree()
	if err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, fsys)
	s, err := mailstore.LoadMaildir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	s.SetPersister(mailstore.NewMaildirPersister(fsys, "."))
	after := snapshot(t, fsys)
	for p, v := range after {
		if w, ok := before[p]; !ok {
			t.Errorf("the store added %s: %q", p, v)
		} else if w != v {
			t.Errorf("the store rewrote %s:\n%q\nwas\n%q", p, v, w)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			t.Errorf("the store removed %s", p)
		}
	}
}

// snapshot maps each path of fsys to its content and the time it was
// written ("/" for a directory).
func snapshot(t *testing.T, fsys fs.FS) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			out[p] = "/"
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		out[p] = string(b) + " @" + info.ModTime().Format(time.RFC3339Nano)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
