package imap

import (
	"bufio"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"maillab/sim/event"
	"maillab/sim/mailstore"
)

// conn is a client end of a session over net.Pipe.
type conn struct {
	t   *testing.T
	c   net.Conn
	r   *bufio.Reader
	rec *event.Recorder
	s   *Session
	end chan error
}

// dial starts a session on st and returns the client end. The recorder is
// only read after the session ends.
func dial(t *testing.T, o Options) *conn {
	t.Helper()
	client, server := net.Pipe()
	rec := &event.Recorder{}
	if o.Events == nil {
		o.Events = rec.Sink()
	}
	o.Explain = true
	s := NewSession(o)
	c := &conn{t: t, c: client, r: bufio.NewReader(client), rec: rec, s: s, end: make(chan error, 1)}
	go func() { c.end <- s.Serve(server); server.Close() }()
	t.Cleanup(func() { client.Close() })
	return c
}

// run plays a transcript written as the lecture writes them: "C: " lines
// are sent, "S: " lines must come back in that order. An expected line
// ending in "..." matches any line with that prefix.
func (c *conn) run(transcript string) {
	c.t.Helper()
	for _, l := range strings.Split(strings.TrimSpace(transcript), "\n") {
		l = strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "C: "):
			c.send(strings.TrimPrefix(l, "C: "))
		case strings.HasPrefix(l, "S: "):
			c.expect(strings.TrimPrefix(l, "S: "))
		case l == "S:" || l == "C:":
			if l == "C:" {
				c.send("")
			} else {
				c.expect("")
			}
		default:
			c.t.Fatalf("transcript line %q starts with neither C: nor S:", l)
		}
	}
}

func (c *conn) send(line string) {
	c.t.Helper()
	c.c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.c.Write([]byte(line + "\r\n")); err != nil {
		c.t.Fatalf("C: %s: %v", line, err)
	}
}

func (c *conn) sendRaw(b string) {
	c.t.Helper()
	c.c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.c.Write([]byte(b)); err != nil {
		c.t.Fatalf("C: %q: %v", b, err)
	}
}

func (c *conn) line() string {
	c.t.Helper()
	c.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	l, err := c.r.ReadString('\n')
	if err != nil {
		c.t.Fatalf("reading a response line: %v (got %q)", err, l)
	}
	if !strings.HasSuffix(l, "\r\n") {
		c.t.Fatalf("response line %q does not end in CRLF", l)
	}
	return strings.TrimSuffix(l, "\r\n")
}

func (c *conn) expect(want string) {
	c.t.Helper()
	got := c.line()
	if prefix, ok := strings.CutSuffix(want, "..."); ok {
		if !strings.HasPrefix(got, prefix) {
			c.t.Fatalf("S: got  %q\n   want %q", got, want)
		}
		return
	}
	if got != want {
		c.t.Fatalf("S: got  %q\n   want %q", got, want)
	}
}

// until reads lines up to and including the tagged completion for tag.
func (c *conn) until(tag string) []string {
	c.t.Helper()
	var out []string
	for {
		l := c.line()
		out = append(out, l)
		if strings.HasPrefix(l, tag+" ") {
			return out
		}
	}
}

// wait ends the session and returns the events.
func (c *conn) wait() []event.Event {
	c.t.Helper()
	select {
	case <-c.end:
	case <-time.After(5 * time.Second):
		c.t.Fatal("session did not end")
	}
	return c.rec.Events
}

// newStore makes a store with a pinned clock: UIDVALIDITY of the first
// mailbox created is validity.
func newStore(t *testing.T, validity uint32) *mailstore.Store {
	t.Helper()
	st := mailstore.New()
	base := time.Unix(int64(validity)-1, 0)
	st.SetClock(func() time.Time { return base })
	return st
}

func addUser(t *testing.T, st *mailstore.Store, name, pass string) *mailstore.User {
	t.Helper()
	u, err := st.AddUser(name, pass)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func message(subject, body string) []byte {
	return []byte("From: alex@example.org\r\nTo: melanie@example.org\r\nSubject: " + subject +
		"\r\nDate: Mon, 7 Feb 1994 21:52:25 -0800\r\nMessage-ID: <" + strings.ReplaceAll(subject, " ", ".") + "@example.org>\r\n\r\n" + body + "\r\n")
}

// fill appends n messages to mailbox name of u.
func fill(t *testing.T, u *mailstore.User, name string, n int, flags ...string) {
	t.Helper()
	mb, err := u.Mailbox(name)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if _, err := mb.Append(message("message", "text"), flags, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
}

// forgetRecent has a session select and leave the mailbox, as an earlier
// session would, so its messages no longer count as \Recent.
func forgetRecent(t *testing.T, u *mailstore.User, name string) {
	t.Helper()
	mb, err := u.Mailbox(name)
	if err != nil {
		t.Fatal(err)
	}
	w, _, _ := mb.Watch(true)
	w.Close()
}

// login dials and logs in, consuming the greeting and the answer.
func login(t *testing.T, st *mailstore.Store, user, pass string) *conn {
	t.Helper()
	c := dial(t, Options{Store: st})
	c.expect("* OK ...")
	c.send("l0 LOGIN " + user + " " + pass)
	c.expect("l0 OK ...")
	return c
}

// do sends a command and returns everything up to and including its
// tagged completion, lines joined with CRLF.
func (c *conn) do(tag, cmd string) string {
	c.t.Helper()
	c.send(tag + " " + cmd)
	return strings.Join(c.until(tag), "\r\n")
}

// mustContain fails unless out holds every want.
func mustContain(t *testing.T, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("response lacks %q:\n%s", w, out)
		}
	}
}

func mustNotContain(t *testing.T, out string, bad ...string) {
	t.Helper()
	for _, w := range bad {
		if strings.Contains(out, w) {
			t.Errorf("response holds %q:\n%s", w, out)
		}
	}
}

// appendFile appends a test message from sim/mime/testdata.
func appendFile(t *testing.T, u *mailstore.User, box, name string, flags ...string) {
	t.Helper()
	raw, err := os.ReadFile("../mime/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	mb, err := u.Mailbox(box)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mb.Append(raw, flags, time.Date(2026, 9, 20, 10, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
}

type timeT = time.Time

func parseDay(s string) (time.Time, error) { return time.Parse("2-Jan-2006", s) }

// doLines sends cmd with tag and returns the response lines up to and
// including the tagged one.
func (c *conn) doLines(tag, cmd string) []string {
	c.t.Helper()
	c.send(tag + " " + cmd)
	return c.until(tag)
}
