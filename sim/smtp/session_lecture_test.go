package smtp

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"maillab/sim/event"
	"maillab/sim/proto"
)

// The SMTP and LMTP sessions of the course texts and of the RFCs,
// replayed against the session loop on the lab's host (localhost), its
// domains (example.org, localhost) and its demo users. Where the lab's
// server answers in other words than the lecture's, the codes are the
// same and the lecture's line is kept as a comment.

// pinned is the session clock of these tests: the lecture's telnet
// session was on 9 July 1995.
func pinned() time.Time { return july1995 }

var queuedAs = regexp.MustCompile(`queued as ([0-9A-F]+)$`)

// queueIDs are the queue ids the 250 replies after the messages named.
func queueIDs(events []event.Event) []string {
	var out []string
	for _, e := range events {
		if m := queuedAs.FindStringSubmatch(e.Line); e.Kind == event.Server && m != nil {
			out = append(out, m[1])
		}
	}
	return out
}

// Lecture 002's telnet session of 1995 (seed 002), typed as the lecture
// types it. The lecture's sendmail answered EHLO with "500 command
// unrecognized"; the lab knows EHLO, and the HELO that follows greets
// again with the extensions off. The lecture's PC had no mailbox, hence
// "mail from:<>"; its recipient ysemenov@cernvm.cern.ch is melanie here,
// written as the lecture writes it, after a space and without brackets.
func TestSessionLecture002Telnet(t *testing.T) {
	st := demoStore(t)
	events := replay(t, "smtp", proto.Config{Store: st, Now: pinned}, `
		S: 220 localhost ESMTP   # 220 dxmint.cern.ch sendmail ready at sun, 9 jul 1995 11:13:57 +0200
		C: EHLO dxmint.cern.ch
		`+mtaEHLO+`
		# the lecture's server: 500 command unrecognized
		C: HELO crnvma.cern.ch
		S: 250 localhost   # 250 dxmint.cern.ch hello crnvma.cern.ch, pleased to meet you
		C: mail from:<>
		S: 250 2.1.0 Ok   # 250 <>... sender ok
		C: RCPT TO: melanie@example.org
		S: 250 2.1.5 Ok   # 250 <ysemenov@cernvm.cern.ch>... recipient ok
		C: DATA
		S: 354 End data with <CR><LF>.<CR><LF>
		C: nu-i-nu...
		C: .
		S: 250 2.0.0 Ok: queued as ...
		C: QUIT
		S: 221 2.0.0 Bye   # 221 dxmint.cern.ch closing connection
	`)
	ids := queueIDs(events)
	if len(ids) != 1 {
		t.Fatalf("queue ids %v", ids)
	}
	want := "Return-Path: <>\r\n" +
		"Received: from crnvma.cern.ch (localhost [127.0.0.1])\r\n" +
		"\tby localhost with SMTP id " + ids[0] + "\r\n" +
		"\tfor <melanie@example.org>; Sun, 9 Jul 1995 11:13:57 +0200 (CEST)\r\n" +
		"nu-i-nu...\r\n"
	if got := newest(t, st, "melanie"); got != want {
		t.Errorf("melanie got\n%q\nwant\n%q", got, want)
	}
	x := answerTo(t, events, "RCPT TO: melanie@example.org")
	for _, w := range []string{"There was a space after TO:", "without angle brackets"} {
		if !strings.Contains(x, w) {
			t.Errorf("the RCPT explanation lacks %q: %q", w, x)
		}
	}
	if x := answerTo(t, events, "mail from:<>"); !strings.Contains(x, "null reverse-path") {
		t.Errorf("MAIL FROM:<> explained as %q", x)
	}
}

// Lecture 002's "VRFY and EXPN" slide. The lecture's sendmail told who
// bobyshev was; the lab answers as Postfix does by default: 252, "cannot
// verify, but will accept" (RFC 5321 section 3.5.3), and 550 for a name
// it would not accept, where the lecture's server answered 553. With
// VRFYFull it answers 250 with the mailbox, as the lecture's did. EXPN
// lists an alias's members (RFC 5321 section 3.5.2).
func TestSessionLecture002VrfyExpn(t *testing.T) {
	aliases := "staff: melanie, alex\npostmaster: root\nroot: mrose\n"
	events := replayOptions(t, Options{Store: demoStore(t), Aliases: aliases}, `
		S: 220 localhost ESMTP
		C: vrfy melanie
		S: 252 2.0.0 <melanie@example.org>   # 250 andrey bobyshev
		C: EHLO client.example.org
		`+mtaEHLO+`
		C: VRFY Chtozachertovchina
		S: 550 5.1.1 <Chtozachertovchina@example.org>: Recipient address rejected: User unknown in local recipient table   # 553 User ambiguous
		C: VRFY <alex@localhost>
		S: 252 2.0.0 <alex@localhost>
		C: EXPN staff
		S: 250-2.0.0 <melanie@example.org>
		S: 250 2.0.0 <alex@example.org>
		C: EXPN postmaster
		S: 250 2.0.0 <mrose@example.org>
		C: EXPN melanie
		S: 550 5.1.0 That is a user name, not a mailing list
		C: EXPN nobody
		S: 550 5.1.1 String does not match anything.
		C: VRFY
		S: 501 5.5.4 Syntax: VRFY address
		C: QUIT
		S: 221 2.0.0 Bye
	`)
	if x := answerTo(t, events, "vrfy melanie"); !strings.Contains(x, "Cannot VRFY user, but will accept message") {
		t.Errorf("252 explained as %q", x)
	}
	replayOptions(t, Options{Store: demoStore(t), Config: Config{VRFY: VRFYFull}}, `
		S: 220 localhost ESMTP
		C: EHLO client.example.org
		`+mtaEHLO+`
		C: VRFY melanie
		S: 250 2.0.0 <melanie@example.org>
		C: QUIT
		S: 221 2.0.0 Bye
	`)
	replayOptions(t, Options{Store: demoStore(t), Config: Config{VRFY: VRFYDisabled}}, `
		S: 220 localhost ESMTP
		C: VRFY melanie
		S: 502 5.5.1 VRFY command is disabled
		C: QUIT
		S: 221 2.0.0 Bye
	`)
}

