package lesson

import (
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"maillab/sim/event"
	"maillab/sim/proto"
)

const deleteLesson = `id: del
protocol: pop3
level: 1
title: {en: T, ru: Т, sk: T}
fixture:
  accounts:
    - user: melanie
      password: toybox
      messages:
        - {from: a@example.org, subject: One, body: first}
        - {from: a@example.org, subject: Two, body: second}
steps:
  - text: {en: Delete message 1, ru: Удалите, sk: Zmažte}
    goals:
      - deleted: {uid: 1}
    hints:
      - {en: first hint, ru: первая подсказка, sk: prvá rada}
      - {en: second hint, ru: вторая подсказка, sk: druhá rada}
    solution: [USER melanie, PASS toybox, DELE 1, QUIT]
  - text: {en: Answer, ru: Ответьте, sk: Odpovedzte}
    questions:
      - kind: single
        text: {en: Q, ru: В, sk: O}
        choices:
          - {text: {en: a, ru: а, sk: a}}
          - {text: {en: b, ru: б, sk: b}, correct: true}
      - kind: short
        text: {en: Q, ru: В, sk: O}
        answers: [QUIT]
      - kind: multiple
        text: {en: Q, ru: В, sk: O}
        choices:
          - {text: {en: a, ru: а, sk: a}, correct: true}
          - {text: {en: b, ru: б, sk: b}}
          - {text: {en: c, ru: в, sk: c}, correct: true}
`

func newEngine(t *testing.T, src string) *Engine {
	t.Helper()
	l, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(l, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	if err := e.Run(":connect"); err != nil {
		t.Fatal(err)
	}
	return e
}

func run(t *testing.T, e *Engine, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if err := e.Run(l); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
	}
}

func reason(e *Engine) string {
	for _, g := range e.Goals() {
		if !g.Met {
			return g.Reason
		}
	}
	return ""
}

// waitReason waits until the first unmet goal's reason contains want (the
// events of a session's end arrive after its last answer) and returns
// the reason last seen.
func waitReason(e *Engine, want string) string {
	deadline := time.Now().Add(stepTimeout)
	r := reason(e)
	for !strings.Contains(r, want) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
		r = reason(e)
	}
	return r
}

func TestDeleteIsNotDoneUntilQuit(t *testing.T) {
	e := newEngine(t, deleteLesson)
	run(t, e, "USER melanie", "PASS toybox")
	if r := reason(e); !strings.Contains(r, "message 1 is still in INBOX") {
		t.Errorf("before DELE: %q", r)
	}
	run(t, e, "DELE 1")
	want := map[string]string{
		"en": "not yet: message 1 is marked for deletion, but it is deleted only when you QUIT (the UPDATE state)",
		"ru": "ещё не выполнено: сообщение 1 помечено для удаления, но удаляется оно только после команды QUIT (в состоянии UPDATE)",
		"sk": "ešte nie: správa 1 je označená ako zmazaná, ale vymaže sa až po príkaze QUIT (v aktualizačnej fáze UPDATE)",
	}
	for _, lang := range Languages {
		e.SetLang(lang)
		if r := reason(e); r != want[lang] {
			t.Errorf("%s: got %q\nwant %q", lang, r, want[lang])
		}
	}
	e.SetLang("en")
	run(t, e, "RSET")
	if r := reason(e); !strings.Contains(r, "still in INBOX") {
		t.Errorf("after RSET: %q", r)
	}
	run(t, e, "DELE 1", "QUIT")
	if !e.WaitStep(0, stepTimeout) {
		t.Fatalf("step not done after QUIT: %q", reason(e))
	}
	if p := e.Progress(); p.Step != 1 || !p.Steps[0].Done {
		t.Fatalf("progress %+v", p)
	}
}

func TestDroppedConnectionDeletesNothing(t *testing.T) {
	e := newEngine(t, deleteLesson)
	run(t, e, "USER melanie", "PASS toybox", "DELE 1", ":drop")
	if e.Progress().Steps[0].Done {
		t.Fatal("a dropped session deleted the message")
	}
	if r := reason(e); !strings.Contains(r, "still in INBOX") {
		t.Errorf("after drop: %q", r)
	}
	// The lock is released: a new session can log in and delete.
	run(t, e, ":connect", "USER melanie", "PASS toybox", "DELE 1", "QUIT")
	if !e.WaitStep(0, stepTimeout) {
		t.Fatalf("not done: %q", reason(e))
	}
}

