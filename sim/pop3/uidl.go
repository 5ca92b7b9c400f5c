package pop3

import (
	"fmt"
	"strconv"
)

// DefaultUIDLFormat is Dovecot's default pop3_uidl_format: the UID, then
// the mailbox's UIDVALIDITY, each as eight hex digits. Dovecot's %X
// writes hex in lower case ("0000000a295ff876"), and so does the lab.
const DefaultUIDLFormat = "%08Xu%08Xv"

// uidlFormat makes a message's UIDL unique-id from its UID and the
// mailbox's UIDVALIDITY, as Dovecot's pop3_uidl_format does: the lecture's
// server wrote %xv%08xu, UIDVALIDITY first, in lower case
// ("37cabbc00000009"). Both numbers together stay the same across
// sessions, as RFC 1939 section 7 requires.
type uidlFormat []uidlPart

// uidlPart is literal text, or one number: 'u' (UID) or 'v' (UIDVALIDITY)
// in base 10 or 16 (lower-case digits), padded with zeros to width.
type uidlPart struct {
	text  string
	num   byte
	base  int
	width int
}

// ParseUIDLFormat reads a format of Dovecot's form: %u and %v with an
// optional zero-padded width ("%08u") and X for hex, "%%" for a "%". Every
// format it accepts gives the ids Dovecot 2.3 gives: X is lower-case hex
// there too, and a width must start with 0, since Dovecot reads "%8u"
// as "at most 8 characters" and cuts the number. A lower-case x is taken
// as X, as the lecture's server wrote it (%xv%08xu); Dovecot 2.3 refuses
// it. A format must name %u, so every message's id differs, and its text
// must be what RFC 1939 allows in a unique-id: printable ASCII without
// spaces.
func ParseUIDLFormat(s string) (uidlFormat, error) {
	const help = "use %u (UID) and %v (UIDVALIDITY) with an optional zero-padded width and X for hex, e.g. %08Xu%08Xv"
	var f uidlFormat
	hasUID := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '%' {
			if c <= ' ' || c > '~' {
				return nil, fmt.Errorf("UIDL format %q: %q is not allowed in a unique-id (printable ASCII, no spaces)", s, c)
			}
			f = append(f, uidlPart{text: string(c)})
			continue
		}
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		width, _ := strconv.Atoi(s[i+1 : j])
		if j > i+1 && s[i+1] != '0' {
			return nil, fmt.Errorf("UIDL format %q: Dovecot cuts the number of %s to at most %d characters, so ids could repeat; write %%0%d… to pad it with zeros", s, s[i:j], width, width)
		}
		p := uidlPart{base: 10, width: width}
		if j < len(s) && (s[j] == 'x' || s[j] == 'X') {
			p.base = 16
			j++
		}
		switch {
		case j < len(s) && (s[j] == 'u' || s[j] == 'v'):
			p.num = s[j]
			hasUID = hasUID || s[j] == 'u'
		case j == i+1 && j < len(s) && s[j] == '%':
			p = uidlPart{text: "%"}
		default:
			return nil, fmt.Errorf("UIDL format %q: unknown variable at %q; %s", s, s[i:min(j+1, len(s))], help)
		}
		if p.width > 10 {
			return nil, fmt.Errorf("UIDL format %q: width %d is more than a 32-bit number needs", s, p.width)
		}
		f = append(f, p)
		i = j
	}
	if !hasUID {
		return nil, fmt.Errorf("UIDL format %q has no %%u, so messages would share an id; %s", s, help)
	}
	// RFC 1939 section 7: a unique-id is 1 to 70 characters.
	if n := len(f.appendID(nil, ^uint32(0), ^uint32(0))); n > 70 {
		return nil, fmt.Errorf("UIDL format %q makes ids of up to %d characters; RFC 1939 allows 70", s, n)
	}
	return f, nil
}

func (f uidlFormat) appendID(dst []byte, uid, uidv uint32) []byte {
	for _, p := range f {
		if p.num == 0 {
			dst = append(dst, p.text...)
			continue
		}
		v := uid
		if p.num == 'v' {
			v = uidv
		}
		digits := strconv.FormatUint(uint64(v), p.base)
		for n := len(digits); n < p.width; n++ {
			dst = append(dst, '0')
		}
		dst = append(dst, digits...)
	}
	return dst
}
