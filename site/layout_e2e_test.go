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