func TestHintsInOrderAndSolutionDoesNotSolve(t *testing.T) {
	e := newEngine(t, deleteLesson)
	for _, want := range []string{"first hint", "second hint"} {
		if h, ok := e.Hint(); !ok || h != want {
			t.Fatalf("hint %q %v, want %q", h, ok, want)
		}
	}
	if _, ok := e.Hint(); ok {
		t.Fatal("a third hint appeared")
	}
	if sol := e.Solution(); len(sol) != 4 || sol[2] != "DELE 1" {
		t.Fatalf("solution %q", sol)
	}
	p := e.Progress()
	if p.Steps[0].Done || !p.Steps[0].SolutionShown || p.Steps[0].HintsShown != 2 {
		t.Fatalf("progress %+v", p.Steps[0])
	}
}

func TestQuestionsCompleteAQuestionStep(t *testing.T) {
	e := newEngine(t, deleteLesson)
	run(t, e, "USER melanie", "PASS toybox", "DELE 1", "QUIT")
	e.WaitStep(0, stepTimeout)
	answers := []struct {
		q    int
		a    Answer
		want bool
	}{
		{0, Answer{Choices: []int{0}}, false},
		{0, Answer{Choices: []int{1}}, true},
		{1, Answer{Text: "  quit "}, true},
		{2, Answer{Choices: []int{0}}, false},
		{2, Answer{Choices: []int{2, 0}}, true},
	}
	for _, c := range answers {
		ok, _, err := e.Answer(1, c.q, c.a)
		if err != nil || ok != c.want {
			t.Fatalf("question %d %+v: %v %v, want %v", c.q, c.a, ok, err, c.want)
		}
	}
	if p := e.Progress(); !p.Finished {
		t.Fatalf("not finished: %+v", p)
	}
}

func TestRestoreRejectsOtherLessons(t *testing.T) {
	e := newEngine(t, deleteLesson)
	p := e.Progress()
	p.Lesson = "other"
	if e.Restore(p) == nil {
		t.Fatal("restored another lesson's progress")
	}
	p = e.Progress()
	p.Step = 1
	if err := e.Restore(p); err != nil || e.Progress().Step != 1 {
		t.Fatalf("restore: %v", err)
	}
}

