//go:build !js && !wasip1

package smtpref

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"testing"
)

// expect checks one reply's code, enhanced code and text.
func expect(t *testing.T, what string, r Reply, code int, enhanced, text string) {
	t.Helper()
	if r.Code != code || r.Enhanced != enhanced || !strings.Contains(strings.Join(r.Lines, "\n"), text) {
		t.Errorf("%s: got %q, want %d %s …%s…", what, r.String(), code, enhanced, text)
	}
}

func last(rs []Reply) Reply {
	if len(rs) == 0 {
		return Reply{}
	}
	return rs[len(rs)-1]
}

// TestPostfixBasicSession is RFC 5321's basic session, and the message
// it delivers, read back from the Maildir.
func TestPostfixBasicSession(t *testing.T) {
	pf := StartPostfix(t, Options{HeloRequired: true})
	t.Logf("Postfix started in %v", pf.StartTime)
	rs := Dialogue(t, pf.Addr, []string{
		"EHLO client.example.org",
		"MAIL FROM:<alex@example.org>",
		"RCPT TO:<melanie@example.org>",
		"DATA",
		"From: Alex <alex@example.org>",
		"To: Melanie <melanie@example.org>",
		"Subject: rehearsal",
		"",
		"..see you at eight",
		".",
		"QUIT",
	})
	if got, want := Codes(rs), []int{220, 250, 250, 250, 354, 250, 221}; !slices.Equal(got, want) {
		t.Fatalf("codes %v, want %v: %v", got, want, rs)
	}
	expect(t, "greeting", rs[0], 220, "", "mail.example.org ESMTP Postfix")
	expect(t, "MAIL", rs[2], 250, "2.1.0", "Ok")
	expect(t, "RCPT", rs[3], 250, "2.1.5", "Ok")
	expect(t, "DATA", rs[4], 354, "", "End data with <CR><LF>.<CR><LF>")
	expect(t, "end of data", rs[5], 250, "2.0.0", "Ok: queued as ")
	expect(t, "QUIT", rs[6], 221, "2.0.0", "Bye")

	ehlo := rs[1].Lines
	if ehlo[0] != "mail.example.org" {
		t.Errorf("EHLO greets with %q", ehlo[0])
	}
	for _, kw := range []string{"PIPELINING", "SIZE 10240000", "ETRN", "ENHANCEDSTATUSCODES", "8BITMIME", "DSN", "SMTPUTF8", "CHUNKING"} {
		if !slices.Contains(ehlo, kw) {
			t.Errorf("EHLO keywords %q lack %s", ehlo, kw)
		}
	}
	if slices.Contains(ehlo, "VRFY") {
		t.Errorf("EHLO offers VRFY, which is disabled: %q", ehlo)
	}

	msg := pf.WaitMessages(t, "melanie", 1)[0]
	if !bytes.HasPrefix(msg, []byte("Return-Path: <alex@example.org>\n")) {
		t.Errorf("the message does not start with its Return-Path:\n%s", msg)
	}
	for _, want := range []string{
		"\nReceived: from client.example.org (localhost [127.0.0.1])\n\tby mail.example.org (Postfix) with ESMTP id ",
		"\tfor <melanie@example.org>; ",
		"\nDelivered-To: melanie@example.org\n",
		"\nSubject: rehearsal\n",
		"\n\n.see you at eight\n",
	} {
		if !bytes.Contains(msg, []byte(want)) {
			t.Errorf("the delivered message lacks %q:\n%s", want, msg)
		}
	}
	if msgs, _ := pf.Messages("alex"); len(msgs) != 0 {
		t.Errorf("alex got %d messages", len(msgs))
	}
}

