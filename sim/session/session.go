// Package session is what every line protocol of the lab shares: reading
// command lines with limits, writing each server line together with its
// event, the session's state read safely from other goroutines, the
// dot-framed blocks of POP3's answers and SMTP's DATA, and how a session
// ended as a typed reason. A protocol embeds a Base and keeps its own RFC
// rules on top: which commands exist, what they answer and why.
//
// The rule every protocol follows with a learner typing by hand: a mistake
// is answered and the session goes on. Only the connection's end, an
// autologout or the protocol's own limit on failures ends a session.
package session

import (
	"bufio"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"maillab/sim/event"
	"maillab/sim/fsm"
	"maillab/sim/lineio"
)

// End says how a session ended: the Trigger of its Close event, which the
// lesson engine and labserver's log read.
type End string

const (
	Quit           End = "quit"            // the client's QUIT (POP3, SMTP)
	Logout         End = "logout"          // the client's LOGOUT (IMAP)
	Drop           End = "drop"            // the connection was cut, or the server cut it
	Timeout        End = "timeout"         // autologout: no command for too long
	Rejected       End = "reject"          // the greeting turned the client away
	MailboxDeleted End = "mailbox deleted" // IMAP: another session deleted the selected mailbox
)

// Throttle is how a host slows down password guessing. The page sets
// none: a learner's mistakes are answered at once.
type Throttle struct {
	// Delay is called on each failed login with the user name tried,
	// before the failure is answered, and says how long to wait first.
	// nil: no wait.
	Delay func(user string) time.Duration
	// MaxFailures is how many failed logins a connection may make before
	// the server closes it; 0: the protocol's own rule.
	MaxFailures int
	// Sleep waits d, or less when the host is shutting down; nil: the
	// time package's timer.
	Sleep func(d time.Duration)
}

// Base is the shared part of a line protocol session. Its zero value is
// not ready: call Init, then Attach a connection.
type Base struct {
	proto   string
	id      string
	sink    event.Sink
	explain bool // the sink reads explanations
	tr      *fsm.Tracker
	state   atomic.Value // fsm.State

	// Now is the session's clock; Idle its autologout (0: none).
	Now  func() time.Time
	Idle time.Duration

	// Auth is the host's answer to failed logins.
	Auth Throttle

	authFailures int
	loggedIn     atomic.Bool

	rw   io.ReadWriter
	R    *lineio.Reader
	W    *bufio.Writer
	werr error // the first write error; later writes are dropped
	// small is the connection's own writer while W is a large one taken
	// for a long answer (Expect), given back at the next Flush.
	small *bufio.Writer

	ended End
	ioErr error // the connection error that ended the session
	// Cmd is the command being answered, copied into Server and Explain
	// events.
	Cmd string
}

// Init names the session's protocol and id, the machine it follows, the
// sink its events go to (nil: none) and whether that sink reads
// explanations (the explain pane does; a log of the lines does not).
func (b *Base) Init(proto, id string, m *fsm.Machine, sink event.Sink, explain bool) {
	b.proto, b.id, b.sink, b.explain = proto, id, sink, explain && sink != nil
	if b.Now == nil {
		b.Now = time.Now
	}
	b.state.Store(fsm.Start)
	b.tr = fsm.NewTracker(m, func(e event.Event) {
		b.state.Store(fsm.State(e.To))
		b.Emit(e)
	})
}

// Listening reports whether anyone reads the events: a session serving a
// real client with no sink builds none.
func (b *Base) Listening() bool { return b.sink != nil }

// Explaining reports whether the sink reads explanations. A session builds
// an explanation's text and parts only then: a host that logs the lines,
// or checks a lesson's goals, pays nothing for the lab's teaching.
func (b *Base) Explaining() bool { return b.explain }

// Explain ends the response just written with its Explain event e: the
// command answered and what the response means (Text, Parts, Allowed). A
// sink that does not read explanations gets it without its meaning, as
// the mark of the response's end; a session builds the meaning only when
// Explaining says the sink reads it.
func (b *Base) Explain(e event.Event) {
	if b.sink == nil {
		return
	}
	e.Kind = event.Explain
	if !b.explain {
		e.Text, e.Parts, e.Allowed = "", nil, nil
	}
	b.Emit(e)
}

