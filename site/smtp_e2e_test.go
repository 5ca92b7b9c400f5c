package site

// SMTP and LMTP in the page: the lecture's session typed by hand, the
// message read back over IMAP in a terminal of the same page, LMTP's
// reply per recipient, mistakes that keep the session, the first SMTP
// lesson, a phone's screen, and a diagram that stays readable with
// SMTP's seven states.

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

var (
	queuedReply = regexp.MustCompile(`^250 2\.0\.0 Ok: queued as ([0-9A-F]+)$`)
	existsLine  = regexp.MustCompile(`^\* (\d+) EXISTS$`)
)

// waitTerminal waits until terminal n has its server's first line.
func (p *page) waitTerminal(n int) {
	p.t.Helper()
	p.waitJS(fmt.Sprintf(`document.querySelector('%s [role="log"] > [data-dir="s"]') !== null`, term(n)))
}

// openTerminal opens a terminal of proto beside those of the page, as the
// lab's API lets the page and its lessons do, and waits for its greeting.
func (p *page) openTerminal(proto string) int {
	p.t.Helper()
	n := eval[int](p, fmt.Sprintf(`lab.openTerminal(%q)`, proto))
	p.waitTerminal(n)
	return n
}

// last is the text of the last line of lines.
func last(lines []logLine) string {
	if len(lines) == 0 {
		return ""
	}
	return lines[len(lines)-1].Text
}

// explained is what terminal n's explain pane says now, item by item.
func (p *page) explained(n int) []string {
	p.t.Helper()
	return eval[[]string](p, fmt.Sprintf(`[...document.querySelectorAll('%s .explain-item')].map(e => e.textContent)`, term(n)))
}

// sendMessage types a message's text after DATA's 354, one line at a
// time, and the final dot; it returns the reply to the dot.
func (p *page) sendMessage(n int, text []string, want string) []logLine {
	p.t.Helper()
	for _, line := range text {
		p.typeLine(n, line)
	}
	return p.send(n, ".", want)
}

// smtpSend runs a whole SMTP session on terminal n that sends one message
// from alex to melanie with subject, and returns the queue ID.
func (p *page) smtpSend(n int, subject string) string {
	p.t.Helper()
	p.send(n, "HELO client.example", "250")
	p.send(n, "MAIL FROM:<alex@example.org>", "250")
	p.send(n, "RCPT TO:<melanie@example.org>", "250")
	p.send(n, "DATA", "354")
	m := queuedReply.FindStringSubmatch(last(p.sendMessage(n, []string{"Subject: " + subject, "", "Sent from the page."}, "250")))
	if m == nil {
		p.t.Fatalf("the dot was not answered 250 2.0.0 Ok: queued as ...: %+v", p.log(n))
	}
	p.send(n, "QUIT", "221")
	return m[1]
}

// exists returns N of the last "* N EXISTS" in lines, or -1.
func exists(lines []logLine) int {
	n := -1
	for _, l := range lines {
		if m := existsLine.FindStringSubmatch(l.Text); m != nil && l.Dir == "s" {
			n, _ = strconv.Atoi(m[1])
		}
	}
	return n
}

