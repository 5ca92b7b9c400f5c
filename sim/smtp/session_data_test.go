package smtp

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"maillab/sim/event"
	"maillab/sim/proto"
)

// The message text: BDAT's chunks (RFC 3030), and the limits a server
// keeps on what a client sends, each reached without the session dying
// or holding more than it may.

// CHUNKING: chunks are counted, not dot-stuffed (a line "." inside is
// text), LAST ends the message; DATA cannot follow BDAT nor carry
// BODY=BINARYMIME, and a BDAT outside a transaction is refused with its
// chunk read and dropped: the "QUIT" inside it is not run.
func TestSessionBDAT(t *testing.T) {
	st := demoStore(t)
	events := replay(t, "smtp", proto.Config{Store: st, Now: pinned}, `
		S: 220 localhost ESMTP
		C: EHLO client.example.org
		`+mtaEHLO+`
		C: MAIL FROM:<alex@example.org> BODY=BINARYMIME
		S: 250 2.1.0 Ok
		C: RCPT TO:<melanie@example.org>
		S: 250 2.1.5 Ok
		C: DATA
		S: 503 5.5.1 Error: BODY=BINARYMIME requires BDAT
		C: BDAT 20
		C: Subject: chunked
		C:
		S: 250 2.0.0 Ok: 20 bytes
		C: DATA
		S: 503 5.5.1 Error: DATA after BDAT
		C: RCPT TO:<alex@example.org>
		S: 503 5.5.1 Error: RCPT after BDAT
		C: BDAT 3
		C: .
		S: 250 2.0.0 Ok: 3 bytes
		C: NOOP
		S: 250 2.0.0 Ok
		C: BDAT 8 LAST
		C: Hello.
		S: 250 2.0.0 Ok: queued as ...
		C: MAIL FROM:<alex@example.org>
		S: 250 2.1.0 Ok
		C: RCPT TO:<melanie@example.org>
		S: 250 2.1.5 Ok
		C: DATA
		S: 354 End data with <CR><LF>.<CR><LF>
		C: Subject: by DATA
		C: .
		S: 250 2.0.0 Ok: queued as ...
		C: BDAT 6
		C: QUIT
		S: 503 5.5.1 Error: need MAIL command
		C: NOOP
		S: 250 2.0.0 Ok
		C: BDAT 0 LAST
		S: 503 5.5.1 Error: need MAIL command
		C: QUIT
		S: 221 2.0.0 Bye
	`)
	ids := queueIDs(events)
	if len(ids) != 2 {
		t.Fatalf("queue ids %v", ids)
	}
	msgs := inbox(t, st, "melanie").Messages()
	got := string(msgs[len(msgs)-2].Raw())
	want := "Return-Path: <alex@example.org>\r\n" +
		"Received: from client.example.org (localhost [127.0.0.1])\r\n" +
		"\tby localhost with ESMTP id " + ids[0] + "\r\n" +
		"\tfor <melanie@example.org>; Sun, 9 Jul 1995 11:13:57 +0200 (CEST)\r\n" +
		"Subject: chunked\r\n\r\n.\r\nHello.\r\n"
	if got != want {
		t.Errorf("the chunked message is\n%q\nwant\n%q", got, want)
	}
	wantT := []string{"1:connect", "3:EHLO", "4:MAIL", "5:RCPT", "8:BDAT", "8r:BDAT", "9:BDAT", "4:MAIL", "5:RCPT", "6:DATA", "7:.", "12:QUIT"}
	if got := transitions(events); strings.Join(got, " ") != strings.Join(wantT, " ") {
		t.Errorf("transitions %v, want %v", got, wantT)
	}
}

