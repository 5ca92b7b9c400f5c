package mailpath_test

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"
	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"

	"maillab/sim/mailpath"
	"maillab/sim/mailstore"
	"maillab/sim/smtp"
)

// inbox returns the messages of user's INBOX, oldest first.
func inbox(t *testing.T, st *mailstore.Store, user string) [][]byte {
	t.Helper()
	u, _ := st.User(user)
	mb, err := u.Mailbox(mailstore.Inbox)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, m := range mb.Messages() {
		out = append(out, m.Raw())
	}
	return out
}

// dsn is a delivery status notification read back with go-message.
type dsn struct {
	header   message.Header
	human    string
	perMsg   textproto.Header
	perRcpt  []textproto.Header
	returned string // the third part's media type
	quoted   string
}

// parseDSN reads msg as RFC 3464 says a DSN is built: multipart/report
// with report-type delivery-status, a human-readable part, a
// message/delivery-status part of field groups, the returned message.
func parseDSN(t *testing.T, msg []byte) dsn {
	t.Helper()
	e, err := message.Read(bytes.NewReader(msg))
	if err != nil {
		t.Fatal(err)
	}
	var d dsn
	d.header = e.Header
	mt, params, _ := e.Header.ContentType()
	if mt != "multipart/report" || params["report-type"] != "delivery-status" {
		t.Fatalf("Content-Type %s %v, want multipart/report; report-type=delivery-status", mt, params)
	}
	mr := e.MultipartReader()
	var types []string
	for i := 0; ; i++ {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		pt, _, _ := p.Header.ContentType()
		types = append(types, pt)
		body, _ := io.ReadAll(p.Body)
		switch i {
		case 0:
			d.human = string(body)
		case 1:
			groups := strings.Split(strings.ReplaceAll(string(body), "\r\n", "\n"), "\n\n")
			for j, g := range groups {
				h, err := textproto.ReadHeader(bufioReader(g + "\n\n"))
				if err != nil {
					t.Fatalf("status group %d: %v\n%s", j, err, g)
				}
				if j == 0 {
					d.perMsg = h
				} else {
					d.perRcpt = append(d.perRcpt, h)
				}
			}
		case 2:
			d.returned, d.quoted = pt, string(body)
		}
	}
	if strings.Join(types, " ") != "text/plain message/delivery-status message/rfc822" && strings.Join(types, " ") != "text/plain message/delivery-status text/rfc822-headers" {
		t.Fatalf("parts %v", types)
	}
	return d
}

