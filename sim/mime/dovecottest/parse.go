// Pure parsing of IMAP responses: no processes, so it also builds for
// WebAssembly and serves tests that only check syntax.

package dovecottest

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Response is one response line: Tag is "*" for untagged ones. For status
// responses (OK, NO, BAD, BYE, PREAUTH) Text is the rest of the line;
// otherwise Fields holds the parsed values after the tag.
type Response struct {
	Tag    string
	Fields []any
	Text   string
}

// Atom is an IMAP atom or number; quoted strings and literals are string;
// NIL is nil; parenthesized lists are []any.
type Atom string

// ReadResponse reads one response, literals included.
func ReadResponse(r *bufio.Reader) (Response, error) {
	p := &reader{r: r}
	tag, err := p.atom()
	if err != nil {
		return Response{}, err
	}
	resp := Response{Tag: string(tag)}
	for {
		c, err := p.peek()
		if err != nil {
			return resp, err
		}
		if c == '\r' || c == '\n' {
			p.line()
			return resp, nil
		}
		if len(resp.Fields) <= 1 && c != '(' && c != '"' && c != '{' && c != '~' {
			a, err := p.atom()
			if err != nil {
				return resp, err
			}
			if isStatus(a) && (resp.Tag != "*" || len(resp.Fields) == 0) {
				resp.Fields = append(resp.Fields, a)
				resp.Text = strings.TrimSpace(p.line())
				return resp, nil
			}
			resp.Fields = append(resp.Fields, value(a))
			continue
		}
		v, err := p.value()
		if err != nil {
			return resp, err
		}
		resp.Fields = append(resp.Fields, v)
	}
}

func isStatus(a Atom) bool {
	switch strings.ToUpper(string(a)) {
	case "OK", "NO", "BAD", "BYE", "PREAUTH":
		return true
	}
	return false
}

// ParseValue parses one IMAP value written as a string (for comparing a
// locally built ENVELOPE or BODYSTRUCTURE with Dovecot's).
func ParseValue(s string) (any, error) {
	p := &reader{r: bufio.NewReader(strings.NewReader(s + "\r\n"))}
	return p.value()
}

type reader struct{ r *bufio.Reader }

func (p *reader) peek() (byte, error) {
	for {
		b, err := p.r.Peek(1)
		if err != nil {
			return 0, err
		}
		if b[0] != ' ' {
			return b[0], nil
		}
		p.r.ReadByte()
	}
}

func (p *reader) line() string {
	s, _ := p.r.ReadString('\n')
	return strings.TrimRight(s, "\r\n")
}

func value(a Atom) any {
	if strings.EqualFold(string(a), "NIL") {
		return nil
	}
	return a
}

// value reads NIL, an atom or number, a quoted string, a literal or a list.
func (p *reader) value() (any, error) {
	c, err := p.peek()
	if err != nil {
		return nil, err
	}
	switch c {
	case '(':
		p.r.ReadByte()
		list := []any{}
		for {
			c, err := p.peek()
			if err != nil {
				return nil, err
			}
			if c == ')' {
				p.r.ReadByte()
				return list, nil
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
	case '"':
		p.r.ReadByte()
		var b strings.Builder
		for {
			c, err := p.r.ReadByte()
			if err != nil {
				return nil, err
			}
			if c == '"' {
				return b.String(), nil
			}
			if c == '\\' {
				if c, err = p.r.ReadByte(); err != nil {
					return nil, err
				}
			}
			b.WriteByte(c)
		}
	case '{', '~': // a literal, or RFC 3516's literal8 ~{n}
		if c == '~' {
			p.r.ReadByte()
		}
		p.r.ReadByte()
		n, err := p.r.ReadString('}')
		if err != nil {
			return nil, err
		}
		size, err := strconv.Atoi(strings.TrimSuffix(n, "}"))
		if err != nil {
			return nil, fmt.Errorf("bad literal size %q", n)
		}
		if crlf := p.line(); crlf != "" {
			return nil, fmt.Errorf("junk after literal size: %q", crlf)
		}
		buf := make([]byte, size)
		if _, err := io.ReadFull(p.r, buf); err != nil {
			return nil, err
		}
		return string(buf), nil
	}
	a, err := p.atom()
	return value(a), err
}

// atom reads an atom; a "[...]" inside it (BODY[HEADER.FIELDS (A B)]) and
// a following "<n>" are part of it.
func (p *reader) atom() (Atom, error) {
	var b strings.Builder
	depth := 0
	for {
		c, err := p.r.ReadByte()
		if err != nil {
			if b.Len() > 0 {
				return Atom(b.String()), nil
			}
			return "", err
		}
		switch {
		case c == '[':
			depth++
		case c == ']':
			depth--
		case depth == 0 && (c == ' ' || c == '(' || c == ')' || c == '\r' || c == '\n'):
			p.r.UnreadByte()
			if b.Len() == 0 {
				return "", fmt.Errorf("expected an atom, found %q", c)
			}
			return Atom(b.String()), nil
		}
		b.WriteByte(c)
	}
}
