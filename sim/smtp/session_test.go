package smtp

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"maillab/sim/demo"
	"maillab/sim/event"
	"maillab/sim/mailstore"
	"maillab/sim/proto"
	"maillab/sim/proto/prototest"
)

// The session loop, driven the way a client drives it: transcripts of
// "C:" and "S:" lines as RFC 5321's appendices and the lectures write
// them, replayed through the registered protocol (prototest), or typed
// one line at a time over net.Pipe where the client must read an answer
// before it can go on (STARTTLS, CRAM-MD5's challenge).

// mtaEHLO is the EHLO reply of the lab's MTA on localhost: no STARTTLS
// (no certificate in these tests) and no AUTH (port 25 takes no logins).
const mtaEHLO = `
	S: 250-localhost
	S: 250-PIPELINING
	S: 250-SIZE 10240000
	S: 250-VRFY
	S: 250-EXPN
	S: 250-HELP
	S: 250-ENHANCEDSTATUSCODES
	S: 250-8BITMIME
	S: 250-BINARYMIME
	S: 250-DSN
	S: 250-SMTPUTF8
	S: 250 CHUNKING
`

// demoStore is a fresh copy of the demo accounts with a pinned clock.
func demoStore(t testing.TB) *mailstore.Store {
	t.Helper()
	st, err := demo.Store()
	if err != nil {
		t.Fatal(err)
	}
	st.SetClock(func() time.Time { return july1995 })
	return st
}

func inbox(t testing.TB, st *mailstore.Store, user string) *mailstore.Mailbox {
	t.Helper()
	u, ok := st.User(user)
	if !ok {
		t.Fatalf("no user %s", user)
	}
	mb, err := u.Mailbox(mailstore.Inbox)
	if err != nil {
		t.Fatal(err)
	}
	return mb
}

// newest is the raw text of the last message in user's INBOX.
func newest(t testing.TB, st *mailstore.Store, user string) string {
	t.Helper()
	msgs := inbox(t, st, user).Messages()
	if len(msgs) == 0 {
		t.Fatalf("%s's INBOX is empty", user)
	}
	return string(msgs[len(msgs)-1].Raw())
}

// parseTranscript splits a transcript into what the client sends and the
// lines the server must answer. "C:" alone sends an empty line; a line
// starting with "#" is a comment, and "   # " starts one at the end of a
// line.
func parseTranscript(text string) (input []byte, want []string) {
	var in bytes.Buffer
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if i := strings.Index(l, "   # "); i >= 0 {
			l = strings.TrimSpace(l[:i])
		}
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
		case l == "C:":
			in.WriteString("\r\n")
		case strings.HasPrefix(l, "C: "):
			in.WriteString(strings.TrimPrefix(l, "C: ") + "\r\n")
		case strings.HasPrefix(l, "S: "):
			want = append(want, strings.TrimPrefix(l, "S: "))
		default:
			panic("transcript line without C: or S: " + l)
		}
	}
	return in.Bytes(), want
}

// wireLines splits what the server sent into its lines.
func wireLines(wire []byte) []string {
	s := strings.TrimSuffix(string(wire), "\r\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\r\n")
}

// matchLine compares one server line with the transcript's: exactly, or
// by its start when the transcript's ends in "...".
func matchLine(want, got string) bool {
	if p, ok := strings.CutSuffix(want, "..."); ok {
		return strings.HasPrefix(got, p)
	}
	return want == got
}

func compareLines(t testing.TB, got, want []string) {
	t.Helper()
	n := max(len(got), len(want))
	for i := range n {
		switch {
		case i >= len(got):
			t.Fatalf("server line %d: want %q, the server sent no more (sent %q)", i+1, want[i], got)
		case i >= len(want):
			t.Fatalf("server line %d: %q, which the transcript does not have", i+1, got[i])
		case !matchLine(want[i], got[i]):
			t.Fatalf("server line %d: got %q, want %q", i+1, got[i], want[i])
		}
	}
}

// replay runs a transcript through the registered protocol name (smtp or
// lmtp) on cfg, every client line sent at once as a pipelining client
// would, and checks each server line and the events. It returns the
// events.
func replay(t testing.TB, name string, cfg proto.Config, transcript string) []event.Event {
	t.Helper()
	input, want := parseTranscript(transcript)
	wire, events, err := prototest.Run(name, cfg, input)
	if err != nil {
		t.Fatalf("Serve: %v", err)
	}
	compareLines(t, wireLines(wire), want)
	checkEvents(t, name, wire, events)
	return events
}

