package mailpath_test

import (
	"strings"
	"testing"
	"time"

	"maillab/sim/mailpath"
)

func hasEvent(l *mailpath.Lab, kind mailpath.Kind, f func(mailpath.Event) bool) bool {
	for _, e := range l.Events("") {
		if e.Kind == kind && f(e) {
			return true
		}
	}
	return false
}

// RCPT → 452 for the next time only: the message is deferred, and the
// retry delivers it.
func TestFaultRcptTemporary(t *testing.T) {
	l, st := newLab(t, nil)
	if err := l.AddFault(mailpath.Fault{Host: "mx.example.net", Command: "RCPT", Reply: "452 4.2.2 Mailbox full", Times: 1}); err != nil {
		t.Fatal(err)
	}
	before := len(inbox(t, st, "mrose"))
	submit(t, l, "example.org", "melanie", "toybox", "melanie@example.org", []string{"mrose@example.net"}, "Subject: full\r\n\r\nx\r\n")
	if !hasEvent(l, mailpath.Deferred, func(e mailpath.Event) bool {
		return e.Code == 452 && e.Enhanced == "4.2.2" && e.Peer == "mx.example.net"
	}) {
		t.Fatalf("no deferral with 452: %s", kinds(l.Events("")))
	}
	if len(inbox(t, st, "mrose")) != before {
		t.Fatal("delivered despite 452")
	}
	l.Step(5 * time.Minute)
	if len(inbox(t, st, "mrose")) != before+1 || len(l.Queued()) != 0 {
		t.Fatalf("the retry did not deliver: %s", kinds(l.Events("")))
	}
	// The explanation of the faulty reply says where it came from.
	for _, e := range l.Events("") {
		if e.Kind != mailpath.Hop || e.Peer != "mx.example.net" {
			continue
		}
		tr, _ := l.Hop(e.Hop)
		for _, ev := range tr.Events {
			if ev.Kind == "explain" && strings.Contains(ev.Text, "fault rule") {
				return
			}
		}
	}
	t.Error("no hop explains the fault rule's reply")
}

// A greeting of 421 at the primary MX sends the mail to the secondary.
func TestFaultGreetingFallsBack(t *testing.T) {
	l, st := newLab(t, nil)
	l.AddFault(mailpath.Fault{Host: "mx1.example.org", Command: "CONNECT", Reply: "421 4.3.2 Service not available"})
	before := len(inbox(t, st, "alex"))
	submit(t, l, "example.net", "mrose", "tanstaaf", "mrose@example.net", []string{"alex@example.org"}, "Subject: hi\r\n\r\nx\r\n")
	if !hasEvent(l, mailpath.Relayed, func(e mailpath.Event) bool { return e.Peer == "mx2.example.org" }) || len(inbox(t, st, "alex")) != before+1 {
		t.Fatalf("not relayed via mx2: %s", kinds(l.Events("")))
	}
}

// DATA's end answered 554 with probability 1: bounced, with the DSN
// saying "in reply to end of DATA command".
func TestFaultDataPermanent(t *testing.T) {
	l, st := newLab(t, nil)
	l.AddFault(mailpath.Fault{Host: "mx.example.net", Command: ".", Reply: "554 5.7.1 Message rejected by policy", Probability: 1})
	submit(t, l, "example.org", "melanie", "toybox", "melanie@example.org", []string{"smith@example.net"}, "Subject: spammy\r\n\r\nx\r\n")
	msgs := inbox(t, st, "melanie")
	d := parseDSN(t, msgs[len(msgs)-1])
	if d.perRcpt[0].Get("Status") != "5.7.1" || !strings.Contains(d.human, "in reply to end of DATA command") {
		t.Errorf("DSN: %v\n%s", d.perRcpt[0], d.human)
	}
	l.ClearFaults()
	submit(t, l, "example.org", "melanie", "toybox", "melanie@example.org", []string{"smith@example.net"}, "Subject: fine\r\n\r\nx\r\n")
	if !hasEvent(l, mailpath.Delivered, func(e mailpath.Event) bool { return e.User == "smith" }) {
		t.Error("faults cleared, still not delivered")
	}
}

// Rules that cannot be applied are refused with the reason.
func TestFaultChecked(t *testing.T) {
	for _, f := range []mailpath.Fault{
		{Host: "mx.example.net", Command: "FROB", Reply: "452 4.2.2 x"},
		{Host: "mx.example.net", Command: "RCPT", Reply: "250 ok"},
		{Host: "mx.example.net", Command: "RCPT", Reply: "452 x\r\n250 y"},
		{Host: "mx.example.net", Command: "RCPT", Reply: "452 x", Probability: 2},
		{Host: "not a host", Command: "RCPT", Reply: "452 x"},
	} {
		l, _ := newLab(t, nil)
		if err := l.AddFault(f); err == nil {
			t.Errorf("%+v accepted", f)
		}
	}
}

// After a 421 greeting the client does not send QUIT into a closed
// connection: the transcript ends with the greeting.
func TestGreeting421EndsTheHop(t *testing.T) {
	l, _ := newLab(t, nil)
	l.AddFault(mailpath.Fault{Host: "mx.example.net", Command: "CONNECT", Reply: "421 4.3.2 Service not available"})
	submit(t, l, "example.org", "melanie", "toybox", "melanie@example.org", []string{"mrose@example.net"}, "Subject: x\r\n\r\nx\r\n")
	for _, e := range l.Events("") {
		if e.Kind == mailpath.Hop && e.Peer == "mx.example.net" {
			tr, _ := l.Hop(e.Hop)
			if len(tr.Steps) != 1 || tr.Steps[0].Code != 421 {
				t.Errorf("steps %+v", tr.Steps)
			}
		}
	}
	if !hasEvent(l, mailpath.Deferred, func(e mailpath.Event) bool { return e.Code == 421 }) {
		t.Errorf("not deferred on 421: %s", kinds(l.Events("")))
	}
}