// Lecture 002's commands of RFC 821 that are gone: SEND, SOML and SAML
// (mail to the terminal) and TURN (swap the roles). The server knows them
// to say what they were, answers 502 in every state, and goes on.
func TestSessionLecture002Obsolete(t *testing.T) {
	st := demoStore(t)
	events := replay(t, "smtp", proto.Config{Store: st}, `
		S: 220 localhost ESMTP
		C: TURN
		S: 502 5.5.1 Error: command not implemented
		C: HELO crnvma.cern.ch
		S: 250 localhost
		C: SEND FROM:<ysemenov@cernvm.cern.ch>
		S: 502 5.5.1 Error: command not implemented
		C: SOML FROM:<ysemenov@cernvm.cern.ch>
		S: 502 5.5.1 Error: command not implemented
		C: SAML FROM:<ysemenov@cernvm.cern.ch>
		S: 502 5.5.1 Error: command not implemented
		C: MAIL FROM:<ysemenov@cernvm.cern.ch>
		S: 250 2.1.0 Ok
		C: TURN
		S: 502 5.5.1 Error: command not implemented
		C: RCPT TO:<alex@example.org>
		S: 250 2.1.5 Ok
		C: QUIT
		S: 221 2.0.0 Bye
	`)
	for line, want := range map[string]string{
		"SEND FROM:<ysemenov@cernvm.cern.ch>": "SEND (RFC 821) delivered the message to the recipient's terminal",
		"SOML FROM:<ysemenov@cernvm.cern.ch>": "SOML, Send Or MaiL (RFC 821)",
		"SAML FROM:<ysemenov@cernvm.cern.ch>": "SAML, Send And MaiL (RFC 821)",
		"TURN":                                "TURN (RFC 821) swapped the roles",
	} {
		if x := answerTo(t, events, line); !strings.HasPrefix(x, "502: ") || !strings.Contains(x, want) {
			t.Errorf("%s explained as %q", line, x)
		}
	}
	want := []string{"1:connect", "3:HELO", "4:MAIL", "5:RCPT", "12:QUIT"}
	if got := transitions(events); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("transitions %v, want %v", got, want)
	}
}

