package imap

import (
	"strings"
	"testing"
	"time"

	"maillab/sim/mailstore"
)

// Another session's EXPUNGE is held back during FETCH, STORE and SEARCH
// (their sequence numbers must not shift, RFC 3501 7.4.1), and during
// SORT and THREAD, which answer with sequence numbers too, as Dovecot
// holds it; it is given at the
// next command that allows it; EXISTS and FETCH FLAGS may come at once.
// (FETCH 1:* then names the expunged message 2: it is left out and the
// answer is OK [EXPUNGEISSUED], see TestFetchCopyStoreOfExpungedMessage.)
func TestExpungeHeldBackDuringFetchStoreSearch(t *testing.T) {
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	fill(t, u, "INBOX", 5)
	a := login(t, st, "melanie", "toybox")
	a.do("a1", "SELECT INBOX")
	b := login(t, st, "melanie", "toybox")
	b.do("b1", "SELECT INBOX")
	b.do("b2", `STORE 2 +FLAGS.SILENT (\Deleted)`)
	b.do("b3", "EXPUNGE")
	b.do("b4", `STORE 4 +FLAGS.SILENT (\Flagged)`)
	if _, err := st.Deliver("melanie", message("late", "text")); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"FETCH 1:* UID", "UID FETCH 1:* UID", `STORE 1 +FLAGS.SILENT (\Seen)`, "SEARCH ALL", "UID SEARCH ALL",
		"SORT (ARRIVAL) UTF-8 ALL", "UID SORT (SUBJECT) UTF-8 ALL", "THREAD REFERENCES UTF-8 ALL", "UID THREAD ORDEREDSUBJECT UTF-8 ALL"} {
		out := a.do("a2", cmd)
		mustNotContain(t, out, "* 2 EXPUNGE")
	}
	// The sequence numbers are still the old ones: message 2 is still
	// there for this session, and message 5 is UID 5.
	out := a.do("a3", "FETCH 5 UID")
	mustContain(t, out, "* 5 FETCH (UID 5)")
	out = a.do("a4", "NOOP")
	mustContain(t, out, "* 2 EXPUNGE\r\n")
	if strings.Index(out, "EXPUNGE") > strings.Index(out, "a4 OK") {
		t.Errorf("EXPUNGE after the completion:\n%s", out)
	}
	out = a.do("a5", "FETCH 1:* UID")
	mustContain(t, out, "* 4 FETCH (UID 5)", "* 5 FETCH (UID 6)")
}

// The first session to see new mail gets \Recent; others do not.
func TestRecentGivenToOneSession(t *testing.T) {
	st := newStore(t, 1000)
	addUser(t, st, "melanie", "toybox")
	a := login(t, st, "melanie", "toybox")
	a.do("a1", "SELECT INBOX")
	if _, err := st.Deliver("melanie", message("one", "text")); err != nil {
		t.Fatal(err)
	}
	out := a.do("a2", "NOOP")
	mustContain(t, out, "* 1 EXISTS\r\n* 1 RECENT\r\n")
	b := login(t, st, "melanie", "toybox")
	out = b.do("b1", "SELECT INBOX")
	mustContain(t, out, "* 1 EXISTS\r\n* 0 RECENT\r\n")
	out = b.do("b2", "SEARCH RECENT")
	mustContain(t, out, "* SEARCH\r\n")
	out = a.do("a3", "FETCH 1 FLAGS")
	mustContain(t, out, `(FLAGS (\Recent))`)
	// Once a session was told, no later one is: STATUS counts the message
	// no more, and EXAMINE does not show it \Recent (as in Dovecot).
	c := login(t, st, "melanie", "toybox")
	out = c.do("c1", "STATUS INBOX (RECENT)")
	mustContain(t, out, "(RECENT 0)")
	out = c.do("c2", "EXAMINE INBOX")
	mustContain(t, out, "* 1 EXISTS\r\n* 0 RECENT\r\n")
}

