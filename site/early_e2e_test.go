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
	gate := make(chan struct{})
	var once sync.Once
	release := func() { once.Do(func() { close(gate) }) }
	t.Cleanup(release) // before the server closes
	p := newPageServing(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/lessons.json" {
				select { // or till the browser goes, should the test fail first
				case <-gate:
				case <-r.Context().Done():
				}
			}
			h.ServeHTTP(w, r)
		})
	})
	p.do(chromedp.Navigate(p.base + "/?lang=en&lesson=imap-two-sessions"))
	p.waitJS(`document.body.dataset.ready === 'true'`)
	p.waitJS(`document.querySelector('[data-terminal="1"] .xterm-screen') !== null`)
	if eval[bool](p, `globalThis.lessonPanel?.lesson != null`) {
		t.Fatal("the lesson opened with the lessons held back")
	}
	if got := eval[string](p, `document.querySelector('[data-terminal="1"]').dataset.proto`); got != "imap" {
		t.Errorf("the lesson's terminal speaks %q, want imap", got)
	}
	if got := eval[string](p, `document.querySelector('[data-terminal="1"] h2').textContent`); !strings.Contains(got, "main") {
		t.Errorf("the lesson's terminal is titled %q, want it to name main", got)
	}
	if eval[bool](p, `'session' in document.querySelector('[data-terminal="1"]').dataset`) {
		t.Error("the terminal has a session before the lesson opened it")
	}
	p.typeLine(1, "a1 LOGIN alex drums")
	release()
	p.waitLog(1, 0, "s", "* OK")
	i := p.waitLog(1, 0, "c", "a1 LOGIN alex drums")
	p.waitLog(1, i, "s", "a1 OK")
	if k := eval[int](p, `document.querySelectorAll('[data-terminal]').length`); k != 1 {
		t.Errorf("%d terminals once the lesson opened, want the one laid out", k)
	}
	p.send(1, "a2 SELECT INBOX", "a2 OK")
	p.waitStep(2)
}

// A lesson resumed at the next visit, which has saved progress and so no
// preview, lays its terminal out as early: the lesson panel noted the
// protocol of its terminal "main" when it opened it.
func TestAResumedLessonsTerminalIsLaidOutWhileTheLessonLoads(t *testing.T) {
	var hold atomic.Bool
	gate := make(chan struct{})
	var once sync.Once
	release := func() { once.Do(func() { close(gate) }) }
	t.Cleanup(release) // before the server closes
	p := newPageServing(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			// lessons.json, by its version, comes from the browser's
			// cache at the second visit; the server's extra lessons,
			// which the panel also waits for, are asked for every time.
			if r.URL.Path == "/lessons/extra/index.json" && hold.Load() {
				select { // or till the browser goes, should the test fail first
				case <-gate:
				case <-r.Context().Done():
				}
			}
			h.ServeHTTP(w, r)
		})
	})
	p.do(chromedp.Navigate(p.base + "/?lang=en&lesson=imap-two-sessions"))
	p.waitStep(1)
	n := lessonTerm(p)
	p.waitLog(n, 0, "s", "* OK")
	p.send(n, "a1 LOGIN alex drums", "a1 OK")
	p.send(n, "a2 SELECT INBOX", "a2 OK")
	p.waitStep(2)

	hold.Store(true)
	p.do(chromedp.Navigate(p.base + "/?lang=en"))
	p.waitJS(`document.body.dataset.ready === 'true'`)
	p.waitJS(`document.querySelector('[data-terminal="1"] .xterm-screen') !== null`)
	if eval[bool](p, `globalThis.lessonPanel?.lesson != null`) {
		t.Fatal("the lesson opened with the server's lessons held back")
	}
	if got := eval[string](p, `document.querySelector('[data-terminal="1"]').dataset.proto`); got != "imap" {
		t.Errorf("the resumed lesson's terminal speaks %q, want imap", got)
	}
	if eval[bool](p, `'session' in document.querySelector('[data-terminal="1"]').dataset`) {
		t.Error("the terminal has a session before the lesson opened it")
	}
	p.typeLine(1, "b1 LOGIN alex drums")
	release()
	p.waitStep(2)
	p.waitLog(1, 0, "s", "* OK")
	i := p.waitLog(1, 0, "c", "b1 LOGIN alex drums")
	p.waitLog(1, i, "s", "b1 OK")
	if k := eval[int](p, `document.querySelectorAll('[data-terminal]').length`); k != 1 {
		t.Errorf("%d terminals once the lesson opened, want the one laid out", k)
	}
}
