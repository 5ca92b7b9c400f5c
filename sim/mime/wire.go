package mime

import (
	"strconv"
	"strings"
)

// IMAP string output (RFC 3501 section 4.3). A quoted string may hold any
// 7-bit character except CR, LF and NUL, with '"' and '\' escaped; anything
// else (8-bit header text, a CR or LF) goes out as a literal {n}CRLF....

// writeNString writes s as a string, or NIL when ok is false.
func writeNString(b *strings.Builder, s string, ok bool) {
	if !ok {
		b.WriteString("NIL")
		return
	}
	writeString(b, s)
}

func writeString(b *strings.Builder, s string) {
	if !quotable(s) {
		b.WriteByte('{')
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteString("}\r\n")
		b.WriteString(s)
		return
	}
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
}

// quotable reports whether s fits in a quoted string (RFC 3501 QUOTED-CHAR:
// any TEXT-CHAR, i.e. 7-bit except CR, LF and NUL).
func quotable(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == 0 || c == '\r' || c == '\n' || c >= 0x80 {
			return false
		}
	}
	return true
}

// writeParams writes a body-fld-param: NIL or ("name" "value" ...).
func writeParams(b *strings.Builder, params []Param) {
	if len(params) == 0 {
		b.WriteString("NIL")
		return
	}
	b.WriteByte('(')
	for i, p := range params {
		if i > 0 {
			b.WriteByte(' ')
		}
		writeString(b, p.Name)
		b.WriteByte(' ')
		writeString(b, p.Value)
	}
	b.WriteByte(')')
}
