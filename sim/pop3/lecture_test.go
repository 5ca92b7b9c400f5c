package pop3

import (
	"strings"
	"testing"
)

// The POP3 sessions of the lecture texts, replayed against the server.
// Lines the protocol fixes (numbers, octet counts, message content,
// multi-line framing) are compared exactly; lines whose text belongs to
// the server the lecture used are compared by status and numbers (S~) or
// status only (S*), with the reason beside them.

// serverLines renders a message as the data lines of a multi-line answer,
// as transcript lines, dot-stuffed.
func serverLines(raw []byte) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimSuffix(string(raw), "\r\n"), "\r\n") {
		if strings.HasPrefix(l, ".") {
			l = "." + l
		}
		b.WriteString("S: " + l + "\n")
	}
	return b.String()
}

// topLines is serverLines for TOP: the header, the blank line and n body lines.
func topLines(raw []byte, n int) string {
	head, body, _ := strings.Cut(string(raw), "\r\n\r\n")
	lines := strings.SplitAfter(body, "\r\n")
	keep := head + "\r\n\r\n" + strings.Join(lines[:min(n, len(lines))], "")
	return serverLines([]byte(keep))
}

// inosmi is the test message of lecture 000's RETR and TOP slides. The
// slide breaks the Received field over lines without the leading
// whitespace a folded field needs; it is folded with tabs here.
var inosmi = []byte(strings.Join([]string{
	"Return-path: <noreply@inosmi.ru>",
	"Received: from [195.230.73.2] (port=49278",
	"\thelo=m2.rian.ru)",
	"\tby mx54.mail.ru with esmtp",
	"\tid 1JCR-60-00; Fri, 09 May 2008 00:10:31 +0400",
	"From: noreply@inosmi.ru",
	"To: undisclosed-recipients: ;",
	"Subject: test message",
	"Message-Id: <2008050820.C8B3336C7C9@inosmi.rian.ru>",
	"Date: Fri, 9 May 2008 00:10:14 +0400 (MSD)",
	"",
	"This is a test message",
	"",
}, "\r\n"))

func melanie(sizes ...int) account {
	a := account{name: "melanie", password: "toybox"}
	for i, n := range sizes {
		a.msgs = append(a.msgs, sized(n, "From: alex@example.org", "Subject: message "+itoa(i+1)))
	}
	return a
}

const login = `
	C: USER melanie
	S: +OK User name accepted, password please
	C: PASS toybox
`

// Lecture 000, "USER и PASS": the telnet session. The greeting names the
// lecture's server and its version ("POP3 localhost v7.59"); this one
// carries the APOP timestamp instead. "Mailbox open, 0 messages" and
// "Sayonara" are that server's words for the same answers.
func TestLecture000UserPass(t *testing.T) {
	transcript(t, Options{Store: newStore(t, melanie())}, `
		S* +OK POP3 localhost v7.59 server ready
		C: USER melanie
		S: +OK User name accepted, password please
		C: PASS toybox
		S~ +OK Mailbox open, 0 messages
		C: QUIT
		S~ +OK Sayonara
	`)
}

// Lecture 000, "STAT и LIST". The slide's STAT (2 802) and LIST (355 and
// 465, which make 820) cannot come from one maildrop, so each is replayed
// on its own: STAT with messages of 355 and 447 octets, LIST with 355 and
// 465. "Mailbox scan listing follows" and "No such message" are the
// lecture server's texts.
func TestLecture000Stat(t *testing.T) {
	transcript(t, Options{Store: newStore(t, melanie(355, 447))}, `
		S* +OK
	`+login+`
		S~ +OK
		C: STAT
		S: +OK 2 802
		C: QUIT
		S* +OK
	`)
}