// Emit completes an event with the session's protocol, id and state and
// hands it to the sink.
func (b *Base) Emit(e event.Event) {
	if b.sink == nil {
		return
	}
	e.Proto, e.Session = b.proto, b.id
	if e.State == "" {
		e.State = string(b.State())
	}
	b.sink(e)
}

// State is the session's current state; safe from another goroutine.
func (b *Base) State() fsm.State {
	s, _ := b.state.Load().(fsm.State)
	return s
}

// LoggedIn records that the client has logged in (or, where the protocol
// has no login, has introduced itself): the host's login timeout no
// longer applies.
func (b *Base) LoggedIn() { b.loggedIn.Store(true) }

// IsLoggedIn reports whether LoggedIn was called; safe from another
// goroutine.
func (b *Base) IsLoggedIn() bool { return b.loggedIn.Load() }

// AuthFailed counts a failed login of user and waits as long as the
// host's Auth.Delay says, before the session answers the failure. It
// reports whether this failure reached Auth.MaxFailures: the session then
// says so in its answer and ends the connection.
func (b *Base) AuthFailed(user string) (last bool) {
	b.authFailures++
	if b.Auth.Delay != nil {
		if d := b.Auth.Delay(user); d > 0 {
			b.sleep(d)
		}
	}
	return b.Auth.MaxFailures > 0 && b.authFailures >= b.Auth.MaxFailures
}

// AuthFailures is how many logins have failed on this connection.
func (b *Base) AuthFailures() int { return b.authFailures }

func (b *Base) sleep(d time.Duration) {
	if b.Auth.Sleep != nil {
		b.Auth.Sleep(d)
		return
	}
	t := time.NewTimer(d)
	<-t.C
}

// Tracker is the session's walk through its machine.
func (b *Base) Tracker() *fsm.Tracker { return b.tr }

// Take moves along the declared transition id; trigger says what took it
// (a verb, "connect", "drop", "timeout").
func (b *Base) Take(id, trigger string) { b.tr.Take(id, trigger) }

// Can reports whether transition id leaves the current state.
func (b *Base) Can(id string) bool { return b.tr.Can(id) }

// Attach (re)binds the session to a connection: a line reader of lines up
// to maxLine octets and a buffered writer. After a TLS handshake it is
// called again, which also drops anything buffered in plain text (RFC
// 2595 section 3.1, RFC 3207 section 4.2).
func (b *Base) Attach(rw io.ReadWriter, maxLine, writeBuffer int) {
	b.giveBack()
	b.rw = rw
	b.R = lineio.NewReader(rw, maxLine)
	b.W = bufio.NewWriterSize(rw, writeBuffer)
	b.werr = nil
}

// Conn is the connection the session reads and writes.
func (b *Base) Conn() io.ReadWriter { return b.rw }

// ReadLine arms the autologout timer and reads one line without its line
// ending. lineio.ErrTooLong is a mistake to answer, not the end.
func (b *Base) ReadLine() ([]byte, error) {
	lineio.SetIdle(b.rw, b.Idle, b.Now())
	return b.R.ReadLine()
}

// ReadFailed ends the session after a read error other than an over-long
// line: an autologout, the client's hang-up, or a broken connection.
func (b *Base) ReadFailed(err error) End {
	switch {
	case lineio.IsTimeout(err):
		b.EndWith(Timeout)
	case errors.Is(err, io.EOF):
		b.EndWith(Drop)
	default:
		b.EndWith(Drop)
		if b.ioErr == nil {
			b.ioErr = err
		}
	}
	return b.ended
}

// Broken ends the session on a connection error that is not a read's: a
// failed TLS handshake, a write that failed.
func (b *Base) Broken(err error) {
	b.EndWith(Drop)
	if b.ioErr == nil {
		b.ioErr = err
	}
	if b.werr == nil {
		b.werr = err // nothing more can be sent
	}
}

// WriteErr is the first write error, nil while writes succeed.
func (b *Base) WriteErr() error { return b.werr }

// Raw writes octets as they are, without a line ending or an event: a
// response whose lines the protocol emits itself (an IMAP literal).
func (b *Base) Raw(p []byte) {
	if b.werr == nil {
		_, b.werr = b.W.Write(p)
	}
}

