package imap

import (
	"testing"
)

// condstoreBox: INBOX of 5 messages, UIDs 1-5, mod-sequences 2-6 (one per
// APPEND), HIGHESTMODSEQ 6, UIDVALIDITY 1000.
func condstoreBox(t *testing.T) (*conn, *conn) {
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	fill(t, u, "INBOX", 5)
	forgetRecent(t, u, "INBOX")
	return login(t, st, "melanie", "toybox"), login(t, st, "melanie", "toybox")
}

// TestCondstoreRFC plays RFC 7162's CONDSTORE examples (sections 3.1.2 to
// 3.1.6), with this mailbox's numbers.
func TestCondstoreRFC(t *testing.T) {
	c, other := condstoreBox(t)
	c.run(`
C: a0 SELECT INBOX
S: * 5 EXISTS
S: * 0 RECENT
S: * OK [UNSEEN 1] ...
S: * OK [UIDVALIDITY 1000] UIDs valid
S: * OK [UIDNEXT 6] Predicted next UID
S: * FLAGS ...
S: * OK [PERMANENTFLAGS ...
S: a0 OK [READ-WRITE] SELECT completed
C: a1 FETCH 2 (MODSEQ)
S: * OK [HIGHESTMODSEQ 6] Highest
S: * 2 FETCH (MODSEQ (3))
S: a1 OK FETCH completed
C: a2 STORE 1 +FLAGS (\Seen)
S: * 1 FETCH (MODSEQ (7) FLAGS (\Seen))
S: a2 OK STORE completed
C: a3 STORE 2,3 +FLAGS.SILENT (\Flagged)
S: * 2 FETCH (MODSEQ (8))
S: * 3 FETCH (MODSEQ (8))
S: a3 OK STORE completed
C: a4 STORE 3,2,4 (UNCHANGEDSINCE 7) +FLAGS.SILENT (\Deleted)
S: * 4 FETCH (MODSEQ (9))
S: a4 OK [MODIFIED 2:3] Conditional STORE failed
C: a5 UID STORE 1:2 (UNCHANGEDSINCE 0) -FLAGS (\Seen)
S: a5 OK [MODIFIED 1:2] Conditional STORE failed
C: a6 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 7)
S: * 2 FETCH (UID 2 FLAGS (\Flagged) MODSEQ (8))
S: * 3 FETCH (UID 3 FLAGS (\Flagged) MODSEQ (8))
S: * 4 FETCH (UID 4 FLAGS (\Deleted) MODSEQ (9))
S: a6 OK UID FETCH completed
C: a7 SEARCH MODSEQ 8
S: * SEARCH 2 3 4 (MODSEQ 9)
S: a7 OK SEARCH completed
C: a8 SEARCH MODSEQ "/flags/\\draft" all 8 NOT DELETED
S: * SEARCH 2 3 (MODSEQ 8)
S: a8 OK SEARCH completed
C: a9 SEARCH MODSEQ 10
S: * SEARCH
S: a9 OK SEARCH completed
C: a9a SEARCH RETURN (ALL) MODSEQ 7
S: * ESEARCH (TAG "a9a") ALL 1:4 MODSEQ 9
S: a9a OK SEARCH completed
C: a9b SEARCH RETURN (MIN) MODSEQ 7
S: * ESEARCH (TAG "a9b") MIN 1 MODSEQ 7
S: a9b OK SEARCH completed
C: a9c UID SEARCH RETURN (COUNT) MODSEQ 10
S: * ESEARCH (TAG "a9c") UID COUNT 0
S: a9c OK UID SEARCH completed
C: a10 STATUS INBOX (MESSAGES HIGHESTMODSEQ)
S: * STATUS INBOX (MESSAGES 5 HIGHESTMODSEQ 9)
S: a10 OK STATUS completed
`)
	// Another session's change reaches a CONDSTORE client with MODSEQ.
	other.do("b1", "SELECT INBOX")
	other.do("b2", `STORE 5 +FLAGS (\Answered)`)
	c.run(`
C: a11 NOOP
S: * 5 FETCH (MODSEQ (10) FLAGS (\Answered))
S: a11 OK NOOP completed
C: a12 EXPUNGE
S: * 4 EXPUNGE
S: a12 OK EXPUNGE completed
`)
}

