package mailpath

import (
	"bufio"
	"bytes"
	"net"
	"strings"

	"maillab/sim/smtp"
)

// conn is the sending side of a hop: a small SMTP/LMTP client that
// writes one command, reads its reply and notes both in the transcript.
type conn struct {
	c   net.Conn
	br  *bufio.Reader
	lab *Lab
	t   *hop
	// closed: the server closed the connection (it said 421, or a read
	// or write failed); nothing more is sent.
	closed bool
}

func newConn(c net.Conn, l *Lab, t *hop) *conn {
	return &conn{c: c, br: bufio.NewReader(c), lab: l, t: t}
}

// broken is the reply a client reads when the server closed the
// connection without one.
func broken(cmd string) *smtp.Reply {
	return &smtp.Reply{Code: 421, Enhanced: "4.4.2", Lines: []string{"lost connection after " + cmd}}
}

// read reads one reply to what was just sent (named cmd in the
// transcript).
func (c *conn) read(cmd string) *smtp.Reply {
	r, err := smtp.ReadReply(c.br)
	if err != nil {
		r = broken(cmd)
	}
	// RFC 5321 section 3.8: after 421 the server closes the channel.
	c.closed = c.closed || err != nil || r.Code == 421
	c.lab.record(c.t, Step{Command: cmd, Code: r.Code, Enhanced: r.Enhanced, Text: r.Text()})
	return r
}

// cmd sends one command line and reads its reply.
func (c *conn) cmd(line string) *smtp.Reply {
	if _, err := c.c.Write([]byte(line + "\r\n")); err != nil {
		c.closed = true
		r := broken(verb(line))
		c.lab.record(c.t, Step{Command: line, Code: r.Code, Enhanced: r.Enhanced, Text: r.Text()})
		return r
	}
	return c.read(line)
}

// data sends the message after 354, dot-stuffed, and the final dot.
func (c *conn) data(msg []byte) error {
	w := smtp.NewDotWriter(c.c)
	if _, err := w.Write(msg); err != nil {
		return err
	}
	return w.Close()
}

// quit ends the session politely and closes the pipe.
func (c *conn) quit() {
	if !c.closed {
		c.cmd("QUIT")
	}
	c.c.Close()
}

func verb(line string) string {
	v, _, _ := strings.Cut(line, " ")
	return strings.ToUpper(v)
}

// headerValue is the unfolded value of the message's first field name,
// "" when it has none.
func headerValue(msg []byte, name string) string {
	end := bytes.Index(msg, []byte("\r\n\r\n"))
	if end < 0 {
		end = len(msg)
	}
	var val string
	in := false
	for _, line := range strings.Split(string(msg[:end]), "\r\n") {
		switch {
		case in && (strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")):
			val += " " + strings.TrimSpace(line)
		case in:
			return strings.TrimSpace(val)
		default:
			k, v, ok := strings.Cut(line, ":")
			if ok && strings.EqualFold(strings.TrimSpace(k), name) {
				val, in = v, true
			}
		}
	}
	return strings.TrimSpace(val)
}

// utf8Path reports whether an address needs SMTPUTF8 (RFC 6531).
func utf8Path(p smtp.Path) bool {
	s := p.Mailbox()
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	return false
}
