package site

import (
	"strings"
	"testing"
)

// rawControlsJS lists every text node and attribute value of the page that
// holds a control character other than tab, CR and LF: C0, DEL or C1.
const rawControlsJS = `(() => {
	const bad = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/;
	const found = [];
	const w = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
	for (let n = w.currentNode; n; n = w.nextNode()) {
		if (n.nodeType === Node.TEXT_NODE) {
			if (bad.test(n.data)) found.push(JSON.stringify(n.data));
		} else {
			for (const a of n.attributes) if (bad.test(a.value)) found.push(a.name + '=' + JSON.stringify(a.value));
		}
	}
	return found.join('\n');
})()`

// A pasted line with BEL, NUL, C1 CSI and an OSC that would set the
// window's title is sent as it is, and every control character in it, in
// the line typed and in the server's answer, is shown visibly in the
// terminal, the transcript and the explain pane: none reaches xterm or the
// page raw.
func TestPastedControlCharactersAreShownNeverObeyed(t *testing.T) {
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	from := len(p.log(1))
	p.paste(1, "FOO X\x07\x00\u009b31mY\x1b]0;pwned\x07Z\n")
	i := p.waitLog(1, from, "c", "FOO")
	p.waitLog(1, i, "s", "-ERR")
	const shown = `FOO X^G^@\x9b31mY^[]0;pwned^GZ`
	if got := p.log(1)[i].Text; got != shown {
		t.Errorf("transcript shows the line sent as %q, want %q", got, shown)
	}
	// On the screen: had ESC ] or CSI reached xterm, it would have taken
	// "0;pwned" as a title and "31m" as a colour, and not shown them.
	p.waitScreen(1, shown)
	if title := eval[string](p, `document.title`); strings.Contains(title, "pwned") {
		t.Errorf("the page's title became %q", title)
	}
	// The explain pane quotes the line in its answer, visibly too.
	explain := eval[string](p, `document.querySelector('[data-terminal="1"] .explain').textContent`)
	if strings.Contains(explain, "pwned") && !strings.Contains(explain, "^[]0;pwned") {
		t.Errorf("the explain pane quotes the line with raw control characters: %q", explain)
	}
	raw := eval[string](p, `document.querySelector('[data-terminal="1"] .raw').textContent`)
	if !strings.Contains(raw, `X^G^@`) || !strings.Contains(raw, `31mY^[]0;pwned^GZCRLF`) {
		t.Errorf("the raw view shows the bytes sent as %q", raw)
	}
	if found := eval[string](p, rawControlsJS); found != "" {
		t.Errorf("raw control characters in the page:\n%s", found)
	}
}
