package imap

import (
	"testing"
	"time"
)

// esearchConn has 6 messages, UIDs 1 to 6 arrived in that order, with 3
// expunged (so sequence numbers and UIDs differ), 2 and 4 \Seen.
func esearchConn(t *testing.T, o Options) *conn {
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	mb, _ := u.Mailbox("INBOX")
	for i := range 6 {
		if _, err := mb.Append(message("message", "text"), nil, time.Date(2026, 10, 1, i, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
	}
	o.Store = st
	c := dial(t, o)
	c.expect("* OK ...")
	c.do("l", "LOGIN melanie toybox")
	c.do("s", "SELECT INBOX")
	c.do("d", `STORE 3 +FLAGS.SILENT (\Deleted)`)
	c.do("e", "EXPUNGE")
	c.do("f", `STORE 2,4 +FLAGS.SILENT (\Seen)`)
	return c
}

// RFC 4731 ESEARCH and RFC 5267 PARTIAL: only the items asked for, in
// Dovecot's order, COUNT even when nothing matched, UID results as UIDs.
func TestESearch(t *testing.T) {
	c := esearchConn(t, Options{})
	c.run(`
		C: a1 SEARCH RETURN () ALL
		S: * ESEARCH (TAG "a1") ALL 1:5
		S: a1 OK SEARCH completed
		C: a2 SEARCH RETURN (COUNT MAX MIN) UNSEEN
		S: * ESEARCH (TAG "a2") MIN 1 MAX 5 COUNT 3
		S: a2 OK SEARCH completed
		C: a3 UID SEARCH RETURN (ALL) ALL
		S: * ESEARCH (TAG "a3") UID ALL 1:2,4:6
		S: a3 OK UID SEARCH completed
		C: a4 SEARCH RETURN (MIN MAX ALL COUNT) 10:12
		S: * ESEARCH (TAG "a4") COUNT 0
		S: a4 OK SEARCH completed
		C: a5 UID SEARCH RETURN (PARTIAL 2:3) ALL
		S: * ESEARCH (TAG "a5") UID PARTIAL (2:3 2,4)
		S: a5 OK UID SEARCH completed
		C: a6 SEARCH RETURN (PARTIAL 4:2 COUNT) ALL
		S: * ESEARCH (TAG "a6") PARTIAL (2:4 2:4) COUNT 5
		S: a6 OK SEARCH completed
		C: a7 SEARCH RETURN (PARTIAL 6:9) ALL
		S: * ESEARCH (TAG "a7") PARTIAL (6:9 NIL)
		S: a7 OK SEARCH completed
		C: a8 SEARCH RETURN (CONTEXT) SEEN
		S: * ESEARCH (TAG "a8") ALL 2,4
		S: a8 OK SEARCH completed
		C: a9 SORT RETURN (MIN MAX ALL) (REVERSE ARRIVAL) UTF-8 ALL
		S: * ESEARCH (TAG "a9") MIN 5 MAX 1 ALL 5,4,3,2,1
		S: a9 OK SORT completed
		C: b1 SORT RETURN (PARTIAL 2:3) (REVERSE ARRIVAL) UTF-8 ALL
		S: * ESEARCH (TAG "b1") PARTIAL (2:3 4,3)
		S: b1 OK SORT completed
		C: b2 SEARCH RETURN (PARTIAL 1:2 ALL) ALL
		S: b2 BAD SEARCH: RETURN's options: PARTIAL and ALL both ask for the matching messages; give one of them
		C: b3 SEARCH RETURN (PARTIAL 0:2) ALL
		S: b3 BAD ...
		C: b4 SEARCH RETURN (PARTIAL 1) ALL
		S: b4 BAD ...
		C: b5 SEARCH RETURN (PARTIAL 1:*) ALL
		S: b5 BAD ...
		C: b6 SEARCH RETURN (FIRST) ALL
		S: b6 BAD ...
		C: b7 SEARCH RETURN (LATER) ALL
		S: b7 BAD ...
		C: b8 SEARCH CHARSET UTF-8 RETURN (MIN) ALL
		S: b8 BAD ...
	`)
}

// RFC 5182 SEARCHRES: RETURN (SAVE) keeps the result as $, which SEARCH,
// FETCH, STORE and COPY take in place of a set; MIN and MAX save only
// themselves, PARTIAL its part; a failed search saves nothing, a
// malformed one leaves $ alone; expunged messages leave it; SELECT
// empties it.
func TestSearchRes(t *testing.T) {
	c := esearchConn(t, Options{})
	c.run(`
		C: a1 SEARCH $
		S: * SEARCH
		S: a1 OK SEARCH completed
		C: a2 UID SEARCH RETURN (SAVE) UNSEEN
		S: a2 OK UID SEARCH completed
		C: a3 FETCH $ (UID)
		S: * 1 FETCH (UID 1)
		S: * 3 FETCH (UID 4)
		S: * 5 FETCH (UID 6)
		S: a3 OK FETCH completed
		C: a4 UID SEARCH $ NOT 1
		S: * SEARCH 4 6
		S: a4 OK UID SEARCH completed
		C: a5 STORE $ +FLAGS (\Flagged)
		S: * 1 FETCH (FLAGS (\Recent \Flagged))
		S: * 3 FETCH (FLAGS (\Recent \Flagged))
		S: * 5 FETCH (FLAGS (\Recent \Flagged))
		S: a5 OK STORE completed
		C: a6 SEARCH RETURN (SAVE MIN MAX) SEEN
		S: * ESEARCH (TAG "a6") MIN 2 MAX 4
		S: a6 OK SEARCH completed
		C: a7 SEARCH $
		S: * SEARCH 2 4
		S: a7 OK SEARCH completed
		C: a8 SEARCH RETURN (SAVE PARTIAL 2:3) ALL
		S: * ESEARCH (TAG "a8") PARTIAL (2:3 2:3)
		S: a8 OK SEARCH completed
		C: a9 SEARCH RETURN (SAVE) FROBNICATE
		S: a9 BAD ...
		C: b1 SEARCH $
		S: * SEARCH 2 3
		S: b1 OK SEARCH completed
		C: b2 STORE 2 +FLAGS.SILENT (\Deleted)
		S: b2 OK STORE completed
		C: b3 EXPUNGE
		S: * 2 EXPUNGE
		S: b3 OK EXPUNGE completed
		C: b4 UID FETCH $ (UID)
		S: * 2 FETCH (UID 4)
		S: b4 OK UID FETCH completed
		C: b5 COPY $ INBOX
		S: * 5 EXISTS
		S: * 5 RECENT
		S: b5 OK [COPYUID 1000 4 7] COPY completed
		C: b6 SEARCH RETURN (SAVE) CHARSET X-NONE ALL
		S: b6 NO [BADCHARSET (UTF-8 US-ASCII)] ...
		C: b7 SEARCH $
		S: * SEARCH
		S: b7 OK SEARCH completed
		C: b8 SEARCH RETURN (SAVE) ALL
		S: b8 OK SEARCH completed
	`)
	c.do("b9", "SELECT INBOX")
	c.run(`
		C: c1 FETCH $ FLAGS
		S: c1 OK FETCH completed
	`)
}

// RFC 5032 WITHIN: OLDER and YOUNGER take an interval in seconds back
// from now, against the internal date; 0 is no interval.
func TestWithin(t *testing.T) {
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	mb, _ := u.Mailbox("INBOX")
	now := time.Now().Truncate(time.Second)
	for _, age := range []time.Duration{48 * time.Hour, time.Hour, time.Minute} {
		if _, err := mb.Append(message("m", "x"), nil, now.Add(-age)); err != nil {
			t.Fatal(err)
		}
	}
	c := dial(t, Options{Store: st, Now: func() time.Time { return now }})
	c.expect("* OK ...")
	c.do("l", "LOGIN melanie toybox")
	c.do("s", "SELECT INBOX")
	c.run(`
		C: w1 SEARCH YOUNGER 3600
		S: * SEARCH 3
		S: w1 OK SEARCH completed
		C: w2 SEARCH OLDER 3600
		S: * SEARCH 1 2
		S: w2 OK SEARCH completed
		C: w3 SEARCH YOUNGER 86400 OLDER 60
		S: * SEARCH 2 3
		S: w3 OK SEARCH completed
		C: w4 SEARCH NOT YOUNGER 172801
		S: * SEARCH
		S: w4 OK SEARCH completed
		C: w5 SEARCH OLDER 0
		S: w5 BAD ...
	`)
}

// RFC 5267 CONTEXT=SEARCH: RETURN (UPDATE) announces, under the search's
// tag, messages that begin to match (a flag this session or another set,
// a new message) and cease to (a flag cleared, an expunge, each just
// before its EXPUNGE with the number it gives), until CANCELUPDATE. The
// other session, which appended to the mailbox it has selected, learns of
// the new message first and so takes its \Recent.
func TestContextUpdate(t *testing.T) {
	c := esearchConn(t, Options{})
	other := login(t, c.s.o.Store, "melanie", "toybox")
	other.do("o1", "SELECT INBOX")
	c.run(`
		C: u1 SEARCH RETURN (UPDATE) FLAGGED
		S: * ESEARCH (TAG "u1")
		S: u1 OK SEARCH completed
		C: u2 UID SEARCH RETURN (UPDATE ALL) SEEN
		S: * ESEARCH (TAG "u2") UID ALL 2,5
		S: u2 OK UID SEARCH completed
		C: u3 STORE 1,3,4 +FLAGS (\Flagged)
		S: * 1 FETCH (FLAGS (\Recent \Flagged))
		S: * 3 FETCH (FLAGS (\Recent \Flagged))
		S: * 4 FETCH (FLAGS (\Recent \Seen \Flagged))
		S: * ESEARCH (TAG "u1") ADDTO (0 1,3:4)
		S: u3 OK STORE completed
		C: u4 STORE 1:2 -FLAGS.SILENT (\Flagged \Seen)
		S: * ESEARCH (TAG "u1") REMOVEFROM (0 1)
		S: * ESEARCH (TAG "u2") UID REMOVEFROM (0 2)
		S: u4 OK STORE completed
	`)
	other.do("o2", `STORE 3 +FLAGS.SILENT (\Deleted)`)
	other.do("o3", "EXPUNGE")
	other.do("o4", `APPEND INBOX (\Seen \Flagged) {1+}`+"\r\nx")
	c.run(`
		C: u5 NOOP
		S: * ESEARCH (TAG "u1") REMOVEFROM (0 3)
		S: * 3 EXPUNGE
		S: * 5 EXISTS
		S: * 4 RECENT
		S: * ESEARCH (TAG "u1") ADDTO (0 5)
		S: * ESEARCH (TAG "u2") UID ADDTO (0 7)
		S: u5 OK NOOP completed
		C: u6 CANCELUPDATE "u1"
		S: u6 OK CANCELUPDATE completed
		C: u7 CANCELUPDATE "u1"
		S: u7 NO No search with the tag "u1" is kept up to date
		C: u8 STORE 1 +FLAGS.SILENT (\Flagged \Seen)
		S: * ESEARCH (TAG "u2") UID ADDTO (0 1)
		S: u8 OK STORE completed
	`)
}

// RFC 5267 CONTEXT=SORT: a sorted result kept up to date says where each
// message joins (its position in the new order, applied in turn) and
// where it left.
func TestContextUpdateSort(t *testing.T) {
	c := esearchConn(t, Options{})
	c.run(`
		C: s1 SORT RETURN (UPDATE ALL) (REVERSE ARRIVAL) UTF-8 SEEN
		S: * ESEARCH (TAG "s1") ALL 4,2
		S: s1 OK SORT completed
		C: s2 UID SORT RETURN (UPDATE) (ARRIVAL) UTF-8 SEEN
		S: * ESEARCH (TAG "s2") UID
		S: s2 OK UID SORT completed
		C: s3 STORE 1,3 +FLAGS.SILENT (\Seen)
		S: * ESEARCH (TAG "s1") ADDTO (2 3 4 1)
		S: * ESEARCH (TAG "s2") UID ADDTO (1 1 3 4)
		S: s3 OK STORE completed
		C: s4 STORE 4 -FLAGS.SILENT (\Seen)
		S: * ESEARCH (TAG "s1") REMOVEFROM (1 4)
		S: * ESEARCH (TAG "s2") UID REMOVEFROM (4 5)
		S: s4 OK STORE completed
		C: s5 STORE 2 +FLAGS.SILENT (\Deleted)
		S: s5 OK STORE completed
		C: s6 EXPUNGE
		S: * ESEARCH (TAG "s1") REMOVEFROM (2 2)
		S: * ESEARCH (TAG "s2") UID REMOVEFROM (2 2)
		S: * 2 EXPUNGE
		S: s6 OK EXPUNGE completed
	`)
}
