package catalog

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// parse reads a catalogue file: one JSON object whose values are strings.
// It is what the browser module reads at its start (the diagrams' labels
// and the first explanations), so the common case is read by hand, texts
// without escapes as slices of the file; anything else (an error to
// report, a value that is not a string) goes to encoding/json.
func parse(b []byte) (map[string]string, error) {
	if m, ok := parseFlat(string(b)); ok {
		return m, nil
	}
	return parseOther(b)
}

// parseFlat reads {"key": "text", ...}; ok is false for anything else.
func parseFlat(s string) (map[string]string, bool) {
	p := flat{s: s}
	p.space()
	if !p.eat('{') {
		return nil, false
	}
	m := make(map[string]string, strings.Count(s, "\n"))
	p.space()
	if p.eat('}') {
		return m, p.end()
	}
	for {
		p.space()
		k, ok := p.str()
		if !ok {
			return nil, false
		}
		p.space()
		if !p.eat(':') {
			return nil, false
		}
		p.space()
		v, ok := p.str()
		if !ok {
			return nil, false
		}
		m[k] = v
		p.space()
		if p.eat('}') {
			return m, p.end()
		}
		if !p.eat(',') {
			return nil, false
		}
	}
}

type flat struct {
	s string
	i int
}

func (p *flat) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\n' || p.s[p.i] == '\r' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *flat) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *flat) end() bool {
	p.space()
	return p.i == len(p.s)
}

// str reads a JSON string: a slice of the input when it has no escapes.
// It leaves checking the text's UTF-8 and control characters to Check.
func (p *flat) str() (string, bool) {
	if !p.eat('"') {
		return "", false
	}
	start := p.i
	j := strings.IndexByte(p.s[start:], '"')
	if j < 0 {
		return "", false
	}
	if strings.IndexByte(p.s[start:start+j], '\\') >= 0 {
		return p.escaped(start)
	}
	p.i = start + j + 1
	return p.s[start : start+j], true
}

// escaped reads the rest of a string that holds escapes, from start.
func (p *flat) escaped(start int) (string, bool) {
	var b strings.Builder
	p.i = start
	for {
		j := strings.IndexAny(p.s[p.i:], `"\\`)
		if j < 0 {
			return "", false
		}
		b.WriteString(p.s[p.i : p.i+j])
		p.i += j
		if p.s[p.i] == '"' {
			p.i++
			return b.String(), true
		}
		if p.i+1 >= len(p.s) {
			return "", false
		}
		e := p.s[p.i+1]
		p.i += 2
		switch e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", false
			}
			if utf16.IsSurrogate(r) {
				if p.i+1 < len(p.s) && p.s[p.i] == '\\' && p.s[p.i+1] == 'u' {
					p.i += 2
					r2, ok := p.hex4()
					if !ok {
						return "", false
					}
					r = utf16.DecodeRune(r, r2)
				} else {
					r = utf8.RuneError
				}
			}
			b.WriteRune(r)
		default:
			return "", false
		}
	}
}

func (p *flat) hex4() (rune, bool) {
	if p.i+4 > len(p.s) {
		return 0, false
	}
	n, err := strconv.ParseUint(p.s[p.i:p.i+4], 16, 16)
	if err != nil {
		return 0, false
	}
	p.i += 4
	return rune(n), true
}
