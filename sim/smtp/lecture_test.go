package smtp

import (
	"bufio"
	"errors"
	"strings"
	"testing"
	"time"

	"maillab/sim/fsm"
	"maillab/sim/mailstore"
)

// dialog joins the package's pieces just far enough to replay a
// transcript: it is not the session loop (that reads a connection, emits
// events and keeps time), only the order in which the loop will call
// ParseCommand, the state machine, Config's checks, ReadData and the
// Mailer.
type dialog struct {
	t      *testing.T
	cfg    Config
	dir    *Directory
	mailer *Mailer
	m      *fsm.Machine
	tr     *fsm.Tracker
	cs     ConnState
	env    *Envelope
	tried  bool     // a RCPT was sent in this transaction
	text   []string // message lines after 354
}

func newDialog(t *testing.T, cfg Config, dir *Directory) *dialog {
	m := Machine
	if cfg.LMTP {
		m = LMTPMachine
	}
	clock := func() time.Time { return july1995 }
	return &dialog{t: t, cfg: cfg, dir: dir, m: m, tr: fsm.NewTracker(m, nil),
		mailer: &Mailer{Store: dir.Store, Now: clock, NewID: func() string { return "4A1B2C3D4E" }}}
}

func (d *dialog) take(id string) { d.tr.Take(EdgeID(d.m, id), id) }

// line answers one line from the client: the replies, none while the
// message text is coming.
func (d *dialog) line(l string) []*Reply {
	if d.tr.State() == Data {
		if l != "." {
			d.text = append(d.text, l)
			return nil
		}
		return d.endData()
	}
	c, err := ParseCommand(l)
	if err != nil {
		return []*Reply{err.(*Reply)}
	}
	st := d.tr.State()
	if !d.m.Allowed(st, c.Verb) {
		if c.Verb == "DATA" && st == Mail && d.tried {
			return []*Reply{NoValidRecipients()}
		}
		return []*Reply{Refuse(d.m, st, c.Verb)}
	}
	var r *Reply
	switch c.Verb {
	case "HELO", "EHLO", "LHLO":
		switch st {
		case Connected:
			d.take(THello)
		case Mail, Rcpt, Chunking:
			d.take(TReset)
		}
		d.cs.Extended, d.env, d.tried = c.Verb != "HELO", nil, false
		r = d.cfg.Hello(c, d.cs)
	case "MAIL":
		if d.env, r = d.cfg.Mail(c, d.cs); r.Positive() {
			d.take(TMail)
		}
	case "RCPT":
		d.tried = true
		if r = d.cfg.Rcpt(d.env, d.dir, c, d.cs); r.Positive() && st == Mail {
			d.take(TRcpt)
		} else if r.Positive() {
			d.take(TRcptMore)
		}
	case "DATA":
		if r = d.env.StartData(); r.Positive() {
			d.take(TData)
		}
	case "RSET":
		if st == Mail || st == Rcpt || st == Chunking {
			d.take(TReset)
		}
		d.env, d.tried, r = nil, false, reply("rset")
	case "NOOP":
		r = reply("noop")
	case "VRFY":
		r = d.cfg.Verify(d.dir, c)
	case "EXPN":
		r = d.cfg.Expand(d.dir, c)
	case "HELP":
		r = d.cfg.Help(d.m, c)
	case "QUIT":
		d.take(TQuit)
		r = reply("quit")
	default:
		d.t.Fatalf("the dialog has no %s", c.Verb)
	}
	return []*Reply{r}
}

// endData reads the collected text as the wire carried it and delivers.
func (d *dialog) endData() []*Reply {
	d.take(TDot)
	wire := strings.Join(append(d.text, "."), "\r\n") + "\r\n"
	msg := NewMessage(d.cfg.maxSize())
	err := ReadData(bufio.NewReader(strings.NewReader(wire)), msg, nil)
	env := d.env
	d.env, d.tried, d.text = nil, false, nil
	var r *Reply
	if errors.As(err, &r) {
		return []*Reply{r}
	}
	tr := Trace{Helo: "client", ClientIP: "192.0.2.1", Hostname: d.cfg.Hostname, Protocol: Protocol(d.cfg.LMTP, d.cs.Extended, false, false)}
	dv := d.mailer.Deliver(env, msg.Bytes(), tr)
	if d.cfg.LMTP {
		return dv.Replies()
	}
	return []*Reply{dv.Reply(env)}
}

