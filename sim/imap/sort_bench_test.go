package imap

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"maillab/sim/mailstore"
)

// threadMessage is message i of a mailbox of threads of five: the first
// starts a subject, the others reply to the one before, with References,
// "Re:" and a later date; senders and sizes vary.
func threadMessage(i int) []byte {
	top := i - i%5
	subj := fmt.Sprintf("Homework %d", top)
	refs := ""
	for j := top; j < i; j++ {
		refs += fmt.Sprintf(" <%d@example.org>", j)
	}
	if i != top {
		subj = "Re: " + subj
		refs = "References:" + refs + "\r\n"
	}
	date := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i*7919%10007) * time.Minute)
	return []byte(fmt.Sprintf("From: Student %d <s%d@example.org>\r\nTo: melanie@example.org\r\nSubject: %s\r\n"+
		"Date: %s\r\nMessage-ID: <%d@example.org>\r\n%s\r\n%s", i%97, i%97, subj, date.Format(time.RFC1123Z), i, refs,
		strings.Repeat("text\r\n", i%13)))
}

func threadBenchStore(b *testing.B, n int) *mailstore.Store {
	b.Helper()
	st := mailstore.New()
	u, _ := st.AddUser("melanie", "toybox")
	mb, _ := u.Mailbox("INBOX")
	for i := 0; i < n; i++ {
		if _, err := mb.Append(threadMessage(i), nil, time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
	return st
}

func benchSearchCommand(b *testing.B, cmd string) {
	st := threadBenchStore(b, 10_000)
	script := "a LOGIN melanie toybox\r\nb EXAMINE INBOX\r\nc " + cmd + "\r\nd LOGOUT\r\n"
	runScript(b, st, script) // parse once
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		runScript(b, st, script)
	}
	reportMemory(b)
}

// SORT over 10,000 messages by subject then date, the keys read anew each
// time (the messages' structure is parsed once and kept).
func BenchmarkSortSubjectDate10k(b *testing.B) {
	benchSearchCommand(b, "SORT (SUBJECT DATE) UTF-8 ALL")
}

// SORT by the sender's display name, REVERSE.
func BenchmarkSortDisplayFrom10k(b *testing.B) {
	benchSearchCommand(b, "SORT (REVERSE DISPLAYFROM) UTF-8 ALL")
}

// THREAD=REFERENCES over 10,000 messages in 2,000 threads of five.
func BenchmarkThreadReferences10k(b *testing.B) { benchSearchCommand(b, "THREAD REFERENCES UTF-8 ALL") }

// THREAD=ORDEREDSUBJECT over the same messages.
func BenchmarkThreadOrderedSubject10k(b *testing.B) {
	benchSearchCommand(b, "THREAD ORDEREDSUBJECT UTF-8 ALL")
}

// ESORT's PARTIAL: the first page of 50 of a sorted result.
func BenchmarkSortPartial10k(b *testing.B) {
	benchSearchCommand(b, "SORT RETURN (PARTIAL 1:50 COUNT) (REVERSE DATE) UTF-8 ALL")
}

// THREAD=REFS over the same messages.
func BenchmarkThreadRefs10k(b *testing.B) { benchSearchCommand(b, "THREAD REFS UTF-8 ALL") }
