// Package lineio reads protocol command lines the way real clients and
// real telnet send them: CRLF or a bare LF ends a line, telnet IAC
// negotiation is dropped, an over-long line is consumed to its end and
// reported without ever being held in memory whole.
package lineio

import (
	"bufio"
	"errors"
	"io"
	"time"
	"unicode/utf8"
)

// ErrTooLong reports a line longer than the reader's limit. The whole line
// has been consumed, so the next ReadLine starts at the next line.
var ErrTooLong = errors.New("line too long")

// Telnet option negotiation (RFC 854).
const (
	iac  = 255
	se   = 240
	sb   = 250
	will = 251
	dont = 254
)

// Reader reads lines from a connection.
type Reader struct {
	br  *bufio.Reader
	max int
	// Telnet, when set, drops IAC command sequences from lines. Off for
	// IMAP literals, whose octets are read raw with Read.
	Telnet bool

	long    []byte // how the last over-long line began
	longLen int    // and its length in octets
}

// Overlong is, after ReadLine returned ErrTooLong, how that line began
// (at most the reader's limit of octets) and its whole length, so a
// session can show the learner what it refused.
func (r *Reader) Overlong() (start []byte, n int) { return r.long, r.longLen }

// NewReader reads lines of at most max octets (without the line ending).
func NewReader(r io.Reader, max int) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 4096), max: max, Telnet: true}
}

// Buffered is the underlying buffered reader, for raw reads (IMAP literals,
// SASL responses) that must see the bytes already buffered.
func (r *Reader) Buffered() *bufio.Reader { return r.br }

// ReadLine returns the next line without its CRLF or LF. A telnet in
// character mode ends a line with CR NUL (RFC 854), which ends it too. At
// end of input a final unterminated line is returned; after it, io.EOF.
func (r *Reader) ReadLine() ([]byte, error) {
	var line []byte
	tooLong, afterCR, n := false, false, 0
	for {
		c, err := r.br.ReadByte()
		if err != nil {
			if err == io.EOF && len(line) > 0 && !tooLong {
				return line, nil
			}
			return nil, err
		}
		switch {
		case c == '\n' || c == 0 && afterCR && r.Telnet:
			if n := len(line); n > 0 && line[n-1] == '\r' {
				line = line[:n-1]
			}
			if tooLong {
				if afterCR {
					n-- // the CR before LF is no part of the line
				}
				r.long, r.longLen = line[:r.max], n
				return nil, ErrTooLong
			}
			return line, nil
		case c == iac && r.Telnet:
			if err := r.skipTelnet(); err != nil {
				return nil, err
			}
			continue
		}
		afterCR = c == '\r'
		n++
		if len(line) > r.max { // one extra for a CR before LF
			tooLong = true
			continue
		}
		line = append(line, c)
	}
}

// skipTelnet consumes the rest of an IAC sequence after the IAC byte.
func (r *Reader) skipTelnet() error {
	c, err := r.br.ReadByte()
	if err != nil {
		return err
	}
	switch {
	case c >= will && c <= dont:
		_, err = r.br.ReadByte() // the option
		return err
	case c == sb:
		for { // subnegotiation runs to IAC SE
			c, err := r.br.ReadByte()
			if err != nil {
				return err
			}
			if c == iac {
				if c2, err := r.br.ReadByte(); err != nil || c2 == se {
					return err
				}
			}
		}
	case c == iac:
		// IAC IAC is a data byte 255, which no text command contains.
	}
	return nil
}

// Deadliner is what a connection offers for timeouts; sim code does not
// import net, so it asks for this shape.
type Deadliner interface {
	SetReadDeadline(t time.Time) error
}

// SetIdle arms an inactivity timeout on rw when it supports deadlines and
// d > 0; it reports whether a timeout is armed.
func SetIdle(rw any, d time.Duration, now time.Time) bool {
	dl, ok := rw.(Deadliner)
	if !ok || d <= 0 {
		return false
	}
	return dl.SetReadDeadline(now.Add(d)) == nil
}

// IsTimeout reports whether err is a deadline expiry.
func IsTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// Printable returns s with control characters other than tab written in
// caret notation ("^@" for NUL, "^[" for ESC), and C1 controls and bytes
// that are not UTF-8 (a KOI8-R letter) as \xNN, safe to show on a
// terminal or a page, with no byte hidden behind U+FFFD.
func Printable(s string) string {
	clean, high := true, false
	for i := 0; i < len(s) && clean; i++ {
		c := s[i]
		clean = c >= 0x20 && c != 0x7f || c == '\t'
		high = high || c >= 0x80
	}
	if clean && high {
		clean = utf8.ValidString(s) && !hasC1(s)
	}
	if clean {
		return s // the common case: nothing to copy
	}
	var out []byte
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\t':
			out = append(out, c)
		case c < 0x20:
			out = append(out, '^', c+0x40)
		case c == 0x7f:
			out = append(out, '^', '?')
		case c >= 0x80:
			r, n := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && n == 1:
				out = append(out, '\\', 'x', hexDigits[c>>4], hexDigits[c&15])
			case r < 0xa0:
				out = append(out, '\\', 'x', hexDigits[r>>4], hexDigits[r&15])
			default:
				out = append(out, s[i:i+n]...)
			}
			i += n
			continue
		default:
			out = append(out, c)
		}
		i++
	}
	return string(out)
}

const hexDigits = "0123456789abcdef"

// Cut returns s cut to at most n bytes, on a character boundary: a UTF-8
// character cut in two would show as \xNN escapes and make the line
// longer than n again once it is written out.
func Cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// hasC1 reports whether valid UTF-8 s holds a C1 control (U+0080-U+009F,
// encoded C2 80-C2 9F).
func hasC1(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == 0xc2 && s[i+1] < 0xa0 {
			return true
		}
	}
	return false
}
