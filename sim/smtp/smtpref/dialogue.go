//go:build !js && !wasip1

package smtpref

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Reply is one SMTP or LMTP reply, however many lines it had.
type Reply struct {
	Code     int      // 250
	Enhanced string   // "2.1.0" (RFC 3463), or "" when the reply has none
	Lines    []string // the text of each line, without code and enhanced code
}

// String gives the reply as it was on the wire, one line per line,
// without the CRLFs: "250-mail.example.org\n250 PIPELINING".
func (r Reply) String() string {
	var b strings.Builder
	for i, l := range r.Lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		sep := byte('-')
		if i == len(r.Lines)-1 {
			sep = ' '
		}
		fmt.Fprintf(&b, "%03d%c", r.Code, sep)
		if r.Enhanced != "" {
			b.WriteString(r.Enhanced)
			if l != "" {
				b.WriteByte(' ')
			}
		}
		b.WriteString(l)
	}
	return b.String()
}

// Codes lists the replies' codes, for short assertions.
func Codes(replies []Reply) []int {
	out := make([]int, len(replies))
	for i, r := range replies {
		out[i] = r.Code
	}
	return out
}

// Dialogue connects to addr, reads the greeting and sends the client's
// lines one by one, each followed by CRLF, reading the reply to each. It
// returns the greeting and the replies in order.
//
// After a DATA that is answered 354 the lines up to and including "." are
// the message: they go out as they are, with no reply awaited, and the
// "." gets one reply on SMTP and one per accepted recipient on LMTP (a
// session that sent LHLO). The caller dot-stuffs. Like a client, Dialogue
// leaves the message out when DATA is refused, so a DATA must always be
// followed by its message and "."; a message line may hold a bare LF or
// CR, which goes out as given.
//
// After a BDAT command (RFC 3030) the next line is the chunk: it goes out
// right behind the command, as it is, with no CRLF added, and then the
// reply is read (on LMTP, one per accepted recipient after BDAT LAST).
//
// A line holding CRLFs is a pipelined group (RFC 2920): its commands go
// out in one write, and then one reply is read for each. As in RFC 2920,
// only its last command may be DATA or BDAT.
//
// If the server closes the connection, Dialogue returns the replies read
// until then.
func Dialogue(t testing.TB, addr string, lines []string) []Reply {
	t.Helper()
	c := Dial(t, addr)
	defer c.Close()
	return append([]Reply{c.Greeting}, c.Dialogue(lines)...)
}

// Transcript plays lines as Dialogue does and returns the exchange as
// text: the greeting and each reply line as "S: 250 2.1.0 Ok", each client
// line as "C: MAIL FROM:<alex@example.org>", "S: (connection closed)" if
// the server hung up. Client lines are shown by Printable, shortened past
// 120 octets.
// See Normalize for comparing transcripts of two servers.
func Transcript(t testing.TB, addr string, lines []string) string {
	t.Helper()
	c := Dial(t, addr)
	defer c.Close()
	var b strings.Builder
	for _, l := range strings.Split(c.Greeting.String(), "\n") {
		b.WriteString("S: " + l + "\n")
	}
	c.play(lines, &b)
	return b.String()
}

// Dialogue plays lines on the connection as the package's Dialogue does
// and returns the replies (the greeting is c.Greeting).
func (c *Conn) Dialogue(lines []string) []Reply {
	return c.play(lines, nil)
}

