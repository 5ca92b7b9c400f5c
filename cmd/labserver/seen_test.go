package main

import (
	"strconv"
	"strings"
	"testing"
)

// imapDo sends a tagged IMAP command and returns the untagged lines before
// the tagged OK.
func (c *client) imapDo(tag, command string) []string {
	c.t.Helper()
	lines := c.imapLines(tag, command)
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, tag+" OK") {
		c.t.Fatalf("%s: %q", command, last)
	}
	return lines[:len(lines)-1]
}

// imapLines sends a tagged IMAP command and returns its answer's lines,
// the tagged one last, whatever it says.
func (c *client) imapLines(tag, command string) []string {
	c.t.Helper()
	c.send(tag + " " + command + "\r\n")
	var out []string
	for {
		l := c.line()
		out = append(out, l)
		if strings.HasPrefix(l, tag+" ") {
			return out
		}
	}
}

// A message POP3 RETR sent is \Seen for IMAP once the POP3 session quits:
// an IMAP session with INBOX selected is told at once, and a fresh FETCH
// shows it. TOP marks nothing; neither does RETR with -pop3-no-flag-updates.
func TestPOP3RetrSeenByIMAP(t *testing.T) {
	for _, noFlags := range []bool{false, true} {
		t.Run("no-flag-updates="+strconv.FormatBool(noFlags), func(t *testing.T) {
			args := []string{"-imap", "127.0.0.1:0"}
			if noFlags {
				args = append(args, "-pop3-no-flag-updates")
			}
			l := startLab(t, testConfig(t, args...))
			read := l.deliver(t, "melanie", "Read over POP3", "RETR fetches this one.")
			peeked := l.deliver(t, "melanie", "Peeked at over POP3", "TOP shows only the header.")
			uids := strconv.FormatUint(uint64(read), 10) + "," + strconv.FormatUint(uint64(peeked), 10)

			im := dial(t, l.imapAddr())
			im.expect("* OK")
			im.imapDo("a1", "LOGIN melanie toybox")
			im.imapDo("a2", "SELECT INBOX")

			p := dial(t, l.pop3Addr())
			login(t, p, "melanie", "toybox")
			n, _ := strconv.Atoi(strings.Fields(p.ok("STAT"))[1])
			p.ok("RETR " + strconv.Itoa(n-1))
			p.multi()
			p.ok("TOP " + strconv.Itoa(n) + " 0")
			p.multi()
			if got := im.imapDo("a3", "UID FETCH "+uids+" FLAGS"); strings.Contains(strings.Join(got, "\n"), `\Seen`) {
				t.Fatalf("\\Seen before QUIT: %q", got)
			}
			p.ok("QUIT")
			p.closed()

			noop := strings.Join(im.imapDo("a4", "NOOP"), "\n")
			want := "* " + strconv.Itoa(n-1) + " FETCH (FLAGS ("
			if told := strings.Contains(noop, want) && strings.Contains(noop, `\Seen`); told == noFlags {
				t.Errorf("NOOP after the POP3 QUIT: %q", noop)
			}

			fresh := dial(t, l.imapAddr())
			fresh.expect("* OK")
			fresh.imapDo("b1", "LOGIN melanie toybox")
			fresh.imapDo("b2", "EXAMINE INBOX")
			lines := fresh.imapDo("b3", "UID FETCH "+uids+" FLAGS")
			if len(lines) != 2 {
				t.Fatalf("UID FETCH %s FLAGS: %q", uids, lines)
			}
			for _, line := range lines {
				seen := strings.Contains(line, `\Seen`)
				switch {
				case strings.Contains(line, "UID "+strconv.FormatUint(uint64(read), 10)+" "):
					if seen == noFlags {
						t.Errorf("the message RETR sent: %q", line)
					}
				case seen:
					t.Errorf("the message TOP sent: %q", line)

				}
			}
		})
	}
}
