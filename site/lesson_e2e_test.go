package site

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// lessonTerm is the terminal the lesson panel opened for "main".
func lessonTerm(p *page) int {
	p.t.Helper()
	return eval[int](p, `lessonPanel.terms.get('main')`)
}

func (p *page) waitStep(n int) {
	p.t.Helper()
	p.waitJS(fmt.Sprintf(`document.getElementById('lesson-panel').dataset.step === '%d'`, n))
}

func (p *page) click(sel string) {
	p.t.Helper()
	p.do(chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
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
	n := lessonTerm(p)
	p.waitLog(n, 0, "s", "+OK")

	p.send(n, "USER melanie", "+OK")
	p.waitStep(2)
	p.send(n, "PASS toybox", "+OK")
	p.waitStep(3)

	// Step 3 wants STAT: the unmet goal says so, in the learner's terms.
	reason := eval[string](p, `document.querySelector('.lesson-step .lesson-goals li[data-met="false"]').textContent`)
	if !strings.HasPrefix(reason, "not yet: no response to STAT") {
		t.Errorf("unmet goal reads %q", reason)
	}
	p.send(n, "STAT", "+OK 2 820")
	p.waitStep(4)
	// The question of step 3 is asked with its explanation.
	p.click(`form[data-question="2:0"] input[value="0"]`)
	p.click(`form[data-question="2:0"] button[type="submit"]`)
	p.waitJS(`document.querySelector('form[data-question="2:0"] .feedback').dataset.correct === 'true'`)

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
	p.do(chromedp.Reload())
	p.waitJS(`document.body.dataset.ready === 'true'`)
	p.waitJS(`document.getElementById('lesson-panel').dataset.lesson === 'pop3-first-session'`)
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
	p.do(chromedp.SendKeys(chromedp.CSS(`form[data-question="6:1"] input[name="text"]`), "110"))
	p.click(`form[data-question="6:1"] button[type="submit"]`)
	p.waitJS(`document.getElementById('lesson-panel').dataset.finished === 'true'`)
	if !eval[bool](p, `JSON.parse(localStorage.getItem('maillab.lessons.progress'))['pop3-first-session'].finished`) {
		t.Error("the finished lesson was not saved")
	}
}

// TestLessonFileWithErrorsShowsLineAndColumn loads a broken lesson by URL
// and shows the loader's file:line:column error.
func TestLessonFileWithErrorsShowsLineAndColumn(t *testing.T) {
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	p.waitJS(`typeof lessonPanel === 'object'`)
	src := "id: x\nprotocol: pop3\nlevel: 1\ntitel: {en: a}\n"
	p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`lessonPanel.open(%q, 'broken.yaml')`, src)))
	p.waitJS(`document.querySelector('.lesson-error') !== null`)
	msg := eval[string](p, `document.querySelector('.lesson-error').textContent`)
	if !strings.Contains(msg, `broken.yaml:4:1: unknown field "titel"`) {
		t.Errorf("error reads %q", msg)
	}
	// Another origin is refused.
	p.do(chromedp.Evaluate[chromedp.Void](`lessonPanel.openURL('https://example.org/x.yaml')`))
	p.waitJS(`document.querySelector('.lesson-error').textContent.includes('lessons load only from')`)
}
