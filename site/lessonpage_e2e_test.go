package site

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

type goalItem struct {
	Met    string `json:"met"`
	Label  string `json:"label"`
	Reason string `json:"reason"`
}

func (p *page) goals() []goalItem {
	p.t.Helper()
	var out []goalItem
	js := `JSON.stringify([...document.querySelectorAll('.lesson-step .lesson-goals li')].map(li => ({
		met: li.dataset.met, label: li.querySelector('.goal-label')?.textContent ?? '', reason: li.querySelector('.goal-reason')?.textContent ?? ''})))`
	if err := json.Unmarshal([]byte(eval[string](p, js)), &out); err != nil {
		p.t.Fatal(err)
	}
	return out
}

// Goals are a checklist of what the step asks for: each says what to do,
// a met one is ticked, an unmet one gives one current reason, and a reason
// two goals share is said once.
func TestLessonGoalsAreAChecklist(t *testing.T) {
	p := newPage(t)
	p.do(chromedp.Navigate(p.base + "/?lang=en&lesson=pop3-first-session&step=2"))
	p.waitStep(2)
	n := greetedLessonTerm(p, "+OK")
	g := p.goals()
	if len(g) != 2 || g[0].Label != "Take transition (login), USER and PASS, APOP or AUTH accepted" || g[1].Label != "Reach the TRANSACTION state" {
		t.Errorf("step 2's goals read %+v", g)
	}
	reasons := map[string]int{}
	for _, x := range g {
		if x.Met != "false" {
			t.Errorf("goal %q is met before the learner did anything", x.Label)
		}
		if x.Reason != "" {
			reasons[x.Reason]++
		}
	}
	for r, k := range reasons {
		if k > 1 {
			t.Errorf("the reason %q is said %d times", r, k)
		}
	}
	p.send(n, "USER melanie", "+OK")
	p.send(n, "PASS toybox", "+OK")
	p.waitStep(3)
	p.do(chromedp.Click(chromedp.CSS(`.lesson-steps li:nth-child(2) button`)))
	p.waitStep(2)
	for _, x := range p.goals() {
		if x.Met != "true" || x.Reason != "" || !strings.HasPrefix(eval[string](p, `document.querySelector('.lesson-goals li .goal-mark').textContent`), "✓") {
			t.Errorf("a met goal reads %+v", x)
		}
	}
}

// Picking a lesson gives the keyboard to its terminal, named as the lesson
// names it; the protocol menu shows the lesson's protocol.
func TestPickingALessonFocusesItsNamedTerminal(t *testing.T) {
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	p.waitJS(`document.querySelector('#lesson-pick option[value="imap-states"]') !== null`)
	p.do(chromedp.SetValue(chromedp.CSS("#lesson-pick"), "imap-states"))
	p.do(chromedp.Evaluate[chromedp.Void](`document.getElementById('lesson-pick').dispatchEvent(new Event('change'))`))
	p.waitStep(1)
	n := greetedLessonTerm(p, "* OK")
	p.waitJS(fmt.Sprintf(`document.activeElement.closest('[data-terminal]')?.dataset.terminal === '%d'`, n))
	// Typed straight away, the line goes to the lesson's terminal.
	p.do(keys("a1 CAPABILITY\r"))
	p.waitLog(n, 0, "s", "a1 OK")
	if k := eval[int](p, `document.querySelectorAll('[data-terminal]').length`); k != 1 {
		t.Errorf("%d terminals after picking a lesson and typing, want its one", k)
	}
	if title := eval[string](p, fmt.Sprintf(`document.querySelector('%s h2').textContent`, term(n))); !strings.Contains(title, "“main”") {
		t.Errorf("the lesson's terminal is titled %q, want its name main", title)
	}
	if proto := eval[string](p, `document.getElementById('proto').value`); proto != "imap" {
		t.Errorf("the protocol menu shows %q in an IMAP lesson", proto)
	}
}