// TestQresyncRFC plays RFC 7162's QRESYNC examples (sections 3.2.5 to
// 3.2.10): SELECT with QRESYNC, VANISHED (EARLIER), VANISHED in place of
// EXPUNGE, UID FETCH with VANISHED.
func TestQresyncRFC(t *testing.T) {
	c, other := condstoreBox(t)
	other.do("b1", "SELECT INBOX")
	other.do("b2", `STORE 2,4 +FLAGS.SILENT (\Deleted)`) // modseq 7
	other.do("b3", "EXPUNGE")                            // modseq 8
	other.do("b4", `STORE 1 +FLAGS.SILENT (\Seen)`)      // modseq 9
	c.run(`
C: a1 SELECT INBOX (QRESYNC (1000 6))
S: a1 BAD SELECT: QRESYNC is not enabled; send ENABLE QRESYNC first
C: a2 ENABLE QRESYNC
S: * ENABLED QRESYNC
S: a2 OK ENABLE completed
C: a3 SELECT INBOX (QRESYNC (1000 6 1:5))
S: * FLAGS ...
S: * OK [PERMANENTFLAGS ...
S: * 3 EXISTS
S: * 0 RECENT
S: * OK [UNSEEN 2] ...
S: * OK [UIDVALIDITY 1000] UIDs valid
S: * OK [UIDNEXT 6] Predicted next UID
S: * OK [HIGHESTMODSEQ 9] Highest
S: * VANISHED (EARLIER) 2,4
S: * 1 FETCH (UID 1 FLAGS (\Seen) MODSEQ (9))
S: a3 OK [READ-WRITE] SELECT completed
C: a4 EXAMINE INBOX (QRESYNC (1000 7 3:5 (1:2 3:4)))
S: * OK [CLOSED] Previous mailbox closed.
S: * FLAGS ...
S: * OK [PERMANENTFLAGS ()] ...
S: * 3 EXISTS
S: * 0 RECENT
S: * OK [UNSEEN 2] ...
S: * OK [UIDVALIDITY 1000] UIDs valid
S: * OK [UIDNEXT 6] Predicted next UID
S: * OK [HIGHESTMODSEQ 9] Highest
S: * VANISHED (EARLIER) 4
S: a4 OK [READ-ONLY] EXAMINE completed
C: a5 SELECT INBOX (QRESYNC (999 1))
S: * OK [CLOSED] Previous mailbox closed.
S: * FLAGS ...
S: * OK [PERMANENTFLAGS ...
S: * 3 EXISTS
S: * 0 RECENT
S: * OK [UNSEEN 2] ...
S: * OK [UIDVALIDITY 1000] UIDs valid
S: * OK [UIDNEXT 6] Predicted next UID
S: * OK [HIGHESTMODSEQ 9] Highest
S: a5 OK [READ-WRITE] SELECT completed
C: a6 UID STORE 3 +FLAGS (\Deleted)
S: * 2 FETCH (UID 3 MODSEQ (10) FLAGS (\Deleted))
S: a6 OK UID STORE completed
C: a7 EXPUNGE
S: * VANISHED 3
S: a7 OK [HIGHESTMODSEQ 11] EXPUNGE completed
C: a8 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 8 VANISHED)
S: * VANISHED (EARLIER) 3
S: * 1 FETCH (UID 1 FLAGS (\Seen) MODSEQ (9))
S: a8 OK UID FETCH completed
C: a9 FETCH 1:* (FLAGS) (CHANGEDSINCE 8 VANISHED)
S: a9 BAD FETCH: fetch modifiers: VANISHED needs UID FETCH and ENABLE QRESYNC first
`)
	other.do("b5", `UID STORE 5 +FLAGS.SILENT (\Deleted)`)
	other.do("b6", "UID EXPUNGE 5")
	c.run(`
C: a10 NOOP
S: * VANISHED 5
S: a10 OK [HIGHESTMODSEQ 13] NOOP completed
C: a11 UID FETCH 1:10 (FLAGS) (CHANGEDSINCE 1 VANISHED)
S: * VANISHED (EARLIER) 2:5
S: * 1 FETCH (UID 1 FLAGS (\Seen) MODSEQ (9))
S: a11 OK UID FETCH completed
`)
}

// TestQresyncHeldExpunge: an expunge this session cannot be told during
// STORE keeps the HIGHESTMODSEQ its tagged OK gives below the expunge,
// though the STORE's own MODSEQ is higher; a UID command may tell it, as
// VANISHED names UIDs (RFC 3501 7.4.1 allows expunges during UID
// commands).
func TestQresyncHeldExpunge(t *testing.T) {
	c, other := condstoreBox(t)
	c.do("a1", "ENABLE QRESYNC")
	c.do("a2", "SELECT INBOX")
	other.do("b1", "SELECT INBOX")
	other.do("b2", `STORE 2 +FLAGS.SILENT (\Deleted)`) // modseq 7
	other.do("b3", "EXPUNGE")                          // modseq 8
	c.run(`
C: a3 STORE 1 +FLAGS (\Seen)
S: * 1 FETCH (UID 1 MODSEQ (9) FLAGS (\Seen))
S: a3 OK [HIGHESTMODSEQ 7] STORE completed
C: a4 SEARCH DELETED
S: * SEARCH
S: a4 OK SEARCH completed
C: a5 UID FETCH 1 (FLAGS)
S: * 1 FETCH (UID 1 FLAGS (\Seen))
S: * VANISHED 2
S: a5 OK [HIGHESTMODSEQ 9] UID FETCH completed
`)
}
