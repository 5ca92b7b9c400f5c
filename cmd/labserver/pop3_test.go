package main

import (
	"strings"
	"testing"
	"time"
)

func login(t testing.TB, c *client, user, pass string) {
	t.Helper()
	c.expect("+OK")
	c.cmd("USER " + user)
	if got := c.cmd("PASS " + pass); !strings.HasPrefix(got, "+OK") {
		t.Fatalf("PASS: %q", got)
	}
}

// ok sends a command and checks the answer is +OK.
func (c *client) ok(line string) string {
	c.t.Helper()
	got := c.cmd(line)
	if !strings.HasPrefix(got, "+OK") {
		c.t.Fatalf("%s: got %q, want +OK", line, got)
	}
	return got
}

func TestPOP3SessionOverTCP(t *testing.T) {
	l := startLab(t, testConfig(t))
	c := dial(t, l.pop3Addr())
	login(t, c, "melanie", "toybox")
	c.ok("STAT")
	c.ok("LIST")
	if list := c.multi(); len(list) == 0 {
		t.Fatal("LIST: no messages in melanie's demo maildrop")
	}
	c.ok("RETR 1")
	if body := c.multi(); len(body) == 0 {
		t.Fatal("RETR 1: empty message")
	}
	c.ok("QUIT")
	if !c.closed() {
		t.Fatal("the server did not close the connection after QUIT")
	}
}

// A real telnet sends bare LF or CRLF and may open with IAC option
// negotiation; the server must answer sensibly and never send raw control
// bytes back.
func TestTelnetStyleInput(t *testing.T) {
	l := startLab(t, testConfig(t))
	c := dial(t, l.pop3Addr())
	c.expect("+OK")
	// IAC DO SUPPRESS-GO-AHEAD, IAC WILL TERMINAL-TYPE, then USER with a bare LF.
	c.send("\xff\xfd\x03\xff\xfb\x18USER melanie\n")
	c.expect("+OK")
	c.send("PASS toybox\r\n")
	c.expect("+OK")
	c.send("ST\x00AT\n")
	got := c.line()
	if !strings.HasPrefix(got, "-ERR") {
		t.Fatalf("a command with NUL: got %q, want -ERR", got)
	}
	assertPrintable(t, got)
	c.send("NOOP\n")
	c.expect("+OK")      // the session stays usable
	c.send("NOOP\r\x00") // Enter in telnet's character mode (RFC 854)
	c.expect("+OK")
	c.send("STAT\n")
	c.expect("+OK")
	c.send("RETR 1\n")
	c.expect("+OK")
	for _, s := range c.multi() {
		assertPrintable(t, s)
	}
	c.send("QUIT\n")
	c.expect("+OK")
}

func assertPrintable(t *testing.T, s string) {
	t.Helper()
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < 0x20 && b != '\t' || b == 0x7f {
			t.Fatalf("server line %q carries control byte %#x", s, b)
		}
	}
}

// RFC 1939 section 8: a second session on a locked maildrop is refused;
// the lock goes with the first session.
func TestInUseAcrossConnections(t *testing.T) {
	l := startLab(t, testConfig(t))
	first := dial(t, l.pop3Addr())
	login(t, first, "alex", "drums")
	second := dial(t, l.pop3Addr())
	second.expect("+OK")
	second.ok("USER alex")
	if got := second.cmd("PASS drums"); !strings.HasPrefix(got, "-ERR [IN-USE]") {
		t.Fatalf("second session: got %q, want -ERR [IN-USE]", got)
	}
	first.ok("QUIT")
	first.closed()
	second.ok("USER alex")
	second.ok("PASS drums") // the lock was released with the first session
	second.ok("QUIT")
}

func TestOverConnectionLimit(t *testing.T) {
	l := startLab(t, testConfig(t, "-max-conns", "2"))
	a := dial(t, l.pop3Addr())
	a.expect("+OK")
	b := dial(t, l.pop3Addr())
	b.expect("+OK")
	over := dial(t, l.pop3Addr())
	if got := over.line(); !strings.HasPrefix(got, "-ERR [SYS/TEMP] too many connections") {
		t.Fatalf("over the limit: got %q", got)
	}
	if !over.closed() {
		t.Fatal("a refused connection stays open")
	}
	a.ok("QUIT")
	a.closed()
	// A slot is free again; the server counts it back once the
	// session's goroutine ends, so allow a few attempts.
	for i := 0; ; i++ {
		c := dial(t, l.pop3Addr())
		if got := c.line(); strings.HasPrefix(got, "+OK") {
			break
		} else if i == 50 {
			t.Fatalf("after a session ended: still refused: %q", got)
		}
		c.closed()
	}
	if !strings.Contains(l.log.String(), "too many connections") {
		t.Fatalf("the refusal is not logged:\n%s", l.log)
	}
}

// On shutdown a connected client is disconnected, the server returns, and
// deletions without QUIT are not carried out (RFC 1939 section 6).
func TestGracefulShutdown(t *testing.T) {
	l := startLab(t, testConfig(t))
	inbox := func() int {
		u, _ := l.app.srv.Store.User("mrose")
		mb, err := u.Mailbox("INBOX")
		if err != nil {
			t.Fatal(err)
		}
		return len(mb.Messages())
	}
	before := inbox()
	c := dial(t, l.pop3Addr())
	login(t, c, "mrose", "tanstaaf")
	c.ok("DELE 1")
	l.shutdown(t)
	if !c.closed() {
		t.Fatal("the client is still connected after shutdown")
	}
	if after := inbox(); after != before {
		t.Fatalf("INBOX has %d messages after shutdown, want %d: DELE without QUIT must delete nothing", after, before)
	}
	log := l.log.String()
	for _, want := range []string{"reason=\"server shutdown\"", "msg=stopped"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %s:\n%s", want, log)
		}
	}
	if _, err := dialErr(l.pop3Addr()); err == nil {
		t.Error("the listener still accepts after shutdown")
	}
}

// -idle arms the autologout through the connection's read deadline; the
// server closes the connection silently (RFC 1939 section 3) and logs why.
func TestAutologout(t *testing.T) {
	l := startLab(t, testConfig(t, "-idle", "300ms"))
	c := dial(t, l.pop3Addr())
	login(t, c, "smith", "sesame")
	c.ok("DELE 1")
	if !c.closed() {
		t.Fatal("an idle session was not logged out")
	}
	if got := l.mailboxSize(t, "smith"); got == 0 {
		t.Fatal("autologout deleted messages")
	}
	// The connection goroutine logs the disconnect after the close.
	for i := 0; !strings.Contains(l.log.String(), `reason="autologout: idle too long"`); i++ {
		if i == 100 {
			t.Fatalf("log lacks the autologout:\n%s", l.log)
		}
		c.c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
		c.br.ReadByte()
	}
}
