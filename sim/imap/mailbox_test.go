package imap

import (
	"testing"

	"github.com/hack-pad/hackpadfs"
	"github.com/hack-pad/hackpadfs/mem"

	"maillab/sim/mailstore"
)

// APPEND with flags and a date, COPY and MOVE with UIDPLUS codes, UID
// EXPUNGE and CLOSE's silent expunge (RFC 3501 6.3.11, 6.4; RFC 4315, 6851).
func TestAppendCopyMoveExpunge(t *testing.T) {
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	if err := u.CreateMailbox("Archive"); err != nil {
		t.Fatal(err)
	}
	c := login(t, st, "melanie", "toybox")
	c.run(`
		C: a1 APPEND INBOX (\Seen $Note) "17-Jul-1996 02:44:25 -0700" {20}
		S: + Ready for literal data
		C: Subject: hi
		C:
		C: hello
		S: a1 OK [APPENDUID 1000 1] APPEND completed
		C: a2 APPEND nosuch {1+}
		C: x
		S: a2 NO [TRYCREATE] Mailbox nosuch does not exist; CREATE it first
	`)
	for i := 0; i < 3; i++ {
		c.do("ap", "APPEND INBOX {1+}\r\nx")
	}
	c.run(`
		C: a3 SELECT INBOX
		S: * 4 EXISTS
		S: * 4 RECENT
		S: * OK [UNSEEN 2] Message 2 is first unseen
		S: * OK [UIDVALIDITY 1000] UIDs valid
		S: * OK [UIDNEXT 5] Predicted next UID
		S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft $Note)
		S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft $Note \*)] Limited
		S: a3 OK [READ-WRITE] SELECT completed
		C: a4 FETCH 1 (FLAGS INTERNALDATE RFC822.SIZE)
		S: * 1 FETCH (FLAGS (\Recent \Seen $Note) INTERNALDATE "17-Jul-1996 02:44:25 -0700" RFC822.SIZE 20)
		S: a4 OK FETCH completed
		C: a5 COPY 1:2 Archive
		S: a5 OK [COPYUID 1001 1:2 1:2] COPY completed
		C: a6 UID MOVE 3 Archive
		S: * OK [COPYUID 1001 3 3] Moved
		S: * 3 EXPUNGE
		S: a6 OK UID MOVE completed
		C: a7 STORE 1:3 +FLAGS (\Deleted)
		S: * 1 FETCH (FLAGS (\Recent \Seen \Deleted $Note))
		S: * 2 FETCH (FLAGS (\Recent \Deleted))
		S: * 3 FETCH (FLAGS (\Recent \Deleted))
		S: a7 OK STORE completed
		C: a8 UID EXPUNGE 2
		S: * 2 EXPUNGE
		S: a8 OK UID EXPUNGE completed
		C: a9 UID STORE 4 -FLAGS (\Deleted)
		S: * 2 FETCH (FLAGS (\Recent) UID 4)
		S: a9 OK UID STORE completed
		C: b1 EXPUNGE
		S: * 1 EXPUNGE
		S: b1 OK EXPUNGE completed
		C: b2 STATUS Archive (MESSAGES UIDNEXT)
		S: * STATUS Archive (MESSAGES 3 UIDNEXT 4)
		S: b2 OK STATUS completed
		C: b3 SELECT Archive
		S: * 3 EXISTS
		S: * 3 RECENT
		S: * OK [UNSEEN 2] ...
		S: * OK [UIDVALIDITY 1001] UIDs valid
		S: * OK [UIDNEXT 4] Predicted next UID
		S: * FLAGS ...
		S: * OK [PERMANENTFLAGS ...
		S: b3 OK [READ-WRITE] SELECT completed
		C: b4 STORE 1:* FLAGS.SILENT (\Deleted)
		S: b4 OK STORE completed
		C: b5 CLOSE
		S: b5 OK CLOSE completed
		C: b6 STATUS Archive (MESSAGES)
		S: * STATUS Archive (MESSAGES 0)
		S: b6 OK STATUS completed
		C: b7 EXAMINE INBOX
		S: * 1 EXISTS
		S: * 0 RECENT
		S: * OK [UNSEEN 1] ...
		S: * OK [UIDVALIDITY 1000] UIDs valid
		S: * OK [UIDNEXT 5] Predicted next UID
		S: * FLAGS ...
		S: * OK [PERMANENTFLAGS ()] No permanent flags permitted
		S: b7 OK [READ-ONLY] EXAMINE completed
		C: b8 STORE 1 +FLAGS (\Seen)
		S: b8 NO [READ-ONLY] The mailbox was opened with EXAMINE; flags cannot change
		C: b9 UNSELECT
		S: b9 OK UNSELECT completed
	`)
}

