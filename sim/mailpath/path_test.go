package mailpath_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"

	"maillab/sim/demo"
	"maillab/sim/mailpath"
	"maillab/sim/mailstore"
	"maillab/sim/proto"
	_ "maillab/sim/proto/all"
	"maillab/sim/smtp"
)

var start = time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)

// newLab is the demo topology over the demo accounts, on a stopped clock.
func newLab(t testing.TB, top *mailpath.Topology) (*mailpath.Lab, *mailstore.Store) {
	t.Helper()
	st, err := demo.Store()
	if err != nil {
		t.Fatal(err)
	}
	if top == nil {
		top = mailpath.Demo()
	}
	l, err := mailpath.New(top, mailpath.Options{Store: st, Clock: mailpath.NewClock(start, 0), Record: true, Explain: true})
	if err != nil {
		t.Fatal(err)
	}
	return l, st
}

// submit sends one message through domain's MSA with a real SMTP client
// (go-smtp), logged in as user.
func submit(t testing.TB, l *mailpath.Lab, domain, user, pass, from string, to []string, body string) {
	t.Helper()
	if err := trySubmit(l, domain, user, pass, from, to, body); err != nil {
		t.Fatal(err)
	}
}

// trySubmit is submit for a goroutine of its own: it returns what went
// wrong.
func trySubmit(l *mailpath.Lab, domain, user, pass, from string, to []string, body string) error {
	o, err := l.Submission(domain)
	if err != nil {
		return err
	}
	// Lab time throughout; the pipe's deadlines are hidden from it.
	o.Now = l.Clock().Now
	c1, c2 := net.Pipe()
	go func() {
		smtp.NewSession(o).Serve(struct{ io.ReadWriter }{c2})
		c2.Close()
	}()
	c := gosmtp.NewClient(c1)
	defer c.Close()
	if err := c.Hello("client.example"); err != nil {
		return err
	}
	if err := c.Auth(sasl.NewPlainClient("", user, pass)); err != nil {
		return err
	}
	if err := c.SendMail(from, to, strings.NewReader(body)); err != nil {
		return fmt.Errorf("submitting: %w", err)
	}
	return c.Quit()
}

