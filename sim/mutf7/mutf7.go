// Package mutf7 converts IMAP mailbox names between UTF-8 and modified
// UTF-7 (RFC 3501 section 5.1.3), the form in which IMAP4rev1 carries
// international mailbox names and in which Dovecot stores them on disk.
//
// Printable US-ASCII (0x20-0x7e) stands for itself, except "&", which is
// written "&-". Every other character is encoded as UTF-16, in modified
// BASE64 (RFC 2045 with "," instead of "/" and no padding) between "&" and
// "-".
package mutf7

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// alphabet is modified BASE64: RFC 2045's alphabet with "," for "/".
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,"

var decodeMap = func() (m [256]int8) {
	for i := range m {
		m[i] = -1
	}
	for i := 0; i < len(alphabet); i++ {
		m[alphabet[i]] = int8(i)
	}
	return m
}()

// ErrInvalid is wrapped by every error Decode returns.
var ErrInvalid = errors.New("invalid modified UTF-7")

func printable(r rune) bool { return r >= 0x20 && r <= 0x7e }

// Encode returns name in modified UTF-7. Invalid UTF-8 bytes are encoded as
// U+FFFD.
func Encode(name string) string {
	var b strings.Builder
	var run []rune
	for _, r := range name {
		if printable(r) {
			if len(run) > 0 {
				encodeRun(&b, run)
				run = run[:0]
			}
			if r == '&' {
				b.WriteString("&-")
			} else {
				b.WriteRune(r)
			}
			continue
		}
		run = append(run, r)
	}
	if len(run) > 0 {
		encodeRun(&b, run)
	}
	return b.String()
}

// encodeRun writes one "&...-" section for a run of non-printable characters.
func encodeRun(b *strings.Builder, run []rune) {
	units := utf16.Encode(run)
	octets := make([]byte, 0, 2*len(units))
	for _, u := range units {
		octets = append(octets, byte(u>>8), byte(u))
	}
	b.WriteByte('&')
	var acc uint32
	bits := 0
	for _, o := range octets {
		acc = acc<<8 | uint32(o)
		bits += 8
		for bits >= 6 {
			bits -= 6
			b.WriteByte(alphabet[acc>>bits&0x3f])
		}
	}
	if bits > 0 {
		b.WriteByte(alphabet[acc<<(6-bits)&0x3f])
	}
	b.WriteByte('-')
}

// Decode returns the UTF-8 form of a modified UTF-7 name. It refuses what
// RFC 3501 forbids, so that every name has exactly one encoded form: bytes
// outside printable US-ASCII, an unterminated or empty "&" section other
// than "&-", characters outside modified BASE64, leftover bits that are not
// zero, a section that encodes printable US-ASCII, two sections in a row
// (they must be one), and broken UTF-16 surrogate pairs.
func Decode(s string) (string, error) {
	var b strings.Builder
	prevEncoded := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x20 || c > 0x7e {
			return "", fmt.Errorf("%w: byte 0x%02x at offset %d is not printable US-ASCII", ErrInvalid, c, i)
		}
		if c != '&' {
			b.WriteByte(c)
			i++
			prevEncoded = false
			continue
		}
		end := strings.IndexByte(s[i+1:], '-')
		if end < 0 {
			return "", fmt.Errorf("%w: \"&\" at offset %d is not closed by \"-\"", ErrInvalid, i)
		}
		body := s[i+1 : i+1+end]
		if body == "" {
			b.WriteByte('&')
			prevEncoded = false
			i += 2
			continue
		}
		if prevEncoded {
			return "", fmt.Errorf("%w: encoded sections at offset %d must be joined into one", ErrInvalid, i)
		}
		if err := decodeRun(&b, body); err != nil {
			return "", fmt.Errorf("%w: section at offset %d: %v", ErrInvalid, i, err)
		}
		prevEncoded = true
		i += end + 2
	}
	return b.String(), nil
}

func decodeRun(b *strings.Builder, body string) error {
	var units []uint16
	var acc uint32
	bits := 0
	var hi byte
	half := false
	for i := 0; i < len(body); i++ {
		v := decodeMap[body[i]]
		if v < 0 {
			return fmt.Errorf("%q is not a modified BASE64 character", body[i])
		}
		acc = acc<<6 | uint32(v)
		bits += 6
		if bits >= 8 {
			bits -= 8
			o := byte(acc >> bits)
			if half {
				units = append(units, uint16(hi)<<8|uint16(o))
			} else {
				hi = o
			}
			half = !half
		}
	}
	if half || bits >= 6 || acc&(1<<bits-1) != 0 {
		return errors.New("does not end on a whole UTF-16 character with zero padding")
	}
	for i := 0; i < len(units); i++ {
		u := rune(units[i])
		switch {
		case utf16.IsSurrogate(u):
			if u >= 0xdc00 || i+1 >= len(units) {
				return errors.New("broken UTF-16 surrogate pair")
			}
			r := utf16.DecodeRune(u, rune(units[i+1]))
			if r == utf8.RuneError {
				return errors.New("broken UTF-16 surrogate pair")
			}
			b.WriteRune(r)
			i++
		case printable(u):
			return fmt.Errorf("encodes %q, which must be written as itself", u)
		default:
			b.WriteRune(u)
		}
	}
	return nil
}