// The lecture's session typed by hand: each reply in the terminal, the
// diagram following the states, the explain pane on the 354 and the 250;
// then an IMAP terminal in the same page fetches the message as it was
// stored, with the envelope's reverse-path, a Received: line and the
// dot-stuffed line unstuffed.
func TestSMTPSendThenFetchOverIMAP(t *testing.T) {
	p := newPage(t)
	p.open("?proto=smtp&lang=en")
	if g := p.log(1)[0]; g.Dir != "s" || !strings.HasPrefix(g.Text, "220 ") || !strings.HasSuffix(g.Text, " ESMTP") {
		t.Errorf("the transcript starts with %+v, want the greeting 220 ... ESMTP", g)
	}
	p.waitScreen(1, "220 localhost ESMTP")
	p.expectDiagram(1, "connected", "1")

	steps := []struct{ line, reply, state, transition string }{
		{"HELO client.example", "250 localhost", "greeted", "3"},
		{"MAIL FROM:<alex@example.org>", "250 2.1.0 Ok", "mail", "4"},
		{"RCPT TO:<melanie@example.org>", "250 2.1.5 Ok", "rcpt", "5"},
		{"DATA", "354 End data with <CR><LF>.<CR><LF>", "data", "6"},
	}
	for _, s := range steps {
		got := p.send(1, s.line, s.reply[:3])
		if got[0] != (logLine{"c", s.line}) || len(got) != 2 || got[1].Text != s.reply {
			t.Errorf("%s: transcript %+v, want C: %s and S: %s", s.line, got, s.line, s.reply)
		}
		p.expectDiagram(1, s.state, s.transition)
	}
	// The 354: the explain pane says the server waits for the text, and
	// how a line starting with a dot is sent.
	if got := strings.Join(p.explained(1), "\n"); !strings.Contains(got, "354") || !strings.Contains(got, "transition 6") || !strings.Contains(got, "dot doubled") {
		t.Errorf("after DATA the explain pane says %q", got)
	}
	// The message's lines are not commands: no reply until the dot.
	text := []string{"Subject: from the page", "", "A line of text.", "..dot"}
	from := len(p.log(1))
	p.sendMessage(1, text, "250")
	got := p.log(1)[from:]
	for i, line := range append(text, ".") {
		if i >= len(got) || got[i] != (logLine{"c", line}) {
			t.Fatalf("the message in the transcript = %+v, want each line typed, then the reply", got)
		}
	}
	if len(got) != len(text)+2 {
		t.Errorf("lines after DATA = %+v, want the text, the dot and one reply", got)
	}
	m := queuedReply.FindStringSubmatch(last(got))
	if m == nil {
		t.Fatalf("the dot was answered %q, want 250 2.0.0 Ok: queued as ...", last(got))
	}
	queueID := m[1]
	p.waitScreen(1, "250 2.0.0 Ok: queued as "+queueID)
	p.expectDiagram(1, "greeted", "7")
	if d := p.diagram(1); d.ActiveFrom != "data" {
		t.Errorf("the active (7) leaves %q, want data", d.ActiveFrom)
	}
	// The 250: queued under that ID and delivered to melanie, each part of
	// the reply explained.
	items := p.explained(1)
	if len(items) != 1 || !strings.Contains(items[0], "queued as "+queueID) || !strings.Contains(items[0], "melanie") {
		t.Errorf("after the dot the explain pane says %q", items)
	}
	parts := eval[[]string](p, `[...document.querySelectorAll('[data-terminal="1"] .explain-parts dt')].map(e => e.textContent)`)
	if !slices.Contains(parts, "250") || !slices.Contains(parts, "2.0.0") {
		t.Errorf("the explained parts of the 250 are %q, want 250 and 2.0.0 among them", parts)
	}
	// The raw view shows the dot-stuffed line as sent.
	if raw := eval[string](p, `document.querySelector('[data-terminal="1"] .raw').textContent`); !strings.Contains(raw, "..dot") {
		t.Errorf("the raw bytes do not show ..dot: %q", raw)
	}
	if n := len(p.log(1)); n != from+len(text)+2 {
		t.Errorf("the transcript has %d lines, want %d", n, from+len(text)+2)
	}
	got = p.send(1, "QUIT", "221")
	if last(got) != "221 2.0.0 Bye" {
		t.Errorf("QUIT answered %q", last(got))
	}
	p.expectDiagram(1, "closed", "12")
	p.waitScreen(1, "Connection closed by foreign host.")

	// An IMAP terminal in the same page: melanie's newest message is the
	// one just sent.
	n := p.openTerminal("imap")
	if got := eval[string](p, `JSON.stringify(lab.terminals().map(t => t.proto))`); got != `["smtp","imap"]` {
		t.Errorf("terminals: %s, want an SMTP and an IMAP one", got)
	}
	p.send(n, "a LOGIN melanie toybox", "a OK")
	count := exists(p.send(n, "b SELECT INBOX", "b OK"))
	if count < 1 {
		t.Fatalf("SELECT INBOX showed no EXISTS: %+v", p.log(n))
	}
	fetched := p.send(n, fmt.Sprintf("c FETCH %d BODY[]", count), "c OK")
	var body []string
	for _, l := range fetched {
		if l.Dir == "s" {
			body = append(body, l.Text)
		}
	}
	header := func(prefix string) string {
		for _, l := range body {
			if strings.HasPrefix(l, prefix) {
				return l
			}
		}
		return ""
	}
	if got := header("Return-Path: "); got != "Return-Path: <alex@example.org>" {
		t.Errorf("Return-Path = %q, want <alex@example.org>; the message:\n%s", got, strings.Join(body, "\n"))
	}
	if got := header("Received: "); got == "" {
		t.Errorf("no Received: header; the message:\n%s", strings.Join(body, "\n"))
	}
	if !slices.Contains(body, "Subject: from the page") || !slices.Contains(body, "A line of text.") {
		t.Errorf("the fetched message lacks the subject or the text:\n%s", strings.Join(body, "\n"))
	}
	if !slices.Contains(body, ".dot") || slices.Contains(body, "..dot") {
		t.Errorf("the line typed ..dot is not stored as .dot:\n%s", strings.Join(body, "\n"))
	}
	if !strings.Contains(strings.Join(body, "\n"), queueID) {
		t.Errorf("the queue ID %s is in no line of the message (its Received: header names it):\n%s", queueID, strings.Join(body, "\n"))
	}
}

