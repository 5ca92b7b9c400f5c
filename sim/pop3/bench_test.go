package pop3

import (
	"bufio"
	"bytes"
	"net"
	"strconv"
	"testing"

	"maillab/sim/event"
	"maillab/sim/mailstore"
)

// benchClient drives a session over net.Pipe with few allocations of its
// own, so the numbers are the server's.
type benchClient struct {
	b *testing.B
	c net.Conn
	r *bufio.Reader
}

func (k *benchClient) send(line string) {
	if _, err := k.c.Write([]byte(line)); err != nil {
		k.b.Fatal(err)
	}
}

// status reads one line and checks it is +OK.
func (k *benchClient) status() {
	l, err := k.r.ReadSlice('\n')
	if err != nil || !bytes.HasPrefix(l, []byte("+OK")) {
		k.b.Fatalf("%q %v", l, err)
	}
}

// multi reads a multi-line answer after its status line.
func (k *benchClient) multi() {
	k.status()
	for {
		l, err := k.r.ReadSlice('\n')
		if err != nil && err != bufio.ErrBufferFull {
			k.b.Fatal(err)
		}
		if len(l) == 3 && l[0] == '.' {
			return
		}
	}
}

func benchStore(b *testing.B, n, size int) *mailstore.Store {
	msgs := make([][]byte, n)
	for i := range msgs {
		msgs[i] = sized(size, "From: alex@example.org", "Subject: message "+strconv.Itoa(i+1))
	}
	return newStore(b, account{name: "melanie", password: "toybox", msgs: msgs})
}

func benchLogin(b *testing.B, o Options) (*benchClient, chan error) {
	client, server := net.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- NewSession(o).Serve(server)
		server.Close()
	}()
	k := &benchClient{b: b, c: client, r: bufio.NewReaderSize(client, 64<<10)}
	k.status()
	k.send("USER melanie\r\n")
	k.status()
	k.send("PASS toybox\r\n")
	k.status()
	return k, done
}

// A whole session: login, STAT, LIST, RETR of every message, QUIT, over
// net.Pipe, with ten messages of 4 KB.
func benchSession(b *testing.B, events event.Sink, explain bool) {
	st := benchStore(b, 10, 4096)
	b.ReportAllocs()
	for b.Loop() {
		k, done := benchLogin(b, Options{Store: st, Events: events, Explain: explain, APOPTimestamp: "<1.2@localhost>"})
		k.send("STAT\r\n")
		k.status()
		k.send("LIST\r\n")
		k.multi()
		for i := 1; i <= 10; i++ {
			k.send("RETR " + strconv.Itoa(i) + "\r\n")
			k.multi()
		}
		k.send("QUIT\r\n")
		k.status()
		if err := <-done; err != nil {
			b.Fatal(err)
		}
		k.c.Close()
	}
}

func BenchmarkSession(b *testing.B) { benchSession(b, nil, false) }

// With a sink that reads the lines, as labserver's debug log.
func BenchmarkSessionWithEvents(b *testing.B) { benchSession(b, event.Discard, false) }

// With a sink that reads the explanations too, as the page.
func BenchmarkSessionExplained(b *testing.B) { benchSession(b, event.Discard, true) }

// One command on a 10,000-message maildrop.
func bench10k(b *testing.B, cmd string, multi bool) {
	st := benchStore(b, 10000, 200)
	k, done := benchLogin(b, Options{Store: st})
	b.ReportAllocs()
	for b.Loop() {
		k.send(cmd)
		if multi {
			k.multi()
		} else {
			k.status()
		}
	}
	b.StopTimer()
	k.send("QUIT\r\n")
	k.status()
	<-done
	k.c.Close()
}

func BenchmarkStat10k(b *testing.B) { bench10k(b, "STAT\r\n", false) }
func BenchmarkList10k(b *testing.B) { bench10k(b, "LIST\r\n", true) }
func BenchmarkUidl10k(b *testing.B) { bench10k(b, "UIDL\r\n", true) }