// play sends lines as Dialogue describes and returns the replies. With a
// builder it also writes the transcript.
func (c *Conn) play(lines []string, tr *strings.Builder) []Reply {
	var out []Reply
	client := func(ls ...string) {
		for _, l := range ls {
			if tr != nil {
				tr.WriteString("C: " + Printable(l, 120) + "\n")
			}
		}
	}
	closed := func() {
		if tr != nil {
			tr.WriteString("S: (connection closed)\n")
		}
	}
	// read reads n replies; false when the server is gone.
	read := func(n int) bool {
		for range n {
			r, err := c.ReadReply()
			if err != nil {
				closed()
				return false
			}
			out = append(out, r)
			if tr != nil {
				for _, l := range strings.Split(r.String(), "\n") {
					tr.WriteString("S: " + l + "\n")
				}
			}
		}
		return true
	}
	for i := 0; i < len(lines); i++ {
		cmds := strings.Split(lines[i], "\r\n")
		if v := verb(cmds[len(cmds)-1]); v == "BDAT" && i+1 < len(lines) {
			client(cmds...)
			client(lines[i+1])
			if c.Send(lines[i]) != nil || c.sendChunk(cmds[len(cmds)-1], lines[i+1]) != nil {
				closed()
				return out
			}
			i++
			if !read(len(cmds)-1) || !read(c.chunkReplies(cmds[len(cmds)-1])) {
				return out
			}
			continue
		}
		client(cmds...)
		if err := c.Send(lines[i]); err != nil {
			closed()
			return out
		}
		for _, cmd := range cmds {
			if !read(1) {
				return out
			}
			if verb(cmd) != "DATA" {
				continue
			}
			// The message, up to ".", sent only if DATA was accepted.
			j := i + 1
			for j < len(lines) && lines[j] != "." {
				j++
			}
			msg := lines[i+1 : min(j+1, len(lines))]
			i = j
			if out[len(out)-1].Code != 354 {
				continue
			}
			client(msg...)
			if err := c.SendMessage(msg...); err != nil {
				closed()
				return out
			}
			if !read(c.DataReplies()) {
				return out
			}
		}
	}
	return out
}

// sendChunk writes a BDAT chunk; cmd is the BDAT command it follows.
func (c *Conn) sendChunk(cmd, chunk string) error {
	n := c.chunkReplies(cmd)
	c.pending = c.pending[:len(c.pending)-1] // the BDAT's reply is the chunk's
	for range n {
		c.pending = append(c.pending, ".")
	}
	return c.Write([]byte(chunk))
}

// chunkReplies is how many replies a BDAT gets: one, or on LMTP one per
// accepted recipient after the last chunk (RFC 3030 with RFC 2033).
func (c *Conn) chunkReplies(cmd string) int {
	if f := strings.Fields(cmd); c.lmtp && len(f) >= 3 && strings.EqualFold(f[2], "LAST") {
		return c.DataReplies()
	}
	return 1
}

// Printable shows s on one line: CR as <CR>, LF as <LF>, control
// characters other than TAB as <0x01>, and if it is longer than max octets (max > 0),
// its start followed by "…(N octets)".
func Printable(s string, max int) string {
	n := len(s)
	if max > 0 && n > max {
		s = s[:max/2]
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\r':
			b.WriteString("<CR>")
		case r == '\n':
			b.WriteString("<LF>")
		case (r < 0x20 && r != '\t') || r == 0x7f:
			fmt.Fprintf(&b, "<0x%02x>", r)
		default:
			b.WriteRune(r)
		}
	}
	if max > 0 && n > max {
		fmt.Fprintf(&b, "…(%d octets)", n)
	}
	return b.String()
}

// Conn is a client connection: for Dialogue on a connection of one's own
// (NewConn), and for exchanges Dialogue cannot express (raw bytes,
// pipelining across a DATA).
type Conn struct {
	Greeting Reply
	Timeout  time.Duration // how long ReadReply waits; 10 s unless set

	c   net.Conn
	r   *bufio.Reader
	pos int // bytes read so far, for error messages

	lmtp     bool     // LHLO was sent
	pending  []string // verbs of the commands sent whose replies are still to come
	accepted int      // recipients accepted since the last MAIL
}

// Dial connects to addr and reads the greeting; the connection is closed
// when the test ends.
func Dial(t testing.TB, addr string) *Conn {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return NewConn(t, nc)
}

// NewConn reads the greeting on a connection already open (such as one
// end of a net.Pipe to a server under test); the connection is closed
// when the test ends.
func NewConn(t testing.TB, nc net.Conn) *Conn {
	t.Helper()
	c := &Conn{c: nc, r: bufio.NewReader(nc), Timeout: 10 * time.Second}
	t.Cleanup(func() { nc.Close() })
	var err error
	c.Greeting, err = c.ReadReply()
	if err != nil {
		t.Fatalf("greeting from %s: %v", nc.RemoteAddr(), err)
	}
	return c
}

