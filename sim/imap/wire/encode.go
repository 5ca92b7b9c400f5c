package wire

import (
	"strconv"
	"strings"
)

// Quote writes s as a quoted string, or as a literal when it holds octets a
// quoted string cannot (CR, LF, NUL, 8-bit), escaping " and \ (RFC 3501 4.3).
func Quote(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\r' || c == '\n' || c == 0 || c >= 0x80 {
			return "{" + strconv.Itoa(len(s)) + "}\r\n" + s
		}
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

// AString writes s as an atom when it is one, else quoted. NIL, in any
// case, is quoted too: as an atom a client reads it as nil, not as a name
// (a mailbox called NIL is "NIL" in LIST, as Dovecot sends it).
func AString(s string) string {
	if s == "" || strings.EqualFold(s, "NIL") {
		return Quote(s)
	}
	for i := 0; i < len(s); i++ {
		if !isAstringChar(s[i]) {
			return Quote(s)
		}
	}
	return s
}

// LiteralBytes writes b as a literal "{n}" CRLF octets.
func LiteralBytes(b []byte) []byte {
	out := make([]byte, 0, len(b)+16)
	out = append(out, '{')
	out = strconv.AppendInt(out, int64(len(b)), 10)
	out = append(out, '}', '\r', '\n')
	return append(out, b...)
}
