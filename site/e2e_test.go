package site

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"maillab/sim/catalog"
)

const (
	kbLeft      = kb.ArrowLeft
	kbUp        = kb.ArrowUp
	kbDown      = kb.ArrowDown
	kbHome      = kb.Home
	kbEnd       = kb.End
	kbBackspace = kb.Backspace
	kbDelete    = kb.Delete
)

var statReply = regexp.MustCompile(`^\+OK (\d+) (\d+)$`)

// login logs melanie in on terminal n of a POP3 page and returns her STAT.
func popLogin(p *page, n int) string {
	p.t.Helper()
	p.send(n, "USER melanie", "+OK")
	p.send(n, "PASS toybox", "+OK")
	got := p.send(n, "STAT", "+OK")
	return got[len(got)-1].Text
}

func TestPOP3LoginAndStat(t *testing.T) {
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	p.expectDiagram(1, "authorization", "greeting")

	lines := p.send(1, "USER melanie", "+OK")
	if lines[0] != (logLine{"c", "USER melanie"}) {
		t.Errorf("first line after typing = %+v, want the client line USER melanie", lines[0])
	}
	p.send(1, "PASS toybox", "+OK")
	p.expectDiagram(1, "transaction", "login")
	lines = p.send(1, "STAT", "+OK")
	if lines[0] != (logLine{"c", "STAT"}) || !statReply.MatchString(lines[len(lines)-1].Text) {
		t.Errorf("STAT exchange = %+v, want C: STAT and S: +OK nn mm", lines)
	}

	all := p.log(1)
	if all[0].Dir != "s" || !strings.HasPrefix(all[0].Text, "+OK ") {
		t.Errorf("transcript starts with %+v, want the greeting", all[0])
	}
	for _, l := range all {
		if strings.ContainsAny(l.Text, "\r\n") {
			t.Errorf("log line %q carries CR or LF", l.Text)
		}
	}
	// The explain pane says what the STAT answer means, part by part.
	parts := eval[int](p, `document.querySelectorAll('[data-terminal="1"] .explain-parts dt').length`)
	if parts < 2 {
		t.Errorf("the explain pane lists %d parts for the STAT answer", parts)
	}
	// The commands allowed now come from the machine's TRANSACTION list.
	cmds := eval[string](p, `[...document.querySelectorAll('[data-terminal="1"] .commands .cmd')].map(b => b.textContent).join(' ')`)
	if !strings.Contains(cmds, "RETR") || strings.Contains(cmds, "USER") {
		t.Errorf("commands offered in TRANSACTION: %s", cmds)
	}

	p.send(1, "QUIT", "+OK")
	p.expectDiagram(1, "update", "quit")
	p.waitJS(`document.querySelector('[data-terminal="1"] .xterm-rows').textContent.includes('Connection closed by foreign host.')`)
}

func TestPOP3RefusedCommandShowsWhereItIsAllowed(t *testing.T) {
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	p.send(1, "STAT", "-ERR")
	allowed := eval[string](p, `[...document.querySelectorAll('[data-terminal="1"] [data-allowed="true"]')].map(e => e.dataset.state).join(',')`)
	if allowed != "transaction" {
		t.Errorf("states outlined as allowing STAT = %q, want transaction", allowed)
	}
	p.expectDiagram(1, "authorization", "greeting")
}

func TestTwoPOP3TerminalsSeeTheMaildropLock(t *testing.T) {
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	p.do(chromedp.Click(chromedp.CSS("#new-term")))
	p.waitJS(`document.querySelector('[data-terminal="2"] [role="log"] > [data-dir="s"]') !== null`)
	popLogin(p, 1)
	p.send(2, "USER melanie", "+OK")
	lines := p.send(2, "PASS toybox", "-ERR")
	if reply := lines[len(lines)-1].Text; !strings.HasPrefix(reply, "-ERR [IN-USE]") {
		t.Errorf("second login = %q, want -ERR [IN-USE]", reply)
	}
	p.expectDiagram(1, "transaction", "login")
	p.expectDiagram(2, "authorization", "greeting")
}

