package mailstore

import (
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hack-pad/hackpadfs"
	"github.com/hack-pad/hackpadfs/mem"

	"maillab/sim/mailstore/storetest"
)

// renamedTree is a persisted one-user tree whose two files another program
// renames after the load: it marks the first \Deleted (S becomes ST, as a
// mail client over Dovecot would) and moves the second from new/ to cur/.
func renamedTree(t *testing.T) (*mem.FS, *Store, *Mailbox) {
	t.Helper()
	fsys := newFS(t)
	put(t, fsys, "passwd", "anna:{PLAIN}x\n", time.Time{})
	put(t, fsys, "anna/cur/1000.M1P1.h:2,S", "Subject: one\n\nx\n", day)
	put(t, fsys, "anna/new/1001.M1P1.h", "Subject: two\n\ny\n", day)
	s, err := LoadMaildir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	s.SetPersister(NewMaildirPersister(fsys, "."))
	for _, mv := range [][2]string{
		{"anna/cur/1000.M1P1.h:2,S", "anna/cur/1000.M1P1.h:2,ST"},
		{"anna/new/1001.M1P1.h", "anna/cur/1001.M1P1.h:2,S"},
	} {
		if err := hackpadfs.Rename(fsys, mv[0], mv[1]); err != nil {
			t.Fatal(err)
		}
	}
	return fsys, s, mailbox(t, s, "anna", "INBOX")
}

func messageFiles(t *testing.T, fsys hackpadfs.FS) []string {
	t.Helper()
	var out []string
	for _, p := range readTree(t, fsys) {
		if strings.Contains(p, "/cur/") || strings.Contains(p, "/new/") {
			out = append(out, p)
		}
	}
	return out
}

// A removal finds the file by its base name when its flags or its
// directory changed on disk, instead of taking it for already gone.
func TestRemoveFindsARenamedFile(t *testing.T) {
	fsys, s, inbox := renamedTree(t)
	if removed, err := inbox.Remove([]uint32{1, 2}, false, nil); err != nil || len(removed) != 2 {
		t.Fatalf("Remove: %v %v", removed, err)
	}
	if left := messageFiles(t, fsys); len(left) != 0 {
		t.Errorf("files left after removing both messages: %v", left)
	}
	sameOnReload(t, s, fsys, ".", false)
}

// A flag change and a \Recent claim rename the file that is there, rather
// than writing the message a second time.
func TestFlagsFollowARenamedFile(t *testing.T) {
	fsys, _, inbox := renamedTree(t)
	if _, err := inbox.StoreFlags([]uint32{1}, FlagsAdd, []string{FlagFlagged}, nil); err != nil {
		t.Fatal(err)
	}
	w, _, _ := inbox.Watch(true) // claims \Recent of message 2, loaded from new/
	defer w.Close()
	want := []string{"anna/cur/1000.M1P1.h:2,FS", "anna/cur/1001.M1P1.h:2,S"}
	if got := messageFiles(t, fsys); !slices.Equal(got, want) {
		t.Errorf("files %v, want %v", got, want)
	}
	for uid, name := range map[uint32]string{1: "1000.M1P1.h:2,FS", 2: "1001.M1P1.h:2,S"} {
		if m, _ := inbox.Message(uid); m.File() != name {
			t.Errorf("UID %d: the store keeps %q, want %q", uid, m.File(), name)
		}
	}
}

// failingFS fails every operation on paths below broken with an I/O error.
type failingFS struct {
	*mem.FS
	broken string
}

var errIO = storetest.ErrIO

func (f failingFS) fails(op, name string) error {
	if strings.HasPrefix(name, f.broken) {
		return &fs.PathError{Op: op, Path: name, Err: errIO}
	}
	return nil
}

func (f failingFS) Stat(name string) (fs.FileInfo, error) {
	if err := f.fails("stat", name); err != nil {
		return nil, err
	}
	return f.FS.Stat(name)
}

func (f failingFS) Open(name string) (hackpadfs.File, error) {
	if err := f.fails("open", name); err != nil {
		return nil, err
	}
	return f.FS.Open(name)
}

func (f failingFS) Remove(name string) error {
	if err := f.fails("remove", name); err != nil {
		return err
	}
	return f.FS.Remove(name)
}

// An I/O error while looking for the file is an error of the removal: the
// message stays, on disk and in memory, and the caller hears of it.
func TestRemoveReportsIOErrors(t *testing.T) {
	mfs := newFS(t)
	put(t, mfs, "passwd", "anna:{PLAIN}x\n", time.Time{})
	put(t, mfs, "anna/cur/1000.M1P1.h:2,S", "Subject: one\n\nx\n", day)
	s, err := LoadMaildir(mfs, ".")
	if err != nil {
		t.Fatal(err)
	}
	s.SetPersister(NewMaildirPersister(failingFS{FS: mfs, broken: "anna/cur"}, "."))
	inbox := mailbox(t, s, "anna", "INBOX")
	removed, err := inbox.Remove([]uint32{1}, false, nil)
	if !errors.Is(err, errIO) || len(removed) != 0 {
		t.Fatalf("Remove: removed %v, error %v; want nothing removed and the I/O error", removed, err)
	}
	if n := inbox.Count(); n != 1 {
		t.Errorf("%d messages in memory, want 1", n)
	}
	if _, err := mfs.Stat("anna/cur/1000.M1P1.h:2,S"); err != nil {
		t.Errorf("the file: %v", err)
	}
}

