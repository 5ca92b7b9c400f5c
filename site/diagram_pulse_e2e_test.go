package site

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A transition taken again pulses again on the diagram, both its edge and
// the copy drawn on top: the animation starts over, with no layout of the
// page forced to restart it.
func TestATransitionTakenAgainPulsesAgain(t *testing.T) {
	p := newPage(t)
	p.open("?proto=imap&lang=en")
	p.send(1, "a LOGIN melanie toybox", "a OK")
	p.send(1, "b SELECT INBOX", "b OK")
	p.send(1, "c SELECT INBOX", "c OK")
	p.expectDiagram(1, "selected", "5r")
	// The pulse lasts 2.1 s (0.7 s three times): the next SELECT comes
	// during this one's.
	time.Sleep(900 * time.Millisecond)
	const times = `[...document.querySelectorAll('[data-terminal="1"] .edge[data-active="true"] path, [data-terminal="1"] .edge-hot')].map(e => { const a = e.getAnimations(); return a.length === 1 ? a[0].currentTime : -1; })`
	before := eval[[]float64](p, times)
	if len(before) != 2 || before[0] < 800 || before[1] < 800 {
		t.Fatalf("the SELECT edge and its copy on top pulse for %v ms after 900 ms, want both ≥ 800", before)
	}
	// Count the diagram's reads of a layout while the next answer is
	// handled.
	p.do(chromedp.Evaluate[chromedp.Void](`(() => {
		globalThis.forced = 0;
		const f = Element.prototype.getBoundingClientRect;
		Element.prototype.getBoundingClientRect = function () { globalThis.forced++; return f.call(this); };
	})()`))
	p.send(1, "d SELECT INBOX", "d OK")
	p.expectDiagram(1, "selected", "5r")
	after := eval[[]float64](p, times)
	if len(after) != 2 || after[0] > 500 || after[1] > 500 {
		t.Errorf("after the next SELECT the pulses stand at %v ms, want both started over (< 500)", after)
	}
	if n := eval[int](p, `globalThis.forced`); n != 0 {
		t.Errorf("the diagram read %d layouts to take the transition", n)
	}
}