func TestControlBytesNeverReachTheTerminalRaw(t *testing.T) {
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	from := len(p.log(1))
	// Ctrl+G (BEL) and Esc typed into the line: shown as ^G and ^[ while
	// typing and sent to the server as bytes.
	p.do(
		chromedp.Focus(chromedp.CSS(term(1)+" textarea.xterm-helper-textarea"), chromedp.NodeReady),
		keys("NO"),
		keys("g", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		keys("\x1b"),
		keys("[2JOP\r"),
	)
	p.waitLog(1, from, "s", "-ERR")
	// The typed line is shown in caret notation.
	screen := p.waitScreen(1, "NO^G^[[2JOP")
	// The greeting is still on screen: ESC [2J did not clear it.
	if !strings.Contains(screen, "+OK ") {
		t.Errorf("the screen lost the greeting; terminal shows:\n%s", screen)
	}
	raw := eval[string](p, `document.querySelector('[data-terminal="1"] .raw').textContent`)
	if !strings.Contains(raw, "NO^G^[[2JOPCRLF") {
		t.Errorf("the raw view does not show the control bytes sent: %q", raw)
	}
}

func TestPasteSendsEachLine(t *testing.T) {
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	from := len(p.log(1))
	p.do(chromedp.Focus(chromedp.CSS(term(1)+" textarea.xterm-helper-textarea"), chromedp.NodeReady))
	eval[bool](p, `(() => {
		const dt = new DataTransfer();
		dt.setData('text/plain', 'USER melanie\nPASS toybox\nST');
		document.querySelector('[data-terminal="1"] textarea.xterm-helper-textarea')
			.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));
		return true;
	})()`)
	p.waitLog(1, from, "s", "+OK melanie")
	p.typeLine(1, "AT") // completes the pasted "ST" left in the input line
	i := p.waitLog(1, from, "c", "STAT")
	if got := p.log(1)[i].Text; got != "STAT" {
		t.Errorf("the line after the paste = %q, want STAT", got)
	}
}

func TestLineEditingAndHistory(t *testing.T) {
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	p.send(1, "USER melanie", "+OK")
	from := len(p.log(1))
	// Type "PASS toyboy", fix the last letter with ←, Backspace, then End.
	p.do(
		chromedp.Focus(chromedp.CSS(term(1)+" textarea.xterm-helper-textarea"), chromedp.NodeReady),
		keys("PASS toyboyx"),
		keys(kbLeft),
		keys(kbBackspace),
		keys("x"),
		keys(kbEnd),
		keys(kbBackspace),
		keys(kbHome),
		keys(kbDelete),
		keys("P\r"),
	)
	i := p.waitLog(1, from, "c", "PASS")
	if got := p.log(1)[i].Text; got != "PASS toybox" {
		t.Errorf("edited line = %q, want PASS toybox", got)
	}
	p.waitLog(1, i, "s", "+OK")
	// ↑ twice brings back USER melanie... and ↓ once the PASS line.
	from = len(p.log(1))
	p.do(keys(kbUp), keys(kbUp), keys(kbDown), keys("\r"))
	i = p.waitLog(1, from, "c", "PASS")
	if got := p.log(1)[i].Text; got != "PASS toybox" {
		t.Errorf("history line = %q, want PASS toybox", got)
	}
}

func TestCommandButtonsInsertIntoTheInputLine(t *testing.T) {
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	popLogin(p, 1)
	from := len(p.log(1))
	p.do(chromedp.Click(chromedp.CSS(term(1) + ` .commands .cmd`))) // the first: STAT
	if n := len(p.log(1)); n != from {
		t.Fatalf("clicking a command sent it")
	}
	p.do(keys("\r"))
	if i := p.waitLog(1, from, "c", "STAT"); p.log(1)[i].Text != "STAT" {
		t.Errorf("sent %q", p.log(1)[i].Text)
	}
	// lab.insertInput puts text into the input line without sending it.
	eval[bool](p, `(lab.insertInput(1, 'LIST 1'), true)`)
	from = len(p.log(1))
	p.do(keys("\r"))
	if i := p.waitLog(1, from, "c", "LIST"); p.log(1)[i].Text != "LIST 1" {
		t.Errorf("sent %q after insertInput", p.log(1)[i].Text)
	}
}

func TestMailboxesSurviveAReloadAndResetRestoresThem(t *testing.T) {
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	before := popLogin(p, 1)
	p.send(1, "QUIT", "+OK")
	p.do(chromedp.Click(chromedp.CSS("#deliver")))
	p.waitJS(`document.getElementById('status').textContent.startsWith('Delivered')`)

	p.do(chromedp.Reload())
	p.waitReady()
	after := popLogin(p, 1)
	if after == before {
		t.Fatalf("STAT after a delivery and a reload = %q, unchanged", after)
	}
	p.send(1, "QUIT", "+OK")

	p.do(chromedp.Click(chromedp.CSS("#reset")), chromedp.Click(chromedp.CSS(`#reset-dialog button[value="reset"]`)))
	p.waitJS(`document.getElementById('status').textContent.startsWith('The mailboxes are back')`)
	p.waitJS(`document.querySelector('[data-terminal="1"] [role="log"] > [data-dir="s"]') !== null`)
	if got := popLogin(p, 1); got != before {
		t.Errorf("STAT after a reset = %q, want the demo's %q", got, before)
	}
	p.do(chromedp.Reload())
	p.waitReady()
	if got := popLogin(p, 1); got != before {
		t.Errorf("STAT after a reset and a reload = %q, want %q", got, before)
	}
}

// The lab in a second tab starts from what the first tab saved and saves
// nothing itself, saying so: two tabs writing one tree would mix their
// changes. Once the first tab is closed, the second keeps the mailboxes
// again from its next load.
func TestASecondTabDoesNotSaveTheMailboxes(t *testing.T) {
	secondTabSavesNothing(t, true)
}

// The same without Web Locks, as on an http:// address other than
// localhost: the tabs ask each other over a BroadcastChannel.
func TestASecondTabDoesNotSaveTheMailboxesWithoutWebLocks(t *testing.T) {
	secondTabSavesNothing(t, false)
}

// secondTabSavesNothing runs the two-tab story, in tabs that have Web
// Locks or not.
func secondTabSavesNothing(t *testing.T, withLocks bool) {
	browserContext := newPage(t)
	newTab := func() *page {
		p := browserContext.newTab()
		if withLocks {
			return p
		}
		if _, err := chromedp.Call(p.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{
			Source: `Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined });`,
		}); err != nil {
			t.Fatal(err)
		}
		return p
	}
	deliver := func(p *page) {
		p.t.Helper()
		p.do(chromedp.Evaluate[chromedp.Void](`document.getElementById('status').textContent = ''`))
		p.do(chromedp.Click(chromedp.CSS("#deliver")))
		p.waitJS(`document.getElementById('status').textContent.startsWith('Delivered')`)
	}
	stat := func(p *page) string {
		p.t.Helper()
		got := popLogin(p, 1)
		p.send(1, "QUIT", "+OK")
		p.waitJS(`document.querySelector('[data-terminal="1"]').textContent.includes('Press Enter to connect again')`)
		return got
	}
	keepingNote := func(p *page) string {
		return eval[string](p, `(e => e.hidden ? '' : e.textContent)(document.getElementById('keeping'))`)
	}

	first := newTab()
	first.open("?proto=pop3&lang=en")
	if got := eval[bool](first, `navigator.locks !== undefined`); got != withLocks {
		t.Fatalf("navigator.locks present = %v, want %v", got, withLocks)
	}
	if note := keepingNote(first); note != "" {
		t.Errorf("the first tab says %q; it keeps the mailboxes", note)
	}
	deliver(first)
	saved := stat(first)

	second := newTab()
	second.open("?proto=pop3&lang=en")
	if note := keepingNote(second); !strings.Contains(note, "another tab") {
		t.Errorf("the second tab's note = %q, want one about the other tab", note)
	}
	if got := stat(second); got != saved {
		t.Errorf("the second tab starts with STAT %q, want the first tab's saved %q", got, saved)
	}
	deliver(second)
	changed := stat(second)
	if changed == saved {
		t.Fatalf("STAT in the second tab after a delivery = %q, unchanged", changed)
	}

	first.do(chromedp.Reload())
	first.waitReady()
	if got := stat(first); got != saved {
		t.Errorf("after the second tab's delivery the first tab reloads with STAT %q, want %q: the second tab saved", got, saved)
	}

	if err := chromedp.Cancel(first.ctx); err != nil {
		t.Fatal(err)
	}
	// The browser releases a closed tab's Web Lock a moment after the tab
	// is gone; a reload before then would still find it held.
	if withLocks && !awaitJS[bool](second, `(async () => {
		for (let i = 0; i < 250; i++) {
			const q = await navigator.locks.query();
			if (!q.held.some((l) => l.name === 'maillab-maildir')) return true;
			await new Promise((r) => setTimeout(r, 20));
		}
		return false;
	})()`) {
		t.Fatal("the closed tab's lock on the mailboxes is still held after 5 s")
	}
	second.do(chromedp.Reload())
	second.waitReady()
	if note := keepingNote(second); note != "" {
		t.Errorf("with the first tab closed the second tab still says %q", note)
	}
	if got := stat(second); got != saved {
		t.Errorf("the second tab reloads with STAT %q, want the saved %q", got, saved)
	}
	deliver(second)
	kept := stat(second)
	second.do(chromedp.Reload())
	second.waitReady()
	if got := stat(second); got != kept {
		t.Errorf("the second tab, now keeping the mailboxes, reloads with STAT %q, want %q", got, kept)
	}
}

// Where the browser refuses IndexedDB (a private window of some browsers,
// storage turned off), the lab serves from memory and says the mailboxes
// last as long as the page.
func TestWithoutIndexedDBTheLabServesAndSaysSo(t *testing.T) {
	p := newPage(t)
	if _, err := chromedp.Call(p.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{
		Source: `IDBFactory.prototype.open = function () { throw new DOMException('refused by the test', 'SecurityError'); };`,
	}); err != nil {
		t.Fatal(err)
	}
	p.open("?proto=pop3&lang=en")
	note := eval[string](p, `(e => e.hidden ? '' : e.textContent)(document.getElementById('keeping'))`)
	if !strings.Contains(note, "until the page is closed") {
		t.Errorf("the note = %q, want one saying the mailboxes last until the page is closed", note)
	}
	if got := popLogin(p, 1); !strings.HasPrefix(got, "+OK 5 ") {
		t.Errorf("STAT = %q, want the demo's five messages", got)
	}
}

// imapLogin logs SMITH in on terminal n of an IMAP page.
func imapLogin(p *page, n int, tag string) {
	p.t.Helper()
	p.send(n, tag+" LOGIN SMITH SESAME", tag+" OK")
}

func TestIMAPLoginSelectCloseLogout(t *testing.T) {
	p := newPage(t)
	p.open("?proto=imap&lang=en")
	if got := eval[string](p, `[...document.querySelectorAll('[data-terminal="1"] .diagram [data-transition]')].map(e => e.dataset.transition).join(',')`); got != "1,2,3,4,5,5r,6,7,7,7" {
		t.Errorf("IMAP diagram edges = %s, want RFC 3501's (1)-(7) and 5r", got)
	}
	p.expectDiagram(1, "not-authenticated", "1")
	if g := p.log(1)[0]; g.Dir != "s" || !strings.HasPrefix(g.Text, "* OK [CAPABILITY IMAP4rev1") {
		t.Errorf("transcript starts with %+v, want the IMAP greeting", g)
	}

	lines := p.send(1, "a1 LOGIN SMITH SESAME", "a1 OK")
	if lines[0] != (logLine{"c", "a1 LOGIN SMITH SESAME"}) {
		t.Errorf("first line after typing = %+v", lines[0])
	}
	p.expectDiagram(1, "authenticated", "4")
	lines = p.send(1, "a2 SELECT INBOX", "a2 OK")
	want := []logLine{{"c", "a2 SELECT INBOX"}, {"s", "* 4 EXISTS"}, {"s", "* 1 RECENT"}}
	for i, w := range want {
		if i >= len(lines) || lines[i] != w {
			t.Errorf("SELECT transcript = %+v, want it to start %+v", lines, want)
			break
		}
	}
	if last := lines[len(lines)-1].Text; !strings.HasPrefix(last, "a2 OK [READ-WRITE]") {
		t.Errorf("SELECT ends with %q", last)
	}
	p.expectDiagram(1, "selected", "5")
	cmds := eval[string](p, `[...document.querySelectorAll('[data-terminal="1"] .commands .cmd')].map(b => b.textContent).join(' ')`)
	if !strings.Contains(cmds, "FETCH") || strings.Contains(cmds, "LOGIN") {
		t.Errorf("commands offered in SELECTED: %s", cmds)
	}
	p.send(1, "a3 CLOSE", "a3 OK")
	p.expectDiagram(1, "authenticated", "6")
	lines = p.send(1, "a4 LOGOUT", "a4 OK")
	if len(lines) != 3 || !strings.HasPrefix(lines[1].Text, "* BYE ") {
		t.Errorf("LOGOUT transcript = %+v, want C: a4 LOGOUT, S: * BYE, S: a4 OK", lines)
	}
	p.expectDiagram(1, "logout", "7")
	if d := p.diagram(1); d.ActiveFrom != "authenticated" {
		t.Errorf("the active (7) leaves %q, want authenticated", d.ActiveFrom)
	}
	p.waitScreen(1, "Connection closed by foreign host.")
}

func TestIMAPAppendWithASynchronizingLiteral(t *testing.T) {
	p := newPage(t)
	p.open("?proto=imap&lang=en")
	imapLogin(p, 1, "a1")
	from := len(p.log(1))
	p.typeLine(1, "a4 APPEND INBOX {5}")
	p.waitLog(1, from, "s", "+ Ready")
	p.typeLine(1, "hello")
	p.waitLog(1, from, "s", "a4 OK")
	got := p.log(1)[from:]
	want := []logLine{{"c", "a4 APPEND INBOX {5}"}, {"s", "+ Ready for literal data"}, {"c", "hello"}}
	if len(got) != 4 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] || !strings.HasPrefix(got[3].Text, "a4 OK [APPENDUID ") {
		t.Errorf("APPEND transcript = %+v, want %+v then a4 OK [APPENDUID ...]", got, want)
	}
	// A literal of two lines: both in the transcript, as typed, before the
	// answer. (sim/imap reports them once the whole literal is read.)
	from = len(p.log(1))
	p.typeLine(1, "a5 APPEND INBOX {18}")
	p.waitLog(1, from, "s", "+ Ready")
	p.typeLine(1, "Subject: hi")
	p.typeLine(1, "hello")
	p.waitLog(1, from, "s", "a5 OK")
	if got := p.log(1)[from:]; len(got) != 5 || got[2] != (logLine{"c", "Subject: hi"}) || got[3] != (logLine{"c", "hello"}) {
		t.Errorf("two-line APPEND transcript = %+v", got)
	}
	lines := p.send(1, "a6 STATUS INBOX (MESSAGES)", "a6 OK")
	if lines[1].Text != "* STATUS INBOX (MESSAGES 6)" {
		t.Errorf("STATUS after APPEND = %+v", lines)
	}
}

