package site

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// box is an element's place in the window.
type box struct {
	Top, Bottom, Left, Right float64
	Position                 string
}

func (p *page) box(sel string) box {
	p.t.Helper()
	js := fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e) return '{}';
		const r = e.getBoundingClientRect();
		return JSON.stringify({Top: r.top, Bottom: r.bottom, Left: r.left, Right: r.right, Position: getComputedStyle(e).position}); })()`, sel)
	var b box
	if err := json.Unmarshal([]byte(eval[string](p, js)), &b); err != nil {
		p.t.Fatal(err)
	}
	return b
}

// openLessonAt opens a lesson by link in a window of w×h and waits for its
// step; it starts watching layout shifts before the page loads.
func openLessonAt(t *testing.T, w, h int64, query string) *page {
	p := newPage(t)
	p.do(chromedp.EmulateViewport(w, h))
	p.do(chromedp.Navigate(p.base + "/" + query))
	p.waitJS(`document.getElementById('lesson-panel').dataset.step === '1'`)
	p.waitJS(`document.querySelector('[data-terminal] [role="log"] > [data-dir="s"]') !== null`)
	return p
}

// layoutShift sums the page's layout shifts, as Lighthouse's CLS counts them.
const layoutShiftJS = `new Promise((resolve) => {
	let sum = 0;
	new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) { sum += e.value; console.warn('shift', e.value, e.sources.map(s => s.node?.id || s.node?.className || s.node?.nodeName).join(',')); } })
		.observe({ type: 'layout-shift', buffered: true });
	setTimeout(() => resolve(sum), 300);
})`

// On a laptop's screen a lesson sits in a column of its own beside the
// terminal, in sight as the page scrolls; the terminal, its diagram and
// its explain pane are in sight together; the toolbar is folded; and
// opening the lesson by link moves nothing as the lesson renders.
func TestALessonBesideItsTerminalOnALaptop(t *testing.T) {
	p := openLessonAt(t, 1366, 768, "?lang=en&lesson=imap-states")
	const height = 768
	n := lessonTerm(p)
	lesson := p.box("#lesson-panel")
	screen := p.box(term(n) + " .screen")
	diagram := p.box(term(n) + " .diagram")
	explain := p.box(term(n) + " .explain")
	if lesson.Right > screen.Left || lesson.Position != "sticky" {
		t.Errorf("the lesson at %+v, the terminal at %+v: want the lesson a sticky column left of it", lesson, screen)
	}
	if screen.Top < 0 || screen.Bottom > height || diagram.Top < 0 || diagram.Bottom > height {
		t.Errorf("terminal %+v, diagram %+v: want both whole in a 768px window", screen, diagram)
	}
	if explain.Top > height-60 {
		t.Errorf("the explain pane starts at %.0fpx of 768", explain.Top)
	}
	if eval[bool](p, `document.getElementById('new-term').checkVisibility()`) {
		t.Errorf("the toolbar is not folded in a lesson")
	}
	p.click("#tools")
	if !eval[bool](p, `document.getElementById('new-term').checkVisibility()`) {
		t.Errorf("More tools does not unfold the toolbar")
	}
	if cls := awaitJS[float64](p, layoutShiftJS); cls > 0.05 {
		t.Errorf("opening the lesson by link shifted the layout by %.3f", cls)
	}
	// The IMAP diagram's numbers have a legend, opened by a click (or a
	// tap) on a number.
	p.do(chromedp.Click(chromedp.CSS(term(n) + ` .edge[data-transition="4"] .edge-label`)))
	legend := eval[string](p, fmt.Sprintf(`(() => { const d = document.querySelector('%s .diagram-legend');
		return d.open + ' ' + d.querySelector('[data-lit="true"]')?.textContent + ' ' + d.textContent; })()`, term(n)))
	if want := "true (4) "; len(legend) < len(want) || legend[:len(want)] != want {
		t.Errorf("after a click on (4), the legend is %q", legend)
	}
}

// On a phone the terminal starts on the first screen below part of the
// lesson, a bar with the step and its goals stays above it as the page
// scrolls, and the explain pane is one tap away.
func TestALessonOnAPhone(t *testing.T) {
	p := openLessonAt(t, 390, 844, "?lang=en&lesson=imap-states")
	n := lessonTerm(p)
	if s := p.box(term(n) + " .screen"); s.Top > 844-100 {
		t.Errorf("the terminal starts at %.0fpx of an 844px screen", s.Top)
	}
	if cls := awaitJS[float64](p, layoutShiftJS); cls > 0.05 {
		t.Errorf("opening the lesson by link shifted the layout by %.3f", cls)
	}
	p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`window.scrollTo(0, document.querySelector('%s .screen').getBoundingClientRect().top + scrollY - 60)`, term(n))))
	bar := p.box("#lesson-now")
	if bar.Position != "sticky" || bar.Top < -1 || bar.Top > 1 {
		t.Errorf("the step bar is at %+v once the terminal is scrolled to, want it stuck at the top", bar)
	}
	if txt := eval[string](p, `document.getElementById('lesson-now').textContent`); txt == "" {
		t.Errorf("the step bar is empty")
	}
	p.click("#lesson-now .now-explain")
	p.waitJS(fmt.Sprintf(`(() => { const r = document.querySelector('%s .explain').getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight - 100; })()`, term(n)))
}

// inSight reports whether the element sel names is whole in the window
// (h pixels high) and, where it scrolls in a box, in sight in that box.
func (p *page) inSight(sel string, h int) bool {
	p.t.Helper()
	return eval[bool](p, fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e || !e.checkVisibility()) return false;
		const r = e.getBoundingClientRect();
		if (r.top < 0 || r.bottom > %d || r.height === 0) return false;
		for (let b = e.parentElement; b; b = b.parentElement) {
			if (!/(auto|scroll|hidden)/.test(getComputedStyle(b).overflowY)) continue;
			const q = b.getBoundingClientRect();
			if (r.top < q.top - 0.5 || r.bottom > q.bottom + 0.5) return false;
		}
		return true; })()`, sel, h))
}

