//go:build !js && !wasip1

package smtpref

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"testing"
)

// TestReadReply parses replies as a server writes them.
func TestReadReply(t *testing.T) {
	tests := []struct {
		wire  string
		want  Reply
		again string // the reply as String gives it, if not the wire form
	}{
		{"250-mail.example.org\r\n250-PIPELINING\r\n250 SIZE 100\r\n", Reply{250, "", []string{"mail.example.org", "PIPELINING", "SIZE 100"}}, ""},
		{"550 5.1.1 <x@example.org>: User unknown\r\n", Reply{550, "5.1.1", []string{"<x@example.org>: User unknown"}}, ""},
		{"250-2.0.0 first\r\n250 2.0.0 second\r\n", Reply{250, "2.0.0", []string{"first", "second"}}, ""},
		{"354 End data with <CR><LF>.<CR><LF>\r\n", Reply{354, "", []string{"End data with <CR><LF>.<CR><LF>"}}, ""},
		{"250 2.0.0\r\n", Reply{250, "2.0.0", []string{""}}, ""},
		{"334 \r\n", Reply{334, "", []string{""}}, ""},
		{"221\r\n", Reply{221, "", []string{""}}, "221 "},
		{"220 bare LF\n", Reply{220, "", []string{"bare LF"}}, "220 bare LF"},
		{"250 2.1.5x not a code\r\n", Reply{250, "", []string{"2.1.5x not a code"}}, ""},
	}
	for _, tc := range tests {
		c := fakeConn(t, tc.wire)
		got, err := c.ReadReply()
		if err != nil || got.Code != tc.want.Code || got.Enhanced != tc.want.Enhanced || !slices.Equal(got.Lines, tc.want.Lines) {
			t.Errorf("%q: got %#v, %v; want %#v", tc.wire, got, err, tc.want)
			continue
		}
		again := tc.again
		if again == "" {
			again = strings.ReplaceAll(strings.TrimSuffix(tc.wire, "\r\n"), "\r\n", "\n")
		}
		if got.String() != again {
			t.Errorf("%q: String gives %q", tc.wire, got.String())
		}
	}
	for _, bad := range []string{"hello\r\n", "25\r\n", "250-a\r\n251 b\r\n", "250_x\r\n", "199 too low\r\n"} {
		if r, err := fakeConn(t, bad).ReadReply(); err == nil {
			t.Errorf("%q: no error, %#v", bad, r)
		}
	}
	if _, err := fakeConn(t, "").ReadReply(); err != io.EOF {
		t.Errorf("a closed connection: %v, want EOF", err)
	}
}

// fakeConn is a Conn reading wire from a server that has sent its greeting.
func fakeConn(t *testing.T, wire string) *Conn {
	client, server := net.Pipe()
	go func() {
		io.WriteString(server, "220 fake\r\n"+wire)
		server.Close()
	}()
	return NewConn(t, client)
}

// fakeLMTP is a scripted LMTP server: it accepts recipients at
// example.org, refuses others, and after the data answers once per
// accepted recipient, telling how many octets it got.
func fakeLMTP(t *testing.T) *Conn {
	client, server := net.Pipe()
	go func() {
		defer server.Close()
		r := bufio.NewReader(server)
		w := func(s string) { io.WriteString(server, s+"\r\n") }
		w("220 fake LMTP")
		var rcpts []string
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			cmd := strings.TrimSuffix(line, "\r\n")
			switch v := verb(cmd); {
			case v == "LHLO":
				w("250-fake\r\n250 CHUNKING")
			case v == "MAIL":
				rcpts = nil
				w("250 2.1.0 OK")
			case v == "RCPT" && strings.HasSuffix(cmd, "@example.org>"):
				rcpts = append(rcpts, cmd[len("RCPT TO:"):])
				w("250 2.1.5 OK")
			case v == "RCPT":
				w("550 5.1.1 no")
			case v == "DATA" && len(rcpts) == 0:
				w("503 5.5.1 no recipients")
			case v == "DATA":
				w("354 go on")
				n := 0
				for {
					l, err := r.ReadString('\n')
					if err != nil {
						return
					}
					if l == ".\r\n" {
						break
					}
					n += len(l)
				}
				for _, rc := range rcpts {
					w(fmt.Sprintf("250 2.0.0 %s %d octets", rc, n))
				}
			case v == "BDAT":
				var size int
				last := ""
				fmt.Sscanf(cmd, "BDAT %d %s", &size, &last)
				io.ReadFull(r, make([]byte, size))
				if last != "LAST" {
					w(fmt.Sprintf("250 2.0.0 %d octets", size))
					continue
				}
				for _, rc := range rcpts {
					w(fmt.Sprintf("250 2.0.0 %s chunked", rc))
				}
			case v == "QUIT":
				w("221 2.0.0 Bye")
				return
			default:
				w("500 5.5.1 what?")
			}
		}
	}()
	return NewConn(t, client)
}

