package wire

import (
	"strings"
	"time"
)

// DateTimeLayout is RFC 3501's date-time, the day padded with a space.
const DateTimeLayout = "_2-Jan-2006 15:04:05 -0700"

// FormatDateTime writes an INTERNALDATE value, quoted.
func FormatDateTime(t time.Time) string { return `"` + t.Format(DateTimeLayout) + `"` }

// DateTime reads a quoted date-time: "17-Jul-1996 02:44:25 -0700".
func (d *Decoder) DateTime(arg string) time.Time {
	if d.Peek() != '"' {
		fail(arg, `expected a quoted date-time such as "17-Jul-1996 02:44:25 -0700", found %s`, d.found())
	}
	s := d.Quoted(arg)
	t, err := time.Parse(DateTimeLayout, s)
	if err != nil {
		t, err = time.Parse("2-Jan-2006 15:04:05 -0700", s)
	}
	if err != nil {
		fail(arg, `%q is not a date-time like "17-Jul-1996 02:44:25 -0700"`, s)
	}
	return t
}

// Date reads a SEARCH date, bare or quoted: 1-Feb-1994.
func (d *Decoder) Date(arg string) time.Time {
	var s string
	if d.Peek() == '"' {
		s = d.Quoted(arg)
	} else {
		s = d.span(func(c byte) bool { return isAtomChar(c) })
	}
	t, err := time.Parse("2-Jan-2006", strings.TrimSpace(s))
	if err != nil {
		fail(arg, "%q is not a date like 1-Feb-1994", s)
	}
	return t
}
