package mailstore

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hack-pad/hackpadfs"
)

// modseqs lists each message's UID:MODSEQ and the HIGHESTMODSEQ.
func modseqs(mb *Mailbox) string {
	var out []string
	for _, uid := range mb.UIDs() {
		_, ms, _ := mb.FlagsModSeq(uid)
		out = append(out, fmt.Sprintf("%d:%d", uid, ms))
	}
	return strings.Join(out, " ") + fmt.Sprintf(" H%d", mb.HighestModSeq())
}

func TestModSeqPerChange(t *testing.T) {
	s := New()
	u, _ := s.AddUser("anna", "x")
	mb, _ := u.Mailbox(Inbox)
	if got := mb.HighestModSeq(); got != 1 {
		t.Errorf("an empty mailbox's HIGHESTMODSEQ %d, want 1", got)
	}
	for range 4 {
		if _, err := mb.Append([]byte("Subject: x\n\nx\n"), nil, day); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := modseqs(mb), "1:2 2:3 3:4 4:5 H5"; got != want {
		t.Errorf("after 4 appends %s, want %s", got, want)
	}
	// One STORE is one change: the messages it changes share a number;
	// one whose flags stay is not touched.
	if _, err := mb.StoreFlags([]uint32{1, 2}, FlagsAdd, []string{FlagSeen}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := mb.StoreFlags([]uint32{2, 3}, FlagsAdd, []string{FlagSeen}, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := modseqs(mb), "1:6 2:6 3:7 4:5 H7"; got != want {
		t.Errorf("after STOREs %s, want %s", got, want)
	}
	// UNCHANGEDSINCE 6 leaves message 3 (modseq 7) alone.
	res, err := mb.StoreFlagsCond([]uint32{1, 3, 4}, FlagsAdd, []string{FlagFlagged}, true, 6, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Modified, []uint32{3}) || !res.Changed[1] || !res.Changed[4] || res.ModSeq[1] != 8 {
		t.Errorf("UNCHANGEDSINCE 6: %+v", res)
	}
	// UNCHANGEDSINCE 0 always fails (RFC 7162 3.1.3).
	if res, _ := mb.StoreFlagsCond([]uint32{1}, FlagsAdd, []string{FlagDraft}, true, 0, nil); len(res.Modified) != 1 {
		t.Errorf("UNCHANGEDSINCE 0: %+v", res)
	}
	if _, err := mb.Remove([]uint32{2, 4}, false, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := modseqs(mb), "1:8 3:7 H9"; got != want {
		t.Errorf("after expunge %s, want %s", got, want)
	}
	if got := mb.VanishedSince(8); !slices.Equal(got, []UIDRange{{2, 2}, {4, 4}}) {
		t.Errorf("VanishedSince(8) %v", got)
	}
	if got := mb.VanishedSince(9); len(got) != 0 {
		t.Errorf("VanishedSince(9) %v", got)
	}
	if st := mb.Status(); st.HighestModSeq != 9 {
		t.Errorf("STATUS HIGHESTMODSEQ %d", st.HighestModSeq)
	}
}

// TestModSeqForgetsOldExpunges: past maxVanished the oldest expunges are
// forgotten, and a question from before them gets every missing UID.
func TestModSeqForgetsOldExpunges(t *testing.T) {
	s := New()
	u, _ := s.AddUser("anna", "x")
	mb, _ := u.Mailbox(Inbox)
	mb.lock()
	mb.uidNext = 10
	for i := range maxVanished + 1 {
		mb.expungedLocked([]uint32{uint32(i%9 + 1)})
	}
	mb.unlock()
	if got := mb.VanishedSince(2); !slices.Equal(got, []UIDRange{{1, 9}}) {
		t.Errorf("VanishedSince before the floor: %v", got)
	}
}

func readModSeqFile(t *testing.T, fsys hackpadfs.FS, p string) string {
	t.Helper()
	data, err := hackpadfs.ReadFile(fsys, p)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestModSeqPersist: with a persister the mod-sequences, HIGHESTMODSEQ and
// expunges survive a reload; a Maildir without the file starts at 1; what
// changed on disk while the lab was away gets a new mod-sequence.
func TestModSeqPersist(t *testing.T) {
	fsys := handMade(t, ".")
	s, err := LoadMaildir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	inbox := mailbox(t, s, "anna", "INBOX")
	if got, want := modseqs(inbox), "1:1 2:1 3:1 4:1 H1"; got != want {
		t.Errorf("a Maildir without %s: %s, want %s", modseqFile, got, want)
	}
	s.SetPersister(NewMaildirPersister(fsys, "."))
	if _, err := inbox.StoreFlags([]uint32{4}, FlagsAdd, []string{FlagSeen}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := inbox.Remove([]uint32{1}, false, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := inbox.Append([]byte("Subject: later\n\nx\n"), nil, day); err != nil {
		t.Fatal(err)
	}
	// A mailbox created while running has a file from its first change.
	u, _ := s.User("anna")
	if err := u.CreateMailbox("Fresh"); err != nil {
		t.Fatal(err)
	}
	fresh := mailbox(t, s, "anna", "Fresh")
	if _, err := fresh.Append([]byte("Subject: f\n\nx\n"), []string{FlagSeen}, day); err != nil {
		t.Fatal(err)
	}
	want := modseqs(inbox)
	if want != "2:1 3:1 4:2 5:4 H4" {
		t.Errorf("before reload %s", want)
	}
	back, err := LoadMaildir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	binbox := mailbox(t, back, "anna", "INBOX")
	if got := modseqs(binbox); got != want {
		t.Errorf("after reload %s, want %s\n%s", got, want, readModSeqFile(t, fsys, "anna/"+modseqFile))
	}
	if got := binbox.VanishedSince(2); !slices.Equal(got, []UIDRange{{1, 1}}) {
		t.Errorf("after reload VanishedSince(2) %v", got)
	}
	if got := modseqs(mailbox(t, back, "anna", "Fresh")); got != "1:2 H2" {
		t.Errorf("created mailbox after reload: %s", got)
	}

	// While the lab is stopped another program sets a flag on UID 2
	// (renames its file), removes UID 3 and delivers a message.
	f2 := findFile(t, fsys, "anna/cur", "1210000002")
	if err := hackpadfs.Rename(fsys, f2, strings.TrimSuffix(f2, ":2,FS")+":2,DFS"); err != nil {
		t.Fatal(err)
	}
	if err := hackpadfs.Remove(fsys, findFile(t, fsys, "anna/cur", "1210000003")); err != nil {
		t.Fatal(err)
	}
	put(t, fsys, "anna/new/1300000000.M1P1.other", "Subject: meanwhile\n\nx\n", day)
	again, err := LoadMaildir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	ainbox := mailbox(t, again, "anna", "INBOX")
	if got, want := modseqs(ainbox), "2:5 4:2 5:4 6:5 H5"; got != want {
		t.Errorf("after changes on disk %s, want %s", got, want)
	}
	if got := ainbox.VanishedSince(4); !slices.Equal(got, []UIDRange{{3, 3}}) {
		t.Errorf("VanishedSince(4) after a file went: %v", got)
	}
}

// TestModSeqFileTorn: a record cut by a crash is left out; a record whose
// flags differ from the file's (a crash between the record and the
// rename) gives a new mod-sequence.
func TestModSeqFileTorn(t *testing.T) {
	r, err := parseModSeqFile([]byte("maillab-modseq 1 7 5 1\n1 3 \\Seen\n-2 4\n3 5\n1 9 \\Fla"))
	if err != nil {
		t.Fatal(err)
	}
	if r.highest != 5 || r.msgs[1].modseq != 3 || r.vanished[2] != 4 || r.msgs[3].modseq != 5 {
		t.Errorf("%+v", r)
	}
	if _, err := parseModSeqFile([]byte("something else\n")); err == nil {
		t.Error("a foreign file parsed")
	}
}
