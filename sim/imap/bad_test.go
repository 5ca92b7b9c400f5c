package imap

import (
	"strings"
	"testing"
)

// Every malformed command gets a BAD that says what was wrong and where,
// and the connection stays usable: a NOOP after each one succeeds.
func TestBadInputKeepsConnection(t *testing.T) {
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	fill(t, u, "INBOX", 3)
	c := dial(t, Options{Store: st, MaxLiteral: 100})
	c.expect("* OK ...")
	c.run(`
		C: a1 LOGIN
		S: a1 BAD LOGIN: user name: missing
		C: a2 LOGIN melanie "toy\box"
		S: a2 BAD LOGIN: password: in a quoted string \ may only escape " or \; send other text as a literal
		C: a3 LOGIN melanie "toybox
		S: a3 BAD LOGIN: password: quoted string is not closed with "
		C: a4 SELECT INBOX
		S: a4 BAD SELECT is not allowed in the NOT AUTHENTICATED state, only in the AUTHENTICATED or SELECTED state; log in first with LOGIN user password
		C:
		S: * BAD tag: the line is empty; a command starts with a tag, e.g. a1 NOOP
		C: +x NOOP
		S: * BAD Not a well-formed command: ...
		C: a5
		S: * BAD Not a well-formed command: ...
		C: a6 FROBNICATE
		S: a6 BAD Unknown command; before login the server repeats only the tag of a line it does not know, as the line may hold a password. CAPABILITY lists the commands
		C: a7 LOGIN melanie toybox
		S: a7 OK ...
		C: +x NOOP
		S: * BAD tag: a command starts with a tag (letters and digits, e.g. a1), found "+x NOOP"
		C: a5
		S: a5 BAD command name: missing
		C: a6 FROBNICATE
		S: a6 BAD Unknown command FROBNICATE; CAPABILITY lists what this server supports
		C: a8 APPEND INBOX {99999999999}
		S: a8 NO [TOOBIG] The message is larger than this server accepts (100 octets; the messages of one APPEND 400 together)
		C: a9 NOOP
		S: a9 OK NOOP completed
		C: b1 APPEND INBOX (\Recent) {3}
		S: b1 BAD APPEND: flag list: \Recent cannot be set; the system flags are \Seen \Answered \Flagged \Deleted \Draft
		C: b2 STATUS INBOX (MESSAGES FOO)
		S: b2 BAD STATUS: status items: FOO is not a STATUS item; use MESSAGES, RECENT, UIDNEXT, UIDVALIDITY, UNSEEN or HIGHESTMODSEQ
		C: b3 LIST ""
		S: b3 BAD LIST: mailbox pattern: missing
		C: b4 SELECT INBOX
		S: * 3 EXISTS
		S: * 3 RECENT
		S: * OK [UNSEEN 1] ...
		S: * OK [UIDVALIDITY 1000] UIDs valid
		S: * OK [UIDNEXT 4] Predicted next UID
		S: * FLAGS ...
		S: * OK [PERMANENTFLAGS ...
		S: b4 OK [READ-WRITE] SELECT completed
		C: b5 FETCH 1:x FLAGS
		S: b5 BAD FETCH: sequence set: expected a message number or * (e.g. 1:*, 2,4:6), found "x FLAGS"
		C: b6 FETCH 0 FLAGS
		S: b6 BAD FETCH: sequence set: must not be 0; numbers here start at 1
		C: b7 FETCH 1 (FLAGS BODY[FOO])
		S: b7 BAD FETCH: body section: "FOO" is not a section; use HEADER, HEADER.FIELDS (...), HEADER.FIELDS.NOT (...), TEXT, MIME or part numbers like 1.2
		C: b8 FETCH 1 (FLAGS
		S: b8 BAD FETCH: fetch attributes: expected a space or ")" in the list, found the end of the line
		C: b9 FETCH 1 FLAG
		S: b9 BAD FETCH: fetch attribute: FLAG is not a fetch attribute; try FLAGS, UID, ENVELOPE, BODYSTRUCTURE, BODY[] or BODY.PEEK[]
		C: c1 SEARCH FROM
		S: c1 BAD SEARCH: FROM's string: missing
		C: c2 SEARCH (SEEN
		S: c2 BAD SEARCH: search key: expected a space or ")" in the list, found the end of the line
		C: c3 SEARCH FOO
		S: c3 BAD SEARCH: search key: FOO is not a search key; RFC 3501 6.4.4 lists ALL, FROM, SUBJECT, TEXT, SINCE, UNSEEN, OR, NOT...
		C: c4 SEARCH SINCE 31-Foo-2020
		S: c4 BAD SEARCH: SINCE's date: "31-Foo-2020" is not a date like 1-Feb-1994
		C: c5 STORE 1 FLAGS.LOUD (\Seen)
		S: c5 BAD STORE: store item: FLAGS.LOUD is not a STORE item; use FLAGS, +FLAGS or -FLAGS (with .SILENT to get no answer)
		C: c6 UID NOOP
		S: c6 BAD UID NOOP is not a command; UID goes before COPY, MOVE, FETCH, SEARCH, STORE or EXPUNGE
		C: c7 NOOP extra
		S: c7 BAD NOOP: unexpected "extra" after the last argument
		C: c8 SELECT
		S: c8 BAD SELECT: mailbox name: missing
		C: c9 LOGIN melanie toybox
		S: c9 BAD LOGIN is not allowed in the SELECTED state, only in the NOT AUTHENTICATED state; you are already logged in
		C: d1 NOOP
		S: d1 OK NOOP completed
	`)
	// A synchronizing literal over the limit: NO [TOOBIG] for APPEND
	// (RFC 4469), BAD for others, no "+"; the client
	// does not send the octets and the session goes on. (A
	// non-synchronizing one ends the connection: TestLiteralTooLarge.)
	c.run(`
		C: d2 APPEND INBOX {150}
		S: d2 NO [TOOBIG] The message is larger than this server accepts (100 octets; the messages of one APPEND 400 together)
		C: d3 NOOP
		S: d3 OK NOOP completed
	`)
	// A line longer than 64 KiB is refused and consumed.
	c.send("d4 NOOP " + strings.Repeat("a", 70000))
	c.run(`
		S: d4 BAD Command line longer than 65536 octets; send long arguments as literals {n}
		C: d5 NOOP
		S: d5 OK NOOP completed
	`)
	// A syntax error in a line that announces a non-synchronizing literal:
	// the literal is skipped too.
	c.sendRaw("d6 STATUS {5+}\r\nINBOX (NOPE) {3+}\r\nabc\r\n")
	c.run(`
		S: d6 BAD STATUS: status items: NOPE is not a STATUS item; use MESSAGES, RECENT, UIDNEXT, UIDVALIDITY, UNSEEN or HIGHESTMODSEQ
		C: d7 LOGOUT
		S: * BYE ...
		S: d7 OK LOGOUT completed
	`)
}
