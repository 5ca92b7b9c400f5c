package main

import (
	"crypto/tls"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

func (l *lab) imapAddr() string  { return l.app.addr("imap") }
func (l *lab) imapsAddr() string { return l.app.addr("imaps") }

func imapConfig(t testing.TB) *config {
	return testConfig(t, "-imap", "127.0.0.1:0", "-imaps", "127.0.0.1:0")
}

// deliver puts a message into user's INBOX as a mail transfer agent would.
func (l *lab) deliver(t testing.TB, user, subject, body string) uint32 {
	t.Helper()
	raw := "From: Alex <alex@example.org>\r\nTo: " + user + "@example.org\r\nSubject: " + subject +
		"\r\nDate: Mon, 7 Feb 1994 21:52:25 -0800\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n"
	uid, err := l.app.srv.Store.Deliver(user, []byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	return uid
}

// go-imap's client, a real client not written here, does the whole round:
// login, list, select, fetch, search, store, append, copy, move, expunge
// and idle, over STARTTLS and over implicit TLS.
func TestGoIMAPClient(t *testing.T) {
	l := startLab(t, imapConfig(t))
	l.deliver(t, "melanie", "Lunch on Friday", "Shall we meet at noon?")
	l.deliver(t, "melanie", "Привет", "Лекция по IMAP начнётся в 10:00.")
	tlsCfg := &tls.Config{InsecureSkipVerify: true}
	for _, mode := range []string{"plain", "starttls", "imaps"} {
		t.Run(mode, func(t *testing.T) {
			updates := make(chan uint32, 16)
			opts := &imapclient.Options{TLSConfig: tlsCfg, UnilateralDataHandler: &imapclient.UnilateralDataHandler{
				Mailbox: func(d *imapclient.UnilateralDataMailbox) {
					if d.NumMessages != nil {
						updates <- *d.NumMessages
					}
				},
			}}
			var c *imapclient.Client
			var err error
			switch mode {
			case "plain":
				c, err = imapclient.DialInsecure(l.imapAddr(), opts)
			case "starttls":
				c, err = imapclient.DialStartTLS(l.imapAddr(), opts)
			case "imaps":
				c, err = imapclient.DialTLS(l.imapsAddr(), opts)
			}
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			goIMAPRound(t, l, c, updates)
		})
	}
}

func goIMAPRound(t *testing.T, l *lab, c *imapclient.Client, updates chan uint32) {
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(c.Login("melanie", "toybox").Wait())
	for _, cap := range []imap.Cap{imap.CapIMAP4rev1, imap.CapIdle, imap.CapUIDPlus, imap.CapMove, imap.CapLiteralPlus} {
		if !c.Caps().Has(cap) {
			t.Errorf("capability %s missing", cap)
		}
	}
	box := fmt.Sprintf("Archive%d", time.Now().UnixNano())
	must(c.Create(box, nil).Wait())
	must(c.Create(box+"/Корзина", nil).Wait())
	list, err := c.List("", "*", nil).Collect()
	must(err)
	var names []string
	for _, m := range list {
		names = append(names, m.Mailbox)
	}
	if !strings.Contains(strings.Join(names, ","), box+"/Корзина") {
		t.Errorf("LIST %v lacks %s/Корзина", names, box)
	}
	sel, err := c.Select("INBOX", nil).Wait()
	must(err)
	n := sel.NumMessages
	if n < 2 {
		t.Fatalf("INBOX has %d messages", n)
	}
	msgs, err := c.Fetch(imap.SeqSetNum(n-1, n), &imap.FetchOptions{
		Envelope: true, Flags: true, UID: true, RFC822Size: true,
		BodyStructure: &imap.FetchItemBodyStructure{Extended: true},
		BodySection:   []*imap.FetchItemBodySection{{Peek: true}},
	}).Collect()
	must(err)
	if len(msgs) != 2 || msgs[0].Envelope.Subject != "Lunch on Friday" || msgs[1].Envelope.Subject != "Привет" {
		t.Fatalf("fetched %d messages: %+v", len(msgs), msgs)
	}
	for _, m := range msgs {
		body := m.FindBodySection(&imap.FetchItemBodySection{})
		if int64(len(body)) != m.RFC822Size {
			t.Errorf("message %d: BODY[] %d octets, RFC822.SIZE %d", m.SeqNum, len(body), m.RFC822Size)
		}
		if bs, ok := m.BodyStructure.(*imap.BodyStructureSinglePart); !ok || bs.Type != "text" || bs.Params["charset"] != "utf-8" {
			t.Errorf("message %d: body structure %#v", m.SeqNum, m.BodyStructure)
		}
	}
	found, err := c.UIDSearch(&imap.SearchCriteria{Body: []string{"лекция"}}, nil).Wait()
	must(err)
	if uids := found.AllUIDs(); len(uids) != 1 || uids[0] != msgs[1].UID {
		t.Errorf("UID SEARCH BODY лекция: %v, want [%d]", found.AllUIDs(), msgs[1].UID)
	}
	stored, err := c.Store(imap.SeqSetNum(n), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagFlagged}}, nil).Collect()
	must(err)
	if len(stored) != 1 || !hasFlag(stored[0].Flags, imap.FlagFlagged) {
		t.Errorf("STORE answered %+v", stored)
	}
	msg := "Subject: appended\r\n\r\nappended by go-imap\r\n"
	app := c.Append("INBOX", int64(len(msg)), &imap.AppendOptions{Flags: []imap.Flag{imap.FlagSeen}})
	app.Write([]byte(msg))
	must(app.Close())
	ad, err := app.Wait()
	must(err)
	if ad.UID == 0 {
		t.Errorf("APPEND gave no APPENDUID")
	}
	must(c.Noop().Wait())
	cp, err := c.Copy(imap.SeqSetNum(1), box).Wait()
	must(err)
	if cp.DestUIDs.String() == "" {
		t.Errorf("COPY gave no COPYUID")
	}
	before := c.Mailbox().NumMessages
	_, err = c.Move(imap.UIDSetNum(ad.UID), box).Wait()
	must(err)
	if after := c.Mailbox().NumMessages; after != before-1 {
		t.Errorf("after MOVE the client counts %d messages, want %d", after, before-1)
	}
	st, err := c.Status(box, &imap.StatusOptions{NumMessages: true}).Wait()
	must(err)
	if *st.NumMessages != 2 {
		t.Errorf("STATUS %s: %d messages, want 2", box, *st.NumMessages)
	}
	// IDLE: a delivery shows up as EXISTS while idling.
	for len(updates) > 0 {
		<-updates
	}
	idle, err := c.Idle()
	must(err)
	want := c.Mailbox().NumMessages + 1
	l.deliver(t, "melanie", "during idle", "x")
	select {
	case got := <-updates:
		if got != want {
			t.Errorf("EXISTS %d during IDLE, want %d", got, want)
		}
	case <-time.After(10 * time.Second):
		t.Error("no EXISTS during IDLE")
	}
	must(idle.Close())
	must(idle.Wait())
	// Expunge the message delivered during IDLE.
	last := c.Mailbox().NumMessages
	must(c.Store(imap.SeqSetNum(last), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close())
	exp, err := c.Expunge().Collect()
	must(err)
	if len(exp) != 1 || exp[0] != last {
		t.Errorf("EXPUNGE gave %v, want [%d]", exp, last)
	}
	must(c.Logout().Wait())
}

func hasFlag(flags []imap.Flag, f imap.Flag) bool {
	for _, x := range flags {
		if strings.EqualFold(string(x), string(f)) {
			return true
		}
	}
	return false
}

// Python's imaplib: login, list, select, fetch, search, store, append,
// copy, expunge, over plain text and STARTTLS.
func TestPythonImaplib(t *testing.T) {
	l := startLab(t, imapConfig(t))
	l.deliver(t, "alex", "For imaplib", "Body text for imaplib.")
	for _, mode := range []string{"plain", "starttls", "imaps"} {
		t.Run(mode, func(t *testing.T) {
			addr := l.imapAddr()
			if mode == "imaps" {
				addr = l.imapsAddr()
			}
			host, port := hostPort(t, addr)
			out, err := exec.Command("python3", "testdata/imaplib_check.py", mode, host, port, "alex", "drums").CombinedOutput()
			if err != nil {
				t.Fatalf("imaplib: %v\n%s", err, out)
			}
			for _, want := range []string{"login: OK", "list: OK", "select: OK", "fetch: OK For imaplib",
				"structure: OK", "search: OK", "store: OK", "append: OK", "copy: OK", "logout: BYE"} {
				if !strings.Contains(string(out), want) {
					t.Errorf("imaplib output lacks %q:\n%s", want, out)
				}
			}
			if m := regexp.MustCompile(`expunge: OK \['(\d+)'\] want (\d+)`).FindStringSubmatch(string(out)); m == nil || m[1] != m[2] {
				t.Errorf("imaplib EXPUNGE:\n%s", out)
			}
		})
	}
}

// curl speaks IMAP too: list mailboxes, fetch a message by UID, search,
// and run a custom command.
func TestCurlIMAP(t *testing.T) {
	l := startLab(t, imapConfig(t))
	uid := l.deliver(t, "smith", "For curl", "Fetched by curl.")
	u, _ := l.app.srv.Store.User("smith")
	inbox, _ := u.Mailbox("INBOX")
	st := inbox.Status()
	base := "imap://" + l.imapAddr()
	out := curl(t, "--user", "smith:sesame", base+"/")
	if !strings.Contains(out, `* LIST (\HasNoChildren) "/" INBOX`) {
		t.Errorf("curl list:\n%s", out)
	}
	out = curl(t, "--user", "smith:sesame", base+"/INBOX/;UID="+fmt.Sprint(uid))
	if !strings.Contains(out, "Subject: For curl") || !strings.Contains(out, "Fetched by curl.") {
		t.Errorf("curl fetch:\n%s", out)
	}
	out = curl(t, "--user", "smith:sesame", base+"/INBOX?SUBJECT%20curl")
	if !strings.Contains(out, fmt.Sprintf("* SEARCH %d", st.Messages)) {
		t.Errorf("curl search:\n%s", out)
	}
	st = inbox.Status()
	out = curl(t, "--user", "smith:sesame", "--ssl-reqd", "-k", "-X", "STATUS INBOX (MESSAGES UNSEEN)", base+"/")
	if !strings.Contains(out, fmt.Sprintf("* STATUS INBOX (MESSAGES %d UNSEEN %d)", st.Messages, st.Unseen)) {
		t.Errorf("curl STATUS over STARTTLS:\n%s", out)
	}
}

// As with POP3, telnet users may end lines with a bare LF, and a
// connection over -max-conns is greeted with BYE: transition (3).
func TestIMAPTelnetAndMaxConns(t *testing.T) {
	l := startLab(t, testConfig(t, "-imap", "127.0.0.1:0", "-max-conns", "1"))
	c := dial(t, l.imapAddr())
	c.expect("* OK [CAPABILITY IMAP4rev1")
	c.send("a1 LOGIN melanie toybox\n")
	c.expect("a1 OK")
	c.send("a2 LIST \"\" \"\"\n")
	c.expect(`* LIST (\Noselect) "/" ""`)
	c.expect("a2 OK LIST completed")
	second := dial(t, l.imapAddr())
	second.expect("* BYE Too many connections")
	c.send("a3 LOGOUT\n")
	c.expect("* BYE")
	c.expect("a3 OK LOGOUT completed")
}

// With -log-level debug every line is logged, but never a password: not
// in LOGIN, not in a literal, not in an AUTHENTICATE response.
func TestIMAPDebugLogHidesPasswords(t *testing.T) {
	l := startLab(t, testConfig(t, "-imap", "127.0.0.1:0", "-log-level", "debug"))
	c := dial(t, l.imapAddr())
	c.expect("* OK")
	c.send("a1 LOGIN melanie {6}\r\n")
	c.expect("+ Ready for literal data")
	c.send("toybox\r\n")
	c.expect("a1 OK")
	c.send("a2 LOGOUT\r\n")
	c.expect("* BYE")
	c.expect("a2 OK")
	d := dial(t, l.imapAddr())
	d.expect("* OK")
	d.send("b1 AUTHENTICATE PLAIN\r\n")
	d.expect("+")
	d.send("AGFsZXgAZHJ1bXM=\r\n") // \0alex\0drums
	d.expect("b1 OK")
	d.send("b2 LOGOUT\r\n")
	d.expect("* BYE")
	d.expect("b2 OK")
	log := l.log.String()
	for _, secret := range []string{"toybox", "drums", "AGFsZXgAZHJ1bXM="} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds %q:\n%s", secret, log)
		}
	}
	if !strings.Contains(log, "LOGOUT") {
		t.Errorf("the debug log lacks the protocol lines:\n%s", log)
	}
}

// Python's imaplib sends a UID set of 15,000 numbers on one line, longer
// than the server reads: the answer must carry the command's tag (BAD, as
// Dovecot's), or imaplib waits for it for ever; the session goes on.
func TestPythonImaplibLongLine(t *testing.T) {
	l := startLab(t, imapConfig(t))
	l.deliver(t, "alex", "For imaplib", "Body text for imaplib.")
	host, port := hostPort(t, l.imapAddr())
	out, err := exec.Command("python3", "testdata/imaplib_long.py", host, port, "alex", "drums").CombinedOutput()
	if err != nil {
		t.Fatalf("imaplib: %v\n%s", err, out)
	}
	for _, want := range []string{"long fetch: BAD", "Command line longer than 65536 octets", "noop: OK", "logout: BYE"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("imaplib output lacks %q:\n%s", want, out)
		}
	}
}