// play runs a transcript of "C: " and "S: " lines, as the lectures and
// RFC 5321 Appendix D write them, and compares every server line.
func (d *dialog) play(transcript string) {
	d.t.Helper()
	var got []string
	greet := d.cfg.Greeting()
	d.take(TGreeting)
	got = append(got, prefix("S: ", greet.Format(false))...)
	for _, l := range strings.Split(strings.TrimSpace(transcript), "\n") {
		l = strings.TrimSpace(l)
		if l == "C:" { // an empty line of message text
			l = "C: "
		}
		if c, ok := strings.CutPrefix(l, "C: "); ok {
			got = append(got, "C: "+c)
			enhanced := d.cfg.Enhanced(d.cs)
			for _, r := range d.line(c) {
				got = append(got, prefix("S: ", r.Format(enhanced))...)
			}
		}
	}
	var want []string
	for _, l := range strings.Split(strings.TrimSpace(transcript), "\n") {
		l, _, _ = strings.Cut(strings.TrimSpace(l), "   #")
		switch l = strings.TrimSpace(l); l {
		case "":
			continue
		case "C:":
			l = "C: "
		}
		want = append(want, l)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		d.t.Errorf("transcript differs:\n--- got\n%s\n--- want\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func prefix(p string, lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = p + l
	}
	return out
}

// ehloLines is the EHLO reply of a server with the lab's defaults.
func ehloLines(host string) string {
	var b strings.Builder
	exts := (&Config{}).Extensions(ConnState{Extended: true})
	b.WriteString("S: 250-" + host + "\n")
	for i, e := range exts {
		sep := "-"
		if i == len(exts)-1 {
			sep = " "
		}
		b.WriteString("S: 250" + sep + e + "\n")
	}
	return b.String()
}

// Lecture 003's SMTP dialog, which is RFC 5321 Appendix D.1. Every code
// is the lecture's; the texts are Postfix's, where the lecture's server
// wrote "250 OK", "550 No such user here" and "221 foo.com Service closing
// transmission channel". The mailboxes are jones and brown: Postfix folds
// "Jones" onto jones.
func TestLectureSMTPDialog(t *testing.T) {
	d := newDialog(t, Config{Hostname: "foo.com"}, &Directory{Store: labStore(t, "jones", "brown")})
	d.play(`
		S: 220 foo.com ESMTP   # lecture: 220 foo.com Service Ready
		C: EHLO bar.com
		` + ehloLines("foo.com") + `
		C: MAIL FROM:<Smith@bar.com>
		S: 250 2.1.0 Ok
		C: RCPT TO:<Jones@foo.com>
		S: 250 2.1.5 Ok
		C: RCPT TO:<Green@foo.com>
		S: 550 5.1.1 <Green@foo.com>: Recipient address rejected: User unknown in local recipient table
		C: RCPT TO:<Brown@foo.com>
		S: 250 2.1.5 Ok
		C: DATA
		S: 354 End data with <CR><LF>.<CR><LF>
		C: Blah blah blah...
		C: ...etc. etc. etc.
		C: .
		S: 250 2.0.0 Ok: queued as 4A1B2C3D4E
		C: QUIT
		S: 221 2.0.0 Bye`)
	u, _ := d.dir.Store.User("jones")
	inbox, _ := u.Mailbox(mailstore.Inbox)
	raw := string(inbox.Messages()[0].Raw())
	if !strings.HasPrefix(raw, "Return-Path: <Smith@bar.com>\r\nReceived: from client (unknown [192.0.2.1])\r\n\tby foo.com with ESMTP id 4A1B2C3D4E\r\n\tfor <Jones@foo.com>;") ||
		!strings.HasSuffix(raw, "\r\nBlah blah blah...\r\n..etc. etc. etc.\r\n") {
		t.Errorf("jones got:\n%s", raw)
	}
	if d.tr.State() != Closed {
		t.Errorf("ended in %s", d.tr.State())
	}
}

// Appendix D.2, an aborted transaction, and what a server answers to
// commands out of order.
func TestAbortedTransaction(t *testing.T) {
	d := newDialog(t, Config{Hostname: "foo.com"}, &Directory{Store: labStore(t, "jones")})
	d.play(`
		S: 220 foo.com ESMTP
		C: MAIL FROM:<Smith@bar.com>
		S: 503 5.5.1 Error: send HELO/EHLO first   # enhanced codes before EHLO too, as Postfix
		C: EHLO bar.com
		` + ehloLines("foo.com") + `
		C: RCPT TO:<Jones@foo.com>
		S: 503 5.5.1 Error: need MAIL command
		C: MAIL FROM:<Smith@bar.com>
		S: 250 2.1.0 Ok
		C: DATA
		S: 503 5.5.1 Error: need RCPT command
		C: RCPT TO:<Green@foo.com>
		S: 550 5.1.1 <Green@foo.com>: Recipient address rejected: User unknown in local recipient table
		C: DATA
		S: 554 5.5.1 Error: no valid recipients
		C: RCPT TO:<Jones@foo.com>
		S: 250 2.1.5 Ok
		C: MAIL FROM:<Smith@bar.com>
		S: 503 5.5.1 Error: nested MAIL command
		C: RSET
		S: 250 2.0.0 Ok
		C: QUIT
		S: 221 2.0.0 Bye`)
}

// Lecture 002's telnet session of 1995, typed as the lecture types it. A
// sendmail of 1995 answered EHLO with "500 command unrecognized"; the lab
// knows EHLO, so the session starts, as the lecture's goes on, with HELO.
// Enhanced codes come after HELO too, as Postfix sends them; the lecture's
// replies and ours have the same codes.
func TestLectureTelnetSession(t *testing.T) {
	d := newDialog(t, Config{Hostname: "dxmint.cern.ch", Domains: []string{"cernvm.cern.ch"}}, &Directory{Store: labStore(t, "ysemenov")})
	d.play(`
		S: 220 dxmint.cern.ch ESMTP   # 220 dxmint.cern.ch sendmail ready at sun, 9 jul 1995 11:13:57 +0200
		C: HELO crnvma.cern.ch
		S: 250 dxmint.cern.ch   # 250 dxmint.cern.ch hello crnvma.cern.ch, pleased to meet you
		C: mail from:<>
		S: 250 2.1.0 Ok   # 250 <>... sender ok
		C: RCPT TO: ysemenov@cernvm.cern.ch
		S: 250 2.1.5 Ok   # 250 <ysemenov@cernvm.cern.ch>... recipient ok
		C: DATA
		S: 354 End data with <CR><LF>.<CR><LF>
		C: nu-i-nu...
		C: .
		S: 250 2.0.0 Ok: queued as 4A1B2C3D4E
		C: QUIT
		S: 221 2.0.0 Bye   # 221 dxmint.cern.ch closing connection`)
	u, _ := d.dir.Store.User("ysemenov")
	inbox, _ := u.Mailbox(mailstore.Inbox)
	if raw := string(inbox.Messages()[0].Raw()); !strings.HasPrefix(raw, "Return-Path: <>\r\nReceived: from client (unknown [192.0.2.1])\r\n\tby dxmint.cern.ch with SMTP id") {
		t.Errorf("ysemenov got:\n%s", raw)
	}
}

// Appendix D.4: verifying, then sending, with VRFY answered the RFC way.
func TestVerifyThenSend(t *testing.T) {
	dir := &Directory{Store: labStore(t, "Admin.MRC"), FullNames: map[string]string{"Admin.MRC": "Mark Crispin"}}
	d := newDialog(t, Config{Hostname: "foo.com", VRFY: VRFYFull}, dir)
	d.play(`
		S: 220 foo.com ESMTP
		C: EHLO bar.com
		` + ehloLines("foo.com") + `
		C: VRFY Crispin
		S: 250 2.0.0 Mark Crispin <Admin.MRC@foo.com>
		C: MAIL FROM:<EAK@bar.com>
		S: 250 2.1.0 Ok
		C: RCPT TO:<Admin.MRC@foo.com>
		S: 250 2.1.5 Ok
		C: DATA
		S: 354 End data with <CR><LF>.<CR><LF>
		C: Blah blah blah...
		C: .
		S: 250 2.0.0 Ok: queued as 4A1B2C3D4E
		C: QUIT
		S: 221 2.0.0 Bye`)
}

// failing refuses to store messages for one user, as a full disk would.
type failing struct {
	mailstore.Persister
	user string
}

func (f failing) PutMessage(user, mailbox string, m *mailstore.Message) (string, error) {
	if user == f.user {
		return "", errors.New("mailbox over quota")
	}
	return "", nil
}
func (failing) SetMailboxState(string, string, uint32, uint32) error { return nil }

// Lecture 003's LMTP dialog: after the final dot, one reply per
// recipient. The lecture's green is over quota (452); the lab's store has
// no quotas, so green's mailbox here fails to store (451). Both are
// transient, and both concern green alone. The lecture types "LHL0" with
// a zero, which the lab answers with a suggestion (see TestDidYouMean).
func TestLectureLMTPDialog(t *testing.T) {
	st := labStore(t, "pat", "green")
	st.SetPersister(failing{user: "green"})
	d := newDialog(t, Config{Hostname: "foo.edu", LMTP: true}, &Directory{Store: st})
	d.play(`
		S: 220 foo.edu LMTP   # 220 foo.edu LMTP server ready
		C: LHLO foo.edu
		` + ehloLines("foo.edu") + `
		C: MAIL FROM:<chris@bar.com>
		S: 250 2.1.0 Ok
		C: RCPT TO:<pat@foo.edu>
		S: 250 2.1.5 Ok
		C: RCPT TO:<green@foo.edu>
		S: 250 2.1.5 Ok
		C: DATA
		S: 354 End data with <CR><LF>.<CR><LF>
		C: Subject: test
		C:
		C: .
		S: 250 2.0.0 <pat@foo.edu> Ok: delivered
		S: 451 4.3.0 <green@foo.edu> Error: could not store the message   # 452 <green@foo.edu> is temporarily over quota
		C: QUIT
		S: 221 2.0.0 Bye`)
}
