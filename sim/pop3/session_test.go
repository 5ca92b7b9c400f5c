package pop3

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"maillab/sim/event"
	"maillab/sim/fsm"
	"maillab/sim/mailstore"
)

func inboxUIDs(t *testing.T, st *mailstore.Store, user string) []uint32 {
	t.Helper()
	u, ok := st.User(user)
	if !ok {
		t.Fatalf("no user %s", user)
	}
	mb, err := u.Mailbox(mailstore.Inbox)
	if err != nil {
		t.Fatal(err)
	}
	return mb.UIDs()
}

// loggedIn dials and logs in as melanie.
func loggedIn(t *testing.T, o Options) *conn {
	t.Helper()
	k := dial(t, o)
	k.line()
	k.cmd("USER melanie")
	if got := k.cmd("PASS toybox"); !strings.HasPrefix(got, "+OK") {
		t.Fatalf("login: %q", got)
	}
	return k
}

func TestInUse(t *testing.T) {
	st := newStore(t, melanie(100, 200))
	first := loggedIn(t, Options{Store: st})
	second := dial(t, Options{Store: st})
	second.line()
	second.cmd("USER melanie")
	if got := second.cmd("PASS toybox"); got != "-ERR [IN-USE] maildrop already locked" {
		t.Fatalf("second login: %q", got)
	}
	if got := second.cmd("STAT"); !strings.HasPrefix(got, "-ERR STAT is not allowed in the AUTHORIZATION state") {
		t.Errorf("second session left AUTHORIZATION: %q", got)
	}
	first.cmd("QUIT")
	first.wait()
	second.cmd("USER melanie")
	if got := second.cmd("PASS toybox"); !strings.HasPrefix(got, "+OK") {
		t.Errorf("login after the lock was released: %q", got)
	}
	second.cmd("QUIT")
	second.wait()
	var codes []string
	for _, e := range kinds(second.rec, event.Server) {
		if e.Code != "" {
			codes = append(codes, e.Code)
		}
	}
	if !slices.Equal(codes, []string{"IN-USE"}) {
		t.Errorf("server codes %v, want [IN-USE]", codes)
	}
}

// A client that logs in again as soon as it has read QUIT's +OK, before
// the first connection is closed, gets the maildrop: the lock goes before
// the answer.
func TestTheLockIsReleasedBeforeQuitsAnswer(t *testing.T) {
	st := newStore(t, melanie(100, 200))
	for range 50 {
		first := loggedIn(t, Options{Store: st})
		if got := first.cmd("QUIT"); !strings.HasPrefix(got, "+OK") {
			t.Fatalf("QUIT: %q", got)
		}
		second := loggedIn(t, Options{Store: st}) // fails on [IN-USE]
		second.cmd("QUIT")
		first.wait()
		second.wait()
	}
}

func TestDeletionsOnlyOnQuit(t *testing.T) {
	st := newStore(t, melanie(100, 200, 300))
	k := loggedIn(t, Options{Store: st})
	k.cmd("DELE 1")
	k.cmd("DELE 3")
	if n := len(inboxUIDs(t, st, "melanie")); n != 3 {
		t.Fatalf("DELE removed mail before QUIT: %d left", n)
	}
	if got := k.cmd("STAT"); got != "+OK 1 200" {
		t.Errorf("STAT after DELE: %q", got)
	}
	if got := k.cmd("QUIT"); got != "+OK localhost POP3 server signing off (1 message left)" {
		t.Errorf("QUIT: %q", got)
	}
	k.wait()
	if uids := inboxUIDs(t, st, "melanie"); !slices.Equal(uids, []uint32{2}) {
		t.Errorf("after QUIT the INBOX holds %v, want [2]", uids)
	}
}

