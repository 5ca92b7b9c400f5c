package smtp

import (
	"net/mail"
	"strings"
	"testing"
	"time"
)

var july1995 = time.Date(1995, 7, 9, 11, 13, 57, 0, time.FixedZone("CEST", 2*3600))

func TestProtocol(t *testing.T) {
	for _, tt := range []struct {
		lmtp, ext, tls, auth bool
		want                 string
	}{
		{false, false, false, false, "SMTP"},
		{false, false, true, true, "SMTP"},
		{false, true, false, false, "ESMTP"},
		{false, true, true, false, "ESMTPS"},
		{false, true, false, true, "ESMTPA"},
		{false, true, true, true, "ESMTPSA"},
		{true, true, false, false, "LMTP"},
		{true, true, true, false, "LMTPS"},
		{true, true, true, true, "LMTPSA"},
	} {
		if got := Protocol(tt.lmtp, tt.ext, tt.tls, tt.auth); got != tt.want {
			t.Errorf("%+v: %s", tt, got)
		}
	}
}

// RFC 5321 section 4.4's time stamp line, folded as Postfix folds it.
func TestReceived(t *testing.T) {
	tr := Trace{Helo: "crnvma.cern.ch", ClientHost: "crnvma.cern.ch", ClientIP: "192.0.2.1", Hostname: "dxmint.cern.ch",
		Protocol: "ESMTP", ID: "4A1B2C3D4E", For: "ysemenov@cernvm.cern.ch", Date: july1995}
	want := "Received: from crnvma.cern.ch (crnvma.cern.ch [192.0.2.1])\r\n" +
		"\tby dxmint.cern.ch with ESMTP id 4A1B2C3D4E\r\n" +
		"\tfor <ysemenov@cernvm.cern.ch>; Sun, 9 Jul 1995 11:13:57 +0200 (CEST)\r\n"
	if got := tr.Received(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	tr.For, tr.ClientHost, tr.Protocol = "", "", "SMTP"
	want = "Received: from crnvma.cern.ch (unknown [192.0.2.1])\r\n" +
		"\tby dxmint.cern.ch with SMTP id 4A1B2C3D4E;\r\n" +
		"\tSun, 9 Jul 1995 11:13:57 +0200 (CEST)\r\n" // past 78 characters on one line
	if got := tr.Received(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// A long HELO name: still one clause per line where it fits, each
	// continuation starting with white space, and a header a mail parser
	// reads back.
	tr.Helo = strings.Repeat("verylonglabel.", 5) + "example"
	tr.ClientIP = "IPv6:2001:db8::1"
	h := tr.Received()
	for _, l := range strings.Split(strings.TrimSuffix(h, "\r\n"), "\r\n")[1:] {
		if !strings.HasPrefix(l, "\t") {
			t.Errorf("continuation %q", l)
		}
	}
	msg, err := mail.ReadMessage(strings.NewReader(h + "\r\nbody\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := msg.Header.Get("Received"); !strings.Contains(got, "[IPv6:2001:db8::1]") || !strings.HasSuffix(got, "(CEST)") {
		t.Errorf("unfolded: %q", got)
	}
	if ReturnPath(Path{Null: true}) != "Return-Path: <>\r\n" || ReturnPath(Path{Local: "a", Domain: "b.example"}) != "Return-Path: <a@b.example>\r\n" {
		t.Error("Return-Path")
	}
}

func TestDeliver(t *testing.T) {
	st := labStore(t)
	d := labDirectory(t)
	d.Store = st
	c := labConfig
	env, _ := c.Mail(mustParse(t, "MAIL FROM:<JQP@bar.com>"), ehlo)
	for _, l := range []string{"RCPT TO:<alex@example.org>", "RCPT TO:<staff@example.org>", "RCPT TO:<Postmaster>"} {
		if r := c.Rcpt(env, d, mustParse(t, l), ehlo); !r.Positive() {
			t.Fatalf("%s: %v", l, r)
		}
	}
	msg := []byte("From: John Q. Public <JQP@bar.com>\r\nSubject: The Next Meeting of the Board\r\n\r\nBill:\r\n")
	m := &Mailer{Store: st, Now: func() time.Time { return july1995 }, NewID: func() string { return "4A1B2C3D4E" }}
	tr := Trace{Helo: "bar.com", ClientIP: "192.0.2.1", Hostname: c.Hostname, Protocol: "ESMTP"}
	dv := m.Deliver(env, msg, tr)

	// One copy per user: alex is both a recipient and on the staff list.
	for user, n := range map[string]int{"alex": 1, "melanie": 1, "mrose": 1, "smith": 0} {
		u, _ := st.User(user)
		inbox, _ := u.Mailbox("INBOX")
		if inbox.Count() != n {
			t.Errorf("%s has %d messages, want %d", user, inbox.Count(), n)
		}
	}
	u, _ := st.User("alex")
	inbox, _ := u.Mailbox("INBOX")
	raw := string(inbox.Messages()[0].Raw())
	want := "Return-Path: <JQP@bar.com>\r\n" +
		"Received: from bar.com (unknown [192.0.2.1])\r\n" +
		"\tby mx.example.org with ESMTP id 4A1B2C3D4E\r\n" +
		"\tfor <alex@example.org>; Sun, 9 Jul 1995 11:13:57 +0200 (CEST)\r\n" + string(msg)
	if raw != want {
		t.Errorf("alex's copy:\n%s\nwant\n%s", raw, want)
	}
	u, _ = st.User("melanie")
	inbox, _ = u.Mailbox("INBOX")
	if got := string(inbox.Messages()[0].Raw()); !strings.Contains(got, "for <staff@example.org>;") {
		t.Errorf("melanie's copy names the recipient that reached her first:\n%s", got)
	}

	// LMTP: one reply per recipient, in RCPT order (RFC 2033 section 4.2).
	var lines []string
	for _, r := range dv.Replies() {
		lines = append(lines, r.Format(true)...)
	}
	if want := []string{
		"250 2.0.0 <alex@example.org> Ok: delivered",
		"250 2.0.0 <staff@example.org> Ok: delivered",
		"250 2.0.0 <postmaster@example.org> Ok: delivered",
	}; strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("LMTP replies:\n%s", strings.Join(lines, "\n"))
	}
	// SMTP: one reply; the copy for the backup address is noted, not sent.
	r := dv.Reply(env)
	if got := r.Format(true)[0]; got != "250 2.0.0 Ok: queued as 4A1B2C3D4E" {
		t.Errorf("SMTP reply %q", got)
	}
	var notes []string
	for _, n := range r.Notes {
		notes = append(notes, n.Key)
	}
	if strings.Join(notes, " ") != "data.forwarded" {
		t.Errorf("notes %v", notes)
	}
	x := Explain(r, nil, true, "en")
	if !strings.Contains(x.Text, "Return-Path: <JQP@bar.com>") || !strings.Contains(x.Text, "melanie@backup.example") {
		t.Errorf("explained as %q", x.Text)
	}
}

// The envelope is not the header: the explanation says so when MAIL FROM
// and From: differ, or From: is missing.
func TestEnvelopeVersusHeader(t *testing.T) {
	st := labStore(t)
	c := labConfig
	d := &Directory{Store: st}
	for _, tt := range []struct {
		from, msg, note string
	}{
		{"MAIL FROM:<bounces+melanie@lists.example>", "From: Melanie <melanie@example.org>\r\n\r\nhi\r\n", "envelope.differs"},
		{"MAIL FROM:<>", "From: MAILER-DAEMON@example.org\r\n\r\nbounce\r\n", "envelope.differs"},
		{"MAIL FROM:<a@b.example>", "Subject: no from\r\n\r\nhi\r\n", "envelope.nofrom"},
		{"MAIL FROM:<A@B.example>", "From: a@b.example\r\n\r\nsame\r\n", ""},
		{"MAIL FROM:<a@b.example>", "From: =?utf-8?q?A?=\r\n <a@b.example>\r\n\r\nfolded\r\n", ""},
	} {
		env, _ := c.Mail(mustParse(t, tt.from), ehlo)
		c.Rcpt(env, d, mustParse(t, "RCPT TO:<alex@example.org>"), ehlo)
		r := (&Mailer{Store: st}).Deliver(env, []byte(tt.msg), Trace{}).Reply(env)
		got := ""
		for _, n := range r.Notes {
			got = n.Key
		}
		if got != tt.note {
			t.Errorf("%s with %q: note %q, want %q", tt.from, tt.msg, got, tt.note)
		}
	}
}

func TestDeliverFails(t *testing.T) {
	env := &Envelope{From: Path{Local: "a", Domain: "b.example"},
		Rcpts: []Recipient{{Path: Path{Local: "alex", Domain: "example.org"}, Targets: []Target{{User: "alex"}}}}}
	dv := (&Mailer{}).Deliver(env, []byte("x\r\n"), Trace{})
	if got := dv.Reply(env).Format(true)[0]; got != "451 4.3.0 Error: queue file write error" {
		t.Errorf("SMTP: %q", got)
	}
	if got := dv.Replies()[0].Format(true)[0]; got != "451 4.3.0 <alex@example.org> Error: could not store the message" {
		t.Errorf("LMTP: %q", got)
	}
	env.Rcpts[0].Targets[0].User = "nobody"
	dv = (&Mailer{Store: labStore(t)}).Deliver(env, []byte("x\r\n"), Trace{})
	if got := dv.Replies()[0].Format(true)[0]; got != "550 5.1.1 <alex@example.org> User unknown" {
		t.Errorf("a user gone: %q", got)
	}
	// The queue IDs a Mailer makes look like Postfix's and differ.
	m := &Mailer{}
	a, b := m.newID(july1995), m.newID(july1995)
	if a == b || len(a) != 10 || strings.Trim(a, "0123456789ABCDEF") != "" {
		t.Errorf("IDs %q %q", a, b)
	}
}
