package main

import (
	"bufio"
	"net"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkPOP3SessionTCP is one whole POP3 session over loopback TCP:
// connect, USER/PASS, STAT, LIST, RETR of every message, QUIT.
func BenchmarkPOP3SessionTCP(b *testing.B) {
	cfg := testConfig(b, "-http", "off", "-pop3s", "off")
	l := startLab(b, cfg)
	addr := l.pop3Addr()
	b.ReportAllocs()
	var octets int64
	for b.Loop() {
		octets = popSession(b, addr)
	}
	b.SetBytes(octets)
}

// popSession runs the session and returns the octets received.
func popSession(b *testing.B, addr string) int64 {
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	br := bufio.NewReader(nc)
	var n int64
	line := func() string {
		s, err := br.ReadString('\n')
		if err != nil {
			b.Fatalf("read: %v", err)
		}
		n += int64(len(s))
		return s
	}
	status := func(cmd string) string {
		if cmd != "" {
			if _, err := nc.Write([]byte(cmd + "\r\n")); err != nil {
				b.Fatal(err)
			}
		}
		s := line()
		if !strings.HasPrefix(s, "+OK") {
			b.Fatalf("%s: %q", cmd, s)
		}
		return s
	}
	multi := func() int {
		k := 0
		for line() != ".\r\n" {
			k++
		}
		return k
	}
	status("")
	status("USER melanie")
	status("PASS toybox")
	status("STAT")
	status("LIST")
	count := multi()
	for i := 1; i <= count; i++ {
		status("RETR " + strconv.Itoa(i))
		multi()
	}
	status("QUIT")
	// The maildrop lock goes with the connection: wait for the close, or
	// the next session may find it still held.
	if _, err := br.ReadByte(); err == nil {
		b.Fatal("data after the QUIT answer")
	}
	return n
}
