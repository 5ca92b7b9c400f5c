package imap

import (
	"testing"

	"maillab/sim/mailstore"
	"maillab/sim/mailstore/storetest"
)

// A mailbox whose folder could not be read when the Maildir was opened
// answers NO [UNAVAILABLE] to whatever opens it; it is still listed
// (without the special use, which is the mailbox's), and the other
// mailboxes serve.
func TestUnreadableMailbox(t *testing.T) {
	c := login(t, unreadableStore(t), "kim", "secret123")
	c.run(`
		C: a0 LIST "" *
		S: * LIST (\HasNoChildren) "/" INBOX
		S: * LIST (\HasNoChildren \Drafts) "/" Drafts
		S: * LIST (\HasNoChildren) "/" Sent
		S: a0 OK LIST completed
		C: a1 SELECT Sent
		S: a1 NO [UNAVAILABLE] Mailbox Sent cannot be read from the disk; the server's log says why
		C: a2 STATUS Sent (MESSAGES)
		S: a2 NO [UNAVAILABLE] Mailbox Sent cannot be read from the disk; the server's log says why
		C: a3 STATUS Drafts (MESSAGES)
		S: * STATUS Drafts (MESSAGES 1)
		S: a3 OK STATUS completed
	`)
}

// unreadableStore serves kim/secret123 from a Maildir whose Sent folder
// cannot be listed, beside INBOX and Drafts.
func unreadableStore(t *testing.T) *mailstore.Store {
	t.Helper()
	fsys := storetest.Tree(t, map[string]string{
		"passwd":                            "kim:{PLAIN}secret123\n",
		"kim/cur/1000.M1P1.lab:2,S":         "Subject: one\n\nx\n",
		"kim/.Sent/cur/1001.M1P1.lab:2,S":   "Subject: sent\n\ny\n",
		"kim/.Sent/maildirfolder":           "",
		"kim/.Drafts/cur/1002.M1P1.lab:2,D": "Subject: draft\n\nz\n",
	})
	st, err := mailstore.ServeMaildir(storetest.ListingFS{FS: fsys, Broken: "kim/.Sent/"}, ".", mailstore.ServeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return st
}
