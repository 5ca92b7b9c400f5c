package lesson_test

import (
	"strings"
	"testing"
	"time"

	"maillab/sim/lesson"
	_ "maillab/sim/lesson/withmailpath"
)

// A lesson on the mail path: the learner submits to the first domain's
// MSA; the primary MX of the other domain is down, the secondary takes
// the mail, and the LDA delivers it; then mail to nobody bounces, and an
// RCPT fault keeps a message queued.
const pathLesson = `id: smtp-path
protocol: smtp
level: 2
title: {en: The journey}
fixture:
  accounts:
    - {user: melanie, password: toybox}
    - {user: mrose, password: tanstaaf}
  domains:
    - name: example.org
      users: [melanie]
      mx: [{host: mx.example.org, priority: 10}]
    - name: example.net
      users: [mrose]
      mx:
        - {host: mx1.example.net, priority: 10}
        - {host: mx2.example.net, priority: 20}
  hosts:
    - {name: smtp.example.org, a: 192.0.2.25}
    - {name: mx1.example.net, a: 198.51.100.1, down: true}
    - {name: mx2.example.net, a: 198.51.100.2}
    - {name: lmtp.example.net, a: 198.51.100.24}
  faults:
    - {host: mx2.example.net, command: RCPT, reply: "452 4.2.2 Mailbox full", times: 1}
steps:
  - text: {en: Log in and send mrose a message; it waits in the queue.}
    goals:
      - mail: {queued: true, host: mx2.example.net, command: RCPT, code: 452}
    solution:
      - EHLO client.example
      - AUTH PLAIN AG1lbGFuaWUAdG95Ym94
      - MAIL FROM:<melanie@example.org>
      - RCPT TO:<mrose@example.net>
      - DATA
      - "Subject: first"
      - ""
      - hi
      - .
  - text: {en: Send it again.}
    goals:
      - mail: {delivered: mrose@example.net, via: mx2.example.net, received: 3}
    solution:
      - MAIL FROM:<melanie@example.org>
      - RCPT TO:<mrose@example.net>
      - DATA
      - "Subject: second"
      - ""
      - hi
      - .
  - text: {en: Write to nobody.}
    goals:
      - mail: {bounced: nobody@example.net}
      - count: {user: melanie, messages: 1}
    solution:
      - MAIL FROM:<melanie@example.org>
      - RCPT TO:<nobody@example.net>
      - DATA
      - "Subject: third"
      - ""
      - hi
      - .
  - text: {en: mrose is not at example.org.}
    goals:
      - response: {command: RCPT, status: "550", code: 5.1.1}
    solution:
      - MAIL FROM:<melanie@example.org>
      - RCPT TO:<mrose@example.org>
      - RSET
`

func TestMailPathLesson(t *testing.T) {
	l, err := lesson.Parse("t.yaml", []byte(pathLesson))
	if err != nil {
		t.Fatal(err)
	}
	if err := lesson.Replay(l); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ from, to, want string }{
		{"users: [mrose]", "users: [ghost]", "not a fixture account"},
		{"      - mail: {bounced: nobody@example.net}", "      - mail: {received: 2}", "give delivered too"},
		{"command: RCPT, reply:", "command: FROB, reply:", "FROB"},
	} {
		bad := strings.Replace(pathLesson, tc.from, tc.to, 1)
		if _, err := lesson.Parse("t.yaml", []byte(bad)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s → %s: %v", tc.from, tc.to, err)
		}
	}
	// A mail goal in a lesson without domains is refused.
	noPath := strings.Replace(pathLesson, "  domains:", "  unused:", 1)
	noPath = noPath[:strings.Index(noPath, "  unused:")] + noPath[strings.Index(noPath, "steps:"):]
	if _, err := lesson.Parse("t.yaml", []byte(noPath)); err == nil || !strings.Contains(err.Error(), "fixture.domains") {
		t.Errorf("mail goal without domains: %v", err)
	}
}

