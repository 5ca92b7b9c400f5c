package imap

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func fetchFixture(t *testing.T) *conn {
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	for _, f := range []string{"plain.eml", "nocontenttype.eml", "group.eml", "rfc822.eml", "koi8.eml", "quoting.eml"} {
		appendFile(t, u, "INBOX", f)
	}
	c := login(t, st, "melanie", "toybox")
	c.do("s1", "SELECT INBOX")
	return c
}

var literalSize = regexp.MustCompile(`\{(\d+)\}`)

// RFC822.SIZE is the CRLF length of BODY[] (RFC 3501 2.3.4).
func TestFetchSizeMatchesBody(t *testing.T) {
	c := fetchFixture(t)
	for i := 1; i <= 6; i++ {
		out := c.do("f", "FETCH "+strconv.Itoa(i)+" (RFC822.SIZE BODY.PEEK[])")
		size := regexp.MustCompile(`RFC822\.SIZE (\d+)`).FindStringSubmatch(out)
		lit := literalSize.FindStringSubmatch(out)
		if size == nil || lit == nil || size[1] != lit[1] {
			t.Errorf("message %d: RFC822.SIZE %v, BODY[] literal %v", i, size, lit)
		}
	}
}

// BODY[] sets \Seen and reports the new flags; BODY.PEEK[] does not.
func TestFetchBodySetsSeen(t *testing.T) {
	c := fetchFixture(t)
	out := c.do("f1", "FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT)]")
	mustNotContain(t, out, "FLAGS")
	mustContain(t, out, "* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {")
	out = c.do("f2", "FETCH 1 FLAGS")
	mustContain(t, out, `* 1 FETCH (FLAGS (\Recent))`)
	out = c.do("f3", "FETCH 1 BODY[TEXT]")
	mustContain(t, out, `FLAGS (\Recent \Seen))`)
	out = c.do("f4", "FETCH 1 BODY[TEXT]")
	mustNotContain(t, out, "FLAGS")
	c.do("e", "EXAMINE INBOX")
	out = c.do("f5", "FETCH 2 RFC822")
	mustNotContain(t, out, `\Seen`)
}

// A partial fetch echoes only the offset; past the end it is "".
func TestFetchPartial(t *testing.T) {
	c := fetchFixture(t)
	out := c.do("f1", "FETCH 2 BODY.PEEK[]<0.4>")
	mustContain(t, out, "* 2 FETCH (BODY[]<0> {4}\r\nFrom)")
	out = c.do("f2", "FETCH 2 BODY.PEEK[]<99999.10>")
	mustContain(t, out, `* 2 FETCH (BODY[]<99999> "")`)
	out = c.do("f3", "UID FETCH 2 BODY.PEEK[TEXT]<2.3>")
	mustContain(t, out, "* 2 FETCH (UID 2 BODY[TEXT]<2> {3}\r\nmes)")
}

// Without Content-Type the body is text/plain; charset=us-ascii, and only
// text and message/rfc822 parts carry a line count (RFC 3501 7.4.2).
func TestFetchBodyStructure(t *testing.T) {
	c := fetchFixture(t)
	out := c.do("f1", "FETCH 2 BODYSTRUCTURE")
	mustContain(t, out, `("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" `)
	out = c.do("f2", "FETCH 4 (BODY BODY.PEEK[2.HEADER.FIELDS (SUBJECT)] BODY.PEEK[1.MIME] BODY.PEEK[2.1.1])")
	mustContain(t, out, `"message" "rfc822"`, "BODY[2.HEADER.FIELDS (SUBJECT)] {", "Subject: Lunch on Friday?",
		"BODY[1.MIME] {", "Content-Type: text/plain", "BODY[2.1.1] {6}\r\nLunch?)")
}

// Sender and Reply-To fall back to From; groups are written as RFC 3501
// 7.4.2 describes (NIL NIL "group" NIL) ... (NIL NIL NIL NIL).
func TestFetchEnvelope(t *testing.T) {
	c := fetchFixture(t)
	out := c.do("f1", "FETCH 3 ENVELOPE")
	mustContain(t, out, `(NIL NIL "A Group" NIL)`, `(NIL NIL NIL NIL)`, `("Mary Smith" NIL "mary" "x.test")`)
	env := out[strings.Index(out, "ENVELOPE ("):]
	from := `(("Mary Smith" NIL "mary" "x.test")(NIL NIL "jdoe" "one.test"))`
	if strings.Count(env, from) != 3 {
		t.Errorf("From should appear as From, Sender and Reply-To:\n%s", env)
	}
}

// UID N:* with N above the highest UID still names the last message.
func TestUIDStarAboveHighest(t *testing.T) {
	c := fetchFixture(t)
	out := c.do("u1", "UID FETCH 100:* FLAGS")
	mustContain(t, out, "* 6 FETCH (UID 6 FLAGS")
	out = c.do("u2", "UID SEARCH UID 100:*")
	mustContain(t, out, "* SEARCH 6\r\n")
	out = c.do("u3", "FETCH 5:2 UID")
	if strings.Count(out, "FETCH (UID") != 4 {
		t.Errorf("5:2 should name messages 2 to 5:\n%s", out)
	}
	out = c.do("u4", "FETCH 7 UID")
	mustContain(t, out, "u4 BAD FETCH: there is no message 7; the mailbox has 6")
}

// Quoted strings escape " and \ (RFC 3501 4.3), in ENVELOPE and
// BODYSTRUCTURE alike.
func TestFetchQuoting(t *testing.T) {
	c := fetchFixture(t)
	out := c.do("f1", "FETCH 6 (ENVELOPE BODYSTRUCTURE)")
	mustContain(t, out, `"He said \"hi\" \\ and left"`, `"Joe \"the Coder\" Q. Public"`, `("charset" "utf-8" "name" "a \"quoted\" name")`)
}