func TestTwoIMAPTerminalsSeeEachOthersChanges(t *testing.T) {
	p := newPage(t)
	p.open("?proto=imap&lang=en")
	p.do(chromedp.Click(chromedp.CSS("#new-term")))
	p.waitLog(2, 0, "s", "* OK")
	imapLogin(p, 1, "a1")
	imapLogin(p, 2, "b1")
	p.send(1, "a2 SELECT INBOX", "a2 OK")
	p.send(2, "b2 SELECT INBOX", "b2 OK")
	p.send(2, `b3 STORE 2 +FLAGS (\Deleted)`, "b3 OK")
	p.send(2, "b4 EXPUNGE", "b4 OK")
	lines := p.send(1, "a3 NOOP", "a3 OK")
	if !containsLine(lines, logLine{"s", "* 2 EXPUNGE"}) {
		t.Errorf("terminal 1's NOOP after terminal 2's EXPUNGE = %+v, want * 2 EXPUNGE", lines)
	}

	// A new message delivered while terminal 1 IDLEs is announced at once.
	from := len(p.log(1))
	p.typeLine(1, "a4 IDLE")
	p.waitLog(1, from, "s", "+ idling")
	p.do(chromedp.SetValue(chromedp.CSS("#deliver-user"), "SMITH"), chromedp.Click(chromedp.CSS("#deliver")))
	p.waitLog(1, from, "s", "* 4 EXISTS")
	p.typeLine(1, "DONE")
	p.waitLog(1, from, "s", "a4 OK")
	p.expectDiagram(1, "selected", "5")
}

