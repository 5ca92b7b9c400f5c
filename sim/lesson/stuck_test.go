package lesson

import (
	"strings"
	"testing"
	"time"
)

// shipped returns the shipped lesson id.
func shipped(t *testing.T, id string) *Lesson {
	t.Helper()
	ls, err := LoadDir(osDirFS("../../lessons"), ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if l.ID == id {
			return l
		}
	}
	t.Fatalf("no lesson %s", id)
	return nil
}

// waitStuck waits until Stuck says something (a session's end reaches
// the store after its last answer) and returns it.
func waitStuck(e *Engine) string {
	deadline := time.Now().Add(stepTimeout)
	why := e.Stuck()
	for why == "" && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
		why = e.Stuck()
	}
	return why
}

// In pop3-deleting step 5 the learner must cut the connection after DELE;
// QUIT deletes the message for real, and no POP3 command brings it back:
// the step says it can no longer be met, and Reset gives it back its
// mailboxes, after which the reference solution completes it.
func TestStuckStepAndReset(t *testing.T) {
	l := shipped(t, "pop3-deleting")
	e, err := New(l, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	if err := e.GoTo(4); err != nil {
		t.Fatal(err)
	}
	run(t, e, ":connect", "USER melanie", "PASS toybox", "DELE 1")
	if why := e.Stuck(); why != "" {
		t.Fatalf("stuck after DELE, before QUIT: %q", why)
	}
	run(t, e, "QUIT")
	want := map[string]string{
		"en": "this step can no longer be met: INBOX holds 2 messages, it needs 3, and nothing in this lesson can add one; restart the step",
		"ru": "этот шаг больше нельзя выполнить: сообщений в ящике INBOX: 2, а нужно: 3, и ничто в этом уроке не может добавить письмо; начните шаг заново",
		"sk": "tento krok sa už nedá splniť: počet správ v mailboxe INBOX: 2, treba 3, a nič v tejto lekcii nemôže správu pridať; začnite krok odznova",
	}
	if why := waitStuck(e); why != want["en"] {
		t.Fatalf("after QUIT: %q\nwant %q", why, want["en"])
	}
	for _, lang := range Languages {
		e.SetLang(lang)
		if why := e.Stuck(); why != want[lang] {
			t.Errorf("%s: %q\nwant %q", lang, why, want[lang])
		}
	}
	e.SetLang("en")
	if err := e.Reset(); err != nil {
		t.Fatal(err)
	}
	if why := e.Stuck(); why != "" {
		t.Fatalf("stuck after Reset: %q", why)
	}
	if p := e.Progress(); p.Step != 4 || p.Steps[4].Done {
		t.Fatalf("after Reset: %+v", p)
	}
	// The sessions were closed: the learner logs in again.
	run(t, e, ":connect", "USER melanie", "PASS toybox")
	run(t, e, l.Steps[4].Solution...)
	if !e.WaitStep(4, stepTimeout) {
		t.Fatalf("step 5 not done after Reset and its solution: %q", reason(e))
	}
}

// A message with a UID below UIDNEXT that is gone never comes back (UIDs
// are not given again), even in IMAP; a count IMAP can raise with APPEND
// is no dead end.
func TestStuckIMAP(t *testing.T) {
	const src = `id: imap-stuck
protocol: imap
level: 1
title: {en: T, ru: Т}
fixture:
  accounts:
    - user: alex
      password: drums
      messages:
        - {from: a@example.org, subject: One, body: first}
        - {from: a@example.org, subject: Two, body: second}
steps:
  - text: {en: Flag message 2 and keep three messages, ru: Пометьте}
    goals:
      - flagged: {uid: 2, flag: '\Flagged'}
      - count: {messages: 3}
    solution: [a1 LOGIN alex drums, a2 SELECT INBOX, a3 STORE 2 +FLAGS (\Flagged), "a4 APPEND INBOX {3+}", "abc"]
`
	e := newEngine(t, src)
	run(t, e, "a1 LOGIN alex drums", "a2 SELECT INBOX")
	if why := e.Stuck(); why != "" {
		t.Fatalf("two messages in an IMAP lesson: %q", why)
	}
	run(t, e, "a3 STORE 2 +FLAGS (\\Deleted)", "a4 EXPUNGE")
	want := "this step can no longer be met: message UID 2 is gone from INBOX for good; restart the step"
	if why := waitStuck(e); why != want {
		t.Fatalf("after EXPUNGE of UID 2: %q\nwant %q", why, want)
	}
}

// A response goal's reason names the command and the status the learner
// got, never the server's line.
func TestResponseOtherQuotesNoServerLine(t *testing.T) {
	const src = `id: resp
protocol: pop3
level: 1
title: {en: T, ru: Т, sk: T}
fixture:
  accounts:
    - user: melanie
      password: toybox
      messages:
        - {from: a@example.org, subject: One, body: first}
steps:
  - text: {en: List message 1, ru: Перечислите, sk: Vypíšte}
    goals:
      - response: {command: LIST, match: '^\+OK 1 '}
    solution: [USER melanie, PASS toybox, LIST 1]
`
	e := newEngine(t, src)
	run(t, e, "USER melanie", "PASS toybox", "LIST 7")
	want := map[string]string{
		"en": "not yet: LIST was answered with -ERR; this step needs another answer",
		"ru": "ещё не выполнено: на LIST получен отклик -ERR, а на этом шаге нужен другой",
		"sk": "ešte nie: na LIST prišla odpoveď -ERR, tento krok však potrebuje inú",
	}
	for _, lang := range Languages {
		e.SetLang(lang)
		if r := reason(e); r != want[lang] {
			t.Errorf("%s: %q\nwant %q", lang, r, want[lang])
		}
	}
	if r := reason(e); strings.Contains(r, "no such") || strings.Contains(r, `"`) {
		t.Errorf("the reason quotes the server: %q", r)
	}
}

// A lesson whose step wants more messages than a POP3 lesson can ever
// have fails its check, before any learner meets the dead end.
func TestReplayRefusesAStepStuckFromItsStart(t *testing.T) {
	src := strings.Replace(deleteLesson, "      - deleted: {uid: 1}", "      - count: {messages: 3}", 1)
	l, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	err = Replay(l)
	if err == nil || !strings.Contains(err.Error(), "step 1 cannot be met from its start: this step can no longer be met: INBOX holds 2 messages, it needs 3") {
		t.Fatalf("Replay: %v", err)
	}
}