func kinds(evs []mailpath.Event) string {
	var out []string
	for _, e := range evs {
		s := string(e.Kind)
		switch e.Kind {
		case mailpath.Unreachable, mailpath.Hop, mailpath.Relayed:
			s += " " + e.Peer
		case mailpath.Delivered:
			s += " " + e.User
		case mailpath.Deferred, mailpath.Bounced:
			s += " " + e.Rcpt
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

const letter = "From: Marshall Rose <mrose@example.net>\r\nTo: Melanie <melanie@example.org>\r\nSubject: across domains\r\n\r\nHello from the other domain.\r\n"

// The lecture's journey: MUA → MSA → the outgoing MTA's MX lookup → the
// primary MX is down, the lower-priority one takes the mail → LMTP to
// the LDA → INBOX, read back over IMAP and POP3.
func TestSubmitRelayFallbackFetch(t *testing.T) {
	l, st := newLab(t, nil)
	l.SetDown("mx1.example.org", true)
	submit(t, l, "example.net", "mrose", "tanstaaf", "mrose@example.net", []string{"melanie@example.org"}, letter)

	got := kinds(l.Events(""))
	want := "submitted, lookup, unreachable mx1.example.org, hop mx2.example.org, hop lmtp.example.org, delivered melanie, relayed mx2.example.org"
	if got != want {
		t.Fatalf("journey:\n got %s\nwant %s", got, want)
	}
	for _, e := range l.Events("") {
		if e.Kind == mailpath.Lookup && (len(e.Records) != 2 || e.Records[0].Host != "mx1.example.org" || e.Records[1].Priority != 20) {
			t.Errorf("MX records by priority: %+v", e.Records)
		}
		if e.Kind == mailpath.Hop && e.Proto == "smtp" {
			tr, ok := l.Hop(e.Hop)
			if !ok || len(tr.Events) == 0 {
				t.Fatalf("hop %d has no transcript", e.Hop)
			}
			var cmds []string
			for _, s := range tr.Steps {
				cmds = append(cmds, fmt.Sprintf("%s→%d", strings.Fields(s.Command)[0], s.Code))
			}
			if strings.Join(cmds, " ") != "CONNECT→220 EHLO→250 MAIL→250 RCPT→250 DATA→354 .→250 QUIT→221" {
				t.Errorf("SMTP hop steps: %v", cmds)
			}
		}
	}

	msg := imapFetch(t, st, "melanie", "toybox")
	if n := strings.Count(msg, "\r\nReceived: ") + strings.Count(msg[:10], "Received:"); n != 3 {
		t.Errorf("%d Received lines, want 3 (MSA, MX, LDA):\n%s", n, msg)
	}
	for _, want := range []string{"Return-Path: <mrose@example.net>\r\n", "by lmtp.example.org with LMTP", "from smtp.example.net (smtp.example.net [198.51.100.25])\r\n\tby mx2.example.org with ESMTP",
		"by smtp.example.net with ESMTPA", "Message-ID: <", "Date: Fri, 1 Mar 2024 10:00:00", "Hello from the other domain."} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if pop := pop3Retr(t, st, "melanie", "toybox"); pop != msg {
		t.Errorf("POP3 RETR differs from IMAP:\n%s\n---\n%s", pop, msg)
	}
}

// imapFetch logs in over IMAP (go-imap's client, the lab's server over
// a pipe) and returns the last message of INBOX.
func imapFetch(t *testing.T, st *mailstore.Store, user, pass string) string {
	t.Helper()
	c1, c2 := net.Pipe()
	p, _ := proto.Get("imap")
	go func() {
		p.Open(proto.Config{Store: st}).Serve(c2)
		c2.Close()
	}()
	c := imapclient.New(c1, nil)
	defer c.Close()
	if err := c.Login(user, pass).Wait(); err != nil {
		t.Fatal(err)
	}
	sel, err := c.Select("INBOX", nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	var set imap.SeqSet
	set.AddNum(sel.NumMessages)
	msgs, err := c.Fetch(set, &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{{Peek: true}}}).Collect()
	if err != nil || len(msgs) != 1 {
		t.Fatalf("fetch: %v", err)
	}
	c.Logout().Wait()
	for _, b := range msgs[0].BodySection {
		return string(b.Bytes)
	}
	t.Fatal("no body")
	return ""
}

// pop3Retr logs in over POP3 and returns the last message, unstuffed.
func pop3Retr(t *testing.T, st *mailstore.Store, user, pass string) string {
	t.Helper()
	c1, c2 := net.Pipe()
	p, _ := proto.Get("pop3")
	go func() {
		p.Open(proto.Config{Store: st}).Serve(c2)
		c2.Close()
	}()
	defer c1.Close()
	br := bufio.NewReader(c1)
	line := func() string {
		s, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimRight(s, "\r\n")
	}
	cmd := func(s string) string {
		fmt.Fprintf(c1, "%s\r\n", s)
		return line()
	}
	line()
	cmd("USER " + user)
	if r := cmd("PASS " + pass); !strings.HasPrefix(r, "+OK") {
		t.Fatal(r)
	}
	var n int
	fmt.Sscanf(cmd("STAT"), "+OK %d", &n)
	if r := cmd(fmt.Sprintf("RETR %d", n)); !strings.HasPrefix(r, "+OK") {
		t.Fatal(r)
	}
	var b bytes.Buffer
	for {
		l := line()
		if l == "." {
			break
		}
		b.WriteString(strings.TrimPrefix(l, ".") + "\r\n")
	}
	cmd("QUIT")
	return b.String()
}

func newLabLang(t testing.TB, lang string) (*mailpath.Lab, *mailstore.Store) {
	t.Helper()
	st, err := demo.Store()
	if err != nil {
		t.Fatal(err)
	}
	l, err := mailpath.New(mailpath.Demo(), mailpath.Options{Store: st, Clock: mailpath.NewClock(start, 0), Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	return l, st
}

func bufioReader(s string) *bufio.Reader { return bufio.NewReader(strings.NewReader(s)) }

func storeOf(t testing.TB) *mailstore.Store {
	st, err := demo.Store()
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// A list at example.org with a member at example.net: the MX expands it,
// hands melanie's copy to its LDA and queues mrose's for example.net. Two
// domains whose aliases name each other loop until the hop limit bounces
// the message.
func TestListAcrossDomainsAndLoop(t *testing.T) {
	top, err := mailpath.ParseTopology([]byte(`
domains:
  - name: example.org
    users: [melanie]
    aliases: |
      staff: melanie, mrose@example.net
      ping: pong@example.net
    mx: [{host: mx.example.org, priority: 10}]
  - name: example.net
    users: [mrose, alex]
    aliases: |
      pong: ping@example.org
    mx: [{host: mx.example.net, priority: 10}]
hosts:
  - {name: mx.example.org, a: 192.0.2.10}
  - {name: mx.example.net, a: 198.51.100.10}
`))
	if err != nil {
		t.Fatal(err)
	}
	l, st := newLab(t, top)
	m0, r0 := len(inboxOf(t, st, "melanie")), len(inboxOf(t, st, "mrose"))
	submit(t, l, "example.net", "alex", "drums", "alex@example.net", []string{"staff@example.org"}, "Subject: staff\r\n\r\nx\r\n")
	if len(inboxOf(t, st, "melanie")) != m0+1 || len(inboxOf(t, st, "mrose")) != r0+1 {
		t.Fatalf("the list did not reach both: %s", kinds(l.Events("")))
	}
	a0 := len(inboxOf(t, st, "alex"))
	submit(t, l, "example.net", "alex", "drums", "alex@example.net", []string{"ping@example.org"}, "Subject: loop\r\n\r\nx\r\n")
	if !hasEvent(l, mailpath.Bounced, func(e mailpath.Event) bool { return e.Enhanced == "5.4.6" }) {
		t.Fatalf("the loop did not bounce: %s", kinds(l.Events("")))
	}
	if len(inboxOf(t, st, "alex")) != a0+1 {
		t.Error("alex got no bounce for the loop")
	}
}

func inboxOf(t *testing.T, st *mailstore.Store, user string) [][]byte { return inbox(t, st, user) }
