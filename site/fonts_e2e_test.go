package site

import (
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// fontsJS lists the fonts (style, weight, size and first family) of what
// the page lays out: each element with text of its own that is not
// display:none (a hidden one is laid out all the same), the SVG
// diagram's text with them, and apart, the letters fonts.js laid out
// while the page waited for the simulator.
const fontsJS = `(() => {
	const key = (el) => {
		const s = getComputedStyle(el);
		return [s.fontStyle, s.fontWeight, s.fontSize, s.fontFamily.split(',')[0].trim().replace(/"/g, '')].join(' ');
	};
	const shown = new Map();
	for (const el of document.body.querySelectorAll('*')) {
		if (el.closest('.font-warm') || !el.checkVisibility()) continue;
		if (![...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim())) continue;
		const k = key(el);
		if (!shown.has(k)) shown.set(k, el.tagName.toLowerCase() + (typeof el.className === 'string' && el.className ? '.' + el.className.split(' ')[0] : ''));
	}
	const warm = [...document.querySelectorAll('.font-warm span')];
	return {
		shown: [...shown].map(([k, el]) => k + ' (' + el + ')'),
		warmed: warm.map(key),
		laidOut: warm.every((s) => s.offsetWidth > 0),
	};
})()`

type pageFonts struct {
	Shown   []string `json:"shown"`
	Warmed  []string `json:"warmed"`
	LaidOut bool     `json:"laidOut"`
}

// The page shows its text in few fonts (sizes and weights of its two
// families), all of which it looked up while it waited for the
// simulator (fonts.js): the first time a page shows a font, Chromium on
// Linux asks its browser process how to draw it, and the page waits for
// the answer in the middle of a layout. Nineteen of them had been
// looked up in the tasks that open the first terminal and a lesson, one
// taking 190 ms on a busy machine. Checked on the home page after a
// login (the transcript, the explain pane, the raw bytes), a lesson on a
// phone, IMAP's diagram with its legend open, and a mail path lesson's
// journey view.
func TestThePageShowsOnlyTheFontsItLookedUpBeforehand(t *testing.T) {
	check := func(t *testing.T, p *page) {
		t.Helper()
		got := eval[pageFonts](p, fontsJS)
		if len(got.Warmed) == 0 || !got.LaidOut {
			t.Fatalf("the page laid out %d fonts beforehand (all laid out: %v)", len(got.Warmed), got.LaidOut)
		}
		var outside []string
		for _, s := range got.Shown {
			if !slices.Contains(got.Warmed, s[:strings.Index(s, " (")]) {
				outside = append(outside, s)
			}
		}
		if len(outside) > 0 {
			t.Errorf("the page shows fonts it did not look up beforehand (use style.css's type scale, or add them to fonts.js FONTS):\n%s\nlooked up: %q", strings.Join(outside, "\n"), got.Warmed)
		}
		t.Logf("%d fonts shown: %q", len(got.Shown), got.Shown)
	}
	t.Run("home", func(t *testing.T) {
		p := newPage(t)
		p.do(chromedp.EmulateViewport(1366, 768))
		p.open("?proto=pop3&lang=en")
		p.send(1, "USER melanie", "+OK")
		p.send(1, "PASS toybox", "+OK")
		p.send(1, "LIST", ".")
		check(t, p)
		p.click(`[data-terminal="1"] [role="tab"][id$="raw-tab"]`)
		p.waitJS(`document.querySelector('[data-terminal="1"] .raw .crlf') !== null`)
		check(t, p)
	})
	t.Run("lesson on a phone", func(t *testing.T) {
		p := newPage(t)
		p.do(chromedp.EmulateViewport(390, 844))
		p.open("?lang=ru&lesson=pop3-first-session")
		p.waitJS(`document.getElementById('lesson-panel').dataset.lesson === 'pop3-first-session'`)
		check(t, p)
	})
	t.Run("IMAP legend", func(t *testing.T) {
		p := newPage(t)
		p.do(chromedp.EmulateViewport(1366, 768))
		p.open("?proto=imap&lang=sk")
		p.send(1, "a1 LOGIN melanie toybox", "a1 OK")
		p.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-terminal="1"] .diagram-legend').open = true`))
		check(t, p)
	})
	t.Run("journey", func(t *testing.T) {
		p, n := openJourneyLesson(t)
		p.submitAcross(n, "Fonts")
		p.waitJS(`document.querySelector('#journey .jr-host') !== null`)
		check(t, p)
	})
}