// Mailbox names travel in modified UTF-7: "&-" is "&", and Cyrillic names
// are stored in UTF-8 (RFC 3501 5.1.3). RENAME INBOX moves its messages.
func TestInternationalNamesAndRenameInbox(t *testing.T) {
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	fill(t, u, "INBOX", 2)
	c := login(t, st, "melanie", "toybox")
	c.run(`
		C: a1 CREATE "Tom &- Jerry"
		S: a1 OK CREATE completed
		C: a2 CREATE &BBoEPgRABDcEOAQ9BDA-/&BB8EQAQ4BDIENQRC-
		S: a2 OK CREATE completed
		C: a3 LIST "" *
		S: * LIST (\HasNoChildren) "/" INBOX
		S: * LIST (\HasNoChildren) "/" "Tom &- Jerry"
		S: * LIST (\Noselect \HasChildren) "/" &BBoEPgRABDcEOAQ9BDA-
		S: * LIST (\HasNoChildren) "/" &BBoEPgRABDcEOAQ9BDA-/&BB8EQAQ4BDIENQRC-
		S: a3 OK LIST completed
		C: a4 RENAME INBOX Old
		S: a4 OK RENAME completed
		C: a5 STATUS INBOX (MESSAGES)
		S: * STATUS INBOX (MESSAGES 0)
		S: a5 OK STATUS completed
		C: a6 STATUS Old (MESSAGES)
		S: * STATUS Old (MESSAGES 2)
		S: a6 OK STATUS completed
		C: a7 DELETE INBOX
		S: a7 NO [CANNOT] INBOX cannot be deleted
		C: a8 NAMESPACE
		S: * NAMESPACE (("" "/")) NIL NIL
		S: a8 OK NAMESPACE completed
		C: a9 ID ("name" "test")
		S: * ID ("name" "maillab" "vendor" "maillab")
		S: a9 OK ID completed
		C: b1 ENABLE X-NONE CONDSTORE
		S: * ENABLED CONDSTORE
		S: b1 OK ENABLE completed
		C: b2 ENABLE UTF8=ACCEPT
		S: * ENABLED
		S: b2 OK ENABLE completed
	`)
	for _, n := range []string{"Tom & Jerry", "Корзина/Привет"} {
		if _, err := u.Mailbox(n); err != nil {
			t.Errorf("mailbox %q not in the store: %v", n, err)
		}
	}
}

