package smtp

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"maillab/sim/imap"
	"maillab/sim/mailstore"
	"maillab/sim/pop3"
	"maillab/sim/proto"
)

// Delivery as the readers of the store see it: the IMAP and POP3
// sessions of the same store, real ones, while SMTP delivers.

// reader is the client end of an IMAP or POP3 session over net.Pipe.
type reader struct {
	t *testing.T
	c net.Conn
	r *bufio.Reader
}

func readerOf(t *testing.T, s interface{ Serve(io.ReadWriter) error }) *reader {
	t.Helper()
	cl, srv := net.Pipe()
	go func() { s.Serve(srv); srv.Close() }()
	t.Cleanup(func() { cl.Close() })
	return &reader{t: t, c: cl, r: bufio.NewReader(cl)}
}

func (k *reader) line() string {
	k.t.Helper()
	k.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	l, err := k.r.ReadString('\n')
	if err != nil {
		k.t.Fatalf("reading: %v (got %q)", err, l)
	}
	return strings.TrimSuffix(l, "\r\n")
}

func (k *reader) send(line string) {
	k.t.Helper()
	k.c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(k.c, line+"\r\n"); err != nil {
		k.t.Fatalf("sending %q: %v", line, err)
	}
}

// until sends line (unless empty) and reads up to the line starting with
// end.
func (k *reader) until(line, end string) []string {
	k.t.Helper()
	if line != "" {
		k.send(line)
	}
	var out []string
	for {
		l := k.line()
		out = append(out, l)
		if strings.HasPrefix(l, end) {
			return out
		}
	}
}

// submit delivers one message to melanie over SMTP on st.
func submit(t *testing.T, st *mailstore.Store, subject string) {
	t.Helper()
	replay(t, "smtp", proto.Config{Store: st}, `
		S: 220 localhost ESMTP
		C: HELO client.example.org
		S: 250 localhost
		C: MAIL FROM:<alex@example.org>
		S: 250 2.1.0 Ok
		C: RCPT TO:<melanie@example.org>
		S: 250 2.1.5 Ok
		C: DATA
		S: 354 End data with <CR><LF>.<CR><LF>
		C: Subject: `+subject+`
		C:
		C: Hello.
		C: .
		S: 250 2.0.0 Ok: queued as ...
		C: QUIT
		S: 221 2.0.0 Bye
	`)
}

// An IMAP session with INBOX selected learns of an SMTP delivery at its
// next command, and at once while it IDLEs: "* N EXISTS", and the new
// message is \Recent in this session, the first to see it (RFC 3501
// sections 2.3.2 and 7.3.1).
func TestSessionDeliveryReachesIMAP(t *testing.T) {
	st := demoStore(t)
	n := inbox(t, st, "melanie").Count()
	k := readerOf(t, imap.NewSession(imap.Options{Store: st}))
	k.line() // the greeting
	k.until("a1 LOGIN melanie toybox", "a1 OK")
	sel := strings.Join(k.until("a2 SELECT INBOX", "a2 OK"), "\n")
	if !strings.Contains(sel, fmt.Sprintf("* %d EXISTS", n)) {
		t.Fatalf("SELECT:\n%s", sel)
	}
	submit(t, st, "while selected")
	got := k.until("a3 NOOP", "a3 OK")
	if !anyHas(got, fmt.Sprintf("* %d EXISTS", n+1)) {
		t.Errorf("NOOP after the delivery: %q, want * %d EXISTS", got, n+1)
	}
	got = k.until(fmt.Sprintf("a4 FETCH %d (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])", n+1), "a4 OK")
	if !strings.Contains(got[0], `\Recent`) || !anyHas(got, "Subject: while selected") {
		t.Errorf("FETCH of the new message: %q", got)
	}
	k.until("a5 IDLE", "+ ")
	submit(t, st, "while idle")
	if l := k.line(); l != fmt.Sprintf("* %d EXISTS", n+2) {
		t.Errorf("IDLE after a delivery: %q, want * %d EXISTS", l, n+2)
	}
	k.until("DONE", "a5 OK")
	k.until("a6 LOGOUT", "a6 OK")
}

func anyHas(lines []string, s string) bool {
	for _, l := range lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// A POP3 session holds the maildrop's lock from PASS to QUIT (RFC 1939
// section 4), and mail still arrives meanwhile: the session goes on with
// the maildrop as it was when it began, and the next session has the new
// message.
func TestSessionDeliveryWhilePOP3Locks(t *testing.T) {
	st := demoStore(t)
	n := inbox(t, st, "melanie").Count()
	k := readerOf(t, pop3.NewSession(pop3.Options{Store: st}))
	k.line()
	k.until("USER melanie", "+OK")
	if l := k.until("PASS toybox", "")[0]; !strings.HasPrefix(l, fmt.Sprintf("+OK melanie's maildrop has %d messages", n)) {
		t.Fatalf("PASS: %q", l)
	}
	if _, err := mustUser(t, st, "melanie").LockMaildrop(); err != mailstore.ErrInUse {
		t.Fatalf("the POP3 session does not hold the lock: %v", err)
	}
	submit(t, st, "while locked")
	if got := inbox(t, st, "melanie").Count(); got != n+1 {
		t.Errorf("the INBOX has %d messages, want %d", got, n+1)
	}
	if l := k.until("STAT", "")[0]; !strings.HasPrefix(l, fmt.Sprintf("+OK %d ", n)) {
		t.Errorf("STAT in the locked session: %q, want %d messages as when it began", l, n)
	}
	k.until("QUIT", "+OK")

	k = readerOf(t, pop3.NewSession(pop3.Options{Store: st}))
	k.line()
	k.until("USER melanie", "+OK")
	k.until("PASS toybox", "+OK")
	if l := k.until("STAT", "")[0]; !strings.HasPrefix(l, fmt.Sprintf("+OK %d ", n+1)) {
		t.Errorf("STAT in the next session: %q, want %d messages", l, n+1)
	}
	top := k.until(fmt.Sprintf("TOP %d 0", n+1), ".")
	if !anyHas(top, "Subject: while locked") || !strings.HasPrefix(top[1], "Return-Path: <alex@example.org>") {
		t.Errorf("TOP of the new message: %q", top)
	}
	k.until("QUIT", "+OK")
}

func mustUser(t *testing.T, st *mailstore.Store, name string) *mailstore.User {
	t.Helper()
	u, ok := st.User(name)
	if !ok {
		t.Fatalf("no user %s", name)
	}
	return u
}