// An outside domain never answers: the message waits in the queue with
// growing retry times, the sender is warned after four hours, and after
// five days it bounces with status 4.4.7.
func TestQueueRetryWarnExpire(t *testing.T) {
	l, st := newLab(t, nil)
	before := len(inbox(t, st, "melanie"))
	submit(t, l, "example.org", "melanie", "toybox", "melanie@example.org", []string{"someone@example.com"},
		"From: melanie@example.org\r\nTo: someone@example.com\r\nSubject: outside\r\n\r\nAnyone there?\r\n")
	q := l.Queued()
	if len(q) != 1 || q[0].Attempts != 1 || !q[0].Next.Equal(start.Add(5*time.Minute)) || !strings.Contains(q[0].Reason, "mx.example.com[203.0.113.10]:25: Connection timed out") {
		t.Fatalf("queue after the first attempt: %+v", q)
	}
	// Nothing happens before the retry time.
	l.Clock().Advance(4 * time.Minute)
	if n := l.RunDue(); n != 0 {
		t.Fatalf("%d attempts before the retry time", n)
	}
	l.Step(2 * time.Minute)
	if q := l.Queued(); q[0].Attempts != 2 || !q[0].Next.Equal(start.Add(15*time.Minute)) {
		t.Fatalf("second attempt at 5m (its retry time), the next 10m later: %+v", q)
	}
	// The warning comes with the first attempt after four hours.
	l.Step(5 * time.Hour)
	var delayed []mailpath.Event
	for _, e := range l.Events("") {
		if e.Kind == mailpath.Delayed {
			delayed = append(delayed, e)
		}
	}
	if len(delayed) != 1 {
		t.Fatalf("%d delay warnings after 5h", len(delayed))
	}
	msgs := inbox(t, st, "melanie")
	if len(msgs) != before+1 {
		t.Fatalf("the delay warning is not in melanie's INBOX")
	}
	w := parseDSN(t, msgs[len(msgs)-1])
	if a := w.perRcpt[0].Get("Action"); a != "delayed" {
		t.Errorf("warning Action %q", a)
	}
	if s := w.perRcpt[0].Get("Will-Retry-Until"); s == "" {
		t.Errorf("warning without Will-Retry-Until")
	}
	l.Step(5 * 24 * time.Hour)
	if q := l.Queued(); len(q) != 0 {
		t.Fatalf("still queued after five days: %+v", q)
	}
	msgs = inbox(t, st, "melanie")
	d := parseDSN(t, msgs[len(msgs)-1])
	if got := d.perRcpt[0].Get("Status"); got != "4.4.7" {
		t.Errorf("Status %q, want 4.4.7 (delivery time expired)", got)
	}
	if got := d.perRcpt[0].Get("Action"); got != "failed" {
		t.Errorf("Action %q", got)
	}
	if got := d.perRcpt[0].Get("Final-Recipient"); got != "rfc822; someone@example.com" {
		t.Errorf("Final-Recipient %q", got)
	}
	if !strings.Contains(d.quoted, "Anyone there?") {
		t.Errorf("the returned message lacks the text:\n%s", d.quoted)
	}
	if rp := string(msgs[len(msgs)-1][:20]); !strings.HasPrefix(rp, "Return-Path: <>") {
		t.Errorf("a bounce has the null reverse-path: %q", rp)
	}
}

