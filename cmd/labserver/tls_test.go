package main

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// recorder keeps every byte the server sent on the raw connection.
type recorder struct {
	net.Conn
	got bytes.Buffer
}

func (r *recorder) Read(p []byte) (int, error) {
	n, err := r.Conn.Read(p)
	r.got.Write(p[:n])
	return n, err
}

// recordTypes lists the content types of the TLS records in b.
func recordTypes(b []byte) []byte {
	var out []byte
	for len(b) >= 5 {
		n := int(b[3])<<8 | int(b[4])
		out = append(out, b[0])
		if len(b) < 5+n {
			break
		}
		b = b[5+n:]
	}
	return out
}

const recordAlert = 21

// After QUIT or LOGOUT over TLS the server ends the TLS layer with a
// close_notify alert before it closes the socket (RFC 8446 section 6.1),
// so a client does not see a truncated stream: implicit TLS and after
// STLS/STARTTLS, POP3 and IMAP.
func TestTLSEndsWithCloseNotify(t *testing.T) {
	l := startLab(t, testConfig(t, "-imap", "127.0.0.1:0", "-imaps", "127.0.0.1:0"))
	for _, tc := range []struct {
		name, addr     string
		upgrade, greet string // plain-text command before the handshake; the greeting's start
		quit, bye      string
	}{
		{"pop3s", l.pop3sAddr(), "", "+OK", "QUIT", "+OK"},
		{"stls", l.pop3Addr(), "STLS", "", "QUIT", "+OK"},
		{"imaps", l.app.addr("imaps"), "", "* OK", "b LOGOUT", "b OK"},
		{"starttls", l.app.addr("imap"), "a STARTTLS", "", "b LOGOUT", "b OK"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := net.Dial("tcp", tc.addr)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			raw.SetDeadline(time.Now().Add(20 * time.Second))
			rec := &recorder{Conn: raw}
			if tc.upgrade != "" {
				plain := &client{t: t, c: rec, br: bufio.NewReaderSize(rec, 16)}
				plain.line() // greeting, and for IMAP nothing else before the command's answer
				plain.send(tc.upgrade + "\r\n")
				for s := plain.line(); strings.HasPrefix(s, "*"); s = plain.line() {
				}
				if plain.br.Buffered() > 0 {
					t.Fatal("the server sent more before the handshake")
				}
				rec.got.Reset()
			}
			conn := tls.Client(rec, &tls.Config{InsecureSkipVerify: true, MaxVersion: tls.VersionTLS12})
			c := &client{t: t, c: conn, br: bufio.NewReader(conn)}
			if tc.greet != "" {
				c.expect(tc.greet)
			}
			c.send(tc.quit + "\r\n")
			for s := c.line(); !strings.HasPrefix(s, tc.bye); s = c.line() {
			}
			if rest, err := io.ReadAll(c.br); err != nil || len(rest) > 0 {
				t.Fatalf("after the sign-off: %q, %v", rest, err)
			}
			types := recordTypes(rec.got.Bytes())
			if len(types) == 0 || types[len(types)-1] != recordAlert {
				t.Errorf("TLS records %v: the last is not an alert, so no close_notify was sent", types)
			}
		})
	}
}

// Over implicit TLS a connection past -max-conns is refused as on the
// plain listeners, after the handshake: POP3's -ERR [SYS/TEMP] and IMAP's
// BYE greeting, then close_notify.
func TestOverConnectionLimitTLS(t *testing.T) {
	l := startLab(t, testConfig(t, "-imaps", "127.0.0.1:0", "-max-conns", "1"))
	cfg := &tls.Config{InsecureSkipVerify: true}
	for _, tc := range []struct{ addr, greeting, refusal string }{
		{l.pop3sAddr(), "+OK", "-ERR [SYS/TEMP] too many connections"},
		{l.app.addr("imaps"), "* OK", "* BYE Too many connections"},
	} {
		open := func() *client {
			conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", tc.addr, cfg)
			if err != nil {
				t.Fatalf("dial %s: %v", tc.addr, err)
			}
			t.Cleanup(func() { conn.Close() })
			conn.SetDeadline(time.Now().Add(20 * time.Second))
			return &client{t: t, c: conn, br: bufio.NewReader(conn)}
		}
		first := open()
		first.expect(tc.greeting)
		over := open()
		over.expect(tc.refusal)
		if rest, err := io.ReadAll(over.br); err != nil || len(rest) > 0 {
			t.Errorf("after the refusal: %q, %v; want the end of the TLS stream", rest, err)
		}
	}
}
