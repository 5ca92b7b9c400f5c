package site

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"encoding/base64"
	"fmt"
	"io/fs"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"
)

// holdingFull serves the site with lab.wasm held back until release is
// closed; served counts the times it was sent.
func holdingFull(t *testing.T) (p *page, release func(), served *atomic.Int32) {
	t.Helper()
	held := make(chan struct{})
	served = new(atomic.Int32)
	p = newPageServing(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/lab.wasm" {
				select {
				case <-held:
				case <-r.Context().Done():
					return
				}
				served.Add(1)
			}
			h.ServeHTTP(w, r)
		})
	})
	var once bool
	release = func() {
		if !once {
			once = true
			close(held)
		}
	}
	t.Cleanup(release)
	return p, release, served
}

// imapExists logs user into a new IMAP terminal and returns the number
// SELECT INBOX says exists.
func imapExists(p *page, user, password string) string {
	p.t.Helper()
	n := eval[int](p, `lab.openTerminal('imap')`)
	p.waitJS(`document.querySelector('` + term(n) + ` [role="log"] > [data-dir="s"]') !== null`)
	p.send(n, "a1 LOGIN "+user+" "+password, "a1 OK")
	for _, l := range p.send(n, "a2 SELECT INBOX", "a2 OK") {
		if n, ok := strings.CutSuffix(l.Text, " EXISTS"); ok {
			return strings.TrimPrefix(n, "* ")
		}
	}
	p.t.Fatalf("SELECT INBOX as %s said no EXISTS", user)
	return ""
}

// TestTheFirstModuleHandsItsSessionsOver: the home page greets from
// boot.wasm (POP3 alone) before lab.wasm is even sent; what the learner
// does meanwhile (a login, a message marked deleted, a session that
// committed a deletion with QUIT, a line half typed) carries on in the
// full simulator once it serves, as if it had served from the start: an
// AUTH CRAM-MD5 exchange begun there is finished with the answer to the
// random challenge the first module sent (the session's tape), and an
// APOP login, which answers the greeting's timestamp, goes on. The
// mailboxes handed over are then kept in IndexedDB.
func TestTheFirstModuleHandsItsSessionsOver(t *testing.T) {
	p, release, served := holdingFull(t)
	p.do(chromedp.Navigate(p.base + "/?lang=en"))
	p.waitJS(`document.body.dataset.ready === 'true'`)
	p.waitJS(`document.querySelector('[data-terminal="1"] [role="log"] > [data-dir="s"]') !== null`)

	p.send(1, "USER melanie", "+OK")
	p.send(1, "PASS toybox", "+OK")
	p.send(1, "DELE 1", "+OK")
	if got := p.send(1, "STAT", "+OK"); !strings.HasPrefix(got[len(got)-1].Text, "+OK 4 ") {
		t.Errorf("STAT after DELE 1 in the first module: %+v", got)
	}
	p.do(chromedp.Click(chromedp.CSS("#new-term")))
	p.waitJS(`document.querySelector('[data-terminal="2"] [role="log"] > [data-dir="s"]') !== null`)
	p.send(2, "USER mrose", "+OK")
	p.send(2, "PASS tanstaaf", "+OK")
	p.send(2, "DELE 2", "+OK")
	p.send(2, "QUIT", "+OK")
	p.do(chromedp.Click(chromedp.CSS("#new-term")))
	p.waitJS(`document.querySelector('[data-terminal="3"] [role="log"] > [data-dir="s"]') !== null`)
	challenge := p.send(3, "AUTH CRAM-MD5", "+ ")
	// APOP answers the greeting's timestamp, which the full simulator
	// must greet with too.
	p.do(chromedp.Click(chromedp.CSS("#new-term")))
	p.waitJS(`document.querySelector('[data-terminal="4"] [role="log"] > [data-dir="s"]') !== null`)
	stamp := regexp.MustCompile(`<[^<>]+>`).FindString(p.log(4)[0].Text)
	p.send(4, fmt.Sprintf("APOP alex %x", md5.Sum([]byte(stamp+"drums"))), "+OK")
	// Half a line in terminal 1, not yet sent.
	p.do(chromedp.Focus(chromedp.CSS(term(1)+" textarea.xterm-helper-textarea"), chromedp.NodeReady), keys("LIS"))

	if served.Load() != 0 || eval[bool](p, `document.body.dataset.full !== undefined`) {
		t.Fatal("the full simulator was sent before it was released")
	}
	if got := eval[[]string](p, `[...document.getElementById('proto').options].map(o => o.value)`); !slices.Equal(got, []string{"pop3"}) {
		t.Errorf("the protocols offered by the first module: %v", got)
	}
	if got := eval[string](p, `document.getElementById('status').textContent`); !strings.Contains(got, "the rest is loading") {
		t.Errorf("the status line while the first module serves: %q", got)
	}

	release()
	p.waitJS(`document.body.dataset.full === 'true'`)
	if got := eval[[]string](p, `[...document.getElementById('proto').options].map(o => o.value)`); !slices.Contains(got, "imap") || !slices.Contains(got, "smtp") {
		t.Errorf("the protocols offered by the full simulator: %v", got)
	}
	if got := eval[string](p, `document.getElementById('status').textContent`); got != "Ready." {
		t.Errorf("the status line once the full simulator serves: %q", got)
	}
	p.expectDiagram(1, "transaction", "login")
	// The rest of the line, then Enter: the full simulator answers for
	// the session the first module began.
	from := len(p.log(1))
	p.typeLine(1, "T")
	p.waitLog(1, from, "s", ".")
	if got := p.log(1)[from:]; len(got) < 2 || got[0] != (logLine{"c", "LIST"}) || !strings.HasPrefix(got[1].Text, "+OK 4 ") || slices.Contains(got, logLine{"s", "1 332"}) {
		t.Errorf("LIST after the hand-over: %+v", got)
	}
	p.send(1, "RETR 1", "-ERR")
	p.send(4, "STAT", "+OK 1 ")
	p.send(1, "QUIT", "+OK")
	// The answer to the challenge the first module sent, in the full one.
	ch, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(challenge[len(challenge)-1].Text, "+ "))
	if err != nil {
		t.Fatalf("the CRAM-MD5 challenge %+v: %v", challenge, err)
	}
	mac := hmac.New(md5.New, []byte("tanstaaf"))
	mac.Write(ch)
	p.send(3, base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "mrose %x", mac.Sum(nil))), "+OK mrose's maildrop has 1 ")

	if got := imapExists(p, "melanie", "toybox"); got != "4" {
		t.Errorf("melanie's INBOX after the hand-over: %s messages, want 4", got)
	}
	if got := imapExists(p, "mrose", "tanstaaf"); got != "1" {
		t.Errorf("mrose's INBOX after the hand-over: %s messages, want 1", got)
	}

	// Kept: a reload starts from them.
	awaitJS[bool](p, `lab.flush().then(() => true)`)
	p.open("?lang=en")
	if got := imapExists(p, "melanie", "toybox"); got != "4" {
		t.Errorf("melanie's INBOX after a reload: %s messages, want 4", got)
	}
	if got := imapExists(p, "mrose", "tanstaaf"); got != "1" {
		t.Errorf("mrose's INBOX after a reload: %s messages, want 1", got)
	}
}