// TestPostfixRefusals: the answers to mistakes, each in a session of its
// own, against an instance with small limits.
func TestPostfixRefusals(t *testing.T) {
	pf := StartPostfix(t, Options{HeloRequired: true, MessageSizeLimit: 10000, RecipientLimit: 2})
	const from, to = "MAIL FROM:<alex@example.org>", "RCPT TO:<melanie@example.org>"
	tests := []struct {
		name     string
		lines    []string
		code     int
		enhanced string
		text     string
	}{
		{"unknown user", []string{ehlo, from, "RCPT TO:<nobody@example.org>"}, 550, "5.1.1", "<nobody@example.org>: Recipient address rejected: User unknown in local recipient table"},
		{"relay", []string{ehlo, from, "RCPT TO:<someone@example.com>"}, 554, "5.7.1", "<someone@example.com>: Relay access denied"},
		{"MAIL before EHLO", []string{from}, 503, "5.5.1", "Error: send HELO/EHLO first"},
		{"RCPT before MAIL", []string{ehlo, to}, 503, "5.5.1", "Error: need MAIL command"},
		{"DATA before MAIL", []string{ehlo, "DATA", "x", "."}, 503, "5.5.1", "Error: need RCPT command"},
		{"DATA before RCPT", []string{ehlo, from, "DATA", "x", "."}, 554, "5.5.1", "Error: no valid recipients"},
		{"nested MAIL", []string{ehlo, from, from}, 503, "5.5.1", "Error: nested MAIL command"},
		{"VRFY disabled", []string{ehlo, "VRFY melanie"}, 502, "5.5.1", "VRFY command is disabled"},
		{"EXPN", []string{ehlo, "EXPN melanie"}, 500, "5.5.2", "Error: command not recognized"},
		{"SEND", []string{ehlo, "SEND FROM:<alex@example.org>"}, 500, "5.5.2", "Error: command not recognized"},
		{"SOML", []string{ehlo, "SOML FROM:<alex@example.org>"}, 500, "5.5.2", "Error: command not recognized"},
		{"SAML", []string{ehlo, "SAML FROM:<alex@example.org>"}, 500, "5.5.2", "Error: command not recognized"},
		{"TURN", []string{ehlo, "TURN"}, 500, "5.5.2", "Error: command not recognized"},
		{"HELP", []string{ehlo, "HELP"}, 500, "5.5.2", "Error: command not recognized"},
		{"AUTH not offered", []string{ehlo, "AUTH PLAIN AG1lbGFuaWUAdG95Ym94"}, 503, "5.5.1", "Error: authentication not enabled"},
		{"SIZE over the limit", []string{ehlo, from + " SIZE=10001"}, 552, "5.3.4", "Message size exceeds fixed limit"},
		{"message over the limit", append([]string{ehlo, from, to, "DATA"}, append(repeat(strings.Repeat("x", 998), 11), ".")...), 552, "5.3.4", "Error: message file too big"},
		{"unknown parameter", []string{ehlo, from + " FOO=bar"}, 555, "5.5.4", "Unsupported option: FOO=bar"},
		{"too many recipients", []string{ehlo, from, to, "RCPT TO:<alex@example.org>", to}, 452, "4.5.3", "Error: too many recipients"},
		{"RSET with an argument", []string{ehlo, "RSET x"}, 501, "5.5.4", "Syntax: RSET"},
		// Accepted, though RFC 5321 would allow refusing them.
		{"1001-octet command line", []string{ehlo, "NOOP " + strings.Repeat("x", 994)}, 250, "2.0.0", "Ok"},
		{"null reverse-path", []string{ehlo, "MAIL FROM:<>"}, 250, "2.1.0", "Ok"},
		{"source route", []string{ehlo, from, "RCPT TO:<@one,@two:melanie@example.org>"}, 250, "2.1.5", "Ok"},
		{"space after the colon", []string{ehlo, "MAIL FROM: <alex@example.org>"}, 250, "2.1.0", "Ok"},
		{"lower case", []string{"ehlo client.example.org", "mail from:<alex@example.org>", "rcpt to:<melanie@example.org>"}, 250, "2.1.5", "Ok"},
		{"NOOP with an argument", []string{ehlo, "NOOP x"}, 250, "2.0.0", "Ok"},
	}
	for _, tc := range tests {
		expect(t, tc.name, last(Dialogue(t, pf.Addr, tc.lines)), tc.code, tc.enhanced, tc.text)
	}
}