// A recipient the receiving MTA does not know bounces at once: the DSN
// in the sender's INBOX names the MX, its reply and the command.
func TestBounceUnknownUser(t *testing.T) {
	l, st := newLab(t, nil)
	submit(t, l, "example.org", "melanie", "toybox", "melanie@example.org", []string{"nobody@example.net", "mrose@example.net"},
		"From: melanie@example.org\r\nTo: nobody@example.net, mrose@example.net\r\nSubject: two\r\n\r\nOne of you exists.\r\n")
	if n := len(inbox(t, st, "mrose")); n == 0 {
		t.Fatal("mrose got nothing")
	}
	msgs := inbox(t, st, "melanie")
	d := parseDSN(t, msgs[len(msgs)-1])
	if len(d.perRcpt) != 1 {
		t.Fatalf("%d recipients reported, want only nobody", len(d.perRcpt))
	}
	r := d.perRcpt[0]
	for k, want := range map[string]string{
		"Final-Recipient": "rfc822; nobody@example.net", "Action": "failed", "Status": "5.1.1",
		"Remote-MTA": "dns; mx.example.net",
	} {
		if got := r.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if dc := r.Get("Diagnostic-Code"); !strings.HasPrefix(dc, "smtp; 550 5.1.1 ") {
		t.Errorf("Diagnostic-Code %q", dc)
	}
	if got := d.perMsg.Get("Reporting-MTA"); got != "dns; smtp.example.org" {
		t.Errorf("Reporting-MTA %q", got)
	}
	if !strings.Contains(d.human, "host mx.example.net said: 550 5.1.1") || !strings.Contains(d.human, "in reply to RCPT TO command") {
		t.Errorf("human-readable part:\n%s", d.human)
	}
	if sub := d.header.Get("Subject"); sub != "Undelivered Mail Returned to Sender" {
		t.Errorf("Subject %q", sub)
	}
	if d.header.Get("Auto-Submitted") != "auto-replied" {
		t.Errorf("no Auto-Submitted")
	}
	var bounced []mailpath.Event
	for _, e := range l.Events("") {
		if e.Kind == mailpath.Bounced {
			bounced = append(bounced, e)
		}
	}
	if len(bounced) != 1 || bounced[0].Rcpt != "nobody@example.net" || bounced[0].Code != 550 || bounced[0].Bounce == "" {
		t.Errorf("bounced events: %+v", bounced)
	}
}

// The DSN's words are in the lab's language.
func TestBounceLanguage(t *testing.T) {
	for lang, want := range map[string]string{"ru": "узел mx.example.net ответил: 550 5.1.1", "sk": "uzol mx.example.net odpovedal: 550 5.1.1"} {
		l, store := newLabLang(t, lang)
		submit(t, l, "example.org", "melanie", "toybox", "melanie@example.org", []string{"nobody@example.net"},
			"From: melanie@example.org\r\nSubject: x\r\n\r\nx\r\n")
		msgs := inbox(t, store, "melanie")
		if d := parseDSN(t, msgs[len(msgs)-1]); !strings.Contains(d.human, want) {
			t.Errorf("%s:\n%s", lang, d.human)
		}
	}
}

// The host's ticker retries while clients submit: every message ends
// up delivered or bounced, once.
func TestQueueConcurrentRetries(t *testing.T) {
	l, st := newLab(t, nil)
	l.AddFault(mailpath.Fault{Host: "mx.example.net", Command: "RCPT", Reply: "451 4.3.0 Try again", Probability: 0.5})
	before := len(inbox(t, st, "mrose"))
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 200 {
			l.Step(time.Minute)
			l.Queued()
		}
	}()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			if err := trySubmit(l, "example.org", "melanie", "toybox", "melanie@example.org", []string{"mrose@example.net"}, fmt.Sprintf("Subject: %d\r\n\r\nx\r\n", i)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	<-done
	l.ClearFaults()
	l.Step(2 * time.Hour)
	if q := l.Queued(); len(q) != 0 {
		t.Fatalf("still queued: %+v", q)
	}
	if got := len(inbox(t, st, "mrose")) - before; got != 8 {
		t.Errorf("%d of 8 delivered", got)
	}
}

// sendDSN submits with RFC 3461's parameters: RET and ENVID on MAIL,
// NOTIFY and ORCPT on each RCPT.
func sendDSN(t *testing.T, l *mailpath.Lab, ret gosmtp.DSNReturn, envID string, rcpts map[string][]gosmtp.DSNNotify) {
	t.Helper()
	o, _ := l.Submission("example.org")
	o.Now = l.Clock().Now
	c1, c2 := net.Pipe()
	go func() {
		smtp.NewSession(o).Serve(struct{ io.ReadWriter }{c2})
		c2.Close()
	}()
	c := gosmtp.NewClient(c1)
	defer c.Close()
	if err := c.Hello("client.example"); err != nil {
		t.Fatal(err)
	}
	if err := c.Auth(sasl.NewPlainClient("", "melanie", "toybox")); err != nil {
		t.Fatal(err)
	}
	if err := c.Mail("melanie@example.org", &gosmtp.MailOptions{Return: ret, EnvelopeID: envID}); err != nil {
		t.Fatal(err)
	}
	for to, notify := range rcpts {
		if err := c.Rcpt(to, &gosmtp.RcptOptions{Notify: notify, OriginalRecipientType: gosmtp.DSNAddressTypeRFC822, OriginalRecipient: "Old+" + to}); err != nil {
			t.Fatal(err)
		}
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "From: melanie@example.org\r\nSubject: dsn\r\n\r\nThe body stays home.\r\n")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	c.Quit()
}

// RFC 3461: NOTIFY=NEVER asks for no report; RET=HDRS returns the
// header only; ENVID and ORCPT come back in the report.
func TestDSNParameters(t *testing.T) {
	l, st := newLab(t, nil)
	before := len(inbox(t, st, "melanie"))
	sendDSN(t, l, "", "", map[string][]gosmtp.DSNNotify{"nobody@example.net": {gosmtp.DSNNotifyNever}})
	if len(inbox(t, st, "melanie")) != before {
		t.Fatal("a report despite NOTIFY=NEVER")
	}
	if !hasEvent(l, mailpath.Bounced, func(e mailpath.Event) bool { return e.Rcpt == "nobody@example.net" && e.Bounce == "" }) {
		t.Error("no bounced event without a report")
	}
	sendDSN(t, l, gosmtp.DSNReturnHeaders, "env 1", map[string][]gosmtp.DSNNotify{"nobody@example.net": {gosmtp.DSNNotifyFailure}})
	msgs := inbox(t, st, "melanie")
	d := parseDSN(t, msgs[len(msgs)-1])
	if d.returned != "text/rfc822-headers" || strings.Contains(d.quoted, "stays home") || !strings.Contains(d.quoted, "Subject: dsn") {
		t.Errorf("RET=HDRS returned %s:\n%s", d.returned, d.quoted)
	}
	if got := d.perMsg.Get("Original-Envelope-Id"); got != "env+201" {
		t.Errorf("Original-Envelope-Id %q", got)
	}
	if got := d.perRcpt[0].Get("Original-Recipient"); got != "rfc822; Old+2Bnobody@example.net" {
		t.Errorf("Original-Recipient %q", got)
	}
}

// A full mailbox is found only when the LDA has the message (Dovecot's
// LMTP checks the quota at the end of DATA): the server that took the
// message has answered 250 by then, and bounces it itself, as Postfix
// does in front of Dovecot. Across domains that is the recipient's MX,
// which reports under its own name; for the MSA's own domain, the MSA.
func TestOverQuotaBouncedByTheServerThatTookIt(t *testing.T) {
	l, st := newLab(t, nil)
	mel, _ := st.User("melanie")
	mel.SetQuota(mailstore.Quota{Messages: 1})
	before := len(inbox(t, st, "mrose"))
	submit(t, l, "example.net", "mrose", "tanstaaf", "mrose@example.net", []string{"melanie@example.org"}, letter)
	got := kinds(l.Events(""))
	// mx1 takes the message (250), its LDA refuses it, and the bounce
	// goes into the queue before mx1's 250 reaches smtp.example.net.
	want := "submitted, lookup, hop mx1.example.org, hop lmtp.example.org, submitted, hop lmtp.example.net, delivered mrose, " +
		"bounced melanie@example.org, relayed mx1.example.org"
	if got != want {
		t.Errorf("journey:\n got %s\nwant %s", got, want)
	}
	for _, e := range l.Events("") {
		if e.Kind == mailpath.Bounced && (e.Host != "mx1.example.org" || e.Peer != "lmtp.example.org" || e.Enhanced != "5.2.2") {
			t.Errorf("bounced by %s after %s's %s, want mx1.example.org (it took the message) after lmtp.example.org's 5.2.2", e.Host, e.Peer, e.Enhanced)
		}
		if e.Kind == mailpath.Relayed && e.Peer == "mx1.example.org" && e.Code != 250 {
			t.Errorf("mx1.example.org answered %d %s, want 250: it took the message before its LDA refused it", e.Code, e.Text)
		}
	}
	msgs := inbox(t, st, "mrose")
	if len(msgs) != before+1 {
		t.Fatalf("mrose has %d messages, want %d: the bounce", len(msgs), before+1)
	}
	b := string(msgs[len(msgs)-1])
	for _, w := range []string{"Reporting-MTA: dns; mx1.example.org", "This is the mail system at host mx1.example.org.", "Status: 5.2.2", "Remote-MTA: dns; lmtp.example.org",
		"Diagnostic-Code: smtp; 552 5.2.2 <melanie@example.org> Quota exceeded (mailbox for user is full)"} {
		if !strings.Contains(b, w) {
			t.Errorf("the bounce lacks %q:\n%s", w, b)
		}
	}

	// The MSA's own domain: alex submits to melanie; the MSA answers
	// 250 and bounces.
	if err := trySubmit(l, "example.org", "alex", "drums", "alex@example.org", []string{"melanie@example.org"}, letter); err != nil {
		t.Fatalf("the MSA refused the message for the full mailbox: %v", err)
	}
	msgs = inbox(t, st, "alex")
	b = string(msgs[len(msgs)-1])
	if !strings.Contains(b, "Status: 5.2.2") || !strings.Contains(b, "Subject: Undelivered Mail Returned to Sender") {
		t.Errorf("alex's last message is no bounce about melanie:\n%s", b)
	}
}