// TestTheFirstModuleCarriesPOP3Alone: boot.wasm has the POP3 server and
// the store, and none of what only the full simulator needs. Go keeps
// function names in a stripped module, so they would be seen.
func TestTheFirstModuleCarriesPOP3Alone(t *testing.T) {
	dist := builtSite(t)
	boot, err := fs.ReadFile(dist, "boot.wasm")
	if err != nil {
		t.Fatal(err)
	}
	full, err := fs.ReadFile(dist, "lab.wasm")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"maillab/sim/pop3.", "maillab/sim/mailstore."} {
		if !bytes.Contains(boot, []byte(name)) {
			t.Errorf("boot.wasm has no %s", name)
		}
	}
	for _, name := range []string{"maillab/sim/imap.", "maillab/sim/smtp.", "maillab/sim/lesson.", "maillab/sim/mailpath.", "encoding/json.(*decodeState)", "hackpadfs/indexeddb."} {
		if bytes.Contains(boot, []byte(name)) {
			t.Errorf("boot.wasm carries %s", name)
		}
		if !bytes.Contains(full, []byte(name)) {
			t.Errorf("lab.wasm has no %s: the test looks for a name that is not there", name)
		}
	}
}

// On the home page the full simulator is fetched once the first module's
// greeting is on the screen, not before: on a machine of two cores its
// compile had held the greeting up.
func TestTheFullModuleIsFetchedAfterTheGreeting(t *testing.T) {
	p := newPage(t)
	p.open("?lang=en")
	got := eval[map[string]float64](p, `({ greeting: globalThis.labTimings.greeting, upgrade: globalThis.labTimings.upgrade })`)
	if !(got["greeting"] > 0) || !(got["upgrade"] > got["greeting"]) {
		t.Errorf("the greeting at %.0f ms, the full module fetched from %.0f ms: want it fetched after the greeting", got["greeting"], got["upgrade"])
	}
}

// TestASessionWhoseTapeWasLostIsClosedAtTheHandOver: a session of the
// first module that read the clock more often than a tape keeps (a line
// read is one reading; here 1,100 lines came at once) has no tape to hand
// over. Replayed without it, it greets with another APOP timestamp, so
// the full simulator does not take it over: it is closed, its terminal
// says why, and Enter connects again, to the full simulator.
func TestASessionWhoseTapeWasLostIsClosedAtTheHandOver(t *testing.T) {
	p, release, _ := holdingFull(t)
	p.do(chromedp.Navigate(p.base + "/?lang=en"))
	p.waitJS(`document.body.dataset.ready === 'true'`)
	p.waitJS(`document.querySelector('[data-terminal="1"] [role="log"] > [data-dir="s"]') !== null`)
	eval[bool](p, `maillab.write(document.querySelector('[data-terminal="1"]').dataset.session, 'NOOP\r\n'.repeat(1100)), true`)
	p.waitJS(`document.querySelectorAll('[data-terminal="1"] [role="log"] > [data-dir="s"]').length === 1101`)
	release()
	p.waitJS(`document.body.dataset.full === 'true'`)
	p.waitScreen(1, "The full simulator could not take this session over")
	p.waitJS(`document.querySelector('[data-terminal="1"]').dataset.closed === 'true'`)
	from := len(p.log(1))
	p.typeLine(1, "")
	p.waitLog(1, from, "s", "+OK POP3 server ready")
	p.send(1, "USER melanie", "+OK")
	p.send(1, "PASS toybox", "+OK")
}