// On a laptop's screen (1366×768 and 1280×720) a lesson's column starts
// with the lesson: its title and its first step's text are on the first
// screen beside the terminal; the lesson files and progress (open a
// file, export, import, leave, the picker) are among the folded tools.
func TestALessonStartsAtTheTopOfItsColumn(t *testing.T) {
	for _, size := range [][2]int64{{1366, 768}, {1280, 720}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			p := openLessonAt(t, size[0], size[1], "?lang=en&lesson=pop3-first-session")
			h := int(size[1])
			lesson := p.box("#lesson-panel")
			title := p.box("#lesson-panel .lesson-title")
			if screen := p.box(term(lessonTerm(p)) + " .screen"); lesson.Right > screen.Left {
				t.Errorf("the lesson at %+v is not beside the terminal at %+v", lesson, screen)
			}
			if title.Top-lesson.Top > 40 {
				t.Errorf("the lesson's title starts %.0fpx below the top of its column", title.Top-lesson.Top)
			}
			for _, sel := range []string{"#lesson-panel .lesson-title", "#lesson-panel .lesson-step .md > :first-child"} {
				if !p.inSight(sel, h) {
					t.Errorf("%s is not on the first screen: %+v", sel, p.box(sel))
				}
			}
			for _, id := range []string{"lesson-pick", "lesson-leave", "lesson-export"} {
				if eval[bool](p, fmt.Sprintf(`document.getElementById(%q).checkVisibility()`, id)) {
					t.Errorf("#%s is in sight before More tools is unfolded", id)
				}
			}
			if eval[bool](p, `document.querySelector('label[for="lesson-file"]').checkVisibility()`) {
				t.Errorf("Open a lesson file is in sight before More tools is unfolded")
			}
			p.click("#tools")
			for _, sel := range []string{"#lesson-pick", "#lesson-leave", "#lesson-export", `label[for="lesson-file"]`, `label[for="lesson-import"]`} {
				if !p.inSight(sel, h) {
					t.Errorf("More tools unfolded: %s is not in sight", sel)
				}
			}
			if v := eval[string](p, `document.getElementById('lesson-pick').value`); v != "pop3-first-session" {
				t.Errorf("the picker among the tools shows %q", v)
			}
		})
	}
}

