package imap

import (
	"strings"

	"maillab/sim/catalog"
	"maillab/sim/event"
	"maillab/sim/sasl"
)

// saslMeanings completes an explanation with what sim/sasl says. An AUTH=
// capability this package's roles do not explain is explained by the
// mechanism's own description, the same for every protocol. During AUTHENTICATE, the response to a
// step carries the fields of the client's response and of the challenge
// sent: a "+" continuation shows them in place of its base64 text, the
// tagged completion after its own parts.
func (s *Session) saslMeanings(e *event.Event) {
	for i, p := range e.Parts {
		mech, ok := strings.CutPrefix(p.Token, "AUTH=")
		if _, own := texts.Lookup(catalog.Source, "role.cap."+p.Token); ok && !own && sasl.Supported(mech) {
			e.Parts[i].Meaning = sasl.Describe(s.o.Lang, mech)
		}
	}
	if s.saslParts == nil {
		return
	}
	if len(e.Parts) > 0 && e.Parts[0].Token == "+" {
		e.Parts = e.Parts[:1]
	}
	e.Parts = append(e.Parts, s.saslParts...)
	s.saslParts = nil
}