// A chunk may end inside a line and the next one finish it; LMTP answers
// BDAT LAST as it answers the final dot, once per recipient.
func TestSessionBDATLMTP(t *testing.T) {
	st := demoStore(t)
	input := "LHLO client.example.org\r\nMAIL FROM:<>\r\nRCPT TO:<melanie@example.org>\r\nRCPT TO:<mrose@localhost>\r\n" +
		"BDAT 10\r\nSubject: s" + "BDAT 14 LAST\r\nplit\r\n\r\nbody\r\n" + "QUIT\r\n"
	wire, events, err := serve(Options{Store: st, LMTP: true}, strings.NewReader(input))
	if err != nil {
		t.Fatal(err)
	}
	_, want := parseTranscript(`
		S: 220 localhost LMTP
		` + mtaEHLO + `
		S: 250 2.1.0 Ok
		S: 250 2.1.5 Ok
		S: 250 2.1.5 Ok
		S: 250 2.0.0 Ok: 10 bytes
		S: 250 2.0.0 <melanie@example.org> Ok: delivered
		S: 250 2.0.0 <mrose@localhost> Ok: delivered
		S: 221 2.0.0 Bye
	`)
	compareLines(t, wireLines(wire), want)
	checkEvents(t, "lmtp", wire, events)
	for _, u := range []string{"melanie", "mrose"} {
		if got := newest(t, st, u); !strings.HasSuffix(got, "\r\nSubject: split\r\n\r\nbody\r\n") || !strings.Contains(got, "with LMTP id") {
			t.Errorf("%s got %q", u, got)
		}
	}
	if got := transitions(events); strings.Join(got, " ") != "1:connect 3L:LHLO 4:MAIL 5:RCPT 5r:RCPT 8:BDAT 9L:BDAT 12:QUIT" {
		t.Errorf("transitions %v", got)
	}
}

// RFC 5321 section 4.5.3.1.6: a line of text is at most 1000 octets with
// its CRLF, the transparency dot not counted. 998 characters pass, and
// so does a line of 998 after its leading dot is doubled; 999 make the
// message refused after the final dot (500, section 4.5.3.1.10), and the session goes on.
func TestSessionTextLineLimit(t *testing.T) {
	st := demoStore(t)
	before := inbox(t, st, "melanie").Count()
	ok, long := strings.Repeat("a", 998), strings.Repeat("b", 999)
	events := replay(t, "smtp", proto.Config{Store: st}, `
		S: 220 localhost ESMTP
		C: EHLO client.example.org
		`+mtaEHLO+`
		C: MAIL FROM:<alex@example.org>
		S: 250 2.1.0 Ok
		C: RCPT TO:<melanie@example.org>
		S: 250 2.1.5 Ok
		C: DATA
		S: 354 End data with <CR><LF>.<CR><LF>
		C: `+ok+`
		C: ..`+ok[1:]+`
		C: .
		S: 250 2.0.0 Ok: queued as ...
		C: MAIL FROM:<alex@example.org>
		S: 250 2.1.0 Ok
		C: RCPT TO:<melanie@example.org>
		S: 250 2.1.5 Ok
		C: DATA
		S: 354 End data with <CR><LF>.<CR><LF>
		C: `+long+`
		C: .
		S: 500 5.6.0 Line too long
		C: NOOP
		S: 250 2.0.0 Ok
		C: QUIT
		S: 221 2.0.0 Bye
	`)
	if got := inbox(t, st, "melanie").Count(); got != before+1 {
		t.Errorf("melanie has %d messages, want %d", got, before+1)
	}
	if got := newest(t, st, "melanie"); !strings.HasSuffix(got, "\r\n"+ok+"\r\n."+ok[1:]+"\r\n") {
		t.Errorf("the 998-character lines were not kept: …%q", got[max(0, len(got)-60):])
	}
	if x := explanation(t, events, "500 5.6.0 Line too long"); !strings.Contains(x, "the longest 1001") {
		t.Errorf("500 explained as %q", x)
	}
}

