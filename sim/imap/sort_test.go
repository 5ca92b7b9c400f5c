package imap

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"maillab/sim/mailstore"
)

// searchFamilyExplained plays SORT, THREAD, ESEARCH, SEARCHRES and WITHIN
// for TestEveryResponseExplained, on a user of their own: twelve
// messages of twelve subjects, so THREAD has more threads than the pane
// lists one by one.
func searchFamilyExplained(t *testing.T, st *mailstore.Store, session func(Options, func(*conn))) {
	u := addUser(t, st, "sorter", "secret")
	mb, _ := u.Mailbox("INBOX")
	for i := range 12 {
		if _, err := mb.Append(message(fmt.Sprintf("topic %d", i), "text"), nil, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	session(Options{}, func(c *conn) {
		c.expect("* OK ...")
		c.do("r0", "LOGIN sorter secret")
		for i, cmd := range []string{"CAPABILITY", "SELECT INBOX", "SORT (REVERSE DATE SUBJECT) UTF-8 ALL", "UID SORT (DISPLAYFROM) UTF-8 1:3",
			"THREAD REFERENCES UTF-8 ALL", "UID THREAD ORDEREDSUBJECT UTF-8 1:2", "THREAD FOO UTF-8 ALL",
			"SEARCH RETURN (MIN MAX COUNT ALL) ALL", "UID SEARCH RETURN (PARTIAL 1:2) ALL", "SEARCH RETURN (SAVE) 1:2",
			"FETCH $ UID", "SORT RETURN (COUNT) (ARRIVAL) UTF-8 YOUNGER 60 OLDER 1",
			"SEARCH RETURN (UPDATE) FLAGGED", `STORE 1 +FLAGS (\Flagged)`, `STORE 1 -FLAGS (\Flagged)`, `CANCELUPDATE "r13"`, `CANCELUPDATE "r13"`,
			`STORE 1 +FLAGS.SILENT (\Seen)`, "SEARCH RETURN (UPDATE) OR (SEEN UNFLAGGED) (FLAGGED UNSEEN)", `STORE 1:2 +FLAGS.SILENT (\Flagged)`} {
			c.do(fmt.Sprintf("r%d", i+1), cmd)
		}
	})
}

// RFC 5256 2.1's base subject: leaders, trailers, blobs and the
// [fwd: ...] wrapper removed, repeatedly; whether the subject was a reply
// or a forward.
func TestBaseSubject(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		reply    bool
	}{
		{"Lecture notes", "Lecture notes", false},
		{"Re: Lecture notes", "Lecture notes", true},
		{"RE: re:  Lecture\t notes  ", "Lecture notes", true},
		{"Fwd: Lecture notes (fwd)", "Lecture notes", true},
		{"Fw: Lecture notes", "Lecture notes", true},
		{"Re[2]: Lecture notes", "Lecture notes", true},
		{"Re [list]: Lecture notes", "Lecture notes", true},
		{"[course] Re: Lecture notes", "Lecture notes", true},
		{"[course] Lecture notes", "Lecture notes", false},
		{"[course][2026] Re: [course] Lecture notes", "Lecture notes", true},
		{"[course]", "[course]", false},
		{"[fwd: Re: Lecture notes]", "Lecture notes", true},
		{"Re: [fwd: [course] Lecture notes (fwd)]", "Lecture notes", true},
		{"Ref: Lecture notes", "Ref: Lecture notes", false},
		{"Reply: Lecture notes", "Reply: Lecture notes", false},
		{"Re: (fwd)", "", true},
		{"   ", "", false},
		{"Re: Привет!", "Привет!", true},
	} {
		got, reply := baseSubject(tc.in)
		if got != tc.want || reply != tc.reply {
			t.Errorf("baseSubject(%q) = %q, %v; want %q, %v", tc.in, got, reply, tc.want, tc.reply)
		}
	}
}

// i;unicode-casemap: case does not count, and an accented letter sorts
// beside its base letter.
func TestCasemap(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"alex", "ALEX"}, {"Ján", "JA\u0301N"}, {"привет", "ПРИВЕТ"}, {"ёж", "Е\u0308Ж"}, {"Šťastný", "S\u030cT\u030cASTNY\u0301"},
	} {
		if got := casemap(tc.a); got != tc.b {
			t.Errorf("casemap(%q) = %q, want %q", tc.a, got, tc.b)
		}
	}
	if !(casemap("Ján") < casemap("Joe")) {
		t.Error(`"Ján" does not sort before "Joe"`)
	}
}

