package main

import (
	"bufio"
	"fmt"
	"net"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// conn is one client connection, as telnet would make it.
type conn struct {
	c  net.Conn
	br *bufio.Reader
}

// dialFrom connects to addr from the loopback address from ("" for the
// system's choice), so a crowd can come from an address of its own.
func dialFrom(from, addr string, timeout time.Duration) (*conn, error) {
	d := net.Dialer{Timeout: timeout}
	if from != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(from)}
	}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &conn{c: c, br: bufio.NewReader(c)}, nil
}

func (c *conn) line() (string, error) {
	s, err := c.br.ReadString('\n')
	return strings.TrimRight(s, "\r\n"), err
}

func (c *conn) send(s string) error {
	_, err := c.c.Write([]byte(s + "\r\n"))
	return err
}

// imapCmd sends a tagged command and returns its tagged reply.
func (c *conn) imapCmd(tag, cmd string) (string, error) {
	if err := c.send(tag + " " + cmd); err != nil {
		return "", err
	}
	for {
		l, err := c.line()
		if err != nil {
			return l, err
		}
		if strings.HasPrefix(l, tag+" ") {
			return l, nil
		}
	}
}

// failLogin makes one failed login on an open, greeted connection and
// reports whether the server answered it as a failure.
func (c *conn) failLogin(proto string, i int) bool {
	switch proto {
	case "imap":
		l, err := c.imapCmd(fmt.Sprintf("a%d", i), fmt.Sprintf("LOGIN %s wrong%d", user, i))
		return err == nil && strings.Contains(l, " NO ")
	default:
		if c.send("USER "+user) != nil {
			return false
		}
		if l, err := c.line(); err != nil || !strings.HasPrefix(l, "+OK") {
			return false
		}
		if c.send(fmt.Sprintf("PASS wrong%d", i)) != nil {
			return false
		}
		l, err := c.line()
		return err == nil && strings.HasPrefix(l, "-ERR")
	}
}

func addrOf(s *server, proto string) string {
	if proto == "imap" {
		return s.imap
	}
	return s.pop3
}

// failuresOneConn sends wrong passwords on one connection for window and
// returns how many the server answered, per second of the window.
func failuresOneConn(s *server, proto string, window time.Duration) (perSec float64, answered int) {
	c, err := dialFrom("", addrOf(s, proto), 5*time.Second)
	if err != nil {
		return 0, 0
	}
	defer c.c.Close()
	end := time.Now().Add(window)
	c.c.SetDeadline(end)
	if _, err := c.line(); err != nil {
		return 0, 0
	}
	for i := 0; time.Now().Before(end); i++ {
		if !c.failLogin(proto, i) {
			break // closed, or the window ended
		}
		answered++
	}
	return float64(answered) / window.Seconds(), answered
}

// failuresReconnecting has parallel clients each connect, fail one login
// and close, again and again, for window: what a brute-force client gets
// by reconnecting.
func failuresReconnecting(s *server, proto string, window time.Duration, parallel int) float64 {
	var n atomic.Int64
	end := time.Now().Add(window)
	var wg sync.WaitGroup
	for range parallel {
		wg.Go(func() {
			for i := 0; time.Now().Before(end); i++ {
				c, err := dialFrom("", addrOf(s, proto), time.Until(end))
				if err != nil {
					time.Sleep(10 * time.Millisecond)
					continue
				}
				c.c.SetDeadline(end)
				if l, err := c.line(); err == nil && (strings.HasPrefix(l, "* OK") || strings.HasPrefix(l, "+OK")) && c.failLogin(proto, i) {
					n.Add(1)
				}
				c.c.Close()
			}
		})
	}
	wg.Wait()
	return float64(n.Load()) / window.Seconds()
}

// idleMemory opens n connections that read the greeting and say nothing
// more, and returns the server's memory with them open.
func idleMemory(s *server, n int) (pss, rss float64, procs, open int) {
	var conns []*conn
	defer func() {
		for _, c := range conns {
			c.c.Close()
		}
	}()
	for range n {
		c, err := dialFrom("", s.imap, 5*time.Second)
		if err != nil {
			break
		}
		conns = append(conns, c)
		c.c.SetDeadline(time.Now().Add(10 * time.Second))
		if l, err := c.line(); err == nil && strings.HasPrefix(l, "* OK") {
			open++
		}
	}
	time.Sleep(time.Second)
	pss, rss, procs, _ = s.memory()
	return pss, rss, procs, open
}

// loginLatency opens a crowd of connections from 127.0.0.2 that never log
// in, then times a real login from 127.0.0.1 (connect, greeting, LOGIN,
// its OK) samples times; a login not done within timeout counts as
// timeout.
func loginLatency(s *server, crowd, samples int, timeout time.Duration) []time.Duration {
	var conns []*conn
	defer func() {
		for _, c := range conns {
			c.c.Close()
		}
	}()
	for range crowd {
		c, err := dialFrom("127.0.0.2", s.imap, 2*time.Second)
		if err != nil {
			continue
		}
		conns = append(conns, c)
	}
	time.Sleep(time.Second)
	var out []time.Duration
	for i := range samples {
		start := time.Now()
		ok := func() bool {
			c, err := dialFrom("127.0.0.1", s.imap, timeout)
			if err != nil {
				return false
			}
			defer c.c.Close()
			c.c.SetDeadline(start.Add(timeout))
			if l, err := c.line(); err != nil || !strings.HasPrefix(l, "* OK") {
				return false
			}
			l, err := c.imapCmd(fmt.Sprintf("l%d", i), "LOGIN "+user+" "+password)
			return err == nil && strings.Contains(l, " OK")
		}()
		d := time.Since(start)
		if !ok {
			d = timeout
		}
		out = append(out, d)
	}
	return out
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

// appendMemory logs in, APPENDs count messages of size octets each to
// INBOX, logs out, and returns the server's memory a second later: what
// stored mail costs a server that keeps it in memory.
func appendMemory(s *server, count, size int) (pss float64, stored int) {
	c, err := dialFrom("", s.imap, 5*time.Second)
	if err != nil {
		return 0, 0
	}
	defer c.c.Close()
	c.c.SetDeadline(time.Now().Add(5 * time.Minute))
	if _, err := c.line(); err != nil {
		return 0, 0
	}
	if l, err := c.imapCmd("l", "LOGIN "+user+" "+password); err != nil || !strings.Contains(l, " OK") {
		return 0, 0
	}
	line := strings.Repeat("x", 76) + "\r\n"
	body := []byte("Subject: big\r\n\r\n" + strings.Repeat(line, (size-16)/len(line)))
	for i := range count {
		tag := fmt.Sprintf("a%d", i)
		if c.send(fmt.Sprintf("%s APPEND INBOX {%d}", tag, len(body))) != nil {
			break
		}
		if l, err := c.line(); err != nil || !strings.HasPrefix(l, "+") {
			break
		}
		if _, err := c.c.Write(append(body, "\r\n"...)); err != nil {
			break
		}
		for {
			l, err := c.line()
			if err != nil {
				return 0, stored
			}
			if strings.HasPrefix(l, tag+" ") {
				if strings.HasPrefix(l, tag+" OK") {
					stored++
				}
				break
			}
		}
	}
	c.imapCmd("z", "LOGOUT")
	c.c.Close()
	time.Sleep(time.Second)
	pss, _, _, _ = s.memory()
	return pss, stored
}
