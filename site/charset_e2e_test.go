package site

import (
	"strings"
	"testing"
)

// The demo's first message is in KOI8-R: RETR shows its bytes as telnet
// passes them, those that are not UTF-8 as \xNN (never U+FFFD), and says
// which charset they are in; the explain pane decodes the RFC 2047
// subject and the 8bit body with the charset and encodings named; the raw
// view shows every byte above 127 in hex.
func TestAKOI8RMessageIsShownAsBytesAndDecoded(t *testing.T) {
	for _, tc := range []struct{ proto, fetch, done string }{
		{"pop3", "RETR 1", ""},
		{"imap", "a3 FETCH 1 BODY[]", "a3 OK"},
	} {
		t.Run(tc.proto, func(t *testing.T) {
			p := newPage(t)
			p.open("?proto=" + tc.proto + "&lang=en")
			if tc.proto == "pop3" {
				p.send(1, "USER melanie", "+OK")
				p.send(1, "PASS toybox", "+OK")
			} else {
				p.send(1, "a1 LOGIN melanie toybox", "a1 OK")
				p.send(1, "a2 SELECT INBOX", "a2 OK")
			}
			from := len(p.log(1))
			p.typeLine(1, tc.fetch)
			if tc.done != "" {
				p.waitLog(1, from, "s", tc.done)
			} else {
				p.waitLog(1, from, "s", ".")
			}
			// \xf0\xd2\xc9\xd7\xc5\xd4 is «Привет» in KOI8-R.
			screen := p.waitScreen(1, `\xf0\xd2\xc9\xd7\xc5\xd4!`)
			p.waitScreen(1, "charset koi8-r")
			if strings.ContainsRune(screen, '\uFFFD') {
				t.Errorf("the terminal shows U+FFFD:\n%s", screen)
			}
			var transcript []string
			for _, l := range p.log(1) {
				transcript = append(transcript, l.Text)
			}
			if all := strings.Join(transcript, "\n"); strings.ContainsRune(all, '\uFFFD') || !strings.Contains(all, `\xf0\xd2\xc9\xd7\xc5\xd4!`) {
				t.Errorf("the transcript shows the body as:\n%s", all)
			}
			raw := eval[string](p, `document.querySelector('[data-terminal="1"] .raw').textContent`)
			if strings.ContainsRune(raw, '\uFFFD') || !strings.Contains(raw, `\xf0\xd2\xc9\xd7\xc5\xd4!`) {
				t.Errorf("the raw view shows the body as %q", raw)
			}
			explain := eval[string](p, `document.querySelector('[data-terminal="1"] .explain').textContent`)
			for _, want := range []string{"=?koi8-r?B?8NLJ18XUIQ==?=", "«Привет!»", "charset koi8-r, encoding base64", "charset koi8-r, Content-Transfer-Encoding 8bit", "Привет!\nЭто тестовое сообщение."} {
				if !strings.Contains(explain, want) {
					t.Errorf("the explain pane lacks %q:\n%s", want, explain)
				}
			}
			if found := eval[string](p, rawControlsJS); found != "" {
				t.Errorf("raw control characters in the page:\n%s", found)
			}
		})
	}
}