// SIZE (RFC 1870): a declared size over the limit is refused at MAIL; an
// undeclared message over it is read to its final dot and refused with
// 552, and the next command is read as one. BDAT's chunks likewise.
func TestSessionMessageTooBig(t *testing.T) {
	st := demoStore(t)
	before := inbox(t, st, "melanie").Count()
	ehlo := strings.Replace(mtaEHLO, "SIZE 10240000", "SIZE 200", 1)
	lines := func(n int) string { return strings.Repeat("C: "+strings.Repeat("x", 48)+"\n", n) } // 50 octets each on the wire
	body := lines(5)
	replayOptions(t, Options{Store: st, Config: Config{MaxSize: 200}}, `
		S: 220 localhost ESMTP
		C: EHLO client.example.org
		`+ehlo+`
		C: MAIL FROM:<alex@example.org> SIZE=201
		S: 552 5.3.4 Message size exceeds fixed limit
		C: MAIL FROM:<alex@example.org> SIZE=200
		S: 250 2.1.0 Ok
		C: RCPT TO:<melanie@example.org>
		S: 250 2.1.5 Ok
		C: DATA
		S: 354 End data with <CR><LF>.<CR><LF>
		`+body+`
		C: .
		S: 552 5.3.4 Message size exceeds fixed limit
		C: NOOP
		S: 250 2.0.0 Ok
		C: MAIL FROM:<alex@example.org>
		S: 250 2.1.0 Ok
		C: RCPT TO:<melanie@example.org>
		S: 250 2.1.5 Ok
		C: BDAT 150
		`+lines(3)+`
		S: 250 2.0.0 Ok: 150 bytes
		C: BDAT 100 LAST
		`+lines(2)+`
		S: 552 5.3.4 Chunk exceeds message size limit
		C: NOOP
		S: 250 2.0.0 Ok
		C: MAIL FROM:<alex@example.org>
		S: 250 2.1.0 Ok
		C: RCPT TO:<melanie@example.org>
		S: 250 2.1.5 Ok
		C: DATA
		S: 354 End data with <CR><LF>.<CR><LF>
		C: Subject: small
		C: .
		S: 250 2.0.0 Ok: queued as ...
		C: QUIT
		S: 221 2.0.0 Bye
	`)
	if got := inbox(t, st, "melanie").Count(); got != before+1 {
		t.Errorf("melanie has %d messages, want %d: only the small one", got, before+1)
	}
}

// LMTP answers a message it refuses as a whole once per recipient too:
// the client counts one reply per accepted RCPT (RFC 2033 section 4.2),
// and one reply short it would wait forever.
func TestSessionLMTPRefusedMessage(t *testing.T) {
	ehlo := strings.Replace(mtaEHLO, "SIZE 10240000", "SIZE 100", 1)
	replayOptions(t, Options{Store: demoStore(t), LMTP: true, Config: Config{MaxSize: 100}}, `
		S: 220 localhost LMTP
		C: LHLO client.example.org
		`+ehlo+`
		C: MAIL FROM:<>
		S: 250 2.1.0 Ok
		C: RCPT TO:<melanie@example.org>
		S: 250 2.1.5 Ok
		C: RCPT TO:<alex@example.org>
		S: 250 2.1.5 Ok
		C: DATA
		S: 354 End data with <CR><LF>.<CR><LF>
		C: `+strings.Repeat("y", 150)+`
		C: .
		S: 552 5.3.4 Message size exceeds fixed limit
		S: 552 5.3.4 Message size exceeds fixed limit
		C: NOOP
		S: 250 2.0.0 Ok
		C: QUIT
		S: 221 2.0.0 Bye
	`)
	replayOptions(t, Options{Store: demoStore(t), LMTP: true}, `
		S: 220 localhost LMTP
		C: LHLO client.example.org
		`+mtaEHLO+`
		C: MAIL FROM:<>
		S: 250 2.1.0 Ok
		C: RCPT TO:<melanie@example.org>
		S: 250 2.1.5 Ok
		C: RCPT TO:<alex@example.org>
		S: 250 2.1.5 Ok
		C: DATA
		S: 354 End data with <CR><LF>.<CR><LF>
		C: `+strings.Repeat("z", 1000)+`
		C: .
		S: 500 5.6.0 Line too long
		S: 500 5.6.0 Line too long
		C: QUIT
		S: 221 2.0.0 Bye
	`)
}

