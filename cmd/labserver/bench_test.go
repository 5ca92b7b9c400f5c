package main

import (
	"bufio"
	"io"
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkPOP3SessionTCP is one whole POP3 session over loopback TCP:
// connect, USER/PASS, STAT, LIST, RETR of every message, QUIT.
func BenchmarkPOP3SessionTCP(b *testing.B) {
	benchPOP3(b, startLab(b, testConfig(b, "-http", "off", "-pop3s", "off")))
}

// BenchmarkPOP3SessionTCPDebug is BenchmarkPOP3SessionTCP with
// -log-level debug: every protocol line logged, the log thrown away.
func BenchmarkPOP3SessionTCPDebug(b *testing.B) {
	benchPOP3(b, debugLab(b, "-http", "off", "-pop3s", "off"))
}

// debugLab runs labserver at -log-level debug, its log going to
// io.Discard through the handler it logs with to stderr.
func debugLab(b *testing.B, args ...string) *lab {
	cfg := testConfig(b, append(args, "-log-level", "debug")...)
	return (&lab{log: &lockedBuffer{}}).start(b, cfg, io.Discard)
}

func benchPOP3(b *testing.B, l *lab) {
	addr := l.pop3Addr()
	b.ReportAllocs()
	defer reportCPU(b)()
	var octets int64
	for b.Loop() {
		octets = popSession(b, addr)
	}
	b.SetBytes(octets)
}

// reportCPU adds the CPU time the process (server and clients) spent per
// operation, user and system: on a machine shared with other work it
// tells more than the wall clock. Call the function it returns when the
// operations are done.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() { b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op") }
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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

// BenchmarkIMAPClassTCP is a class at work: many IMAP sessions at once over
// loopback TCP, each a LOGIN, SELECT INBOX, FETCH 1:* (FLAGS ENVELOPE
// BODYSTRUCTURE), a full BODY.PEEK[] of every message and LOGOUT, all on
// the same account, as students logged in with the lecture's user name.
// Run with -cpu to vary the cores; 8 sessions per core are in flight.
func BenchmarkIMAPClassTCP(b *testing.B) {
	benchIMAPClass(b, startLab(b, testConfig(b, imapClassFlags...)))
}

// BenchmarkIMAPClassTCPDebug is BenchmarkIMAPClassTCP with -log-level
// debug: every protocol line logged, the log thrown away.
func BenchmarkIMAPClassTCPDebug(b *testing.B) { benchIMAPClass(b, debugLab(b, imapClassFlags...)) }

// imapClassFlags turn the IMAP listener on; a class's students come from
// many addresses, and here from one, so the limit per address is off.
var imapClassFlags = []string{"-http", "off", "-pop3s", "off", "-imap", "127.0.0.1:0", "-max-conns", "1000", "-max-conns-per-ip", "0"}

func benchIMAPClass(b *testing.B, l *lab) {
	addr := l.imapAddr()
	b.ReportAllocs()
	defer reportCPU(b)()
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			imapSession(b, addr)
		}
	})
}

func imapSession(b *testing.B, addr string) {
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		b.Error(err)
		return
	}
	defer nc.Close()
	br := bufio.NewReader(nc)
	// untilTagged reads up to the tagged answer, following literals.
	untilTagged := func(tag string) bool {
		for {
			s, err := br.ReadString('\n')
			if err != nil {
				b.Errorf("%s: %v", tag, err)
				return false
			}
			if strings.HasPrefix(s, tag+" ") {
				if !strings.HasPrefix(s, tag+" OK") {
					b.Errorf("%q", s)
					return false
				}
				return true
			}
			if i := strings.LastIndexByte(s, '{'); i >= 0 && strings.HasSuffix(s, "}\r\n") {
				n, _ := strconv.Atoi(s[i+1 : len(s)-3])
				if _, err := br.Discard(n); err != nil {
					b.Error(err)
					return false
				}
			}
		}
	}
	if _, err := br.ReadString('\n'); err != nil {
		b.Error(err)
		return
	}
	for i, cmd := range []string{"LOGIN alex drums", "SELECT INBOX", "FETCH 1:* (FLAGS ENVELOPE BODYSTRUCTURE)", "FETCH 1:* BODY.PEEK[]", "LOGOUT"} {
		tag := "a" + strconv.Itoa(i)
		if _, err := nc.Write([]byte(tag + " " + cmd + "\r\n")); err != nil {
			b.Error(err)
			return
		}
		if !untilTagged(tag) {
			return
		}
	}
}