// An IMAP session with INBOX selected learns of a message an SMTP
// terminal of the same page delivers: its next NOOP shows one more
// message.
func TestSMTPDeliveryShowsInASelectedIMAPInbox(t *testing.T) {
	p := newPage(t)
	p.open("?proto=imap&lang=en")
	p.send(1, "a LOGIN melanie toybox", "a OK")
	before := exists(p.send(1, "b SELECT INBOX", "b OK"))
	if before < 0 {
		t.Fatalf("SELECT showed no EXISTS: %+v", p.log(1))
	}
	n := p.openTerminal("smtp")
	p.smtpSend(n, "while INBOX is selected")
	got := p.send(1, "c NOOP", "c OK")
	if after := exists(got); after != before+1 {
		t.Errorf("NOOP after the delivery = %+v, want * %d EXISTS", got, before+1)
	}
	p.expectDiagram(1, "selected", "5")
}

// LMTP answers the final dot once for each recipient it accepted, in
// the order they were given, and not for the one it refused.
func TestLMTPRepliesOncePerAcceptedRecipient(t *testing.T) {
	p := newPage(t)
	p.open("?proto=lmtp&lang=en")
	if g := p.log(1)[0].Text; !strings.HasPrefix(g, "220 ") || !strings.Contains(g, "LMTP") {
		t.Errorf("greeting %q, want 220 ... LMTP", g)
	}
	got := p.send(1, "LHLO client.example", "250 ")
	if !slices.ContainsFunc(got, func(l logLine) bool { return l.Text == "250-PIPELINING" }) {
		t.Errorf("LHLO answered %+v, want a multi-line 250 with the extensions", got)
	}
	p.expectDiagram(1, "greeted", "3L")
	p.send(1, "MAIL FROM:<alex@example.org>", "250")
	p.send(1, "RCPT TO:<melanie@example.org>", "250")
	if r := last(p.send(1, "RCPT TO:<nobody@example.org>", "5")); !strings.HasPrefix(r, "550 5.1.1 ") {
		t.Errorf("RCPT of an unknown user answered %q, want 550 5.1.1", r)
	}
	p.send(1, "RCPT TO:<alex@example.org>", "250")
	p.send(1, "DATA", "354")
	from := len(p.log(1))
	for _, line := range []string{"Subject: to two of three", "", "Hello.", "."} {
		p.typeLine(1, line)
	}
	// NOOP after the dot: every reply to the dot comes before NOOP's.
	p.typeLine(1, "NOOP")
	end := p.waitLog(1, p.waitLog(1, from, "c", "NOOP"), "s", "250 2.0.0 Ok")
	var replies []string
	for _, l := range p.log(1)[from:end] {
		if l.Dir == "s" {
			replies = append(replies, l.Text)
		}
	}
	want := []string{"250 2.0.0 <melanie@example.org> Ok: delivered", "250 2.0.0 <alex@example.org> Ok: delivered"}
	if !slices.Equal(replies, want) {
		t.Errorf("the replies to the dot are %q, want %q", replies, want)
	}
	screen := p.waitScreen(1, want[1])
	if !strings.Contains(screen, want[0]) {
		t.Errorf("the terminal does not show %q:\n%s", want[0], screen)
	}
	p.expectDiagram(1, "greeted", "7L")
}