// TestPostfixErrorLimitsRaised: the harness lets a dialogue make many
// mistakes; Postfix's defaults would hang up after 20.
func TestPostfixErrorLimitsRaised(t *testing.T) {
	pf := StartPostfix(t, Options{})
	rs := Dialogue(t, pf.Addr, append(repeat("XYZZY", 30), "NOOP"))
	if len(rs) != 32 {
		t.Fatalf("%d replies to 31 commands: %v", len(rs)-1, rs)
	}
	expect(t, "30th error", rs[30], 500, "5.5.2", "Error: command not recognized")
	expect(t, "NOOP after 30 errors", rs[31], 250, "2.0.0", "Ok")

	defaults := maps.Clone(PostfixDefaults)
	defaults["smtpd_error_sleep_time"] = "0" // or the replies after the 10th error come a second late each
	pf = StartPostfix(t, Options{Main: defaults})
	rs = Dialogue(t, pf.Addr, append(repeat("XYZZY", 21), "NOOP"))
	expect(t, "21st error, Postfix's defaults", last(rs), 421, "4.7.0", "mail.example.org Error: too many errors")
	rs = Dialogue(t, pf.Addr, []string{ehlo, "MAIL FROM:<alex@example.org>", "RCPT TO:<x@example.com>"})
	expect(t, "relay, Postfix's default restriction", last(rs), 454, "4.7.1", "Relay access denied")
}

// TestPostfixVRFY: with VRFY enabled, and HELO not required.
func TestPostfixVRFY(t *testing.T) {
	pf := StartPostfix(t, Options{VRFY: true})
	rs := Dialogue(t, pf.Addr, []string{"VRFY melanie", "VRFY nobody", ehlo, "MAIL FROM:<alex@example.org>"})
	expect(t, "VRFY melanie", rs[1], 252, "2.0.0", "melanie")
	expect(t, "VRFY nobody", rs[2], 550, "5.1.1", "<nobody>: Recipient address rejected: User unknown in local recipient table")
	if !slices.Contains(rs[3].Lines, "VRFY") {
		t.Errorf("EHLO does not offer VRFY: %q", rs[3].Lines)
	}
	if rs := Dialogue(t, pf.Addr, []string{"MAIL FROM:<alex@example.org>"}); last(rs).Code != 250 {
		t.Errorf("MAIL before EHLO, HELO not required: %v", last(rs))
	}
}

// TestPostfixOtherDomain: the domain, host name and users come from the
// options, and two instances run side by side without seeing each other.
func TestPostfixOtherDomain(t *testing.T) {
	org := StartPostfix(t, Options{})
	net := StartPostfix(t, Options{Domain: "example.net", Users: []User{{Name: "bob", Password: "secret"}}})
	rs := Dialogue(t, net.Addr, []string{"EHLO client.example.org", "MAIL FROM:<alex@example.org>",
		"RCPT TO:<melanie@example.org>", "RCPT TO:<bob@example.net>", "DATA", "Subject: hi", "", "hi", ".", "QUIT"})
	expect(t, "greeting", rs[0], 220, "", "mail.example.net ESMTP Postfix")
	expect(t, "RCPT melanie@example.org", rs[3], 554, "5.7.1", "Relay access denied")
	expect(t, "RCPT bob@example.net", rs[4], 250, "2.1.5", "Ok")
	msg := net.WaitMessages(t, "bob", 1)[0]
	if !bytes.Contains(msg, []byte("by mail.example.net (Postfix)")) {
		t.Errorf("bob's message:\n%s", msg)
	}
	if msgs, _ := org.Messages("melanie"); len(msgs) != 0 {
		t.Errorf("the other instance delivered %d messages", len(msgs))
	}
}

// TestPostfixPipelining sends a group of commands in one write, as RFC
// 2920 allows, and reads the replies after.
func TestPostfixPipelining(t *testing.T) {
	pf := StartPostfix(t, Options{})
	c := Dial(t, pf.Addr)
	if err := c.Send(ehlo, "MAIL FROM:<alex@example.org>", "RCPT TO:<nobody@example.org>", "RCPT TO:<melanie@example.org>", "DATA"); err != nil {
		t.Fatal(err)
	}
	rs, err := c.ReadReplies(5)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := Codes(rs), []int{250, 250, 550, 250, 354}; !slices.Equal(got, want) {
		t.Fatalf("codes %v, want %v: %v", got, want, rs)
	}
	if err := c.SendMessage("Subject: pipelined", "", "body", ".", "QUIT"); err != nil {
		t.Fatal(err)
	}
	if rs, err := c.ReadReplies(2); err != nil || !slices.Equal(Codes(rs), []int{250, 221}) {
		t.Fatalf("after the message: %v, %v", rs, err)
	}
	pf.WaitMessages(t, "melanie", 1)
}

