package mailstore

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

func newUser(t *testing.T) (*Store, *User) {
	t.Helper()
	s := New()
	u, err := s.AddUser("alex", "drums")
	if err != nil {
		t.Fatal(err)
	}
	return s, u
}

func kinds(cs []Change) string {
	var b bytes.Buffer
	for _, c := range cs {
		switch c.Kind {
		case Appended:
			fmt.Fprintf(&b, "+%d", c.UID)
			if c.Recent {
				b.WriteString("r")
			}
		case Expunged:
			fmt.Fprintf(&b, "-%d", c.UID)
		case FlagsChanged:
			fmt.Fprintf(&b, "f%d%v", c.UID, c.Flags)
		case MailboxDeleted:
			b.WriteString("x")
		}
		b.WriteByte(' ')
	}
	return b.String()
}

func signalled(w *Watcher) bool {
	select {
	case <-w.Signal():
		return true
	default:
		return false
	}
}

// TestWatchFeed: two sessions on one mailbox learn of each other's
// changes; the origin of a flag change or expunge is not told of its own.
func TestWatchFeed(t *testing.T) {
	s, u := newUser(t)
	inbox, _ := u.Mailbox("INBOX")
	a, _, _ := inbox.Watch(true)
	b, _, _ := inbox.Watch(true)
	defer a.Close()
	defer b.Close()

	uid, err := s.Deliver("alex", []byte("Subject: hi\n\nx\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !signalled(a) || !signalled(b) {
		t.Error("a delivery must ready both watchers' signals")
	}
	ca, cb := a.Changes(), b.Changes()
	if len(ca) != 1 || len(cb) != 1 || ca[0].Kind != Appended || cb[0].Kind != Appended {
		t.Fatalf("after delivery: a %s, b %s", kinds(ca), kinds(cb))
	}
	if ca[0].Recent == cb[0].Recent {
		t.Errorf("exactly one session must get \\Recent: a %v, b %v", ca[0].Recent, cb[0].Recent)
	}

	if _, err := inbox.StoreFlags([]uint32{uid}, FlagsAdd, []string{`\Seen`}, a); err != nil {
		t.Fatal(err)
	}
	if got := kinds(a.Changes()); got != "" {
		t.Errorf("the session that stored flags was told: %s", got)
	}
	if got := kinds(b.Changes()); got != fmt.Sprintf("f%d[\\Seen] ", uid) {
		t.Errorf("other session got %q", got)
	}
	// Storing flags a message already has changes nothing and tells nobody.
	if _, err := inbox.StoreFlags([]uint32{uid}, FlagsAdd, []string{`\seen`}, a); err != nil {
		t.Fatal(err)
	}
	if b.Pending() {
		t.Errorf("an unchanged STORE was announced: %s", kinds(b.Changes()))
	}

	if _, err := inbox.StoreFlags([]uint32{uid}, FlagsAdd, []string{`\Deleted`}, b); err != nil {
		t.Fatal(err)
	}
	b.Changes()
	if removed, err := inbox.Remove([]uint32{uid}, true, b); err != nil || !slices.Equal(removed, []uint32{uid}) {
		t.Fatalf("expunge: %v %v", removed, err)
	}
	if got := kinds(a.Changes()); got != fmt.Sprintf("f%d[\\Deleted \\Seen] -%d ", uid, uid) {
		t.Errorf("a got %q", got)
	}
	if b.Pending() {
		t.Errorf("the expunging session was told of its own expunge: %s", kinds(b.Changes()))
	}

	if err := u.CreateMailbox("box"); err != nil {
		t.Fatal(err)
	}
	box, _ := u.Mailbox("box")
	w, _, _ := box.Watch(false)
	if err := u.DeleteMailbox("box"); err != nil {
		t.Fatal(err)
	}
	if got := kinds(w.Changes()); got != "x " {
		t.Errorf("watcher of a deleted mailbox got %q", got)
	}
	if _, err := box.Append([]byte("x"), nil, time.Time{}); !errors.Is(err, ErrNoMailbox) {
		t.Errorf("append to a deleted mailbox: %v", err)
	}
}

// TestRecent: RFC 3501 section 2.3.2, \Recent goes to one session only.
func TestRecent(t *testing.T) {
	s, u := newUser(t)
	for range 3 {
		if _, err := s.Deliver("alex", []byte("Subject: x\n\n")); err != nil {
			t.Fatal(err)
		}
	}
	inbox, _ := u.Mailbox("INBOX")
	if st := inbox.Status(); st.Recent != 3 {
		t.Errorf("before any session: RECENT %d, want 3", st.Recent)
	}
	ex, _, exRecent := inbox.Watch(false) // EXAMINE claims nothing
	if len(exRecent) != 3 {
		t.Errorf("EXAMINE sees %d recent, want 3", len(exRecent))
	}
	first, uids, recent := inbox.Watch(true)
	second, _, recent2 := inbox.Watch(true)
	if len(uids) != 3 || len(recent) != 3 || len(recent2) != 0 {
		t.Errorf("first SELECT: %d recent of %d, second: %d", len(recent), len(uids), len(recent2))
	}
	// Once a session was told, STATUS and EXAMINE count them no more,
	// as in Dovecot.
	if st := inbox.Status(); st.Recent != 0 {
		t.Errorf("while the first session is open: RECENT %d, want 0", st.Recent)
	}
	late, _, lateRecent := inbox.Watch(false)
	if len(lateRecent) != 0 {
		t.Errorf("EXAMINE after SELECT sees %d recent, want 0", len(lateRecent))
	}
	late.Close()
	first.Close()
	ex.Close()
	if st := inbox.Status(); st.Recent != 0 {
		t.Errorf("after the session that held \\Recent closed: RECENT %d, want 0", st.Recent)
	}
	// A delivery while only read-only sessions watch is recent to them
	// and stays recent for the next read-write session.
	ro, _, _ := inbox.Watch(false)
	second.Close()
	uid, _ := s.Deliver("alex", []byte("Subject: y\n\n"))
	if c := ro.Changes(); len(c) != 1 || !c[0].Recent {
		t.Errorf("read-only watcher: %s", kinds(c))
	}
	if st := inbox.Status(); st.Recent != 1 {
		t.Errorf("with only a read-only session told: RECENT %d, want 1", st.Recent)
	}
	third, _, recent3 := inbox.Watch(true)
	if !recent3[uid] || len(recent3) != 1 {
		t.Errorf("next SELECT recent %v, want only %d", recent3, uid)
	}
	// A delivery goes to the first read-write session that learns of it,
	// not to one that was watching first; until then STATUS counts it.
	fourth, _, _ := inbox.Watch(true)
	uid, _ = s.Deliver("alex", []byte("Subject: z\n\n"))
	if st := inbox.Status(); st.Recent != 1 {
		t.Errorf("before any session learned of a delivery: RECENT %d, want 1", st.Recent)
	}
	if c := fourth.Changes(); len(c) != 1 || !c[0].Recent {
		t.Errorf("the session that learned first: %s", kinds(c))
	}
	if c := third.Changes(); len(c) != 1 || c[0].Recent {
		t.Errorf("the session that learned second: %s", kinds(c))
	}
	if st := inbox.Status(); st.Recent != 0 {
		t.Errorf("after a session learned of it: RECENT %d, want 0", st.Recent)
	}
	fourth.Close()
	third.Close()
	ro.Close()
}

func TestLockMaildrop(t *testing.T) {
	_, u := newUser(t)
	release, err := u.LockMaildrop()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.LockMaildrop(); !errors.Is(err, ErrInUse) {
		t.Errorf("second lock: %v, want ErrInUse", err)
	}
	release()
	release() // a second release must not free someone else's lock
	r2, err := u.LockMaildrop()
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	release()
	if _, err := u.LockMaildrop(); !errors.Is(err, ErrInUse) {
		t.Errorf("an old release freed the new holder's lock: %v", err)
	}
	r2()
}

func TestCopyAndMove(t *testing.T) {
	_, u := newUser(t)
	inbox, _ := u.Mailbox("INBOX")
	for i := range 4 {
		if _, err := inbox.Append([]byte(fmt.Sprintf("Subject: %d\n\n", i)), []string{"Work"}, time.Unix(int64(1e9+i), 0)); err != nil {
			t.Fatal(err)
		}
	}
	if err := u.CreateMailbox("Archive"); err != nil {
		t.Fatal(err)
	}
	arch, _ := u.Mailbox("Archive")
	src, dst, err := inbox.CopyTo(arch, []uint32{4, 2, 2, 99}, nil)
	if err != nil || !slices.Equal(src, []uint32{2, 4}) || !slices.Equal(dst, []uint32{1, 2}) {
		t.Fatalf("COPYUID %v %v %v", src, dst, err)
	}
	m, _ := arch.Message(2)
	orig, _ := inbox.Message(4)
	if !bytes.Equal(m.Raw(), orig.Raw()) || !m.InternalDate().Equal(orig.InternalDate()) {
		t.Error("a copy must keep content and internal date")
	}
	if f, _ := arch.Flags(2); !slices.Equal(f, []string{"Work"}) {
		t.Errorf("copy flags %v", f)
	}
	w, _, _ := inbox.Watch(true)
	defer w.Close()
	aw, _, _ := arch.Watch(true)
	defer aw.Close()
	moved, err := inbox.MoveTo(arch, []uint32{1, 3}, w)
	if err != nil || !slices.Equal(moved[0], []uint32{1, 3}) || !slices.Equal(moved[1], []uint32{3, 4}) {
		t.Fatalf("MOVE %v %v", moved, err)
	}
	if got := inbox.UIDs(); !slices.Equal(got, []uint32{2, 4}) {
		t.Errorf("source after MOVE %v", got)
	}
	if got := kinds(aw.Changes()); got != "+3r +4r " {
		t.Errorf("destination watcher got %q", got)
	}
	// The same mailbox as destination: new UIDs after the existing ones.
	if _, dst, err := arch.CopyTo(arch, []uint32{1}, nil); err != nil || !slices.Equal(dst, []uint32{5}) {
		t.Errorf("copy into itself: %v %v", dst, err)
	}
}

// hierarchy writes List's entries, a \Noselect level with a "-".
func hierarchy(u *User) []string {
	var out []string
	for _, e := range u.List() {
		if e.Noselect {
			out = append(out, "-"+e.Name)
		} else {
			out = append(out, e.Name)
		}
	}
	return out
}

// CREATE makes only the mailbox named: the levels above it are \Noselect
// until created, as in Dovecot.
func TestCreateMailboxLeavesSuperiorLevels(t *testing.T) {
	_, u := newUser(t)
	if err := u.CreateMailbox("a/b/c"); err != nil {
		t.Fatal(err)
	}
	if got, want := hierarchy(u), []string{"INBOX", "-a", "-a/b", "a/b/c"}; !slices.Equal(got, want) {
		t.Errorf("after CREATE a/b/c: %v, want %v", got, want)
	}
	if _, err := u.Mailbox("a/b"); !errors.Is(err, ErrNoMailbox) {
		t.Errorf("a/b is a mailbox: %v", err)
	}
	if err := u.CreateMailbox("a"); err != nil {
		t.Fatal(err)
	}
	if got, want := hierarchy(u), []string{"INBOX", "a", "-a/b", "a/b/c"}; !slices.Equal(got, want) {
		t.Errorf("after CREATE a: %v, want %v", got, want)
	}
	if err := u.DeleteMailbox("a/b/c"); err != nil {
		t.Fatal(err)
	}
	if got, want := hierarchy(u), []string{"INBOX", "a"}; !slices.Equal(got, want) {
		t.Errorf("after DELETE a/b/c: %v, want %v", got, want)
	}
}

func TestRenameMailbox(t *testing.T) {
	_, u := newUser(t)
	for _, n := range []string{"a", "a/b/c", "a/d", "ab", "q/c"} {
		if err := u.CreateMailbox(n); err != nil {
			t.Fatal(err)
		}
	}
	a, _ := u.Mailbox("a")
	validity := a.UIDValidity()
	if err := u.RenameMailbox("a", "x/y"); err != nil {
		t.Fatal(err)
	}
	want := []string{"INBOX", "ab", "q/c", "x/y", "x/y/b/c", "x/y/d"}
	if got := u.Mailboxes(); !slices.Equal(got, want) {
		t.Errorf("after rename %v, want %v", got, want)
	}
	if a.Name() != "x/y" || a.UIDValidity() != validity {
		t.Errorf("renamed mailbox is %q validity %d", a.Name(), a.UIDValidity())
	}
	// A \Noselect level renames the mailboxes below it, and may become a
	// mailbox: the level q takes x/y/b's place.
	if err := u.RenameMailbox("x/y/b", "z"); err != nil {
		t.Fatal(err)
	}
	if err := u.RenameMailbox("x/y/d", "q"); err != nil {
		t.Fatal(err)
	}
	if got, want := hierarchy(u), []string{"INBOX", "ab", "q", "q/c", "-x", "x/y", "-z", "z/c"}; !slices.Equal(got, want) {
		t.Errorf("after renaming levels %v, want %v", got, want)
	}
	for _, c := range []struct {
		from, to string
		err      error
	}{
		{"x/y", "x/y/b/z", ErrBadName},
		{"x/y", "ab", ErrExists},
		{"z", "q", ErrExists}, // z/c would become q/c, which exists
		{"nope", "z", ErrNoMailbox},
		{"ab", "INBOX", ErrBadName},
		{"ab", "a.b", ErrBadName},
	} {
		if err := u.RenameMailbox(c.from, c.to); !errors.Is(err, c.err) {
			t.Errorf("RENAME %s %s: %v, want %v", c.from, c.to, err, c.err)
		}
	}

	// Renaming INBOX moves its messages and leaves INBOX, empty, in place
	// (RFC 3501 section 6.3.5).
	inbox, _ := u.Mailbox("inbox")
	for range 2 {
		if _, err := inbox.Append([]byte("Subject: x\n\n"), nil, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := u.RenameMailbox("INBOX", "old-mail"); err != nil {
		t.Fatal(err)
	}
	old, _ := u.Mailbox("old-mail")
	if n, m := len(inbox.UIDs()), len(old.UIDs()); n != 0 || m != 2 {
		t.Errorf("after RENAME INBOX: INBOX %d, old-mail %d messages", n, m)
	}
	if st := inbox.Status(); st.UIDNext != 3 {
		t.Errorf("INBOX UIDNEXT %d after its messages moved, want 3 (UIDs are not reused)", st.UIDNext)
	}
	if err := u.RenameMailbox("INBOX", "old-mail"); !errors.Is(err, ErrExists) {
		t.Errorf("renaming INBOX onto an existing mailbox: %v", err)
	}
}

func TestDeleteMailbox(t *testing.T) {
	_, u := newUser(t)
	for _, n := range []string{"a", "a/b"} {
		if err := u.CreateMailbox(n); err != nil {
			t.Fatal(err)
		}
	}
	// A mailbox with inferiors is deleted; its name stays as a \Noselect
	// level while they exist (RFC 3501 6.3.4), which cannot be deleted.
	if err := u.DeleteMailbox("a"); err != nil {
		t.Errorf("deleting a mailbox with children: %v", err)
	}
	if _, err := u.Mailbox("a"); !errors.Is(err, ErrNoMailbox) {
		t.Errorf("a deleted mailbox with children is still a mailbox: %v", err)
	}
	if err := u.DeleteMailbox("a"); !errors.Is(err, ErrHasChildren) {
		t.Errorf("deleting a \\Noselect level with children: %v", err)
	}
	if err := u.DeleteMailbox("inbox"); !errors.Is(err, ErrInboxDelete) {
		t.Errorf("deleting INBOX: %v", err)
	}
	if err := u.DeleteMailbox("a/b"); err != nil {
		t.Fatal(err)
	}
	if err := u.DeleteMailbox("a"); !errors.Is(err, ErrNoMailbox) {
		t.Errorf("the \\Noselect level outlived its last child: %v", err)
	}
	// A new mailbox of the same name never reuses a UIDVALIDITY.
	if err := u.CreateMailbox("a"); err != nil {
		t.Fatal(err)
	}
}

func TestSpecialUseFollowsTheName(t *testing.T) {
	_, u := newUser(t)
	if err := u.CreateMailbox("Trash"); err != nil {
		t.Fatal(err)
	}
	mb, _ := u.Mailbox("Trash")
	if mb.SpecialUse() != `\Trash` {
		t.Errorf("CREATE Trash: special use %q", mb.SpecialUse())
	}
	if err := u.RenameMailbox("Trash", "Old"); err != nil {
		t.Fatal(err)
	}
	if mb.SpecialUse() != "" {
		t.Errorf("renamed Trash keeps %q", mb.SpecialUse())
	}
	mb.SetSpecialUse(`\Archive`)
	if err := u.RenameMailbox("Old", "Older"); err != nil {
		t.Fatal(err)
	}
	if mb.SpecialUse() != `\Archive` {
		t.Errorf("a special use set by hand was lost on rename: %q", mb.SpecialUse())
	}
}

func TestToCRLF(t *testing.T) {
	for _, c := range []struct{ in, out string }{
		{"", ""},
		{"a", "a"},
		{"a\nb\n", "a\r\nb\r\n"},
		{"a\r\nb\r\n", "a\r\nb\r\n"},
		{"a\rb", "a\r\nb"},
		{"a\r\n\nb\r", "a\r\n\r\nb\r\n"},
		{"\n\n", "\r\n\r\n"},
	} {
		got := ToCRLF([]byte(c.in))
		if string(got) != c.out {
			t.Errorf("ToCRLF(%q) = %q, want %q", c.in, got, c.out)
		}
		m := NewMessage([]byte(c.in), nil, time.Unix(1, 0))
		if m.Size() != len(c.out) {
			t.Errorf("size of %q: %d, want %d", c.in, m.Size(), len(c.out))
		}
		if string(ToCRLF(ToLF(got))) != c.out {
			t.Errorf("LF round trip of %q changed it", c.in)
		}
	}
	crlf := []byte("a\r\nb\r\n")
	if got := ToCRLF(crlf); &got[0] != &crlf[0] {
		t.Error("ToCRLF copied text that was already CRLF")
	}
}

func TestFlags(t *testing.T) {
	got := NormalizeFlags([]string{`\seen`, `\SEEN`, "Work", "work", `\Recent`, `\Unknown`, `\draft`})
	if want := []string{"Work", `\Draft`, `\Seen`}; !slices.Equal(got, want) {
		t.Errorf("NormalizeFlags %v, want %v", got, want)
	}
	_, u := newUser(t)
	inbox, _ := u.Mailbox("INBOX")
	uid, _ := inbox.Append([]byte("x"), []string{`\Seen`, "a"}, time.Time{})
	for _, c := range []struct {
		op    FlagOp
		flags []string
		want  []string
	}{
		{FlagsAdd, []string{`\Flagged`, "A"}, []string{`\Flagged`, `\Seen`, "a"}},
		{FlagsRemove, []string{`\SEEN`, "a"}, []string{`\Flagged`}},
		{FlagsReplace, []string{`\Deleted`, `\Recent`}, []string{`\Deleted`}},
	} {
		out, err := inbox.StoreFlags([]uint32{uid, 99}, c.op, c.flags, nil)
		if err != nil || !slices.Equal(NormalizeFlags(out[uid]), NormalizeFlags(c.want)) || len(out) != 1 {
			t.Errorf("STORE %v %v: %v %v, want %v", c.op, c.flags, out, err, c.want)
		}
	}
}

// TestConcurrentSessions runs deliveries, flag changes, expunges and
// watchers at once; run it with -race. Every watcher that drains its feed
// must end with the mailbox's exact UID list.
func TestConcurrentSessions(t *testing.T) {
	s, u := newUser(t)
	inbox, _ := u.Mailbox("INBOX")
	const sessions, rounds = 4, 50
	type view struct {
		w    *Watcher
		uids []uint32
	}
	views := make([]*view, sessions)
	for i := range views {
		w, uids, _ := inbox.Watch(i%2 == 0)
		views[i] = &view{w: w, uids: uids}
	}
	var wg sync.WaitGroup
	for i, v := range views {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				if _, err := s.Deliver("alex", []byte(fmt.Sprintf("Subject: %d-%d\n\n", i, r))); err != nil {
					t.Error(err)
					return
				}
				uids := inbox.UIDs()
				if len(uids) > 0 {
					pick := uids[(i+r)%len(uids)]
					if _, err := inbox.StoreFlags([]uint32{pick}, FlagsAdd, []string{`\Deleted`}, v.w); err != nil {
						t.Error(err)
					}
					if r%3 == 0 {
						if _, err := inbox.Remove([]uint32{pick}, true, v.w); err != nil {
							t.Error(err)
						}
					}
				}
				apply(v.w.Changes(), &v.uids)
				_ = inbox.Status()
			}
		}()
	}
	wg.Wait()
	final := inbox.UIDs()
	for i, v := range views {
		apply(v.w.Changes(), &v.uids)
		// A session's own expunges are not in its feed: it answers them
		// itself. Drop what it removed before comparing.
		v.uids = slices.DeleteFunc(v.uids, func(u uint32) bool { _, ok := inbox.Message(u); return !ok })
		if !slices.Equal(v.uids, final) {
			t.Errorf("session %d sees %d messages, the mailbox has %d", i, len(v.uids), len(final))
		}
		v.w.Close()
	}
	if !slices.IsSorted(final) || len(slices.Compact(slices.Clone(final))) != len(final) {
		t.Error("UIDs are not strictly ascending")
	}
	if st := inbox.Status(); st.UIDNext != sessions*rounds+1 {
		t.Errorf("UIDNEXT %d, want %d", st.UIDNext, sessions*rounds+1)
	}
}

func apply(changes []Change, uids *[]uint32) {
	for _, c := range changes {
		switch c.Kind {
		case Appended:
			*uids = append(*uids, c.UID)
		case Expunged:
			*uids = slices.DeleteFunc(*uids, func(u uint32) bool { return u == c.UID })
		}
	}
}

func TestAuthenticate(t *testing.T) {
	s, _ := newUser(t)
	if _, err := s.Authenticate("alex", "drums"); err != nil {
		t.Error(err)
	}
	for _, c := range [][2]string{{"alex", "Drums"}, {"ALEX", "drums"}, {"nobody", "drums"}, {"alex", ""}} {
		if _, err := s.Authenticate(c[0], c[1]); !errors.Is(err, ErrAuthFailed) {
			t.Errorf("%v: %v, want ErrAuthFailed", c, err)
		}
	}
	if _, err := s.AddUser("alex", "x"); !errors.Is(err, ErrUserExists) {
		t.Errorf("duplicate user: %v", err)
	}
}

func TestClearRecent(t *testing.T) {
	st := New()
	u, err := st.AddUser("kim", "secret")
	if err != nil {
		t.Fatal(err)
	}
	mb, _ := u.Mailbox(Inbox)
	a, _ := mb.Append([]byte("Subject: a\r\n\r\na\r\n"), nil, time.Time{})
	mb.Append([]byte("Subject: b\r\n\r\nb\r\n"), nil, time.Time{})
	if !mb.ClearRecent(a) || mb.ClearRecent(99) {
		t.Fatal("ClearRecent did not find the message, or found one that is not there")
	}
	if got := mb.Status().Recent; got != 1 {
		t.Errorf("Recent = %d, want 1", got)
	}
	_, _, recent := mb.Watch(true)
	if recent[a] || len(recent) != 1 {
		t.Errorf("a session was given \\Recent for %v", recent)
	}
}

func TestFixtureNumbers(t *testing.T) {
	st := New()
	u, _ := st.AddUser("alex", "drums")
	mb, _ := u.Mailbox(Inbox)
	if err := mb.SetUIDValidity(936033216); err != nil {
		t.Fatal(err)
	}
	if err := mb.AppendUID([]byte("Subject: a\r\n\r\na\r\n"), nil, time.Time{}, 9); err != nil {
		t.Fatal(err)
	}
	if err := mb.AppendUID([]byte("Subject: b\r\n\r\nb\r\n"), nil, time.Time{}, 9); err == nil {
		t.Error("a UID that does not ascend was taken")
	}
	uid, _ := mb.Append([]byte("Subject: c\r\n\r\nc\r\n"), nil, time.Time{})
	if st := mb.Status(); uid != 10 || st.UIDValidity != 936033216 || st.UIDNext != 11 {
		t.Errorf("uid %d, status %+v", uid, st)
	}
	if err := mb.SetUIDValidity(1); err == nil {
		t.Error("UIDVALIDITY of a mailbox with messages changed")
	}
}

// Lookup finds every message asked for in one walk, gone ones as nil,
// with the flags each has.
func TestLookup(t *testing.T) {
	st := New()
	u, _ := st.AddUser("kim", "pw")
	mb, _ := u.Mailbox(Inbox)
	for i := range 5 {
		var flags []string
		if i%2 == 0 {
			flags = []string{FlagSeen}
		}
		mb.Append([]byte("Subject: "+string(rune('a'+i))+"\r\n\r\nx\r\n"), flags, time.Time{})
	}
	if _, err := mb.Remove([]uint32{2}, false, nil); err != nil {
		t.Fatal(err)
	}
	got := mb.Lookup([]uint32{1, 2, 3, 5, 9, 4})
	want := []struct {
		uid  uint32
		seen bool
	}{{1, true}, {0, false}, {3, true}, {5, true}, {0, false}, {4, false}}
	for i, w := range want {
		f := got[i]
		if w.uid == 0 {
			if f.Msg != nil {
				t.Errorf("%d: found UID %d, want none", i, f.Msg.UID())
			}
			continue
		}
		if f.Msg == nil || f.Msg.UID() != w.uid || HasFlag(f.Flags, FlagSeen) != w.seen {
			t.Errorf("%d: %+v, want UID %d seen %v", i, f, w.uid, w.seen)
		}
	}
}
