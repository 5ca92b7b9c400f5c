package site

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// openJourneyLesson opens the lesson where the primary MX is down
// (mail-mx-fallback) at its sending step, on a phone-sized page, and
// returns the page and the MSA terminal.
func openJourneyLesson(t *testing.T) (*page, int) {
	t.Helper()
	p := newPage(t)
	p.do(chromedp.EmulateViewport(390, 844))
	p.open("?lang=en&lesson=mail-mx-fallback&step=2")
	p.waitJS(`document.getElementById('lesson-panel').dataset.lesson === 'mail-mx-fallback'`)
	n := greetedLessonTerm(p, "220 smtp.example.org")
	p.waitJS(`!document.getElementById('journey').hidden`)
	return p, n
}

// submitAcross sends melanie's message to mrose at the other domain from
// terminal n, and returns the reply to the dot.
func (p *page) submitAcross(n int, subject string) string {
	p.t.Helper()
	p.send(n, "EHLO client.example", "250 ")
	p.send(n, "AUTH PLAIN AG1lbGFuaWUAdG95Ym94", "235")
	p.send(n, "MAIL FROM:<melanie@example.org>", "250")
	p.send(n, "RCPT TO:<mrose@example.net>", "250")
	p.send(n, "DATA", "354")
	return last(p.sendMessage(n, []string{"Subject: " + subject, "", "Sent across the lab."}, "250"))
}

// journeyFrame is what the journey view showed at one moment: how many
// events, and each host box's name and status.
type journeyFrame struct {
	Shown int      `json:"shown"`
	Hosts []string `json:"hosts"`
}

// watchJourney records every picture the journey view draws from now on.
func (p *page) watchJourney() {
	p.do(chromedp.Evaluate[chromedp.Void](`(() => {
		const root = document.getElementById('journey');
		window.journeyFrames = [{shown: Number(root.dataset.shown), hosts: []}];
		const snap = () => {
			const shown = Number(root.dataset.shown);
			const f = window.journeyFrames;
			if (f.length && f[f.length - 1].shown === shown) return;
			f.push({shown, hosts: [...root.querySelectorAll('.jr-host')].map(e => e.dataset.host + ' ' + e.className.replace('jr-host ', ''))});
		};
		new MutationObserver(snap).observe(root, {attributes: true, attributeFilter: ['data-shown']});
	})()`))
}

func (p *page) journeyFrames() []journeyFrame {
	p.t.Helper()
	var out []journeyFrame
	if err := json.Unmarshal([]byte(eval[string](p, `JSON.stringify(window.journeyFrames)`)), &out); err != nil {
		p.t.Fatal(err)
	}
	return out
}

// hostStatus is the status of host's box in frame f, "" when absent.
func (f journeyFrame) hostStatus(host string) string {
	for _, h := range f.Hosts {
		if i := strings.LastIndex(h, " "); i >= 0 && h[:i] == host {
			return h[i+1:]
		}
	}
	return ""
}

