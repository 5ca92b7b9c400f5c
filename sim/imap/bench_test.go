package imap

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"maillab/sim/event"
	"maillab/sim/mailstore"
)

// countingRW serves a scripted input and counts the output octets.
type countingRW struct {
	io.Reader
	n int64
}

func (c *countingRW) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func benchMessage(i int) []byte {
	body := strings.Repeat(fmt.Sprintf("Line %d of a lecture about IMAP4rev1 and its mailboxes.\r\n", i), 16)
	return []byte(fmt.Sprintf("From: Student %d <s%d@example.org>\r\nTo: melanie@example.org\r\nCc: alex@example.org\r\n"+
		"Subject: Homework %d\r\nDate: Mon, 7 Feb 1994 21:52:25 -0800\r\nMessage-ID: <%d@example.org>\r\n"+
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s", i, i, i, i, body))
}

// benchStore holds a 10,000-message INBOX.
func benchStore(b *testing.B, n int) *mailstore.Store {
	b.Helper()
	st := mailstore.New()
	u, _ := st.AddUser("melanie", "toybox")
	mb, _ := u.Mailbox("INBOX")
	for i := 0; i < n; i++ {
		if _, err := mb.Append(benchMessage(i), nil, time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
	return st
}

func runScript(b *testing.B, st *mailstore.Store, script string) int64 {
	return runScriptTo(b, st, script, nil, false)
}

// runScriptTo is runScript with the session's events going to sink, the
// explanations too when explain is set.
func runScriptTo(b *testing.B, st *mailstore.Store, script string, sink event.Sink, explain bool) int64 {
	rw := &countingRW{Reader: strings.NewReader(script)}
	if err := NewSession(Options{Store: st, Events: sink, Explain: explain}).Serve(rw); err != nil {
		b.Fatal(err)
	}
	return rw.n
}

// reportMemory adds the peak heap the process reached, in MB.
func reportMemory(b *testing.B) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapSys)/(1<<20), "MB-heap-sys")
}

// SELECT and FETCH 1:* (FLAGS ENVELOPE) on a 10,000-message mailbox.
// Messages are parsed once, on the first FETCH, and the structure is kept.
func BenchmarkSelectFetchEnvelope10k(b *testing.B) { benchFetchEnvelope(b, nil, false) }

// The same with a sink that reads the lines and not the explanations, as
// labserver's debug log.
func BenchmarkSelectFetchEnvelope10kWithEvents(b *testing.B) {
	benchFetchEnvelope(b, event.Discard, false)
}

// The same with a sink that reads the explanations too, as the page.
func BenchmarkSelectFetchEnvelope10kExplained(b *testing.B) {
	benchFetchEnvelope(b, event.Discard, true)
}

func benchFetchEnvelope(b *testing.B, sink event.Sink, explain bool) {
	st := benchStore(b, 10_000)
	script := "a LOGIN melanie toybox\r\nb SELECT INBOX\r\nc FETCH 1:* (FLAGS ENVELOPE)\r\nd LOGOUT\r\n"
	runScriptTo(b, st, script, sink, explain) // parse once
	b.ReportAllocs()
	b.ResetTimer()
	var out int64
	for i := 0; i < b.N; i++ {
		out = runScriptTo(b, st, script, sink, explain)
	}
	b.ReportMetric(float64(out), "B-out")
	reportMemory(b)
}

// SEARCH TEXT over 10,000 messages, the word in one of them.
func BenchmarkSearchText10k(b *testing.B) {
	st := benchStore(b, 10_000)
	script := "a LOGIN melanie toybox\r\nb EXAMINE INBOX\r\nc SEARCH TEXT \"Homework 9876\"\r\nd LOGOUT\r\n"
	runScript(b, st, script)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		runScript(b, st, script)
	}
	reportMemory(b)
}

// APPEND throughput: b.N messages of about 1.2 KB with LITERAL+, in
// sessions of at most 10,000 APPENDs into a fresh store each, so memory
// stays bounded however large b.N grows.
func BenchmarkAppend(b *testing.B) {
	const chunk = 10_000
	b.SetBytes(int64(len(benchMessage(0))))
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; done += chunk {
		b.StopTimer()
		st := benchStore(b, 0)
		var script bytes.Buffer
		script.WriteString("a LOGIN melanie toybox\r\n")
		for i := done; i < min(done+chunk, b.N); i++ {
			m := benchMessage(i)
			fmt.Fprintf(&script, "p APPEND INBOX (\\Seen) {%d+}\r\n%s\r\n", len(m), m)
		}
		script.WriteString("z LOGOUT\r\n")
		b.StartTimer()
		runScript(b, st, script.String())
	}
	b.StopTimer()
	reportMemory(b)
}

// SELECT and FETCH 1:* (FLAGS) on a 10,000-message mailbox, as labserver
// serves a client: no event sink.
func BenchmarkSelectFetchFlags10k(b *testing.B) {
	st := benchStore(b, 10_000)
	script := "a LOGIN melanie toybox\r\nb SELECT INBOX\r\nc FETCH 1:* (FLAGS)\r\nd LOGOUT\r\n"
	b.ReportAllocs()
	var out int64
	for b.Loop() {
		out = runScript(b, st, script)
	}
	b.ReportMetric(float64(out), "B-out")
}
