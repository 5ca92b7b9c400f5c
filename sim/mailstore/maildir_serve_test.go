package mailstore

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/hack-pad/hackpadfs/mem"

	"maillab/sim/mailstore/storetest"
)

func serveTree(t *testing.T) *mem.FS {
	t.Helper()
	fsys := newFS(t)
	put(t, fsys, "passwd", "anna:{PLAIN}x\n", time.Time{})
	put(t, fsys, "anna/cur/1000.M1P1.h:2,S", "Subject: one\n\nx\n", day)
	put(t, fsys, "anna/new/1001.M1P1.h", "Subject: two\n\ny\n", day)
	put(t, fsys, "anna/.Sent/cur/1002.M1P1.h:2,S", "Subject: sent\n\nz\n", day)
	put(t, fsys, "anna/.Sent/maildirfolder", "", day)
	return fsys
}

// ServeMaildir returns before it has listed the folders: logging in works
// at once, and a session asking for a mailbox waits for its listing.
func TestServeMaildirAnswersBeforeTheFolders(t *testing.T) {
	gate := make(chan struct{})
	s, err := ServeMaildir(storetest.ListingFS{FS: serveTree(t), Broken: "anna/cur", Gate: gate}, ".", ServeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.Authenticate("anna", "x")
	if err != nil {
		t.Fatal(err)
	}
	if s.HasQuota() || len(s.Users()) != 1 {
		t.Errorf("HasQuota %v, users %v", s.HasQuota(), s.Users())
	}
	count := make(chan int)
	go func() {
		mb, err := u.Mailbox(Inbox)
		if err != nil {
			t.Error(err)
			count <- -1
			return
		}
		count <- mb.Count()
	}()
	select {
	case n := <-count:
		t.Fatalf("INBOX with %d messages before its folder was listed", n)
	case <-time.After(20 * time.Millisecond):
	}
	close(gate)
	if n := <-count; n != 2 {
		t.Errorf("INBOX has %d messages, want 2", n)
	}
	if names := u.Mailboxes(); len(names) != 2 || names[1] != "Sent" {
		t.Errorf("mailboxes %v", names)
	}
}

// A folder that cannot be opened stops the start, as LoadMaildir does,
// naming the directory.
func TestServeMaildirRefusesAFolderItCannotOpen(t *testing.T) {
	_, err := ServeMaildir(failingFS{FS: serveTree(t), broken: "anna/.Sent/cur"}, ".", ServeOptions{})
	if !errors.Is(err, errIO) || !strings.Contains(err.Error(), "reading anna/.Sent/cur") {
		t.Fatalf("got %v, want the I/O error of anna/.Sent/cur", err)
	}
}

// A folder that opens but cannot be listed is reported once read, and
// its mailbox answers ErrUnreadable while the others serve; with a
// persister, nothing in it is written.
func TestServeMaildirUnreadableFolder(t *testing.T) {
	mfs := serveTree(t)
	var problems []error
	s, err := ServeMaildir(storetest.ListingFS{FS: mfs, Broken: "anna/.Sent/"}, ".", ServeOptions{
		Persist: true,
		Loaded:  func(p []error) { problems = p },
	})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := s.User("anna")
	if _, err := u.Mailbox("Sent"); !errors.Is(err, ErrUnreadable) || !errors.Is(err, errIO) {
		t.Errorf("Sent: %v, want ErrUnreadable with the I/O error", err)
	}
	if len(problems) != 1 || !errors.Is(problems[0], ErrUnreadable) || !strings.Contains(problems[0].Error(), "reading anna/.Sent/") {
		t.Errorf("problems reported: %v", problems)
	}
	inbox := mailbox(t, s, "anna", Inbox)
	if inbox.Count() != 2 {
		t.Errorf("INBOX has %d messages, want 2", inbox.Count())
	}
	if err := u.DeleteMailbox("Sent"); !errors.Is(err, ErrUnreadable) {
		t.Errorf("DELETE Sent: %v", err)
	}
	if err := u.RenameMailbox("Sent", "Old"); !errors.Is(err, ErrUnreadable) {
		t.Errorf("RENAME Sent: %v", err)
	}
	if _, err := mfs.Stat("anna/.Sent/" + uidlistFile); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the unreadable folder got a %s: %v", uidlistFile, err)
	}
	if _, err := mfs.Stat("anna/" + uidlistFile); err != nil {
		t.Errorf("INBOX's %s was not written: %v", uidlistFile, err)
	}
}