// A learner sends from example.org to a user of example.net: the journey
// view advances one event at a time (the primary MX does not answer, the
// secondary takes the mail, the LDA delivers it), each hop opens its
// transcript, envelope and header stand side by side, and the message
// arrives in the other terminal, on a phone's screen.
func TestTheJourneyViewFollowsAMessageToTheOtherDomain(t *testing.T) {
	p, n := openJourneyLesson(t)
	p.waitJS(`document.querySelector('#journey .jr-steps').textContent.includes('Send a message from the terminal')`)
	if got := eval[[]string](p, `[...document.querySelectorAll('#journey .jr-host')].map(e => e.dataset.role + ' ' + e.dataset.host)`); !slices.Equal(got, []string{
		"mua melanie@example.org", "msa smtp.example.org", "mx mx1.example.net", "mx mx2.example.net", "lda lmtp.example.net", "mailbox mrose@example.net", "client POP3 / IMAP"}) {
		t.Errorf("boxes before sending: %q", got)
	}
	p.watchJourney()
	if reply := p.submitAcross(n, "Across the lab"); !strings.HasPrefix(reply, "250 2.0.0") {
		t.Fatalf("the dot was answered %q", reply)
	}
	// submitted, lookup, unreachable, hop, hop, delivered, relayed
	p.waitJS(`document.getElementById('journey').dataset.shown === '7'`)
	frames := p.journeyFrames()
	var shown []int
	for _, f := range frames {
		shown = append(shown, f.Shown)
	}
	if !slices.Equal(shown, []int{0, 1, 2, 3, 4, 5, 6, 7}) {
		t.Errorf("the view showed %v events in turn, want one more each time: 0 to 7", shown)
	}
	// Frame by frame: mx1 does not answer before mx2 is in session, the
	// LDA after mx2, the mailbox last.
	want := []map[string]string{
		{"msa smtp.example.org": "done", "mx1.example.net": "idle", "mx2.example.net": "idle"},
		{"mx1.example.net": "idle", "mx2.example.net": "idle"},
		{"mx1.example.net": "down", "mx2.example.net": "idle"},
		{"mx1.example.net": "down", "mx2.example.net": "active", "lmtp.example.net": "idle"},
		{"mx2.example.net": "active", "lmtp.example.net": "active", "mrose@example.net": "idle"},
		{"lmtp.example.net": "done", "mrose@example.net": "done"},
		{"mx1.example.net": "down", "mx2.example.net": "done", "lmtp.example.net": "done", "mrose@example.net": "done", "POP3 / IMAP": "idle"},
	}
	for _, f := range frames {
		if f.Shown < 1 || f.Shown > len(want) {
			continue
		}
		for host, status := range want[f.Shown-1] {
			host = strings.TrimPrefix(host, "msa ")
			if got := f.hostStatus(host); got != status {
				t.Errorf("after %d events %s is %q, want %q (%v)", f.Shown, host, got, status, f.Hosts)
			}
		}
	}

	if text := eval[string](p, `document.getElementById('journey').textContent`); strings.Contains(text, "null") || strings.Contains(text, "undefined") {
		t.Errorf("the journey view shows null or undefined: %s", text)
	}
	// The SMTP hop to mx2 opens its transcript, read-only.
	p.click(`#journey button.jr-hop`)
	p.waitJS(`document.querySelector('#journey .jr-transcript') !== null`)
	tr := eval[string](p, `document.querySelector('#journey .jr-transcript').textContent`)
	for _, w := range []string{"S: 220 mx2.example.net", "C: EHLO smtp.example.org", "C: MAIL FROM:<melanie@example.org>", "C: RCPT TO:<mrose@example.net>", "C: DATA", "S: 250 2.0.0"} {
		if !strings.Contains(tr, w) {
			t.Errorf("the hop's transcript lacks %q:\n%s", w, tr)
		}
	}
	if k := eval[int](p, `document.querySelectorAll('#journey .jr-transcript input, #journey .jr-transcript textarea, #journey .jr-transcript [contenteditable]').length`); k != 0 {
		t.Errorf("the transcript has %d editable parts", k)
	}
	// Envelope and header side by side: RCPT TO at each hop, the header
	// with its Received: chain as the LDA got it.
	env := eval[string](p, `document.querySelector('#journey .jr-envhdr .jr-col').textContent`)
	if c := strings.Count(env, "RCPT TO:<mrose@example.net>"); c != 3 {
		t.Errorf("the envelope names mrose %d times, want 3 (MSA, mx2, LDA): %s", c, env)
	}
	hdr := eval[[]string](p, `[...document.querySelectorAll('#journey .jr-header > span')].map(e => e.textContent)`)
	received := 0
	for _, l := range hdr {
		if strings.HasPrefix(l, "Received: ") {
			received++
		}
	}
	if received != 2 || !slices.Contains(hdr, "Subject: Across the lab") || !slices.Contains(hdr, "To: <mrose@example.net>") && !slices.ContainsFunc(hdr, func(s string) bool { return strings.HasPrefix(s, "Message-ID:") }) {
		t.Errorf("the header as the LDA got it: %q", hdr)
	}
	if side := eval[[]float64](p, `[...document.querySelectorAll('#journey .jr-envhdr .jr-col')].map(e => e.getBoundingClientRect().top)`); len(side) != 2 || side[0] != side[1] {
		t.Errorf("envelope and header are not side by side: tops %v", side)
	}

	// The DNS panel answers as dig does.
	p.click(`#journey .jr-dig-form button[type="submit"]`)
	p.waitJS(`document.querySelector('#journey .jr-dig-out').textContent.includes('20 mx2.example.net.')`)

	// Step 3: the other terminal reads the message with POP3.
	p.waitStep(3)
	p.click(`button[data-action="connect pop"]`)
	p.waitJS(`lessonPanel.terms.get('pop') !== undefined`)
	r := eval[int](p, `lessonPanel.terms.get('pop')`)
	p.waitLog(r, 0, "s", "+OK")
	p.send(r, "USER mrose", "+OK")
	p.send(r, "PASS tanstaaf", "+OK")
	p.send(r, "RETR 1", "+OK")
	p.waitScreen(r, "Subject: Across the lab")
	p.waitJS(`document.querySelector('#journey .jr-host[data-role="client"]').classList.contains('done')`)
	p.waitJS(`(s => s.progress.step === 2 && s.goals.length === 2 && s.goals.every(g => g.met))(JSON.parse(maillabLesson.status().value))`)

	if w := eval[int](p, `document.documentElement.scrollWidth - window.innerWidth`); w > 0 {
		t.Errorf("the page is %dpx wider than the phone", w)
	}
	if out := eval[string](p, `[...document.querySelectorAll('#journey .jr-host, #journey .jr-box')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5).map(e => e.className).join(' | ')`); out != "" {
		t.Errorf("parts of the journey view run past a 390px screen: %s", out)
	}
}