// IDLE reports other sessions' changes as they happen, until DONE.
func TestIdle(t *testing.T) {
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	fill(t, u, "INBOX", 2)
	a := login(t, st, "melanie", "toybox")
	a.do("a1", "SELECT INBOX")
	a.send("a2 IDLE")
	a.expect("+ idling")
	if _, err := st.Deliver("melanie", message("while idle", "text")); err != nil {
		t.Fatal(err)
	}
	a.run(`
		S: * 3 EXISTS
		S: * 3 RECENT
	`)
	b := login(t, st, "melanie", "toybox")
	b.do("b1", "SELECT INBOX")
	b.do("b2", `STORE 1 +FLAGS.SILENT (\Deleted)`)
	a.expect(`* 1 FETCH (FLAGS (\Recent \Deleted))`)
	b.do("b3", "EXPUNGE")
	a.run(`
		S: * 1 EXPUNGE
		C: DONE
		S: a2 OK IDLE terminated
	`)
	a.send("a3 IDLE")
	a.expect("+ idling")
	a.send("STOP")
	a.expect("a3 BAD IDLE ends with DONE, not STOP")
}

// An idle connection is logged out after Autologout, taking (7).
func TestAutologout(t *testing.T) {
	st := newStore(t, 1000)
	addUser(t, st, "melanie", "toybox")
	c := dial(t, Options{Store: st, Autologout: 50 * time.Millisecond})
	c.run(`
		S: * OK ...
		S: * BYE Autologout: no command for 50ms
	`)
	evs := c.wait()
	last := evs[len(evs)-2]
	if last.Transition != "7" || last.Trigger != "timeout" {
		t.Errorf("last transition %+v, want 7 by timeout", last)
	}
}

// When another session deletes the selected mailbox, the session ends with
// BYE, as Dovecot does: its sequence numbers mean nothing any more.
func TestSelectedMailboxDeleted(t *testing.T) {
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	if err := u.CreateMailbox("Box"); err != nil {
		t.Fatal(err)
	}
	a := login(t, st, "melanie", "toybox")
	a.do("a1", "SELECT Box")
	b := login(t, st, "melanie", "toybox")
	b.do("b1", "DELETE Box")
	a.run(`
		C: a2 NOOP
		S: * BYE Selected mailbox was deleted, have to disconnect.
		S: a2 OK NOOP completed
	`)
	found := false
	for _, e := range a.wait() {
		found = found || e.Kind == "transition" && e.Transition == "7" && e.Trigger == "mailbox deleted"
	}
	if !found {
		t.Error("no transition 7 by mailbox deletion")
	}
}

// A message another session appended and expunged again between two of
// this session's commands was never announced here, so its EXPUNGE is
// dropped: EXPUNGE names only messages the client was told of, and the
// client's count never passes through a number it cannot explain (RFC 3501
// 7.4.1, 7.3.1). Dovecot, the reference, says nothing at all in the first
// case and "* 1 EXPUNGE", "* 8 EXISTS" in the second. (Which session
// holds \Recent for a new message is not pinned here, hence "* ...".)
func TestExpungeOfUnannouncedMessage(t *testing.T) {
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	fill(t, u, "INBOX", 8)
	a := login(t, st, "melanie", "toybox")
	a.do("a1", "SELECT INBOX")
	b := login(t, st, "melanie", "toybox")
	b.do("b1", "SELECT INBOX")
	b.do("b2", "APPEND INBOX {27+}\r\nSubject: new\r\n\r\nnew body\r\n")
	b.do("b3", `STORE 9 +FLAGS.SILENT (\Deleted)`)
	b.do("b4", "EXPUNGE")
	a.run(`
		C: a2 NOOP
		S: a2 OK NOOP completed
	`)
	b.do("b5", "APPEND INBOX {27+}\r\nSubject: new\r\n\r\nnew body\r\n")
	b.do("b6", "APPEND INBOX {27+}\r\nSubject: new\r\n\r\nnew body\r\n")
	b.do("b7", `STORE 1,9 +FLAGS.SILENT (\Deleted)`)
	b.do("b8", "EXPUNGE")
	a.run(`
		C: a3 NOOP
		S: * 1 EXPUNGE
		S: * 8 EXISTS
		S: * ...
		S: a3 OK NOOP completed
		C: a4 FETCH 7:8 UID
		S: * 7 FETCH (UID 8)
		S: * 8 FETCH (UID 11)
		S: a4 OK FETCH completed
	`)
}