func TestDropDeletesNothing(t *testing.T) {
	st := newStore(t, melanie(100, 200))
	k := loggedIn(t, Options{Store: st})
	k.cmd("DELE 1")
	k.c.Close()
	if err := k.wait(); err != nil {
		t.Errorf("Serve after a drop: %v", err)
	}
	if n := len(inboxUIDs(t, st, "melanie")); n != 2 {
		t.Errorf("a dropped connection deleted mail: %d left", n)
	}
	ev := k.rec.Events[len(k.rec.Events)-1]
	if ev.Kind != event.Close || ev.Trigger != "drop" || ev.State != string(Transaction) {
		t.Errorf("last event %+v, want Close by drop in the transaction state", ev)
	}
	for _, e := range kinds(k.rec, event.Transition) {
		if e.To == string(Update) {
			t.Error("a dropped connection entered UPDATE")
		}
	}
	again := loggedIn(t, Options{Store: st}) // the lock is free
	again.cmd("QUIT")
}

// scripted is a connection that plays its input and then times out, the
// way a net.Conn does when its read deadline passes.
type scripted struct {
	in       *strings.Reader
	out      bytes.Buffer
	deadline time.Time
}

type timeoutError struct{}

func (timeoutError) Error() string { return "i/o timeout" }
func (timeoutError) Timeout() bool { return true }

func (c *scripted) Read(p []byte) (int, error) {
	if c.in.Len() == 0 {
		return 0, timeoutError{}
	}
	return c.in.Read(p)
}
func (c *scripted) Write(p []byte) (int, error)       { return c.out.Write(p) }
func (c *scripted) SetReadDeadline(t time.Time) error { c.deadline = t; return nil }

func TestAutologoutDeletesNothing(t *testing.T) {
	st := newStore(t, melanie(100, 200))
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	c := &scripted{in: strings.NewReader("USER melanie\r\nPASS toybox\r\nDELE 1\r\n")}
	rec := &event.Recorder{}
	if err := NewSession(Options{Store: st, Events: rec.Sink(), Explain: true, Now: func() time.Time { return now }}).Serve(c); err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if want := now.Add(10 * time.Minute); !c.deadline.Equal(want) {
		t.Errorf("read deadline %v, want %v (RFC 1939's 10 minutes)", c.deadline, want)
	}
	// RFC 1939 section 3: no response is sent on autologout.
	if lines := strings.Split(strings.TrimSuffix(c.out.String(), "\r\n"), "\r\n"); lines[len(lines)-1] != "+OK message 1 deleted" {
		t.Errorf("the server wrote after the timeout: %q", lines)
	}
	if n := len(inboxUIDs(t, st, "melanie")); n != 2 {
		t.Errorf("autologout deleted mail: %d left", n)
	}
	if ev := rec.Events[len(rec.Events)-1]; ev.Kind != event.Close || ev.Trigger != "timeout" {
		t.Errorf("last event %+v, want Close by timeout", ev)
	}
	u, _ := st.User("melanie")
	release, err := u.LockMaildrop()
	if err != nil {
		t.Fatalf("the lock is still held after autologout: %v", err)
	}
	release()
}

func TestDotStuffing(t *testing.T) {
	body := "first\r\n.hidden\r\n.\r\n..\r\nlast"
	st := newStore(t, account{name: "melanie", password: "toybox", msgs: [][]byte{[]byte("Subject: dots\r\n\r\n" + body)}})
	k := loggedIn(t, Options{Store: st})
	// 44 octets stored; the last line gets its CRLF on the wire.
	if got := k.cmd("RETR 1"); got != "+OK 46 octets" {
		t.Errorf("RETR: %q", got)
	}
	want := []string{"Subject: dots", "", "first", "..hidden", "..", "...", "last"}
	if got := k.multi(); !slices.Equal(got, want) {
		t.Errorf("RETR lines %q, want %q", got, want)
	}
	k.cmd("TOP 1 2")
	if got := k.multi(); !slices.Equal(got, want[:4]) {
		t.Errorf("TOP 1 2 lines %q, want %q", got, want[:4])
	}
	k.cmd("TOP 1 0")
	if got := k.multi(); !slices.Equal(got, want[:2]) {
		t.Errorf("TOP 1 0 lines %q", got)
	}
	k.cmd("TOP 1 99")
	if got := k.multi(); !slices.Equal(got, want) {
		t.Errorf("TOP 1 99 lines %q", got)
	}
}

