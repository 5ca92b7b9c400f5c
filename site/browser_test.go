package site

// The harness of the browser tests: the built site served by httptest, one
// headless Chromium for the whole package, and each test in a browser
// context of its own (its own IndexedDB), driven with chromedp.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// chromiumPath is Debian's Chromium, which `make deps` installs.
const chromiumPath = "/usr/bin/chromium"

// desktopUA is the user agent of a desktop Chromium, which the tests'
// browser gives.
const desktopUA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"

// builtSite returns the built assets, failing the test when `make build`
// has not filled dist/.
func builtSite(t testing.TB) fs.FS {
	t.Helper()
	dist := Dist()
	for _, name := range []string{"index.html", "lab.wasm", "wasm_exec.js"} {
		if _, err := fs.Stat(dist, name); err != nil {
			t.Fatalf("site/dist has no %s: run make build first", name)
		}
	}
	return dist
}

// precompressed serves dist as a static host does: the right MIME types,
// the .br or .gz sibling the build wrote when the browser accepts it, and
// ETags to revalidate with. As a running labserver does, it reads and
// hashes each file once, not on every request nor for every test's server
// (dist, the built site, does not change while the tests run).
func precompressed(dist fs.FS) http.Handler {
	sum := func(name string, data []byte) string {
		if v, ok := sums.Load(name); ok {
			return v.(string)
		}
		h := sha256.Sum256(data)
		v, _ := sums.LoadOrStore(name, hex.EncodeToString(h[:]))
		return v.(string)
	}
	read := func(name string) ([]byte, error) {
		if v, ok := files.Load(name); ok {
			return v.([]byte), nil
		}
		data, err := fs.ReadFile(dist, name)
		if err != nil {
			return nil, err
		}
		v, _ := files.LoadOrStore(name, data)
		return v.([]byte), nil
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if name == "" {
			name = "index.html"
		}
		if strings.HasSuffix(name, ".br") || strings.HasSuffix(name, ".gz") {
			http.NotFound(w, r)
			return
		}
		data, err := read(name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		ctype := mime.TypeByExtension(path.Ext(name))
		if path.Ext(name) == ".wasm" {
			ctype = "application/wasm" // instantiateStreaming insists on it
		}
		w.Header().Set("Content-Type", ctype)
		Isolate(w.Header()) // as labserver does
		// Caching as labserver does: hashed bundle names and URLs that
		// carry their file's version are kept; the rest revalidates.
		w.Header().Set("Cache-Control", "no-cache")
		// A version is the first 12 hex digits, as build.mjs writes it.
		if v := r.URL.Query().Get("v"); strings.HasPrefix(name, "assets/") || v != "" && v == sum(name, data)[:12] {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		w.Header().Add("Vary", "Accept-Encoding")
		accept := r.Header.Get("Accept-Encoding")
		file := name
		for _, enc := range []struct{ token, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
			if !strings.Contains(accept, enc.token) {
				continue
			}
			if z, err := read(name + enc.ext); err == nil {
				w.Header().Set("Content-Encoding", enc.token)
				data, file = z, name+enc.ext
				break
			}
		}
		// An ETag, as labserver sends: a reload revalidates and gets 304,
		// so the browser keeps what it compiled of the module.
		w.Header().Set("ETag", `"`+sum(file, data)[:32]+`"`)
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
	})
}

// The built site's files and their SHA-256, by name, read once for every
// test's server.
var files, sums sync.Map

var browser struct {
	once   sync.Once
	ctx    context.Context
	cancel context.CancelFunc
	err    error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if browser.cancel != nil {
		browser.cancel()
	}
	os.Exit(code)
}

// startBrowser starts one Chromium for the package, with a fresh profile.
func startBrowser(t testing.TB) context.Context {
	t.Helper()
	browser.once.Do(func() {
		dir, err := os.MkdirTemp("", "maillab-chromium-")
		if err != nil {
			browser.err = err
			return
		}
		actx, acancel := chromedp.NewExecAllocator(context.Background(),
			chromedp.ExecPath(chromiumPath),
			chromedp.Headless,
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.WindowSize(1400, 1000),
			chromedp.UserDataDir(dir),
			// The tests meet the page as a desktop browser does, with the
			// simulator in its own thread; headless Chromium's own user
			// agent runs it on the page's thread (remote.js onPageThread,
			// headless_e2e_test.go).
			chromedp.UserAgent(desktopUA),
		)
		bctx, bcancel := chromedp.NewContext(actx)
		// The first Run starts the browser; its context has no timeout, or
		// the timeout would end the browser.
		browser.err = chromedp.Do(bctx)
		browser.ctx = bctx
		browser.cancel = func() {
			bcancel()
			acancel()
			os.RemoveAll(dir)
		}
	})
	if browser.err != nil {
		t.Fatalf("starting %s: %v", chromiumPath, browser.err)
	}
	return browser.ctx
}

// page is one test's tab in a browser context of its own.
type page struct {
	t    testing.TB
	ctx  context.Context
	base string
}

func newPage(t testing.TB) *page {
	t.Helper()
	return newPageWith(t, nil)
}

// newPageWith serves extra lessons at /lessons/extra/ beside the site, as
// labserver -lessons does.
func newPageWith(t testing.TB, extra http.Handler) *page {
	t.Helper()
	return newPageServing(t, func(h http.Handler) http.Handler {
		if extra == nil {
			return h
		}
		mux := http.NewServeMux()
		mux.Handle("/lessons/extra/", http.StripPrefix("/lessons/extra/", extra))
		mux.Handle("/", h)
		return mux
	})
}

// newPageServing serves the site through wrap, which may watch or change
// what the browser asks for.
func newPageServing(t testing.TB, wrap func(http.Handler) http.Handler) *page {
	t.Helper()
	h := wrap(precompressed(builtSite(t)))
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	tab, cancel := chromedp.NewContext(startBrowser(t), chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(tab, 90*time.Second)
	t.Cleanup(cancelTimeout)
	// What the page says in its console helps to read a failure.
	var mu sync.Mutex
	var said []string
	if err := chromedp.Listen(tab, func(ev any) {
		if e, ok := ev.(*cdpruntime.EventConsoleAPICalled); ok && e.Type != cdpruntime.ConsoleAPICalledTypeLog {
			var parts []string
			for _, a := range e.Args {
				var text string
				if json.Unmarshal(a.Value, &text) != nil {
					text = a.Description
				}
				parts = append(parts, text)
			}
			mu.Lock()
			said = append(said, string(e.Type)+": "+strings.Join(parts, " "))
			mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("listening to the tab: %v", err)
	}
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		if t.Failed() && len(said) > 0 {
			t.Logf("the page's console:\n%s", strings.Join(said, "\n"))
		}
	})
	return &page{t: t, ctx: ctx, base: srv.URL}
}

// newTab opens another tab in p's browser context: the same origin's
// storage, as another tab of the learner's browser. Unlike p's, it can be
// closed alone (chromedp.Cancel).
func (p *page) newTab() *page {
	p.t.Helper()
	tab, cancel := chromedp.NewContext(p.ctx)
	p.t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		p.t.Fatalf("opening a tab: %v", err)
	}
	return &page{t: p.t, ctx: tab, base: p.base}
}

func (p *page) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.t.Fatal(err)
	}
}

