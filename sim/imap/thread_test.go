package imap

import (
	"strings"
	"testing"
	"time"
)

// threadStore holds messages in arrival order: a parent that arrives
// after its reply, a reply to a message that is not there, two threads of
// one subject, a reference loop and a message with neither Date nor
// Message-ID.
func threadStore(t *testing.T, msgs ...string) *conn {
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	mb, _ := u.Mailbox("INBOX")
	for _, m := range msgs {
		raw := strings.ReplaceAll(m, "\n", "\r\n") + "\r\nbody\r\n"
		if _, err := mb.Append([]byte(raw), nil, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
	}
	c := login(t, st, "melanie", "toybox")
	c.do("s", "SELECT INBOX")
	return c
}

func hdr(id, refs, subject, date string) string {
	h := "Message-ID: <" + id + "@x>\nSubject: " + subject + "\nDate: " + date + " Oct 2026 10:00:00 +0000\n"
	if refs != "" {
		h += "References: " + refs + "\n"
	}
	return h
}

// RFC 5256 4, REFERENCES: links from References (or In-Reply-To),
// dummies for messages not there, threads and siblings by sent date,
// top-level threads of one base subject gathered.
func TestThreadReferences(t *testing.T) {
	c := threadStore(t,
		hdr("a2", "<a1@x>", "Re: notes", "2"),        // 1: reply to a1, which arrives later
		hdr("a1", "", "notes", "1"),                  // 2
		hdr("b2", "<b1@x>", "Re: exam", "3"),         // 3: b1 is not there: a dummy
		hdr("b3", "<b1@x>", "Re: exam", "4"),         // 4: a sibling under the dummy
		hdr("a3", "<a1@x> <a2@x>", "Re: notes", "5"), // 5: under 1
		hdr("c1", "", "exam", "6"),                   // 6: the subject of the dummy's thread
		hdr("d1", "<d2@x>", "loop", "7"),             // 7
		hdr("d2", "<d1@x>", "loop", "8"),             // 8: 7 named it its parent; its own reference to 7 would close a loop
		"Subject: Re: nothing\nFrom: a@x\n",          // 9: no Message-ID, no Date
		"Message-ID: <e1@x>\nIn-Reply-To: Your message <a3@x>\nSubject: Re: notes\nDate: 9 Oct 2026 10:00:00 +0000\n", // 10: under 5
	)
	c.run(`
		C: t1 THREAD REFERENCES UTF-8 ALL
		S: * THREAD (9)(2 1 5 10)((3)(4)(6))(8 7)
		S: t1 OK THREAD completed
		C: t2 UID THREAD REFERENCES US-ASCII NOT 2
		S: * THREAD (9)(1 5 10)((3)(4)(6))(8 7)
		S: t2 OK UID THREAD completed
		C: t3 THREAD REFERENCES UTF-8 SUBJECT nothing-here
		S: * THREAD
		S: t3 OK THREAD completed
	`)
}

// RFC 5256 4, ORDEREDSUBJECT: one thread per base subject, the first
// message the parent of the others, threads by their first message's date.
func TestThreadOrderedSubject(t *testing.T) {
	c := threadStore(t,
		hdr("1", "", "Re: notes", "3"),
		hdr("2", "", "exam", "2"),
		hdr("3", "", "notes", "1"),
		hdr("4", "", "[course] Exam", "4"),
		hdr("5", "", "Fwd: notes", "5"),
		hdr("6", "", "misc", "6"),
		hdr("7", "", "Exam (fwd)", "7"),
	)
	c.run(`
		C: o1 THREAD ORDEREDSUBJECT UTF-8 ALL
		S: * THREAD (3 (1)(5))(2 (4)(7))(6)
		S: o1 OK THREAD completed
		C: o2 THREAD ORDEREDSUBJECT UTF-8 1:2
		S: * THREAD (2)(1)
		S: o2 OK THREAD completed
		C: o3 THREAD ORDEREDSUBJECT UTF-8 3,5
		S: * THREAD (3 5)
		S: o3 OK THREAD completed
		C: o4 THREAD FOO UTF-8 ALL
		S: o4 BAD THREAD: thread algorithm: FOO is not a threading algorithm here; CAPABILITY lists THREAD=ORDEREDSUBJECT, THREAD=REFERENCES and THREAD=REFS
		C: o5 THREAD ORDEREDSUBJECT X-NONE ALL
		S: o5 NO [BADCHARSET (UTF-8 US-ASCII)] ...
	`)
}

// THREAD=REFS, as Dovecot threads: REFERENCES's links, no gathering by
// subject, threads ordered by their latest message.
func TestThreadRefs(t *testing.T) {
	c := threadStore(t,
		hdr("a1", "", "notes", "1"),           // 1
		hdr("b1", "", "exam", "2"),            // 2
		hdr("a2", "<a1@x>", "Re: notes", "5"), // 3: the latest, so its thread goes last
		hdr("c1", "", "Re: exam", "3"),        // 4: a thread of its own, not under 2
		hdr("b2", "<b1@x>", "Re: exam", "4"),  // 5
	)
	c.run(`
		C: f1 THREAD REFS UTF-8 ALL
		S: * THREAD (4)(2 5)(1 3)
		S: f1 OK THREAD completed
		C: f2 THREAD REFERENCES UTF-8 ALL
		S: * THREAD (1 3)(2 (4)(5))
		S: f2 OK THREAD completed
	`)
}
