package site

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"maillab/sim/lesson"
)

// lessonTerm is the terminal the lesson panel opened for "main".
func lessonTerm(p *page) int {
	p.t.Helper()
	p.waitJS(`globalThis.lessonPanel?.terms.get('main') !== undefined`)
	return eval[int](p, `lessonPanel.terms.get('main')`)
}

// greetedLessonTerm is lessonTerm once its server's greeting, beginning
// with greeting, is in its transcript.
func greetedLessonTerm(p *page, greeting string) int {
	p.t.Helper()
	n := lessonTerm(p)
	p.waitLog(n, 0, "s", greeting)
	return n
}

// quitAfterDele1 logs melanie in on terminal n, marks her message 1
// deleted and quits, which deletes it for good.
func quitAfterDele1(p *page, n int) {
	p.t.Helper()
	p.send(n, "USER melanie", "+OK")
	p.send(n, "PASS toybox", "+OK")
	p.send(n, "DELE 1", "+OK")
	p.send(n, "QUIT", "+OK")
}

// reloadLesson reloads the page and waits until it has opened lesson id
// again.
func (p *page) reloadLesson(id string) {
	p.t.Helper()
	p.do(chromedp.Reload())
	p.waitJS(`document.body.dataset.ready === 'true'`)
	p.waitJS(fmt.Sprintf(`document.getElementById('lesson-panel').dataset.lesson === %q`, id))
}

func (p *page) waitStep(n int) {
	p.t.Helper()
	p.waitJS(fmt.Sprintf(`document.getElementById('lesson-panel').dataset.step === '%d'`, n))
}

// click clicks the element sel names. The lesson panel is drawn anew on
// every change, so the click waits until no drawing is queued (a session's
// late events queue one), and when the node found is still replaced
// before the click lands, the click is tried again on the new node.
func (p *page) click(sel string) {
	p.t.Helper()
	p.waitJS(`!(window.lessonPanel && lessonPanel.renderQueued)`)
	var err error
	for range 5 {
		if _, err = chromedp.Run(p.ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)); err == nil {
			return
		}
		if !strings.Contains(err.Error(), "Could not find node") && !strings.Contains(err.Error(), "not attached") {
			break
		}
	}
	p.t.Fatalf("click %s: %v", sel, err)
}

// firstLessonAtStep4 opens the first POP3 lesson and plays its first
// three steps (USER, PASS, STAT); it returns the page and the lesson's
// terminal.
func firstLessonAtStep4(t *testing.T) (*page, int) {
	t.Helper()
	p := newPage(t)
	p.do(chromedp.Navigate(p.base + "/?proto=pop3&lang=en&lesson=pop3-first-session"))
	p.waitJS(`document.getElementById('lesson-panel').dataset.lesson === 'pop3-first-session'`)
	n := greetedLessonTerm(p, "+OK")
	p.send(n, "USER melanie", "+OK")
	p.send(n, "PASS toybox", "+OK")
	p.send(n, "STAT", "+OK 2 820")
	p.waitStep(4)
	return p, n
}