func containsLine(lines []logLine, want logLine) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

// A protocol the simulator does not serve leaves the page as it is and
// says why.
func TestUnknownProtocolKeepsTheTerminals(t *testing.T) {
	unknown := unregistered(t)
	p := newPage(t)
	p.open("?proto=imap&lang=en")
	p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		const sel = document.getElementById('proto');
		sel.add(new Option(%[1]q.toUpperCase(), %[1]q));
		sel.value = %[1]q;
		sel.dispatchEvent(new Event('change'));
	})()`, unknown)))
	if got := eval[string](p, `document.getElementById('status').textContent`); !strings.Contains(got, fmt.Sprintf(`no simulator for %q`, unknown)) {
		t.Errorf("status = %q", got)
	}
	if got := eval[string](p, `JSON.stringify(lab.terminals().map(t => t.proto))`); got != `["imap"]` {
		t.Errorf("terminals after choosing %s: %s", unknown, got)
	}
	if got := eval[string](p, `document.getElementById('proto').value`); got != "imap" {
		t.Errorf("the protocol menu shows %q", got)
	}
	if msg := eval[string](p, fmt.Sprintf(`(() => { try { lab.openTerminal(%q); return ''; } catch (e) { return e.message; } })()`, unknown)); !strings.Contains(msg, unknown) {
		t.Errorf("lab.openTerminal(%q) threw %q", unknown, msg)
	}
	// The menu's IMAP choice opens an IMAP terminal from a POP3 page.
	p.open("?proto=pop3&lang=en")
	p.do(chromedp.SetValue(chromedp.CSS("#proto"), "imap"))
	p.do(chromedp.Evaluate[chromedp.Void](`document.getElementById('proto').dispatchEvent(new Event('change'))`))
	n := eval[int](p, `lab.terminals().at(-1).terminal`)
	p.waitLog(n, 0, "s", "* OK [CAPABILITY")
	// The POP3 terminal stays beside it: a page mixes protocols.
	if got := eval[string](p, `JSON.stringify(lab.terminals().map(t => t.proto))`); got != `["pop3","imap"]` {
		t.Errorf("terminals after choosing IMAP on a POP3 page: %s", got)
	}
}

// idbTree reads and writes the saved mailboxes in IndexedDB directly, in
// the layout the lab keeps them in (hackpadfs's indexeddb file system, as
// earlier versions of the lab wrote them): "info" maps a path to {ModTime,
// Mode, Size, Parent}, "contents" maps a file's path to its bytes.
const idbTree = `globalThis.idbTree = {
	open() {
		return new Promise((resolve, reject) => {
			const r = indexedDB.open('maillab-maildir', 1);
			r.onupgradeneeded = () => { r.result.createObjectStore('contents'); r.result.createObjectStore('info').createIndex('Parent', 'Parent'); };
			r.onsuccess = () => resolve(r.result);
			r.onerror = () => reject(r.error);
		});
	},
	async write(entries) {
		const db = await this.open();
		const tx = db.transaction(['info', 'contents'], 'readwrite');
		const info = tx.objectStore('info'), contents = tx.objectStore('contents');
		info.clear();
		contents.clear();
		info.put({ModTime: 1700000000e9, Mode: 2147484141, Size: 0}, '.');
		for (const e of entries) {
			const parent = e.path.includes('/') ? e.path.slice(0, e.path.lastIndexOf('/')) : '.';
			const data = e.dir ? null : new TextEncoder().encode(e.data);
			info.put({ModTime: 1700000000e9, Mode: e.dir ? 2147484096 : 420, Size: data ? data.length : 0, Parent: parent}, e.path);
			if (data) contents.put(data, e.path);
		}
		await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
		db.close();
		return true;
	},
	async keys() {
		const db = await this.open();
		const r = db.transaction('info').objectStore('info').getAllKeys();
		const keys = await new Promise((resolve) => { r.onsuccess = () => resolve(r.result); });
		db.close();
		return JSON.stringify(keys);
	},
}; true`

// The page saves the simulator's mailboxes in the layout it reads them
// in, hackpadfs's, which earlier versions of the lab wrote: every path's
// info names its parent, a directory's mode is a directory's, a file's
// size is its bytes', and a message deleted in a session goes from both
// object stores.
func TestThePageSavesTheMailboxesInTheFileSystemsLayout(t *testing.T) {
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	awaitJS[bool](p, `maillab.flush().then(() => true)`)
	eval[bool](p, idbTree)
	check := `(async () => {
		const db = await idbTree.open();
		const tx = db.transaction(['info', 'contents']);
		const get = (store, key) => new Promise((resolve) => { const r = tx.objectStore(store).get(key); r.onsuccess = () => resolve(r.result); });
		const all = (store) => new Promise((resolve) => { const r = tx.objectStore(store).getAllKeys(); r.onsuccess = () => resolve(r.result); });
		const problems = [];
		const keys = await all('info'), files = await all('contents');
		for (const k of keys) {
			const i = await get('info', k);
			const dir = i.Mode >= 2147483648; // fs.ModeDir
			if (!dir && (i.Mode & ~0o777) !== 0) problems.push(k + ': mode ' + i.Mode);
			if (k === '.') { if ('Parent' in i) problems.push('the root has a parent'); continue; }
			const parent = k.includes('/') ? k.slice(0, k.lastIndexOf('/')) : '.';
			if (i.Parent !== parent || !keys.includes(parent)) problems.push(k + ': parent ' + i.Parent);
			if (typeof i.ModTime !== 'number' || i.ModTime <= 0) problems.push(k + ': ModTime ' + i.ModTime);
			const data = await get('contents', k);
			if (dir && data !== undefined) problems.push(k + ': a directory with contents');
			if (!dir && (!(data instanceof Uint8Array) || data.length !== i.Size)) problems.push(k + ': size ' + i.Size + ', contents ' + (data && data.length));
		}
		for (const f of files) if (!keys.includes(f)) problems.push(f + ': contents without info');
		db.close();
		return JSON.stringify({problems, files: files.filter((f) => f.startsWith('melanie/cur/')).length, root: keys.includes('.'), passwd: files.includes('passwd')});
	})()`
	type report struct {
		Problems []string
		Files    int
		Root     bool
		Passwd   bool
	}
	read := func() report {
		var r report
		if err := json.Unmarshal([]byte(awaitJS[string](p, check)), &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	first := read()
	if len(first.Problems) > 0 || !first.Root || !first.Passwd || first.Files == 0 {
		t.Fatalf("the seeded tree: %+v", first)
	}
	popLogin(p, 1)
	p.send(1, "DELE 1", "+OK")
	p.send(1, "QUIT", "+OK")
	p.waitJS(`document.querySelector('[data-terminal="1"] .xterm-rows').textContent.includes('Connection closed by foreign host.')`)
	awaitJS[bool](p, `maillab.flush().then(() => true)`)
	after := read()
	if len(after.Problems) > 0 || after.Files != first.Files-1 {
		t.Errorf("after DELE 1 and QUIT: %+v, want %d message files in melanie/cur", after, first.Files-1)
	}
}

func (p *page) writeSavedTree(entries string) {
	p.t.Helper()
	awaitJS[bool](p, `maillab.flush().then(() => true)`) // nothing of the page's own left to save
	eval[bool](p, idbTree)
	awaitJS[bool](p, `idbTree.write(`+entries+`)`)
}

func (p *page) savedPaths() []string {
	p.t.Helper()
	awaitJS[bool](p, `maillab.flush().then(() => true)`)
	eval[bool](p, idbTree)
	var keys []string
	if err := json.Unmarshal([]byte(awaitJS[string](p, `idbTree.keys()`)), &keys); err != nil {
		p.t.Fatal(err)
	}
	return keys
}

// A page closed while an earlier, file-by-file save was under way left a
// tree without passwd: the lab seeds the demo mailboxes again, replacing
// what was there.
func TestAnIncompleteSavedTreeIsSeededAgain(t *testing.T) {
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	p.writeSavedTree(`[{path: 'melanie', dir: true}, {path: 'melanie/cur', dir: true}, {path: 'melanie/cur/1700000000.M1P1.host:2,', data: 'Subject: half\n\nsaved\n'}]`)
	p.do(chromedp.Reload())
	p.waitReady()
	if got := popLogin(p, 1); got != "+OK 5 2528" {
		t.Errorf("STAT = %q, want the demo's +OK 5 2528", got)
	}
	paths := p.savedPaths()
	if slices.Contains(paths, "melanie/cur/1700000000.M1P1.host:2,") || !slices.Contains(paths, "passwd") {
		t.Errorf("saved paths after seeding again: %v", paths)
	}
}

// A tree saved by an earlier version of the lab (through hackpadfs's
// indexeddb file system) loads.
func TestAnEarlierSavedTreeLoads(t *testing.T) {
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	p.writeSavedTree(`[{path: 'kim', dir: true}, {path: 'kim/cur', dir: true}, {path: 'kim/new', dir: true}, {path: 'kim/tmp', dir: true},
		{path: 'kim/cur/1700000000.M1P1.host:2,S', data: 'From: a@example.org\nSubject: First\n\nhello\n'},
		{path: 'passwd', data: 'kim:{PLAIN}secret\n'}]`)
	p.do(chromedp.Reload())
	p.waitReady()
	p.send(1, "USER kim", "+OK")
	p.send(1, "PASS secret", "+OK")
	lines := p.send(1, "STAT", "+OK")
	if got := lines[len(lines)-1].Text; got != "+OK 1 46" {
		t.Errorf("STAT of the saved tree = %q, want +OK 1 46", got)
	}
	if users := eval[string](p, `[...document.querySelectorAll('#deliver-user option')].map(o => o.value).join(',')`); users != "kim" {
		t.Errorf("deliver-to users = %q, want kim", users)
	}
}

// paste hands text to terminal n as the browser does for Ctrl+V.
func (p *page) paste(n int, text string) {
	p.t.Helper()
	p.do(chromedp.Focus(chromedp.CSS(term(n)+" textarea.xterm-helper-textarea"), chromedp.NodeReady))
	js, _ := json.Marshal(text) // a JavaScript string literal, as Go's %q is not (\a)
	eval[bool](p, fmt.Sprintf(`(() => {
		const dt = new DataTransfer();
		dt.setData('text/plain', %s);
		document.querySelector('%s textarea.xterm-helper-textarea')
			.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));
		return true;
	})()`, js, term(n)))
}

// A paste of a thousand lines is sent line by line, in order, while the
// page goes on running (a task queued right after the paste runs before
// the last line is sent), and a line typed meanwhile comes after them.
func TestAPasteOfAThousandLinesLetsThePageRun(t *testing.T) {
	p := newPage(t)
	p.open("?proto=imap&lang=en")
	var lines []string
	for i := 1; i <= 1000; i++ {
		lines = append(lines, fmt.Sprintf("a%04d NOOP", i))
	}
	from := len(p.log(1))
	p.paste(1, strings.Join(lines, "\n")+"\n")
	eval[bool](p, `(setTimeout(() => { globalThis.sentBeforeTask = document.querySelectorAll('[data-terminal="1"] [role="log"] > [data-dir="c"]').length; }, 0), true)`)
	p.typeLine(1, "b1 CAPABILITY")
	p.waitLog(1, from, "s", "b1 OK")
	var sent []string
	for _, l := range p.log(1)[from:] {
		if l.Dir == "c" {
			sent = append(sent, l.Text)
		}
	}
	want := append(lines, "b1 CAPABILITY")
	if !slices.Equal(sent, want) {
		t.Errorf("sent %d lines, want the %d pasted then the typed one; first differences: %v", len(sent), len(want), firstDiff(sent, want))
	}
	if n := eval[int](p, `globalThis.sentBeforeTask ?? -1`); n < 0 || n >= 1000 {
		t.Errorf("a task queued after the paste ran once %d lines were sent: the paste was sent in one go", n)
	}
	p.waitScreen(1, "b1 OK CAPABILITY completed")
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("line %d: %q, want %q", i, a[i], b[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d", len(a), len(b))
}

// cursorRow reports the text of the screen row the terminal's cursor is
// on and how many cells come before the cursor on it.
func (p *page) cursorRow(n int) (string, int) {
	p.t.Helper()
	var v struct {
		Row string `json:"row"`
		Col int    `json:"col"`
	}
	js := fmt.Sprintf(`(() => {
		const cur = document.querySelector('%s .xterm-rows .xterm-cursor');
		if (!cur) return JSON.stringify({row: '', col: -1});
		const row = cur.parentElement;
		let col = 0;
		for (const span of row.children) { if (span === cur) break; col += span.textContent.length; }
		return JSON.stringify({row: row.textContent, col});
	})()`, term(n))
	if err := json.Unmarshal([]byte(eval[string](p, js)), &v); err != nil {
		p.t.Fatal(err)
	}
	return v.Row, v.Col
}

// An input line taller than the terminal is shown in part, so that the
// cursor stays on it: Home shows its start, typing there inserts where the
// cursor is shown, End shows its end, and Enter sends the whole line.
func TestAnInputLineTallerThanTheTerminal(t *testing.T) {
	p := newPage(t)
	p.open("?proto=imap&lang=en")
	rows := eval[int](p, `document.querySelectorAll('[data-terminal="1"] .xterm-rows > div').length`)
	cols := eval[int](p, `(() => { const r = document.querySelector('[data-terminal="1"] .xterm-rows > div'); return Math.round(r.getBoundingClientRect().width / document.querySelector('[data-terminal="1"] .xterm-char-measure-element').getBoundingClientRect().width * document.querySelector('[data-terminal="1"] .xterm-char-measure-element').textContent.length); })()`)
	body := strings.Repeat("0123456789", (rows*cols*2)/10)
	line := "a1 NOOP " + body + "END"
	p.paste(1, line)
	p.waitScreen(1, "789END")
	if row, col := p.cursorRow(1); !strings.HasSuffix(strings.TrimRight(row, " "), "END") || col != len(strings.TrimRight(row, " ")) {
		t.Errorf("after the paste the cursor is at %d on %q, want after END", col, row)
	}
	p.do(keys(kbHome))
	p.waitScreen(1, "a1 NOOP 0123")
	p.do(keys("X"))
	screen := p.waitScreen(1, "Xa1 NOOP 0123")
	if strings.Contains(screen, "END") {
		t.Errorf("with the cursor at the start the end of the line is on the screen too:\n%s", screen)
	}
	if row, col := p.cursorRow(1); !strings.HasPrefix(row, "Xa1 NOOP") || col != 1 {
		t.Errorf("after Home and X the cursor is at %d on %q, want after the X", col, row)
	}
	p.do(keys(kbEnd))
	p.waitScreen(1, "789END")
	from := len(p.log(1))
	p.do(keys("\r"))
	i := p.waitLog(1, from, "c", "Xa1")
	if got := p.log(1)[i].Text; got != "X"+line {
		t.Errorf("sent %d characters, want the %d of the line", len(got), len(line)+1)
	}
	p.waitLog(1, from, "s", "Xa1 BAD")
}

// After a reset every terminal connects again by itself and says so;
// after QUIT, Enter connects, and a line typed then is sent once
// connected. The previous session's lines stay above a separator.
func TestReconnectingKeepsTheTranscriptAndTheTypedLine(t *testing.T) {
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	p.send(1, "USER melanie", "+OK")
	p.send(1, "QUIT", "+OK")
	p.waitScreen(1, "Press Enter to connect again.")
	before := p.log(1)
	p.typeLine(1, "USER mrose")
	p.waitLog(1, len(before), "s", "+OK User name accepted")
	after := p.log(1)
	if !slices.Equal(after[:len(before)], before) {
		t.Errorf("the previous session's transcript changed: %+v", after)
	}
	sep := eval[string](p, fmt.Sprintf(`(() => { const e = document.querySelector('[data-terminal="1"] [role="log"]').children[%d]; return e.dataset.dir === undefined ? e.textContent : 'dir=' + e.dataset.dir; })()`, len(before)))
	if sep != "New connection" {
		t.Errorf("after the old transcript comes %q, want the separator", sep)
	}
	rest := after[len(before)+1:]
	if len(rest) < 3 || rest[0].Dir != "s" || !strings.HasPrefix(rest[0].Text, "+OK") || rest[1] != (logLine{"c", "USER mrose"}) {
		t.Errorf("the new connection's transcript = %+v, want the greeting then C: USER mrose", rest)
	}
	p.expectDiagram(1, "authorization", "greeting")

	p.do(chromedp.Click(chromedp.CSS("#reset")), chromedp.Click(chromedp.CSS(`#reset-dialog button[value="reset"]`)))
	p.waitJS(`document.getElementById('status').textContent.startsWith('The mailboxes are back')`)
	screen := p.waitScreen(1, "The mailboxes were reset; connecting again.")
	if strings.Contains(screen[strings.LastIndex(screen, "Connection closed"):], "Press Enter") {
		t.Errorf("after a reset the terminal asks for Enter but connects by itself:\n%s", screen)
	}
	n := len(p.log(1))
	p.waitLog(1, n-1, "s", "+OK")
	if got := eval[int](p, `document.querySelectorAll('[data-terminal="1"] [role="log"] > .log-sep').length`); got != 2 {
		t.Errorf("%d separators after two reconnections", got)
	}
}