// open loads the page with query and waits until the simulator is up and
// terminal 1 shows its greeting.
func (p *page) open(query string) {
	p.t.Helper()
	p.do(chromedp.Navigate(p.base + "/" + query))
	p.waitReady()
}

func (p *page) waitReady() {
	p.t.Helper()
	// The full simulator serves (on the home page it took over from the
	// first module; see TestTheFirstModuleHandsItsSessionsOver).
	p.waitJS(`document.body.dataset.full === 'true'`)
	p.waitJS(`document.querySelector('[data-terminal="1"] [role="log"] > [data-dir="s"]') !== null`)
}

// hover moves the mouse onto the middle of the element sel names, as the
// learner's pointer would.
func (p *page) hover(sel string) {
	p.t.Helper()
	at := eval[[]float64](p, fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()`, sel))
	if _, err := chromedp.Call(p.ctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseMoved, X: at[0], Y: at[1]}); err != nil {
		p.t.Fatal(err)
	}
}

// waitJS waits until the expression is truthy.
func (p *page) waitJS(expr string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 15*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(10*time.Millisecond))); err != nil {
		p.t.Fatalf("waiting for %s: %v\nterminal text:\n%s", expr, err, p.screenText(0))
	}
}

func eval[T any](p *page, expr string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

func term(n int) string { return fmt.Sprintf(`[data-terminal="%d"]`, n) }

// typeLine focuses terminal n and types line, then Enter, key by key.
func (p *page) typeLine(n int, line string) {
	p.t.Helper()
	p.do(
		chromedp.Focus(chromedp.CSS(term(n)+" textarea.xterm-helper-textarea"), chromedp.NodeReady),
		keys(line+"\r"),
	)
}

// logLine is one child of a terminal's role="log" transcript.
type logLine struct {
	Dir  string `json:"dir"`
	Text string `json:"text"`
}

func (p *page) log(n int) []logLine {
	p.t.Helper()
	js := fmt.Sprintf(`JSON.stringify([...document.querySelector('%s [role="log"]').children].map(e => ({dir: e.dataset.dir, text: e.textContent})))`, term(n))
	var out []logLine
	if err := json.Unmarshal([]byte(eval[string](p, js)), &out); err != nil {
		p.t.Fatal(err)
	}
	return out
}

// waitLog waits until terminal n's transcript has a line of dir whose text
// starts with prefix, counting from line index from; it returns the index.
func (p *page) waitLog(n, from int, dir, prefix string) int {
	p.t.Helper()
	js := fmt.Sprintf(`[...document.querySelector('%s [role="log"]').children].slice(%d).some(e => e.dataset.dir === %q && e.textContent.startsWith(%q))`, term(n), from, dir, prefix)
	ctx, cancel := context.WithTimeout(p.ctx, 15*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingInterval(10*time.Millisecond))); err != nil {
		p.t.Fatalf("terminal %d: no %s line starting %q after line %d: %v\ntranscript: %+v", n, dir, prefix, from, err, p.log(n))
	}
	for i, l := range p.log(n)[from:] {
		if l.Dir == dir && strings.HasPrefix(l.Text, prefix) {
			return from + i
		}
	}
	return -1
}

// send types line into terminal n and waits for the server's status line
// starting with want after it; it returns the transcript from the line sent.
func (p *page) send(n int, line, want string) []logLine {
	p.t.Helper()
	from := len(p.log(n))
	p.typeLine(n, line)
	i := p.waitLog(n, from, "s", want)
	return p.log(n)[from : i+1]
}

// diagram reports terminal n's current state and active edge.
type diagramState struct {
	Current    []string `json:"current"`
	Active     []string `json:"active"`
	ActiveFrom string   `json:"activeFrom"`
	ActiveTo   string   `json:"activeTo"`
}

func (p *page) diagram(n int) diagramState {
	p.t.Helper()
	js := fmt.Sprintf(`(() => {
		const root = document.querySelector('%s');
		const act = [...root.querySelectorAll('[data-active="true"]')];
		return JSON.stringify({
			current: [...root.querySelectorAll('[aria-current="true"]')].map(e => e.dataset.state),
			active: act.map(e => e.dataset.transition),
			activeFrom: act[0]?.dataset.from ?? '', activeTo: act[0]?.dataset.to ?? '',
		});
	})()`, term(n))
	var d diagramState
	if err := json.Unmarshal([]byte(eval[string](p, js)), &d); err != nil {
		p.t.Fatal(err)
	}
	return d
}

// expectDiagram checks that state alone is current and transition alone
// is the active edge.
func (p *page) expectDiagram(n int, state, transition string) {
	p.t.Helper()
	d := p.diagram(n)
	if len(d.Current) != 1 || d.Current[0] != state {
		p.t.Errorf("terminal %d: aria-current states = %v, want only %q", n, d.Current, state)
	}
	if len(d.Active) != 1 || d.Active[0] != transition {
		p.t.Errorf("terminal %d: active transitions = %v, want only %q", n, d.Active, transition)
	}
	if d.ActiveTo != state {
		p.t.Errorf("terminal %d: the active edge leads to %q, want %q", n, d.ActiveTo, state)
	}
}

// screenJS is the expression for what terminal n's xterm shows (n = 0:
// every terminal).
func screenJS(n int) string {
	sel := ".xterm-rows"
	if n > 0 {
		sel = term(n) + " .xterm-rows"
	}
	return fmt.Sprintf(`[...document.querySelectorAll('%s')].map(r => [...r.children].map(l => l.textContent.replace(/\s+$/, '')).join('\n')).join('\n----\n')`, sel)
}

func (p *page) screenText(n int) string {
	v, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](screenJS(n)))
	return v
}

// waitScreen waits until terminal n's screen shows want and returns the
// screen. xterm.js paints on an animation frame, after the transcript has
// the line, so a loaded machine can show the screen a frame behind the log.
func (p *page) waitScreen(n int, want string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 15*time.Second)
	defer cancel()
	js := fmt.Sprintf(`(%s).includes(%q)`, screenJS(n), want)
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingInterval(10*time.Millisecond))); err != nil {
		p.t.Errorf("terminal %d never showed %q: %v; it shows:\n%s", n, want, err, p.screenText(n))
	}
	return p.screenText(n)
}

// keys types s as a person would: for each key one keyDown carrying the
// text it types, then keyUp. (chromedp.KeyEvent sends the text as a
// separate char event, which a page that handles keydown itself, as
// xterm.js does, sees as a second keystroke.) opts add modifiers; a key
// with Ctrl, Alt or Meta types no text.
func keys(s string, opts ...chromedp.KeyOption) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, r := range s {
			evs := kb.Encode(r)
			down, up := *evs[0], *evs[len(evs)-1]
			for _, o := range opts {
				o(&down)
				o(&up)
			}
			var text, unmod string
			for _, e := range evs {
				if e.Type == kb.KeyChar {
					text, unmod = e.Text, e.UnmodifiedText
				}
			}
			if text != "" && down.Modifiers&^int64(chromedp.ModifierShift) == 0 {
				down.Text, down.UnmodifiedText = text, unmod
			} else {
				down.Type = input.DispatchKeyEventTypeRawKeyDown
			}
			if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, down); err != nil {
				return err
			}
			if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, up); err != nil {
				return err
			}
		}
		return nil
	})
}

// awaitJS evaluates expr, waits for the Promise it returns and gives its value.
func awaitJS[T any](p *page, expr string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}
