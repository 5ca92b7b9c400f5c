package session

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"maillab/sim/event"
	"maillab/sim/fsm"
)

var testMachine = &fsm.Machine{
	Proto:  "test",
	States: []fsm.StateInfo{{Name: "a"}, {Name: "b"}},
	Transitions: []fsm.Transition{
		{ID: "1", From: fsm.Start, To: "a"},
		{ID: "2", From: "a", To: "b"},
	},
	Commands: map[fsm.State][]string{"a": {"GO"}, "b": {"QUIT"}},
}

type conn struct {
	in  io.Reader
	out bytes.Buffer
}

func (c *conn) Read(p []byte) (int, error)  { return c.in.Read(p) }
func (c *conn) Write(p []byte) (int, error) { return c.out.Write(p) }
func (c *conn) String() string              { return c.out.String() }

func newBase(in string) (*Base, *conn, *event.Recorder) {
	var rec event.Recorder
	c := &conn{in: strings.NewReader(in)}
	b := &Base{}
	b.Init("test", "t-1", testMachine, rec.Sink(), true)
	b.Attach(c, 20, 64)
	return b, c, &rec
}

// A mistake is answered and the loop goes on; the end of input ends it as
// a dropped connection, and Close says so.
func TestLoopAnswersMistakesAndGoesOn(t *testing.T) {
	b, c, rec := newBase("GO\r\n" + strings.Repeat("x", 40) + "\r\nQUIT\r\nNOOP\r\n")
	b.Take("1", "connect")
	var seen []string
	err := b.Loop(func(line []byte) {
		b.Client(line, event.Event{})
		seen = append(seen, string(line))
		switch string(line) {
		case "GO":
			b.Take("2", "GO")
			b.Line("+OK gone", event.Event{Status: "+OK"})
		case "QUIT":
			b.Line("+OK bye", event.Event{Status: "+OK"})
			b.EndWith(Quit)
		}
	}, func() { b.Line("-ERR too long", event.Event{Status: "-ERR"}) })
	b.Close()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(seen, "|"); got != "GO|QUIT" {
		t.Errorf("handled %q; NOOP after QUIT must not be read", got)
	}
	if c.String() != "+OK gone\r\n-ERR too long\r\n+OK bye\r\n" {
		t.Errorf("wire %q", c.String())
	}
	last := rec.Events[len(rec.Events)-1]
	if last.Kind != event.Close || last.Trigger != "quit" || last.State != "b" || last.Proto != "test" || last.Session != "t-1" {
		t.Errorf("close event %+v", last)
	}
	if b.State() != "b" {
		t.Errorf("state %q", b.State())
	}
}

func TestEndOfInputIsADrop(t *testing.T) {
	b, _, rec := newBase("")
	b.Loop(func([]byte) {}, func() {})
	b.Close()
	if e := rec.Events[len(rec.Events)-1]; e.Trigger != "drop" {
		t.Errorf("trigger %q", e.Trigger)
	}
}

// State is read by other goroutines while the session moves (go test -race).
func TestStateIsSafeFromOtherGoroutines(t *testing.T) {
	b, _, _ := newBase("")
	var wg sync.WaitGroup
	wg.Go(func() {
		for range 1000 {
			_ = b.State()
		}
	})
	b.Take("1", "connect")
	b.Take("2", "GO")
	wg.Wait()
	if b.State() != "b" {
		t.Fatal(b.State())
	}
}

func TestDataLinesAreStuffedAndShownAsSent(t *testing.T) {
	b, c, rec := newBase("")
	b.Cmd = "RETR"
	b.DataText([]byte("Subject: x\r\n\r\n.hidden\r\n..two\r\nlast"))
	b.DataEnd()
	b.Flush()
	want := "Subject: x\r\n\r\n..hidden\r\n...two\r\nlast\r\n.\r\n"
	if c.String() != want {
		t.Errorf("wire %q, want %q", c.String(), want)
	}
	var lines []string
	for _, e := range rec.Events {
		if e.Command != "RETR" {
			t.Errorf("event %+v lacks the command", e)
		}
		lines = append(lines, e.Line)
	}
	if got := strings.Join(lines, "|"); got != "Subject: x||..hidden|...two|last|." {
		t.Errorf("events %q", got)
	}
}