// Mistakes are answered with a 5xx reply and the session goes on: a
// command before HELO, HELO without a name, a verb the server does not
// know; then the lecture's session works on the same connection.
func TestSMTPMistakesDoNotDisconnect(t *testing.T) {
	p := newPage(t)
	p.open("?proto=smtp&lang=en")
	mistakes := []struct{ line, reply string }{
		{"MAIL FROM:<alex@example.org>", "503 5.5.1 Error: send HELO/EHLO first"},
		{"HELO", "501 "},
		{"FOO", "500 5.5.2 Error: command not recognized"},
		{"RCPT TO:<melanie@example.org>", "503 5.5.1 "},
	}
	for _, m := range mistakes {
		got := p.send(1, m.line, "5")
		if !strings.HasPrefix(last(got), m.reply) {
			t.Errorf("%s answered %q, want %s...", m.line, last(got), m.reply)
		}
		p.expectDiagram(1, "connected", "1")
		if eval[string](p, `document.querySelector('[data-terminal="1"]').dataset.session || ''`) == "" {
			t.Fatalf("after %s the terminal has no session", m.line)
		}
	}
	// HELO without a name: the explain pane says what it needs.
	p.send(1, "HELO", "501")
	if got := strings.Join(p.explained(1), "\n"); !strings.Contains(got, "HELO client.example") {
		t.Errorf("the explain pane on a bare HELO says %q", got)
	}
	// MAIL before HELO: the diagram outlines where MAIL is allowed.
	p.send(1, "MAIL FROM:<alex@example.org>", "503")
	if got := eval[string](p, `[...document.querySelectorAll('[data-terminal="1"] [data-allowed="true"]')].map(e => e.dataset.state).join(',')`); got != "greeted" {
		t.Errorf("states outlined as allowing MAIL = %q, want greeted", got)
	}
	if screen := p.screenText(1); strings.Contains(screen, "Connection closed") {
		t.Fatalf("a mistake closed the connection:\n%s", screen)
	}
	p.send(1, "HELO client.example", "250")
	p.send(1, "MAIL FROM:<alex@example.org>", "250")
	// A typo inside the transaction keeps the envelope.
	if r := last(p.send(1, "RCTP TO:<melanie@example.org>", "5")); !strings.HasPrefix(r, "500 ") {
		t.Errorf("RCTP answered %q, want 500", r)
	}
	p.expectDiagram(1, "mail", "4")
	p.send(1, "RCPT TO:<melanie@example.org>", "250")
	p.send(1, "DATA", "354")
	if m := queuedReply.FindString(last(p.sendMessage(1, []string{"Subject: after mistakes", "", "Still here."}, "250"))); m == "" {
		t.Errorf("the message after the mistakes was not queued: %+v", p.log(1))
	}
}

