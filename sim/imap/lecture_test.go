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
		S: * OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UIDPLUS MOVE UNSELECT SPECIAL-USE CHILDREN BINARY MULTIAPPEND CATENATE LIST-EXTENDED LIST-STATUS CONDSTORE QRESYNC SORT SORT=DISPLAY THREAD=ORDEREDSUBJECT THREAD=REFERENCES THREAD=REFS ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH CONTEXT=SORT AUTH=PLAIN AUTH=LOGIN AUTH=CRAM-MD5 AUTH=SCRAM-SHA-1 AUTH=SCRAM-SHA-256] shadrach.smallorg.org IMAP4rev1 server ready
		C: abcd CAPABILITY
		S: * CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UIDPLUS MOVE UNSELECT SPECIAL-USE CHILDREN BINARY MULTIAPPEND CATENATE LIST-EXTENDED LIST-STATUS CONDSTORE QRESYNC SORT SORT=DISPLAY THREAD=ORDEREDSUBJECT THREAD=REFERENCES THREAD=REFS ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH CONTEXT=SORT AUTH=PLAIN AUTH=LOGIN AUTH=CRAM-MD5 AUTH=SCRAM-SHA-1 AUTH=SCRAM-SHA-256
		S: abcd OK CAPABILITY completed
		C: a002 NOOP
		S: a002 OK NOOP completed
		C: a001 LOGIN SMITH SESAME
		S: a001 OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UIDPLUS MOVE UNSELECT SPECIAL-USE CHILDREN BINARY MULTIAPPEND CATENATE LIST-EXTENDED LIST-STATUS CONDSTORE QRESYNC SORT SORT=DISPLAY THREAD=ORDEREDSUBJECT THREAD=REFERENCES THREAD=REFS ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH CONTEXT=SORT AUTH=PLAIN AUTH=LOGIN AUTH=CRAM-MD5 AUTH=SCRAM-SHA-1 AUTH=SCRAM-SHA-256] LOGIN completed
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
		S: A143 NO Mailbox nosuch does not exist; LIST "" * shows the mailboxes
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

// The lecture's STATUS session: alex/drums, one message in INBOX and one in
// newbox, both read and no longer recent.
func TestLectureStatus(t *testing.T) {
	st := newStore(t, 1000)
	u := addUser(t, st, "alex", "drums")
	if err := u.CreateMailbox("newbox"); err != nil {
		t.Fatal(err)
	}
	fill(t, u, "INBOX", 1, `\Seen`)
	fill(t, u, "newbox", 1, `\Seen`)
	forgetRecent(t, u, "INBOX")
	c := dial(t, Options{Store: st, Hostname: "shadrach.smallorg.org"})
	c.run(`
		S: * OK ...
		C: a1 login alex drums
		S: a1 OK [CAPABILITY ...
		C: a2 status inbox (messages recent unseen)
		S: * STATUS inbox (MESSAGES 1 RECENT 0 UNSEEN 0)
		S: a2 OK STATUS completed
		C: a3 status newbox (messages uidnext unseen)
		S: * STATUS newbox (MESSAGES 1 UNSEEN 0 UIDNEXT 2)
		S: a3 OK STATUS completed
		C: a4 logout
		S: * BYE shadrach.smallorg.org IMAP4rev1 server terminating connection
		S: a4 OK LOGOUT completed
	`)
	c.wait()
}

// The lecture's NOOP example: while session A is selected, session B
// deletes message 22 and flags message 14, and new mail arrives; A's NOOP
// then reports all of it.
func TestLectureNoopUpdates(t *testing.T) {
	st := newStore(t, 1000)
	u := addUser(t, st, "SMITH", "SESAME")
	fill(t, u, "INBOX", 20)
	forgetRecent(t, u, "INBOX")
	fill(t, u, "INBOX", 3) // 21-23: \Recent for A, the first to select
	a := dial(t, Options{Store: st})
	a.run(`
		S: * OK ...
		C: a001 LOGIN SMITH SESAME
		S: a001 OK ...
		C: a002 SELECT INBOX
		S: * 23 EXISTS
		S: * 3 RECENT
		S: * OK [UNSEEN 1] Message 1 is first unseen
		S: * OK [UIDVALIDITY 1000] UIDs valid
		S: * OK [UIDNEXT 24] Predicted next UID
		S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft)
		S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft \*)] Limited
		S: a002 OK [READ-WRITE] SELECT completed
	`)
	b := dial(t, Options{Store: st})
	b.run(`
		S: * OK ...
		C: b1 LOGIN SMITH SESAME
		S: b1 OK ...
		C: b2 SELECT INBOX
		S: * 23 EXISTS
		S: * 0 RECENT
		S: * OK [UNSEEN 1] ...
		S: * OK [UIDVALIDITY 1000] UIDs valid
		S: * OK [UIDNEXT 24] Predicted next UID
		S: * FLAGS ...
		S: * OK [PERMANENTFLAGS ...
		S: b2 OK [READ-WRITE] SELECT completed
		C: b3 STORE 22 +FLAGS.SILENT (\Deleted)
		S: b3 OK STORE completed
		C: b4 EXPUNGE
		S: * 22 EXPUNGE
		S: b4 OK EXPUNGE completed
		C: b5 STORE 14 +FLAGS (\Seen \Deleted)
		S: * 14 FETCH (FLAGS (\Seen \Deleted))
		S: b5 OK STORE completed
		C: b6 LOGOUT
		S: * BYE ...
		S: b6 OK LOGOUT completed
	`)
	b.wait()
	if _, err := st.Deliver("SMITH", message("new", "mail")); err != nil {
		t.Fatal(err)
	}
	a.run(`
		C: a047 NOOP
		S: * 22 EXPUNGE
		S: * 23 EXISTS
		S: * 3 RECENT
		S: * 14 FETCH (FLAGS (\Seen \Deleted))
		S: a047 OK NOOP completed
	`)
}