// sortStore holds messages whose keys each SORT criterion tells apart.
func sortStore(t *testing.T) *mailstore.Store {
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	mb, _ := u.Mailbox("INBOX")
	day := func(d int) time.Time { return time.Date(2026, 10, d, 12, 0, 0, 0, time.UTC) }
	for _, m := range []struct {
		head string
		size int
		at   time.Time
	}{
		// 1: sent the 3rd, arrived the 5th.
		{"From: Zed <zed@example.org>\r\nTo: alex@example.org\r\nCc: bob@example.org\r\nSubject: Re: beta\r\nDate: Sat, 3 Oct 2026 02:00:00 +0000\r\n", 10, day(5)},
		// 2: no Date: its sent date is its arrival, the 1st.
		{"From: =?UTF-8?Q?=C3=81da?= <ada@example.org>\r\nTo: Ann <zoe@example.org>\r\nSubject: alpha\r\n", 300, day(1)},
		// 3: the 2nd at 23:00 in New York is the 3rd at 03:00 in UTC, after 1.
		{"From: bob@example.org\r\nTo: bob@example.org\r\nSubject: [list] Alpha\r\nDate: Fri, 2 Oct 2026 23:00:00 -0400\r\n", 200, day(4)},
		// 4: equal to 3 in every key but size and arrival.
		{"From: bob@example.org\r\nTo: bob@example.org\r\nSubject: [list] Alpha\r\nDate: Fri, 2 Oct 2026 23:00:00 -0400\r\n", 200, day(2)},
	} {
		raw := m.head + "\r\n" + strings.Repeat("x", m.size) + "\r\n"
		if _, err := mb.Append([]byte(raw), nil, m.at); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// RFC 5256 3 and RFC 5957: each key, REVERSE for one key only, ties
// broken by sequence number; UID SORT answers UIDs; SORT's charset is
// required.
func TestSort(t *testing.T) {
	c := login(t, sortStore(t), "melanie", "toybox")
	c.do("s", "SELECT INBOX")
	c.run(`
		C: a1 SORT (ARRIVAL) UTF-8 ALL
		S: * SORT 2 4 3 1
		S: a1 OK SORT completed
		C: a2 SORT (DATE) UTF-8 ALL
		S: * SORT 2 1 3 4
		S: a2 OK SORT completed
		C: a3 SORT (REVERSE DATE) US-ASCII ALL
		S: * SORT 3 4 1 2
		S: a3 OK SORT completed
		C: a4 SORT (SUBJECT REVERSE SIZE) UTF-8 ALL
		S: * SORT 2 3 4 1
		S: a4 OK SORT completed
		C: a5 SORT (FROM) UTF-8 ALL
		S: * SORT 2 3 4 1
		S: a5 OK SORT completed
		C: a6 SORT (DISPLAYFROM) UTF-8 ALL
		S: * SORT 2 3 4 1
		S: a6 OK SORT completed
		C: a7 SORT (TO) UTF-8 NOT 1
		S: * SORT 3 4 2
		S: a7 OK SORT completed
		C: a8 SORT (DISPLAYTO) UTF-8 NOT 1
		S: * SORT 2 3 4
		S: a8 OK SORT completed
		C: a9 SORT (CC SIZE) UTF-8 ALL
		S: * SORT 3 4 2 1
		S: a9 OK SORT completed
		C: b1 UID SORT (REVERSE ARRIVAL) UTF-8 2:4
		S: * SORT 3 4 2
		S: b1 OK UID SORT completed
		C: b2 SORT (SIZE) UTF-8 SUBJECT nothing
		S: * SORT
		S: b2 OK SORT completed
		C: b3 SORT (SIZE) ALL
		S: b3 BAD SORT: search criteria: missing; SORT names a charset before them, e.g. UTF-8 ALL
		C: b4 SORT (SIZE) X-NONE ALL
		S: b4 NO [BADCHARSET (UTF-8 US-ASCII)] Charset X-NONE is not known here; use UTF-8
		C: b5 SORT (SIZE REVERSE) UTF-8 ALL
		S: b5 BAD ...
		C: b6 SORT () UTF-8 ALL
		S: b6 BAD SORT: sort criteria: empty; name at least one sort key, e.g. (ARRIVAL)
		C: b7 SORT (COLOUR) UTF-8 ALL
		S: b7 BAD ...
	`)
}