// pipeConn is an in-memory connection: it plays its input, then reports
// the end of input, and keeps what the server wrote.
type pipeConn struct {
	in  io.Reader
	out bytes.Buffer
}

func (c *pipeConn) Read(p []byte) (int, error)  { return c.in.Read(p) }
func (c *pipeConn) Write(p []byte) (int, error) { return c.out.Write(p) }

// serve is prototest.Run for what the registry does not pass on (a
// Config with small limits): a session with o on input.
func serve(o Options, input io.Reader) (wire []byte, events []event.Event, err error) {
	var rec event.Recorder
	o.Events, o.Explain = rec.Sink(), true
	c := &pipeConn{in: input}
	err = NewSession(o).Serve(c)
	return c.out.Bytes(), rec.Events, err
}

// replayOptions is replay for a session with o.
func replayOptions(t testing.TB, o Options, transcript string) []event.Event {
	t.Helper()
	input, want := parseTranscript(transcript)
	wire, events, err := serve(o, bytes.NewReader(input))
	if err != nil {
		t.Fatalf("Serve: %v", err)
	}
	compareLines(t, wireLines(wire), want)
	name := "smtp"
	if o.LMTP {
		name = "lmtp"
	}
	checkEvents(t, name, wire, events)
	return events
}

// broken finds what a text rendered without its arguments or its
// catalogue entry looks like.
var broken = regexp.MustCompile(`%!|\[smtp:|BADINDEX|MISSING`)

// checkEvents checks what every session's events must keep: the
// harness's rules (the events are the wire's lines, the transitions are
// declared, open and close once), and the explain pane's: every reply is
// followed by its one Explain event, and no explanation shows a text that
// failed to render.
func checkEvents(t testing.TB, name string, wire []byte, events []event.Event) {
	t.Helper()
	if err := prototest.Check(name, wire, events); err != nil {
		t.Fatalf("prototest.Check: %v", err)
	}
	for i, e := range events {
		if e.Kind == event.Explain && broken.MatchString(e.Text) {
			t.Errorf("explanation of %s does not render: %q", e.Command, e.Text)
		}
		if e.Kind != event.Server || e.Status == "" {
			continue
		}
		// The reply's last line: its explanation follows, after the
		// transition it caused, if any.
		j := i + 1
		for j < len(events) && events[j].Kind == event.Transition {
			j++
		}
		if j == len(events) || events[j].Kind != event.Explain {
			t.Errorf("reply %q (event %d) is not explained", e.Line, i)
		}
	}
	var replies, explains int
	for _, e := range events {
		switch {
		case e.Kind == event.Server && e.Status != "":
			replies++
		case e.Kind == event.Explain:
			explains++
		}
	}
	if replies != explains {
		t.Errorf("%d replies, %d explanations", replies, explains)
	}
}

// explanation is the text of the Explain event that follows the server
// line matching want.
func explanation(t testing.TB, events []event.Event, want string) string {
	t.Helper()
	for i, e := range events {
		if e.Kind != event.Server || !matchLine(want, e.Line) {
			continue
		}
		for _, f := range events[i+1:] {
			if f.Kind == event.Explain {
				return f.Text
			}
		}
	}
	t.Fatalf("no reply %q", want)
	return ""
}

// answerTo is the text of the explanation of the reply to the client
// line given (the first one sent that way).
func answerTo(t testing.TB, events []event.Event, clientLine string) string {
	t.Helper()
	for i, e := range events {
		if e.Kind != event.Client || e.Line != clientLine {
			continue
		}
		for _, f := range events[i+1:] {
			if f.Kind == event.Explain {
				return f.Text
			}
		}
	}
	t.Fatalf("no client line %q", clientLine)
	return ""
}

// transitions lists the session's moves as "id:trigger".
func transitions(events []event.Event) []string {
	var out []string
	for _, e := range events {
		if e.Kind == event.Transition {
			out = append(out, e.Transition+":"+e.Trigger)
		}
	}
	return out
}

func closeTrigger(events []event.Event) string {
	if len(events) == 0 || events[len(events)-1].Kind != event.Close {
		return ""
	}
	return events[len(events)-1].Trigger
}

// client is the client end of a session over net.Pipe, for exchanges
// where the client must read an answer before it can go on. Everything
// the server sends is kept, to check the events against at the end.
type client struct {
	t    testing.TB
	c    net.Conn
	r    *bufio.Reader
	wire bytes.Buffer
	rec  event.Recorder
	name string
	done chan error
	sess *Session
}

