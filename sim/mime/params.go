package mime

import (
	"strconv"
	"strings"
)

// splitParams splits a Content-Type or Content-Disposition value into its
// leading value and its parameters, in header order and with values as
// written (quotes removed). BODYSTRUCTURE must show parameters this way:
// mime.ParseMediaType (used for the decoded values) returns a map, loses
// the order and decodes RFC 2231 values into 8-bit text that an IMAP quoted
// string cannot carry. RFC 2231 continuations (name*0, name*1...) are joined
// into one parameter, named "name*" when the first section is
// charset-encoded, as Dovecot shows them.
func splitParams(v string) (head string, params []Param) {
	s := scanner{s: v}
	head = strings.TrimSpace(s.until(';'))
	for s.skip(';') {
		name := strings.TrimSpace(s.until2('=', ';'))
		if !s.skip('=') || name == "" {
			continue
		}
		params = append(params, Param{Name: name, Value: s.value()})
	}
	return head, joinContinuations(params)
}

// scanner walks a parameter list (RFC 2045 section 5.1 grammar, leniently).
type scanner struct {
	s string
	i int
}

// until returns the text up to (not including) stop, outside quotes.
func (s *scanner) until(stop byte) string { return s.until2(stop, stop) }

func (s *scanner) until2(a, b byte) string {
	start := s.i
	for s.i < len(s.s) && s.s[s.i] != a && s.s[s.i] != b {
		s.i++
	}
	return s.s[start:s.i]
}

func (s *scanner) skip(c byte) bool {
	if s.i < len(s.s) && s.s[s.i] == c {
		s.i++
		return true
	}
	return false
}

// value reads a token or a quoted-string (with backslash escapes).
func (s *scanner) value() string {
	for s.i < len(s.s) && (s.s[s.i] == ' ' || s.s[s.i] == '\t') {
		s.i++
	}
	if !s.skip('"') {
		return strings.TrimSpace(s.until(';'))
	}
	var b strings.Builder
	for s.i < len(s.s) && s.s[s.i] != '"' {
		if s.s[s.i] == '\\' && s.i+1 < len(s.s) {
			s.i++
		}
		b.WriteByte(s.s[s.i])
		s.i++
	}
	s.skip('"')
	s.until(';') // anything after the closing quote is junk
	return b.String()
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
