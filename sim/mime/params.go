package mime

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// This is the one parser of Content-Type and Content-Disposition values:
// BODYSTRUCTURE shows its parameters, multipart splitting takes the
// boundary from it, body decoding the charset, Filename the file name.
// mime.ParseMediaType is no use here: it rejects a whole field for a
// comment (RFC 5322 CFWS, allowed between the tokens of these structured
// fields, RFC 2045 section 5.1), a duplicate parameter or an unquoted
// space, and returns a map, losing the order and the raw values that
// BODYSTRUCTURE must show.

// parseParams splits a Content-Type or Content-Disposition value into its
// leading value (comments removed, blanks trimmed) and its parameters, in
// header order, values as written (quotes removed). As in Dovecot:
// comments are dropped; a duplicate parameter is kept (lookups take the
// first); an unquoted value ends at a blank or comment ("name=a b.txt" is
// "a"); a parameter without a name or value, or with an unclosed quoted
// string, is dropped. Unlike Dovecot, an unquoted value may hold tspecials
// such as "=" or "/" (RFC 2045 wants them quoted, but a boundary like
// ----=_Part_1 is common and still splits the body). RFC 2231
// continuations (name*0, name*1...) are joined into one parameter, named
// "name*" when the first section is charset-encoded, as Dovecot shows them.
func parseParams(v string) (head string, params []Param) {
	s := scanner{s: stripComments(v)}
	head = strings.TrimSpace(s.until(';'))
	for s.skip(';') {
		name := strings.TrimSpace(s.until2('=', ';'))
		if !s.skip('=') || name == "" || strings.ContainsAny(name, " \t\"") {
			s.until(';')
			continue
		}
		if value, ok := s.value(); ok {
			params = append(params, Param{Name: name, Value: value})
		}
		s.until(';') // junk after the value
	}
	return head, joinContinuations(params)
}

// stripComments replaces every comment, "(" to its matching ")" with
// nesting and quoted-pairs (RFC 5322 section 3.2.2), by a space, leaving
// quoted strings alone. An unclosed comment runs to the end.
func stripComments(v string) string {
	if !strings.Contains(v, "(") {
		return v
	}
	var b strings.Builder
	depth, quoted := 0, false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '\\' && (quoted || depth > 0) && i+1 < len(v):
			if depth == 0 {
				b.WriteString(v[i : i+2])
			}
			i++
		case depth > 0:
			switch c {
			case '(':
				depth++
			case ')':
				if depth--; depth == 0 {
					b.WriteByte(' ')
				}
			}
		case c == '"':
			quoted = !quoted
			b.WriteByte(c)
		case c == '(' && !quoted:
			depth = 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// scanner walks a parameter list with its comments removed.
type scanner struct {
	s string
	i int
}

// until returns the text up to (not including) stop, outside quotes.
func (s *scanner) until(stop byte) string { return s.until2(stop, stop) }

func (s *scanner) until2(a, b byte) string {
	start := s.i
	quoted := false
	for ; s.i < len(s.s); s.i++ {
		switch c := s.s[s.i]; {
		case c == '\\' && quoted:
			s.i++
		case c == '"':
			quoted = !quoted
		case !quoted && (c == a || c == b):
			return s.s[start:s.i]
		}
	}
	s.i = len(s.s)
	return s.s[start:]
}

func (s *scanner) skip(c byte) bool {
	if s.i < len(s.s) && s.s[s.i] == c {
		s.i++
		return true
	}
	return false
}

// value reads a quoted-string (with backslash escapes) or an unquoted value
// up to a blank, ";" or quote; ok is false for an empty unquoted value or an
// unclosed quoted string.
func (s *scanner) value() (string, bool) {
	for s.i < len(s.s) && (s.s[s.i] == ' ' || s.s[s.i] == '\t') {
		s.i++
	}
	if !s.skip('"') {
		start := s.i
		for s.i < len(s.s) && !strings.ContainsRune(" \t;\"", rune(s.s[s.i])) {
			s.i++
		}
		return s.s[start:s.i], s.i > start
	}
	var b strings.Builder
	for s.i < len(s.s) && s.s[s.i] != '"' {
		if s.s[s.i] == '\\' && s.i+1 < len(s.s) {
			s.i++
		}
		b.WriteByte(s.s[s.i])
		s.i++
	}
	return b.String(), s.skip('"')
}

// joinContinuations merges RFC 2231 section 3 parameter continuations.
func joinContinuations(params []Param) []Param {
	out := params[:0:0]
	index := map[string]int{} // base name (lower case) -> position in out
	for _, p := range params {
		base, section, encoded, ok := continuation(p.Name)
		if !ok {
			out = append(out, p)
			continue
		}
		key := strings.ToLower(base)
		if at, seen := index[key]; seen && section > 0 {
			out[at].Value += p.Value
			continue
		}
		name := base
		if encoded {
			name += "*"
		}
		index[key] = len(out)
		out = append(out, Param{Name: name, Value: p.Value})
	}
	return out
}

// continuation parses "name*N" or "name*N*".
func continuation(name string) (base string, section int, encoded, ok bool) {
	base, rest, found := strings.Cut(name, "*")
	if !found || rest == "" {
		return "", 0, false, false
	}
	rest, encoded = strings.CutSuffix(rest, "*")
	n, err := strconv.Atoi(rest)
	if err != nil || n < 0 {
		return "", 0, false, false
	}
	return base, n, encoded, true
}

// paramValue returns the value of parameter name among params, decoded to
// UTF-8: an RFC 2231 "name*" (charset'language'percent-encoded, in any
// charset go-message knows) is preferred to a plain "name", whose RFC 2047
// words are decoded. The first of duplicates counts, as in Dovecot.
func paramValue(params []Param, name string) (string, bool) {
	plain, found := "", false
	for _, p := range params {
		switch {
		case strings.EqualFold(p.Name, name+"*"):
			if v, ok := decode2231(p.Value); ok {
				return v, true
			}
		case strings.EqualFold(p.Name, name) && !found:
			plain, found = decodeWords(p.Value), true
		}
	}
	return plain, found
}

// decode2231 decodes an RFC 2231 section 4 value: charset'language'text
// with %XX escapes.
func decode2231(v string) (string, bool) {
	cs, rest, ok := strings.Cut(v, "'")
	if !ok {
		return "", false
	}
	_, text, ok := strings.Cut(rest, "'")
	if !ok {
		return "", false
	}
	raw, ok := PercentDecode(text)
	if !ok {
		return "", false
	}
	if cs == "" || strings.EqualFold(cs, "us-ascii") || strings.EqualFold(cs, "utf-8") {
		return raw, utf8.ValidString(raw)
	}
	out, err := ToUTF8(cs, []byte(raw))
	return string(out), err == nil
}

// PercentDecode undoes %XX escapes: RFC 2231's in parameter values, RFC
// 3986's in URLs (IMAP URLs, RFC 5092). It reports false for a malformed
// escape.
func PercentDecode(s string) (string, bool) {
	if !strings.Contains(s, "%") {
		return s, true
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", false
		}
		n, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
		if err != nil {
			return "", false
		}
		b.WriteByte(byte(n))
		i += 2
	}
	return b.String(), true
}
