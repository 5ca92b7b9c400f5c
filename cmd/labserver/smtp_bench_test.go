package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	gosmtp "github.com/emersion/go-smtp"

	"maillab/sim/mailstore"
	"maillab/sim/smtp"
)

// The SMTP benchmarks deliver messages into the mail store: over loopback
// TCP to labserver (its own listeners, its own event sink), with 1 and
// 32 clients; over an in-memory pipe to the session alone; and, for
// comparison, over loopback TCP to go-smtp's server with a backend that
// stores into the same kind of store. Each client keeps its connection
// and sends MAIL, RCPT, DATA, the message and the dot for every message,
// waiting for each reply, as a mail client does. Run them with
//
//	go test ./cmd/labserver -run '^$' -bench SMTP -benchtime 2000x

const benchMessage = "From: alex@example.org\r\nTo: melanie@example.org\r\nSubject: benchmark\r\n" +
	"Date: Mon, 7 Feb 1994 21:52:25 -0800\r\nMessage-ID: <bench@example.org>\r\n\r\n" +
	"Hello Melanie,\r\n\r\nthis is one of many messages of a benchmark.\r\n.Dot-stuffed line.\r\n"

// smtpClient is one connection sending messages.
type smtpClient struct {
	c  net.Conn
	br *bufio.Reader
}

func dialSMTP(b *testing.B, dial func() net.Conn) *smtpClient {
	c := &smtpClient{c: dial()}
	c.br = bufio.NewReader(c.c)
	c.expect(b, "220")
	c.cmd(b, "EHLO bench.example", "250")
	return c
}

// expect reads one (multi-line) reply and checks its code.
func (c *smtpClient) expect(b *testing.B, code string) {
	for {
		l, err := c.br.ReadString('\n')
		if err != nil {
			b.Fatalf("reading a reply: %v", err)
		}
		if !strings.HasPrefix(l, code) {
			b.Fatalf("want %s, got %q", code, l)
		}
		if len(l) < 4 || l[3] != '-' {
			return
		}
	}
}

func (c *smtpClient) cmd(b *testing.B, line, code string) {
	if _, err := io.WriteString(c.c, line+"\r\n"); err != nil {
		b.Fatal(err)
	}
	c.expect(b, code)
}

func (c *smtpClient) send(b *testing.B) {
	c.cmd(b, "MAIL FROM:<alex@example.org>", "250")
	c.cmd(b, "RCPT TO:<melanie@example.org>", "250")
	c.cmd(b, "DATA", "354")
	if _, err := io.WriteString(c.c, stuffedMessage+".\r\n"); err != nil {
		b.Fatal(err)
	}
	c.expect(b, "250")
}

// stuffedMessage is benchMessage as DATA carries it: a leading dot doubled.
var stuffedMessage = strings.ReplaceAll(benchMessage, "\r\n.", "\r\n..")

// run sends b.N messages over clients connections, in parallel.
func runSMTP(b *testing.B, clients int, dial func() net.Conn) {
	b.SetBytes(int64(len(benchMessage)))
	b.ReportAllocs()
	per := make([]int, clients)
	for i := range b.N {
		per[i%clients]++
	}
	conns := make([]*smtpClient, clients)
	for i := range conns {
		conns[i] = dialSMTP(b, dial)
	}
	b.ResetTimer()
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Go(func() {
			for range per[i] {
				c.send(b)
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	for _, c := range conns {
		c.cmd(b, "QUIT", "221")
		c.c.Close()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

func labSMTP(b *testing.B) func() net.Conn {
	l := startLab(b, testConfig(b, "-pop3", "off", "-pop3s", "off", "-http", "off", "-smtp", "127.0.0.1:0", "-max-conns", "1000"))
	addr := l.app.addr("smtp")
	return func() net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
}

func BenchmarkSMTPLabTCP1(b *testing.B)  { runSMTP(b, 1, labSMTP(b)) }
func BenchmarkSMTPLabTCP32(b *testing.B) { runSMTP(b, 32, labSMTP(b)) }

// BenchmarkSMTPLabPipe is the session alone, over net.Pipe, with no event
// sink: what the protocol code costs without the network and the log.
func BenchmarkSMTPLabPipe(b *testing.B) {
	st := benchStore(b)
	runSMTP(b, 1, func() net.Conn {
		srv, cli := net.Pipe()
		go smtp.NewSession(smtp.Options{Store: st}).Serve(srv)
		return cli
	})
}

func benchStore(b *testing.B) *mailstore.Store {
	st := mailstore.New()
	for _, u := range []string{"melanie", "alex"} {
		if _, err := st.AddUser(u, "secret"); err != nil {
			b.Fatal(err)
		}
	}
	return st
}

// go-smtp's server, storing each message as the lab does (without the
// trace headers it does not write).
type goBackend struct{ st *mailstore.Store }

func (be goBackend) NewSession(*gosmtp.Conn) (gosmtp.Session, error) {
	return &goSession{st: be.st}, nil
}

type goSession struct {
	st  *mailstore.Store
	rcp []string
}

func (s *goSession) Reset()        { s.rcp = nil }
func (s *goSession) Logout() error { return nil }
func (s *goSession) Mail(string, *gosmtp.MailOptions) error {
	return nil
}
func (s *goSession) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	user, _, _ := strings.Cut(to, "@")
	if _, ok := s.st.User(user); !ok {
		return &gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	s.rcp = append(s.rcp, user)
	return nil
}
func (s *goSession) Data(r io.Reader) error {
	msg, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	for _, u := range s.rcp {
		if _, err := s.st.Deliver(u, msg); err != nil {
			return fmt.Errorf("deliver: %w", err)
		}
	}
	return nil
}

func goSMTP(b *testing.B) func() net.Conn {
	srv := gosmtp.NewServer(goBackend{st: benchStore(b)})
	srv.Domain = "localhost"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return func() net.Conn {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
}

func BenchmarkSMTPGoSMTPTCP1(b *testing.B)  { runSMTP(b, 1, goSMTP(b)) }
func BenchmarkSMTPGoSMTPTCP32(b *testing.B) { runSMTP(b, 32, goSMTP(b)) }