// dialSession starts a session with o over net.Pipe.
func dialSession(t testing.TB, o Options) *client {
	t.Helper()
	cl, srv := net.Pipe()
	k := &client{t: t, c: cl, name: "smtp", done: make(chan error, 1)}
	if o.LMTP {
		k.name = "lmtp"
	}
	k.r = bufio.NewReader(io.TeeReader(cl, &k.wire))
	o.Events, o.Explain = k.rec.Sink(), true
	k.sess = NewSession(o)
	go func() {
		err := k.sess.Serve(srv)
		srv.Close()
		k.done <- err
	}()
	t.Cleanup(func() { cl.Close() })
	return k
}

func (k *client) send(line string) {
	k.t.Helper()
	k.sendRaw(line + "\r\n")
}

func (k *client) sendRaw(s string) {
	k.t.Helper()
	k.c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(k.c, s); err != nil {
		k.t.Fatalf("C: %q: %v", s, err)
	}
}

func (k *client) line() string {
	k.t.Helper()
	k.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	l, err := k.r.ReadString('\n')
	if err != nil {
		k.t.Fatalf("reading a reply line: %v (got %q)", err, l)
	}
	if !strings.HasSuffix(l, "\r\n") {
		k.t.Fatalf("reply line %q does not end in CRLF", l)
	}
	return strings.TrimSuffix(l, "\r\n")
}

// run plays a transcript line by line: each "C:" line is sent when the
// server's lines before it have come.
func (k *client) run(transcript string) {
	k.t.Helper()
	for _, l := range strings.Split(transcript, "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "":
		case l == "C:":
			k.send("")
		case strings.HasPrefix(l, "C: "):
			k.send(strings.TrimPrefix(l, "C: "))
		case strings.HasPrefix(l, "S: "):
			want := strings.TrimPrefix(l, "S: ")
			if got := k.line(); !matchLine(want, got) {
				k.t.Fatalf("S: got %q, want %q", got, want)
			}
		default:
			k.t.Fatalf("transcript line %q", l)
		}
	}
}

// end waits for the session to end, reads what the server sent last and
// checks the events; it returns them.
func (k *client) end() []event.Event {
	k.t.Helper()
	select {
	case err := <-k.done:
		if err != nil {
			k.t.Errorf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		k.t.Fatal("the session did not end")
	}
	k.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	io.Copy(io.Discard, k.r)
	checkEvents(k.t, k.name, k.wire.Bytes(), k.rec.Events)
	return k.rec.Events
}

// The rules of RFC 5321 section 4.1.4 on command order: MAIL before
// HELO, RCPT before MAIL, DATA before RCPT are answered 503 saying what
// must come first; DATA after refused recipients only is 554; each
// mistake is answered and the session goes on to deliver.
func TestSessionCommandOrder(t *testing.T) {
	st := demoStore(t)
	before := inbox(t, st, "alex").Count()
	events := replay(t, "smtp", proto.Config{Store: st, Now: func() time.Time { return july1995 }}, `
		S: 220 localhost ESMTP
		C: MAIL FROM:<melanie@example.org>
		S: 503 5.5.1 Error: send HELO/EHLO first
		C: RCPT TO:<alex@example.org>
		S: 503 5.5.1 Error: send HELO/EHLO first
		C: DATA
		S: 503 5.5.1 Error: send HELO/EHLO first
		C: EHLO client.example.org
		`+mtaEHLO+`
		C: RCPT TO:<alex@example.org>
		S: 503 5.5.1 Error: need MAIL command
		C: DATA
		S: 503 5.5.1 Error: need MAIL command
		C: MAIL FROM:<melanie@example.org>
		S: 250 2.1.0 Ok
		C: DATA
		S: 503 5.5.1 Error: need RCPT command
		C: MAIL FROM:<melanie@example.org>
		S: 503 5.5.1 Error: nested MAIL command
		C: RCPT TO:<nobody@example.org>
		S: 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in local recipient table
		C: RCPT TO:<somebody@elsewhere.example>
		S: 554 5.7.1 <somebody@elsewhere.example>: Relay access denied
		C: DATA
		S: 554 5.5.1 Error: no valid recipients
		C: RCPT TO:<alex@example.org>
		S: 250 2.1.5 Ok
		C: DATA
		S: 354 End data with <CR><LF>.<CR><LF>
		C: Subject: order
		C:
		C: It got through.
		C: .
		S: 250 2.0.0 Ok: queued as ...
		C: QUIT
		S: 221 2.0.0 Bye
	`)
	if got := inbox(t, st, "alex").Count(); got != before+1 {
		t.Errorf("alex has %d messages, want %d", got, before+1)
	}
	if x := explanation(t, events, "503 5.5.1 Error: need RCPT command"); !strings.Contains(x, "RCPT") {
		t.Errorf("503 for DATA explained as %q", x)
	}
	if x := explanation(t, events, "554 5.5.1 Error: no valid recipients"); !strings.Contains(x, "no recipient was accepted") {
		t.Errorf("554 explained as %q", x)
	}
	want := []string{"1:connect", "3:EHLO", "4:MAIL", "5:RCPT", "6:DATA", "7:.", "12:QUIT"}
	if got := transitions(events); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("transitions %v, want %v", got, want)
	}
	if closeTrigger(events) != "quit" {
		t.Errorf("closed with %q", closeTrigger(events))
	}
}

