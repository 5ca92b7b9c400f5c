package imap

import (
	"fmt"
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
			"FETCH $ UID", "SORT RETURN (COUNT) (ARRIVAL) UTF-8 YOUNGER 60 OLDER 1"} {
			c.do(fmt.Sprintf("r%d", i+1), cmd)
		}
	})
}