func TestLecture000List(t *testing.T) {
	transcript(t, Options{Store: newStore(t, melanie(355, 465))}, `
		S* +OK
	`+login+`
		S~ +OK
		C: LIST
		S~ +OK Mailbox scan listing follows
		S: 1 355
		S: 2 465
		S: .
		C: LIST 1
		S: +OK 1 355
		C: LIST 3
		S~ -ERR No such message
		C: QUIT
		S* +OK
	`)
}

// Lecture 000, "RETR" and "TOP": message 5 is the inosmi.ru test message.
// The slide says "+OK 296 octets", but the text it shows is 376 octets
// with CRLF line endings; a server must count the message it sends, so
// the size here is 376.
func TestLecture000RetrTop(t *testing.T) {
	a := melanie(300, 310, 320, 330)
	a.msgs = append(a.msgs, inosmi)
	transcript(t, Options{Store: newStore(t, a)}, `
		S* +OK
	`+login+`
		S~ +OK
		C: RETR 5
		S: +OK 376 octets
	`+serverLines(inosmi)+`
		S: .
		C: TOP 5 0
		S: +OK top of message follows
	`+topLines(inosmi, 0)+`
		S: .
		C: QUIT
		S* +OK
	`)
}

// Lecture 000, "DELE и RSET": a marked message drops out of LIST while the
// others keep their numbers. "Message deleted" and "Mailbox scan listing
// follows" are the lecture server's texts.
func TestLecture000Dele(t *testing.T) {
	transcript(t, Options{Store: newStore(t, melanie(377, 387, 396))}, `
		S* +OK
	`+login+`
		S~ +OK
		C: LIST
		S~ +OK Mailbox scan listing follows
		S: 1 377
		S: 2 387
		S: 3 396
		S: .
		C: DELE 1
		S~ +OK Message deleted
		C: LIST
		S~ +OK Mailbox scan listing follows
		S: 2 387
		S: 3 396
		S: .
		C: RSET
		S: +OK maildrop has 3 messages (1160 octets)
		C: QUIT
		S: +OK localhost POP3 server signing off (3 messages left)
	`)
}

// Lecture 000, "UIDL": after DELE 1 and QUIT, a new session numbers the
// two remaining messages 1 and 2, and their unique ids are the ones they
// had before. The ids themselves are the lecture server's own format
// (37cabbc0000000a); this server's are UID and UIDVALIDITY in hex.
func TestLecture000Uidl(t *testing.T) {
	st := newStore(t, melanie(370, 371, 370))
	k := transcript(t, Options{Store: st}, `
		S* +OK
	`+login+`
		S~ +OK
		C: LIST
		S~ +OK listing follows
		S: 1 370
		S: 2 371
		S: 3 370
		S: .
		C: UIDL
		S~ +OK UID listing follows
		S* 1 37cabbc00000009
		S* 2 37cabbc0000000a
		S* 3 37cabbc0000000b
		S: .
		C: DELE 1
		S~ +OK Message deleted
		C: QUIT
		S* +OK
	`)
	before := uidlLines(k.rec.Lines())
	k = transcript(t, Options{Store: st}, `
		S* +OK
	`+login+`
		S~ +OK
		C: LIST
		S~ +OK listing follows
		S: 1 371
		S: 2 370
		S: .
		C: UIDL
		S~ +OK UID listing follows
		S* 1 37cabbc0000000a
		S* 2 37cabbc0000000b
		S: .
		C: QUIT
		S* +OK
	`)
	after := uidlLines(k.rec.Lines())
	if len(before) != 3 || len(after) != 2 || after["1"] != before["2"] || after["2"] != before["3"] {
		t.Errorf("unique ids not stable across sessions: before %v, after %v", before, after)
	}
}

// uidlLines maps message numbers to ids from "S: n id" data lines.
func uidlLines(lines []string) map[string]string {
	out := map[string]string{}
	for _, l := range lines {
		var n, id string
		if f := strings.Fields(strings.TrimPrefix(l, "S: ")); len(f) == 2 && strings.HasPrefix(l, "S: ") && digits(f[0]) && len(f[1]) == 16 {
			n, id = f[0], f[1]
			out[n] = id
		}
	}
	return out
}

