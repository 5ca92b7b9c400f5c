package lesson

import (
	"strings"
	"testing"
)

const imapLesson = `id: imap-t
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
  - text: {en: Flag message 2, ru: Пометьте}
    goals:
      - flagged: {uid: 2, flag: '\Flagged'}
    solution: [a1 LOGIN alex drums, a2 SELECT INBOX, a3 STORE 2 +FLAGS (\Flagged)]
  - text: {en: Remove message 1, ru: Удалите}
    goals:
      - deleted: {subject: One}
      - mailbox: {name: Saved}
    solution: [a4 STORE 1 +FLAGS (\Deleted), a5 CREATE Saved, a6 EXPUNGE]
`

func TestIMAPNotYetReasons(t *testing.T) {
	e := newEngine(t, imapLesson)
	run(t, e, "a1 LOGIN alex drums", "a2 EXAMINE INBOX", "a3 STORE 2 +FLAGS (\\Flagged)")
	if r := reason(e); !strings.Contains(r, "opened with EXAMINE, which is read-only: use SELECT") {
		t.Errorf("after STORE in EXAMINE: %q", r)
	}
	e.SetLang("ru")
	if r := reason(e); !strings.Contains(r, "ящик открыт командой EXAMINE только для чтения") {
		t.Errorf("ru: %q", r)
	}
	e.SetLang("en")
	run(t, e, "a4 SELECT INBOX", "a5 STORE 2 +FLAGS (\\Flagged)")
	if !e.WaitStep(0, stepTimeout) {
		t.Fatalf("step 1: %q", reason(e))
	}
	run(t, e, "a6 STORE 1 +FLAGS (\\Deleted)")
	want := "not yet: message UID 1 has the \\Deleted flag, but it leaves the mailbox only on EXPUNGE or CLOSE"
	if r := waitReason(e, want); r != want {
		t.Errorf("got %q\nwant %q", r, want)
	}
	run(t, e, "a7 EXPUNGE")
	if r := reason(e); r != `not yet: there is no mailbox "Saved"` {
		t.Errorf("after EXPUNGE: %q", r)
	}
	run(t, e, "a8 CREATE Saved")
	if !e.WaitStep(1, stepTimeout) || !e.Progress().Finished {
		t.Fatalf("not finished: %q", reason(e))
	}
}

// BenchmarkReplayShippedLessons measures what labctl check spends per
// lesson: a fresh store, the sessions and every step's solution.
func BenchmarkReplayShippedLessons(b *testing.B) {
	ls, err := LoadDir(osDirFS("../../lessons"), ".")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, l := range ls {
			if err := Replay(l); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(ls)), "lessons/op")
}

// TestIMAPClosedGoals: an IMAP session's end is told apart like a POP3
// one's: LOGOUT counts as quit, a cut connection as drop, and the reason
// for the wrong kind of ending names both.
func TestIMAPClosedGoals(t *testing.T) {
	const src = `id: imap-closed
protocol: imap
level: 1
title: {en: T, ru: Т}
fixture:
  accounts:
    - {user: alex, password: drums}
steps:
  - text: {en: Log out, ru: Выйдите}
    goals:
      - closed: {by: logout}
    solution: [a1 LOGIN alex drums, a2 LOGOUT]
  - text: {en: Drop, ru: Оборвите}
    goals:
      - closed: {by: drop}
    solution: [":connect", a1 LOGIN alex drums, ":drop"]
`
	l, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if err := Replay(l); err != nil {
		t.Fatalf("replay: %v", err)
	}
	e := newEngine(t, src)
	run(t, e, "a1 LOGIN alex drums", "a2 LOGOUT")
	if !e.WaitStep(0, stepTimeout) {
		t.Fatalf("LOGOUT did not meet closed by logout: %q", reason(e))
	}
	if err := e.Run(":connect"); err != nil {
		t.Fatal(err)
	}
	run(t, e, "b1 LOGOUT")
	want := "not yet: the session ended by QUIT or LOGOUT; this step needs it to end by a dropped connection"
	if r := waitReason(e, want); r != want {
		t.Errorf("after LOGOUT in the drop step: %q\nwant %q", r, want)
	}
}