func TestBadInput(t *testing.T) {
	cases := []struct{ line, want string }{
		{"LIST 0", "-ERR no such message: messages are numbered from 1"},
		{"RETR 99", "-ERR no such message, only 2 messages in maildrop"},
		{"RETR 99999999999999999999", "-ERR no such message, only 2 messages in maildrop"},
		{"RETR abc", `-ERR "abc" is not a message number; usage: RETR msg`},
		{"RETR -1", `-ERR "-1" is not a message number; usage: RETR msg`},
		{"TOP 1", "-ERR missing argument; usage: TOP msg n"},
		{"TOP 1 -1", `-ERR the number of lines must be a non-negative number, not "-1"; usage: TOP msg n`},
		{"RETR", "-ERR missing argument; usage: RETR msg"},
		{"RETR 1 2", "-ERR too many arguments; usage: RETR msg"},
		{"STAT now", "-ERR too many arguments; usage: STAT"},
		{"DELE 3", "-ERR no such message, only 2 messages in maildrop"},
		{"FOO", "-ERR unknown command FOO; in the TRANSACTION state you can use STAT LIST RETR DELE NOOP RSET TOP UIDL CAPA QUIT"},
		{"USER alex", "-ERR USER is not allowed in the TRANSACTION state; it is allowed in the AUTHORIZATION state: you are already logged in"},
		{"STLS", "-ERR STLS is not allowed in the TRANSACTION state; it is allowed in the AUTHORIZATION state: you are already logged in"},
		{"", "-ERR empty command line; type a command such as CAPA"},
		{"   ", "-ERR empty command line; type a command such as CAPA"},
		{" STAT", "-ERR a command line must start with the command, not with a space"},
		{"RETR \x001", "-ERR the line contains the control character ^@; commands are printable ASCII"},
		{"NOOP\x1b[A", "-ERR the line contains the control character ^[; commands are printable ASCII"},
		{"LIST\t1", "-ERR the line contains the control character ^I; commands are printable ASCII"},
		{"LIST ъ", "-ERR the line contains non-ASCII bytes; POP3 commands and arguments are ASCII"},
		{"LIST " + strings.Repeat("1", 41), "-ERR argument too long: at most 40 characters (RFC 1939)"},
		{"NOOP " + strings.Repeat("x", 248), "-ERR too many arguments; usage: NOOP"}, // 253 octets + CRLF: the limit
		{"NOOP " + strings.Repeat("x", 249), "-ERR line too long: a command line is at most 255 octets with its CRLF (RFC 2449)"},
		{"NOOP " + strings.Repeat("x", 250), "-ERR line too long: a command line is at most 255 octets with its CRLF (RFC 2449)"},
		{"NOOP " + strings.Repeat("x", 10000), "-ERR line too long: a command line is at most 255 octets with its CRLF (RFC 2449)"},
	}
	k := loggedIn(t, Options{Store: newStore(t, melanie(100, 200))})
	k.cmd("DELE 2")
	if got := k.cmd("RETR 2"); got != "-ERR message 2 already deleted" {
		t.Errorf("RETR of a deleted message: %q", got)
	}
	for _, c := range []string{"TOP 2 1", "LIST 2", "UIDL 2", "DELE 2"} {
		if got := k.cmd(c); got != "-ERR message 2 already deleted" {
			t.Errorf("%s of a deleted message: %q", c, got)
		}
	}
	k.cmd("RSET")
	for _, c := range cases {
		if got := k.cmd(c.line); got != c.want {
			t.Errorf("%q: got %q, want %q", c.line, got, c.want)
		}
		if got := k.cmd("NOOP"); got != "+OK" {
			t.Fatalf("after %q the session is not usable: NOOP gave %q", c.line, got)
		}
	}
	// Keywords are case-insensitive; repeated spaces are forgiven.
	for _, c := range []string{"list  1", "Stat", "retr 1"} {
		if got := k.cmd(c); !strings.HasPrefix(got, "+OK") {
			t.Errorf("%q: %q", c, got)
		}
		if strings.HasPrefix(strings.ToUpper(c), "RETR") {
			k.multi()
		}
	}
	k.cmd("QUIT")
	k.wait()
	for _, e := range kinds(k.rec, event.Client) {
		if hasControl([]byte(e.Line)) {
			t.Errorf("a Client event carries raw control bytes: %q", e.Line)
		}
	}
}