// The demo tree's "!2," separates the info as ":2," does; a flag change
// finds the file by its base name and writes the standard form.
func TestDemoInfoSeparator(t *testing.T) {
	fsys := newFS(t)
	put(t, fsys, "passwd", "anna:{PLAIN}x\n", time.Time{})
	put(t, fsys, "anna/cur/1000.M1P1.demo!2,S", "Subject: one\n\nx\n", day)
	s, err := LoadMaildir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	s.SetPersister(NewMaildirPersister(fsys, "."))
	inbox := mailbox(t, s, "anna", "INBOX")
	if f, _ := inbox.Flags(1); !slices.Equal(f, []string{FlagSeen}) {
		t.Errorf("flags %v, want [\\Seen]", f)
	}
	if _, err := inbox.StoreFlags([]uint32{1}, FlagsAdd, []string{FlagFlagged}, nil); err != nil {
		t.Fatal(err)
	}
	if got := messageFiles(t, fsys); !slices.Equal(got, []string{"anna/cur/1000.M1P1.demo:2,FS"}) {
		t.Errorf("files %v", got)
	}
}

// A folder without dovecot-uidlist keeps its UIDVALIDITY and UIDs from one
// load to the next, whatever else the tree holds and whenever it is read,
// and while another program changes flags; other files give another one.
func TestUIDValidityWithoutUIDList(t *testing.T) {
	load := func(passwd string, files ...string) *Mailbox {
		t.Helper()
		fsys := newFS(t)
		put(t, fsys, "passwd", passwd, time.Time{})
		put(t, fsys, "bob/cur/900.M1P1.h:2,S", "Subject: bob\n\nx\n", day)
		for i, f := range files {
			put(t, fsys, "anna/"+f, "Subject: m\n\nx\n", day.Add(time.Duration(i)*time.Hour))
		}
		s, err := LoadMaildir(fsys, ".")
		if err != nil {
			t.Fatal(err)
		}
		return mailbox(t, s, "anna", "INBOX")
	}
	files := []string{"cur/1000.M1P1.h:2,S", "new/1001.M1P1.h", "cur/1002.M1P1.h:2,"}
	first := load("anna:{PLAIN}x\n", files...)
	v := first.UIDValidity()
	for name, mb := range map[string]*Mailbox{
		"another user first":    load("bob:{PLAIN}y\nanna:{PLAIN}x\n", files...),
		"flags changed on disk": load("anna:{PLAIN}x\n", "cur/1000.M1P1.h:2,ST", "cur/1001.M1P1.h:2,S", "cur/1002.M1P1.h:2,"),
	} {
		if mb.UIDValidity() != v || !slices.Equal(mb.UIDs(), []uint32{1, 2, 3}) {
			t.Errorf("%s: UIDVALIDITY %d UIDs %v, want %d [1 2 3]", name, mb.UIDValidity(), mb.UIDs(), v)
		}
		for i, m := range mb.Messages() {
			if b, _ := splitInfo(m.File()); !strings.HasPrefix(files[i], "cur/"+b) && !strings.HasPrefix(files[i], "new/"+b) {
				t.Errorf("%s: UID %d is %s, want %s", name, m.UID(), m.File(), files[i])
			}
		}
	}
	if other := load("anna:{PLAIN}x\n", files[0], files[2]); other.UIDValidity() == v {
		t.Errorf("a file less renumbers the folder, but UIDVALIDITY stays %d", v)
	}
}

// A dovecot-uidlist that does not parse does not keep the tree from
// loading: the folder is numbered afresh, as Dovecot rebuilds the list,
// Warnings says so, and an attached persister writes a good list.
func TestCorruptUIDListIsRebuilt(t *testing.T) {
	fsys := newFS(t)
	put(t, fsys, "passwd", "anna:{PLAIN}x\n", time.Time{})
	put(t, fsys, "anna/dovecot-uidlist", "3 V7 N3\nnot a line\n", time.Time{})
	put(t, fsys, "anna/cur/1000.M1P1.h:2,S", "Subject: one\n\nx\n", day)
	put(t, fsys, "anna/new/1001.M1P1.h", "Subject: two\n\ny\n", day)
	s, err := LoadMaildir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	inbox := mailbox(t, s, "anna", "INBOX")
	if got := inbox.UIDs(); !slices.Equal(got, []uint32{1, 2}) {
		t.Errorf("UIDs %v, want [1 2]", got)
	}
	if w := s.Warnings(); len(w) != 1 || !strings.Contains(w[0].Error(), "anna: dovecot-uidlist line 2") {
		t.Errorf("warnings %v", w)
	}
	s.SetPersister(NewMaildirPersister(fsys, "."))
	data, _ := hackpadfs.ReadFile(fsys, "anna/dovecot-uidlist")
	l, err := parseUIDList(data)
	if err != nil || l.validity != inbox.UIDValidity() || l.uids["1000.M1P1.h"] != 1 || l.uids["1001.M1P1.h"] != 2 {
		t.Errorf("dovecot-uidlist after attaching the persister: %q, %v", data, err)
	}
}
