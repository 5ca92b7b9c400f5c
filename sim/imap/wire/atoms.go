package wire

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// isAtomChar reports whether c may appear in an atom: any CHAR except
// atom-specials "(" ")" "{" SP CTL "%" "*" DQUOTE "\" "]" (RFC 3501 9).
func isAtomChar(c byte) bool {
	return c > 0x20 && c < 0x7f && !strings.ContainsRune(`(){%*"\]`, rune(c))
}

// isAstringChar adds resp-specials "]" to atom chars.
func isAstringChar(c byte) bool { return isAtomChar(c) || c == ']' }

// isTagChar is an astring char except "+" (RFC 3501 9: tag).
func isTagChar(c byte) bool { return isAstringChar(c) && c != '+' }

// IsTag reports whether s is a well-formed command tag.
func IsTag(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isTagChar(s[i]) {
			return false
		}
	}
	return s != ""
}

// AtomPrefix is the longest run of atom chars s starts with: the command
// name of "LOGIN{5}" is LOGIN.
func AtomPrefix(s string) string {
	i := 0
	for i < len(s) && isAtomChar(s[i]) {
		i++
	}
	return s[:i]
}

// isListChar adds the LIST wildcards "%" and "*".
func isListChar(c byte) bool { return isAstringChar(c) || c == '%' || c == '*' }

func (d *Decoder) span(ok func(byte) bool) string {
	start := d.pos
	for d.pos < len(d.line) && ok(d.line[d.pos]) {
		d.pos++
	}
	return string(d.line[start:d.pos])
}

// Tag reads a command tag.
func (d *Decoder) Tag() string {
	t := d.span(isTagChar)
	if t == "" {
		if d.AtEnd() {
			fail("tag", "the line is empty; a command starts with a tag, e.g. a1 NOOP")
		}
		fail("tag", "a command starts with a tag (letters and digits, e.g. a1), found %s", d.found())
	}
	return t
}

// Atom reads an atom; arg names it for errors.
func (d *Decoder) Atom(arg string) string {
	a := d.span(isAtomChar)
	if a == "" {
		fail(arg, "expected an atom, found %s", d.found())
	}
	return a
}

// Keyword reads an atom and returns it upper-cased (command names,
// attribute names, search keys), allowing "." and "[" as atoms do.
func (d *Decoder) Keyword(arg string) string { return strings.ToUpper(d.Atom(arg)) }

// Number reads an unsigned 32-bit number (RFC 3501 9: number).
func (d *Decoder) Number(arg string) uint32 {
	s := d.span(func(c byte) bool { return c >= '0' && c <= '9' })
	if s == "" {
		fail(arg, "expected a number, found %s", d.found())
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		fail(arg, "number %s is larger than 4294967295", s)
	}
	return uint32(n)
}

// NzNumber reads a number that must not be zero.
func (d *Decoder) NzNumber(arg string) uint32 {
	n := d.Number(arg)
	if n == 0 {
		fail(arg, "must not be 0; numbers here start at 1")
	}
	return n
}

// Quoted reads a quoted string with \" and \\ escapes.
func (d *Decoder) Quoted(arg string) string {
	d.Expect('"', arg)
	var b strings.Builder
	for {
		if d.AtEnd() {
			fail(arg, "quoted string is not closed with \"")
		}
		c := d.line[d.pos]
		d.pos++
		switch c {
		case '"':
			return b.String()
		case '\\':
			if d.AtEnd() || (d.line[d.pos] != '"' && d.line[d.pos] != '\\') {
				fail(arg, `in a quoted string \ may only escape " or \; send other text as a literal`)
			}
			b.WriteByte(d.line[d.pos])
			d.pos++
		case '\r', '\n':
			fail(arg, "a quoted string cannot hold CR or LF; send it as a literal")
		default:
			b.WriteByte(c)
		}
	}
}

