package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"maillab/sim/proto"
)

// lockedBuffer collects the log of a server running in other goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// lab is a labserver started in-process on ephemeral loopback ports.
type lab struct {
	app    *app
	log    *lockedBuffer
	banner string
	stop   context.CancelFunc
	done   chan error
}

// testConfig is the default configuration with every listener on an
// ephemeral loopback port and no wait after a failed login.
func testConfig(t testing.TB, args ...string) *config {
	t.Helper()
	// Every listener off but POP3's and the web's, on ports of the
	// system's choosing: a test turns on what it uses.
	var base []string
	for _, p := range proto.All() {
		for _, l := range p.Listeners {
			base = append(base, "-"+l.Flag, "off")
		}
	}
	base = append(base, "-pop3", "127.0.0.1:0", "-pop3s", "127.0.0.1:0", "-http", "127.0.0.1:0")
	// Failed logins are answered at once: the tests of the throttle set
	// their own -auth-delay.
	base = append(base, "-auth-delay", "0")
	cfg, err := parseFlags(append(base, args...), &bytes.Buffer{})
	if err != nil {
		t.Fatalf("parseFlags: %v", err)
	}
	return cfg
}

// startLab runs labserver with cfg until the test ends.
func startLab(t testing.TB, cfg *config) *lab {
	t.Helper()
	l := &lab{log: &lockedBuffer{}}
	return l.start(t, cfg, l.log)
}

// start runs labserver with cfg, logging to w as it logs to stderr, until
// the test ends.
func (l *lab) start(t testing.TB, cfg *config, w io.Writer) *lab {
	t.Helper()
	l.done = make(chan error, 1)
	logger := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: cfg.logLevel}))
	a, err := newApp(cfg, logger)
	if err != nil {
		t.Fatalf("newApp: %v", err)
	}
	l.app = a
	var banner bytes.Buffer
	a.banner(&banner)
	l.banner = banner.String()
	ctx, cancel := context.WithCancel(context.Background())
	l.stop = cancel
	go func() { l.done <- a.run(ctx) }()
	t.Cleanup(func() { l.shutdown(t) })
	return l
}

// shutdown stops the server and waits for run to return.
func (l *lab) shutdown(t testing.TB) {
	t.Helper()
	l.stop()
	select {
	case err, ok := <-l.done:
		if ok && err != nil {
			t.Errorf("run: %v", err)
		}
		if ok {
			close(l.done)
		}
	case <-time.After(2 * shutdownGrace):
		t.Fatalf("the server did not stop within %v", 2*shutdownGrace)
	}
}

func (l *lab) pop3Addr() string  { return l.app.addr("pop3") }
func (l *lab) pop3sAddr() string { return l.app.addr("pop3s") }

// client is a raw line-oriented connection, as telnet would make.
type client struct {
	t  testing.TB
	c  net.Conn
	br *bufio.Reader
}

func dial(t testing.TB, addr string) *client {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(20 * time.Second))
	return &client{t: t, c: c, br: bufio.NewReader(c)}
}

// line reads one server line and checks it ends in CRLF.
func (c *client) line() string {
	c.t.Helper()
	s, err := c.br.ReadString('\n')
	if err != nil {
		c.t.Fatalf("reading a line: %v (got %q)", err, s)
	}
	if !strings.HasSuffix(s, "\r\n") {
		c.t.Fatalf("line %q does not end in CRLF", s)
	}
	return strings.TrimSuffix(s, "\r\n")
}

// expect reads a line and checks its prefix.
func (c *client) expect(prefix string) string {
	c.t.Helper()
	s := c.line()
	if !strings.HasPrefix(s, prefix) {
		c.t.Fatalf("got %q, want a line starting %q", s, prefix)
	}
	return s
}

func (c *client) send(raw string) {
	c.t.Helper()
	if _, err := c.c.Write([]byte(raw)); err != nil {
		c.t.Fatalf("write %q: %v", raw, err)
	}
}

// cmd sends a CRLF-terminated line and returns the first answer line.
func (c *client) cmd(line string) string {
	c.t.Helper()
	c.send(line + "\r\n")
	return c.line()
}

// multi reads a multi-line answer's data lines up to the final ".".
func (c *client) multi() []string {
	c.t.Helper()
	var out []string
	for {
		s := c.line()
		if s == "." {
			return out
		}
		out = append(out, s)
	}
}

// closed reports whether the server has closed the connection.
func (c *client) closed() bool {
	c.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err := c.br.ReadByte()
	return errors.Is(err, net.ErrClosed) || err != nil && !isTimeout(err)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func dialErr(addr string) (net.Conn, error) {
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err == nil {
		c.Close()
	}
	return c, err
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