func TestWriteErrorEndsTheSession(t *testing.T) {
	var rec event.Recorder
	b := &Base{}
	b.Init("test", "t", testMachine, rec.Sink(), true)
	b.Attach(struct {
		io.Reader
		io.Writer
	}{strings.NewReader(""), failWriter{}}, 20, 16)
	b.Line("+OK hello", event.Event{})
	if err := b.Flush(); err == nil {
		t.Fatal("no error")
	}
	if b.Ended() != Drop || b.Err() == nil {
		t.Fatalf("ended %q, err %v", b.Ended(), b.Err())
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

// AuthFailed asks the host's delay for the user tried, waits it with the
// host's Sleep, and says which failure is the last one allowed.
func TestAuthFailed(t *testing.T) {
	var users []string
	var slept []time.Duration
	var b Base
	b.Auth = Throttle{
		Delay: func(user string) time.Duration {
			users = append(users, user)
			return time.Duration(len(users)) * time.Second
		},
		MaxFailures: 3,
		Sleep:       func(d time.Duration) { slept = append(slept, d) },
	}
	var last []bool
	for _, u := range []string{"melanie", "alex", ""} {
		last = append(last, b.AuthFailed(u))
	}
	if !slices.Equal(last, []bool{false, false, true}) || b.AuthFailures() != 3 {
		t.Errorf("last = %v after %d failures, want the third last", last, b.AuthFailures())
	}
	if !slices.Equal(users, []string{"melanie", "alex", ""}) || !slices.Equal(slept, []time.Duration{time.Second, 2 * time.Second, 3 * time.Second}) {
		t.Errorf("delay asked for %q, slept %v", users, slept)
	}

	// No host throttle, as in the page: no wait, no limit.
	var page Base
	for range 20 {
		if page.AuthFailed("melanie") {
			t.Fatal("a session without a throttle closed after failures")
		}
	}
	if page.IsLoggedIn() {
		t.Error("logged in before LoggedIn")
	}
	page.LoggedIn()
	if !page.IsLoggedIn() {
		t.Error("not logged in after LoggedIn")
	}
}

// writeCounter counts the writes that reach the connection.
type writeCounter struct {
	conn
	writes int
}

func (c *writeCounter) Write(p []byte) (int, error) { c.writes++; return c.conn.Write(p) }

// A long answer announced with Expect reaches the connection in one write
// instead of one per filled small buffer, with the same octets and one
// event per line; after the Flush the small buffer is back.
func TestExpectWritesLongAnswerAtOnce(t *testing.T) {
	line := strings.Repeat("x", 70)
	for _, expect := range []bool{false, true} {
		var rec event.Recorder
		c := &writeCounter{conn: conn{in: strings.NewReader("")}}
		b := &Base{}
		b.Init("test", "t-1", testMachine, rec.Sink(), true)
		b.Attach(c, 100, 512)
		if expect {
			b.Expect(100 * 72)
		}
		for range 100 {
			b.DataLine([]byte(line))
		}
		b.DataEnd()
		if err := b.Flush(); err != nil {
			t.Fatal(err)
		}
		if want := strings.Repeat(line+"\r\n", 100) + ".\r\n"; c.out.String() != want {
			t.Fatalf("expect %v: wrote %d octets, want %d", expect, c.out.Len(), len(want))
		}
		if len(rec.Lines()) != 101 {
			t.Errorf("expect %v: %d events, want one per line", expect, len(rec.Lines()))
		}
		switch {
		case expect && c.writes != 1:
			t.Errorf("with Expect: %d writes, want 1", c.writes)
		case !expect && c.writes < 10:
			t.Errorf("without Expect: %d writes; the test's small buffer should take many", c.writes)
		}
		if b.W.Size() != 512 {
			t.Errorf("expect %v: after Flush the buffer holds %d, want the connection's own 512", expect, b.W.Size())
		}
	}
}

// A sink that does not read explanations gets each Explain event without
// its text, parts and allowed states, as the mark of the response's end;
// one that reads them gets them. Either way the event comes after the
// line it explains.
func TestExplanationsOnlyForASinkThatReadsThem(t *testing.T) {
	for _, explain := range []bool{false, true} {
		var rec event.Recorder
		b := &Base{}
		b.Init("test", "t-1", testMachine, rec.Sink(), explain)
		b.Attach(&conn{in: strings.NewReader("")}, 20, 64)
		b.Take("1", "connect")
		if b.Explaining() != explain {
			t.Errorf("Explaining() = %v, want %v", b.Explaining(), explain)
		}
		b.Line("-ERR not here", event.Event{Status: "-ERR"})
		b.Explain(event.Event{Command: "GO", Text: "refused", Parts: []event.Part{{Token: "-ERR", Meaning: "failure"}}, Allowed: []string{"a"}})
		var got []string
		for _, e := range rec.Events {
			got = append(got, fmt.Sprintf("%s:%s:%s:%d:%d", e.Kind, e.Command, e.Text, len(e.Parts), len(e.Allowed)))
		}
		want := []string{"transition:::0:0", "server:::0:0", "explain:GO::0:0"}
		if explain {
			want[2] = "explain:GO:refused:1:1"
		}
		if !slices.Equal(got, want) {
			t.Errorf("explain %v: events %q, want %q", explain, got, want)
		}
	}
	// Without a sink nothing reads explanations, whatever Init was told.
	b := &Base{}
	b.Init("test", "t-1", testMachine, nil, true)
	if b.Explaining() {
		t.Error("Explaining() without a sink")
	}
}

// A reply line quoting a name with CR LF (a file's, a mailbox's) stays one
// line on the wire: its control characters go in caret notation, as the
// event shows them.
func TestReplyLineCannotBeSplit(t *testing.T) {
	b, c, rec := newBase("")
	b.Line("-ERR no such file a\r\n+OK injected\x1b[2J", event.Event{})
	b.Flush()
	want := "-ERR no such file a^M^J+OK injected^[[2J\r\n"
	if c.String() != want {
		t.Errorf("wire %q, want %q", c.String(), want)
	}
	if len(rec.Events) != 1 || rec.Events[0].Line != strings.TrimSuffix(want, "\r\n") {
		t.Errorf("events %+v", rec.Events)
	}
}