// The first SMTP lesson, picked from the lesson picker, plays in the
// page: each step's goal is met by what is typed, and the lesson ends
// with QUIT.
func TestSMTPLessonPlaysInThePage(t *testing.T) {
	p := newPage(t)
	p.open("?proto=smtp&lang=en")
	p.waitJS(`document.querySelector('#lesson-pick option[value="smtp-first-message"]') !== null`)
	if group := eval[string](p, `document.querySelector('#lesson-pick option[value="smtp-first-message"]').parentElement.label`); group != "SMTP" {
		t.Errorf("the lesson is in the picker's group %q, want SMTP", group)
	}
	p.do(chromedp.SetValue(chromedp.CSS("#lesson-pick"), "smtp-first-message"))
	p.do(chromedp.Evaluate[chromedp.Void](`document.getElementById('lesson-pick').dispatchEvent(new Event('change'))`))
	p.waitJS(`document.getElementById('lesson-panel').dataset.lesson === 'smtp-first-message'`)
	p.waitStep(1)
	n := lessonTerm(p)
	if proto := eval[string](p, fmt.Sprintf(`document.querySelector('%s').dataset.proto`, term(n))); proto != "smtp" {
		t.Fatalf("the lesson's terminal speaks %q", proto)
	}
	p.waitLog(n, 0, "s", "220 ")
	unmet := func() string {
		return eval[string](p, `[...document.querySelectorAll('.lesson-step .lesson-goals li[data-met="false"]')].map(e => e.textContent).join(' | ')`)
	}

	// Step 1: HELO.
	if u := unmet(); u == "" {
		t.Error("step 1 shows no unmet goal before HELO")
	}
	p.send(n, "HELO client.example", "250")
	p.waitStep(2)
	// Step 2: the envelope; MAIL alone does not meet it.
	p.send(n, "MAIL FROM:<alex@example.org>", "250")
	if step := eval[string](p, `document.getElementById('lesson-panel').dataset.step`); step != "2" {
		t.Errorf("after MAIL alone the lesson is at step %s, want 2", step)
	}
	p.send(n, "RCPT TO:<melanie@example.org>", "250")
	p.waitStep(3)
	// Step 3: DATA, the text and the dot.
	p.send(n, "DATA", "354")
	if step := eval[string](p, `document.getElementById('lesson-panel').dataset.step`); step != "3" {
		t.Errorf("after DATA's 354 the lesson is at step %s, want 3", step)
	}
	p.sendMessage(n, []string{"Subject: Seminar", "", "See you on Thursday."}, "250")
	p.waitStep(4)
	// Step 4: QUIT ends the lesson.
	p.send(n, "QUIT", "221")
	p.waitJS(`document.getElementById('lesson-panel').dataset.finished === 'true'`)
	done := eval[string](p, `JSON.stringify(lessonPanel.status().progress.steps.map(s => s.done))`)
	if done != "[true,true,true,true]" {
		t.Errorf("steps done: %s", done)
	}
}

// On a phone's screen the SMTP terminal opens, a session can be typed
// and answered, and neither the page nor the diagram is wider than the
// window.
func TestSMTPOnAPhone(t *testing.T) {
	p := newPage(t)
	p.do(chromedp.EmulateViewport(390, 844))
	p.open("?proto=smtp&lang=en")
	p.waitScreen(1, "220 localhost ESMTP")
	p.smtpSend(1, "from a phone")
	p.waitScreen(1, "Ok: queued as ")
	p.waitScreen(1, "221 2.0.0 Bye")
	if w := eval[int](p, `document.documentElement.scrollWidth - window.innerWidth`); w > 0 {
		t.Errorf("the page is %dpx wider than the window", w)
	}
	for _, sel := range []string{" .screen", " .diagram", " .explain"} {
		r := eval[[]float64](p, fmt.Sprintf(`(r => [r.left, r.right, r.width])(document.querySelector('%s').getBoundingClientRect())`, term(1)+sel))
		if r[0] < 0 || r[1] > 390 || r[2] < 200 {
			t.Errorf("%s lies at %.0f..%.0f in a window 390px wide", sel, r[0], r[1])
		}
	}
	// The diagram is scaled to the window, not so much that its labels
	// are smaller than 9px.
	scale := eval[float64](p, `(s => s.getBoundingClientRect().width / s.viewBox.baseVal.width)(document.querySelector('[data-terminal="1"] .diagram'))`)
	if scale*11 < 9 {
		t.Errorf("the diagram is shown at %.2f of its size: 11px labels at %.1fpx", scale, scale*11)
	}
}