// RSET in every state a command can be read in: it ends any transaction
// and keeps the greeting (RFC 5321 section 4.1.1.5); before HELO it is
// allowed too (section 4.1.4) and changes nothing.
func TestSessionRsetEverywhere(t *testing.T) {
	events := replay(t, "smtp", proto.Config{Store: demoStore(t)}, `
		S: 220 localhost ESMTP
		C: RSET
		S: 250 2.0.0 Ok   # CONNECTED: no enhanced codes before EHLO
		C: EHLO client.example.org
		`+mtaEHLO+`
		C: RSET
		S: 250 2.0.0 Ok
		C: MAIL FROM:<>
		S: 250 2.1.0 Ok
		C: RSET
		S: 250 2.0.0 Ok
		C: RCPT TO:<melanie@example.org>
		S: 503 5.5.1 Error: need MAIL command
		C: MAIL FROM:<>
		S: 250 2.1.0 Ok
		C: RCPT TO:<melanie@example.org>
		S: 250 2.1.5 Ok
		C: RSET
		S: 250 2.0.0 Ok
		C: DATA
		S: 503 5.5.1 Error: need MAIL command
		C: MAIL FROM:<>
		S: 250 2.1.0 Ok
		C: RCPT TO:<melanie@example.org>
		S: 250 2.1.5 Ok
		C: BDAT 5
		C: abc
		S: 250 2.0.0 Ok: 5 bytes
		C: RSET
		S: 250 2.0.0 Ok
		C: BDAT 5 LAST
		C: abc
		S: 503 5.5.1 Error: need MAIL command
		C: RSET extra
		S: 501 5.5.4 Syntax: RSET
		C: QUIT
		S: 221 2.0.0 Bye
	`)
	want := []string{"1:connect", "3:EHLO", "4:MAIL", "10:RSET", "4:MAIL", "5:RCPT", "10:RSET", "4:MAIL", "5:RCPT", "8:BDAT", "10:RSET", "12:QUIT"}
	if got := transitions(events); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("transitions %v, want %v", got, want)
	}
}

// HELO or EHLO again in the middle of a transaction ends it, as RSET
// does (RFC 5321 section 4.1.4), and greets again: after HELO the
// enhanced codes are off.
func TestSessionHelloAgain(t *testing.T) {
	st := demoStore(t)
	before := inbox(t, st, "melanie").Count()
	events := replay(t, "smtp", proto.Config{Store: st}, `
		S: 220 localhost ESMTP
		C: EHLO one.example
		`+mtaEHLO+`
		C: MAIL FROM:<alex@example.org>
		S: 250 2.1.0 Ok
		C: RCPT TO:<melanie@example.org>
		S: 250 2.1.5 Ok
		C: HELO two.example
		S: 250 localhost
		C: DATA
		S: 503 5.5.1 Error: need MAIL command
		C: MAIL FROM:<alex@example.org>
		S: 250 2.1.0 Ok
		C: EHLO three.example
		`+mtaEHLO+`
		C: RCPT TO:<melanie@example.org>
		S: 503 5.5.1 Error: need MAIL command
		C: QUIT
		S: 221 2.0.0 Bye
	`)
	if got := inbox(t, st, "melanie").Count(); got != before {
		t.Errorf("an abandoned transaction delivered: %d messages, had %d", got, before)
	}
	want := []string{"1:connect", "3:EHLO", "4:MAIL", "5:RCPT", "10:HELO", "4:MAIL", "10:EHLO", "12:QUIT"}
	if got := transitions(events); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("transitions %v, want %v", got, want)
	}
}

