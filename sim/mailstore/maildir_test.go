package mailstore

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hack-pad/hackpadfs"
	"github.com/hack-pad/hackpadfs/mem"
)

func newFS(t *testing.T) *mem.FS {
	t.Helper()
	fsys, err := mem.NewFS()
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

// put writes a file, creating its directory, with the given modification time.
func put(t *testing.T, fsys hackpadfs.FS, p, data string, mtime time.Time) {
	t.Helper()
	if err := hackpadfs.MkdirAll(fsys, path.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := hackpadfs.WriteFullFile(fsys, p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	if !mtime.IsZero() {
		if err := hackpadfs.Chtimes(fsys, p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
}

var day = time.Date(2008, 5, 9, 0, 10, 14, 0, time.UTC)

const msgLF = "From: olga@pds.sut.ru\nSubject: one\n\nLine one\nLine two\n"

// handMade builds the tree the load tests read: LF and CRLF files, flags,
// keywords, new/ and cur/, nested and Cyrillic folders, a uidlist, and
// subscriptions in the old one-name-per-line form.
func handMade(t *testing.T, dir string) *mem.FS {
	fsys := newFS(t)
	p := func(rest string) string { return path.Join(dir, rest) }
	put(t, fsys, p("passwd"), "# lab accounts\n\nanna:{PLAIN}secret:1000:1000::/home/anna\nbob:{plain}pa ss\n", time.Time{})
	put(t, fsys, p("anna/cur/1210000002.M1P1.host,S=52:2,FS"), msgLF, day)
	put(t, fsys, p("anna/cur/1210000001.M1P1.host,S=52:2,RSab"), msgLF, day.Add(time.Hour))
	put(t, fsys, p("anna/cur/1210000003.M1P1.host:2,T"), "Subject: three\r\n\r\nbody\r\n", day)
	put(t, fsys, p("anna/new/1210000004.M1P1.host"), "Subject: four\n\nnew mail\n", day)
	put(t, fsys, p("anna/dovecot-keywords"), "0 $Forwarded\n1 Work\n", time.Time{})
	put(t, fsys, p("anna/.owatagusiam.blurdybloop/cur/1210000005.M1P1.host:2,"), "Subject: deep\n\nx\n", day)
	put(t, fsys, p("anna/.owatagusiam.blurdybloop/maildirfolder"), "", time.Time{})
	put(t, fsys, p("anna/.&BBIERQQ+BDQETwRJBDgENQ-/cur/1210000006.M1P1.host:2,S"), "Subject: ru\n\n\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82\n", day)
	put(t, fsys, p("anna/.Sent/cur/1210000007.M1P1.host:2,S"), "Subject: sent\n\nx\n", day)
	put(t, fsys, p("anna/.Sent/dovecot-uidlist"), "3 V1234567 N42 Gabc\n7 :1210000007.M1P1.host\n", time.Time{})
	put(t, fsys, p("anna/subscriptions"), "INBOX\nowatagusiam.blurdybloop\n&BBIERQQ+BDQETwRJBDgENQ-\n", time.Time{})
	return fsys
}

func mailbox(t *testing.T, s *Store, user, name string) *Mailbox {
	t.Helper()
	u, ok := s.User(user)
	if !ok {
		t.Fatalf("no user %q", user)
	}
	mb, err := u.Mailbox(name)
	if err != nil {
		t.Fatalf("%s %s: %v", user, name, err)
	}
	return mb
}

func TestLoadMaildir(t *testing.T) {
	for _, dir := range []string{"mail", ".", "a/b"} {
		t.Run(dir, func(t *testing.T) {
			s, err := LoadMaildir(handMade(t, dir), dir)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Users(); !slices.Equal(got, []string{"anna", "bob"}) {
				t.Fatalf("users %v", got)
			}
			if _, err := s.Authenticate("bob", "pa ss"); err != nil {
				t.Error("bob's password (lower-case {plain}, with a space):", err)
			}
			if _, err := s.Authenticate("anna", "secret"); err != nil {
				t.Error("anna: further passwd fields must be ignored:", err)
			}
			inbox := mailbox(t, s, "anna", "INBOX")
			msgs := inbox.Messages()
			if len(msgs) != 4 {
				t.Fatalf("INBOX has %d messages, want 4", len(msgs))
			}
			// UIDs in file name order.
			wantSubjects := []string{"one", "one", "three", "four"}
			wantFlags := [][]string{
				{"$Forwarded", `\Answered`, `\Seen`, "Work"},
				{`\Flagged`, `\Seen`},
				{`\Deleted`},
				nil,
			}
			for i, m := range msgs {
				if m.UID() != uint32(i+1) {
					t.Errorf("message %d has UID %d", i+1, m.UID())
				}
				if !bytes.Contains(m.Raw(), []byte("Subject: "+wantSubjects[i]+"\r\n")) {
					t.Errorf("UID %d: %q", m.UID(), m.Raw())
				}
				if f, _ := inbox.Flags(m.UID()); !slices.Equal(f, NormalizeFlags(wantFlags[i])) {
					t.Errorf("UID %d flags %v, want %v", m.UID(), f, wantFlags[i])
				}
			}
			// LF files count in CRLF octets.
			if msgs[0].Size() != len(msgLF)+strings.Count(msgLF, "\n") {
				t.Errorf("size %d, want %d", msgs[0].Size(), len(msgLF)+strings.Count(msgLF, "\n"))
			}
			if !msgs[1].InternalDate().Equal(day) || !msgs[0].InternalDate().Equal(day.Add(time.Hour)) {
				t.Errorf("internal dates %v %v, want the files' mtimes", msgs[0].InternalDate(), msgs[1].InternalDate())
			}
			st := inbox.Status()
			if st.Recent != 1 || st.Messages != 4 || st.Unseen != 2 || st.UIDNext != 5 {
				t.Errorf("INBOX status %+v", st)
			}
			u, _ := s.User("anna")
			wantBoxes := []string{"INBOX", "Sent", "owatagusiam/blurdybloop", "Входящие"}
			if got := u.Mailboxes(); !slices.Equal(got, wantBoxes) {
				t.Errorf("mailboxes %v, want %v", got, wantBoxes)
			}
			// ".owatagusiam.blurdybloop" without ".owatagusiam": a
			// \Noselect level, not a mailbox (RFC 3501 6.3.8).
			if l := u.List(); len(l) != 5 || l[2] != (ListEntry{Name: "owatagusiam", Noselect: true}) {
				t.Errorf("list %v, want owatagusiam as a \\Noselect level", l)
			}
			if n := len(mailbox(t, s, "anna", "Входящие").Messages()); n != 1 {
				t.Errorf("Cyrillic folder has %d messages", n)
			}
			sent := mailbox(t, s, "anna", "Sent")
			if st := sent.Status(); st.UIDValidity != 1234567 || st.UIDNext != 42 || sent.UIDs()[0] != 7 {
				t.Errorf("Sent from dovecot-uidlist: %+v, UIDs %v", st, sent.UIDs())
			}
			if sent.SpecialUse() != `\Sent` {
				t.Errorf("Sent special use %q", sent.SpecialUse())
			}
			wantSubs := []string{"INBOX", "owatagusiam/blurdybloop", "Входящие"}
			if got := u.Subscriptions(); !slices.Equal(got, wantSubs) {
				t.Errorf("subscriptions %v, want %v", got, wantSubs)
			}
		})
	}
}

func TestUIDListAssignsNewFilesAfterKnownOnes(t *testing.T) {
	fsys := newFS(t)
	put(t, fsys, "passwd", "anna:{PLAIN}x\n", time.Time{})
	put(t, fsys, "anna/dovecot-uidlist", "3 V99 N10\n9 :200.M1P1.h,S=3\n5 W12 :300.M1P1.h,S=3:2,S\n", time.Time{})
	put(t, fsys, "anna/cur/100.M1P1.h:2,S", "a\n", day)
	put(t, fsys, "anna/cur/200.M1P1.h,S=3:2,S", "b\n", day)
	put(t, fsys, "anna/cur/300.M1P1.h,S=3:2,", "c\n", day)
	put(t, fsys, "anna/new/400.M1P1.h", "d\n", day)
	s, err := LoadMaildir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	inbox := mailbox(t, s, "anna", "INBOX")
	if got := inbox.UIDs(); !slices.Equal(got, []uint32{5, 9, 10, 11}) {
		t.Errorf("UIDs %v, want [5 9 10 11]", got)
	}
	if st := inbox.Status(); st.UIDValidity != 99 || st.UIDNext != 12 {
		t.Errorf("%+v", st)
	}
	if m, _ := inbox.Message(10); !bytes.Equal(m.Raw(), []byte("a\r\n")) {
		t.Errorf("UID 10 is %q, want the first unknown file", m.Raw())
	}
}

func TestPasswdErrors(t *testing.T) {
	for _, c := range []struct{ passwd, want string }{
		{"# c\nanna:{PLAIN}x\nbob:{SHA512-CRYPT}$6$abc\n", "passwd line 3: user \"bob\": password scheme {SHA512-CRYPT} is not supported"},
		{"anna:{CRYPT}ab01FAX.bQRSU\n", "line 1"},
		{"anna:secret\n", "line 1: user \"anna\": the password has no {SCHEME} prefix"},
		{"anna\n", "line 1: expected name:{PLAIN}password"},
		{"\n../x:{PLAIN}y\n", "line 2: \"../x\" is not a usable user name"},
		{"anna:{PLAIN}x\nanna:{PLAIN}y\n", "line 2: user \"anna\" is already defined on line 1"},
		{"passwd:{PLAIN}y\n", "line 1"},
		{"anna:{PLAIN}x\nnone:{PLAIN}\n", "passwd line 2: user \"none\": the password is empty"},
		{"none:{PLAIN}:1000:1000::/home/none\n", "passwd line 1: user \"none\": the password is empty"},
	} {
		fsys := newFS(t)
		put(t, fsys, "passwd", c.passwd, time.Time{})
		_, err := LoadMaildir(fsys, ".")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one containing %q", c.passwd, err, c.want)
		}
	}
	if _, err := LoadMaildir(newFS(t), "."); err == nil || !strings.Contains(err.Error(), "passwd") {
		t.Errorf("missing passwd: %v", err)
	}
}

// sameOnReload checks that loading the tree again gives the store s holds.
func sameOnReload(t *testing.T, s *Store, fsys hackpadfs.FS, dir string, withRecent bool) *Store {
	t.Helper()
	back, err := LoadMaildir(fsys, dir)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := snapshot(s, withRecent), snapshot(back, withRecent); a != b {
		t.Errorf("reload differs:\n--- memory\n%s\n--- disk\n%s", a, b)
	}
	return back
}

// snapshot describes everything a Maildir keeps of a store, for comparing
// a store with its reloaded copy.
func snapshot(s *Store, withRecent bool) string {
	var b strings.Builder
	for _, name := range s.Users() {
		u, _ := s.User(name)
		fmt.Fprintf(&b, "user %s %q subs %q\n", name, u.Secret(), u.Subscriptions())
		for _, box := range u.Mailboxes() {
			mb, _ := u.Mailbox(box)
			st := mb.Status()
			fmt.Fprintf(&b, " box %s validity %d next %d use %q\n", box, st.UIDValidity, st.UIDNext, mb.SpecialUse())
			for _, m := range mb.Messages() {
				flags, _ := mb.Flags(m.UID())
				fmt.Fprintf(&b, "  %d %v %d %q", m.UID(), flags, m.InternalDate().Unix(), m.Raw())
				if withRecent {
					fmt.Fprintf(&b, " recent=%v", m.recentFree)
				}
				b.WriteByte('\n')
			}
		}
	}
	return b.String()
}

func TestSaveLoadRoundTrip(t *testing.T) {
	s, err := LoadMaildir(handMade(t, "in"), "in")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := s.User("anna")
	// A keyword the source tree did not have, and a Cyrillic subscription.
	inbox := mailbox(t, s, "anna", "INBOX")
	if _, err := inbox.StoreFlags([]uint32{2}, FlagsAdd, []string{"Urgent"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := u.Subscribe("Черновики/2024"); err != nil {
		t.Fatal(err)
	}
	out := newFS(t)
	if err := SaveMaildir(s, out, "out/mail"); err != nil {
		t.Fatal(err)
	}
	back, err := LoadMaildir(out, "out/mail")
	if err != nil {
		t.Fatal(err)
	}
	if a, b := snapshot(s, true), snapshot(back, true); a != b {
		t.Errorf("round trip differs:\n--- saved\n%s\n--- loaded\n%s", a, b)
	}
	if err := SaveMaildir(s, out, "out/mail"); err == nil {
		t.Error("a second save into the same tree must be refused")
	}
}

func readTree(t *testing.T, fsys hackpadfs.FS) []string {
	t.Helper()
	var out []string
	err := hackpadfs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func findFile(t *testing.T, fsys hackpadfs.FS, dir, prefix string) string {
	t.Helper()
	for _, p := range readTree(t, fsys) {
		if strings.HasPrefix(p, dir+"/") && strings.HasPrefix(path.Base(p), prefix) {
			return p
		}
	}
	return ""
}

func TestWriteThrough(t *testing.T) {
	fsys := handMade(t, "mail")
	s, err := LoadMaildir(fsys, "mail")
	if err != nil {
		t.Fatal(err)
	}
	s.SetPersister(NewMaildirPersister(fsys, "mail"))
	u, _ := s.User("anna")
	inbox := mailbox(t, s, "anna", "INBOX")

	// Append: a file in new/ without flags, one in cur/ with them.
	uid, err := inbox.Append([]byte("Subject: appended\n\nhello\n"), nil, day)
	if err != nil || uid != 5 {
		t.Fatalf("append: uid %d, %v", uid, err)
	}
	m, _ := inbox.Message(uid)
	if p := "mail/anna/new/" + m.File(); !slices.Contains(readTree(t, fsys), p) {
		t.Errorf("appended message is not at %s", p)
	}
	data, _ := hackpadfs.ReadFile(fsys, "mail/anna/new/"+m.File())
	if string(data) != "Subject: appended\n\nhello\n" {
		t.Errorf("file holds %q, want the LF form", data)
	}
	if !strings.Contains(m.File(), fmt.Sprintf(",S=%d,W=%d", len(data), m.Size())) {
		t.Errorf("file name %q does not record the sizes", m.File())
	}
	uid6, err := inbox.Append([]byte("Subject: flagged\r\n\r\nx\r\n"), []string{`\Seen`, "Work"}, day)
	if err != nil {
		t.Fatal(err)
	}
	m6, _ := inbox.Message(uid6)
	if !strings.HasSuffix(m6.File(), ":2,Sb") || findFile(t, fsys, "mail/anna/cur", m6.File()) == "" {
		t.Errorf("flagged append is %q, want cur/...:2,Sb", m6.File())
	}

	// Flags rename the file; a new keyword is added to dovecot-keywords.
	if _, err := inbox.StoreFlags([]uint32{uid}, FlagsAdd, []string{`\Flagged`, "Later"}, nil); err != nil {
		t.Fatal(err)
	}
	m, _ = inbox.Message(uid)
	if !strings.HasSuffix(m.File(), ":2,Fc") || findFile(t, fsys, "mail/anna/cur", m.File()) == "" {
		t.Errorf("after STORE the file is %q, want cur/...:2,Fc", m.File())
	}
	kw, _ := hackpadfs.ReadFile(fsys, "mail/anna/dovecot-keywords")
	if string(kw) != "0 $Forwarded\n1 Work\n2 Later\n" {
		t.Errorf("dovecot-keywords is %q", kw)
	}

	// Expunge deletes the file.
	gone, _ := inbox.Message(3)
	if removed, err := inbox.Remove([]uint32{3}, true, nil); err != nil || !slices.Equal(removed, []uint32{3}) {
		t.Fatalf("expunge: %v %v", removed, err)
	}
	if findFile(t, fsys, "mail/anna", gone.File()) != "" {
		t.Error("expunged file is still on disk")
	}

	// Mailbox operations are directory operations. Levels above a
	// folder get no directory unless created: Archive has none.
	for _, n := range []string{"Работа", "Работа/Отчёты"} {
		if err := u.CreateMailbox(n); err != nil {
			t.Fatal(err)
		}
	}
	rep := mailbox(t, s, "anna", "Работа/Отчёты")
	if _, err := rep.Append([]byte("Subject: report\n\n.\n"), []string{`\Seen`}, day); err != nil {
		t.Fatal(err)
	}
	if err := u.RenameMailbox("Работа", "Archive/Работа"); err != nil {
		t.Fatal(err)
	}
	if err := u.DeleteMailbox("owatagusiam/blurdybloop"); err != nil {
		t.Fatal(err)
	}
	if err := u.Subscribe("Archive/Работа/Отчёты"); err != nil {
		t.Fatal(err)
	}
	if err := u.Unsubscribe("owatagusiam/blurdybloop"); err != nil {
		t.Fatal(err)
	}
	var dirs []string
	entries, _ := hackpadfs.ReadDir(fsys, "mail/anna")
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), ".") {
			dirs = append(dirs, e.Name())
		}
	}
	wantDirs := []string{".&BBIERQQ+BDQETwRJBDgENQ-", ".Archive.&BCAEMAQxBD4EQgQw-", ".Archive.&BCAEMAQxBD4EQgQw-.&BB4EQgRHBFEEQgRL-", ".Sent"}
	slices.Sort(dirs)
	if !slices.Equal(dirs, wantDirs) {
		t.Errorf("folders on disk %v, want %v", dirs, wantDirs)
	}

	// Everything survives a reload with the same UIDs and UIDVALIDITY.
	sameOnReload(t, s, fsys, "mail", false)
	for _, p := range readTree(t, fsys) {
		if strings.Contains(p, "/tmp/") {
			t.Errorf("left behind in tmp/: %s", p)
		}
	}
}

// TestWriteThroughWithoutUIDList: a folder with no dovecot-uidlist gets
// one on its first change, so a reload after an expunge keeps the UIDs.
func TestWriteThroughWithoutUIDList(t *testing.T) {
	fsys := newFS(t)
	put(t, fsys, "passwd", "anna:{PLAIN}x\n", time.Time{})
	for i := 1; i <= 4; i++ {
		put(t, fsys, fmt.Sprintf("anna/cur/%d.M1P1.h:2,S", 1000+i), fmt.Sprintf("Subject: %d\n\nx\n", i), day)
	}
	s, err := LoadMaildir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	s.SetPersister(NewMaildirPersister(fsys, "."))
	inbox := mailbox(t, s, "anna", "INBOX")
	if _, err := inbox.Remove([]uint32{2}, false, nil); err != nil {
		t.Fatal(err)
	}
	sameOnReload(t, s, fsys, ".", true)
}

// TestSaveThenPersist is the browser's path: seed an empty tree from a
// store, then write changes through to it.
func TestSaveThenPersist(t *testing.T) {
	s, err := LoadMaildir(handMade(t, "."), ".")
	if err != nil {
		t.Fatal(err)
	}
	fsys := newFS(t)
	if err := SaveMaildir(s, fsys, "db"); err != nil {
		t.Fatal(err)
	}
	s.SetPersister(NewMaildirPersister(fsys, "db"))
	inbox := mailbox(t, s, "anna", "INBOX")
	if _, err := inbox.StoreFlags([]uint32{4}, FlagsAdd, []string{`\Seen`}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := inbox.Remove([]uint32{1}, false, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := inbox.Append([]byte("Subject: later\n\nx\n"), nil, day); err != nil {
		t.Fatal(err)
	}
	sameOnReload(t, s, fsys, "db", false)
}

func TestNothingEscapesTheTree(t *testing.T) {
	fsys := handMade(t, "root/mail")
	s, err := LoadMaildir(fsys, "root/mail")
	if err != nil {
		t.Fatal(err)
	}
	p := NewMaildirPersister(fsys, "root/mail")
	s.SetPersister(p)
	before := readTree(t, fsys)
	m := NewMessage([]byte("Subject: x\n\n"), nil, day)
	bad := []struct{ user, mailbox string }{
		{"../x", "INBOX"},
		{"..", "INBOX"},
		{"a/b", "INBOX"},
		{"/abs", "INBOX"},
		{"passwd", "INBOX"},
		{"anna", "a/../../b"},
		{"anna", "../b"},
		{"anna", ".."},
		{"anna", "a\x00b"},
		{"anna", "a.b"},
		{"anna", "/abs"},
		{"anna", "a//b"},
		{"anna", "inbox"}, // not canonical: the store always passes INBOX
	}
	for _, b := range bad {
		if _, err := p.PutMessage(b.user, b.mailbox, m); err == nil {
			t.Errorf("PutMessage(%q, %q) was accepted", b.user, b.mailbox)
		}
		if err := p.CreateMailbox(b.user, b.mailbox); err == nil {
			t.Errorf("CreateMailbox(%q, %q) was accepted", b.user, b.mailbox)
		}
		if err := p.DeleteMailbox(b.user, b.mailbox); err == nil {
			t.Errorf("DeleteMailbox(%q, %q) was accepted", b.user, b.mailbox)
		}
		if err := p.RenameMailbox("anna", "Sent", b.mailbox); err == nil && b.user == "anna" {
			t.Errorf("RenameMailbox(Sent, %q) was accepted", b.mailbox)
		}
		if err := p.SetSubscriptions(b.user, nil); err == nil && b.user != "anna" {
			t.Errorf("SetSubscriptions(%q) was accepted", b.user)
		}
	}
	u, _ := s.User("anna")
	for _, name := range []string{"a/../../b", "../b", "a\x00b", "a.b", "~", "x/./y"} {
		if err := u.CreateMailbox(name); !errors.Is(err, ErrBadName) {
			t.Errorf("CreateMailbox(%q): %v, want ErrBadName", name, err)
		}
	}
	if _, err := s.AddUser("../x", "y"); err == nil {
		t.Error("AddUser(../x) was accepted")
	}
	// A user the store accepts but whose directory would be the passwd file.
	if _, err := s.AddUser("passwd", "y"); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"/abs", "../up", "a/../b", ""} {
		if err := SaveMaildir(s, fsys, dir); err == nil {
			t.Errorf("SaveMaildir to %q was accepted", dir)
		}
		if _, err := LoadMaildir(fsys, dir); err == nil {
			t.Errorf("LoadMaildir from %q was accepted", dir)
		}
	}
	if err := SaveMaildir(s, fsys, "root/other"); err == nil || !errors.Is(err, ErrBadUserName) {
		t.Errorf("saving a user named passwd: %v, want ErrBadUserName", err)
	}
	for _, f := range readTree(t, fsys) {
		if !strings.HasPrefix(f, "root/") {
			t.Errorf("written outside the tree: %s", f)
		}
		if !slices.Contains(before, f) && !strings.HasPrefix(f, "root/other/") {
			t.Errorf("a refused operation wrote %s", f)
		}
	}
}

// bigStore is one user with n messages of a typical small size.
func bigStore(b *testing.B, n int) *Store {
	s := New()
	u, _ := s.AddUser("anna", "x")
	inbox, _ := u.Mailbox(Inbox)
	body := []byte("From: olga@pds.sut.ru\nTo: anna@pds.sut.ru\nSubject: load test\n\n" + strings.Repeat("Some text of a line.\n", 20))
	for i := range n {
		var flags []string
		if i%2 == 0 {
			flags = []string{`\Seen`}
		}
		if _, err := inbox.Append(body, flags, day); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

func BenchmarkLoadMaildir10k(b *testing.B) {
	s := bigStore(b, 10000)
	fsys, _ := mem.NewFS()
	if err := SaveMaildir(s, fsys, "."); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadMaildir(fsys, "."); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSaveMaildir10k(b *testing.B) {
	s := bigStore(b, 10000)
	b.ReportAllocs()
	for b.Loop() {
		fsys, _ := mem.NewFS()
		if err := SaveMaildir(s, fsys, "."); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendWriteThrough is APPEND with the Maildir persister
// attached: tmp/ write, rename, dovecot-uidlist rewrite (in a mailbox
// that grows by one message per iteration).
func BenchmarkAppendWriteThrough(b *testing.B) {
	s := bigStore(b, 0)
	fsys, _ := mem.NewFS()
	if err := SaveMaildir(s, fsys, "."); err != nil {
		b.Fatal(err)
	}
	s.SetPersister(NewMaildirPersister(fsys, "."))
	u, _ := s.User("anna")
	inbox, _ := u.Mailbox(Inbox)
	msg := []byte("Subject: x\n\nhello\n")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := inbox.Append(msg, nil, day); err != nil {
			b.Fatal(err)
		}
	}
}

func TestUIDListAppendedAndTorn(t *testing.T) {
	l, err := parseUIDList([]byte("3 V7 N3\n1 :a\n2 :b\n5 :c\n6 :d,S=1"))
	if err != nil {
		t.Fatal(err)
	}
	if l.validity != 7 || l.next != 6 || len(l.uids) != 3 || l.uids["c"] != 5 {
		t.Errorf("%+v: want the appended line counted and the torn last line left out", l)
	}
	if _, err := parseUIDList([]byte("3 V7 N3\nx :a\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("a bad line: %v", err)
	}
}

// TestRecentClaimMovesToCur: once a read-write session is given \Recent,
// the file leaves new/ (as Dovecot moves it), so a reload does not make the
// message \Recent again; EXAMINE leaves it in new/.
func TestRecentClaimMovesToCur(t *testing.T) {
	fsys := handMade(t, ".")
	s, err := LoadMaildir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	s.SetPersister(NewMaildirPersister(fsys, "."))
	inbox := mailbox(t, s, "anna", "INBOX")
	ro, _, _ := inbox.Watch(false)
	if findFile(t, fsys, "anna/new", "1210000004") == "" {
		t.Error("EXAMINE moved a file out of new/")
	}
	rw, _, recent := inbox.Watch(true)
	if !recent[4] {
		t.Fatalf("SELECT recent %v, want UID 4", recent)
	}
	if findFile(t, fsys, "anna/new", "1210000004") != "" || findFile(t, fsys, "anna/cur", "1210000004.M1P1.host:2,") == "" {
		t.Errorf("after SELECT the file is not in cur/: %v", readTree(t, fsys))
	}
	// A delivery while the session is open stays in new/ until the
	// session learns of it; then it goes to it and leaves new/ too.
	uid, err := s.Deliver("anna", []byte("Subject: live\n\n"))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := inbox.Message(uid)
	if findFile(t, fsys, "anna/new", m.File()) == "" {
		t.Errorf("a delivery no session has learned of is at %q, not in new/", m.File())
	}
	if c := rw.Changes(); len(c) != 1 || !c[0].Recent {
		t.Errorf("the selected session learned %+v", c)
	}
	m, _ = inbox.Message(uid)
	if findFile(t, fsys, "anna/cur", m.File()) == "" || !strings.HasSuffix(m.File(), ":2,") {
		t.Errorf("a message delivered to a selected mailbox is at %q", m.File())
	}
	rw.Close()
	ro.Close()
	back := sameOnReload(t, s, fsys, ".", true)
	if st := mailbox(t, back, "anna", "INBOX").Status(); st.Recent != 0 {
		t.Errorf("after reload RECENT %d, want 0", st.Recent)
	}
}

// TestNewMessageFlushedBeforeRename: a new message's file is flushed to
// the disk (fsync) while still in tmp/, before it is renamed into new/ or
// cur/ and the client is told it is stored, as Dovecot's default
// mail_fsync=optimized does; an APPEND writes and flushes it before the
// store's lock is taken, so that no other session waits for the disk; a
// flag change (a rename) flushes nothing.
func TestNewMessageFlushedBeforeRename(t *testing.T) {
	fsys := &syncFS{FS: handMade(t, ".")}
	s, err := LoadMaildir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	s.SetPersister(NewMaildirPersister(fsys, "."))
	fsys.onSync = func() {
		if !s.mu.TryLock() {
			t.Error("a message file flushed with the store's lock held")
			return
		}
		s.mu.Unlock()
	}
	inbox := mailbox(t, s, "anna", "INBOX")
	uid, err := inbox.Append([]byte("Subject: appended\n\nhello\n"), nil, day)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := inbox.Message(uid)
	if want := "anna/tmp/" + m.File(); !slices.Equal(fsys.synced, []string{want}) {
		t.Errorf("flushed %q, want %q", fsys.synced, want)
	}
	fsys.synced = nil
	if _, err := inbox.StoreFlags([]uint32{uid}, FlagsAdd, []string{`\Seen`}, nil); err != nil {
		t.Fatal(err)
	}
	if len(fsys.synced) != 0 {
		t.Errorf("a flag change flushed %q", fsys.synced)
	}
	// COPY writes its copies ahead too, with the flags they have when
	// stored.
	u, _ := s.User("anna")
	if err := u.CreateMailbox("Copies"); err != nil {
		t.Fatal(err)
	}
	copies := mailbox(t, s, "anna", "Copies")
	if _, dest, err := inbox.CopyTo(copies, []uint32{uid, 1}, nil); err != nil || len(dest) != 2 {
		t.Fatalf("copy: %v, %v", dest, err)
	}
	if len(fsys.synced) != 2 || !strings.HasPrefix(fsys.synced[0], "anna/.Copies/tmp/") {
		t.Errorf("a copy of two flushed %q", fsys.synced)
	}
	if c, _ := copies.Message(2); !strings.HasSuffix(c.File(), ":2,S") {
		t.Errorf("the copy of the appended message is %q, want its flag \\Seen", c.File())
	}
	fsys.synced = nil
	// Written ahead and then refused (over quota): nothing is left in tmp/.
	s.SetQuota(Quota{Messages: 1})
	if _, err := inbox.AppendAll([]Draft{{Raw: []byte("Subject: one too many\n\n")}}); !errors.Is(err, ErrOverQuota) {
		t.Fatalf("append over quota: %v", err)
	}
	if len(fsys.synced) != 1 {
		t.Errorf("the refused message was flushed %d times, want once, before the quota was checked", len(fsys.synced))
	}
	if _, _, err := inbox.CopyTo(copies, []uint32{1}, nil); !errors.Is(err, ErrOverQuota) {
		t.Fatalf("copy over quota: %v", err)
	}
	for _, dir := range []string{"anna/tmp", "anna/.Copies/tmp"} {
		if tmp, _ := hackpadfs.ReadDir(fsys, dir); len(tmp) != 0 {
			t.Errorf("left in %s: %v", dir, tmp)
		}
	}
}

// syncFS records the files flushed with Sync.
type syncFS struct {
	*mem.FS
	synced []string
	onSync func()
}

func (f *syncFS) OpenFile(name string, flag int, perm hackpadfs.FileMode) (hackpadfs.File, error) {
	file, err := f.FS.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return &syncFile{File: file, fs: f, name: name}, nil
}

type syncFile struct {
	hackpadfs.File
	fs   *syncFS
	name string
}

func (s *syncFile) Write(p []byte) (int, error) { return hackpadfs.WriteFile(s.File, p) }
func (s *syncFile) Sync() error {
	s.fs.synced = append(s.fs.synced, s.name)
	if s.fs.onSync != nil {
		s.fs.onSync()
	}
	return nil
}

// TestConcurrentAppendsAndCopies: sessions appending, copying and
// expunging at once, each writing its files ahead of the store's lock,
// leave a Maildir that loads back as the store holds it, with nothing
// left in tmp/.
func TestConcurrentAppendsAndCopies(t *testing.T) {
	fsys := handMade(t, ".")
	s, err := LoadMaildir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	s.SetPersister(NewMaildirPersister(fsys, "."))
	u, _ := s.User("anna")
	if err := u.CreateMailbox("Copies"); err != nil {
		t.Fatal(err)
	}
	inbox := mailbox(t, s, "anna", "INBOX")
	copies := mailbox(t, s, "anna", "Copies")
	done := make(chan error)
	for g := range 4 {
		go func() {
			var err error
			for i := 0; i < 20 && err == nil; i++ {
				raw := []byte(fmt.Sprintf("Subject: %d.%d\n\nbody\n", g, i))
				var uids []uint32
				uids, err = inbox.AppendAll([]Draft{{Raw: raw, Flags: []string{`\Seen`}}, {Raw: raw}})
				if err == nil && g%2 == 0 {
					_, _, err = inbox.CopyTo(copies, uids, nil)
				}
				if err == nil && g == 3 {
					_, err = inbox.Remove(uids[:1], false, nil)
				}
			}
			done <- err
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if n := inbox.Count(); n != 4+4*40-20 {
		t.Errorf("INBOX holds %d messages, want %d", n, 4+4*40-20)
	}
	sameOnReload(t, s, fsys, ".", false)
	for _, dir := range []string{"anna/tmp", "anna/.Copies/tmp"} {
		if tmp, _ := hackpadfs.ReadDir(fsys, dir); len(tmp) != 0 {
			t.Errorf("left in %s: %v", dir, tmp)
		}
	}
}

// TestStagingMakesNoFolder: a message written ahead for a mailbox that
// another session deleted meanwhile does not bring the folder back on disk.
func TestStagingMakesNoFolder(t *testing.T) {
	fsys := handMade(t, ".")
	p := NewMaildirPersister(fsys, ".").(*maildirPersister)
	if err := p.stageMessage("anna", "Gone", NewMessage([]byte("Subject: late\n\n"), nil, day)); err == nil {
		t.Error("a message was written ahead for a mailbox not on disk")
	}
	if _, err := hackpadfs.Stat(fsys, "anna/.Gone"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the folder of a deleted mailbox is on disk again: %v", err)
	}
}

// A file in both new/ and cur/ is one message, read from the first name;
// of two base names dovecot-uidlist gives one UID, the first in name
// order keeps it and the other is numbered as a file the list does not
// know, after the known ones.
func TestUIDListSharedUIDAndDuplicateFile(t *testing.T) {
	fsys := newFS(t)
	put(t, fsys, "passwd", "anna:{PLAIN}x\n", time.Time{})
	put(t, fsys, "anna/dovecot-uidlist", "3 V7 N5\n1 :a.M1P1.h\n1 :b.M1P1.h\n2 :c.M1P1.h\n", time.Time{})
	put(t, fsys, "anna/cur/a.M1P1.h:2,S", "a\n", day)
	put(t, fsys, "anna/cur/b.M1P1.h:2,S", "b in cur\n", day)
	put(t, fsys, "anna/new/b.M1P1.h", "b in new\n", day)
	put(t, fsys, "anna/cur/c.M1P1.h:2,", "c\n", day)
	put(t, fsys, "anna/new/d.M1P1.h", "d\n", day)
	s, err := LoadMaildir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	inbox := mailbox(t, s, "anna", "INBOX")
	want := map[uint32]string{1: "a\r\n", 2: "c\r\n", 5: "b in new\r\n", 6: "d\r\n"}
	if got := inbox.UIDs(); !slices.Equal(got, []uint32{1, 2, 5, 6}) {
		t.Fatalf("UIDs %v, want [1 2 5 6]", got)
	}
	for uid, body := range want {
		if m, _ := inbox.Message(uid); string(m.Raw()) != body {
			t.Errorf("UID %d is %q, want %q", uid, m.Raw(), body)
		}
	}
}