// The same holds for a session's own EXPUNGE and MOVE: what another
// session appended and expunged meanwhile is not announced at all.
func TestOwnExpungeSkipsUnannouncedMessages(t *testing.T) {
	st, _ := inboxAndOther(t, 3)
	a := login(t, st, "melanie", "toybox")
	a.do("a1", "SELECT INBOX")
	a.do("a2", `STORE 2 +FLAGS.SILENT (\Deleted)`)
	b := login(t, st, "melanie", "toybox")
	b.do("b1", "SELECT INBOX")
	b.do("b2", "APPEND INBOX (\\Deleted) {27+}\r\nSubject: new\r\n\r\nnew body\r\n")
	b.do("b3", "APPEND INBOX {27+}\r\nSubject: new\r\n\r\nnew body\r\n")
	b.do("b4", "UID EXPUNGE 4")
	a.run(`
		C: a3 EXPUNGE
		S: * 2 EXPUNGE
		S: * 3 EXISTS
		S: * ...
		S: a3 OK EXPUNGE completed
	`)
	b.do("b5", "APPEND INBOX {27+}\r\nSubject: new\r\n\r\nnew body\r\n")
	b.do("b6", `UID STORE 6 +FLAGS.SILENT (\Deleted)`)
	b.do("b7", "UID EXPUNGE 6")
	a.run(`
		C: a4 MOVE 1 Other
		S: * OK [COPYUID 1001 1 1] Moved
		S: * 1 EXPUNGE
		S: a4 OK MOVE completed
		C: a5 FETCH 1:* UID
		S: * 1 FETCH (UID 3)
		S: * 2 FETCH (UID 5)
		S: a5 OK FETCH completed
	`)
}

// A message another session expunged, while this one has not yet been told
// (RFC 2180 4): FETCH answers for the others and then OK [EXPUNGEISSUED]
// (RFC 5530), as Dovecot does, rather than the NO RFC 2180 4.1.2 would
// allow; COPY and MOVE copy nothing and answer NO [EXPUNGEISSUED], as
// Dovecot does, after the EXPUNGE they may carry; STORE sets the flags of
// the others and answers OK, as Dovecot does (RFC 2180 4.2.1).
func TestFetchCopyStoreOfExpungedMessage(t *testing.T) {
	st, u := inboxAndOther(t, 3)
	a := login(t, st, "melanie", "toybox")
	a.do("a1", "SELECT INBOX")
	b := login(t, st, "melanie", "toybox")
	expungeTwo := func() {
		b.do("b1", "SELECT INBOX")
		b.do("b2", `STORE 2 +FLAGS.SILENT (\Deleted)`)
		b.do("b3", "EXPUNGE")
	}
	expungeTwo()
	a.run(`
		C: a2 FETCH 1:3 UID
		S: * 1 FETCH (UID 1)
		S: * 3 FETCH (UID 3)
		S: a2 OK [EXPUNGEISSUED] Some messages were already expunged; another session expunged them, NOOP tells which
		C: a3 UID FETCH 2 UID
		S: a3 OK [EXPUNGEISSUED] ...
		C: a4 STORE 1:3 +FLAGS (\Flagged)
		S: * 1 FETCH (FLAGS (\Recent \Flagged))
		S: * 3 FETCH (FLAGS (\Recent \Flagged))
		S: a4 OK STORE completed
		C: a5 COPY 1:3 Other
		S: * 2 EXPUNGE
		S: a5 NO [EXPUNGEISSUED] Some of the requested messages no longer exist; another session expunged them, NOOP tells which
		C: a6 STATUS Other (MESSAGES)
		S: * STATUS Other (MESSAGES 0)
		S: a6 OK STATUS completed
	`)
	fill(t, u, "INBOX", 1)
	a.do("a7", "NOOP")
	expungeTwo()
	a.run(`
		C: a8 MOVE 1:2 Other
		S: * 2 EXPUNGE
		S: a8 NO [EXPUNGEISSUED] ...
		C: a9 UID MOVE 1 Other
		S: * OK [COPYUID 1001 1 1] Moved
		S: * 1 EXPUNGE
		S: a9 OK UID MOVE completed
	`)
}