func TestWrongStateAndAuthorizationErrors(t *testing.T) {
	k := dial(t, Options{Store: newStore(t, melanie(100))})
	k.line()
	for _, c := range []struct{ line, want string }{
		{"STAT", "-ERR STAT is not allowed in the AUTHORIZATION state; it is allowed in the TRANSACTION state: log in with USER and PASS first"},
		{"PASS toybox", "-ERR send USER first, then PASS"},
		{"USER", "-ERR missing argument; usage: USER name"},
		{"USER a b", "-ERR too many arguments; usage: USER name"},
		{"APOP melanie 1234", "-ERR the digest must be 32 hexadecimal digits: MD5 of the greeting's timestamp followed by the secret"},
		{"APOP melanie 0123456789abcdef0123456789abcdef", "-ERR [AUTH] permission denied"},
		{"STLS", "-ERR STLS is not offered: this server has no TLS configured"},
		// Not repeated: before login it may be a password.
		{"FOO bar", "-ERR unknown command; in the AUTHORIZATION state you can use USER PASS APOP AUTH CAPA STLS QUIT"},
		{" USER melanie", "-ERR a command line must start with the command, not with a space"},
	} {
		if got := k.cmd(c.line); got != c.want {
			t.Errorf("%q: got %q, want %q", c.line, got, c.want)
		}
	}
	k.cmd("USER melanie")
	if got := k.cmd("PASS wrong"); got != "-ERR [AUTH] invalid user name or password" {
		t.Errorf("wrong password: %q", got)
	}
	// The failed PASS consumed the USER; the password may hold spaces.
	if got := k.cmd("PASS toybox"); got != "-ERR send USER first, then PASS" {
		t.Errorf("PASS after a failure: %q", got)
	}
	k.cmd("QUIT")
	k.wait()
	var allowed [][]string
	for _, e := range kinds(k.rec, event.Explain) {
		if e.Allowed != nil {
			allowed = append(allowed, e.Allowed)
		}
	}
	if len(allowed) != 1 || !slices.Equal(allowed[0], []string{"transaction"}) {
		t.Errorf("Explain.Allowed %v, want [[transaction]]", allowed)
	}
}

func TestPasswordWithSpaces(t *testing.T) {
	st := newStore(t, account{name: "smith", password: "open sesame"})
	k := dial(t, Options{Store: st})
	k.line()
	k.cmd("USER smith")
	if got := k.cmd("PASS open sesame"); got != "+OK smith's maildrop has 0 messages (0 octets)" {
		t.Errorf("PASS with a space: %q", got)
	}
	k.cmd("QUIT")
	k.wait()
	// The argument is the rest of the line after one space (RFC 1939
	// section 3), kept exactly: a password may start or end with spaces.
	for _, pw := range []string{" lead", "trail ", "  "} {
		k := dial(t, Options{Store: newStore(t, account{name: "kim", password: pw})})
		k.line()
		k.cmd("USER kim")
		if got := k.cmd("PASS " + pw); !strings.HasPrefix(got, "+OK kim's maildrop") {
			t.Errorf("PASS %q: %q", pw, got)
		}
		k.cmd("QUIT")
		k.wait()
	}
	k = dial(t, Options{Store: newStore(t, account{name: "kim", password: "lead"})})
	k.line()
	k.cmd("USER kim")
	if got := k.cmd("PASS  lead"); got != "-ERR [AUTH] invalid user name or password" {
		t.Errorf("PASS with two spaces before the password: %q", got)
	}
}

