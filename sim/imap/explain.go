package imap

import (
	"fmt"

	"maillab/sim/catalog"
	"maillab/sim/event"
	"maillab/sim/lineio"
)

// texts is the IMAP catalogue (package catalog): the explanation of each
// response under its key, taking fmt arguments in the order the callers
// pass them; what each role means as role.<role>; the state machine's
// titles and labels. It is read on first use.
var texts = catalog.Get("imap")

// hasText reports whether the catalogue has key, in English at least.
func hasText(key string) bool {
	_, ok := texts.Lookup(catalog.Source, key)
	return ok
}

// hasRole reports whether the catalogue says what r means.
func hasRole(r role) bool { return hasText("role." + string(r)) }

// explain emits the Explain event for the response just sent, with, when
// the host reads them, the text for key and the response's parts in the
// session's language.
func (s *Session) explain(key string, args ...any) { s.Explain(s.explanation(key, args...)) }

// explainMessage is explain(key, seq) for a response sent once per
// message (FETCH, EXPUNGE), which makes nothing for its explanation when
// the host reads none.
func (s *Session) explainMessage(key string, seq uint32) {
	if !s.Explaining() {
		s.Explain(event.Event{Command: s.cmd})
		return
	}
	s.explain(key, seq)
}

// explanation is the Explain event of the response just sent: the
// command answered and, when the host reads them, the text for key and
// the response's parts, completed with what sim/sasl says.
func (s *Session) explanation(key string, args ...any) event.Event {
	e := event.Event{Command: s.cmd}
	if !s.Explaining() {
		return e
	}
	e.Text = s.text(key, args...)
	for _, p := range s.partsOf(s.lastResp) {
		e.Parts = append(e.Parts, event.Part{Token: lineio.Printable(p.token), Meaning: s.meaning(p)})
	}
	s.saslMeanings(&e)
	return e
}

// meaning is what a part's role means in the session's language, English
// when the language has none.
func (s *Session) meaning(p part) string {
	m, _ := texts.Lookup(s.o.Lang, "role."+string(p.role))
	if len(p.args) == 0 {
		return m
	}
	return fmt.Sprintf(m, p.args...)
}

// text is the catalogue text for key in the session's language, English
// when the language has none.
func (s *Session) text(key string, args ...any) string {
	return texts.Text(s.o.Lang, key, args...)
}

// explainOK explains a tagged OK: a command-specific text when the
// catalogue has one, else the generic one.
func (s *Session) explainOK() {
	switch {
	case !s.Explaining():
		s.Explain(event.Event{Command: s.cmd})
	case hasText("ok." + s.cmd):
		s.explain("ok." + s.cmd)
	default:
		s.explain("ok", s.cmd)
	}
}