func TestListPatternMatch(t *testing.T) {
	cases := []struct {
		pat, name string
		want      bool
	}{
		{"*", "a/b/c", true}, {"%", "a/b", false}, {"%", "a", true}, {"a/%", "a/b", true},
		{"a/%", "a/b/c", false}, {"a*c", "a/b/c", true}, {"a%c", "a/c", false}, {"", "", true},
		{"INBOX", "INBOX", true}, {"%*%*%*%*%*%*%*%*%*%*%*%*%*%*%*%*%*x", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
		// INBOX in any case, whichever part of the pattern meets it
		// (RFC 3501 5.1); the levels below it keep their case.
		{"In%", "INBOX", true}, {"*x", "INBOX", true}, {"i*", "INBOX", true}, {"*b*", "INBOX", true},
		{"inbox/%", "INBOX/sub", true}, {"*/sub", "INBOX/sub", true}, {"*SUB", "INBOX/sub", false},
		{"inbox", "Inboxes", false}, {"IN%", "index", false}, {"*X", "inboxx", false},
	}
	for _, c := range cases {
		if got := matchPattern(c.pat, c.name); got != c.want {
			t.Errorf("match(%q, %q) = %v, want %v", c.pat, c.name, got, c.want)
		}
	}
}

// A Maildir++ tree may hold ".Work.Projects.Alpha" without ".Work" and
// ".Work.Projects": those levels are no mailboxes but \Noselect names
// (RFC 3501 6.3.8), as Dovecot lists them; SELECT fails, and CREATE makes
// one a mailbox.
func TestNoselectLevelsFromMaildir(t *testing.T) {
	fsys, err := mem.NewFS()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"melanie/cur", "melanie/.Work.Projects.Alpha/cur"} {
		if err := fsys.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := hackpadfs.WriteFullFile(fsys, "passwd", []byte("melanie:{PLAIN}toybox\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := mailstore.LoadMaildir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	st.SetPersister(mailstore.NewMaildirPersister(fsys, "."))
	c := login(t, st, "melanie", "toybox")
	c.run(`
		C: a1 LIST "" *
		S: * LIST (\HasNoChildren) "/" INBOX
		S: * LIST (\Noselect \HasChildren) "/" Work
		S: * LIST (\Noselect \HasChildren) "/" Work/Projects
		S: * LIST (\HasNoChildren) "/" Work/Projects/Alpha
		S: a1 OK LIST completed
		C: a2 SELECT Work/Projects
		S: a2 NO Work/Projects is no mailbox, only a level (\Noselect) above others; LIST "" "Work/Projects/*" shows the mailboxes below it
		C: a3 STATUS Work (MESSAGES)
		S: a3 NO Work is no mailbox, ...
		C: a4 CREATE Work/Projects
		S: a4 OK CREATE completed
		C: a5 LIST "" Work/%
		S: * LIST (\HasChildren) "/" Work/Projects
		S: a5 OK LIST completed
	`)
	mustContain(t, c.do("a6", "SELECT Work/Projects"), "* 0 EXISTS", "a6 OK [READ-WRITE] SELECT completed")
	c.do("a7", "CLOSE")
	// DELETE of a mailbox with inferiors (RFC 3501 6.3.4): in Maildir++
	// its folder goes and its children's folders stay, so that a reload
	// shows the same \Noselect name.
	c.run(`
		C: a8 DELETE Work/Projects
		S: a8 OK DELETE completed
	`)
	for dir, want := range map[string]bool{"melanie/.Work.Projects": false, "melanie/.Work.Projects.Alpha": true} {
		if _, err := hackpadfs.Stat(fsys, dir); (err == nil) != want {
			t.Errorf("%s on disk: %v, want %v", dir, err == nil, want)
		}
	}
	st, err = mailstore.LoadMaildir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	login(t, st, "melanie", "toybox").run(`
		C: b1 LIST "" Work/*
		S: * LIST (\Noselect \HasChildren) "/" Work/Projects
		S: * LIST (\HasNoChildren) "/" Work/Projects/Alpha
		S: b1 OK LIST completed
	`)
}

// A name that is a valid astring but not valid modified UTF-7 makes a well
// formed command that fails: NO, as Dovecot answers, not BAD. A pattern
// that is not modified UTF-7 matches nothing. RENAME says why it refuses
// INBOX and a name below the mailbox itself.
func TestMailboxNamesRefusedWithNo(t *testing.T) {
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	for _, n := range []string{"Saved", "Old"} {
		if err := u.CreateMailbox(n); err != nil {
			t.Fatal(err)
		}
	}
	c := login(t, st, "melanie", "toybox")
	c.run(`
		C: a1 CREATE "bad&utf7"
		S: a1 NO [CANNOT] Mailbox name bad&utf7 is not valid modified UTF-7 (write & as &-, other characters as &...-): "&" at offset 3 is not closed by "-"
		C: a2 CREATE "&AGE-"
		S: a2 NO [CANNOT] Mailbox name &AGE- is not valid modified UTF-7 ...
		C: a3 CREATE "a	b"
		S: a3 NO [CANNOT] Mailbox name a	b is not valid modified UTF-7 ...
		C: a4 CREATE "&AC4ALg-"
		S: a4 NO [CANNOT] ...
		C: a5 RENAME Saved "bad&utf7"
		S: a5 NO [CANNOT] Mailbox name bad&utf7 ...
		C: a6 APPEND "bad&utf7" {1+}
		C: x
		S: a6 NO [CANNOT] Mailbox name bad&utf7 ...
		C: a7 STATUS "bad&utf7" (MESSAGES)
		S: a7 NO [CANNOT] ...
		C: a8 LIST "" "bad&utf7*"
		S: a8 OK LIST completed
		C: a9 RENAME Saved INBOX
		S: a9 NO [ALREADYEXISTS] INBOX always exists, so no mailbox can be renamed to it
		C: b1 RENAME Old Old/Sub
		S: b1 NO [CANNOT] A mailbox cannot be renamed to Old/Sub, a name below itself
	`)
	c.do("b2", "SELECT Saved")
	c.run(`
		C: b3 SELECT "&Jjo"
		S: b3 NO [CANNOT] ...
		C: b4 FETCH 1 UID
		S: b4 BAD FETCH is not allowed in the AUTHENTICATED state, only in the SELECTED state; select a mailbox first, e.g. SELECT INBOX
	`)
}

// LSUB lists an unsubscribed parent as \Noselect only when a "%" ending
// the pattern stops above a subscribed name (RFC 3501 6.3.9); a pattern
// naming the parent itself, or one a "*" lets reach the subscribed name,
// lists no parent, as in Dovecot.
func TestLsubNoselectParentOnlyForPercent(t *testing.T) {
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	for _, n := range []string{"Archive/2023", "a/b/c"} {
		if err := u.CreateMailbox(n); err != nil {
			t.Fatal(err)
		}
		if err := u.Subscribe(n); err != nil {
			t.Fatal(err)
		}
	}
	c := login(t, st, "melanie", "toybox")
	c.run(`
		C: a1 LSUB "" Archive
		S: a1 OK LSUB completed
		C: a2 LSUB "" *e
		S: a2 OK LSUB completed
		C: a3 LSUB "" %e
		S: a3 OK LSUB completed
		C: a4 LSUB "" Arch%
		S: * LSUB (\Noselect) "/" Archive
		S: a4 OK LSUB completed
		C: a5 LSUB "" %/%
		S: * LSUB () "/" Archive/2023
		S: * LSUB (\Noselect) "/" a/b
		S: a5 OK LSUB completed
		C: a6 LSUB "" a/*
		S: * LSUB () "/" a/b/c
		S: a6 OK LSUB completed
		C: a7 LSUB "" *%
		S: * LSUB () "/" Archive/2023
		S: * LSUB () "/" INBOX
		S: * LSUB () "/" a/b/c
		S: a7 OK LSUB completed
	`)
}

// INBOX matches in any case whatever part of the pattern meets it (RFC
// 3501 5.1), and a mailbox named NIL goes out quoted, or a client would
// read the atom as nil; Dovecot answers the same.
func TestListInboxAnyCaseAndNil(t *testing.T) {
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	for _, n := range []string{"NIL", "Nil", "INBOX/sub"} {
		if err := u.CreateMailbox(n); err != nil {
			t.Fatal(err)
		}
	}
	if err := u.Subscribe("NIL"); err != nil {
		t.Fatal(err)
	}
	c := login(t, st, "melanie", "toybox")
	c.run(`
		C: a1 LIST "" In%
		S: * LIST (\HasChildren) "/" INBOX
		S: a1 OK LIST completed
		C: a2 LIST "" *x
		S: * LIST (\HasChildren) "/" INBOX
		S: a2 OK LIST completed
		C: a3 LIST "in" "box/%"
		S: * LIST (\HasNoChildren) "/" INBOX/sub
		S: a3 OK LIST completed
		C: a4 LIST "" *SUB
		S: a4 OK LIST completed
		C: a5 LIST "" N*
		S: * LIST (\HasNoChildren) "/" "NIL"
		S: * LIST (\HasNoChildren) "/" "Nil"
		S: a5 OK LIST completed
		C: a6 LSUB "" NIL
		S: * LSUB () "/" "NIL"
		S: a6 OK LSUB completed
		C: a7 STATUS NIL (MESSAGES)
		S: * STATUS "NIL" (MESSAGES 0)
		S: a7 OK STATUS completed
	`)
}

// CREATE a/b/c leaves a and a/b \Noselect levels, as Dovecot does; RENAME
// of such a level moves what lies below it, and CREATE makes a level a
// mailbox.
func TestCreateLeavesSuperiorLevelsNoselect(t *testing.T) {
	st := newStore(t, 1000)
	addUser(t, st, "melanie", "toybox")
	c := login(t, st, "melanie", "toybox")
	c.run(`
		C: a1 CREATE a/b/c
		S: a1 OK CREATE completed
		C: a2 LIST "" a*
		S: * LIST (\Noselect \HasChildren) "/" a
		S: * LIST (\Noselect \HasChildren) "/" a/b
		S: * LIST (\HasNoChildren) "/" a/b/c
		S: a2 OK LIST completed
		C: a3 SELECT a/b
		S: a3 NO a/b is no mailbox, only a level (\Noselect) above others; LIST "" "a/b/*" shows the mailboxes below it
		C: a4 RENAME a/b x/y
		S: a4 OK RENAME completed
		C: a5 LIST "" *
		S: * LIST (\HasNoChildren) "/" INBOX
		S: * LIST (\Noselect \HasChildren) "/" x
		S: * LIST (\Noselect \HasChildren) "/" x/y
		S: * LIST (\HasNoChildren) "/" x/y/c
		S: a5 OK LIST completed
		C: a6 CREATE x
		S: a6 OK CREATE completed
		C: a7 LIST "" x
		S: * LIST (\HasChildren) "/" x
		S: a7 OK LIST completed
		C: a8 DELETE x/y/c
		S: a8 OK DELETE completed
		C: a9 LIST "" *
		S: * LIST (\HasNoChildren) "/" INBOX
		S: * LIST (\HasNoChildren) "/" x
		S: a9 OK LIST completed
	`)
}
