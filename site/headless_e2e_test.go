package site

// Headless Chromium, as a script or a teacher taking screenshots uses it:
// its virtual time, which --screenshot and --dump-dom wait for, runs on
// while a worker computes, so there the simulator runs on the page's
// thread (remote.js onPageThread).

import (
	"context"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// dumpDOM runs `chromium --headless --dump-dom --virtual-time-budget`
// on url, in a fresh profile, and returns the DOM it printed.
func dumpDOM(t *testing.T, url string) string {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromiumPath, "--headless", "--no-sandbox", "--disable-gpu",
		"--no-first-run", "--disable-background-networking", "--disable-component-update",
		"--user-data-dir="+dir, "--window-size=390,844",
		"--virtual-time-budget=10000", "--dump-dom", url)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s --dump-dom %s: %v", chromiumPath, url, err)
	}
	return string(out)
}

func TestAHeadlessScreenshotShowsTheLabServing(t *testing.T) {
	srv := httptest.NewServer(precompressed(builtSite(t)))
	defer srv.Close()
	for _, c := range []struct{ query, want string }{
		{"/?lang=en", ""},
		{"/?lesson=pop3-first-session&lang=ru", "POP3: первый сеанс"},
	} {
		dom := dumpDOM(t, srv.URL+c.query)
		if !strings.Contains(dom, "+OK POP3 server ready") {
			i := strings.Index(dom, `id="status"`)
			t.Errorf("%s: the DOM after the virtual time budget shows no greeting; the status: %.200s", c.query, dom[max(i, 0):])
		}
		if !strings.Contains(dom, `data-full="true"`) {
			t.Errorf("%s: the full simulator does not serve (no data-full on body)", c.query)
		}
		if c.want != "" && !strings.Contains(dom, c.want) {
			t.Errorf("%s: the lesson's title %q is not on the page", c.query, c.want)
		}
	}
}

func TestOnThePagesThreadTheLabServes(t *testing.T) {
	p := newPage(t)
	ua := strings.Replace(desktopUA, "Chrome/", "HeadlessChrome/", 1)
	if _, err := chromedp.Call(p.ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: ua}); err != nil {
		t.Fatal(err)
	}
	p.open("?lang=en")
	if !eval[bool](p, `typeof globalThis.maillabServe === 'function' && maillab instanceof Object && typeof maillab.open === 'function'`) {
		t.Fatal("the simulator does not run on the page's thread, or the page's maillab was replaced by the module's")
	}
	if got := popLogin(p, 1); !statReply.MatchString(got) {
		t.Errorf("STAT on the page's thread: %q", got)
	}
	p.send(1, "RETR 1", "+OK")
	p.waitJS(`[...document.querySelectorAll('[data-terminal="1"] [role="log"] > [data-dir="s"]')].some(l => l.textContent.startsWith('Subject:'))`)
	// A lesson runs there too: its engine checks the step's goals.
	p.do(chromedp.Navigate(p.base + "/?lesson=pop3-first-session&lang=en"))
	p.waitReady()
	p.send(1, "USER melanie", "+OK")
	p.waitJS(`lessonPanel.status().progress?.steps[0].done === true`)

	// And the tests' own browser runs it in a worker.
	q := newPage(t)
	q.open("?lang=en")
	if eval[bool](q, `typeof globalThis.maillabServe !== 'undefined'`) {
		t.Error("with a desktop browser's user agent the simulator runs on the page's thread")
	}
}