// TestPostfixSubmission: AUTH through Dovecot, relaying for
// authenticated clients only.
func TestPostfixSubmission(t *testing.T) {
	pf := StartPostfix(t, Options{Submission: true})
	t.Logf("Postfix with submission started in %v", pf.StartTime)
	rs := Dialogue(t, pf.SubmissionAddr, []string{ehlo,
		"MAIL FROM:<melanie@example.org>", "RCPT TO:<alex@example.org>", "RSET",
		"AUTH PLAIN AG1lbGFuaWUAdG95Ym94", // melanie, toybox
		"MAIL FROM:<melanie@example.org>", "RCPT TO:<alex@example.org>", "RCPT TO:<someone@example.com>", "QUIT"})
	if !slices.Contains(rs[1].Lines, "AUTH PLAIN LOGIN") {
		t.Errorf("EHLO does not offer AUTH: %q", rs[1].Lines)
	}
	expect(t, "RCPT before AUTH", rs[3], 554, "5.7.1", "Client host rejected: Access denied")
	expect(t, "AUTH PLAIN", rs[5], 235, "2.7.0", "Authentication successful")
	expect(t, "RCPT after AUTH", rs[7], 250, "2.1.5", "Ok")
	expect(t, "relaying after AUTH", rs[8], 250, "2.1.5", "Ok")
	rs = Dialogue(t, pf.SubmissionAddr, []string{ehlo, "AUTH LOGIN", "YWxleA==", "d3Jvbmc="}) // alex, wrong
	expect(t, "AUTH LOGIN, wrong password", last(rs), 535, "5.7.8", "Error: authentication failed")
	if slices.ContainsFunc(Dialogue(t, pf.Addr, []string{ehlo})[1].Lines, func(l string) bool { return strings.HasPrefix(l, "AUTH") }) {
		t.Error("port 25's smtpd offers AUTH too")
	}
}

// TestLMTP: Dovecot answers the end of the data once per accepted
// recipient and delivers to each Maildir.
func TestLMTP(t *testing.T) {
	lm := StartLMTP(t, Options{})
	t.Logf("Dovecot LMTP started in %v", lm.StartTime)
	rs := Dialogue(t, lm.Addr, []string{
		"LHLO client.example.org",
		"MAIL FROM:<alex@example.org>",
		"RCPT TO:<melanie@example.org>",
		"RCPT TO:<nobody@example.org>",
		"RCPT TO:<alex@example.org>",
		"DATA", "Subject: both", "", "hello", ".",
		"QUIT",
	})
	if got, want := Codes(rs), []int{220, 250, 250, 250, 550, 250, 354, 250, 250, 221}; !slices.Equal(got, want) {
		t.Fatalf("codes %v, want %v: %v", got, want, rs)
	}
	expect(t, "greeting", rs[0], 220, "", "mail.example.org Dovecot (Debian) ready.")
	expect(t, "unknown user", rs[4], 550, "5.1.1", "<nobody@example.org> User doesn't exist: nobody@example.org")
	expect(t, "melanie's delivery", rs[7], 250, "2.0.0", "<melanie@example.org> ")
	expect(t, "alex's delivery", rs[8], 250, "2.0.0", "<alex@example.org> ")
	for _, user := range []string{"melanie", "alex"} {
		msg := lm.WaitMessages(t, user, 1)[0]
		if !bytes.HasPrefix(msg, []byte("Return-Path: <alex@example.org>\nReceived: from client.example.org ([127.0.0.1])\n\tby mail.example.org with LMTP\n")) ||
			!bytes.HasSuffix(msg, []byte("\nSubject: both\n\nhello\n")) {
			t.Errorf("%s's message:\n%s", user, msg)
		}
	}
}