// The raw view writes CR and LF as CR and LF badges, never as the control
// pictures ␍ and ␊, which many fonts lack.
func TestRawBytesShowCRLFAsBadges(t *testing.T) {
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	p.send(1, "STAT", "-ERR")
	got := eval[string](p, `JSON.stringify([...document.querySelectorAll('[data-terminal="1"] .raw .raw-line')].map(l => [...l.querySelectorAll('.crlf')].map(b => b.textContent).join(' ')))`)
	var badges []string
	if err := json.Unmarshal([]byte(got), &badges); err != nil {
		t.Fatal(err)
	}
	if len(badges) < 3 || slices.ContainsFunc(badges, func(b string) bool { return b != "CR LF" }) {
		t.Errorf("CR LF badges per raw line = %q, want CR LF on each", badges)
	}
	if raw := eval[string](p, `document.querySelector('[data-terminal="1"] .raw').textContent`); strings.ContainsAny(raw, "\u240d\u240a") {
		t.Errorf("the raw view still uses control pictures: %q", raw)
	}
}

// The page names its icon itself, so the browser asks the server for no
// /favicon.ico (a 404 in the console of every load).
func TestThePageAsksForNoFaviconFile(t *testing.T) {
	var mu sync.Mutex
	var asked []string
	p := newPageServing(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			asked = append(asked, r.URL.Path)
			mu.Unlock()
			h.ServeHTTP(w, r)
		})
	})
	p.open("?proto=pop3&lang=en")
	p.waitJS(`typeof lessonPanel === 'object' && document.readyState === 'complete'`)
	if icon := eval[string](p, `document.querySelector('link[rel="icon"]')?.href ?? ''`); !strings.HasPrefix(icon, "data:image/svg+xml,") {
		t.Errorf("the page's icon is %q, want an inline SVG", icon)
	}
	mu.Lock()
	defer mu.Unlock()
	if slices.Contains(asked, "/favicon.ico") {
		t.Errorf("the browser asked for /favicon.ico: %v", asked)
	}
}

