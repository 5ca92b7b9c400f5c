package wire

import "strconv"

// Literal8 reads RFC 3516's "~{n}" or "~{n+}": a literal whose octets may
// include NUL (binary content).
func (d *Decoder) Literal8(arg string) []byte {
	d.Expect('~', arg)
	return d.Literal(arg)
}

// PeekLiteral reports the size a literal ("{n}", "{n+}", "~{n}") at the
// parse position announces, and whether it is synchronizing, without
// consuming it: a command can refuse a literal before the client is asked
// for its octets. ok is false when no literal comes next; a size too
// large for an int64 is reported as math.MaxInt64.
func (d *Decoder) PeekLiteral() (n int64, sync, ok bool) {
	rest := d.line[d.pos:]
	if len(rest) > 0 && rest[0] == '~' {
		rest = rest[1:]
	}
	if len(rest) == 0 || rest[0] != '{' {
		return 0, false, false
	}
	return trailingLiteral(rest)
}

// LiteralBytes8 writes b as a literal, or as RFC 3516's literal8 "~{n}"
// when it holds a NUL, which a literal may not carry.
func LiteralBytes8(b []byte) []byte {
	for _, c := range b {
		if c == 0 {
			out := make([]byte, 0, len(b)+17)
			out = append(out, '~', '{')
			out = strconv.AppendInt(out, int64(len(b)), 10)
			out = append(out, '}', '\r', '\n')
			return append(out, b...)
		}
	}
	return LiteralBytes(b)
}

// binaryAtt reads RFC 3516's BINARY[part]<partial>, BINARY.PEEK[...] and
// BINARY.SIZE[part]: a section of part numbers only, as only a part's
// body has a transfer encoding to undo.
func (d *Decoder) binaryAtt(w string) FetchAtt {
	const arg = "binary section"
	if w != "BINARY" && w != "BINARY.PEEK" && w != "BINARY.SIZE" {
		fail("fetch attribute", "%s is not a fetch attribute; BINARY[], BINARY.PEEK[] and BINARY.SIZE[] are", w)
	}
	d.Expect('[', arg)
	s := &Section{}
	for !d.Eat(']') {
		if len(s.Parts) > 0 {
			d.Expect('.', arg)
		}
		if c := d.Peek(); c < '0' || c > '9' {
			fail(arg, "%s takes only part numbers, e.g. %s[1.2], found %s", w, w, d.found())
		}
		s.Parts = append(s.Parts, int(d.NzNumber("section part number")))
	}
	a := FetchAtt{Name: w, Section: s}
	if w != "BINARY.SIZE" {
		d.partial(&a)
	}
	return a
}