func TestTooManyFailures(t *testing.T) {
	k := dial(t, Options{Store: newStore(t, melanie())})
	k.line()
	for i := 1; i < maxFailures; i++ {
		k.cmd("USER melanie")
		if got := k.cmd("PASS nope"); got != "-ERR [AUTH] invalid user name or password" {
			t.Fatalf("failure %d: %q", i, got)
		}
	}
	k.cmd("USER melanie")
	if got := k.cmd("PASS nope"); got != "-ERR [AUTH] too many failed logins; closing the connection" {
		t.Errorf("failure %d: %q", maxFailures, got)
	}
	k.wait()
	if ev := k.rec.Events[len(k.rec.Events)-1]; ev.Kind != event.Close || ev.Trigger != "drop" {
		t.Errorf("last event %+v", ev)
	}
}

func TestSnapshotAtLogin(t *testing.T) {
	st := newStore(t, melanie(100))
	k := loggedIn(t, Options{Store: st})
	if _, err := st.Deliver("melanie", sized(500, "Subject: late")); err != nil {
		t.Fatal(err)
	}
	if got := k.cmd("STAT"); got != "+OK 1 100" {
		t.Errorf("STAT after new mail: %q (numbering is fixed at login)", got)
	}
	if got := k.cmd("QUIT"); got != "+OK localhost POP3 server signing off (2 messages left)" {
		t.Errorf("QUIT: %q", got)
	}
}

func TestAuthPlain(t *testing.T) {
	plain := func(user, pass string) string {
		return base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + pass))
	}
	st := newStore(t, melanie(100))
	k := dial(t, Options{Store: st})
	k.line()
	if got := k.cmd("AUTH"); got != "+OK SASL mechanisms follow" {
		t.Errorf("AUTH: %q", got)
	}
	if got := k.multi(); !slices.Equal(got, []string{"PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256"}) {
		t.Errorf("AUTH list %q", got)
	}
	for _, c := range []struct{ line, want string }{
		{"AUTH DIGEST-MD5", "-ERR unsupported SASL mechanism DIGEST-MD5; this server offers PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256"},
		{"AUTH PLAIN !!!", "-ERR the SASL response is not valid base64; authentication cancelled"},
		{"AUTH PLAIN " + plain("melanie", "wrong"), "-ERR [AUTH] authentication failed"},
		{"AUTH PLAIN =", "-ERR [AUTH] authentication failed"},
	} {
		if got := k.cmd(c.line); got != c.want {
			t.Errorf("%q: got %q, want %q", c.line, got, c.want)
		}
	}
	if got := k.cmd("AUTH PLAIN"); got != "+ " {
		t.Fatalf("continuation %q, want %q", got, "+ ")
	}
	if got := k.cmd("*"); got != "-ERR authentication cancelled" {
		t.Errorf("cancel: %q", got)
	}
	k.cmd("AUTH PLAIN")
	if got := k.cmd("not base64!"); got != "-ERR the SASL response is not valid base64; authentication cancelled" {
		t.Errorf("bad continuation: %q", got)
	}
	k.cmd("auth plain")
	if got := k.cmd(plain("melanie", "toybox")); got != "+OK melanie's maildrop has 1 message (100 octets)" {
		t.Fatalf("AUTH PLAIN with a continuation: %q", got)
	}
	k.cmd("QUIT")
	k.wait()

	k = dial(t, Options{Store: st})
	k.line()
	if got := k.cmd("AUTH PLAIN " + plain("melanie", "toybox")); got != "+OK melanie's maildrop has 1 message (100 octets)" {
		t.Errorf("AUTH PLAIN with an initial response: %q", got)
	}
	k.cmd("QUIT")
	k.wait()
	// authzid must be empty or the user itself
	k = dial(t, Options{Store: st})
	k.line()
	other := base64.StdEncoding.EncodeToString([]byte("mrose\x00melanie\x00toybox"))
	if got := k.cmd("AUTH PLAIN " + other); got != "-ERR [AUTH] authentication failed" {
		t.Errorf("AUTH PLAIN as another identity: %q", got)
	}
	k.cmd("QUIT")
	k.wait()
	for _, e := range kinds(k.rec, event.Client) {
		if e.Command == "AUTH" && !e.Secret {
			t.Errorf("AUTH line not marked secret: %+v", e)
		}
	}
}