// TestShippedLessonsReplay runs what labctl check runs on lessons/, so go
// test covers every shipped lesson too.
func TestShippedLessonsReplay(t *testing.T) {
	ls, err := LoadDir(osDirFS("../../lessons"), ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) == 0 {
		t.Fatal("no lessons found")
	}
	for _, l := range ls {
		t.Run(l.ID, func(t *testing.T) {
			// The course's rule: English and Russian everywhere, Slovak
			// for POP3 (the Slovak notes cover POP3) and wherever else a
			// lesson has it. The validator makes every text follow the
			// title's languages.
			want := []string{"en", "ru"}
			if l.Protocol == "pop3" {
				want = []string{"en", "ru", "sk"}
			}
			if got := l.Title.Languages(); !slices.Equal(got, want) && !(l.Protocol != "pop3" && slices.Equal(got, Languages)) {
				t.Errorf("written in %v, want %v", got, want)
			}
			if err := Replay(l); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestFeedFromAHost plays a lesson whose sessions a host opened itself, as
// the browser does, feeding the engine their events.
func TestFeedFromAHost(t *testing.T) {
	l, err := Parse("t.yaml", []byte(deleteLesson))
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(l, Options{})
	if err != nil {
		t.Fatal(err)
	}
	o := l.HostOptions("main")
	srv := openPOP3(SessionOptions{Store: e.Store(), SessionID: "7", Disabled: o.Disabled,
		Events: func(ev event.Event) { e.Feed("main", ev) }})
	client, server := newPipe(time.Now())
	go func() { srv.Serve(server); server.Close() }()
	go io.Copy(io.Discard, client)
	for _, line := range []string{"USER melanie", "PASS toybox", "DELE 1"} {
		io.WriteString(client, line+"\r\n")
	}
	if r := waitReason(e, "marked for deletion"); !strings.Contains(r, "marked for deletion") {
		t.Fatalf("reason %q", r)
	}
	io.WriteString(client, "QUIT\r\n")
	if !e.WaitStep(0, 5*time.Second) {
		t.Fatalf("not done: %q", reason(e))
	}
}

var osDirFS = os.DirFS

// TestAutologoutInALesson: with fixture.autologout an idle session is
// logged out as the protocol says, which a closed goal can ask for, and
// its DELE marks are not carried out.
func TestAutologoutInALesson(t *testing.T) {
	const src = `id: idle
protocol: pop3
level: 1
title: {en: T}
fixture:
  autologout: 2s
  accounts:
    - user: melanie
      password: toybox
      messages:
        - {from: a@example.org, subject: One, body: first}
steps:
  - text: {en: Mark message 1 and wait}
    goals:
      - closed: {by: timeout}
      - present: {uid: 1}
    solution: [USER melanie, PASS toybox, DELE 1]
`
	e := newEngine(t, src)
	run(t, e, ":connect", "USER melanie", "PASS toybox", "DELE 1")
	if !e.WaitStep(0, 10*time.Second) {
		t.Fatalf("no autologout: %q", reason(e))
	}
	if o := e.Lesson().HostOptions("main"); o.AutologoutMS != 2000 {
		t.Errorf("hosts are told autologout %d ms", o.AutologoutMS)
	}
}

func openPOP3(o SessionOptions) Server {
	p, _ := proto.Get("pop3")
	return p.Open(o)
}

// Each goal of a step comes with a label that says what it asks for, in
// the engine's language, met or not.
func TestGoalsHaveLabels(t *testing.T) {
	ls, err := LoadDir(osDirFS("../../lessons"), ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "ru", "sk"} {
		for _, l := range ls {
			e, err := New(l, Options{Lang: lang})
			if err != nil {
				t.Fatal(err)
			}
			for i := range l.Steps {
				if err := e.GoTo(i); err != nil {
					t.Fatal(err)
				}
				for k, g := range e.Goals() {
					if g.Label == "" || strings.Contains(g.Label, "%!") {
						t.Errorf("%s %s step %d goal %d: label %q", lang, l.ID, i+1, k+1, g.Label)
					}
				}
			}
			e.Close()
		}
	}
	e := newEngine(t, `id: t
protocol: pop3
level: 1
title: {en: T, ru: Т, sk: T}
fixture:
  accounts:
    - user: melanie
      password: toybox
steps:
  - text: {en: s, ru: с, sk: s}
    solution: [USER melanie, PASS toybox, STAT]
    goals:
      - state: transaction
      - response: {command: STAT, status: "+OK"}
      - count: {messages: 1}
`)
	var got []string
	for _, g := range e.Goals() {
		got = append(got, g.Label)
	}
	want := []string{"Reach the TRANSACTION state", "Get +OK in answer to STAT", "Messages in INBOX: exactly 1"}
	if !slices.Equal(got, want) {
		t.Errorf("labels = %q, want %q", got, want)
	}
}

// The engine's sessions explain their answers only to a host that reads
// the explanations; its goals, and a host that only shows the lines, get
// each answer's Explain event without them.
func TestSessionsExplainOnlyWhenTheHostReads(t *testing.T) {
	l, err := Parse("t.yaml", []byte(deleteLesson))
	if err != nil {
		t.Fatal(err)
	}
	for _, explain := range []bool{false, true} {
		var mu sync.Mutex
		var explains []event.Event
		e, err := New(l, Options{Explain: explain, Events: func(ev event.Event) {
			if ev.Kind == event.Explain {
				mu.Lock()
				explains = append(explains, ev)
				mu.Unlock()
			}
		}})
		if err != nil {
			t.Fatal(err)
		}
		run(t, e, ":connect", "USER melanie", "PASS toybox", "DELE 1", "QUIT")
		if !e.Progress().Steps[0].Done {
			t.Errorf("explain %v: the step is not done: %s", explain, reason(e))
		}
		e.Close()
		mu.Lock()
		if len(explains) != 5 {
			t.Errorf("explain %v: %d Explain events, want one per answer: %v", explain, len(explains), explains)
		}
		for _, ev := range explains {
			if got := ev.Text != "" && len(ev.Parts) > 0; got != explain {
				t.Errorf("explain %v: %q explained as %q %v", explain, ev.Command, ev.Text, ev.Parts)
			}
		}
		mu.Unlock()
	}
}
