package main

import (
	"bytes"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Real SMTP and LMTP clients, none written here, send mail to labserver
// over loopback TCP: Python's smtplib, swaks, msmtp, curl and go-smtp.
// Each message is then fetched back over IMAP and must be the octets the
// client sent, under the Return-Path and Received headers the final
// delivery adds, with Date and Message-ID completed by the submission
// server where the client sent none.

// smtpConfig turns on every mail listener on an ephemeral loopback port:
// the MTA, the submission server in clear and over implicit TLS, LMTP,
// and IMAP to read the mail back.
func smtpConfig(t testing.TB) *config {
	return testConfig(t, "-smtp", "127.0.0.1:0", "-submission", "127.0.0.1:0", "-smtps", "127.0.0.1:0", "-lmtp", "127.0.0.1:0", "-imap", "127.0.0.1:0")
}

// mailbox fetches every message of user's INBOX over IMAP, as go-imap's
// client reads them.
func (l *lab) mailbox(t *testing.T, user, pass string) [][]byte {
	t.Helper()
	c, err := imapclient.DialInsecure(l.app.addr("imap"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(user, pass).Wait(); err != nil {
		t.Fatal(err)
	}
	sel, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	var all imap.SeqSet
	all.AddRange(1, sel.NumMessages)
	msgs, err := c.Fetch(all, &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{{Peek: true}}}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, m := range msgs {
		out = append(out, m.FindBodySection(&imap.FetchItemBodySection{}))
	}
	c.Logout().Wait()
	return out
}

// passwords are the demo accounts'.
var passwords = map[string]string{"melanie": "toybox", "mrose": "tanstaaf", "alex": "drums", "smith": "sesame"}

// inboxOf is mailbox for the user an address of the lab's domains names.
func (l *lab) inboxOf(t *testing.T, addr string) [][]byte {
	t.Helper()
	user, _, _ := strings.Cut(addr, "@")
	return l.mailbox(t, user, passwords[user])
}

// withSubject is the one message of msgs whose header has that subject.
func withSubject(t *testing.T, msgs [][]byte, subject string) []byte {
	t.Helper()
	var found [][]byte
	for _, m := range msgs {
		head, _, _ := bytes.Cut(m, []byte("\r\n\r\n"))
		if bytes.Contains(append(head, "\r\n"...), []byte("\r\nSubject: "+subject+"\r\n")) {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d messages with the subject %q", len(found), subject)
	}
	return found[0]
}

// delivery is what the server must have put above the client's message.
type delivery struct {
	from string // the envelope's reverse-path, without brackets
	helo string // the name the client gave in EHLO or LHLO
	with string // the Received header's protocol: ESMTP, ESMTPSA, LMTP
	rcpt string // the recipient of this copy
	// submitted: the message went through the submission server, which
	// adds Date and Message-ID where the client sent none.
	submitted bool
}

var (
	receivedRE = regexp.MustCompile(`^Received: from (\S+) \(localhost \[127\.0\.0\.1\]\)\r\n\tby (\S+) with ([A-Z]+) id ([0-9A-F]{10})\r\n\tfor <([^>]+)>; ([^\r\n]+)\r\n`)
	dateRE     = regexp.MustCompile(`^Date: ([^\r\n]+)\r\n`)
	msgIDRE    = regexp.MustCompile(`^Message-ID: <\d{14}\.\d{9}\.\d+@(\S+)>\r\n`)
)

// recent reports whether an RFC 5322 date written as the lab writes it is
// within a few minutes of now.
func recent(t *testing.T, what, date string) {
	t.Helper()
	d, err := time.Parse("Mon, 2 Jan 2006 15:04:05 -0700 (MST)", date)
	if err != nil {
		t.Errorf("%s date %q: %v", what, date, err)
		return
	}
	if since := time.Since(d); since < -time.Minute || since > 5*time.Minute {
		t.Errorf("%s date %q is not now", what, date)
	}
}

// hasField reports whether a header has a field of that name.
func hasField(header []byte, name string) bool {
	for _, l := range strings.Split(string(header), "\r\n") {
		if k, _, ok := strings.Cut(l, ":"); ok && strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

// checkDelivered compares a message fetched back with the octets the
// client sent.
func checkDelivered(t *testing.T, got, sent []byte, d delivery) {
	t.Helper()
	rest, ok := bytes.CutPrefix(got, []byte("Return-Path: <"+d.from+">\r\n"))
	if !ok {
		t.Errorf("the message does not start with Return-Path: <%s>:\n%s", d.from, got)
		return
	}
	m := receivedRE.FindSubmatch(rest)
	if m == nil {
		t.Errorf("no Received header of the lab's form after Return-Path:\n%s", rest)
		return
	}
	// The submission server is the demo topology's MSA, the MTA of
	// port 25 and LMTP localhost.
	by := "localhost"
	if d.submitted {
		by = "smtp.example.org"
	}
	if string(m[1]) != d.helo || string(m[2]) != by || string(m[3]) != d.with || string(m[5]) != d.rcpt {
		t.Errorf("Received: from %s by %s with %s for <%s>, want from %s by %s with %s for <%s>", m[1], m[2], m[3], m[5], d.helo, by, d.with, d.rcpt)
	}
	recent(t, "Received", string(m[6]))
	rest = rest[len(m[0]):]
	end := bytes.Index(sent, []byte("\r\n\r\n")) + 2
	if end < 2 {
		t.Fatalf("the message sent has no header: %q", sent)
	}
	if !bytes.HasPrefix(rest, sent[:end]) {
		t.Errorf("the header differs from the one sent:\ngot  %q\nsent %q", rest, sent)
		return
	}
	rest = rest[end:]
	if d.submitted && !hasField(sent[:end], "Date") {
		m := dateRE.FindSubmatch(rest)
		if m == nil {
			t.Errorf("no Date: added at the end of the header: %q", rest)
			return
		}
		recent(t, "Date:", string(m[1]))
		rest = rest[len(m[0]):]
	}
	if d.submitted && !hasField(sent[:end], "Message-ID") {
		m := msgIDRE.FindSubmatch(rest)
		if m == nil || string(m[1]) != "smtp.example.org" {
			t.Errorf("no Message-ID: of smtp.example.org added at the end of the header: %q", rest)
			return
		}
		rest = rest[len(m[0]):]
	}
	if !bytes.Equal(rest, sent[end:]) {
		t.Errorf("the message differs from the one sent after its header:\ngot  %q\nsent %q", rest, sent[end:])
	}
}

// pythonCase is one line of smtp_check.py's output.
type pythonCase struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
	Sent   string `json:"sent"`
}

// Python's smtplib: send_message to the MTA, the LMTP class to the LMTP
// listener, starttls() and login() with PLAIN, LOGIN and CRAM-MD5 on the
// submission port, an 8-bit UTF-8 body, a non-ASCII sender address with
// SMTPUTF8, and a wrong password refused with 535.
func TestPythonSmtplib(t *testing.T) {
	l := startLab(t, smtpConfig(t))
	host, mta := hostPort(t, l.app.addr("smtp"))
	_, sub := hostPort(t, l.app.addr("submission"))
	_, lmtp := hostPort(t, l.app.addr("lmtp"))
	out, err := exec.Command("python3", "testdata/smtp_check.py", host, mta, sub, lmtp).CombinedOutput()
	if err != nil {
		t.Fatalf("smtp_check.py: %v\n%s", err, out)
	}
	cases := map[string]pythonCase{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var c pythonCase
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("smtp_check.py printed %q: %v", line, err)
		}
		cases[c.Name] = c
	}
	melanie, alex, mrose := l.inboxOf(t, "melanie"), l.inboxOf(t, "alex"), l.inboxOf(t, "mrose")
	for _, tc := range []struct {
		name  string
		inbox [][]byte
		d     delivery
	}{
		{"mta", melanie, delivery{"alex@example.org", "python-mta.example", "ESMTP", "melanie@example.org", false}},
		{"lmtp", mrose, delivery{"alex@example.org", "python-lmtp.example", "LMTP", "mrose@example.org", false}},
		{"plain", alex, delivery{"melanie@example.org", "python-plain.example", "ESMTPSA", "alex@example.org", true}},
		{"login", alex, delivery{"melanie@example.org", "python-login.example", "ESMTPSA", "alex@example.org", true}},
		{"cram-md5", alex, delivery{"melanie@example.org", "python-cram-md5.example", "ESMTPSA", "alex@example.org", true}},
		{"8bitmime", alex, delivery{"melanie@example.org", "python-plain.example", "ESMTPSA", "alex@example.org", true}},
		{"smtputf8", alex, delivery{"мелани@example.org", "python-plain.example", "ESMTPSA", "alex@example.org", true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, ok := cases[tc.name]
			if !ok || !c.OK {
				t.Fatalf("smtplib: %+v", c)
			}
			sent, err := base64.StdEncoding.DecodeString(c.Sent)
			if err != nil {
				t.Fatal(err)
			}
			checkDelivered(t, withSubject(t, tc.inbox, "python "+tc.name), sent, tc.d)
		})
	}
	if c := cases["wrong"]; !c.OK || c.Detail != "535 5.7.8 Error: authentication failed" {
		t.Errorf("a wrong password: %+v", c)
	}
	for _, mech := range []string{"PLAIN", "LOGIN", "CRAM-MD5"} {
		if !loginLogged(l.log.String(), "smtp", "melanie", mech) {
			t.Errorf("no SMTP login with %s logged:\n%s", mech, l.log)
		}
	}
	if !strings.Contains(string(withSubject(t, alex, "python 8bitmime")), "Привет! Письмо в UTF-8, восемь бит.") {
		t.Error("the 8-bit body did not arrive as UTF-8")
	}
}

// clientMessage is a message as the tests hand it to a client: it has no
// Date and no Message-ID, and a line starting with a dot.
func clientMessage(from, to, subject string) []byte {
	return []byte("From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\n\r\nSent by " + subject + ".\r\n.a line starting with a dot\r\n")
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// dataSent is the message a client's transcript shows it sent after the
// 354 reply, up to the final dot, with the transparency dots removed:
// lines after a line starting with the client's prefix and "DATA".
func dataSent(transcript string, prefixes ...string) []byte {
	var b bytes.Buffer
	in := false
	for _, l := range strings.Split(transcript, "\n") {
		l = strings.TrimRight(l, "\r")
		var text string
		var client bool
		for _, p := range prefixes {
			if s, ok := strings.CutPrefix(l, p); ok {
				text, client = s, true
			}
		}
		switch {
		case !client:
		case !in && text == "DATA":
			in = true
		case in && text == ".":
			return b.Bytes()
		case in:
			b.WriteString(strings.TrimPrefix(text, ".") + "\r\n")
		}
	}
	return nil
}

// swaks to the MTA, and to the submission port with STARTTLS and
// CRAM-MD5. swaks shows every line it sends; the message is read from
// that transcript.
func TestSwaks(t *testing.T) {
	l := startLab(t, smtpConfig(t))
	for _, tc := range []struct {
		name, flag string
		args       []string
		d          delivery
	}{
		{"mta", "smtp", []string{"--from", "alex@example.org", "--to", "melanie@example.org"},
			delivery{"alex@example.org", "swaks-mta.example", "ESMTP", "melanie@example.org", false}},
		{"submission", "submission", []string{"--from", "melanie@example.org", "--to", "alex@example.org",
			"--auth", "CRAM-MD5", "--auth-user", "melanie", "--auth-password", "toybox", "--tls"},
			delivery{"melanie@example.org", "swaks-submission.example", "ESMTPSA", "alex@example.org", true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			host, port := hostPort(t, l.app.addr(tc.flag))
			subject := "swaks " + tc.name
			msg := writeFile(t, "message.eml", clientMessage(tc.d.from, tc.d.rcpt, subject))
			args := append([]string{"--server", host, "--port", port, "--helo", "swaks-" + tc.name + ".example",
				"--timeout", "20", "--data", "@" + msg}, tc.args...)
			out, err := exec.Command("swaks", args...).CombinedOutput()
			if err != nil {
				t.Fatalf("swaks: %v\n%s", err, out)
			}
			sent := dataSent(string(out), " -> ", " ~> ")
			if sent == nil {
				t.Fatalf("no message in swaks's transcript:\n%s", out)
			}
			if tc.flag == "submission" && (!strings.Contains(string(out), " ~> AUTH CRAM-MD5") || !strings.Contains(string(out), "<~  235 2.7.0")) {
				t.Errorf("swaks did not log in with CRAM-MD5 over TLS:\n%s", out)
			}
			checkDelivered(t, withSubject(t, l.inboxOf(t, tc.d.rcpt), subject), sent, tc.d)
		})
	}
}

// msmtp, a sendmail replacement for a desktop, submits with the
// configuration a person would write: auth on, TLS by STARTTLS, the
// lab's self-signed certificate not checked. It is told not to add Date
// and Message-ID, so the submission server does.
func TestMsmtp(t *testing.T) {
	l := startLab(t, smtpConfig(t))
	host, port := hostPort(t, l.app.addr("submission"))
	logFile := filepath.Join(t.TempDir(), "msmtp.log")
	conf := writeFile(t, "msmtprc", []byte(strings.Join([]string{
		"account lab",
		"host " + host,
		"port " + port,
		"domain msmtp.example",
		"from melanie@example.org",
		"auth on",
		"user melanie",
		"password toybox",
		"tls on",
		"tls_starttls on",
		"tls_certcheck off",
		"set_date_header off",
		"set_msgid_header off",
		"timeout 20",
		"logfile " + logFile,
		"",
	}, "\n")))
	msg := clientMessage("melanie@example.org", "alex@example.org", "msmtp")
	cmd := exec.Command("msmtp", "-C", conf, "-a", "lab", "alex@example.org")
	cmd.Stdin = bytes.NewReader(msg)
	if out, err := cmd.CombinedOutput(); err != nil {
		log, _ := os.ReadFile(logFile)
		t.Fatalf("msmtp: %v\n%s\n%s", err, out, log)
	}
	checkDelivered(t, withSubject(t, l.inboxOf(t, "alex"), "msmtp"), msg,
		delivery{"melanie@example.org", "msmtp.example", "ESMTPSA", "alex@example.org", true})
	if !regexp.MustCompile(`msg="smtp login" [^\n]*user=melanie `).MatchString(l.log.String()) {
		t.Errorf("no SMTP login of melanie logged:\n%s", l.log)
	}
}

// curl's SMTP client uploads a file to the MTA, and to the submission
// port over STARTTLS (--ssl-reqd) with a login.
func TestCurlSMTP(t *testing.T) {
	l := startLab(t, smtpConfig(t))
	mta := clientMessage("alex@example.org", "melanie@example.org", "curl mta")
	curl(t, "smtp://"+l.app.addr("smtp")+"/curl-mta.example", "--mail-from", "alex@example.org",
		"--mail-rcpt", "melanie@example.org", "--upload-file", writeFile(t, "mta.eml", mta))
	checkDelivered(t, withSubject(t, l.inboxOf(t, "melanie"), "curl mta"), mta,
		delivery{"alex@example.org", "curl-mta.example", "ESMTP", "melanie@example.org", false})

	sub := clientMessage("melanie@example.org", "alex@example.org", "curl submission")
	curl(t, "smtp://"+l.app.addr("submission")+"/curl-submission.example", "--ssl-reqd", "-k", "--user", "melanie:toybox",
		"--mail-from", "melanie@example.org", "--mail-rcpt", "alex@example.org", "--upload-file", writeFile(t, "sub.eml", sub))
	checkDelivered(t, withSubject(t, l.inboxOf(t, "alex"), "curl submission"), sub,
		delivery{"melanie@example.org", "curl-submission.example", "ESMTPSA", "alex@example.org", true})

	// Without a login the submission server takes no mail: curl's exit
	// status 55 is "failed sending network data", its word for the 530.
	cmd := exec.Command("curl", "--silent", "--max-time", "20", "smtp://"+l.app.addr("submission")+"/curl.example", "--ssl-reqd", "-k",
		"--mail-from", "melanie@example.org", "--mail-rcpt", "alex@example.org", "--upload-file", writeFile(t, "anon.eml", sub))
	var exit *exec.ExitError
	if err := cmd.Run(); !errors.As(err, &exit) {
		t.Errorf("curl without a login: %v, want a failure", err)
	}
	if !strings.Contains(l.log.String(), "msg=\"smtp login\"") {
		t.Errorf("no SMTP login logged:\n%s", l.log)
	}
}

// go-smtp's client: SendMail after STARTTLS and AUTH PLAIN on the
// submission port, and over implicit TLS (RFC 8314), and its LMTP mode,
// which reads one reply per recipient.
func TestGoSMTPClient(t *testing.T) {
	l := startLab(t, smtpConfig(t))
	t.Run("submission", func(t *testing.T) {
		conn, err := net.Dial("tcp", l.app.addr("submission"))
		if err != nil {
			t.Fatal(err)
		}
		// go-smtp introduces itself as localhost when it starts TLS.
		c, err := smtp.NewClientStartTLS(conn, &tls.Config{InsecureSkipVerify: true})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if ok, mechs := c.Extension("AUTH"); !ok || !strings.Contains(mechs, "PLAIN") {
			t.Fatalf("AUTH after STARTTLS: %v %q", ok, mechs)
		}
		if err := c.Auth(sasl.NewPlainClient("", "melanie", "wrong")); err == nil {
			t.Fatal("a wrong password was accepted")
		} else if se := (*smtp.SMTPError)(nil); !errors.As(err, &se) || se.Code != 535 {
			t.Errorf("a wrong password: %v, want 535", err)
		}
		if err := c.Auth(sasl.NewPlainClient("", "melanie", "toybox")); err != nil {
			t.Fatal(err)
		}
		msg := clientMessage("melanie@example.org", "alex@example.org", "go-smtp")
		if err := c.SendMail("melanie@example.org", []string{"alex@example.org"}, bytes.NewReader(msg)); err != nil {
			t.Fatal(err)
		}
		if err := c.Quit(); err != nil {
			t.Errorf("QUIT: %v", err)
		}
		checkDelivered(t, withSubject(t, l.inboxOf(t, "alex"), "go-smtp"), msg,
			delivery{"melanie@example.org", "localhost", "ESMTPSA", "alex@example.org", true})
	})
	t.Run("smtps", func(t *testing.T) {
		c, err := smtp.DialTLS(l.app.addr("smtps"), &tls.Config{InsecureSkipVerify: true})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.Auth(sasl.NewPlainClient("", "alex", "drums")); err != nil {
			t.Fatal(err)
		}
		msg := clientMessage("alex@example.org", "melanie@example.org", "go-smtp smtps")
		if err := c.SendMail("alex@example.org", []string{"melanie@example.org"}, bytes.NewReader(msg)); err != nil {
			t.Fatal(err)
		}
		if err := c.Quit(); err != nil {
			t.Errorf("QUIT: %v", err)
		}
		checkDelivered(t, withSubject(t, l.inboxOf(t, "melanie"), "go-smtp smtps"), msg,
			delivery{"alex@example.org", "localhost", "ESMTPSA", "melanie@example.org", true})
	})
	t.Run("lmtp", func(t *testing.T) {
		conn, err := net.Dial("tcp", l.app.addr("lmtp"))
		if err != nil {
			t.Fatal(err)
		}
		c := smtp.NewClientLMTP(conn)
		defer c.Close()
		if err := c.Hello("go-lmtp.example"); err != nil {
			t.Fatal(err)
		}
		if err := c.Mail("alex@example.org", nil); err != nil {
			t.Fatal(err)
		}
		for _, to := range []string{"melanie@example.org", "mrose@localhost"} {
			if err := c.Rcpt(to, nil); err != nil {
				t.Fatal(err)
			}
		}
		if err := c.Rcpt("nobody@example.org", nil); err == nil {
			t.Error("RCPT of an unknown user was accepted")
		}
		w, err := c.Data()
		if err != nil {
			t.Fatal(err)
		}
		msg := clientMessage("alex@example.org", "melanie@example.org, mrose@localhost", "go-smtp lmtp")
		w.Write(msg)
		replies, err := w.CloseWithLMTPResponse()
		if err != nil {
			t.Fatal(err)
		}
		if len(replies) != 2 || !strings.Contains(replies["melanie@example.org"].StatusText, "<melanie@example.org> Ok: delivered") ||
			!strings.Contains(replies["mrose@localhost"].StatusText, "<mrose@localhost> Ok: delivered") {
			t.Errorf("LMTP replies %+v", replies)
		}
		if err := c.Quit(); err != nil {
			t.Errorf("QUIT: %v", err)
		}
		checkDelivered(t, withSubject(t, l.inboxOf(t, "melanie"), "go-smtp lmtp"), msg,
			delivery{"alex@example.org", "go-lmtp.example", "LMTP", "melanie@example.org", false})
		checkDelivered(t, withSubject(t, l.inboxOf(t, "mrose"), "go-smtp lmtp"), msg,
			delivery{"alex@example.org", "go-lmtp.example", "LMTP", "mrose@localhost", false})
	})
}