// No dead ends: a lesson resumed after a reload says its session is new;
// a connection cut without QUIT shows as ended in the badge and the
// diagram.
func TestALessonSaysWhatHappenedToItsSession(t *testing.T) {
	p := newPage(t)
	p.do(chromedp.Navigate(p.base + "/?lang=en&lesson=pop3-first-session"))
	p.waitStep(1)
	n := greetedLessonTerm(p, "+OK")
	p.send(n, "USER melanie", "+OK")
	p.send(n, "PASS toybox", "+OK")
	p.waitStep(3)
	p.expectDiagram(n, "transaction", "login")
	p.do(chromedp.Evaluate[chromedp.Void](`lessonPanel.drop('main')`))
	p.waitJS(fmt.Sprintf(`document.querySelector('%s .state-badge').textContent === 'connection closed'`, term(n)))
	if d := p.diagram(n); len(d.Current) != 0 {
		t.Errorf("after the connection was cut the diagram shows %v as current", d.Current)
	}
	p.reloadLesson("pop3-first-session")
	p.waitStep(3)
	notice := eval[string](p, `document.querySelector('.lesson-notice')?.textContent ?? ''`)
	if !strings.Contains(notice, "log in again") {
		t.Errorf("after a reload the lesson says %q, want that the session is new", notice)
	}
}

// A step without hints offers none, rather than "No more hints.".
func TestAStepWithoutHintsOffersNone(t *testing.T) {
	p := newPage(t)
	p.do(chromedp.Navigate(p.base + "/?lang=en&lesson=pop3-first-session&step=6"))
	p.waitStep(6)
	if k := eval[int](p, `document.querySelectorAll('.lesson-step .lesson-hint').length`); k != 0 {
		t.Errorf("a step without hints shows %d hint buttons: %q", k, eval[string](p, `document.querySelector('.lesson-step .lesson-hint').textContent`))
	}
	// Nor anything in the button's place: a text "null" had stood there.
	if text := eval[string](p, `[...document.querySelector('.lesson-step .lesson-solution').parentElement.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('')`); strings.TrimSpace(text) != "" {
		t.Errorf("beside the solution button the step shows %q", text)
	}
}