// RFC 5321 section 4.5.3.1.10: past its recipient limit the server
// answers 452 and the client sends the message to those accepted. Ten
// thousand RCPTs: a thousand accepted, nine thousand 452, and the
// session still delivers, since 452 is no client error to count towards
// the limit of 100.
func TestSessionManyRecipients(t *testing.T) {
	st := demoStore(t)
	before := inbox(t, st, "melanie").Count()
	var b strings.Builder
	b.WriteString("S: 220 localhost ESMTP\nC: EHLO client.example.org\n" + mtaEHLO)
	b.WriteString("C: MAIL FROM:<alex@example.org>\nS: 250 2.1.0 Ok\n")
	for i := range 10000 {
		if i < DefaultMaxRecipients {
			b.WriteString("C: RCPT TO:<melanie@example.org>\nS: 250 2.1.5 Ok\n")
		} else {
			b.WriteString("C: RCPT TO:<melanie@example.org>\nS: 452 4.5.3 Error: too many recipients\n")
		}
	}
	b.WriteString(`
		C: DATA
		S: 354 End data with <CR><LF>.<CR><LF>
		C: Subject: to many
		C: .
		S: 250 2.0.0 Ok: queued as ...
		C: NOOP
		S: 250 2.0.0 Ok
		C: QUIT
		S: 221 2.0.0 Bye
	`)
	events := replay(t, "smtp", proto.Config{Store: st}, b.String())
	if got := inbox(t, st, "melanie").Count(); got != before+1 {
		t.Errorf("melanie has %d messages, want %d: one copy for a thousand RCPTs of her", got, before+1)
	}
	if x := explanation(t, events, "452 4.5.3 Error: too many recipients"); !strings.Contains(x, "(1000)") {
		t.Errorf("452 explained as %q", x)
	}
}

// allocated is how many octets the heap handed out while f ran.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A line of 10 MB without CRLF, as a command and as message text: the
// session reads it to its end keeping only its start (it allocates far
// less than the line's size), answers 500 once the line ends, and reads
// the next command. Cut off by the end of the connection instead, the
// session ends.
func TestSessionHugeLine(t *testing.T) {
	const huge = 10 << 20
	hugeLine := func() io.Reader { return io.LimitReader(repeat('x'), huge) }
	for _, tc := range []struct {
		name, before, after string
		want                []string
		end                 string
	}{
		{"command", "EHLO client.example.org\r\n", "\r\nNOOP\r\nQUIT\r\n",
			[]string{"500 5.5.2 Line too long", "250 2.0.0 Ok", "221 2.0.0 Bye"}, "quit"},
		{"text", "EHLO client.example.org\r\nMAIL FROM:<>\r\nRCPT TO:<melanie@example.org>\r\nDATA\r\n", "\r\n.\r\nNOOP\r\nQUIT\r\n",
			[]string{"250 2.1.0 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>", "552 5.3.4 Message size exceeds fixed limit", "250 2.0.0 Ok", "221 2.0.0 Bye"}, "quit"},
		{"command cut off", "EHLO client.example.org\r\n", "", nil, "drop"},
		{"text cut off", "EHLO client.example.org\r\nMAIL FROM:<>\r\nRCPT TO:<melanie@example.org>\r\nDATA\r\n", "",
			[]string{"250 2.1.0 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>"}, "drop"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := demoStore(t)
			before := inbox(t, st, "melanie").Count()
			var wire []byte
			var events []event.Event
			var err error
			n := allocated(func() {
				in := io.MultiReader(strings.NewReader(tc.before), hugeLine(), strings.NewReader(tc.after))
				wire, events, err = serve(Options{Store: st}, in)
			})
			if err != nil && !(tc.end == "drop" && errors.Is(err, io.ErrUnexpectedEOF)) {
				t.Fatal(err)
			}
			got := wireLines(wire)
			if len(got) < 13 {
				t.Fatalf("reply lines %q", got)
			}
			compareLines(t, got[13:], tc.want) // after the greeting and the EHLO reply
			checkEvents(t, "smtp", wire, events)
			if closeTrigger(events) != tc.end {
				t.Errorf("the session ended with %q, want %q", closeTrigger(events), tc.end)
			}
			if n > 2<<20 {
				t.Errorf("the session allocated %d octets for a line of %d", n, huge)
			}
			if got := inbox(t, st, "melanie").Count(); got != before {
				t.Errorf("something was delivered")
			}
		})
	}
}

