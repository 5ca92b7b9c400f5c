package site

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"maillab/sim/catalog"
	"maillab/sim/proto"
	_ "maillab/sim/proto/all" // the protocols lab.wasm is built with
)

// The page serves whatever protocols the simulator registers. These tests
// run against the real build and take what to expect from the registry, so
// a protocol that registers later needs no edit here, nor in the page.

// unregistered is a protocol name the registry does not have.
func unregistered(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"nntp", "gopher", "finger", "whois"} {
		if _, ok := proto.Get(name); !ok {
			return name
		}
	}
	t.Fatal("every name tried is registered")
	return ""
}

// menuOption is one option of the protocol menu as the page shows it.
type menuOption struct {
	Value    string `json:"value"`
	Text     string `json:"text"`
	Disabled bool   `json:"disabled"`
}

func (p *page) protocolMenu() []menuOption {
	p.t.Helper()
	var out []menuOption
	js := `JSON.stringify([...document.querySelectorAll('#proto option')].map(o => ({value: o.value, text: o.textContent, disabled: o.disabled})))`
	if err := json.Unmarshal([]byte(eval[string](p, js)), &out); err != nil {
		p.t.Fatal(err)
	}
	return out
}

// registryMenu is the menu the registry asks for: each protocol as its
// title and usual port, in the registry's order.
func registryMenu() []menuOption {
	var out []menuOption
	for _, pr := range proto.All() {
		out = append(out, menuOption{Value: pr.Name, Text: fmt.Sprintf("%s (%d)", pr.Title, pr.Port)})
	}
	return out
}

// The protocol menu is exactly the registry's list; with no ?proto= the
// registry's first protocol opens; ?proto=NAME opens a terminal of each
// registered protocol, titled with the protocol's title and port; the
// lesson picker groups the shipped lessons by the registered protocols,
// in the registry's order.
func TestTheProtocolMenuIsTheRegistrys(t *testing.T) {
	all := proto.All()
	if len(all) == 0 {
		t.Fatal("no protocol registered")
	}
	p := newPage(t)
	p.open("?lang=en")
	if got, want := p.protocolMenu(), registryMenu(); !slices.Equal(got, want) {
		t.Errorf("the protocol menu is\n%+v\nthe registry's list is\n%+v", got, want)
	}
	if got := eval[string](p, `JSON.stringify(lab.terminals().map(t => t.proto))`); got != fmt.Sprintf(`[%q]`, all[0].Name) {
		t.Errorf("without ?proto= the page opened %s, want the registry's first, %s", got, all[0].Name)
	}
	if got := eval[string](p, `document.getElementById('proto').value`); got != all[0].Name {
		t.Errorf("the protocol menu shows %q, want %q", got, all[0].Name)
	}
	var listed []struct {
		Name  string `json:"name"`
		Title string `json:"title"`
		Port  int    `json:"port"`
	}
	if err := json.Unmarshal([]byte(eval[string](p, `JSON.stringify(lab.protocols())`)), &listed); err != nil {
		t.Fatal(err)
	}
	if len(listed) != len(all) {
		t.Errorf("lab.protocols() = %+v", listed)
	}
	for i, pr := range all {
		if i < len(listed) && (listed[i].Name != pr.Name || listed[i].Title != pr.Title || listed[i].Port != pr.Port) {
			t.Errorf("lab.protocols()[%d] = %+v, the registry has %s, %s, %d", i, listed[i], pr.Name, pr.Title, pr.Port)
		}
	}

	// The lesson picker: one group per registered protocol with shipped
	// lessons, named by its title.
	b, err := fs.ReadFile(builtSite(t), "lessons.json")
	if err != nil {
		t.Fatal(err)
	}
	var shipped struct {
		Lessons []struct {
			ID       string `json:"id"`
			Protocol string `json:"protocol"`
		} `json:"lessons"`
	}
	if err := json.Unmarshal(b, &shipped); err != nil {
		t.Fatal(err)
	}
	var wantGroups []string
	for _, pr := range all {
		var ids []string
		for _, l := range shipped.Lessons {
			if l.Protocol == pr.Name {
				ids = append(ids, l.ID)
			}
		}
		if len(ids) > 0 {
			wantGroups = append(wantGroups, pr.Title+": "+strings.Join(ids, " "))
		}
	}
	p.waitJS(`document.querySelector('#lesson-pick optgroup') !== null`)
	groups := eval[string](p, `JSON.stringify([...document.querySelectorAll('#lesson-pick optgroup')].map(g => g.label + ': ' + [...g.querySelectorAll('option')].map(o => o.value).join(' ')))`)
	var gotGroups []string
	if err := json.Unmarshal([]byte(groups), &gotGroups); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(gotGroups, wantGroups) {
		t.Errorf("the lesson picker's groups are\n%q\nwant\n%q", gotGroups, wantGroups)
	}

	for _, pr := range all {
		p.open("?lang=en&proto=" + pr.Name)
		if got := eval[string](p, `JSON.stringify(lab.terminals().map(t => t.proto))`); got != fmt.Sprintf(`[%q]`, pr.Name) {
			t.Errorf("?proto=%s opened %s", pr.Name, got)
		}
		if got := eval[string](p, `document.getElementById('proto').value`); got != pr.Name {
			t.Errorf("?proto=%s: the protocol menu shows %q", pr.Name, got)
		}
		want := fmt.Sprintf("Terminal 1: %s, port %d", pr.Title, pr.Port)
		if got := eval[string](p, `document.querySelector('[data-terminal="1"] h2').textContent`); got != want {
			t.Errorf("?proto=%s: the terminal's title is %q, want %q", pr.Name, got, want)
		}
		if got := eval[string](p, `document.querySelector('[data-terminal="1"] svg.diagram')?.getAttribute('aria-label') ?? ''`); !strings.HasPrefix(got, pr.Title+" state diagram; current state: ") {
			t.Errorf("?proto=%s: the diagram is labelled %q", pr.Name, got)
		}
		// A command button puts the command into the input line, with a
		// tag where the protocol declares its commands tagged.
		if eval[bool](p, `document.querySelector('[data-terminal="1"] .commands .cmd') !== null`) {
			from := len(p.log(1))
			p.do(chromedp.Click(chromedp.CSS(term(1) + ` .commands .cmd`)))
			p.do(keys("\r"))
			at := p.waitLog(1, from, "c", "") // before the transcript is read
			sent := p.log(1)[at].Text
			if tagged := strings.HasPrefix(sent, "a001 "); tagged != pr.Tagged {
				t.Errorf("?proto=%s: a command button sent %q; the protocol is tagged: %v", pr.Name, sent, pr.Tagged)
			}
		}
	}
}

