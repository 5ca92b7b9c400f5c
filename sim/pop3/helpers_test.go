package pop3

import (
	"bufio"
	"net"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"maillab/sim/event"
	"maillab/sim/mailstore"
)

// sized builds a message of exactly n octets with CRLF line endings: the
// header lines given, a blank line and a body of filler lines.
func sized(n int, header ...string) []byte {
	var b strings.Builder
	for _, h := range header {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("\r\n")
	rest := n - b.Len()
	if rest < 0 || rest == 1 {
		panic("sized: cannot build a message of that size")
	}
	for rest > 74 {
		b.WriteString(strings.Repeat("x", 70) + "\r\n")
		rest -= 72
	}
	if rest >= 2 {
		b.WriteString(strings.Repeat("y", rest-2) + "\r\n")
	}
	return []byte(b.String())
}

// padded builds a message of exactly n octets from header lines, a body,
// and X-Filler header lines inserted after the first header line.
func padded(n int, header []string, body string) []byte {
	base := strings.Join(header, "\r\n") + "\r\n\r\n" + body
	rest := n - len(base)
	var fill []string
	for rest > 0 { // a filler line costs 12 octets and its f's
		c := min(rest, 80)
		if r := rest - c; r > 0 && r < 12 {
			c = rest - 12
		}
		if c < 12 {
			panic("padded: remainder too small")
		}
		fill = append(fill, "X-Filler: "+strings.Repeat("f", c-12))
		rest -= c
	}
	h := append([]string{header[0]}, fill...)
	h = append(h, header[1:]...)
	return []byte(strings.Join(h, "\r\n") + "\r\n\r\n" + body)
}

// account is a user with the messages of their INBOX.
type account struct {
	name, password string
	msgs           [][]byte
}

// newStore makes a store holding the accounts, with a pinned clock.
func newStore(t testing.TB, accounts ...account) *mailstore.Store {
	t.Helper()
	st := mailstore.New()
	st.SetClock(func() time.Time { return time.Date(2008, 5, 9, 0, 10, 14, 0, time.UTC) })
	for _, a := range accounts {
		if _, err := st.AddUser(a.name, a.password); err != nil {
			t.Fatal(err)
		}
		for _, m := range a.msgs {
			if _, err := st.Deliver(a.name, m); err != nil {
				t.Fatal(err)
			}
		}
	}
	return st
}

// conn is the client end of a session running over net.Pipe.
type conn struct {
	t    testing.TB
	c    net.Conn
	r    *bufio.Reader
	rec  *event.Recorder
	done chan error
	sess *Session
}

// dial starts a session over net.Pipe and returns the client end.
func dial(t testing.TB, o Options) *conn {
	t.Helper()
	client, server := net.Pipe()
	rec := &event.Recorder{}
	if o.Events == nil {
		o.Events = rec.Sink()
	}
	o.Explain = true
	sess := NewSession(o)
	k := &conn{t: t, c: client, r: bufio.NewReader(client), rec: rec, done: make(chan error, 1), sess: sess}
	go func() {
		err := sess.Serve(server)
		server.Close()
		k.done <- err
	}()
	t.Cleanup(func() { client.Close() })
	return k
}

// line reads one line the server sent, without CRLF, and checks the CRLF.
func (k *conn) line() string {
	k.t.Helper()
	k.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	s, err := k.r.ReadString('\n')
	if err != nil {
		k.t.Fatalf("reading a server line: %v (got %q)", err, s)
	}
	if !strings.HasSuffix(s, "\r\n") {
		k.t.Fatalf("server line %q does not end in CRLF", s)
	}
	return strings.TrimSuffix(s, "\r\n")
}

// send writes a command line with CRLF.
func (k *conn) send(line string) {
	k.t.Helper()
	k.c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := k.c.Write([]byte(line + "\r\n")); err != nil {
		k.t.Fatalf("sending %q: %v", line, err)
	}
}

// cmd sends a line and reads a one-line answer.
func (k *conn) cmd(line string) string {
	k.t.Helper()
	k.send(line)
	return k.line()
}

// multi reads a multi-line answer after its first line, up to the ".".
func (k *conn) multi() []string {
	k.t.Helper()
	var out []string
	for {
		l := k.line()
		if l == "." {
			return out
		}
		out = append(out, l)
	}
}

// wait waits for Serve to return.
func (k *conn) wait() error {
	k.t.Helper()
	select {
	case err := <-k.done:
		return err
	case <-time.After(5 * time.Second):
		k.t.Fatal("session did not end")
		return nil
	}
}

var numberRE = regexp.MustCompile(`\d+`)

// transcript replays a C:/S: transcript as the lectures write it:
//
//	S: line   the server must send exactly this line
//	S~ line   same status indicator, and the numbers of the line appear in
//	          the server's line in the same order (text differs by server)
//	S* line   same first word only (the line carries server-specific data)
//	C: line   the client sends this line
//
// Blank lines and lines starting with # are skipped; "S:" alone is an
// empty data line. After the last exchange, a transcript ending in QUIT
// must see the session end. It returns the recorder with the events.
func transcript(t *testing.T, o Options, script string) *conn {
	t.Helper()
	k := dial(t, o)
	var wire []string
	last := ""
	for n, raw := range strings.Split(script, "\n") {
		l := strings.TrimLeft(raw, " \t")
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		kind, text := l[:2], strings.TrimPrefix(l[2:], " ")
		switch kind {
		case "C:":
			k.send(text)
			wire = append(wire, "C: "+text)
			last = strings.ToUpper(text)
		case "S:", "S~", "S*":
			got := k.line()
			wire = append(wire, "S: "+got)
			if !lineMatches(kind, text, got) {
				t.Fatalf("transcript line %d: want %s %q, got %q", n+1, kind, text, got)
			}
		default:
			t.Fatalf("transcript line %d: %q has no C:/S: prefix", n+1, raw)
		}
	}
	if last == "QUIT" {
		if err := k.wait(); err != nil {
			t.Fatalf("Serve after QUIT: %v", err)
		}
		if lines := k.rec.Lines(); !slices.Equal(lines, wire) {
			t.Errorf("events do not mirror the wire:\nevents: %q\nwire:   %q", lines, wire)
		}
	}
	return k
}

func lineMatches(kind, want, got string) bool {
	switch kind {
	case "S:":
		return want == got
	case "S*":
		w, _, _ := strings.Cut(want, " ")
		g, _, _ := strings.Cut(got, " ")
		return w == g
	}
	w, _, _ := strings.Cut(want, " ")
	g, _, _ := strings.Cut(got, " ")
	if w != g {
		return false
	}
	have := numberRE.FindAllString(got, -1)
	for _, n := range numberRE.FindAllString(want, -1) {
		i := slices.Index(have, n)
		if i < 0 {
			return false
		}
		have = have[i+1:]
	}
	return true
}

// events of one kind.
func kinds(rec *event.Recorder, k event.Kind) []event.Event {
	var out []event.Event
	for _, e := range rec.Events {
		if e.Kind == k {
			out = append(out, e)
		}
	}
	return out
}
