package event

import (
	"unicode/utf8"
)

// MarshalJSON writes e as encoding/json would from its field tags, byte
// for byte, without reflection: events are what every host sends on, one
// per line of a session, and the page's first module (POP3 alone) is built
// without encoding/json to greet sooner.
func (e Event) MarshalJSON() ([]byte, error) {
	return e.AppendJSON(make([]byte, 0, 128+len(e.Line)+len(e.Text))), nil
}

// AppendJSON appends e's JSON to b.
func (e Event) AppendJSON(b []byte) []byte {
	b = append(b, `{"kind":`...)
	b = appendString(b, string(e.Kind))
	b = field(b, "session", e.Session)
	b = append(b, `,"proto":`...)
	b = appendString(b, e.Proto)
	b = append(b, `,"state":`...)
	b = appendString(b, e.State)
	b = field(b, "line", e.Line)
	b = field(b, "command", e.Command)
	b = field(b, "tag", e.Tag)
	b = field(b, "status", e.Status)
	b = field(b, "code", e.Code)
	if e.Secret {
		b = append(b, `,"secret":true`...)
	}
	b = field(b, "from", e.From)
	b = field(b, "to", e.To)
	b = field(b, "transition", e.Transition)
	b = field(b, "trigger", e.Trigger)
	b = field(b, "text", e.Text)
	if len(e.Parts) > 0 {
		b = append(b, `,"parts":[`...)
		for i, p := range e.Parts {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"token":`...)
			b = appendString(b, p.Token)
			b = append(b, `,"meaning":`...)
			b = appendString(b, p.Meaning)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(e.Allowed) > 0 {
		b = append(b, `,"allowed":[`...)
		for i, s := range e.Allowed {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, s)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// field appends an omitempty string field.
func field(b []byte, name, v string) []byte {
	if v == "" {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendString(b, v)
}

const hex = "0123456789abcdef"

// appendString quotes s as encoding/json does: HTML's <, > and & escaped,
// control characters as \n, \t... or \u00XX, invalid UTF-8 as U+FFFD,
// and U+2028 and U+2029 escaped for JavaScript.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
