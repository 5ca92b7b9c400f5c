package imap

import (
	"testing"

	"maillab/sim/event"
)

// The lecture's CAPABILITY, LOGIN and LOGOUT examples (RFC 3501 6.1, 6.2.3).
func TestLectureCapabilityLoginLogout(t *testing.T) {
	st := newStore(t, 1000)
	addUser(t, st, "SMITH", "SESAME")
	c := dial(t, Options{Store: st, Hostname: "shadrach.smallorg.org"})
	c.run(`
		S: * OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UIDPLUS MOVE UNSELECT SPECIAL-USE CHILDREN AUTH=PLAIN] shadrach.smallorg.org IMAP4rev1 server ready
		C: abcd CAPABILITY
		S: * CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UIDPLUS MOVE UNSELECT SPECIAL-USE CHILDREN AUTH=PLAIN
		S: abcd OK CAPABILITY completed
		C: a002 NOOP
		S: a002 OK NOOP completed
		C: a001 LOGIN SMITH SESAME
		S: a001 OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UIDPLUS MOVE UNSELECT SPECIAL-USE CHILDREN AUTH=PLAIN] LOGIN completed
		C: A023 LOGOUT
		S: * BYE shadrach.smallorg.org IMAP4rev1 server terminating connection
		S: A023 OK LOGOUT completed
	`)
	evs := c.wait()
	var path []string
	for _, e := range evs {
		if e.Kind == event.Transition {
			path = append(path, e.Transition+":"+e.To)
		}
	}
	want := "1:not-authenticated 4:authenticated 7:logout"
	if got := join(path); got != want {
		t.Errorf("transitions %q, want %q", got, want)
	}
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

// The lecture's SELECT example (RFC 3501 6.3.1): 172 messages, one recent,
// the first unseen is 12, UIDVALIDITY 3857529045.
func TestLectureSelect(t *testing.T) {
	st := newStore(t, 3857529045)
	u := addUser(t, st, "SMITH", "SESAME")
	fill(t, u, "INBOX", 11, `\Seen`)
	fill(t, u, "INBOX", 160)
	forgetRecent(t, u, "INBOX")
	fill(t, u, "INBOX", 1)
	c := dial(t, Options{Store: st})
	c.run(`
		S: * OK ...
		C: a001 LOGIN SMITH SESAME
		S: a001 OK ...
		C: A142 SELECT INBOX
		S: * 172 EXISTS
		S: * 1 RECENT
		S: * OK [UNSEEN 12] Message 12 is first unseen
		S: * OK [UIDVALIDITY 3857529045] UIDs valid
		S: * OK [UIDNEXT 173] Predicted next UID
		S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft)
		S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft \*)] Limited
		S: A142 OK [READ-WRITE] SELECT completed
		C: A143 EXAMINE nosuch
		S: A143 NO [NONEXISTENT] ...
		C: A144 FETCH 1 FLAGS
		S: A144 BAD FETCH is not allowed in the AUTHENTICATED state, only in the SELECTED state; select a mailbox first, e.g. SELECT INBOX
		C: A145 LOGOUT
		S: * BYE ...
		S: A145 OK LOGOUT completed
	`)
	var path []string
	for _, e := range c.wait() {
		if e.Kind == event.Transition {
			path = append(path, e.Transition+":"+e.To)
		}
	}
	if got, want := join(path), "1:not-authenticated 4:authenticated 5:selected 6:authenticated 7:logout"; got != want {
		t.Errorf("transitions %q, want %q", got, want)
	}
}