// Lecture 000 and RFC 1939 section 7, APOP: with the lecture's timestamp
// and the secret tanstaaf the digest is c4c9334bac560ecc979e58001b3e22fb.
// The slide shows the timestamp on a line of its own; on the wire it ends
// the greeting line.
func TestLecture000APOP(t *testing.T) {
	st := newStore(t, account{name: "mrose", password: "tanstaaf", msgs: [][]byte{sized(369, "Subject: hello")}})
	transcript(t, Options{Store: st, APOPTimestamp: "<1896.697170952@dbc.mtview.ca.us>"}, `
		S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
		C: APOP mrose c4c9334bac560ecc979e58001b3e22fb
		S: +OK maildrop has 1 message (369 octets)
		C: QUIT
		S: +OK localhost POP3 server signing off (1 message left)
	`)
}

// lonk3 is message 3 of lecture 003's annotated session: 807 octets, its
// header elided on the slide ("...") and filled here to that size.
var lonk3 = padded(807, []string{"Return-Path: <lonk@pds.sut.ru>", "Status: R0"}, "Привет!\r\nЭто тестовое сообщение.\r\n")

// Lecture 003, "Пример сеанса POP3": Qpopper's annotated session. Its
// texts ("ready", "Password required for lonk.", "3 visible messages",
// "uidl command accepted.", "Message 3 has been deleted.") are Qpopper's;
// the numbers are the protocol's and match. Qpopper's CAPA lists
// LOGIN-DELAY and X-LOCALTIME, which this server does not have; this
// server lists its own capabilities, with IMPLEMENTATION after login as
// Qpopper does. The slide's "+ OK 2 222578" is a typo for "+OK".
func TestLecture003Annotated(t *testing.T) {
	st := newStore(t, account{name: "lonk", password: "my_passwd", msgs: [][]byte{
		sized(111293, "Return-Path: <lonk@pds.sut.ru>", "Subject: one"),
		sized(111285, "Return-Path: <lonk@pds.sut.ru>", "Subject: two"),
		lonk3,
	}})
	transcript(t, Options{Store: st, Hostname: "myhost.ru", APOPTimestamp: "<6584.1077893295@myhost.ru>"}, `
		S~ +OK ready <6584.1077893295@myhost.ru>
		C: CAPA
		S: +OK Capability list follows
		S: TOP
		S: USER
		S: UIDL
		S: RESP-CODES
		S: AUTH-RESP-CODE
		S: PIPELINING
		S: EXPIRE NEVER
		S: SASL PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256
		S: .
		C: USER lonk
		S~ +OK Password required for lonk.
		C: PASS my_passwd
		S~ +OK lonk has 3 visible messages in 223385 octets.
		C: CAPA
		S: +OK Capability list follows
		S: TOP
		S: USER
		S: UIDL
		S: RESP-CODES
		S: AUTH-RESP-CODE
		S: PIPELINING
		S: EXPIRE NEVER
		S: SASL PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256
		S: IMPLEMENTATION maillab-pop3
		S: .
		C: LIST
		S~ +OK 3 visible messages (223385 octets)
		S: 1 111293
		S: 2 111285
		S: 3 807
		S: .
		C: UIDL
		S* +OK uidl command accepted.
		S* 1 44b61790f4bb2
		S* 2 0e9c69b8c1feb
		S* 3 e30d593d3af4c
		S: .
		C: TOP 3 1
		S~ +OK Message follows
	`+topLines(lonk3, 1)+`
		S: .
		C: DELE 3
		S~ +OK Message 3 has been deleted.
		C: STAT
		S: +OK 2 222578
		C: RETR 3
		S~ -ERR Message 3 has been deleted.
		C: RSET
		S~ +OK Maildrop has 3 messages (223385 octets)
		C: RETR 3
		S: +OK 807 octets
	`+serverLines(lonk3)+`
		S: .
		C: QUIT
		S~ +OK Pop server at myhost.ru signing off.
	`)
}