// Choices are shown in another order on each attempt.
func TestQuizChoicesAreShuffledPerAttempt(t *testing.T) {
	p, _ := firstLessonAtStep4(t)
	order := func() string {
		return eval[string](p, `[...document.querySelectorAll('form[data-question="2:0"] input')].map(i => i.value).join('')`)
	}
	seen := map[string]bool{order(): true}
	for range 8 {
		// A wrong answer (choice 1, the number of messages), then Check.
		wrong := "1"
		p.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('form[data-question="2:0"] input[value="` + wrong + `"]').click()`))
		p.click(`form[data-question="2:0"] button[type="submit"]`)
		p.waitJS(`document.querySelector('form[data-question="2:0"] .feedback')?.dataset.correct === 'false'`)
		seen[order()] = true
	}
	if len(seen) < 2 {
		t.Errorf("the choices kept one order over 9 attempts: %v", seen)
	}
}

// A file that is not a progress file gets a sentence a learner reads, not
// the exception of JSON.parse; one that is says it was imported.
func TestImportingProgressSaysWhatHappened(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "notes.txt")
	good := filepath.Join(dir, "progress.json")
	os.WriteFile(bad, []byte("hello"), 0o644)
	os.WriteFile(good, []byte(`{"format":"maillab-lesson-progress","version":1,"lessons":{}}`), 0o644)
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	p.waitJS(`document.getElementById('lesson-import') !== null`)
	p.do(chromedp.SetUploadFiles(`#lesson-import`, []string{bad}))
	p.waitJS(`document.querySelector('.lesson-error') !== null`)
	msg := eval[string](p, `document.querySelector('.lesson-error').textContent`)
	if !strings.Contains(msg, "notes.txt is not a progress file") || strings.Contains(msg, "Unexpected token") || strings.Contains(msg, "JSON.parse") {
		t.Errorf("importing a text file says %q", msg)
	}
	p.do(chromedp.SetUploadFiles(`#lesson-import`, []string{good}))
	p.waitJS(`document.querySelector('.lesson-notice')?.textContent.startsWith('Progress imported')`)
}

// "New terminal" during a lesson opens a terminal of the lesson: named
// as the lesson names its second one, and what is typed there counts.
func TestANewTerminalInALessonIsTheLessons(t *testing.T) {
	p := newPage(t)
	p.do(chromedp.Navigate(p.base + "/?lang=en&lesson=pop3-lock"))
	p.waitStep(1)
	p.click("#tools")
	p.click("#new-term")
	p.waitJS(`document.querySelectorAll('[data-terminal]').length === 2`)
	name := eval[string](p, `[...lessonPanel.names.values()].filter(n => n !== 'main').join(',')`)
	if name == "" {
		t.Fatalf("the new terminal is not the lesson's: names %s", eval[string](p, `JSON.stringify([...lessonPanel.names])`))
	}
	n := eval[int](p, `lessonPanel.terms.get([...lessonPanel.names.values()].find(n => n !== 'main'))`)
	if title := eval[string](p, fmt.Sprintf(`document.querySelector('%s h2').textContent`, term(n))); !strings.Contains(title, "“"+name+"”") {
		t.Errorf("the new terminal is titled %q, want its name %q", title, name)
	}
	p.waitJS(fmt.Sprintf(`document.activeElement.closest('[data-terminal]')?.dataset.terminal === '%d'`, n))
}

// A step offers to connect a terminal only when it is not open, and to cut
// a connection only where its solution does: closing the lesson's
// terminal leaves a way back.
func TestALessonOffersToReconnectItsClosedTerminal(t *testing.T) {
	p := newPage(t)
	p.do(chromedp.Navigate(p.base + "/?lang=en&lesson=pop3-first-session"))
	p.waitStep(1)
	n := greetedLessonTerm(p, "+OK")
	p.waitJS(`lessonPanel.lab.terminals().every(t => t.session)`)
	if k := eval[int](p, `document.querySelectorAll('.lesson-actions button[data-action]').length`); k != 0 {
		t.Errorf("step 1 offers %d lab actions with its terminal open: %s", k, eval[string](p, `document.querySelector('.lesson-actions').textContent`))
	}
	p.click(term(n) + " .close")
	p.click(`[data-action="connect main"]`)
	p.waitJS(`document.querySelectorAll('[data-terminal]').length === 1`)
	m := greetedLessonTerm(p, "+OK")
	p.send(m, "USER melanie", "+OK")
	p.waitStep(2)
}

// No dead ends: in pop3-deleting step 5, QUIT instead of a cut
// connection deletes the message for good, so "INBOX: 3 messages" can
// never hold again. The step says so and offers to restart it; restarted,
// it has its three messages back and is done as it asks.
func TestAStepThatCanNoLongerBeMetOffersARestart(t *testing.T) {
	p := newPage(t)
	p.do(chromedp.Navigate(p.base + "/?lang=en&lesson=pop3-deleting&step=5"))
	p.waitStep(5)
	n := greetedLessonTerm(p, "+OK")
	// Always at hand, not yet urged.
	p.waitJS(`document.querySelector('.lesson-actions .lesson-restart-step') !== null`)
	if k := eval[int](p, `document.querySelectorAll('.lesson-stuck').length`); k != 0 {
		t.Fatalf("a fresh step says it is stuck: %s", eval[string](p, `document.querySelector('.lesson-stuck').textContent`))
	}
	quitAfterDele1(p, n)
	p.waitJS(`document.querySelector('.lesson-stuck[role="alert"] .lesson-restart-step') !== null`)
	why := eval[string](p, `document.querySelector('.lesson-stuck .stuck-reason').textContent`)
	if !strings.Contains(why, "can no longer be met: INBOX holds 2 messages, it needs 3") {
		t.Errorf("the dead end reads %q", why)
	}
	// The phone's bar above the terminal offers it too.
	if k := eval[int](p, `document.querySelectorAll('#lesson-now .now-restart').length`); k != 1 {
		t.Errorf("the step bar offers %d restarts in a dead end, want 1", k)
	}
	p.click(`.lesson-stuck .lesson-restart-step`)
	p.waitJS(`document.querySelector('.lesson-notice')?.textContent.startsWith('Step 5 starts again')`)
	p.waitStep(5)
	if k := eval[int](p, `document.querySelectorAll('.lesson-stuck').length`); k != 0 {
		t.Errorf("still stuck after the restart: %s", eval[string](p, `document.querySelector('.lesson-stuck').textContent`))
	}
	m := greetedLessonTerm(p, "+OK")
	p.waitJS(fmt.Sprintf(`document.activeElement.closest('[data-terminal]')?.dataset.terminal === '%d'`, m))
	p.send(m, "USER melanie", "+OK")
	p.send(m, "PASS toybox", "+OK")
	p.send(m, "STAT", "+OK 3 ")
	if k := eval[int](p, `document.querySelectorAll('#lesson-now .now-restart').length`); k != 0 {
		t.Errorf("the step bar still offers a restart after it")
	}
	p.send(m, "DELE 1", "+OK")
	p.click(`[data-action="drop main"]`)
	p.waitStep(6)
}

// A quiz answer shows what the chosen choice explains of itself: for a
// wrong one, why it is wrong; for the right one, with the question's
// explanation.
func TestAQuizAnswerExplainsTheChosenChoice(t *testing.T) {
	p := newPage(t)
	p.do(chromedp.Navigate(p.base + "/?lang=en&lesson=pop3-uidl"))
	p.waitStep(1)
	n := greetedLessonTerm(p, "+OK")
	for _, l := range [][2]string{{"USER melanie", "+OK"}, {"PASS toybox", "+OK"}, {"LIST", "+OK"}, {"UIDL", "+OK"}} {
		p.send(n, l[0], l[1])
	}
	p.waitStep(2)
	p.send(n, "DELE 1", "+OK")
	p.send(n, "QUIT", "+OK")
	p.waitStep(3)
	p.click(`[data-action="connect main"]`)
	m := greetedLessonTerm(p, "+OK")
	for _, l := range [][2]string{{"USER melanie", "+OK"}, {"PASS toybox", "+OK"}, {"LIST", "+OK"}, {"UIDL", "+OK"}} {
		p.send(m, l[0], l[1])
	}
	p.waitStep(4)
	answer := func(choice string) {
		p.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('form[data-question="2:0"] input[value="` + choice + `"]').click()`))
		p.click(`form[data-question="2:0"] button[type="submit"]`)
	}
	// Choice 1 (0-based 0), the message number: wrong, and why.
	answer("0")
	p.waitJS(`document.querySelector('form[data-question="2:0"] .feedback')?.dataset.correct === 'false'`)
	fb := eval[string](p, `document.querySelector('form[data-question="2:0"] .feedback').textContent`)
	if !strings.HasPrefix(fb, "Not quite") || !strings.Contains(fb, "Numbers are given afresh in every session") {
		t.Errorf("a wrong answer reads %q, want why it is wrong", fb)
	}
	answer("1")
	p.waitJS(`document.querySelector('form[data-question="2:0"] .feedback')?.dataset.correct === 'true'`)
	fb = eval[string](p, `document.querySelector('form[data-question="2:0"] .feedback').textContent`)
	if strings.Contains(fb, "Numbers are given afresh") || !strings.HasPrefix(fb, "Correct.") {
		t.Errorf("the right answer reads %q", fb)
	}
}

// A lab action in a step's text is the page's button for it, in the
// sentence, not the line labctl play would take: `:connect phone` reads
// "Подключить терминал «phone»" and connects it, and the step does not
// offer the same button twice.
func TestALabActionInAStepsTextIsItsButton(t *testing.T) {
	p := newPage(t)
	p.do(chromedp.Navigate(p.base + "/?lang=ru&lesson=imap-two-sessions&step=2"))
	p.waitStep(2)
	greetedLessonTerm(p, "* OK")
	inline := `.lesson-step .md p button.lesson-inline-action[data-action="connect phone"]`
	if got := eval[string](p, `document.querySelector('`+inline+`')?.textContent || ''`); got != "Подключить терминал «phone»" {
		t.Errorf("the step's text shows its :connect as %q", got)
	}
	if text := eval[string](p, `document.querySelector('.lesson-panel').textContent`); strings.Contains(text, ":connect") {
		t.Errorf("the panel shows labctl play's line: %q", text)
	}
	if k := eval[int](p, `document.querySelectorAll('.lesson-actions [data-action="connect phone"]').length`); k != 0 {
		t.Errorf("the step offers connecting phone %d more times below its text", k)
	}
	// The sentence reads "… **phone** (`:connect phone`), тоже …": at no
	// width of the text does its "(" end a line above the button, nor its
	// ")," begin one below it.
	if broken := eval[[]int](p, `(() => {
		const button = document.querySelector('`+inline+`');
		const md = button.closest('.md');
		const keep = md.style.width;
		const at = (node, i) => {
			const r = document.createRange();
			r.setStart(node, i);
			r.setEnd(node, i + 1);
			return r.getBoundingClientRect().bottom;
		};
		const char = (ch) => {
			const walk = document.createTreeWalker(md, NodeFilter.SHOW_TEXT);
			let near = null;
			for (let n = walk.nextNode(); n; n = walk.nextNode()) {
				if (button.contains(n)) continue;
				const i = n.data.indexOf(ch);
				const before = n.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING;
				if (i >= 0 && (ch === '(' ? before : !before)) near = ch === '(' ? [n, n.data.lastIndexOf(ch)] : near || [n, i];
			}
			return near;
		};
		const broken = [];
		for (let w = 160; w <= 640; w += 4) {
			md.style.width = w + 'px';
			const b = button.getBoundingClientRect().bottom;
			const [open, oi] = char('(');
			const [close, ci] = char(')');
			if (Math.abs(at(open, oi) - b) > 8 || Math.abs(at(close, ci) - b) > 8) broken.push(w); // a line is 20 px or more
		}
		md.style.width = keep;
		return broken;
	})()`); len(broken) > 0 {
		t.Errorf("the button's parentheses are on another line than it at widths %v px", broken)
	}
	p.click(inline)
	p.waitJS(`lessonPanel.terms.get('phone') !== undefined`)
	phone := eval[int](p, `lessonPanel.terms.get('phone')`)
	p.waitLog(phone, 0, "s", "* OK")
	p.send(phone, "b1 LOGIN alex drums", "b1 OK")
	p.send(phone, "b2 SELECT INBOX", "b2 OK")
	p.waitStep(3)
}

// Lessons picked in quick succession open one after the other: the last
// one picked is open, in one terminal of its protocol, and the same one
// picked again while it opens opens once.
func TestLessonsPickedQuicklyOpenInTurn(t *testing.T) {
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	p.waitJS(`document.querySelector('#lesson-pick option[value="imap-states"]') !== null`)
	p.do(chromedp.Evaluate[chromedp.Void](`(() => {
		const sel = document.getElementById('lesson-pick');
		for (const id of ['pop3-first-session', 'imap-states', 'imap-states']) {
			sel.value = id;
			sel.dispatchEvent(new Event('change'));
		}
	})()`))
	p.waitJS(`document.getElementById('lesson-panel').dataset.lesson === 'imap-states' && !lessonPanel.opening && !lessonPanel.queued`)
	p.waitStep(1)
	n := greetedLessonTerm(p, "* OK")
	if k := eval[int](p, `document.querySelectorAll('[data-terminal]').length`); k != 1 {
		t.Errorf("%d terminals after three quick picks, want the lesson's one", k)
	}
	if id := eval[string](p, `lessonPanel.status().progress ? lessonPanel.lesson.id : ''`); id != "imap-states" {
		t.Errorf("the engine holds %q", id)
	}
	if opened := eval[int](p, `lessonPanel.lab.terminals()[0].terminal`); opened != 3 {
		t.Errorf("the lesson's terminal is number %d: want 3 (the home page's, then one per lesson opened)", opened)
	}
	p.send(n, "a1 CAPABILITY", "a1 OK")
}