// At a phone's width nothing makes the page scroll sideways: not the
// lesson picker with its long titles, not the explain pane's meanings.
func TestANarrowWindowDoesNotScrollSideways(t *testing.T) {
	p := newPage(t)
	p.do(chromedp.EmulateViewport(400, 900))
	p.open("?proto=pop3&lang=en")
	p.waitJS(`document.getElementById('lesson-pick') !== null`)
	if w := eval[int](p, `document.documentElement.scrollWidth - window.innerWidth`); w > 0 {
		t.Errorf("the page is %dpx wider than the window", w)
	}
	if r := eval[float64](p, `document.getElementById('lesson-pick').getBoundingClientRect().right - document.getElementById('lesson-panel').getBoundingClientRect().right`); r > 0 {
		t.Errorf("the lesson picker sticks %.0fpx out of the lesson panel", r)
	}
	// The greeting's explanation names the APOP timestamp's long parts.
	out := eval[string](p, `(() => {
		const box = document.querySelector('[data-terminal="1"] .explain').getBoundingClientRect();
		return [...document.querySelectorAll('[data-terminal="1"] .explain-parts > *')]
			.filter(e => e.getBoundingClientRect().right > box.right + 0.5 || e.scrollWidth > e.clientWidth + 1)
			.map(e => e.textContent).join(' | ');
	})()`)
	if out != "" {
		t.Errorf("explain pane parts run past its edge: %s", out)
	}
}

