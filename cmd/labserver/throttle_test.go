package main

import (
	"bufio"
	"encoding/base64"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// dialFrom connects to addr from the loopback address from ("127.0.0.2":
// Linux's loopback answers for all of 127.0.0.0/8).
func dialFrom(t testing.TB, from, addr string) *client {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial %s from %s: %v", addr, from, err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(20 * time.Second))
	return &client{t: t, c: c, br: bufio.NewReader(c)}
}

// hungUp reports whether the server ends the connection within 10
// seconds, whatever it says first.
func (c *client) hungUp() bool {
	c.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err := io.Copy(io.Discard, c.br)
	return err == nil || !isTimeout(err)
}

// Each failed login waits before its answer, longer for an address that
// keeps failing, and the connection closes after -auth-failures of them:
// in POP3, IMAP and SMTP AUTH alike. Another address and another user
// start again from the shortest wait; the log names the throttling but
// never the password.
func TestFailedLoginsThrottled(t *testing.T) {
	const delay = 10 * time.Millisecond
	l := startLab(t, testConfig(t, "-imap", "127.0.0.1:0", "-submission", "127.0.0.1:0",
		"-auth-delay", delay.String(), "-auth-failures", "3"))
	plain := base64.StdEncoding.EncodeToString([]byte("\x00melanie\x00guess3"))
	cases := []struct {
		name, flag, greeting string
		fail                 []string // commands, each answered by a failure
		refused, closing     string   // the failure's answer; the last one's
	}{
		{"pop3", "pop3", "+OK", []string{"USER melanie", "PASS guess1", "USER melanie", "PASS guess2", "AUTH PLAIN " + plain},
			"-ERR [AUTH]", "-ERR [AUTH] too many failed logins"},
		{"imap", "imap", "* OK", []string{"a1 LOGIN melanie guess1", "a2 LOGIN melanie guess2", "a3 AUTHENTICATE PLAIN " + plain},
			"a", "* BYE Too many failed logins"},
		{"smtp", "submission", "220", []string{"EHLO client.example", "AUTH PLAIN " + plain, "AUTH PLAIN " + plain, "AUTH PLAIN " + plain},
			"535", "421"},
	}
	for _, tc := range cases {
		c := dial(t, l.app.addr(tc.flag))
		c.expect(tc.greeting)
		start := time.Now()
		var answers []string
		for _, cmd := range tc.fail {
			answers = append(answers, c.cmd(cmd))
			if strings.HasPrefix(cmd, "EHLO") {
				for !strings.HasPrefix(answers[len(answers)-1], "250 ") {
					answers = append(answers, c.line())
				}
			}
		}
		if took := time.Since(start); took < 3*delay {
			t.Errorf("%s: three failed logins answered in %v, under 3 × %v", tc.name, took, delay)
		}
		last := answers[len(answers)-1]
		if tc.name == "imap" {
			if !strings.HasPrefix(last, "a3 NO [AUTHENTICATIONFAILED]") {
				t.Errorf("imap: third failure answered %q", last)
			}
			last = c.line()
		}
		if !strings.HasPrefix(last, tc.closing) && !strings.HasPrefix(c.line(), tc.closing) {
			t.Errorf("%s: after three failed logins %q, want %q; answers %q", tc.name, last, tc.closing, answers)
		}
		if !c.hungUp() {
			t.Errorf("%s: the connection stays open after three failed logins", tc.name)
		}
	}
	log := l.log.String()
	// 127.0.0.1 failed nine times: the wait grew to its bound.
	if !strings.Contains(log, "failures=9") || !strings.Contains(log, "delay="+(8*delay).String()) {
		t.Errorf("the throttle did not grow with the failures from one address:\n%s", log)
	}
	// Another address, another user: the shortest wait again; a right
	// password: no wait at all.
	c := dialFrom(t, "127.0.0.2", l.pop3Addr())
	c.expect("+OK")
	c.cmd("USER alex")
	if got := c.cmd("PASS wrong"); !strings.HasPrefix(got, "-ERR [AUTH]") {
		t.Fatalf("PASS wrong: %q", got)
	}
	c.cmd("USER alex")
	if got := c.cmd("PASS drums"); !strings.HasPrefix(got, "+OK") {
		t.Fatalf("alex's login from 127.0.0.2: %q", got)
	}
	log = l.log.String()
	if !strings.Contains(log, "user=alex failures=1 delay="+delay.String()) {
		t.Errorf("alex's first failure from 127.0.0.2 is not throttled as a first one:\n%s", log)
	}
	if strings.Count(log, "login throttled") != 10 {
		t.Errorf("%d throttled logins logged, want 10:\n%s", strings.Count(log, "login throttled"), log)
	}
	for _, secret := range []string{"guess1", "guess2", "guess3", plain, "wrong", "drums"} {
		if strings.Contains(log, secret) {
			t.Errorf("the log shows the password %q", secret)
		}
	}
}

// Silent connections from one address fill only that address's share:
// over -max-conns-per-ip (counted over every listener) it is refused in
// the protocol's words, another address still logs in, and the silent
// ones, TLS handshakes never made among them, are closed at
// -login-timeout while a logged-in session stays.
func TestSilentConnectionsCannotLockOut(t *testing.T) {
	const timeout = time.Second
	l := startLab(t, testConfig(t, "-imap", "127.0.0.1:0", "-imaps", "127.0.0.1:0",
		"-max-conns-per-ip", "3", "-login-timeout", timeout.String()))
	var silent []*client
	for range 2 {
		c := dial(t, l.app.addr("imap"))
		c.expect("* OK")
		silent = append(silent, c)
	}
	silent = append(silent, dial(t, l.app.addr("imaps"))) // no handshake
	// The three are being served before the fourth comes.
	for deadline := time.Now().Add(10 * time.Second); strings.Count(l.log.String(), "msg=connect") < 3; {
		if time.Now().After(deadline) {
			t.Fatalf("three connections not served:\n%s", l.log)
		}
		time.Sleep(5 * time.Millisecond)
	}
	over := dial(t, l.app.addr("imap"))
	if got := over.line(); !strings.HasPrefix(got, "* BYE Too many connections") {
		t.Fatalf("a fourth connection from 127.0.0.1: %q, want * BYE", got)
	}

	other := dialFrom(t, "127.0.0.2", l.app.addr("imap"))
	start := time.Now()
	other.expect("* OK")
	if got := other.cmd("a1 LOGIN melanie toybox"); !strings.HasPrefix(got, "a1 OK") {
		t.Fatalf("LOGIN from 127.0.0.2: %q", got)
	}
	for i, c := range silent {
		if !c.hungUp() {
			t.Errorf("silent connection %d is still open after the login timeout", i)
		}
	}
	time.Sleep(time.Until(start.Add(timeout + timeout/2)))
	if got := other.cmd("a2 NOOP"); !strings.HasPrefix(got, "a2 OK") {
		t.Errorf("the logged-in session after the login timeout: %q", got)
	}
	if n := strings.Count(l.log.String(), "reason=\"login timeout: no login in time\""); n != 3 {
		t.Errorf("%d sessions ended by the login timeout, want 3:\n%s", n, l.log)
	}
	// Their places are free again.
	again := dial(t, l.app.addr("imap"))
	again.expect("* OK")
}