// NUL and bare LF in the message text: the octets are kept as sent (a
// NUL shows as ^@ on the learner's terminal), a line ended by LF alone is
// stored with CRLF, and the reply's explanation says so; a "." line ended
// by LF alone ends the message, as nc sends it.
func TestSessionNULAndBareLF(t *testing.T) {
	st := demoStore(t)
	input := "EHLO client.example.org\r\nMAIL FROM:<alex@example.org>\r\nRCPT TO:<melanie@example.org>\r\nDATA\r\n" +
		"Subject: odd octets\r\n\r\nbefore\x00after\r\nbare\nlf\r\n.\nNOOP\r\nQUIT\r\n"
	wire, events, err := serve(Options{Store: st}, strings.NewReader(input))
	if err != nil {
		t.Fatal(err)
	}
	got := wireLines(wire)
	compareLines(t, got[13:], []string{"250 2.1.0 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>",
		"250 2.0.0 Ok: queued as ...", "250 2.0.0 Ok", "221 2.0.0 Bye"})
	checkEvents(t, "smtp", wire, events)
	if got := newest(t, st, "melanie"); !strings.HasSuffix(got, "\r\nSubject: odd octets\r\n\r\nbefore\x00after\r\nbare\r\nlf\r\n") {
		t.Errorf("melanie got %q", got)
	}
	var shown bool
	for _, e := range events {
		shown = shown || e.Kind == event.Client && e.Line == "before^@after"
	}
	if !shown {
		t.Error("the line with a NUL is not shown as before^@after")
	}
	if x := explanation(t, events, "250 2.0.0 Ok: queued as ..."); !strings.Contains(x, "1 line(s) ended in LF alone") {
		t.Errorf("the bare LFs are not explained: %q", x)
	}
}

// The autologout waits for a command, not for the whole message: a
// client that keeps sending text for longer than the timeout is not cut
// off (RFC 5321 section 4.5.3.2.5 times each block of text, not the
// message); one that stops sending is, with 421.
func TestSessionDataKeepsTheConnection(t *testing.T) {
	const idle = 300 * time.Millisecond
	st := demoStore(t)
	k := dialSession(t, Options{Store: st, Autologout: idle})
	k.run(`
		S: 220 localhost ESMTP
		C: HELO client.example.org
		S: 250 localhost
		C: MAIL FROM:<alex@example.org>
		S: 250 2.1.0 Ok
		C: RCPT TO:<melanie@example.org>
		S: 250 2.1.5 Ok
		C: DATA
		S: 354 End data with <CR><LF>.<CR><LF>
	`)
	for i := range 8 { // 800 ms of text, one line every 100 ms
		time.Sleep(idle / 3)
		k.send(fmt.Sprintf("line %d", i))
	}
	k.run(`
		C: .
		S: 250 2.0.0 Ok: queued as ...
		C: MAIL FROM:<alex@example.org>
		S: 250 2.1.0 Ok
		C: RCPT TO:<melanie@example.org>
		S: 250 2.1.5 Ok
		C: DATA
		S: 354 End data with <CR><LF>.<CR><LF>
		C: and then nothing
		S: 421 4.4.2 localhost Error: timeout exceeded
	`)
	events := k.end()
	if closeTrigger(events) != "timeout" {
		t.Errorf("ended with %q", closeTrigger(events))
	}
	if got := newest(t, st, "melanie"); !strings.HasSuffix(got, "\r\nline 6\r\nline 7\r\n") {
		t.Errorf("melanie got %q", got)
	}
}