// At a phone's size (390×844) the protocol menu is in the window, shows
// its choice in full, and switches the terminal to each protocol.
func TestAPhoneShowsTheWholeProtocolMenu(t *testing.T) {
	p := newPage(t)
	p.do(chromedp.EmulateViewport(390, 844))
	for _, lang := range catalog.Languages() {
		p.open("?lang=" + lang)
		if got, want := p.protocolMenu(), registryMenu(); !slices.Equal(got, want) {
			t.Errorf("%s: the protocol menu is %+v, want %+v", lang, got, want)
		}
		if w := eval[int](p, `document.documentElement.scrollWidth - window.innerWidth`); w > 0 {
			t.Errorf("%s: the page is %dpx wider than the window", lang, w)
		}
		// The menu and its label lie inside the window; the menu is wide
		// enough for its longest choice, its arrow aside.
		out := eval[string](p, `(() => {
			const sel = document.getElementById('proto');
			const problems = [];
			for (const el of [sel, sel.closest('label')]) {
				const r = el.getBoundingClientRect();
				if (r.width === 0 || r.height === 0) problems.push(el.tagName + ' is not shown');
				if (r.left < 0 || r.right > window.innerWidth) problems.push(el.tagName + ' lies at ' + r.left + '..' + r.right + ' in a window ' + window.innerWidth + 'px wide');
			}
			const ctx = document.createElement('canvas').getContext('2d');
			ctx.font = getComputedStyle(sel).font;
			const widest = Math.max(...[...sel.options].map(o => ctx.measureText(o.textContent).width));
			const st = getComputedStyle(sel);
			const room = sel.clientWidth - parseFloat(st.paddingLeft) - parseFloat(st.paddingRight);
			if (room < widest) problems.push('the menu has ' + room + 'px for a choice ' + widest + 'px wide');
			return problems.join('; ');
		})()`)
		if out != "" {
			t.Errorf("%s: %s", lang, out)
		}
	}
	// Every choice of the menu opens its protocol's terminal.
	p.open("?lang=en")
	for _, pr := range slices.Backward(proto.All()) {
		p.do(chromedp.SetValue(chromedp.CSS("#proto"), pr.Name))
		p.do(chromedp.Evaluate[chromedp.Void](`document.getElementById('proto').dispatchEvent(new Event('change'))`))
		p.waitJS(fmt.Sprintf(`lab.terminals().at(-1).proto === %q`, pr.Name))
		n := eval[int](p, `lab.terminals().at(-1).terminal`)
		p.waitJS(fmt.Sprintf(`document.querySelector('[data-terminal="%d"] [role="log"] > [data-dir="s"]') !== null`, n))
		if w := eval[int](p, `document.documentElement.scrollWidth - window.innerWidth`); w > 0 {
			t.Errorf("with a %s terminal the page is %dpx wider than the window", pr.Name, w)
		}
	}
}

// The raw byte view marks dot-stuffing and the ending dot on the side the
// protocol declares (POP3: the server's multi-line answers), and not on
// the other side.
func TestTheRawViewMarksTheDotsWhereTheProtocolDeclaresThem(t *testing.T) {
	if pop3, ok := proto.Get("pop3"); !ok || pop3.DotStuffed != "server" {
		t.Fatalf("pop3 is not registered with DotStuffed \"server\"")
	}
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	popLogin(p, 1)
	p.send(1, "LIST", ".")
	p.send(1, ".", "-ERR")
	got := eval[string](p, `JSON.stringify([...document.querySelectorAll('[data-terminal="1"] .raw .end, [data-terminal="1"] .raw .stuffed')].map(e => e.closest('.raw-line').dataset.dir + ' ' + e.className + ': ' + e.title))`)
	if got != `["s end: end of the multi-line answer"]` {
		t.Errorf("POP3's raw view marks the dots %s", got)
	}
}