// TestDialogueLMTP: the end of the data gets one reply per accepted
// recipient, a refused DATA leaves the message out, pipelined groups and
// BDAT chunks go out as the documentation says.
func TestDialogueLMTP(t *testing.T) {
	c := fakeLMTP(t)
	rs := c.Dialogue([]string{
		"LHLO client",
		"MAIL FROM:<alex@example.org>",
		"DATA", "left out", ".",
		"RCPT TO:<melanie@example.org>\r\nRCPT TO:<nobody@example.com>\r\nRCPT TO:<alex@example.org>",
		"DATA", "Subject: x", "", "one\ntwo", ".",
		"MAIL FROM:<alex@example.org>",
		"RCPT TO:<melanie@example.org>",
		"BDAT 3", "abc",
		"BDAT 2 LAST", "de",
		"QUIT",
	})
	var got []string
	for _, r := range rs {
		got = append(got, r.String())
	}
	want := []string{
		"250-fake\n250 CHUNKING",
		"250 2.1.0 OK",
		"503 5.5.1 no recipients",
		"250 2.1.5 OK", "550 5.1.1 no", "250 2.1.5 OK",
		"354 go on",
		"250 2.0.0 <melanie@example.org> 23 octets", "250 2.0.0 <alex@example.org> 23 octets",
		"250 2.1.0 OK",
		"250 2.1.5 OK",
		"250 2.0.0 3 octets",
		"250 2.0.0 <melanie@example.org> chunked",
		"221 2.0.0 Bye",
	}
	if !slices.Equal(got, want) {
		t.Errorf("replies:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestTranscript writes both sides, shows unprintable bytes and notices
// a server that hangs up.
func TestTranscript(t *testing.T) {
	c := fakeLMTP(t)
	var b strings.Builder
	c.play([]string{"LHLO client", "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org>", "DATA", "x\ty\rz", ".", "QUIT", "NOOP"}, &b)
	want := `C: LHLO client
S: 250-fake
S: 250 CHUNKING
C: MAIL FROM:<a@example.org>
S: 250 2.1.0 OK
C: RCPT TO:<b@example.org>
S: 250 2.1.5 OK
C: DATA
S: 354 go on
C: x	y<CR>z
C: .
S: 250 2.0.0 <b@example.org> 7 octets
C: QUIT
S: 221 2.0.0 Bye
C: NOOP
S: (connection closed)
`
	if b.String() != want {
		t.Errorf("transcript:\n%s\nwant:\n%s", b.String(), want)
	}
	if got := Printable("NOOP "+strings.Repeat("x", 300)+"\x01", 20); got != "NOOP xxxxx…(306 octets)" {
		t.Errorf("Printable shortens to %q", got)
	}
}

func TestNormalize(t *testing.T) {
	in := `S: 250 2.0.0 Ok: queued as 8E524984D76
| Received: from client.example.org (localhost [127.0.0.1])
| 	by mail.example.org (Postfix) with ESMTP id 8E524984D76
| 	for <melanie@example.org>; Sun,  6 Dec 2026 14:55:58 +0000 (UTC)
| Message-Id: <20261206145558.8E524984D76@mail.example.org>
S: 250 2.0.0 <melanie@example.org> OKv9I8B3FWu4dQAAg+zDdQ Saved
S: 250 2.0.0 <alex@example.org> OKv9I8B3FWu4dQAAg+zDdQ:R3 Saved
| Received: from vm ([127.0.0.1])
| 	by mail.example.org with LMTP
| 	id OKv9I8B3FWu4dQAAg+zDdQ
| 	(envelope-from <alex@example.org>); Sun, 06 Dec 2026 14:57:04 +0000
`
	want := `S: 250 2.0.0 Ok: queued as QUEUEID
| Received: from client.example.org (localhost [127.0.0.1])
| 	by mail.example.org (Postfix) with ESMTP id QUEUEID
| 	for <melanie@example.org>; DATE
| Message-Id: <TIMESTAMP.QUEUEID@mail.example.org>
S: 250 2.0.0 <melanie@example.org> SESSIONID Saved
S: 250 2.0.0 <alex@example.org> SESSIONID:R3 Saved
| Received: from vm ([127.0.0.1])
| 	by mail.example.org with LMTP
| 	id SESSIONID
| 	(envelope-from <alex@example.org>); DATE
`
	if got := Normalize(in); got != want {
		t.Errorf("Normalize:\n%s\nwant:\n%s", got, want)
	}
}