// SMTP's and LMTP's diagrams, with seven states and many edges, are
// readable in every language: no label overlaps another or a box or is
// crossed by an edge; edges of different transitions never run along
// one another; beside one terminal the diagram is shown at its own size.
// An edge that shares its lane and label (QUIT, from every state) is
// drawn on top and lights the label when taken.
func TestTheSMTPDiagramIsReadable(t *testing.T) {
	p := newPage(t)
	for _, proto := range []string{"smtp", "lmtp"} {
		for _, lang := range []string{"en", "ru", "sk"} {
			p.open("?proto=" + proto + "&lang=" + lang)
			for _, problem := range p.diagramProblems(1) {
				t.Errorf("%s, %s: %s", proto, lang, problem)
			}
			for _, problem := range p.sharedRuns(1) {
				t.Errorf("%s, %s: %s", proto, lang, problem)
			}
			if s := eval[float64](p, `(s => s.getBoundingClientRect().width / s.viewBox.baseVal.width)(document.querySelector('[data-terminal="1"] .diagram'))`); s < 0.99 {
				t.Errorf("%s, %s: the diagram is shown at %.2f of its size", proto, lang, s)
			}
		}
	}
	p.open("?proto=smtp&lang=en")
	labels := eval[int](p, `document.querySelectorAll('[data-terminal="1"] .edge[data-transition="12"] .edge-label').length`)
	edges := eval[int](p, `document.querySelectorAll('[data-terminal="1"] .edge[data-transition="12"]').length`)
	if edges != 6 || labels != 2 {
		t.Errorf("QUIT's (12): %d edges with %d labels, want 6 edges, one straight with its label and five sharing one", edges, labels)
	}
	p.send(1, "HELO client.example", "250")
	p.send(1, "MAIL FROM:<alex@example.org>", "250")
	p.send(1, "QUIT", "221")
	p.expectDiagram(1, "closed", "12")
	var taken struct {
		From string `json:"from"`
		Lit  []string
		Hot  string `json:"hot"`
		Path string `json:"path"`
	}
	js := `(() => {
		const svg = document.querySelector('[data-terminal="1"] .diagram');
		const g = svg.querySelector('.edge[data-active="true"]');
		return JSON.stringify({
			from: g.dataset.from,
			lit: [...svg.querySelectorAll('.edge-label')].filter(e => getComputedStyle(e).fontWeight === '700').map(e => e.parentElement.dataset.from + '>' + e.parentElement.dataset.to),
			hot: svg.querySelector('.edge-hot')?.getAttribute('d') ?? '',
			path: g.querySelector('path').getAttribute('d'),
		});
	})()`
	if err := json.Unmarshal([]byte(eval[string](p, js)), &taken); err != nil {
		t.Fatal(err)
	}
	if taken.From != "mail" || taken.Hot != taken.Path {
		t.Errorf("QUIT from MAIL: the active edge leaves %q and is drawn on top as %q (its path %q)", taken.From, taken.Hot, taken.Path)
	}
	// The lit label is the one the five (12) edges into CLOSED share.
	if len(taken.Lit) != 1 || !strings.HasSuffix(taken.Lit[0], ">closed") || taken.Lit[0] == "chunking>closed" {
		t.Errorf("labels lit after QUIT from MAIL: %q, want the shared (12)", taken.Lit)
	}
}

// sharedRuns reports straight stretches of two edges of different
// transitions (or into different states) that run along one another on
// one line, where a reader could not tell them apart.
func (p *page) sharedRuns(n int) []string {
	p.t.Helper()
	js := fmt.Sprintf(`(() => {
		const segs = [];
		for (const g of document.querySelectorAll('%s .diagram .edge')) {
			const key = g.dataset.transition + '>' + g.dataset.to;
			let x = 0, y = 0;
			for (const [, c, v] of g.querySelector('path').getAttribute('d').matchAll(/([MHV])([-\d.]+(?:,[-\d.]+)?)/g)) {
				const [a, b] = v.split(',').map(Number);
				if (c === 'M') { x = a; y = b; continue; }
				if (c === 'H') { segs.push({key, vertical: false, at: y, lo: Math.min(x, a), hi: Math.max(x, a)}); x = a; }
				else { segs.push({key, vertical: true, at: x, lo: Math.min(y, a), hi: Math.max(y, a)}); y = a; }
			}
		}
		const out = new Set();
		segs.forEach((s, i) => segs.slice(i + 1).forEach((o) => {
			if (s.key !== o.key && s.vertical === o.vertical && Math.abs(s.at - o.at) < 2 && Math.min(s.hi, o.hi) - Math.max(s.lo, o.lo) > 1)
				out.add('(' + s.key + ') and (' + o.key + ') run along one another at ' + (s.vertical ? 'x' : 'y') + '=' + s.at.toFixed(1));
		}));
		return JSON.stringify([...out]);
	})()`, term(n))
	var out []string
	if err := json.Unmarshal([]byte(eval[string](p, js)), &out); err != nil {
		p.t.Fatal(err)
	}
	return out
}