// In a lesson with a mail path, on a laptop's screen, the journey view
// stands beside the terminal: its hosts and its newest step in sight as
// the learner types, before and after the message travels; the explain
// pane is a click away on the tab beside it. On a phone the step bar
// takes the learner to the journey view with one tap.
func TestTheJourneyBesideTheTerminal(t *testing.T) {
	const h = 768
	atStep2 := func(w, h int64) *page {
		p := newPage(t)
		p.do(chromedp.EmulateViewport(w, h))
		p.do(chromedp.Navigate(p.base + "/?lang=en&lesson=mail-mx-fallback&step=2"))
		p.waitStep(2)
		p.waitLog(lessonTerm(p), 0, "s", "220 smtp.example.org")
		return p
	}
	p := atStep2(1366, h)
	n := lessonTerm(p)
	p.waitJS(`!document.getElementById('journey').hidden && document.querySelector('#journey .jr-host') !== null`)
	check := func(when string) {
		t.Helper()
		screen := p.box(term(n) + " .screen")
		journey := p.box("#journey")
		if journey.Left < screen.Right {
			t.Errorf("%s: the journey view at %+v is not beside the terminal at %+v", when, journey, screen)
		}
		if !p.inSight(term(n)+" .screen", h) {
			t.Errorf("%s: the terminal is not whole in sight: %+v", when, screen)
		}
		hosts := eval[int](p, `document.querySelectorAll('#journey .jr-host').length`)
		for i := 1; i <= hosts; i++ {
			if sel := fmt.Sprintf("#journey .jr-host:nth-child(%d)", i); !p.inSight(sel, h) {
				t.Errorf("%s: host box %d is not in sight: %+v", when, i, p.box(sel))
			}
		}
		if !p.inSight("#journey .jr-step:last-child", h) {
			t.Errorf("%s: the journey's newest step is not in sight: %+v", when, p.box("#journey .jr-step:last-child"))
		}
	}
	check("before sending")
	p.submitAcross(n, "Beside the terminal")
	p.waitJS(`document.getElementById('journey').dataset.shown === '7'`)
	check("once delivered")

	p.click(term(n) + ` [role="tab"][id$="explain-tab"]`)
	if top := p.box(term(n) + " .side-explain").Top; top < 0 || top > h-100 || !eval[bool](p, fmt.Sprintf(`document.querySelector('%s .diagram').checkVisibility() && document.querySelector('%[1]s .explain').checkVisibility()`, term(n))) {
		t.Errorf("the Explain tab does not show the diagram and the explain pane where the journey was (at %.0fpx)", top)
	}
	if eval[bool](p, `document.getElementById('journey').checkVisibility()`) {
		t.Errorf("the journey view stays in sight under the Explain tab")
	}
	p.click(term(n) + ` [role="tab"][id$="journey-tab"]`)
	check("back on the Journey tab")

	// A lesson without a mail path keeps its explain pane, without tabs.
	q := openLessonAt(t, 1366, h, "?lang=en&lesson=pop3-first-session")
	if eval[bool](q, `[...document.querySelectorAll('.side-tabs')].some(e => e.checkVisibility())`) {
		t.Errorf("a POP3 lesson's terminal offers a journey tab")
	}

	phone := atStep2(390, 844)
	phone.waitJS(`!document.getElementById('journey').hidden`)
	phone.waitJS(`document.querySelector('#lesson-now .now-journey')?.checkVisibility()`)
	phone.click("#lesson-now .now-journey")
	phone.waitJS(`(() => { const r = document.getElementById('journey').getBoundingClientRect(); return r.top >= -1 && r.top < 120; })()`)
	if eval[bool](q, `document.querySelector('#lesson-now .now-journey')?.checkVisibility() ?? false`) {
		t.Errorf("a lesson without a mail path offers its journey")
	}
}

// On a phone the step bar above the terminal holds its buttons whole in
// every language: a mail path lesson's step, Explain and Journey (Slovak's
// and Russian's longer words pushed Journey past the screen's edge, where
// the bar cut it), and a dead end's Restart.
func TestThePhoneStepBarFitsItsWords(t *testing.T) {
	cut := func(p *page) []string {
		return eval[[]string](p, `[...document.querySelectorAll('#lesson-now > *, #lesson-now button')]
			.filter((e) => e.checkVisibility() && e.textContent !== '')
			.filter((e) => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > innerWidth || e.scrollWidth > e.clientWidth + 1; })
			.map((e) => e.className + ': ' + e.textContent)`)
	}
	for _, lang := range []string{"en", "ru", "sk"} {
		p := newPage(t)
		p.do(chromedp.EmulateViewport(390, 844))
		p.do(chromedp.Navigate(p.base + "/?lang=" + lang + "&lesson=mail-mx-fallback"))
		p.waitJS(`document.querySelector('#lesson-now .now-journey')?.checkVisibility()`)
		if out := cut(p); len(out) > 0 {
			t.Errorf("%s: the step bar cuts %q", lang, out)
		}
		// A step that can no longer be met: the bar offers to restart it.
		p.do(chromedp.Navigate(p.base + "/?lang=" + lang + "&lesson=pop3-deleting&step=5"))
		p.waitStep(5)
		n := greetedLessonTerm(p, "+OK")
		quitAfterDele1(p, n)
		p.waitJS(`document.querySelector('#lesson-now .now-restart')?.checkVisibility()`)
		if out := cut(p); len(out) > 0 {
			t.Errorf("%s: the step bar of a step to restart cuts %q", lang, out)
		}
	}
}