// A fault rule set in the page keeps the next message queued with its
// retry time; stepping the lab clock delivers it, and the control's
// words come from the catalogue of the page's language.
func TestAFaultFromThePageQueuesAndTheClockStepDelivers(t *testing.T) {
	p, n := openJourneyLesson(t)
	p.click(`#journey .jr-fault summary`)
	set := func(sel, v string) {
		js, _ := json.Marshal(v)
		p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(e => { e.value = %s; e.dispatchEvent(new Event(e.tagName === 'SELECT' ? 'change' : 'input', {bubbles: true})); })(document.querySelector(%q))`, js, sel)))
	}
	set(`#journey [data-focus="fault-host"]`, "mx2.example.net")
	set(`#journey [data-focus="fault-command"]`, "RCPT")
	set(`#journey [data-focus="fault-reply"]`, "452 4.2.2 Mailbox full\x07")
	p.click(`#journey [data-focus="fault-add"]`)
	p.waitJS(`document.querySelector('#journey .jr-faults') !== null`)
	if rule := eval[string](p, `document.querySelector('#journey .jr-faults').textContent`); !strings.Contains(rule, "mx2.example.net answers RCPT") || strings.Contains(rule, "\x07") {
		t.Errorf("the rule reads %q", rule)
	}
	p.submitAcross(n, "Queued")
	p.waitJS(`document.querySelector('#journey .jr-queue tbody tr') !== null`)
	row := eval[[]string](p, `[...document.querySelectorAll('#journey .jr-queue tbody td')].map(e => e.textContent)`)
	if len(row) != 5 || row[1] != "mrose@example.net" || row[2] != "1" || !strings.Contains(row[4], "Mailbox full^G") {
		t.Errorf("the queue row is %q", row)
	}
	p.waitJS(`document.querySelector('#journey .jr-host[data-host="mx2.example.net"]').classList.contains('failed')`)
	p.click(`#journey button[data-step="300"]`)
	p.waitJS(`document.querySelector('#journey .jr-queue') === null`)
	p.waitJS(`document.querySelector('#journey .jr-host[data-role="mailbox"]').classList.contains('done')`)

	// Lab time runs at the chosen speed.
	set(`#journey [data-focus="speed"]`, "3600")
	p.waitJS(`document.querySelector('#journey .jr-clock').textContent.includes('running ×3600')`)

	p.open("?lang=ru&lesson=mail-mx-fallback&step=2")
	p.waitJS(`!document.getElementById('journey').hidden`)
	if h := eval[string](p, `document.querySelector('#journey h2').textContent`); h != "Путь письма" {
		t.Errorf("the Russian page calls the view %q", h)
	}
}

// A lesson step whose solution lets lab time pass (":wait 5m") offers it
// as a button in the page: the greylisted message waits in the queue
// until the button moves the lab clock on, then the retry delivers it and
// the step is met.
func TestALessonsWaitIsAButton(t *testing.T) {
	p := newPage(t)
	p.open("?lang=en&lesson=mail-queue-retries")
	p.waitJS(`document.getElementById('lesson-panel').dataset.lesson === 'mail-queue-retries'`)
	n := greetedLessonTerm(p, "220 smtp.example.org")
	if reply := p.submitAcross(n, "Queued"); !strings.HasPrefix(reply, "250") {
		t.Fatalf("the MSA answered the dot with %q", reply)
	}
	p.waitStep(2)
	if got := eval[string](p, `document.querySelector('.lesson-step button[data-action="wait 5m"]')?.textContent || ''`); got != "Let 5m of lab time pass" {
		t.Fatalf("the wait button reads %q", got)
	}
	if eval[string](p, `document.getElementById('lesson-panel').dataset.step`) != "2" {
		t.Fatal("the step was met before lab time passed")
	}
	p.click(`.lesson-step button[data-action="wait 5m"]`)
	p.waitStep(3)
}