// Literal reads "{n}" or "{n+}" at the end of the line, then the n octets,
// then the next line, on which parsing continues.
func (d *Decoder) Literal(arg string) []byte {
	d.Expect('{', arg)
	digits := d.span(func(c byte) bool { return c >= '0' && c <= '9' })
	nonSync := d.Eat('+')
	d.Expect('}', arg)
	if digits == "" {
		fail(arg, "a literal's size is missing: write {5} then the 5 octets on the next line")
	}
	if !d.AtEnd() {
		fail(arg, "a literal's size {%s} must end the line", digits)
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n > d.MaxLiteral {
		if nonSync {
			// The client is sending the octets anyway, unasked.
			panic(ioFailure{&LiteralTooLarge{Size: digits, Max: d.MaxLiteral}})
		}
		// No "+" is sent: the client must not send the octets.
		panic(&SyntaxError{Arg: arg, Key: "bad.literal.toobig", Args: []any{digits, d.MaxLiteral},
			Msg: fmt.Sprintf("literal of %s octets is larger than this server accepts (%d); the rest of the command is dropped", digits, d.MaxLiteral)})
	}
	if !nonSync && d.Continue != nil {
		if err := d.Continue(); err != nil {
			panic(ioFailure{err})
		}
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(d.lr.Buffered(), buf); err != nil {
		panic(ioFailure{err})
	}
	d.literals++
	if d.OnLiteral != nil {
		d.OnLiteral(buf)
	}
	if err := d.readLine(); err != nil {
		panic(ioFailure{err})
	}
	return buf
}

// String reads a quoted string or a literal.
func (d *Decoder) String(arg string) string {
	switch d.Peek() {
	case '"':
		return d.Quoted(arg)
	case '{':
		return string(d.Literal(arg))
	}
	fail(arg, "expected a quoted string or a literal, found %s", d.found())
	return ""
}

// AString reads an atom-like string, a quoted string or a literal.
func (d *Decoder) AString(arg string) string {
	switch d.Peek() {
	case '"', '{':
		return d.String(arg)
	}
	// 8-bit octets are accepted too, though RFC 3501 wants them in a
	// literal: a learner typing a Cyrillic word in telnet means that word.
	s := d.span(func(c byte) bool { return isAstringChar(c) || c >= 0x80 })
	if s == "" {
		fail(arg, "missing or malformed, found %s", d.found())
	}
	return s
}

// ListMailbox reads LIST's mailbox pattern: list-chars or a string.
func (d *Decoder) ListMailbox(arg string) string {
	switch d.Peek() {
	case '"', '{':
		return d.String(arg)
	}
	s := d.span(isListChar)
	if s == "" {
		fail(arg, "missing or malformed, found %s", d.found())
	}
	return s
}

// List reads "(" elem *(SP elem) ")" or "()", calling elem for each.
func (d *Decoder) List(arg string, elem func()) {
	d.Expect('(', arg)
	if d.Eat(')') {
		return
	}
	for {
		elem()
		if d.Eat(')') {
			return
		}
		if !d.Eat(' ') {
			fail(arg, "expected a space or \")\" in the list, found %s", d.found())
		}
	}
}

// Flag reads one flag: "\" atom (a system flag) or a keyword atom.
func (d *Decoder) Flag(arg string) string {
	if d.Eat('\\') {
		if d.Eat('*') {
			return `\*`
		}
		return `\` + d.Atom(arg)
	}
	return d.Atom(arg)
}

// FlagList reads "(" [flag *(SP flag)] ")".
func (d *Decoder) FlagList(arg string) []string {
	var out []string
	d.List(arg, func() { out = append(out, d.Flag(arg)) })
	return out
}

// Flags reads a flag list or, as STORE also allows, bare flags separated
// by spaces.
func (d *Decoder) Flags(arg string) []string {
	if d.Peek() == '(' {
		return d.FlagList(arg)
	}
	out := []string{d.Flag(arg)}
	for d.Eat(' ') {
		out = append(out, d.Flag(arg))
	}
	return out
}

// PeekAtom returns the atom at the parse position without consuming it.
func (d *Decoder) PeekAtom() string {
	end := d.pos
	for end < len(d.line) && isAtomChar(d.line[end]) {
		end++
	}
	return string(d.line[d.pos:end])
}