// Verbs in any case (RFC 5321 section 2.4), NOOP with its ignored string
// (section 4.1.1.9), HELP, and mistakes a person at a telnet prompt
// makes: each is answered and the session goes on.
func TestSessionMistakesAndCase(t *testing.T) {
	st := demoStore(t)
	before := inbox(t, st, "mrose").Count()
	events := replay(t, "smtp", proto.Config{Store: st}, `
		S: 220 localhost ESMTP
		C: noop
		S: 250 2.0.0 Ok
		C: ehlo client.example.org
		`+mtaEHLO+`
		C: NOOP are you there?
		S: 250 2.0.0 Ok
		C: NoOp
		S: 250 2.0.0 Ok
		C: HELLO client.example.org
		S: 500 5.5.2 Error: command not recognized
		C:
		S: 500 5.5.2 Error: bad syntax
		C: MAIL FROM:<alex@example.org
		S: 501 5.1.7 Bad sender address syntax
		C: MAIL TO:<alex@example.org>
		S: 501 5.5.4 Syntax: MAIL FROM:<address>
		C: MAIL FROM:<alex@example.org> FOO=BAR
		S: 555 5.5.4 Unsupported option: FOO=BAR
		C: mail from:<alex@example.org>
		S: 250 2.1.0 Ok
		C: rcpt to:<MRose@Example.ORG>
		S: 250 2.1.5 Ok
		C: Data
		S: 354 End data with <CR><LF>.<CR><LF>
		C: Subject: in lower case
		C:
		C: .
		S: 250 2.0.0 Ok: queued as ...
		C: HELP
		S: 214 2.0.0 Commands: AUTH BDAT DATA EHLO EXPN HELO HELP MAIL NOOP QUIT RCPT RSET STARTTLS VRFY
		C: HELP RCPT
		S: 214 2.0.0 RCPT TO:<forward-path> [<SP> <rcpt-parameters>]
		C: quit
		S: 221 2.0.0 Bye
	`)
	if got := inbox(t, st, "mrose").Count(); got != before+1 {
		t.Errorf("mrose has %d messages, want %d", got, before+1)
	}
	if x := explanation(t, events, "500 5.5.2 Error: command not recognized"); !strings.Contains(x, "HELO") {
		t.Errorf("HELLO is not explained with HELO: %q", x)
	}
}

// A client that keeps sending refused commands is cut off with 421 after
// the hundredth (RFC 5321 section 4.2.2; Postfix's hard error limit),
// and not before.
func TestSessionTooManyErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("S: 220 localhost ESMTP\n")
	for range 99 {
		b.WriteString("C: XYZZY\nS: 500 5.5.2 Error: command not recognized\n")
	}
	b.WriteString("C: NOOP\nS: 250 2.0.0 Ok\n")
	b.WriteString("C: XYZZY\nS: 500 5.5.2 Error: command not recognized\nS: 421 4.7.0 localhost Error: too many errors\n")
	b.WriteString("C: NOOP\n") // never read
	events := replay(t, "smtp", proto.Config{Store: demoStore(t)}, b.String())
	if got := transitions(events); strings.Join(got, " ") != "1:connect 12:421" {
		t.Errorf("transitions %v", got)
	}
	if closeTrigger(events) != "drop" {
		t.Errorf("closed with %q, want drop", closeTrigger(events))
	}
}

// A parameter given twice with the same value is taken once: Python's
// smtplib sends "SMTPUTF8 SMTPUTF8" when asked for SMTPUTF8 on a message
// it marks SMTPUTF8 itself. Two different values are refused.
func TestSessionRepeatedParameter(t *testing.T) {
	st := demoStore(t)
	replay(t, "smtp", proto.Config{Store: st}, `
		S: 220 localhost ESMTP
		C: EHLO python.example
		`+mtaEHLO+`
		C: mail FROM:<алекс@example.org> size=100 SMTPUTF8 SMTPUTF8 BODY=8BITMIME
		S: 250 2.1.0 Ok
		C: RSET
		S: 250 2.0.0 Ok
		C: MAIL FROM:<alex@example.org> BODY=8BITMIME BODY=7BIT
		S: 501 5.5.4 Error: multiple BODY parameters
		C: MAIL FROM:<alex@example.org> SIZE=10 SIZE=10
		S: 250 2.1.0 Ok
		C: RCPT TO:<melanie@example.org> NOTIFY=NEVER NOTIFY=never
		S: 250 2.1.5 Ok
		C: QUIT
		S: 221 2.0.0 Bye
	`)
}
