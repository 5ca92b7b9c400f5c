package site

import (
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"
)

// A lesson opened by its link lays its terminal out as soon as the
// simulator serves, while the lesson itself loads: with the lessons held
// back here, the lesson's terminal "main" of its protocol is drawn, and a
// line typed into it then is sent once the lesson opens it, after the
// greeting, in the same terminal.
func TestALessonsTerminalIsLaidOutWhileTheLessonLoads(t *testing.T) {
	p, release := holding(t, "/lessons.json", nil)
	p.do(chromedp.Navigate(p.base + "/?lang=en&lesson=imap-two-sessions"))
	laidOutBeforeItsLesson(t, p, "imap")
	sentOnceOpen(t, p, "a1 LOGIN alex drums", release)
	p.send(1, "a2 SELECT INBOX", "a2 OK")
	p.waitStep(2)
}

// A lesson resumed at the next visit, which has saved progress and so no
// preview, lays its terminal out as early: the lesson panel noted the
// protocol of its terminal "main" when it opened it.
func TestAResumedLessonsTerminalIsLaidOutWhileTheLessonLoads(t *testing.T) {
	// lessons.json, by its version, comes from the browser's cache at the
	// second visit; the server's extra lessons, which the panel also waits
	// for, are asked for every time.
	var hold atomic.Bool
	p, release := holding(t, "/lessons/extra/index.json", &hold)
	p.do(chromedp.Navigate(p.base + "/?lang=en&lesson=imap-two-sessions"))
	p.waitStep(1)
	n := greetedLessonTerm(p, "* OK")
	p.send(n, "a1 LOGIN alex drums", "a1 OK")
	p.send(n, "a2 SELECT INBOX", "a2 OK")
	p.waitStep(2)

	hold.Store(true)
	p.do(chromedp.Navigate(p.base + "/?lang=en"))
	laidOutBeforeItsLesson(t, p, "imap")
	sentOnceOpen(t, p, "b1 LOGIN alex drums", release)
	p.waitStep(2)
}

// holding serves the site with each request for path held, while hold
// is true (nil: always), until release is called or the browser goes.
func holding(t *testing.T, path string, hold *atomic.Bool) (*page, func()) {
	gate := make(chan struct{})
	var once sync.Once
	release := func() { once.Do(func() { close(gate) }) }
	t.Cleanup(release)
	p := newPageServing(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == path && (hold == nil || hold.Load()) {
				select { // or till the browser goes, should the test fail first
				case <-gate:
				case <-r.Context().Done():
				}
			}
			h.ServeHTTP(w, r)
		})
	})
	return p, release
}

// laidOutBeforeItsLesson checks that the page, its lesson held back,
// has drawn the lesson's terminal "main" of proto, with no session yet.
func laidOutBeforeItsLesson(t *testing.T, p *page, proto string) {
	t.Helper()
	p.waitJS(`document.body.dataset.ready === 'true'`)
	p.waitJS(`document.querySelector('[data-terminal="1"] .xterm-screen') !== null`)
	if eval[bool](p, `globalThis.lessonPanel?.lesson != null`) {
		t.Fatal("the lesson opened while it was held back")
	}
	if got := eval[string](p, `document.querySelector('[data-terminal="1"]').dataset.proto`); got != proto {
		t.Errorf("the lesson's terminal speaks %q, want %s", got, proto)
	}
	if got := eval[string](p, `document.querySelector('[data-terminal="1"] h2').textContent`); !strings.Contains(got, "main") {
		t.Errorf("the lesson's terminal is titled %q, want it to name main", got)
	}
	if eval[bool](p, `'session' in document.querySelector('[data-terminal="1"]').dataset`) {
		t.Error("the terminal has a session before the lesson opened it")
	}
}

// sentOnceOpen types line (an IMAP command) into the terminal laid out
// early, lets the lesson come (release), and checks that the line is
// sent after the greeting and answered OK, in that one terminal.
func sentOnceOpen(t *testing.T, p *page, line string, release func()) {
	t.Helper()
	p.typeLine(1, line)
	release()
	p.waitLog(1, 0, "s", "* OK")
	i := p.waitLog(1, 0, "c", line)
	p.waitLog(1, i, "s", strings.Fields(line)[0]+" OK")
	if k := eval[int](p, `document.querySelectorAll('[data-terminal]').length`); k != 1 {
		t.Errorf("%d terminals once the lesson opened, want the one laid out", k)
	}
}