func TestAuthContinuationEvents(t *testing.T) {
	k := dial(t, Options{Store: newStore(t, melanie())})
	k.line()
	k.cmd("AUTH PLAIN")
	k.cmd(base64.StdEncoding.EncodeToString([]byte("\x00melanie\x00toybox")))
	k.cmd("QUIT")
	k.wait()
	var got []string
	for _, e := range k.rec.Events {
		if e.Command == "AUTH" && (e.Kind == event.Client || e.Kind == event.Server) {
			got = append(got, string(e.Kind)+" "+e.Status+" "+strings.Fields(e.Line + " x")[0])
			// "AUTH PLAIN" names a mechanism only; the responses are credentials.
			if e.Kind == event.Client && e.Secret == (e.Line == "AUTH PLAIN") {
				t.Errorf("Secret %v for %+v", e.Secret, e)
			}
		}
	}
	want := []string{"client  AUTH", "server + +", "client  AG1lbGFuaWUAdG95Ym94", "server +OK +OK"}
	if !slices.Equal(got, want) {
		t.Errorf("AUTH events %q, want %q", got, want)
	}
}

func TestCapa(t *testing.T) {
	k := dial(t, Options{Store: newStore(t, melanie()), Disabled: []string{"top", "APOP"}})
	if got := k.line(); got != "+OK POP3 server ready" {
		t.Errorf("greeting with APOP hidden: %q", got)
	}
	k.cmd("CAPA")
	want := []string{"USER", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "EXPIRE NEVER", "SASL PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256"}
	if got := k.multi(); !slices.Equal(got, want) {
		t.Errorf("CAPA %q, want %q", got, want)
	}
	if got := k.cmd("APOP melanie 0123456789abcdef0123456789abcdef"); got != "-ERR APOP is not available in this lesson" {
		t.Errorf("hidden APOP: %q", got)
	}
	k.cmd("USER melanie")
	k.cmd("PASS toybox")
	if got := k.cmd("TOP 1 1"); got != "-ERR TOP is not available in this lesson" {
		t.Errorf("hidden TOP: %q", got)
	}
	if got := k.cmd("FOO"); got != "-ERR unknown command FOO; in the TRANSACTION state you can use STAT LIST RETR DELE NOOP RSET UIDL CAPA QUIT" {
		t.Errorf("unknown command with TOP hidden: %q", got)
	}
}

func TestSTLSCallback(t *testing.T) {
	calls := 0
	o := Options{Store: newStore(t, melanie()), StartTLS: func(rw io.ReadWriter) (io.ReadWriter, error) {
		calls++
		return rw, nil // the handshake itself is tested with crypto/tls in tls_test.go
	}}
	k := dial(t, o)
	k.line()
	k.cmd("CAPA")
	if got := k.multi(); !slices.Contains(got, "STLS") {
		t.Errorf("CAPA before STLS lacks STLS: %q", got)
	}
	k.cmd("USER melanie")
	// A command pipelined behind STLS in plain text must be discarded
	// (RFC 2595 section 3.1).
	k.c.Write([]byte("STLS\r\nPASS toybox\r\n"))
	if got := k.line(); got != "+OK Begin TLS negotiation" {
		t.Fatalf("STLS: %q", got)
	}
	k.cmd("CAPA")
	if got := k.multi(); slices.Contains(got, "STLS") {
		t.Errorf("CAPA after STLS still lists STLS: %q", got)
	}
	if calls != 1 {
		t.Fatalf("StartTLS called %d times", calls)
	}
	if got := k.cmd("STLS"); got != "-ERR the connection already uses TLS" {
		t.Errorf("second STLS: %q", got)
	}
	// USER given before STLS is forgotten.
	if got := k.cmd("PASS toybox"); got != "-ERR send USER first, then PASS" {
		t.Errorf("PASS after STLS: %q", got)
	}
	k.cmd("QUIT")
	k.wait()

	failing := Options{Store: newStore(t, melanie()), StartTLS: func(io.ReadWriter) (io.ReadWriter, error) {
		return nil, errors.New("handshake failure")
	}}
	k = dial(t, failing)
	k.line()
	k.cmd("STLS")
	if err := k.wait(); err == nil || err.Error() != "handshake failure" {
		t.Errorf("Serve after a failed handshake: %v", err)
	}
}