// The lecture's CREATE example with the hierarchy delimiter, and LIST
// showing the result (RFC 3501 6.3.3, 6.3.8); DELETE of a mailbox with
// inferiors leaves a \Noselect name (RFC 3501 6.3.4).
func TestLectureCreateHierarchy(t *testing.T) {
	st := newStore(t, 1000)
	addUser(t, st, "SMITH", "SESAME")
	c := dial(t, Options{Store: st})
	c.run(`
		S: * OK ...
		C: a001 LOGIN SMITH SESAME
		S: a001 OK ...
		C: A003 CREATE owatagusiam/
		S: A003 OK CREATE completed
		C: A004 CREATE owatagusiam/blurdybloop
		S: A004 OK CREATE completed
		C: A005 LIST "" ""
		S: * LIST (\Noselect) "/" ""
		S: A005 OK LIST completed
		C: A006 LIST "" *
		S: * LIST (\HasNoChildren) "/" INBOX
		S: * LIST (\HasChildren) "/" owatagusiam
		S: * LIST (\HasNoChildren) "/" owatagusiam/blurdybloop
		S: A006 OK LIST completed
		C: A007 LIST "" %
		S: * LIST (\HasNoChildren) "/" INBOX
		S: * LIST (\HasChildren) "/" owatagusiam
		S: A007 OK LIST completed
		C: A008 LIST owatagusiam/ %
		S: * LIST (\HasNoChildren) "/" owatagusiam/blurdybloop
		S: A008 OK LIST completed
		C: A009 CREATE owatagusiam
		S: A009 NO [ALREADYEXISTS] Mailbox owatagusiam already exists
		C: A010 CREATE inbox
		S: A010 NO [ALREADYEXISTS] INBOX always exists
		C: A011 CREATE ../etc
		S: A011 NO [CANNOT] ...
		C: A011b CREATE "a*b"
		S: A011b NO [CANNOT] Mailbox names cannot contain * or %: LIST uses them as wildcards
		C: A012 SUBSCRIBE owatagusiam/blurdybloop
		S: A012 OK SUBSCRIBE completed
		C: A013 LSUB "" *
		S: * LSUB () "/" INBOX
		S: * LSUB () "/" owatagusiam/blurdybloop
		S: A013 OK LSUB completed
		C: A013b LSUB "" %
		S: * LSUB () "/" INBOX
		S: * LSUB (\Noselect) "/" owatagusiam
		S: A013b OK LSUB completed
		C: A014 DELETE owatagusiam
		S: A014 OK DELETE completed
		C: A014b LIST "" *
		S: * LIST (\HasNoChildren) "/" INBOX
		S: * LIST (\Noselect \HasChildren) "/" owatagusiam
		S: * LIST (\HasNoChildren) "/" owatagusiam/blurdybloop
		S: A014b OK LIST completed
		C: A014c SELECT owatagusiam
		S: A014c NO owatagusiam is no mailbox, only a level (\Noselect) above others; LIST "" "owatagusiam/*" shows the mailboxes below it
		C: A014d DELETE owatagusiam
		S: A014d NO [HASCHILDREN] owatagusiam is no mailbox, only a level (\Noselect) above others; delete the mailboxes below it first
		C: A015 RENAME owatagusiam/blurdybloop owatagusiam/sarasoop
		S: A015 OK RENAME completed
		C: A016 LIST owatagusiam/ *
		S: * LIST (\HasNoChildren) "/" owatagusiam/sarasoop
		S: A016 OK LIST completed
	`)
}

// The lecture's data formats: a literal {2}ab is the string "ab", and a
// client waits for "+" before sending a synchronizing literal's octets.
func TestLectureLiteral(t *testing.T) {
	st := newStore(t, 1000)
	addUser(t, st, "ab", "secret")
	c := dial(t, Options{Store: st})
	c.run(`
		S: * OK ...
		C: a1 LOGIN {2}
		S: + Ready for literal data
		C: ab {6+}
		C: secret
		S: a1 OK [CAPABILITY ...
	`)
	c.sendRaw("a2 STATUS {5+}\r\nINBOX (MESSAGES)\r\n")
	c.run(`
		S: * STATUS INBOX (MESSAGES 0)
		S: a2 OK STATUS completed
	`)
}