// RawString is Raw for a string, and CRLF after it: a response the
// protocol emits itself, written without copying it.
func (b *Base) RawString(s string) { b.write(s) }

// EndWith records how the session ends; the first reason given stays.
func (b *Base) EndWith(e End) {
	if b.ended == "" {
		b.ended = e
	}
}

// Ended is how the session ended, "" while it goes on.
func (b *Base) Ended() End { return b.ended }

// Err is the connection error that ended the session, if one did.
func (b *Base) Err() error { return b.ioErr }

// Client emits a line the client sent. secret marks a line that may carry
// a credential: hosts that log must not write it, and the session never
// quotes it back. Control characters are shown in caret notation.
func (b *Base) Client(line []byte, e event.Event) {
	if b.sink == nil {
		return
	}
	e.Kind = event.Client
	e.Line = lineio.Printable(string(line))
	if e.Command == "" {
		e.Command = b.Cmd
	}
	b.Emit(e)
}

// Line writes one server line and its CRLF, and emits e as its Server
// event with e.Line set to the line. The line is one the server composed
// (a reply, not message data): control characters in it, which a name or
// an error quoted into it may carry, are written in caret notation
// (lineio.Printable), so that no CR or LF ends it early and adds a line
// of its own to the answer.
func (b *Base) Line(line string, e event.Event) {
	line = lineio.Printable(line)
	b.write(line)
	if b.sink == nil {
		return
	}
	e.Kind = event.Server
	e.Line = line
	if e.Command == "" {
		e.Command = b.Cmd
	}
	b.Emit(e)
}

func (b *Base) write(line string) {
	if b.werr != nil {
		return
	}
	if _, err := b.W.WriteString(line); err != nil {
		b.werr = err
		return
	}
	_, b.werr = b.W.WriteString("\r\n")
}

// largeWriters are the write buffers of long answers, shared by the
// sessions: an idle connection keeps only its own small one.
var largeWriters = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, largeWrite) }}

const largeWrite = 64 << 10

// Expect says an answer of about n octets follows (a POP3 RETR, an IMAP
// FETCH of many messages): when it is larger than the connection's own
// buffer, a larger one is used until the next Flush, so the answer goes
// out in a few large writes instead of many small ones. What the session
// wrote and the events it emits stay the same.
func (b *Base) Expect(n int) {
	if b.small != nil || b.W == nil || n <= b.W.Available() || b.werr != nil {
		return
	}
	if b.W.Buffered() > 0 {
		b.werr = b.W.Flush()
	}
	w := largeWriters.Get().(*bufio.Writer)
	w.Reset(b.rw)
	b.small, b.W = b.W, w
}

// giveBack returns a large writer taken by Expect; the caller has flushed it.
func (b *Base) giveBack() {
	if b.small == nil {
		return
	}
	b.W.Reset(nil)
	largeWriters.Put(b.W)
	b.W, b.small = b.small, nil
}

// Flush sends what was written. A write error ends the session as a
// dropped connection and is returned again by every later Flush.
func (b *Base) Flush() error {
	if b.werr == nil {
		b.werr = b.W.Flush()
	}
	b.giveBack()
	if b.werr != nil {
		b.EndWith(Drop)
		if b.ioErr == nil {
			b.ioErr = b.werr
		}
	}
	return b.werr
}

// Close emits the Close event with how the session ended ("drop" when no
// reason was recorded). Call it once, when the session is over.
func (b *Base) Close() {
	b.EndWith(Drop)
	b.Emit(event.Event{Kind: event.Close, Trigger: string(b.ended)})
}

// Loop serves lines until the session ends: each line goes to handle, an
// over-long one (already read to its end) to tooLong, and what was
// written is flushed after each. It returns the connection error that
// ended the session, nil for an orderly end.
func (b *Base) Loop(handle func(line []byte), tooLong func()) error {
	for b.ended == "" {
		line, err := b.ReadLine()
		switch {
		case errors.Is(err, lineio.ErrTooLong):
			tooLong()
		case err != nil:
			b.ReadFailed(err)
		default:
			handle(line)
		}
		b.Flush()
	}
	return b.ioErr
}