// :wait lets the lesson's lab time pass: a message kept in the queue by a
// 4xx is retried only once its retry time has come, and a :wait shorter
// than that delivers nothing. :wait and :mailq need the mail path.
func TestWaitRetriesTheQueue(t *testing.T) {
	src := strings.Replace(pathLesson, "steps:", `steps:
  - text: {en: Send; the RCPT fault keeps it queued.}
    goals:
      - mail: {queued: true}
    solution:
      - EHLO client.example
      - AUTH PLAIN AG1lbGFuaWUAdG95Ym94
      - MAIL FROM:<melanie@example.org>
      - RCPT TO:<mrose@example.net>
      - DATA
      - "Subject: waiting"
      - ""
      - hi
      - .
  - text: {en: Wait for the retry.}
    goals:
      - mail: {delivered: mrose@example.net, via: mx2.example.net, received: 3}
    solution: [":mailq", ":wait 5m"]
`, 1)
	src = src[:strings.Index(src, "  - text: {en: Log in and send")]
	l, err := lesson.Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if err := lesson.Replay(l); err != nil {
		t.Fatal(err)
	}
	e, err := lesson.New(l, lesson.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if err := e.Run(":connect"); err != nil {
		t.Fatal(err)
	}
	for _, line := range l.Steps[0].Solution {
		if err := e.Run(line); err != nil {
			t.Fatal(err)
		}
	}
	if !e.WaitStep(0, 5*time.Second) {
		t.Fatal("step 1 not done")
	}
	q := e.Queue()
	if len(q) != 1 || q[0].Attempts != 1 || !q[0].Next.Equal(e.Now().Add(5*time.Minute)) {
		t.Fatalf("queue after the 452: %+v (now %v)", q, e.Now())
	}
	if err := e.Run(":wait 4m"); err != nil {
		t.Fatal(err)
	}
	if g := e.Goals(); g[0].Met || len(e.Queue()) != 1 {
		t.Errorf("delivered before the retry time: %+v, queue %+v", g, e.Queue())
	}
	if err := e.Run(":wait 1m"); err != nil {
		t.Fatal(err)
	}
	if !e.WaitStep(1, 5*time.Second) || len(e.Queue()) != 0 {
		t.Errorf("the retry at 5m did not deliver: %+v, queue %+v", e.Goals(), e.Queue())
	}
	// Reset puts the step back as step 1's solution leaves it: the
	// message in the queue again, the new store the path's deliveries go
	// to (received: 3 counts its copy).
	if err := e.Reset(); err != nil {
		t.Fatal(err)
	}
	if q := e.Queue(); len(q) != 1 || q[0].Attempts != 1 {
		t.Fatalf("queue after Reset: %+v", q)
	}
	if err := e.Run(":wait 5m"); err != nil {
		t.Fatal(err)
	}
	if !e.WaitStep(1, 5*time.Second) {
		t.Errorf("after Reset the retry did not deliver: %+v", e.Goals())
	}
	for _, tc := range []struct{ line, want string }{
		{":wait", "from 1s to 144h"},
		{":wait 0s", "from 1s to 144h"},
		{":wait 200h", "from 1s to 144h"},
		{":mailq all", "use :connect"},
	} {
		bad := strings.Replace(src, `":wait 5m"`, `"`+tc.line+`"`, 1)
		if _, err := lesson.Parse("t.yaml", []byte(bad)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v", tc.line, err)
		}
	}
	noPath := `id: x
protocol: smtp
level: 1
title: {en: x}
fixture:
  accounts: [{user: melanie, password: toybox}]
steps:
  - text: {en: Wait.}
    goals: [{closed: {by: quit}}]
    solution: [":wait 5m", QUIT]
`
	if _, err := lesson.Parse("t.yaml", []byte(noPath)); err == nil || !strings.Contains(err.Error(), "fixture.domains") {
		t.Errorf(":wait without domains: %v", err)
	}
}

// Reset in a lesson with a mail path gives the path the step's new store:
// a bounce after the restart reaches the sender's restored INBOX.
func TestMailPathLessonReset(t *testing.T) {
	l, err := lesson.Parse("t.yaml", []byte(pathLesson))
	if err != nil {
		t.Fatal(err)
	}
	e, err := lesson.New(l, lesson.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if err := e.Run(":connect"); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		for _, line := range l.Steps[i].Solution {
			if err := e.Run(line); err != nil {
				t.Fatalf("step %d: %s: %v", i+1, line, err)
			}
		}
		if !e.WaitStep(i, 5*time.Second) {
			t.Fatalf("step %d not done", i+1)
		}
	}
	if err := e.Reset(); err != nil {
		t.Fatal(err)
	}
	lines := append([]string{":connect", "EHLO client.example", "AUTH PLAIN AG1lbGFuaWUAdG95Ym94"}, l.Steps[2].Solution...)
	for _, line := range lines {
		if err := e.Run(line); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
	}
	if !e.WaitStep(2, 5*time.Second) {
		var why []string
		for _, g := range e.Goals() {
			why = append(why, g.Reason)
		}
		t.Fatalf("step 3 not done after Reset and its solution: %v", why)
	}
}