// The home page moves nothing as it fills: the lesson bar, whose code
// comes after the greeting, and the status line keep their places from
// the first paint, on a phone (Lighthouse's mobile screen too) and on a
// laptop, in each language.
func TestTheHomePageDoesNotShift(t *testing.T) {
	for _, c := range []struct {
		w, h int64
		lang string
	}{{390, 844, "en"}, {412, 823, "ru"}, {412, 823, "sk"}, {1350, 940, "en"}, {1366, 768, "ru"}} {
		t.Run(fmt.Sprintf("%dx%d-%s", c.w, c.h, c.lang), func(t *testing.T) {
			p := newPage(t)
			p.do(chromedp.EmulateViewport(c.w, c.h))
			p.do(chromedp.Navigate(p.base + "/?proto=pop3&lang=" + c.lang))
			p.waitReady()
			p.waitJS(`document.getElementById('lesson-pick') !== null && !window.lessonPanel?.renderQueued`)
			if cls := awaitJS[float64](p, layoutShiftJS); cls > 0.005 {
				t.Errorf("the home page shifted its layout by %.3f as it loaded", cls)
			}
		})
	}
}

// A lesson opened by its link shows its title and its step's text while
// the simulator is still on its way, laid out where the lesson panel
// then draws them: nothing moves when it comes.
func TestALessonLinkShowsTheLessonBeforeTheSimulator(t *testing.T) {
	p, release, _ := holdingFull(t)
	p.do(chromedp.EmulateViewport(1366, 768))
	p.do(chromedp.Navigate(p.base + "/?lang=ru&lesson=pop3-first-session&step=2"))
	p.waitJS(`document.querySelector('#lesson-panel .lesson-step[data-step="2"] .md > :first-child') !== null`)
	if eval[bool](p, `document.body.dataset.ready === 'true'`) {
		t.Fatal("the simulator was up before its module was sent")
	}
	title := eval[string](p, `document.querySelector('#lesson-panel .lesson-title').textContent`)
	if title != "POP3: первый сеанс" {
		t.Errorf("the lesson's title while the simulator loads: %q", title)
	}
	if !p.inSight("#lesson-panel .lesson-step .md > :first-child", 768) {
		t.Errorf("the step's text is not in sight while the simulator loads")
	}
	before := p.box("#lesson-panel .lesson-step .md > :first-child")
	text := eval[string](p, `document.querySelector('#lesson-panel .lesson-step .md').textContent`)
	p.do(chromedp.Evaluate[chromedp.Void](`globalThis.previewNode = document.querySelector('#lesson-panel .lesson-step .md')`))
	release()
	p.waitJS(`document.getElementById('lesson-panel').dataset.step === '2' && document.querySelector('#lesson-panel .lesson-goals') !== null`)
	// The panel keeps the text painted: the same node, not a copy.
	if !eval[bool](p, `document.querySelector('#lesson-panel .lesson-step .md') === globalThis.previewNode`) {
		t.Errorf("the lesson panel painted the step's text anew")
	}
	if after := p.box("#lesson-panel .lesson-step .md > :first-child"); after.Top != before.Top || after.Left != before.Left {
		t.Errorf("the step's text moved from %+v to %+v when the lesson panel drew it", before, after)
	}
	if got := eval[string](p, `document.querySelector('#lesson-panel .lesson-step .md').textContent`); got != text {
		t.Errorf("the step's text was %q before the simulator, %q after", text, got)
	}
	if cls := awaitJS[float64](p, layoutShiftJS); cls > 0.05 {
		t.Errorf("the lesson page shifted its layout by %.3f as it loaded", cls)
	}
}

// sideBySide checks that on a laptop's screen of h pixels the lesson, the
// terminal and the column beside it (diagram and explain pane, or the
// journey) stand side by side, the terminal whole in sight.
func (p *page) sideBySide(n, h int, side string) {
	p.t.Helper()
	lesson := p.box("#lesson-panel")
	screen := p.box(term(n) + " .screen")
	col := p.box(side)
	if lesson.Right > screen.Left {
		p.t.Errorf("the lesson at %+v is not left of the terminal at %+v", lesson, screen)
	}
	if col.Left < screen.Right || col.Top > screen.Bottom {
		p.t.Errorf("%s at %+v is not beside the terminal at %+v", side, col, screen)
	}
	if !p.inSight(term(n)+" .screen", h) {
		p.t.Errorf("the terminal is not whole in sight: %+v", screen)
	}
}

