package imap

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"maillab/sim/mime/dovecottest"
)

// lit writes s as a LITERAL+ literal of a command line.
func lit(s string) string { return "{" + strconv.Itoa(len(s)) + "+}\r\n" + s }

// RFC 3502's example: two messages in one APPEND, each with its own flags
// and date, both stored with consecutive UIDs.
func TestMultiAppendRFCExample(t *testing.T) {
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	if err := u.CreateMailbox("saved-messages"); err != nil {
		t.Fatal(err)
	}
	m1 := "Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\nFrom: Fred Foobar <foobar@Blurdybloop.example.COM>\r\nSubject: afternoon meeting\r\n\r\nHello Joe, do you think we can meet at 3:30 tomorrow?\r\n"
	m2 := "Date: Mon, 7 Feb 1994 22:43:04 -0800 (PST)\r\nFrom: Joe Mooch <mooch@OWATAGU.example.net>\r\nSubject: Re: afternoon meeting\r\n\r\n3:30 is fine with me.\r\n"
	c := login(t, st, "melanie", "toybox")
	c.run(`
		C: A003 APPEND saved-messages (\Seen) {` + strconv.Itoa(len(m1)) + `}
		S: + Ready for literal data`)
	c.sendRaw(m1 + ` (\Seen) " 7-Feb-1994 22:43:04 -0800" {` + strconv.Itoa(len(m2)) + "}\r\n")
	c.expect("+ Ready for literal data")
	c.sendRaw(m2 + "\r\n")
	c.expect("A003 OK [APPENDUID 1001 1:2] APPEND completed")
	c.do("s", "SELECT saved-messages")
	out := c.do("f", "FETCH 1:2 (FLAGS INTERNALDATE BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
	mustContain(t, out, `* 1 FETCH (FLAGS (\Recent \Seen) INTERNALDATE "`, "Subject: afternoon meeting",
		`* 2 FETCH (FLAGS (\Recent \Seen) INTERNALDATE " 7-Feb-1994 22:43:04 -0800"`, "Subject: Re: afternoon meeting")
}

// A MULTIAPPEND is all or nothing: a message refused (too big, a flag that
// cannot be set) leaves none of the others stored.
func TestMultiAppendAllOrNothing(t *testing.T) {
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	c := dial(t, Options{Store: st, MaxLiteral: 200})
	c.expect("* OK ...")
	c.do("l", "LOGIN melanie toybox")
	small := "Subject: a\r\n\r\nbody\r\n"
	c.send("a1 APPEND INBOX " + lit(small) + " {300}")
	c.expect("a1 NO [TOOBIG] ...")
	c.send("a2 APPEND INBOX " + lit(small) + ` (\Recent) ` + lit(small))
	c.expect("a2 BAD ...")
	c.send("a3 APPEND INBOX " + lit(small) + " " + lit(""))
	c.expect("a3 NO ...")
	c.send("a4 NOOP")
	c.expect("a4 OK NOOP completed")
	if mb, _ := u.Mailbox("INBOX"); mb.Count() != 0 {
		t.Fatalf("INBOX holds %d messages after refused APPENDs", mb.Count())
	}
	// A non-synchronizing literal over the limit still ends the
	// connection, whichever message of the APPEND it comes in.
	c.send("a5 APPEND INBOX " + lit(small) + " {300+}")
	c.expect("* BYE ...")
}

// RFC 4469's example, with this server's UIDVALIDITY: a new message made
// of the header of a draft, a new text and parts of the draft.
func TestCatenateRFCExample(t *testing.T) {
	st := newStore(t, 385759045)
	u := addUser(t, st, "melanie", "toybox")
	if err := u.CreateMailbox("Drafts"); err != nil {
		t.Fatal(err)
	}
	draft := "From: Fred Foobar <foobar@Blurdybloop.example>\r\nSubject: afternoon meeting\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"zz\"\r\n\r\n" +
		"--zz\r\nContent-Type: text/plain\r\n\r\nHello Joe\r\n--zz\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n--zz--\r\n"
	mb, _ := u.Mailbox("Drafts")
	for range 20 {
		if _, err := mb.Append([]byte(draft), nil, mustDate(t, "7-Feb-1994")); err != nil {
			t.Fatal(err)
		}
	}
	v := strconv.FormatUint(uint64(mb.UIDValidity()), 10)
	text1 := "--------------030308070208000400050907\r\n"
	c := login(t, st, "melanie", "toybox")
	c.send(`A003 APPEND Drafts (\Seen \Draft $MDNSent) CATENATE (URL "/Drafts;UIDVALIDITY=` + v + `/;UID=20/;section=HEADER" TEXT ` + lit(text1) +
		` URL "/Drafts;UIDVALIDITY=` + v + `/;UID=20/;section=1.MIME" URL "/Drafts;UIDVALIDITY=` + v + `/;UID=20/;section=1" TEXT ` + lit("\r\n--------------030308070208000400050907--\r\n") + ")")
	c.expect("A003 OK [APPENDUID " + v + " 21] APPEND completed")
	c.do("s", "EXAMINE Drafts")
	out := c.do("f", "FETCH 21 BODY.PEEK[]")
	mustContain(t, out, "Subject: afternoon meeting\r\n", "\r\n\r\n"+text1+"Content-Type: text/plain\r\n\r\nHello Joe\r\n--------------030308070208000400050907--")
	// A URL relative to the selected mailbox, an absolute imap:// URL of
	// this server and user, and a partial.
	c.send(`A004 APPEND Drafts CATENATE (URL ";UID=1/;SECTION=HEADER.FIELDS%20(SUBJECT)" TEXT ` + lit("x") + ` URL "imap://melanie@localhost/Drafts/;UID=2/;SECTION=1/;PARTIAL=0.5")`)
	if got := c.until("A004"); got[len(got)-1] != "A004 OK [APPENDUID "+v+" 22] APPEND completed" {
		t.Fatalf("A004: %q", got)
	}
	out = c.do("f", "FETCH 22 BODY.PEEK[]")
	mustContain(t, out, "{36}", "Subject: afternoon meeting", "xHello)")
	// RFC 4469's failure: a URL that names nothing fails the APPEND with
	// BADURL, and what was read before it is not stored.
	for _, bad := range []string{
		"/Drafts;UIDVALIDITY=12345/;UID=20/;section=1", "/Drafts/;UID=113330/;section=1", "/Drafts/;UID=20/;section=1.5.9",
		"/Nothing/;UID=1", "imap://smith@localhost/Drafts/;UID=1", "imap://example.com/Drafts/;UID=1",
		"/Drafts/;UID=1/;URLAUTH=anonymous", "/Drafts",
	} {
		c.send(`A005 APPEND Drafts CATENATE (TEXT ` + lit("Subject: x\r\n\r\n") + ` URL "` + bad + `" TEXT ` + lit("y") + ")")
		c.expect("A005 NO [BADURL " + bad + "] ...")
	}
	// The sizes of URL parts count toward the message size limit.
	c2 := dial(t, Options{Store: st, MaxLiteral: len(draft) + 10})
	c2.expect("* OK ...")
	c2.do("l", "LOGIN melanie toybox")
	c2.send(`b1 APPEND Drafts CATENATE (URL "/Drafts/;UID=1" URL "/Drafts/;UID=2")`)
	c2.expect("b1 NO [TOOBIG] ...")
	c2.send(`b2 APPEND Drafts CATENATE (URL "/Drafts/;UID=1" TEXT {11}`)
	c2.expect("b2 NO [TOOBIG] ...")
	c2.send(`b3 APPEND Drafts CATENATE (TEXT {1}`)
	c2.expect("+ Ready for literal data")
	c2.sendRaw("x)\r\n")
	c2.expect("b3 OK [APPENDUID ...")
	if mb.Count() != 23 {
		t.Fatalf("Drafts holds %d messages, want 23", mb.Count())
	}
	c.send(`A006 APPEND Nothing CATENATE (TEXT {5}`)
	if got := c.until("A006"); !strings.HasPrefix(got[len(got)-1], "A006 NO [TRYCREATE] ") {
		t.Fatalf("A006: %q", got)
	}
}

// RFC 3516: BINARY[] undoes a part's transfer encoding, BINARY.SIZE[] is
// the decoded size, and a literal8 carries octets with NUL; a message
// appended as literal8 keeps its binary part's octets exactly.
func TestBinary(t *testing.T) {
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	appendFile(t, u, "INBOX", "mixed.eml")
	c := login(t, st, "melanie", "toybox")
	bin := "\x00\x01binary\x8f\r\n"
	msg := "From: a@example.org\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n" + bin
	c.send("a1 APPEND INBOX ~" + lit(msg))
	c.expect("a1 OK [APPENDUID 1000 2] APPEND completed")
	c.do("s", "SELECT INBOX")
	got := fmt.Sprintf("%q", responses(t, c, "FETCH 2 (BINARY.SIZE[1] BINARY.PEEK[1] BODY.PEEK[1] BINARY.PEEK[1]<1.3> FLAGS)"))
	want := fmt.Sprintf("%q", []dovecottest.Response{
		{Tag: "*", Fields: []any{dovecottest.Atom("2"), dovecottest.Atom("FETCH"), []any{dovecottest.Atom("BINARY.SIZE[1]"), dovecottest.Atom("11"),
			dovecottest.Atom("BINARY[1]"), bin, dovecottest.Atom("BODY[1]"), "AAFiaW5hcnmPDQo=", dovecottest.Atom("BINARY[1]<1>"), "\x01bi",
			dovecottest.Atom("FLAGS"), []any{dovecottest.Atom(`\Recent`)}}}},
		{Tag: "r", Fields: []any{dovecottest.Atom("OK")}, Text: "FETCH completed"},
	})
	if got != want {
		t.Errorf("FETCH 2:\n got %s\nwant %s", got, want)
	}
	// The literal8 itself, as sent.
	c.send("f FETCH 2 BINARY.PEEK[1]")
	c.expect("* 2 FETCH (BINARY[1] ~{11}")
	c.until("f")
	out := c.do("g", "FETCH 2 BODY.PEEK[MIME]")
	mustNotContain(t, out, "\x00")
	// BINARY[] of a whole message decodes every part and sets \Seen.
	rs := responses(t, c, "FETCH 1 (BINARY[] BINARY.SIZE[] FLAGS)")
	whole := fmt.Sprintf("%q", rs)
	mustContain(t, whole, `Content-Transfer-Encoding: binary\r\n\r\n\x00\x01\x02\x03`, `\\Seen`)
	mustNotContain(t, whole, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
	c.do("i", "FETCH 1 BODYSTRUCTURE")
	if out := c.do("j", "FETCH 1 (BINARY.PEEK[1.2] BINARY.PEEK[0])"); !strings.HasPrefix(out, "j BAD") {
		t.Errorf("BINARY[0] accepted: %s", out)
	}
	if out := c.do("k", "FETCH 1 (BINARY.PEEK[HEADER])"); !strings.HasPrefix(out, "k BAD") {
		t.Errorf("BINARY[HEADER] accepted: %s", out)
	}
}

// responses sends cmd and reads the responses, literals included, up to
// the tagged one.
func responses(t *testing.T, c *conn, cmd string) []dovecottest.Response {
	t.Helper()
	c.send("r " + cmd)
	var out []dovecottest.Response
	for {
		c.c.SetReadDeadline(time.Now().Add(5 * time.Second))
		r, err := dovecottest.ReadResponse(c.r)
		if err != nil {
			t.Fatalf("%s: %v", cmd, err)
		}
		out = append(out, r)
		if r.Tag == "r" {
			return out
		}
	}
}