// Keyboard focus on the lesson bar's hidden file inputs shows on the
// labels that stand for them.
func TestFocusOnAHiddenFileInputShowsOnItsLabel(t *testing.T) {
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	p.waitJS(`document.getElementById('lesson-file') !== null`)
	p.do(chromedp.Focus(chromedp.CSS("#lesson-pick"), chromedp.NodeReady))
	for _, id := range []string{"lesson-file", "lesson-import"} {
		for i := 0; i < 10 && eval[string](p, `document.activeElement.id`) != id; i++ {
			p.do(keys(kb.Tab))
		}
		if got := eval[string](p, `document.activeElement.id`); got != id {
			t.Fatalf("Tab never reached #%s (at #%s)", id, got)
		}
		style := eval[string](p, fmt.Sprintf(`(() => { const s = getComputedStyle(document.querySelector('label[for="%s"]')); return s.outlineStyle + ' ' + s.outlineWidth; })()`, id))
		if style == "none 0px" || strings.HasPrefix(style, "none") {
			t.Errorf("label for #%s while it has keyboard focus: outline %s", id, style)
		}
	}
}

// diagramProblems reports, for terminal n's diagram, arrowheads that are
// not drawn in user units in their edge's colour, an active edge drawn
// dashed, self-loops with no extent or inside their box, and labels that
// overlap one another or a state's box, or that another edge crosses.
func (p *page) diagramProblems(n int) []string {
	p.t.Helper()
	js := fmt.Sprintf(`(() => {
		const svg = document.querySelector('%s .diagram');
		const out = [];
		for (const g of svg.querySelectorAll('.edge')) {
			const path = g.querySelector('path');
			const id = (path.getAttribute('marker-end') || '').replace(/^url\(#|\)$/g, '');
			const marker = svg.querySelector('marker[id="' + id + '"]');
			const name = g.dataset.transition + ' ' + g.dataset.from + '>' + g.dataset.to;
			if (!marker) { out.push(name + ': no arrowhead'); continue; }
			if (marker.getAttribute('markerUnits') !== 'userSpaceOnUse') out.push(name + ': arrowhead scales with the stroke');
			const stroke = getComputedStyle(path).stroke, fill = getComputedStyle(marker.querySelector('path')).fill;
			if (stroke !== fill) out.push(name + ': arrowhead ' + fill + ' on an edge ' + stroke);
			if (g.dataset.active === 'true' && getComputedStyle(path).strokeDasharray !== 'none') out.push(name + ': the active edge is dashed');
			if (g.dataset.from === g.dataset.to) {
				const b = path.getBBox(), r = svg.querySelector('[data-state="' + g.dataset.to + '"] rect').getBBox();
				if (b.width < 10 || b.height < 10) out.push(name + ': the loop is ' + b.width + 'x' + b.height);
				if (b.x >= r.x && b.y >= r.y && b.x + b.width <= r.x + r.width && b.y + b.height <= r.y + r.height) out.push(name + ': the loop is inside its box');
			}
		}
		const boxes = [...svg.querySelectorAll('.edge-label')].map(e => [e.textContent, e.getBBox()]);
		const rects = [...svg.querySelectorAll('.state rect')].map(e => [e.parentElement.dataset.state, e.getBBox()]);
		const meet = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
		const view = svg.viewBox.baseVal;
		for (const [ta, a] of boxes) if (a.x < 0 || a.y < 0 || a.x + a.width > view.width || a.y + a.height > view.height) out.push('label ' + ta + ' is cut off at the edge');
		// A label must not be crossed by another edge's line.
		const labelled = [...svg.querySelectorAll('.edge')].map(g => [g.querySelector('.edge-label'), g.querySelector('path').getAttribute('d')]);
		for (const [la, _] of labelled) {
			if (!la) continue;
			const a = la.getBBox();
			for (const [lb, d] of labelled) {
				if (lb === la) continue;
				let x = 0, y = 0;
				for (const [, c, v] of d.matchAll(/([MHV])([-\d.]+(?:,[-\d.]+)?)/g)) {
					const [n1, n2] = v.split(',').map(Number);
					let x2 = x, y2 = y;
					if (c === 'M') { x = n1; y = n2; continue; }
					if (c === 'H') x2 = n1; else y2 = n1;
					const seg = { x: Math.min(x, x2), y: Math.min(y, y2), width: Math.abs(x2 - x) || 0.01, height: Math.abs(y2 - y) || 0.01 };
					if (meet(a, seg)) out.push('label ' + la.textContent + ' is crossed by another edge');
					x = x2; y = y2;
				}
			}
		}
		boxes.forEach(([ta, a], i) => {
			boxes.slice(i + 1).forEach(([tb, b]) => { if (meet(a, b)) out.push('labels ' + ta + ' and ' + tb + ' overlap'); });
			rects.forEach(([s, r]) => { if (meet(a, r)) out.push('label ' + ta + ' overlaps the ' + s + ' box'); });
		});
		return JSON.stringify(out);
	})()`, term(n))
	var out []string
	if err := json.Unmarshal([]byte(eval[string](p, js)), &out); err != nil {
		p.t.Fatal(err)
	}
	return out
}

