package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"maillab/lessons"
	"maillab/sim/lesson"
	"maillab/sim/mailpath"
)

// journeyLab opens the shipped journey lesson as the page does (its
// store and its mail path given to the Lab).
func journeyLab(t *testing.T) (*Lab, *recorder, *journey) {
	t.Helper()
	l, err := lesson.LoadFS(lessons.FS(), "mail-03-mx-fallback.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e, err := lesson.New(l, lesson.Options{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	rec := newRecorder()
	lab, err := NewLab(nil, rec.host())
	if err != nil {
		t.Fatal(err)
	}
	lab.setStore(e.Store())
	j := newJourney(e)
	if j == nil {
		t.Fatal("the journey lesson has no mail path")
	}
	lab.setPath(j)
	return lab, rec, j
}

// submit sends melanie's message to rcpt through the page's SMTP
// terminal, which is example.org's MSA, and waits for DATA's answer.
func submit(t *testing.T, lab *Lab, rec *recorder, rcpt, subject string) {
	t.Helper()
	id := open(t, lab, "smtp")
	rec.waitFor(t, id, "220 ")
	lab.Write(id, []byte("EHLO client.example\r\nAUTH PLAIN AG1lbGFuaWUAdG95Ym94\r\nMAIL FROM:<melanie@example.org>\r\nRCPT TO:<"+rcpt+">\r\nDATA\r\n"))
	rec.waitFor(t, id, "354 ")
	lab.Write(id, []byte("Subject: "+subject+"\r\n\r\nhello\r\n.\r\nQUIT\r\n"))
	rec.waitFor(t, id, "221 ")
}

func kinds(evs []journeyEvent) string {
	var out []string
	for _, e := range evs {
		s := string(e.Kind)
		if e.Peer != "" {
			s += " " + e.Peer
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

// The page's SMTP terminal submits into the lesson's mail path: the
// journey's events say the primary MX was down and the secondary took
// the mail over to the LDA, each hop's transcript reads as its session,
// and a POP3 terminal finds the message in mrose's INBOX.
func TestThePageTerminalSubmitsIntoTheMailPath(t *testing.T) {
	lab, rec, j := journeyLab(t)
	submit(t, lab, rec, "mrose@example.net", "Across the lab")

	st := j.state(0, "en")
	want := "submitted, lookup, unreachable mx1.example.net, hop mx2.example.net, hop lmtp.example.net, delivered mx2.example.net, relayed mx2.example.net"
	if got := kinds(st.Events); got != want {
		t.Errorf("events: %s\nwant: %s", got, want)
	}
	if st.Gen != j.gen || len(st.Domains) != 2 || len(st.Queue) != 0 {
		t.Errorf("state: gen %d domains %d queue %v", st.Gen, len(st.Domains), st.Queue)
	}
	for _, e := range st.Events {
		if e.Explain == "" {
			t.Errorf("event %s has no explanation", e.Kind)
		}
	}
	if later := j.state(st.Events[len(st.Events)-1].Seq, "en"); len(later.Events) != 0 {
		t.Errorf("events after the last: %s", kinds(later.Events))
	}
	var hopIDs []int
	for _, e := range st.Events {
		if e.Kind == mailpath.Hop {
			hopIDs = append(hopIDs, e.Hop)
		}
	}
	smtpHop, err := j.hop(hopIDs[0])
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range smtpHop.Lines {
		lines = append(lines, l.Dir+": "+l.Line)
	}
	text := strings.Join(lines, "\n")
	for _, w := range []string{"s: 220 mx2.example.net", "c: EHLO smtp.example.org", "c: MAIL FROM:<melanie@example.org>", "c: RCPT TO:<mrose@example.net>", "c: DATA", "s: 354 "} {
		if !strings.Contains(text, w) {
			t.Errorf("the SMTP hop's transcript lacks %q:\n%s", w, text)
		}
	}
	if lmtpHop, _ := j.hop(hopIDs[1]); lmtpHop.Proto != "lmtp" || lmtpHop.Server != "lmtp.example.net" {
		t.Errorf("second hop: %+v", lmtpHop)
	}
	if _, err := j.hop(999); err == nil {
		t.Error("hop 999 exists")
	}

	id := open(t, lab, "pop3")
	rec.waitFor(t, id, "+OK")
	lab.Write(id, []byte("USER mrose\r\nPASS tanstaaf\r\nRETR 1\r\nQUIT\r\n"))
	out := rec.waitFor(t, id, "Subject: Across the lab")
	if n := strings.Count(out, "Received: "); n != 3 {
		t.Errorf("the delivered message has %d Received: lines, want 3 (MSA, mx2, LDA):\n%s", n, out)
	}
}

// A fault rule switched on from the page keeps the next message queued
// with its retry time; stepping the lab clock past it delivers it.
func TestAFaultQueuesAndAStepDelivers(t *testing.T) {
	lab, rec, j := journeyLab(t)
	if err := j.addFault(`{"host":"mx2.example.net","command":"RCPT","reply":"452 4.2.2 Mailbox full","times":1}`); err != nil {
		t.Fatal(err)
	}
	if err := j.addFault(`{"host":"mx2.example.net","command":"FETCH","reply":"452 x"}`); err == nil {
		t.Error("a rule for FETCH was taken")
	}
	submit(t, lab, rec, "mrose@example.net", "Queued")
	st := j.state(0, "en")
	if len(st.Faults) != 1 || len(st.Queue) != 1 {
		t.Fatalf("faults %v, queue %v", st.Faults, st.Queue)
	}
	q := st.Queue[0]
	if q.Attempts != 1 || !q.Next.After(st.Now) || !strings.Contains(q.Reason, "Mailbox full") {
		t.Errorf("queued: %+v (now %v)", q, st.Now)
	}
	last := st.Events[len(st.Events)-1]
	if last.Kind != mailpath.Deferred || last.Code != 452 {
		t.Errorf("last event %+v, want deferred 452", last.Event)
	}
	if err := j.step(-time.Second); err == nil {
		t.Error("a negative step was taken")
	}
	if err := j.step(q.Next.Sub(st.Now)); err != nil {
		t.Fatal(err)
	}
	after := j.state(last.Seq, "en")
	if got := kinds(after.Events); !strings.Contains(got, "delivered") || len(after.Queue) != 0 {
		t.Errorf("after the step: %s; queue %v", got, after.Queue)
	}
	j.clearFaults()
	if st := j.state(0, "en"); len(st.Faults) != 0 {
		t.Errorf("faults after clear: %v", st.Faults)
	}
	if err := j.setSpeed(-1); err == nil {
		t.Error("speed -1 was taken")
	}
	if err := j.setSpeed(60); err != nil || j.lab.Clock().Speed() != 60 {
		t.Errorf("speed 60: %v, %v", err, j.lab.Clock().Speed())
	}
	if dig := j.dig("example.net", "MX"); !strings.Contains(dig, "20 mx2.example.net.") {
		t.Errorf("dig:\n%s", dig)
	}
	b, err := json.Marshal(j.state(0, "ru"))
	if err != nil || !strings.Contains(string(b), `"explain":"`) {
		t.Errorf("state JSON: %v %.200s", err, b)
	}
}

// Without a lesson's mail path the page's SMTP terminal is the plain
// lab's server, and leaving the lesson (a new store) drops the path.
func TestANewStoreDropsTheMailPath(t *testing.T) {
	lab, _, _ := journeyLab(t)
	st, err := buildStore(nil)
	if err != nil {
		t.Fatal(err)
	}
	lab.setStore(st)
	if lab.journey() != nil {
		t.Error("the mail path outlived its store")
	}
}

// The state's lists are JSON arrays, never null, before anything happens.
func TestTheJourneyStateHasNoNullLists(t *testing.T) {
	_, _, j := journeyLab(t)
	j.clearFaults()
	b, err := json.Marshal(j.state(0, "en"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "null") {
		t.Errorf("state: %s", b)
	}
}