// TestTheLessonPanelKeepsFocusAndUnsentAnswers: the panel is drawn anew
// on every change; a keyboard user stays on the control they used, and a
// choice ticked but not yet checked stays ticked.
func TestTheLessonPanelKeepsFocusAndUnsentAnswers(t *testing.T) {
	p, _ := firstLessonAtStep4(t)
	// Step 3's question is shown under step 4; tick its second choice.
	p.waitJS(`document.querySelectorAll('form[data-question="2:0"] input').length > 1`)
	p.do(chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('form[data-question="2:0"] input')[1].click()`))
	// Go to step 4 by keyboard: the panel is drawn anew.
	p.do(chromedp.Focus(chromedp.CSS(`.lesson-steps li:nth-child(4) button`)))
	before := eval[bool](p, `(window.oldPanelNode = document.querySelector('.lesson-steps'), true)`)
	p.do(chromedp.KeyEvent("\r"))
	p.waitJS(`document.querySelector('.lesson-steps') !== window.oldPanelNode`)
	if !before {
		t.Fatal("no step list")
	}
	if got := eval[string](p, `document.activeElement.closest('.lesson-steps li')?.textContent ?? document.activeElement.outerHTML`); got != "4" {
		t.Errorf("after the redraw the focus is on %q, want step 4's button", got)
	}
	if !eval[bool](p, `document.querySelectorAll('form[data-question="2:0"] input')[1].checked`) {
		t.Error("the ticked choice was lost when the panel was drawn anew")
	}
}

// TestLessonPlaysToTheEnd plays the first POP3 lesson in the page: the
// goals follow what is typed in the terminal, an unmet goal says why,
// showing the solution does not solve a step, questions are checked,
// progress survives a reload, and the lesson finishes.
func TestLessonPlaysToTheEnd(t *testing.T) {
	p := newPage(t)
	p.do(chromedp.Navigate(p.base + "/?proto=pop3&lang=en&lesson=pop3-first-session"))
	p.waitJS(`document.body.dataset.ready === 'true'`)
	p.waitJS(`document.getElementById('lesson-panel').dataset.lesson === 'pop3-first-session'`)
	p.waitStep(1)
	n := greetedLessonTerm(p, "+OK")

	p.send(n, "USER melanie", "+OK")
	p.waitStep(2)
	p.send(n, "PASS toybox", "+OK")
	p.waitStep(3)

	// Step 3 wants STAT: the unmet goal says so, in the learner's terms.
	reason := eval[string](p, `document.querySelector('.lesson-step .lesson-goals li[data-met="false"]').textContent`)
	if !strings.Contains(reason, "Get +OK in answer to STAT") || !strings.Contains(reason, "no response to STAT") {
		t.Errorf("unmet goal reads %q", reason)
	}
	p.send(n, "STAT", "+OK 2 820")
	p.waitStep(4)
	// The question of step 3 is asked with its explanation.
	p.click(`form[data-question="2:0"] input[value="0"]`)
	p.click(`form[data-question="2:0"] button[type="submit"]`)
	p.waitJS(`document.querySelector('form[data-question="2:0"] .feedback')?.dataset.correct === 'true'`)

	// Show the solution of step 4: it goes into the input line, and the
	// step is not done until the learner sends it.
	p.click(`.lesson-solution`)
	p.waitJS(`document.querySelector('.lesson-solution-lines') !== null`)
	if got := eval[bool](p, `lessonPanel.status().progress.steps[3].solution_shown && !lessonPanel.status().progress.steps[3].done`); !got {
		t.Error("showing the solution did not record it, or marked the step done")
	}
	// Enter sends what the solution put into the input line.
	from := len(p.log(n))
	p.typeLine(n, "")
	p.waitLog(n, from, "c", "LIST")
	p.send(n, "LIST 1", "+OK 1 355")
	p.waitStep(5)

	// Progress is kept across a reload.
	p.reloadLesson("pop3-first-session")
	p.waitStep(5)
	n = lessonTerm(p)
	p.waitLog(n, 0, "s", "+OK")
	p.send(n, "USER melanie", "+OK")
	p.send(n, "PASS toybox", "+OK")
	p.send(n, "LIST 3", "-ERR")
	p.waitStep(6)
	p.send(n, "QUIT", "+OK")
	p.waitStep(7)

	// The last step is questions only.
	p.click(`form[data-question="6:0"] input[value="1"]`)
	p.click(`form[data-question="6:0"] button[type="submit"]`)
	// The first answer is shown as right before the next field is clicked:
	// its explanation moves the field down, and a click aimed at where the
	// field was before that lands elsewhere.
	p.waitJS(`document.querySelector('form[data-question="6:0"]').dataset.correct === 'true'`)
	// Typed as a learner types, into the field that has the focus. The
	// panel is drawn anew on every change of the lesson, and it keeps a
	// half-typed answer and its focus, not the node: drawn in the middle
	// of the answer here.
	p.click(`form[data-question="6:1"] input[name="text"]`)
	p.do(keys("11"))
	p.do(chromedp.Evaluate[chromedp.Void](`lessonPanel.render()`))
	p.do(keys("0"))
	p.waitJS(`document.querySelector('form[data-question="6:1"] input[name="text"]').value === '110'`)
	p.click(`form[data-question="6:1"] button[type="submit"]`)
	p.waitJS(`document.getElementById('lesson-panel').dataset.finished === 'true'`)
	if !eval[bool](p, `JSON.parse(localStorage.getItem('maillab.lessons.progress'))['pop3-first-session'].finished`) {
		t.Error("the finished lesson was not saved")
	}
	// The end sums up the help taken and leads to the next lesson.
	summary := eval[string](p, `document.querySelector('.lesson-summary-box')?.textContent ?? ''`)
	if !strings.Contains(summary, "Steps where you looked at the solution: 1") || !strings.Contains(summary, "the reference solution sends") {
		t.Errorf("the lesson's summary reads %q", summary)
	}
	p.click("#lesson-next")
	p.waitJS(`document.getElementById('lesson-panel').dataset.lesson === 'pop3-reading'`)
}

// TestLessonFileWithErrorsShowsLineAndColumn loads a broken lesson by URL
// and shows the loader's file:line:column error.
func TestLessonFileWithErrorsShowsLineAndColumn(t *testing.T) {
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	p.waitJS(`typeof lessonPanel === 'object'`)
	src := "id: x\nprotocol: pop3\nlevel: 1\ntitel: {en: a}\n"
	p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`lessonPanel.open({source: %q, file: 'broken.yaml'})`, src)))
	p.waitJS(`document.querySelector('.lesson-error') !== null`)
	msg := eval[string](p, `document.querySelector('.lesson-error').textContent`)
	if !strings.Contains(msg, `broken.yaml:4:1: unknown key "titel"; did you mean "title"?`) {
		t.Errorf("error reads %q", msg)
	}
	// Another origin is refused.
	p.do(chromedp.Evaluate[chromedp.Void](`lessonPanel.openURL('https://example.org/x.yaml')`))
	p.waitJS(`document.querySelector('.lesson-error').textContent.includes('lessons load only from')`)
}

// TestServedLessonWithAMaildirFixture opens a lesson whose mailboxes are a
// Maildir folder beside it, served as labserver -lessons serves it: by id
// from the picker's list and by the URL of its file. The learner's
// terminal talks to a store loaded from those files.
func TestServedLessonWithAMaildirFixture(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"mail/passwd":                                   "kim:{PLAIN}secret\n",
		"mail/kim/cur/1700000000.M1P1.host:2,S":         "From: a@example.org\nSubject: First\n\nhello\n",
		"mail/kim/new/1700000001.M2P1.host":             "From: a@example.org\nSubject: Second\n\nworld\n",
		"mail/kim/.Archive/cur/1700000002.M3P1.host:2,": "From: a@example.org\nSubject: Old\n\nold\n",
		"kim.yaml": `id: kim-maildir
protocol: pop3
level: 1
title: {en: "Kim's mailbox"}
fixture:
  maildir: mail
steps:
  - text: {en: Log in and count the messages}
    goals:
      - response: {command: STAT, match: '^\+OK 2 '}
    solution: [USER kim, PASS secret, STAT]
`,
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ls, err := lesson.LoadDir(os.DirFS(dir), ".")
	if err != nil {
		t.Fatal(err)
	}
	index, err := lesson.Bundle(ls)
	if err != nil {
		t.Fatal(err)
	}
	extra := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "index.json" {
			w.Header().Set("Content-Type", "application/json")
			w.Write(index)
			return
		}
		http.FileServer(http.Dir(dir)).ServeHTTP(w, r)
	})
	for _, query := range []string{"?lang=en&lesson=kim-maildir", "?lang=en&lesson=/lessons/extra/kim.yaml"} {
		p := newPageWith(t, extra)
		p.do(chromedp.Navigate(p.base + "/" + query))
		p.waitJS(`document.body.dataset.ready === 'true'`)
		p.waitJS(`document.getElementById('lesson-panel').dataset.lesson === 'kim-maildir' || document.querySelector('.lesson-error') !== null`)
		if msg := eval[string](p, `document.querySelector('.lesson-error')?.textContent ?? ''`); msg != "" {
			t.Fatalf("%s: %s", query, msg)
		}
		n := greetedLessonTerm(p, "+OK")
		p.send(n, "USER kim", "+OK")
		p.send(n, "PASS secret", "+OK")
		p.send(n, "STAT", "+OK 2 ")
		p.waitJS(`document.getElementById('lesson-panel').dataset.finished === 'true'`)
	}
}

// TestLeavingALessonBringsBackTheLearnersMailbox: a lesson plays on its own
// mailboxes; resetting them in the lesson gives the lesson's fixture again,
// and leaving the lesson brings back the learner's own mailbox as it was.
func TestLeavingALessonBringsBackTheLearnersMailbox(t *testing.T) {
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	popLogin(p, 1)
	p.send(1, "DELE 1", "+OK")
	p.send(1, "QUIT", "+OK")

	p.do(chromedp.SetValue(chromedp.CSS("#lesson-pick"), "pop3-first-session"))
	p.do(chromedp.Evaluate[chromedp.Void](`document.getElementById('lesson-pick').dispatchEvent(new Event('change'))`))
	p.waitJS(`document.getElementById('lesson-panel').dataset.lesson === 'pop3-first-session'`)
	n := greetedLessonTerm(p, "+OK")
	quitAfterDele1(p, n)

	// Reset in the lesson: the lesson's two messages are back.
	p.do(chromedp.Evaluate[chromedp.Void](`document.getElementById('reset-dialog').showModal(), document.getElementById('reset-dialog').close('reset')`))
	p.waitJS(`document.querySelector('.lesson-notice') !== null`)
	n = lessonTerm(p)
	p.waitLog(n, 0, "s", "+OK")
	p.send(n, "USER melanie", "+OK")
	p.send(n, "PASS toybox", "+OK")
	p.send(n, "STAT", "+OK 2 820")

	eval[bool](p, `window.beforeLeaving = true`)
	p.click("#tools") // in a lesson the lesson bar is among the folded tools
	p.click("#lesson-leave")
	// Leaving loads the page again, without the lesson.
	deadline := time.Now().Add(15 * time.Second)
	for {
		ok, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`window.beforeLeaving === undefined && !location.search.includes('lesson=') && document.body.dataset.ready === 'true'`))
		if err == nil && ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the page did not come back without the lesson: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.waitReady()
	if cur := eval[string](p, `String(localStorage.getItem('maillab.lessons.current'))`); cur != "null" {
		t.Errorf("the lesson is still remembered after leaving it: %s", cur)
	}
	if l := eval[string](p, `document.getElementById('lesson-panel').dataset.lesson || ''`); l != "" {
		t.Errorf("lesson %q is still open", l)
	}
	popLogin(p, 1)
	lines := p.send(1, "STAT", "+OK")
	if got := lines[len(lines)-1].Text; got != "+OK 4 2184" {
		t.Errorf("the learner's mailbox after the lesson: %q, want the 4 messages left before it", got)
	}
}

// TestADoneStepKeepsItsQuestions: going back to a done step shows its
// explanation and questions again.
func TestADoneStepKeepsItsQuestions(t *testing.T) {
	p, n := firstLessonAtStep4(t)
	p.send(n, "LIST", "+OK")
	p.send(n, "LIST 1", "+OK 1 355")
	p.waitStep(5)
	if eval[bool](p, `document.querySelector('form[data-question="2:0"]') !== null`) {
		t.Fatal("step 3's question is still shown two steps later")
	}
	p.click(`.lesson-steps li:nth-child(3) button`)
	p.waitJS(`document.querySelector('.lesson-step[data-step="3"] form[data-question="2:0"]') !== null`)
}

// playBySolutions plays the open lesson to its end as a learner who
// follows every reference solution: client lines typed into the terminal
// the lesson is using, lab actions through the panel's buttons, and the
// questions of question-only steps answered with their keys.
func playBySolutions(p *page) {
	p.t.Helper()
	for step := 0; step < 50; step++ {
		if eval[bool](p, `document.getElementById('lesson-panel').dataset.finished === 'true'`) {
			return
		}
		i := eval[int](p, `lessonPanel.status().progress.step`)
		lines := eval[[]string](p, `lessonPanel.lesson.steps[lessonPanel.status().progress.step].solution || []`)
		for _, line := range lines {
			if strings.HasPrefix(line, ":") {
				p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`lessonPanel.runAction(%q)`, line)))
				if strings.HasPrefix(line, ":connect") {
					name := strings.TrimSpace(strings.TrimPrefix(line, ":connect"))
					if name == "" {
						name = "main"
					}
					p.waitJS(fmt.Sprintf(`(() => { const n = lessonPanel.terms.get(%q); const l = n && document.querySelector('[data-terminal="' + n + '"] [role="log"]'); return l && [...l.children].some(e => e.dataset.dir === 's'); })()`, name))
				}
				continue
			}
			n := eval[int](p, `lessonPanel.terms.get(lessonPanel.current)`)
			from := len(p.log(n))
			p.typeLine(n, line)
			p.waitLog(n, from, "s", "")
		}
		if eval[bool](p, `!(lessonPanel.lesson.steps[lessonPanel.status().progress.step].goals || []).length`) {
			p.do(chromedp.Evaluate[chromedp.Void](`(() => {
				const i = lessonPanel.status().progress.step;
				(lessonPanel.lesson.steps[i].questions || []).forEach((q, k) => {
					const a = q.kind === 'short' ? { text: q.answers[0] } : { choices: q.choices.map((c, j) => c.correct ? j : -1).filter(j => j >= 0) };
					lessonPanel.api.answer(i, k, JSON.stringify(a));
				});
				lessonPanel.render();
			})()`))
		}
		p.waitJS(fmt.Sprintf(`lessonPanel.status().progress.step > %d || document.getElementById('lesson-panel').dataset.finished === 'true'`, i))
	}
	p.t.Fatal("the lesson did not finish")
}

// TestIMAPLessonPlaysInThePage plays the IMAP states lesson, whose steps
// take every transition of the lecture's figure, PREAUTH and BYE greetings
// on extra terminals included, in the page's IMAP terminals.
func TestIMAPLessonPlaysInThePage(t *testing.T) {
	p := newPage(t)
	p.do(chromedp.Navigate(p.base + "/?lang=ru&lesson=imap-states"))
	p.waitJS(`document.body.dataset.ready === 'true'`)
	p.waitJS(`document.getElementById('lesson-panel').dataset.lesson === 'imap-states'`)
	greetedLessonTerm(p, "* OK")
	playBySolutions(p)
	// The terminals' diagrams drew IMAP's numbered transitions.
	if got := eval[string](p, `[...document.querySelectorAll('[data-transition]')].map(e => e.dataset.transition).filter((v, i, a) => a.indexOf(v) === i).sort().join(',')`); !strings.Contains(got, "4") || !strings.Contains(got, "7") {
		t.Errorf("IMAP transitions drawn: %q", got)
	}
}

// TestALessonFileOfTheLearnersOwn: a lesson file picked with «Open lesson
// file…» is read by the YAML module, fetched only once the learner reaches
// for the button, and plays; after a reload it opens again from what was
// remembered, without that module.
func TestALessonFileOfTheLearnersOwn(t *testing.T) {
	file := filepath.Join(t.TempDir(), "own-lesson.yaml")
	if err := os.WriteFile(file, []byte(`id: own-lesson
protocol: pop3
level: 1
title: {en: My own lesson, ru: Мой урок}
fixture:
  accounts:
    - user: kim
      password: secret
      messages: [{from: a@example.org, subject: Hi, body: hello}]
steps:
  - text: {en: Log in as kim, ru: Войдите как kim}
    goals: [{state: transaction}]
    solution: [USER kim, PASS secret]
  - text: {en: Count the messages, ru: Сосчитайте письма}
    goals: [{command: {verb: STAT}}]
    solution: [STAT]
`), 0o644); err != nil {
		t.Fatal(err)
	}
	yamlFetched := `performance.getEntriesByType('resource').some((e) => e.name.includes('lessonyaml.wasm'))`
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	p.waitJS(`typeof lessonPanel === 'object' && document.getElementById('lesson-file') !== null`)
	if eval[bool](p, yamlFetched) {
		t.Error("the YAML module was fetched before a lesson file was opened")
	}
	// The mouse reaching the Open button starts the module, while the
	// learner picks the file.
	p.hover(`label[for="lesson-file"]`)
	p.waitJS(yamlFetched)
	p.do(chromedp.SetUploadFiles(`#lesson-file`, []string{file}))
	p.waitJS(`document.getElementById('lesson-panel').dataset.lesson === 'own-lesson'`)
	p.waitStep(1)
	n := greetedLessonTerm(p, "+OK")
	p.send(n, "USER kim", "+OK")
	p.send(n, "PASS secret", "+OK")
	p.waitStep(2)

	p.reloadLesson("own-lesson")
	p.waitStep(2)
	n = lessonTerm(p)
	p.waitLog(n, 0, "s", "+OK")
	p.send(n, "USER kim", "+OK")
	p.send(n, "PASS secret", "+OK")
	p.send(n, "STAT", "+OK 1 ")
	p.waitJS(`document.getElementById('lesson-panel').dataset.finished === 'true'`)
	if eval[bool](p, yamlFetched) {
		t.Error("the remembered lesson needed the YAML module again")
	}

	// A lesson file remembered by an earlier version of the page, as its
	// YAML source, still opens after a reload.
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`localStorage.setItem('maillab.lessons.current', JSON.stringify({id: 'own-lesson', source: %q, file: 'own-lesson.yaml'}))`, src)))
	p.reloadLesson("own-lesson")
	if !eval[bool](p, yamlFetched) {
		t.Error("a lesson remembered as YAML opened without the YAML module")
	}
	if !eval[bool](p, `'lesson' in JSON.parse(localStorage.getItem('maillab.lessons.current'))`) {
		t.Error("the lesson is not remembered compiled once it opened")
	}
}