// SEARCH, SORT and THREAD over a message another session expunged, while
// this one has not yet been told: keys of numbers alone still find it;
// keys of flags leave it out; keys that must read it leave it out and the
// answer says so with OK [EXPUNGEISSUED] (RFC 5530), as Dovecot's SEARCH
// and SORT do, for the client could not tell a message that does not
// match from one that is gone.
func TestSearchSortThreadOfExpungedMessage(t *testing.T) {
	st, _ := inboxAndOther(t, 3)
	a := login(t, st, "melanie", "toybox")
	a.do("a1", "SELECT INBOX")
	b := login(t, st, "melanie", "toybox")
	b.do("b1", "SELECT INBOX")
	b.do("b2", `STORE 2 +FLAGS.SILENT (\Deleted)`)
	b.do("b3", "EXPUNGE")
	a.run(`
		C: a2 SEARCH 1:3
		S: * SEARCH 1 2 3
		S: a2 OK SEARCH completed
		C: a3 UID SEARCH NOT UID 1
		S: * SEARCH 2 3
		S: a3 OK UID SEARCH completed
		C: a4 SEARCH TEXT text
		S: * SEARCH 1 3
		S: a4 OK [EXPUNGEISSUED] SEARCH completed; another session expunged some messages, NOOP tells which
		C: a5 SEARCH RETURN (COUNT) UNSEEN
		S: * ESEARCH (TAG "a5") COUNT 2
		S: a5 OK SEARCH completed
		C: a5 SEARCH RETURN (COUNT) TEXT text
		S: * ESEARCH (TAG "a5") COUNT 2
		S: a5 OK [EXPUNGEISSUED] ...
		C: a6 SORT (ARRIVAL) UTF-8 1:3
		S: * SORT 1 3
		S: a6 OK [EXPUNGEISSUED] ...
		C: a7 THREAD ORDEREDSUBJECT UTF-8 ALL
		S: * THREAD (1 3)
		S: a7 OK [EXPUNGEISSUED] ...
		C: a8 NOOP
		S: * 2 EXPUNGE
		S: a8 OK NOOP completed
		C: a9 SEARCH TEXT text
		S: * SEARCH 1 2
		S: a9 OK SEARCH completed
	`)
}

// A keyword new to the mailbox, set by STORE or brought by APPEND or COPY,
// is announced with FLAGS and PERMANENTFLAGS before the responses that
// carry it, in this session and in others (RFC 3501 7.2.6), as Dovecot
// does; a keyword already announced is not announced again.
func TestNewKeywordAnnouncedWithFlags(t *testing.T) {
	st, u := inboxAndOther(t, 2)
	forgetRecent(t, u, "INBOX")
	fill(t, u, "Other", 1, "$Later")
	a := login(t, st, "melanie", "toybox")
	a.do("a1", "SELECT INBOX")
	b := login(t, st, "melanie", "toybox")
	b.do("b1", "EXAMINE INBOX")
	a.run(`
		C: a2 STORE 1 +FLAGS (Work)
		S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft Work)
		S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft Work \*)] Limited
		S: * 1 FETCH (FLAGS (Work))
		S: a2 OK STORE completed
		C: a3 STORE 2 +FLAGS.SILENT (Work)
		S: a3 OK STORE completed
	`)
	b.run(`
		C: b2 NOOP
		S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft Work)
		S: * OK [PERMANENTFLAGS ()] No permanent flags permitted
		S: * 1 FETCH (FLAGS (Work))
		S: * 2 FETCH (FLAGS (Work))
		S: b2 OK NOOP completed
	`)
	a.run(`
		C: a4 APPEND INBOX ($Note) {18+}
		C: Subject: m
		C:
		C: body
		S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft $Note Work)
		S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft $Note Work \*)] Limited
		S: * 3 EXISTS
		S: * 1 RECENT
		S: a4 OK [APPENDUID 1000 3] APPEND completed
	`)
	b.do("b3", "SELECT Other")
	b.run(`
		C: b4 COPY 1 INBOX
		S: b4 OK [COPYUID 1000 1 4] COPY completed
	`)
	a.run(`
		C: a5 NOOP
		S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft $Later $Note Work)
		S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft $Later $Note Work \*)] Limited
		S: * 4 EXISTS
		S: * 2 RECENT
		S: a5 OK NOOP completed
	`)
}

// inboxAndOther makes melanie (toybox) with n messages in INBOX and an
// empty mailbox Other.
func inboxAndOther(t *testing.T, n int) (*mailstore.Store, *mailstore.User) {
	t.Helper()
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	fill(t, u, "INBOX", n)
	if err := u.CreateMailbox("Other"); err != nil {
		t.Fatal(err)
	}
	return st, u
}