// RFC 5321 Appendix D.1, a typical SMTP transaction, which lecture 003
// (seed 003) shows: Smith at bar.com writes to Jones, Green and Brown.
// Here Jones is Melanie (any case reaches melanie), Green has no mailbox,
// and Brown is alex, at the lab's other domain. The RFC's replies are
// "250 OK" and "550 No such user here"; the codes are the same.
func TestSessionRFC5321AppendixD1(t *testing.T) {
	st := demoStore(t)
	mel, alex := inbox(t, st, "melanie"), inbox(t, st, "alex")
	nm, na := mel.Count(), alex.Count()
	recent := mel.Status().Recent
	next := mel.UIDNext()
	events := replay(t, "smtp", proto.Config{Store: st, Now: pinned}, `
		S: 220 localhost ESMTP   # 220 foo.com Simple Mail Transfer Service Ready
		C: EHLO bar.com
		`+mtaEHLO+`
		C: MAIL FROM:<Smith@bar.com>
		S: 250 2.1.0 Ok
		C: RCPT TO:<Melanie@example.org>
		S: 250 2.1.5 Ok
		C: RCPT TO:<Green@example.org>
		S: 550 5.1.1 <Green@example.org>: Recipient address rejected: User unknown in local recipient table
		C: RCPT TO:<Alex@localhost>
		S: 250 2.1.5 Ok
		C: DATA
		S: 354 End data with <CR><LF>.<CR><LF>
		C: Blah blah blah...
		C: ...etc. etc. etc.
		C: .
		S: 250 2.0.0 Ok: queued as ...
		C: QUIT
		S: 221 2.0.0 Bye   # 221 foo.com Service closing transmission channel
	`)
	ids := queueIDs(events)
	if len(ids) != 1 {
		t.Fatalf("queue ids %v", ids)
	}
	for _, r := range []struct {
		mb   interface{ Count() int }
		user string
		had  int
		to   string
	}{{mel, "melanie", nm, "Melanie@example.org"}, {alex, "alex", na, "Alex@localhost"}} {
		if got := r.mb.Count(); got != r.had+1 {
			t.Errorf("%s has %d messages, want %d", r.user, got, r.had+1)
		}
		want := "Return-Path: <Smith@bar.com>\r\n" +
			"Received: from bar.com (localhost [127.0.0.1])\r\n" +
			"\tby localhost with ESMTP id " + ids[0] + "\r\n" +
			"\tfor <" + r.to + ">; Sun, 9 Jul 1995 11:13:57 +0200 (CEST)\r\n" +
			"Blah blah blah...\r\n" +
			"..etc. etc. etc.\r\n" // the wire's "..." with its transparency dot removed
		if got := newest(t, st, r.user); got != want {
			t.Errorf("%s got\n%q\nwant\n%q", r.user, got, want)
		}
	}
	// The new message has the next UID and \Recent, for the first IMAP
	// session that selects INBOX (RFC 3501 section 2.3.2).
	if uids := mel.UIDs(); uids[len(uids)-1] != next {
		t.Errorf("the new message has UID %d, want %d", uids[len(uids)-1], next)
	}
	if got := mel.Status().Recent; got != recent+1 {
		t.Errorf("%d recent messages, want %d", got, recent+1)
	}
	if x := answerTo(t, events, "RCPT TO:<Melanie@example.org>"); !strings.Contains(x, `"Melanie" reached the user melanie`) {
		t.Errorf("RCPT explained as %q", x)
	}
	if x := answerTo(t, events, "."); !strings.Contains(x, "queued as "+ids[0]) || !strings.Contains(x, "melanie, alex") {
		t.Errorf("the final dot explained as %q", x)
	}
}

// Lecture 003's LMTP dialog (seed 003), typed with the lecture's "LHL0"
// (a zero), which the server refuses with a hint, and RFC 2033 section
// 4.2's example: after the message one reply per accepted recipient, in
// RCPT order, one of them a failure for that recipient alone. The RFC's
// green is over quota (452); the lab has no quotas, so alex's mailbox
// fails to store (451): both are 4xx, and both concern one recipient.
func TestSessionRFC2033LMTP(t *testing.T) {
	st := demoStore(t)
	st.SetPersister(failing{user: "alex"})
	before := inbox(t, st, "melanie").Count()
	events := replay(t, "lmtp", proto.Config{Store: st, Now: pinned}, `
		S: 220 localhost LMTP   # 220 foo.edu LMTP server ready
		C: LHL0 foo.edu
		S: 500 5.5.1 Error: command not recognized
		C: HELO foo.edu
		S: 500 5.5.1 Error: command not recognized
		C: LHLO foo.edu
		`+mtaEHLO+`
		C: MAIL FROM:<chris@bar.com>
		S: 250 2.1.0 Ok
		C: RCPT TO:<melanie@example.org>
		S: 250 2.1.5 Ok   # pat@foo.edu
		C: RCPT TO:<jones@example.org>
		S: 550 5.1.1 <jones@example.org>: Recipient address rejected: User unknown in local recipient table
		C: RCPT TO:<alex@example.org>
		S: 250 2.1.5 Ok   # green@foo.edu
		C: DATA
		S: 354 End data with <CR><LF>.<CR><LF>
		C: Blah blah blah...
		C: ...etc. etc. etc.
		C: .
		S: 250 2.0.0 <melanie@example.org> Ok: delivered
		S: 451 4.3.0 <alex@example.org> Error: could not store the message   # 452 <green@foo.edu> is temporarily over quota
		C: QUIT
		S: 221 2.0.0 Bye   # 221 foo.edu closing connection
	`)
	if got := inbox(t, st, "melanie").Count(); got != before+1 {
		t.Errorf("melanie has %d messages, want %d", got, before+1)
	}
	if got := newest(t, st, "melanie"); !strings.HasPrefix(got, "Return-Path: <chris@bar.com>\r\nReceived: from foo.edu (localhost [127.0.0.1])\r\n\tby localhost with LMTP id ") ||
		!strings.HasSuffix(got, "; Sun, 9 Jul 1995 11:13:57 +0200 (CEST)\r\nBlah blah blah...\r\n..etc. etc. etc.\r\n") {
		t.Errorf("melanie got %q", got)
	}
	if x := answerTo(t, events, "LHL0 foo.edu"); !strings.Contains(x, "Did you mean LHLO?") {
		t.Errorf("LHL0 explained as %q", x)
	}
	if x := explanation(t, events, "451 4.3.0 <alex@example.org>..."); !strings.Contains(x, "concerns this recipient only") {
		t.Errorf("the 451 explained as %q", x)
	}
	want := []string{"1:connect", "3L:LHLO", "4:MAIL", "5:RCPT", "5r:RCPT", "6:DATA", "7L:.", "12:QUIT"}
	if got := transitions(events); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("transitions %v, want %v", got, want)
	}
}
