package sasl

import (
	"unicode/utf8"

	"maillab/sim/catalog"
	"maillab/sim/event"
	"maillab/sim/lineio"
)

// Mask stands for a password wherever an explanation would show it. It
// has the same length whatever the password's, which it must not tell.
const Mask = "••••••"

// texts is the catalogue of the explanations: texts/<lang>/sasl.json.
var texts = catalog.Get("sasl")

// note is one field a step read or wrote: its token and the key of what
// it means, with the text's arguments.
type note struct {
	token string
	key   string
	args  []any
}

// maxToken is how many characters of a field a token shows.
const maxToken = 72

func token(s string) string {
	s = lineio.Printable(s)
	if utf8.RuneCountInString(s) <= maxToken {
		return s
	}
	return string([]rune(s)[:maxToken-1]) + "…"
}

// heard notes a field of the client's response.
func (s *server) heard(tok, key string, args ...any) {
	if tok != "" {
		s.said = append(s.said, note{token(tok), key, args})
	}
}

// ask notes a field of the challenge being sent.
func (s *server) ask(tok, key string, args ...any) {
	if tok != "" {
		s.asked = append(s.asked, note{token(tok), key, args})
	}
}

func (s *server) Explain(lang string) []event.Part {
	var out []event.Part
	add := func(n note) {
		out = append(out, event.Part{Token: n.token, Meaning: texts.Text(lang, n.key, n.args...)})
	}
	for _, n := range s.said {
		add(n)
	}
	if len(s.challenge) > 0 {
		add(note{token(Encode(s.challenge)), "challenge", nil})
	}
	for _, n := range s.asked {
		add(n)
	}
	return out
}

// Describe says in lang what a mechanism is, for a list of mechanisms
// (POP3's AUTH and CAPA, IMAP's AUTH= capabilities).
func Describe(lang, mech string) string { return texts.Text(lang, "mech."+mech) }
