package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"maillab/sim/lesson"
)

// play runs the player on a shipped lesson with the lines typed.
func play(t *testing.T, file, lang string, lines ...string) string {
	t.Helper()
	var out bytes.Buffer
	in := strings.Join(lines, "\n") + "\n"
	if err := runPlay([]string{"-lang", lang, "../../lessons/" + file}, strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func wantIn(t *testing.T, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("play output lacks %q", w)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}

// An empty line is sent to the session, not taken for a lab command.
func TestPlayEmptyLine(t *testing.T) {
	out := play(t, "pop3-01-first-session.yaml", "en", "", "USER melanie")
	wantIn(t, out, "-ERR", "+OK")
}

// :skip on a step of questions only shows the answer and passes the step,
// so the next step's commands count.
func TestPlaySkipOnQuestionsOnlyStep(t *testing.T) {
	out := play(t, "pop3-05-apop.yaml", "en", ":skip", ":goals")
	wantIn(t, out, "the answer: <1896.697170952@dbc.mtview.ca.us>", "✓ step 1 done", "-- step 2 of")
}

// :next passes a step by without calling it done.
func TestPlayNextDoesNotClaimDone(t *testing.T) {
	out := play(t, "pop3-01-first-session.yaml", "en", ":next")
	wantIn(t, out, "step 1 skipped", "-- step 2 of 7 --")
	if strings.Contains(out, "✓ step 1 done") {
		t.Errorf("step 1 announced done though its goal failed:\n%s", out)
	}
}

// :reset puts the mailboxes back as the step found them: a QUIT that
// deleted the wrong messages can be undone.
func TestPlayReset(t *testing.T) {
	l, err := lesson.LoadFS(os.DirFS("../../lessons"), "pop3-03-deleting.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	// Steps 1 to 4 as the solution has them, step 5 with QUIT instead of
	// a dropped connection: the messages are gone.
	for i := range 4 {
		lines = append(lines, l.Steps[i].Solution...)
		for _, q := range l.Steps[i].Questions {
			lines = append(lines, (&player{}).keyOf(&q))
		}
	}
	lines = append(lines, "DELE 1", "QUIT", ":reset", "USER melanie", "PASS toybox")
	lines = append(lines, l.Steps[4].Solution...)
	out := play(t, "pop3-03-deleting.yaml", "en", lines...)
	wantIn(t, out, "this step can no longer be met: INBOX holds 2 messages", "restart the step (:reset)", "step 5 starts again", "✓ step 5 done")
}

// Reasons are printed when they change, not after every line.
func TestPlayReasonsOnceEach(t *testing.T) {
	once := strings.Count(play(t, "pop3-01-first-session.yaml", "en", "NOOP"), "  · ")
	if once == 0 {
		t.Fatal("no reason printed after a line that did not do the step")
	}
	out := play(t, "pop3-01-first-session.yaml", "en", "NOOP", "NOOP", "NOOP")
	if n := strings.Count(out, "  · "); n != once {
		t.Errorf("%d reasons printed for three lines that changed nothing, %d for one:\n%s", n, once, out)
	}
	out = play(t, "pop3-01-first-session.yaml", "en", "NOOP", ":goals")
	if n := strings.Count(out, "  · "); n != 2*once {
		t.Errorf(":goals did not repeat the reasons:\n%s", out)
	}
}

// The lab's lines come after the server's answer they are about, and the
// line saying a connection closed before the question that follows.
func TestPlayOrder(t *testing.T) {
	for range 5 {
		out := play(t, "pop3-01-first-session.yaml", "en", "USER melanie", "PASS toybox", "STAT", "1", "LIST", "LIST 1", "LIST 3", "QUIT")
		ok := regexp.MustCompile(`(?s)\+OK 2 820\r?\n.*? 1\) `).MatchString(out) &&
			regexp.MustCompile(`(?s)\+OK [^\n]*\r?\n.*connection main closed.*\? `).MatchString(out[strings.LastIndex(out, "QUIT")-1:])
		if !ok {
			t.Fatalf("lines out of order:\n%s", out)
		}
	}
}

// Russian and Slovak players speak only their language.
func TestPlayOneLanguage(t *testing.T) {
	out := play(t, "pop3-01-first-session.yaml", "ru", ":drop", "USER melanie", ":skip", ":hint", ":hint", ":hint", ":hint")
	wantIn(t, out, "лаборатория: сеанс main не подключён (:connect открывает новый)", "неизвестная команда лаборатории \":skip\"")
	for _, en := range []string{"is not connected", "unknown", "lab:"} {
		if strings.Contains(out, en) {
			t.Errorf("Russian player says %q", en)
		}
	}
	out = play(t, "pop3-03-deleting.yaml", "sk", ":hint")
	if !strings.Contains(out, "nemá nápovedy") && !strings.Contains(out, "nápoveda:") {
		t.Errorf("Slovak hint:\n%s", out)
	}
}

// A step without hints says so, not "no more hints".
func TestPlayNoHintsOnStepWithout(t *testing.T) {
	dir := t.TempDir()
	src, _ := os.ReadFile("../../lessons/pop3-01-first-session.yaml")
	l, err := lesson.Parse("x.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Steps[0].Hints) == 0 {
		t.Fatal("step 1 of pop3-01 has hints")
	}
	// The same lesson without step 1's hints.
	re := regexp.MustCompile(`(?s)\n    hints:\n.*?\n    explanation:`)
	loc := re.FindIndex(src)
	src = append(append(append([]byte{}, src[:loc[0]]...), "\n    explanation:"...), src[loc[1]:]...)
	f := filepath.Join(dir, "pop3-01-first-session.yaml")
	os.WriteFile(f, src, 0o644)
	os.WriteFile(filepath.Join(dir, "schema.json"), nil, 0o644)
	var out bytes.Buffer
	if err := runPlay([]string{f}, strings.NewReader(":hint\n"), &out); err != nil {
		t.Fatal(err)
	}
	wantIn(t, out.String(), "lab: this step has no hints")
}

// :explain prints the explain pane's text for the last answer.
func TestPlayExplain(t *testing.T) {
	out := play(t, "pop3-01-first-session.yaml", "en", "USER melanie", "PASS toybox", "STAT", ":explain")
	wantIn(t, out, "+OK: ", "820: ")
	out = play(t, "pop3-01-first-session.yaml", "ru", "STAT", ":explain")
	wantIn(t, out, "недопустима", "допустима в состояниях: TRANSACTION")
}

// Every shipped lesson, in every language, played in the terminal by its
// reference solution with mistakes mixed in (a wrong command, a wrong
// answer, lab commands) ends complete.
func TestPlayEveryLessonWithMistakes(t *testing.T) {
	files, _ := filepath.Glob("../../lessons/*.yaml")
	for _, f := range files {
		l, err := lesson.LoadFS(os.DirFS("../../lessons"), filepath.Base(f))
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range lesson.Languages {
			t.Run(l.ID+"/"+lang, func(t *testing.T) {
				var out bytes.Buffer
				changed := make(chan struct{}, 1)
				p, err := newPlayer(l, lang, &out, changed)
				if err != nil {
					t.Fatal(err)
				}
				defer func() { p.e.Close(); p.copying.Wait() }()
				p.connect("main")
				p.showStep()
				inData := false
				for i, st := range l.Steps {
					typed := []string{":goals", ":explain", ":hint", ":bogus"}
					if !inData {
						typed = append(typed, mistake(l.Protocol))
					}
					if len(st.Goals) == 0 {
						// Questions only: they are asked now.
						typed = nil
					}
					typed = append(typed, st.Solution...)
					for _, line := range typed {
						p.handle(line)
						p.showStep()
					}
					if len(st.Goals) > 0 && !p.e.WaitStep(i, 10*time.Second) {
						t.Fatalf("step %d not done:\n%s", i+1, out.String())
					}
					p.showStep()
					for len(p.ask) > 0 {
						_, _, q := p.question()
						p.handle(wrongAnswer(q))
						p.handle(p.keyOf(q))
						p.showStep()
					}
					inData = endsInData(st.Solution)
				}
				if !p.complete() {
					t.Fatalf("lesson not complete:\n%s", out.String())
				}
			})
		}
	}
}

// mistake is a command the protocol does not know.
func mistake(proto string) string {
	if proto == "imap" {
		return "m1 XYZZY"
	}
	return "XYZZY"
}

// endsInData reports whether a step leaves the session in a message's
// text: an IMAP literal or SMTP's DATA, where any line is content.
func endsInData(sol []string) bool {
	if len(sol) == 0 {
		return false
	}
	last := sol[len(sol)-1]
	return regexp.MustCompile(`\{\d+\}$`).MatchString(last) || strings.EqualFold(last, "DATA")
}

// wrongAnswer is an answer q does not accept.
func wrongAnswer(q *lesson.Question) string {
	if q.Kind == "short" {
		return "no idea"
	}
	for i, c := range q.Choices {
		if !c.Correct {
			return strings.Repeat(" ", 0) + string(rune('1'+i))
		}
	}
	return "0"
}

// Goals are not met by a look-alike: USER with another name, LIST with a
// malformed argument instead of a message that does not exist.
func TestGoalsNotMetByLookalikes(t *testing.T) {
	out := play(t, "pop3-01-first-session.yaml", "en", "USER x")
	if strings.Contains(out, "step 1 done") {
		t.Errorf("USER x met step 1:\n%s", out)
	}
	out = play(t, "pop3-01-first-session.yaml", "en", "USER melanie", "PASS toybox", "STAT", "1", "LIST", "LIST 1", "LIST 3x")
	if strings.Contains(out, "step 5 done") {
		t.Errorf("LIST 3x met step 5:\n%s", out)
	}
	out = play(t, "imap-01-states.yaml", "en", "a1 CAPABILITY", "1", "a2 LOGIN alex drums", "a3 SELECT INBOX", "a4 SELECT nosuch", "a5 SELECT nosuch", "a6 CLOSE")
	if strings.Contains(out, "step 5 done") {
		t.Errorf("a refused CLOSE met step 5:\n%s", out)
	}
}

// The dot that ends SMTP's DATA is answered before the next line is
// sent: a QUIT typed at once is answered too.
func TestPlayDotWaitsForItsReply(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "msa.yaml")
	os.WriteFile(f, []byte(`id: msa
protocol: smtp
level: 1
title: {en: MSA}
fixture:
  submission: [main]
  accounts:
    - {user: melanie, password: toybox}
    - {user: alex, password: drums}
steps:
  - text: {en: Send a message.}
    goals: [{closed: {by: quit}}]
    solution: [QUIT]
`), 0o644)
	in := strings.Join([]string{"EHLO client.example", "AUTH PLAIN AGFsZXgAZHJ1bXM=", "MAIL FROM:<alex@example.org>",
		"RCPT TO:<melanie@example.org>", "DATA", "Subject: Seminar", "", "See you on Thursday.", ".", "QUIT"}, "\n") + "\n"
	for range 5 {
		var out bytes.Buffer
		if err := runPlay([]string{f}, strings.NewReader(in), &out); err != nil {
			t.Fatal(err)
		}
		wantIn(t, out.String(), "250 2.0.0 Ok: queued", "221 ", "== lesson complete ==")
		if t.Failed() {
			return
		}
	}
}

// The mail path's lessons, played with mistakes of the mail path mixed
// into their reference solutions, end complete, and no mistake meets its
// step: mail sent before AUTH, to a user of the wrong domain, a :wait
// shorter than the retry, a :reset, the wrong part of a report fetched, an RCPT
// for a user who has no mailbox here.
func TestPlayMailPathLessonsWithMistakes(t *testing.T) {
	mistakes := map[string]map[int][]string{
		"mail-02-nine-steps.yaml": {
			0: {"EHLO client.example", "MAIL FROM:<melanie@example.org>", "RCPT TO:<mrose@example.org>", "RSET"},
			2: {":connect pop pop3", "USER melanie", "PASS toybox", "RETR 1", "QUIT"},
		},
		"mail-03-mx-fallback.yaml": {
			1: {"EHLO client.example", "AUTH PLAIN AG1lbGFuaWUAdG95Ym94", "MAIL FROM:<melanie@example.org>", "RCPT TO:<mrose@example.org>", "RSET"},
		},
		"mail-04-queue-retries.yaml": {
			1: {":mailq", ":wait 4m", ":reset", ":mailq"},
		},
		"mail-05-bounce.yaml": {
			2: {"a4 FETCH 1 BODY[1]", "a4 FETCH 1 BODY[9]"},
		},
		"lmtp-02-over-quota.yaml": {
			0: {"LHLO mta.example", "MAIL FROM:<mrose@example.net>", "RCPT TO:<nosuch@example.org>", "RSET"},
		},
	}
	for file, steps := range mistakes {
		l, err := lesson.LoadFS(os.DirFS("../../lessons"), file)
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range lesson.Languages {
			t.Run(l.ID+"/"+lang, func(t *testing.T) {
				var out bytes.Buffer
				p, err := newPlayer(l, lang, &out, make(chan struct{}, 1))
				if err != nil {
					t.Fatal(err)
				}
				defer func() { p.e.Close(); p.copying.Wait() }()
				p.connect("main")
				p.showStep()
				for i, st := range l.Steps {
					for _, line := range steps[i] {
						p.handle(line)
						p.showStep()
					}
					if len(st.Goals) > 0 && p.e.Progress().Steps[i].Done {
						t.Fatalf("the mistakes %q met step %d:\n%s", steps[i], i+1, out.String())
					}
					if len(st.Goals) > 0 {
						for _, line := range st.Solution {
							p.handle(line)
							p.showStep()
						}
						if !p.e.WaitStep(i, 10*time.Second) {
							t.Fatalf("step %d not done after its solution:\n%s", i+1, out.String())
						}
					}
					p.showStep()
					for len(p.ask) > 0 {
						_, _, q := p.question()
						p.handle(wrongAnswer(q))
						p.handle(p.keyOf(q))
						p.showStep()
					}
				}
				if !p.complete() {
					t.Fatalf("lesson not complete:\n%s", out.String())
				}
				switch {
				case l.ID == "mail-queue-retries":
					wantIn(t, out.String(), "10:05:00", "10:04:00")
					if lang == "en" {
						// The journey is told as it happens; the replay
						// behind :reset is not told again.
						wantIn(t, out.String(), "stays in the queue after a temporary failure (450 4.2.0", "accepted the message for <mrose@example.net>")
						if n := strings.Count(out.String(), "MAIL FROM:<melanie@example.org> and RCPT TO: mrose@example.net;"); n != 1 {
							t.Errorf("the submission told %d times", n)
						}
					}
				case l.ID == "mail-mx-fallback" && lang == "en":
					wantIn(t, out.String(), "✉ smtp.example.org could not connect to mx1.example.net", "✉ mx2.example.net accepted the message")
				}
			})
		}
	}
}
