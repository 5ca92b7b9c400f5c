package site

import (
	"strings"
	"testing"
)

// xterm's DOM renderer measures a character's width the first time it
// draws it, and each measure lays the page out anew. The terminal fills
// xterm's cache for printable ASCII from one measure of W when the font
// gives W, i, m, the space and the dot one width (terminal.js
// primeWidths): a screen of ASCII is then drawn without a measure, and
// drawn as before, with no character spaced apart from its cell.
func TestTheTerminalMeasuresNoPrintableASCII(t *testing.T) {
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	var ascii strings.Builder
	for c := '!'; c <= '~'; c++ {
		ascii.WriteRune(c)
	}
	p.typeLine(1, "NOOP "+ascii.String())
	p.waitScreen(1, "-ERR")
	// The width cache's measuring element holds the last character it
	// measured, 32 times over: the last of primeWidths's probes.
	last := eval[string](p, `document.querySelector('[data-terminal="1"] .xterm-width-cache-measure-container .xterm-char-measure-element').textContent`)
	if last != strings.Repeat(".", 32) {
		t.Errorf("xterm measured %q after drawing a line of ASCII; want only primeWidths's probes, the last %q", last, strings.Repeat(".", 32))
	}
	// A character whose cached width were wrong would be drawn with a
	// letter-spacing of its own to fit its cell.
	spacings := eval[map[string][]string](p, `(() => {
		const by = {};
		for (const s of document.querySelectorAll('[data-terminal="1"] .xterm-rows span')) (by[s.style.letterSpacing] ||= []).push(s.textContent);
		return by;
	})()`)
	if len(spacings) > 1 {
		t.Errorf("characters drawn with different letter-spacings: %q", spacings)
	}
	if screen := p.screenText(1); !strings.Contains(strings.ReplaceAll(screen, "\n", ""), "NOOP "+ascii.String()) {
		t.Errorf("the line typed is not on the screen:\n%s", screen)
	}
}
