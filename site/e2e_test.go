package site

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
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
	if !strings.Contains(raw, "NO^G^[[2JOP␍␊") {
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
