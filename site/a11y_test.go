package site

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, the accessibility checker, from the site's npm
// packages (package.json's devDependencies, installed by `make site`).
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("node_modules/axe-core/axe.min.js")
	if err != nil {
		t.Fatalf("axe-core is not installed: run make build first (%v)", err)
	}
	return string(b)
}

type axeViolation struct {
	ID    string   `json:"id"`
	Help  string   `json:"help"`
	Nodes []string `json:"nodes"`
}

// axe runs axe-core on the page as it is and returns its violations.
func (p *page) axe(src string) []axeViolation {
	p.t.Helper()
	p.do(chromedp.Evaluate[chromedp.Void](src))
	js := `axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify(r.violations.map(v => ({
		id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\s+/g, ' '))}))))`
	var out []axeViolation
	if err := json.Unmarshal([]byte(awaitJS[string](p, js)), &out); err != nil {
		p.t.Fatal(err)
	}
	return out
}

func reportAxe(t *testing.T, where string, vs []axeViolation) {
	t.Helper()
	for _, v := range vs {
		t.Errorf("%s: axe %s (%s):\n  %s", where, v.ID, v.Help, strings.Join(v.Nodes, "\n  "))
	}
}

// The home page, a lesson page and the phone's layout of a lesson have no
// violation axe-core finds.
func TestAxeFindsNoViolations(t *testing.T) {
	src := axeSource(t)
	t.Run("home", func(t *testing.T) {
		p := newPage(t)
		p.open("?proto=pop3&lang=en")
		p.waitLog(1, 0, "s", "+OK")
		p.send(1, "STAT", "-ERR")
		reportAxe(t, "home", p.axe(src))
	})
	t.Run("lesson", func(t *testing.T) {
		p := openLessonAt(t, 1366, 768, "?lang=en&lesson=pop3-first-session")
		n := lessonTerm(p)
		p.send(n, "USER melanie", "+OK")
		reportAxe(t, "lesson", p.axe(src))
	})
	t.Run("lesson-tools", func(t *testing.T) {
		p := openLessonAt(t, 1366, 768, "?lang=sk&lesson=pop3-first-session")
		p.click("#tools")
		reportAxe(t, "lesson's tools", p.axe(src))
	})
	t.Run("journey", func(t *testing.T) {
		p := newPage(t)
		p.do(chromedp.EmulateViewport(1366, 768))
		p.do(chromedp.Navigate(p.base + "/?lang=en&lesson=mail-mx-fallback&step=2"))
		p.waitStep(2)
		n := greetedLessonTerm(p, "220 ")
		p.waitJS(`document.querySelector('.side-journey #journey .jr-host') !== null`)
		p.submitAcross(n, "Checked")
		p.waitJS(`document.getElementById('journey').dataset.shown === '7'`)
		reportAxe(t, "journey beside the terminal", p.axe(src))
	})
	t.Run("phone", func(t *testing.T) {
		p := openLessonAt(t, 390, 844, "?lang=ru&lesson=imap-states")
		reportAxe(t, "phone", p.axe(src))
	})
}