func TestStateFromAnotherGoroutine(t *testing.T) {
	k := dial(t, Options{Store: newStore(t, melanie())})
	k.line()
	if s := k.sess.State(); s != Authorization {
		t.Errorf("state %q", s)
	}
	k.cmd("USER melanie")
	k.cmd("PASS toybox")
	if s := k.sess.State(); s != Transaction {
		t.Errorf("state %q", s)
	}
	k.cmd("QUIT")
	k.wait()
	if s := k.sess.State(); s != Update {
		t.Errorf("state %q", s)
	}
}

func TestEventsOrder(t *testing.T) {
	k := loggedIn(t, Options{Store: newStore(t, melanie(100)), SessionID: "s1"})
	k.cmd("LIST")
	k.multi()
	k.cmd("QUIT")
	k.wait()
	var got []string
	for _, e := range k.rec.Events {
		if e.Session != "s1" || e.Proto != "pop3" {
			t.Errorf("event without session or proto: %+v", e)
		}
		s := string(e.Kind) + " " + e.State
		switch e.Kind {
		case event.Client:
			s += " " + e.Command
			if e.Secret {
				s += " secret"
			}
		case event.Server:
			s += " " + e.Command + " " + e.Status + "|" + e.Line
		case event.Transition:
			s += " " + e.Transition + " " + e.From + ">" + e.To + " " + e.Trigger
		case event.Explain:
			s += " " + e.Command
		case event.Close:
			s += " " + e.Trigger
		}
		got = append(got, s)
	}
	want := []string{
		"open ",
		"server   +OK|" + k.rec.Events[1].Line, // sent from Start, before the transition
		"transition authorization greeting >authorization connect",
		"explain authorization ",
		"client authorization USER",
		"server authorization USER +OK|+OK User name accepted, password please",
		"explain authorization USER",
		"client authorization PASS secret",
		"server authorization PASS +OK|+OK melanie's maildrop has 1 message (100 octets)",
		"transition transaction login authorization>transaction PASS",
		"explain transaction PASS",
		"client transaction LIST",
		"server transaction LIST +OK|+OK 1 message (100 octets)",
		"server transaction LIST |1 100",
		"server transaction LIST |.",
		"explain transaction LIST",
		"client transaction QUIT",
		"transition update quit transaction>update QUIT",
		"server update QUIT +OK|+OK localhost POP3 server signing off (1 message left)",
		"explain update QUIT",
		"close update quit",
	}
	if !slices.Equal(got, want) {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestMachine(t *testing.T) {
	if err := Machine.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := Machine.WhereText("RETR"); got != "the TRANSACTION state" {
		t.Errorf("WhereText(RETR) = %q", got)
	}
	for verb := range commands {
		if !Machine.Known(verb) {
			t.Errorf("%s has a handler but no state allows it", verb)
		}
	}
	for st, verbs := range Machine.Commands {
		for _, v := range verbs {
			if _, ok := commands[v]; !ok {
				t.Errorf("state %s allows %s, which has no handler", st, v)
			}
		}
	}
	if len(Machine.Commands[Update]) != 0 {
		t.Error("UPDATE allows commands")
	}
	if Machine.Transitions[0].From != fsm.Start {
		t.Error("the greeting does not leave Start")
	}
}

func TestTimestampUniquePerConnection(t *testing.T) {
	st := newStore(t)
	seen := map[string]bool{}
	for range 3 {
		k := dial(t, Options{Store: st})
		g := k.line()
		if !strings.HasPrefix(g, "+OK POP3 server ready <") || !strings.HasSuffix(g, "@localhost>") || seen[g] {
			t.Errorf("greeting %q (seen before: %v)", g, seen[g])
		}
		seen[g] = true
		k.cmd("QUIT")
		k.wait()
	}
}
