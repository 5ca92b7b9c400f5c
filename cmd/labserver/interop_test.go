package main

import (
	"fmt"
	"net"
	"os/exec"
	"strings"
	"testing"
)

// mailboxSize is the number of messages in user's INBOX.
func (l *lab) mailboxSize(t testing.TB, user string) int {
	t.Helper()
	u, ok := l.app.srv.Store.User(user)
	if !ok {
		t.Fatalf("no user %s", user)
	}
	mb, err := u.Mailbox("INBOX")
	if err != nil {
		t.Fatal(err)
	}
	return len(mb.Messages())
}

func hostPort(t testing.TB, addr string) (string, string) {
	t.Helper()
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	return h, p
}

// Python's poplib logs in, lists, retrieves every message (checking each
// size against LIST), reads UIDL and CAPA, deletes one and quits: plain, after
// STLS, and over implicit TLS.
func TestPythonPoplib(t *testing.T) {
	l := startLab(t, testConfig(t))
	for _, tc := range []struct{ mode, addr, user, pass string }{
		{"plain", l.pop3Addr(), "melanie", "toybox"},
		{"stls", l.pop3Addr(), "alex", "drums"},
		{"pop3s", l.pop3sAddr(), "smith", "sesame"},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			before := l.mailboxSize(t, tc.user)
			host, port := hostPort(t, tc.addr)
			out, err := exec.Command("python3", "testdata/poplib_check.py", tc.mode, host, port, tc.user, tc.pass).CombinedOutput()
			if err != nil {
				t.Fatalf("poplib: %v\n%s", err, out)
			}
			text := string(out)
			for _, want := range []string{
				"capa: ", "RESP-CODES", "UIDL",
				fmt.Sprintf("list: %d messages", before),
				fmt.Sprintf("uidl: %d ids", before),
				fmt.Sprintf("stat after dele: %d", before-1),
				"quit: +OK",
			} {
				if !strings.Contains(text, want) {
					t.Errorf("poplib output lacks %q:\n%s", want, text)
				}
			}
			if tc.mode == "plain" && !strings.Contains(text, "STLS") {
				t.Errorf("CAPA does not offer STLS on the plain listener:\n%s", text)
			}
			if tc.mode == "stls" && strings.Contains(strings.SplitN(text, "capa after stls:", 2)[1], "STLS") {
				t.Errorf("STLS is still offered after STLS:\n%s", text)
			}
			if after := l.mailboxSize(t, tc.user); after != before-1 {
				t.Errorf("%s's INBOX has %d messages after DELE 1 and QUIT, want %d", tc.user, after, before-1)
			}
		})
	}
}

func curl(t *testing.T, args ...string) string {
	t.Helper()
	args = append([]string{"--silent", "--show-error", "--max-time", "20"}, args...)
	out, err := exec.Command("curl", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("curl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// curl's POP3 client: a listing, a message, both after STLS, and over
// implicit TLS.
func TestCurl(t *testing.T) {
	l := startLab(t, testConfig(t))
	n := l.mailboxSize(t, "melanie")
	u, _ := l.app.srv.Store.User("melanie")
	mb, _ := u.Mailbox("INBOX")
	first := string(mb.Messages()[0].Raw())
	firstLine := strings.SplitN(first, "\n", 2)[0]
	firstLine = strings.TrimSuffix(firstLine, "\r")

	check := func(t *testing.T, list, retr string) {
		if lines := strings.Count(strings.TrimSpace(list), "\n") + 1; lines != n {
			t.Errorf("curl listing has %d lines, want %d:\n%s", lines, n, list)
		}
		if !strings.HasPrefix(list, "1 ") {
			t.Errorf("curl listing does not start with message 1:\n%s", list)
		}
		if !strings.Contains(retr, firstLine) {
			t.Errorf("curl RETR 1 lacks %q:\n%s", firstLine, retr)
		}
	}
	plain := "pop3://melanie:toybox@" + l.pop3Addr() + "/"
	t.Run("plain", func(t *testing.T) {
		check(t, curl(t, plain), curl(t, plain+"1"))
	})
	t.Run("stls", func(t *testing.T) {
		check(t, curl(t, "--ssl-reqd", "-k", plain), curl(t, "--ssl-reqd", "-k", plain+"1"))
	})
	t.Run("pop3s", func(t *testing.T) {
		secure := "pop3s://melanie:toybox@" + l.pop3sAddr() + "/"
		check(t, curl(t, "-k", secure), curl(t, "-k", secure+"1"))
	})
	// Two STLS sessions and two implicit-TLS sessions.
	if tlsOn := strings.Count(l.log.String(), "msg=tls "); tlsOn != 4 {
		t.Errorf("%d TLS handshakes logged, want 4:\n%s", tlsOn, l.log)
	}
	if got := l.mailboxSize(t, "melanie"); got != n {
		t.Errorf("curl's reads changed the maildrop: %d messages, want %d", got, n)
	}
}
