package imap

import (
	"strconv"
	"strings"
	"testing"

	"maillab/sim/event"
)

// closedBy checks that the session ended after a BYE, closed by the
// server: the last event is Close with trigger "drop".
func closedBy(t *testing.T, c *conn) {
	t.Helper()
	evs := c.wait()
	last := evs[len(evs)-1]
	if last.Kind != event.Close || last.Trigger != "drop" {
		t.Errorf("last event %+v, want Close by drop", last)
	}
}

// A literal over the limit is never read. Before login the limit is 8 KiB
// (preauthLiteral), after login the largest message (Options.MaxLiteral).
// A synchronizing one gets BAD and no "+", and the session goes on; a
// non-synchronizing one, whose octets are coming unasked, gets BYE and the
// connection closes, as Dovecot's imap-login does ("* BYE Literal size
// too large").
func TestLiteralTooLarge(t *testing.T) {
	t.Run("login, non-synchronizing", func(t *testing.T) {
		c := dial(t, Options{Store: newStore(t, 1000)})
		c.run(`
			S: * OK ...
			C: a1 LOGIN {999999999999+}
			S: * BYE Literal of 999999999999 octets is larger than this server accepts (8192); closing the connection
		`)
		closedBy(t, c)
	})
	t.Run("login, synchronizing", func(t *testing.T) {
		st := newStore(t, 1000)
		addUser(t, st, "melanie", "toybox")
		c := dial(t, Options{Store: st})
		c.run(`
			S: * OK ...
			C: a1 LOGIN {999999999999}
			S: a1 BAD LOGIN: user name: literal of 999999999999 octets is larger than this server accepts (8192); the rest of the command is dropped
			C: a2 LOGIN {8193}
			S: a2 BAD LOGIN: user name: literal of 8193 octets is larger than this server accepts (8192); the rest of the command is dropped
			C: a3 LOGIN melanie toybox
			S: a3 OK ...
		`)
	})
	t.Run("limit before login", func(t *testing.T) {
		st := newStore(t, 1000)
		addUser(t, st, "melanie", "toybox")
		c := dial(t, Options{Store: st})
		c.expect("* OK ...")
		// 8192 octets are read: the login fails, the session goes on.
		c.sendRaw("a1 LOGIN {8192+}\r\n" + strings.Repeat("u", 8192) + " toybox\r\n")
		c.expect("a1 NO ...")
		c.run(`
			C: a2 NOOP
			S: a2 OK NOOP completed
			C: a3 LOGIN melanie {8193+}
			S: * BYE Literal of 8193 octets is larger than this server accepts (8192); closing the connection
		`)
		closedBy(t, c)
	})
	t.Run("other commands before login", func(t *testing.T) {
		for _, cmd := range []string{"FROBNICATE {9000+}", "SELECT {9000+}", "ID ({9000+}", "LOGIN melanie {99999999999999999999999+}"} {
			c := dial(t, Options{Store: newStore(t, 1000)})
			c.expect("* OK ...")
			c.send("a1 " + cmd)
			c.expect("* BYE Literal of ...")
			closedBy(t, c)
		}
	})
	t.Run("after login", func(t *testing.T) {
		st := newStore(t, 1000)
		addUser(t, st, "melanie", "toybox")
		c := login(t, st, "melanie", "toybox")
		// Past login the limit is the largest message.
		msg := string(message("big", strings.Repeat("x", 9000)))
		c.sendRaw("b1 APPEND INBOX {" + strconv.Itoa(len(msg)) + "+}\r\n" + msg + "\r\n")
		c.expect("b1 OK [APPENDUID 1000 1] APPEND completed")
		c.run(`
			C: b2 APPEND INBOX {999999999999}
			S: b2 NO [TOOBIG] The message is larger than this server accepts (33554432 octets; the messages of one APPEND 134217728 together)
			C: b3 FROBNICATE {999999999999}
			S: b3 BAD Unknown command FROBNICATE; CAPABILITY lists what this server supports
			C: b4 NOOP
			S: b4 OK NOOP completed
			C: b5 APPEND INBOX {999999999999+}
			S: * BYE Literal of 999999999999 octets is larger than this server accepts (33554432); closing the connection
		`)
		closedBy(t, c)
	})
	t.Run("unknown command after login", func(t *testing.T) {
		st := newStore(t, 1000)
		addUser(t, st, "melanie", "toybox")
		c := login(t, st, "melanie", "toybox")
		c.run(`
			C: b1 FROBNICATE {99999999999999999999999+}
			S: * BYE Literal of 99999999999999999999999 octets is larger than this server accepts (33554432); closing the connection
		`)
		closedBy(t, c)
	})
}
