package imap

import (
	"testing"
	"time"
)

// TestContextUpdateSortQresync: a sorted result kept up to date
// (CONTEXT=SORT, which Dovecot does not offer) loses expunged messages
// before VANISHED too, as RFC 5267 4.3 and RFC 7162 3.2.10 together ask:
// each position-number pair in the order the client applies them, the
// position counted in the result as the pairs before left it.
func TestContextUpdateSortQresync(t *testing.T) {
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	mb, _ := u.Mailbox("INBOX")
	for i := range 6 {
		if _, err := mb.Append(message("message", "text"), []string{`\Seen`}, time.Date(2026, 10, 1, i, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
	}
	forgetRecent(t, u, "INBOX")
	c := dial(t, Options{Store: st})
	c.expect("* OK ...")
	c.do("l", "LOGIN melanie toybox")
	c.do("e", "ENABLE QRESYNC")
	c.do("s", "SELECT INBOX")
	c.run(`
		C: s1 SORT RETURN (UPDATE ALL) (REVERSE ARRIVAL) UTF-8 SEEN
		S: * ESEARCH (TAG "s1") ALL 6,5,4,3,2,1
		S: s1 OK SORT completed
		C: s2 UID SORT RETURN (UPDATE) (ARRIVAL) UTF-8 SEEN
		S: * ESEARCH (TAG "s2") UID
		S: s2 OK UID SORT completed
		C: s3 STORE 2,4 +FLAGS.SILENT (\Deleted)
		S: * 2 FETCH (UID 2 MODSEQ (8))
		S: * 4 FETCH (UID 4 MODSEQ (8))
		S: s3 OK STORE completed
		C: s4 EXPUNGE
		S: * ESEARCH (TAG "s1") REMOVEFROM (5 2 3 4)
		S: * ESEARCH (TAG "s2") UID REMOVEFROM (2 2 3 4)
		S: * VANISHED 2,4
		S: s4 OK [HIGHESTMODSEQ 9] EXPUNGE completed
	`)
}
