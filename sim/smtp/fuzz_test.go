package smtp

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkReply fails on a reply that could not go on the wire: a bad code,
// a line with CR, LF or another control byte, a line over 510 octets.
func checkReply(t *testing.T, r *Reply) {
	t.Helper()
	for _, l := range r.Format(true) {
		if _, err := ParseReplyLine(l); err != nil {
			t.Fatalf("reply line %q: %v", l, err)
		}
		if len(l) > maxReplyLine-2 {
			t.Fatalf("reply line of %d octets", len(l))
		}
		for i := 0; i < len(l); i++ {
			if l[i] < 0x20 || l[i] == 0x7f {
				t.Fatalf("control byte in reply line %q", l)
			}
		}
	}
}

// FuzzParseCommand: any line gives a command or a well-formed reply,
// never a panic, and both explain without a missing text. An accepted
// MAIL or RCPT path, written back, parses to the same mailbox.
func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{
		"EHLO bar.com", "HELO crnvma.cern.ch", "mail from:<>", "RCPT TO: ysemenov@cernvm.cern.ch",
		"MAIL FROM:<Smith@bar.com>", "RCPT TO:<@ONE,@TWO:VANJA@THREE>", "RCPT TO:<Postmaster>",
		`MAIL FROM:<"john \"q\" doe"@[IPv6:2001:db8::1]> SIZE=100 BODY=8BITMIME RET=HDRS ENVID=a+2Bb`,
		"RCPT TO:<a@b.example> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;a+40b", "MAIL FROM:<пользователь@пример.рф> SMTPUTF8",
		"VRFY bobyshev", "EXPN staff", "HELP mail", "NOOP x", "BDAT 10 LAST", "AUTH PLAIN =", "SEND FROM:<a@b>",
		"LHL0 foo.edu", "DATA", "QUIT", "\x08\x7f", "MAIL FROM:<a@b", "RCPT TO:<>", "MAIL FROM:<a@[1.2.3.4]>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		c, err := ParseCommand(line)
		if c == nil {
			t.Fatal("no command")
		}
		if c.Verb != "" && !Known(c.Verb) {
			t.Fatalf("verb %q", c.Verb)
		}
		if err != nil {
			var r *Reply
			if !errors.As(err, &r) {
				t.Fatalf("error %v is not a reply", err)
			}
			checkReply(t, r)
			if r.Positive() {
				t.Fatalf("a refusal with a positive code: %v", r)
			}
			if x := Explain(r, c, true, "ru"); strings.Contains(x.Text, "[smtp:") || strings.Contains(x.Text, "%!") {
				t.Fatalf("explained as %q", x.Text)
			}
			return
		}
		if !utf8.ValidString(line) {
			t.Fatal("invalid UTF-8 accepted")
		}
		if (c.Verb == "MAIL" || c.Verb == "RCPT") && !c.Path.Null {
			again := c.Verb + " FROM:" + c.Path.String()
			if c.Verb == "RCPT" {
				again = "RCPT TO:" + c.Path.String()
			} else if c.Path.UTF8 {
				again += " SMTPUTF8"
			}
			c2, err := ParseCommand(again)
			if err != nil || c2.Path.Mailbox() != c.Path.Mailbox() {
				t.Fatalf("%q written back as %q: %v %q", line, again, err, c2.Path.Mailbox())
			}
		}
	})
}

// FuzzData: any input to DATA ends in a message within the limit, a
// refusal, or a connection error; never a panic, never more than the
// limit kept. A message read whole is lines ended in CRLF, and what
// NewDotWriter sends of it reads back the same.
func FuzzData(f *testing.F) {
	for _, s := range []string{
		"Subject: x\r\n\r\nbody\r\n.\r\n", "..x\r\n.\r\n", "a\nb\n.\n", ".\r\n", "no end", "x\r.\r\n.\r\n",
		strings.Repeat("y", 1200) + "\r\n.\r\n", "\r\n\r\n.\r\nQUIT\r\n", ". \r\n..\r\n.\r\n",
	} {
		f.Add([]byte(s), uint16(64))
	}
	f.Fuzz(func(t *testing.T, in []byte, limit uint16) {
		max := int64(limit)
		m := NewMessage(max)
		ends := 0
		err := ReadData(bufio.NewReader(bytes.NewReader(in)), m, func(l DataLine) {
			if len(l.Text) > maxTextLine || l.Len < len(l.Text) {
				t.Fatalf("line %+v", l)
			}
			if l.End {
				ends++
			}
		})
		if int64(len(m.Bytes())) > max {
			t.Fatalf("kept %d octets with a limit of %d", len(m.Bytes()), max)
		}
		var r *Reply
		switch {
		case err == nil:
		case errors.As(err, &r):
			checkReply(t, r)
			if m.Bytes() != nil {
				t.Fatal("a refused message was kept")
			}
			return
		case errors.Is(err, io.ErrUnexpectedEOF):
			if ends != 0 {
				t.Fatal("the end was seen, then more was wanted")
			}
			return
		default:
			t.Fatalf("error %v", err)
		}
		if ends != 1 {
			t.Fatalf("%d final dots", ends)
		}
		msg := m.Bytes()
		if len(msg) > 0 && !bytes.HasSuffix(msg, crlf) || bytes.Count(msg, []byte("\n")) != bytes.Count(msg, crlf) {
			t.Fatalf("message %q", msg)
		}
		if len(msg) == 0 || bytes.Count(msg, []byte("\r")) != bytes.Count(msg, crlf) {
			// textproto's DotWriter cannot send an empty message (it
			// writes an empty line), and a bare CR is no line ending.
			return
		}
		var wire bytes.Buffer
		w := NewDotWriter(&wire)
		w.Write(msg)
		w.Close()
		back := NewMessage(max)
		if err := ReadData(bufio.NewReader(&wire), back, nil); err != nil || !bytes.Equal(back.Bytes(), msg) {
			t.Fatalf("%q came back as %q: %v", msg, back.Bytes(), err)
		}
	})
}