// The diagram's arrowheads keep their size and take their edge's colour,
// the edge just taken is solid however short, IMAP's 5r loops beside the
// SELECTED box, no label overlaps another or a box, in every language,
// and the labels follow the page's language.
func TestTheDiagramIsReadable(t *testing.T) {
	for _, proto := range []string{"imap", "pop3"} {
		for _, lang := range []string{"en", "ru", "sk"} {
			p := newPage(t)
			p.open("?proto=" + proto + "&lang=" + lang)
			for _, problem := range p.diagramProblems(1) {
				t.Errorf("%s, %s: %s", proto, lang, problem)
			}
			if proto == "imap" && lang == "en" {
				imapLogin(p, 1, "a1")
				p.send(1, "a2 SELECT INBOX", "a2 OK")
				p.send(1, "a3 EXAMINE INBOX", "a3 OK")
				p.expectDiagram(1, "selected", "5r")
				for _, problem := range p.diagramProblems(1) {
					t.Errorf("after 5r: %s", problem)
				}
			}
		}
	}
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	label := `[...document.querySelector('[data-terminal="1"] .edge[data-transition="login"] .edge-label').children].map(s => s.textContent).join(' ')`
	if got := eval[string](p, label); got != "USER and PASS, APOP or AUTH accepted" {
		t.Errorf("English label = %q", got)
	}
	p.do(chromedp.SetValue(chromedp.CSS("#lang"), "ru"))
	p.do(chromedp.Evaluate[chromedp.Void](`document.getElementById('lang').dispatchEvent(new Event('change'))`))
	want := catalog.Get("pop3").Text("ru", "transition.login")
	if got := eval[string](p, label); got != want {
		t.Errorf("after switching to Russian the label reads %q, want %q", got, want)
	}
}

// The page fetches the simulator's texts in the language it shows only:
// one picked later is fetched then, and the sessions opened from then on
// explain in it, as the first did in English.
func TestAnotherLanguageExplainsTheSessionsOpenedAfter(t *testing.T) {
	p := newPage(t)
	var mu sync.Mutex
	var fetched []string
	if err := chromedp.Listen(p.ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && strings.Contains(e.Request.URL, "/texts/") {
			mu.Lock()
			fetched = append(fetched, e.Request.URL[strings.Index(e.Request.URL, "/texts/"):])
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(p.ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	p.open("?proto=pop3&lang=en")
	greeting := `document.querySelector('[data-terminal="%d"] .explain-item .explain-text')?.textContent`
	p.waitJS(fmt.Sprintf(greeting+` === %q`, 1, catalog.Get("pop3").Text("en", "greeting.apop")))
	p.do(chromedp.SetValue(chromedp.CSS("#lang"), "sk"))
	p.do(chromedp.Evaluate[chromedp.Void](`document.getElementById('lang').dispatchEvent(new Event('change'))`))
	p.waitJS(`document.getElementById('status').textContent === ` + strconv.Quote(catalog.Get("page").Text("sk", "lang.note")))
	p.do(chromedp.Click(chromedp.CSS("#new-term")))
	p.waitJS(fmt.Sprintf(greeting+` === %q`, 2, catalog.Get("pop3").Text("sk", "greeting.apop")))
	mu.Lock()
	defer mu.Unlock()
	if len(fetched) != 2 || !strings.HasPrefix(fetched[0], "/texts/en.json") || !strings.HasPrefix(fetched[1], "/texts/sk.json") {
		t.Errorf("texts fetched: %q, want English at the start and Slovak when picked", fetched)
	}
}

// The explain pane keeps every line explained since the learner's last
// line: a SELECT's untagged answers and its tagged OK, each with its
// parts; the next command starts afresh, and a FETCH of many messages
// shows the first ones, a count of those left out and the last.
// The meaning beside a long token breaks between words, never inside a
// word: the greeting's APOP timestamp must not squeeze "положительный"
// apart.
func TestTheExplainPaneBreaksMeaningsBetweenWords(t *testing.T) {
	p := newPage(t)
	p.open("?proto=pop3&lang=ru")
	broken := eval[[]string](p, `[...document.querySelectorAll('[data-terminal="1"] .explain-parts dd')].flatMap((dd) => {
		// Words of letters; a long token (an address, <a@b>) may break.
		const words = dd.textContent.split(/\s+/).map((w) => w.replace(/^\P{L}+|\P{L}+$/gu, '')).filter((w) => /^\p{L}+$/u.test(w));
		return words.filter((w) => {
			const s = document.createElement('span');
			s.style.whiteSpace = 'nowrap';
			s.textContent = w;
			dd.append(s);
			const wide = s.getBoundingClientRect().width > dd.clientWidth + 0.5;
			s.remove();
			return wide;
		});
	})`)
	if n := eval[int](p, `document.querySelectorAll('[data-terminal="1"] .explain-parts dd').length`); n < 2 {
		t.Fatalf("the greeting's explanation has %d parts", n)
	}
	if len(broken) > 0 {
		t.Errorf("words wider than their column in the explain pane: %q", broken)
	}
}

func TestTheExplainPaneExplainsEveryLineOfAnAnswer(t *testing.T) {
	p := newPage(t)
	p.open("?proto=imap&lang=en")
	imapLogin(p, 1, "a1")
	p.send(1, "a2 SELECT INBOX", "a2 OK")
	items := `[...document.querySelectorAll('[data-terminal="1"] .explain-item')].map(e => e.textContent)`
	got := eval[[]string](p, items)
	if len(got) < 6 {
		t.Fatalf("after SELECT the pane has %d items, want one per untagged line and the OK: %q", len(got), got)
	}
	joined := strings.Join(got, "\n")
	for _, want := range []string{"EXISTS", "UIDVALIDITY", "READ-WRITE"} {
		if !strings.Contains(joined, want) {
			t.Errorf("the SELECT explanations do not mention %s: %q", want, got)
		}
	}
	p.send(1, "a3 NOOP", "a3 OK")
	if got := eval[[]string](p, items); len(got) != 1 || !strings.Contains(got[0], "NOOP") {
		t.Errorf("after NOOP the pane has %q, want only the NOOP's OK", got)
	}
	for i := 0; i < 14; i++ {
		p.typeLine(1, fmt.Sprintf("b%d APPEND INBOX {1+}", i))
		p.send(1, "x", fmt.Sprintf("b%d OK", i))
	}
	p.send(1, "a4 FETCH 1:* FLAGS", "a4 OK")
	got = eval[[]string](p, items)
	more := eval[string](p, `document.querySelector('[data-terminal="1"] .explain-more')?.textContent || ''`)
	if len(got) != 12 || !strings.Contains(got[len(got)-1], "a4") || !strings.Contains(more, "left out") {
		t.Errorf("after a FETCH of many messages the pane has %d items (last %q) and says %q", len(got), got[len(got)-1], more)
	}
}