// overflowingControls names the buttons and tabs in sight whose words do
// not fit in them or that reach past the window's right edge.
const overflowingControlsJS = `[...document.querySelectorAll('button, [role="tab"], label, select')]
	.filter(e => e.checkVisibility() && getComputedStyle(e).position !== 'absolute')
	.filter(e => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > innerWidth)
	.map(e => (e.id || e.className || e.tagName) + ': ' + e.textContent.trim().slice(0, 40))`

// At 1280×720, a school laptop's screen, as at 1366×768: the lesson, the
// terminal and its diagram and explain pane (or, in a lesson with a mail
// path, the journey view) stand side by side, in each language, with no
// tab or button too narrow for its words.
func TestTheJourneyAndTheExplainPaneBesideTheTerminalAt1280(t *testing.T) {
	const w, h = 1280, 720
	for _, lang := range []string{"en", "ru", "sk"} {
		t.Run(lang, func(t *testing.T) {
			p := openLessonAt(t, w, h, "?lang="+lang+"&lesson=imap-states")
			n := lessonTerm(p)
			p.sideBySide(n, h, term(n)+" .side-col")
			if top := p.box(term(n) + " .explain").Top; top > h-80 {
				t.Errorf("the explain pane starts at %.0fpx of %d", top, h)
			}
			if bad := eval[[]string](p, overflowingControlsJS); len(bad) > 0 {
				t.Errorf("controls too narrow for their words: %q", bad)
			}

			p.do(chromedp.Navigate(p.base + "/?lang=" + lang + "&lesson=mail-mx-fallback&step=2"))
			p.waitStep(2)
			n = lessonTerm(p)
			p.waitLog(n, 0, "s", "220 smtp.example.org")
			p.waitJS(`!document.getElementById('journey').hidden && document.querySelector('#journey .jr-host') !== null`)
			p.sideBySide(n, h, "#journey")
			hosts := eval[int](p, `document.querySelectorAll('#journey .jr-host').length`)
			for i := 1; i <= hosts; i++ {
				if sel := fmt.Sprintf("#journey .jr-host:nth-child(%d)", i); !p.inSight(sel, h) {
					t.Errorf("host box %d is not in sight: %+v", i, p.box(sel))
				}
			}
			if bad := eval[[]string](p, overflowingControlsJS); len(bad) > 0 {
				t.Errorf("with the journey: controls too narrow for their words: %q", bad)
			}
			// Under the Explain tab, the diagram below the tabs still leaves
			// the explain pane's first line in sight.
			p.click(term(n) + ` [role="tab"][id$="explain-tab"]`)
			if !p.inSight(term(n)+" .explain h3", h) || p.box(term(n)+" .explain-list").Top+24 > h {
				t.Errorf("under the Explain tab the explain pane starts at %.0fpx of %d", p.box(term(n)+" .explain").Top, h)
			}
		})
	}
}

// However tall a protocol's state diagram (SMTP's and LMTP's are), on a
// laptop's screen the explain pane below it starts on the first screen:
// its title and the first line of what it explains are in sight without
// scrolling, and the diagram is scaled down whole, not cut.
func TestTheExplainPaneBelowTheDiagramInSight(t *testing.T) {
	type c struct {
		w, h         int64
		lang, lesson string
	}
	var cases []c
	for _, size := range [][2]int64{{1366, 768}, {1280, 720}} {
		for _, l := range []string{"pop3-first-session", "imap-states", "smtp-first-message", "lmtp-one-reply-per-recipient"} {
			cases = append(cases, c{size[0], size[1], "en", l})
		}
	}
	cases = append(cases, c{1280, 720, "ru", "smtp-first-message"}, c{1280, 720, "sk", "lmtp-one-reply-per-recipient"})
	for _, c := range cases {
		t.Run(fmt.Sprintf("%dx%d-%s-%s", c.w, c.h, c.lang, c.lesson), func(t *testing.T) {
			p := openLessonAt(t, c.w, c.h, "?lang="+c.lang+"&lesson="+c.lesson)
			n := lessonTerm(p)
			h := int(c.h)
			p.waitJS(fmt.Sprintf(`document.querySelector('%s .explain-list > *') !== null`, term(n)))
			if !p.inSight(term(n)+" .explain h3", h) {
				t.Errorf("the explain pane's title is not in sight: %+v", p.box(term(n)+" .explain h3"))
			}
			if first := p.box(term(n) + " .explain-list > :first-child"); first.Top < 0 || first.Top+24 > float64(h) {
				t.Errorf("the explain pane's first line is not in sight: %+v", first)
			}
			if !p.inSight(term(n)+" .diagram", h) {
				t.Errorf("the diagram is not whole in sight: %+v", p.box(term(n)+" .diagram"))
			}
		})
	}
}
