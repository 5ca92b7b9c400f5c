package pop3

import (
	"strings"
	"testing"

	"maillab/sim/mailstore"
)

// mrose is RFC 1939's example maildrop: two messages of 120 and 200
// octets, password "secret" for PASS, or "tanstaaf" as the APOP secret.
var (
	rfcMsg1 = sized(120, "From: dewey@example.org", "Subject: one")
	rfcMsg2 = sized(200, "From: dewey@example.org", "Subject: two")
)

func mrose(t *testing.T, password string) Options {
	return Options{Hostname: "dewey", APOPTimestamp: "<1896.697170952@dbc.mtview.ca.us>",
		Store: newStore(t, account{name: "mrose", password: password, msgs: [][]byte{rfcMsg1, rfcMsg2}})}
}

// RFC 1939 section 10, the example POP3 session. The APOP answer there
// reads "mrose's maildrop has 2 messages (320 octets)"; section 7's APOP
// example, which the lectures quote, reads "maildrop has 1 message (369
// octets)", and this server words its APOP answer like that one.
func TestRFC1939ExampleSession(t *testing.T) {
	o := mrose(t, "tanstaaf")
	transcript(t, o, `
		S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
		C: APOP mrose c4c9334bac560ecc979e58001b3e22fb
		S~ +OK mrose's maildrop has 2 messages (320 octets)
		C: STAT
		S: +OK 2 320
		C: LIST
		S: +OK 2 messages (320 octets)
		S: 1 120
		S: 2 200
		S: .
		C: RETR 1
		S: +OK 120 octets
	`+serverLines(rfcMsg1)+`
		S: .
		C: DELE 1
		S: +OK message 1 deleted
		C: RETR 2
		S: +OK 200 octets
	`+serverLines(rfcMsg2)+`
		S: .
		C: DELE 2
		S: +OK message 2 deleted
		C: QUIT
		S: +OK dewey POP3 server signing off (maildrop empty)
	`)
	u, _ := o.Store.User("mrose")
	mb, _ := u.Mailbox(mailstore.Inbox)
	if n := len(mb.UIDs()); n != 0 {
		t.Errorf("after QUIT the maildrop holds %d messages, want 0", n)
	}
}

// RFC 1939 section 7's examples of each command, which lecture 002 quotes
// (with "К:"/"С:" for C:/S:). USER frated gets +OK here, not "-ERR sorry,
// no mailbox for frated here": this server does not reveal which names
// exist (see cmdUser). "mrose is a real hoopy frood" is RFC 1939's joke.
// UIDL's ids and TOP's bare "+OK" are the RFC's example values.
func TestRFC1939Section7(t *testing.T) {
	transcript(t, mrose(t, "secret"), `
		S* +OK
		C: USER frated
		# RFC: -ERR sorry, no mailbox for frated here
		S: +OK User name accepted, password please
		C: USER mrose
		S~ +OK mrose is a real hoopy frood
		C: PASS secret
		S: +OK mrose's maildrop has 2 messages (320 octets)
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
	`+serverLines(rfcMsg1)+`
		S: .
		C: TOP 1 10
		S* +OK
	`+topLines(rfcMsg1, 10)+`
		S: .
		C: TOP 100 3
		S~ -ERR no such message
		C: UIDL
		S* +OK
		S* 1 whqtswO00WBw418f9t5JxYwZ
		S* 2 QhdPYR:00WBw1Ph7x7
		S: .
		C: UIDL 3
		S: -ERR no such message, only 2 messages in maildrop
		C: NOOP
		S: +OK
		C: DELE 1
		S: +OK message 1 deleted
		C: DELE 2
		S: +OK message 2 deleted
		C: DELE 2
		S: -ERR message 2 already deleted
		C: RSET
		S: +OK maildrop has 2 messages (320 octets)
		C: QUIT
		S: +OK dewey POP3 server signing off (2 messages left)
	`)
}

// RFC 1939 section 7, QUIT in the AUTHORIZATION state, and PASS refused
// because another session holds the maildrop (with RFC 2449's [IN-USE]).
func TestRFC1939QuitAndLocked(t *testing.T) {
	o := mrose(t, "secret")
	first := transcript(t, o, `
		S* +OK
		C: USER mrose
		S* +OK
		C: PASS secret
		S: +OK mrose's maildrop has 2 messages (320 octets)
	`)
	transcript(t, o, `
		S* +OK
		C: USER mrose
		S* +OK
		C: PASS secret
		S: -ERR [IN-USE] maildrop already locked
		C: QUIT
		S: +OK dewey POP3 server signing off
	`)
	if got := first.cmd("QUIT"); got != "+OK dewey POP3 server signing off (2 messages left)" {
		t.Errorf("QUIT: %q", got)
	}
}

func TestAPOPDigest(t *testing.T) {
	if got := apopDigest("<1896.697170952@dbc.mtview.ca.us>", "tanstaaf"); got != "c4c9334bac560ecc979e58001b3e22fb" {
		t.Errorf("digest %s", got)
	}
}

// RFC 1939 section 7: LIST, STAT and RETR's "+OK n octets" give the size
// of what RETR sends before the terminating line (without the stuffed
// dots). A message whose last line has no line ending gets one on the
// wire, so it counts.
func TestSizeCountsWhatRETRSends(t *testing.T) {
	st := newStore(t, account{name: "kim", password: "x", msgs: [][]byte{
		[]byte("Subject: no newline\r\n\r\nlast line"),
		[]byte("Subject: ends well\r\n\r\n.dot\r\n"),
	}})
	k := dial(t, Options{Store: st})
	k.line()
	k.cmd("USER kim")
	k.cmd("PASS x")
	k.cmd("LIST")
	listing := k.multi()
	total := 0
	for n := 1; n <= 2; n++ {
		got := k.cmd("RETR " + itoa(n))
		sent := 0
		for _, l := range k.multi() {
			sent += len(strings.TrimPrefix(l, ".")) + 2
		}
		total += sent
		if want := "+OK " + itoa(sent) + " octets"; got != want {
			t.Errorf("RETR %d: %q, but %d octets were sent", n, got, sent)
		}
		if want := itoa(n) + " " + itoa(sent); listing[n-1] != want {
			t.Errorf("LIST: %q, want %q", listing[n-1], want)
		}
	}
	if got, want := k.cmd("STAT"), "+OK 2 "+itoa(total); got != want {
		t.Errorf("STAT: %q, want %q", got, want)
	}
}