// Close closes the connection.
func (c *Conn) Close() error { return c.c.Close() }

// Send writes command lines, each followed by CRLF, in one write; a line
// holding CRLFs is several commands.
func (c *Conn) Send(lines ...string) error {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l)
		b.WriteString("\r\n")
		for _, cmd := range strings.Split(l, "\r\n") {
			c.pending = append(c.pending, verb(cmd))
			if verb(cmd) == "LHLO" {
				c.lmtp = true
			}
		}
	}
	return c.Write([]byte(b.String()))
}

// SendMessage writes the lines of a message after DATA's 354, each
// followed by CRLF, as they are (the caller dot-stuffs and ends with
// "."). The replies to the final "." are DataReplies.
func (c *Conn) SendMessage(lines ...string) error {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l)
		b.WriteString("\r\n")
	}
	if len(lines) > 0 && lines[len(lines)-1] == "." {
		for range c.DataReplies() {
			c.pending = append(c.pending, ".")
		}
	}
	return c.Write([]byte(b.String()))
}

// Write sends bytes as they are.
func (c *Conn) Write(p []byte) error {
	c.c.SetWriteDeadline(time.Now().Add(c.timeout()))
	_, err := c.c.Write(p)
	return err
}

// DataReplies is how many replies the end of the message gets: one on
// SMTP, one per recipient accepted since the last MAIL on LMTP (RFC
// 2033 4.2).
func (c *Conn) DataReplies() int {
	if c.lmtp {
		return c.accepted
	}
	return 1
}

// ReadReply reads one reply, all its lines.
func (c *Conn) ReadReply() (Reply, error) {
	c.c.SetReadDeadline(time.Now().Add(c.timeout()))
	var r Reply
	for {
		line, err := c.r.ReadString('\n')
		c.pos += len(line)
		if err != nil {
			if err == io.EOF && line == "" && len(r.Lines) == 0 {
				return r, io.EOF
			}
			return r, fmt.Errorf("reading a reply at byte %d: %q: %w", c.pos, line, err)
		}
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		code, last, text, ok := splitReplyLine(line)
		if !ok || (len(r.Lines) > 0 && code != r.Code) {
			return r, fmt.Errorf("malformed reply line %q", line)
		}
		if len(r.Lines) == 0 {
			r.Code = code
			r.Enhanced = enhancedCode.FindString(text)
			r.Enhanced = strings.TrimSuffix(r.Enhanced, " ")
		}
		if r.Enhanced != "" {
			text = strings.TrimPrefix(strings.TrimPrefix(text, r.Enhanced), " ")
		}
		r.Lines = append(r.Lines, text)
		if last {
			break
		}
	}
	if len(c.pending) > 0 {
		switch c.pending[0] {
		case "RCPT":
			if r.Code/100 == 2 {
				c.accepted++
			}
		case "EHLO", "HELO", "LHLO", "MAIL", "RSET":
			c.accepted = 0
		}
		c.pending = c.pending[1:]
	}
	return r, nil
}

// ReadReplies reads n replies, as after a pipelined group.
func (c *Conn) ReadReplies(n int) ([]Reply, error) {
	var out []Reply
	for range n {
		r, err := c.ReadReply()
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (c *Conn) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return 10 * time.Second
}

// enhancedCode is an RFC 3463 status code at the start of a reply text.
var enhancedCode = regexp.MustCompile(`^[245]\.[0-9]{1,3}\.[0-9]{1,3}( |$)`)

// splitReplyLine splits "250-text" or "250 text" or "250".
func splitReplyLine(line string) (code int, last bool, text string, ok bool) {
	if len(line) < 3 {
		return 0, false, "", false
	}
	code, err := strconv.Atoi(line[:3])
	if err != nil || code < 200 || code > 599 {
		return 0, false, "", false
	}
	switch {
	case len(line) == 3:
		return code, true, "", true
	case line[3] == ' ':
		return code, true, line[4:], true
	case line[3] == '-':
		return code, false, line[4:], true
	}
	return 0, false, "", false
}

// verb is a command line's verb in upper case.
func verb(cmd string) string {
	v, _, _ := strings.Cut(cmd, " ")
	return strings.ToUpper(v)
}