// xxx is the account of lecture 004's examples (RFC 1939's, with the
// names replaced): two messages of 120 and 200 octets.
func xxx(t *testing.T) Options {
	return Options{Hostname: "xxx", Store: newStore(t,
		account{name: "xxx", password: "secret", msgs: [][]byte{sized(120, "Subject: one"), sized(200, "Subject: two")}},
		account{name: "JankoS", password: "tanstaaf", msgs: [][]byte{sized(369, "Subject: ahoj")}},
	)}
}

// Lecture 004, USER, PASS, STAT, LIST, RETR, NOOP, RSET, QUIT. "xxx is a
// real hoopy frood" is RFC 1939's joke; this server's USER answer does not
// say whether a mailbox exists, and neither does it for "xzy" (the
// lecture's "-ERR sorry, no mailbox for xzy here"): PASS fails instead.
func TestLecture004Transaction(t *testing.T) {
	transcript(t, xxx(t), `
		S* +OK
		C: USER xzy
		S* +OK
		C: USER xxx
		S~ +OK xxx is a real hoopy frood
		C: PASS secret
		S: +OK xxx's maildrop has 2 messages (320 octets)
		C: STAT
		S: +OK 2 320
		C: LIST
		S: +OK 2 messages (320 octets)
		S: 1 120
		S: 2 200
		S: .
		C: LIST 2
		S: +OK 2 200
		C: LIST 3
		S: -ERR no such message, only 2 messages in maildrop
		C: RETR 1
		S: +OK 120 octets
	`+serverLines(sized(120, "Subject: one"))+`
		S: .
		C: NOOP
		S: +OK
		C: TOP 1 10
		S* +OK
	`+topLines(sized(120, "Subject: one"), 10)+`
		S: .
		C: TOP 100 3
		S~ -ERR no such message
		C: UIDL 2
		S* +OK 2 QhdPYR:00WBw1Ph7x7
		C: UIDL 3
		S: -ERR no such message, only 2 messages in maildrop
		C: DELE 1
		S: +OK message 1 deleted
		C: RSET
		S: +OK maildrop has 2 messages (320 octets)
		C: QUIT
		S: +OK xxx POP3 server signing off (2 messages left)
	`)
}

// Lecture 004, QUIT after deleting everything, and PASS while another
// session holds the lock. The lecture's "-ERR maildrop already locked"
// gains the RFC 2449 response code [IN-USE].
func TestLecture004QuitAndLock(t *testing.T) {
	o := xxx(t)
	first := transcript(t, o, `
		S* +OK
		C: USER xxx
		S~ +OK xxx is a real hoopy frood
		C: PASS secret
		S: +OK xxx's maildrop has 2 messages (320 octets)
	`)
	transcript(t, o, `
		S* +OK
		C: USER xxx
		S~ +OK xxx is a real hoopy frood
		C: PASS secret
		S~ -ERR maildrop already locked
		C: QUIT
		S: +OK xxx POP3 server signing off
	`)
	first.send("DELE 1")
	first.line()
	first.send("DELE 2")
	first.line()
	if got := first.cmd("QUIT"); got != "+OK xxx POP3 server signing off (maildrop empty)" {
		t.Errorf("QUIT: %q", got)
	}
}

// Lecture 004, APOP with the lecture's own user name.
func TestLecture004APOP(t *testing.T) {
	o := xxx(t)
	o.APOPTimestamp = "<1896.697170952@dbc.mtview.ca.us>"
	transcript(t, o, `
		S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
		C: APOP JankoS c4c9334bac560ecc979e58001b3e22fb
		S: +OK maildrop has 1 message (369 octets)
		C: QUIT
		S* +OK
	`)
}
