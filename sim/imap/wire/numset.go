package wire

import (
	"strconv"
	"strings"
)

// Range is lo:hi of a sequence set; 0 stands for "*", the largest number in
// use. A range may be written in either order: 5:2 is 2:5 (RFC 3501 9).
// Saved marks the set "$", the result a SEARCH RETURN (SAVE) kept
// (RFC 5182): the session, not the set, knows its messages.
type Range struct {
	Lo, Hi uint32
	Saved  bool
}

// NumSet is a sequence set of message numbers or UIDs.
type NumSet []Range

// SeqSet reads a sequence set: "1", "2:4", "*", "5:*", "1,3:5,9", or "$",
// the saved search result (RFC 5182).
func (d *Decoder) SeqSet(arg string) NumSet {
	if d.Eat('$') {
		return NumSet{{Saved: true}}
	}
	var set NumSet
	for {
		lo := d.seqNumber(arg)
		hi := lo
		if d.Eat(':') {
			hi = d.seqNumber(arg)
		}
		set = append(set, Range{Lo: lo, Hi: hi})
		if !d.Eat(',') {
			return set
		}
	}
}

func (d *Decoder) seqNumber(arg string) uint32 {
	if d.Eat('*') {
		return 0
	}
	if c := d.Peek(); c < '0' || c > '9' {
		fail(arg, "expected a message number or * (e.g. 1:*, 2,4:6), found %s", d.found())
	}
	return d.NzNumber(arg)
}

// IsSeqSetStart reports whether a sequence set can start at the parse
// position (SEARCH keys may be bare sequence sets, "$" among them).
func (d *Decoder) IsSeqSetStart() bool {
	c := d.Peek()
	return c == '*' || c == '$' || c >= '0' && c <= '9'
}

// IsSaved reports whether the set is "$", the saved search result.
func (s NumSet) IsSaved() bool { return len(s) == 1 && s[0].Saved }

// Resolve turns the set into sorted, merged inclusive ranges with "*" as
// star. With star 0 (an empty mailbox) "*" matches nothing.
func (s NumSet) Resolve(star uint32) []Range {
	var out []Range
	for _, r := range s {
		lo, hi := r.Lo, r.Hi
		if lo == 0 {
			lo = star
		}
		if hi == 0 {
			hi = star
		}
		if lo > hi {
			lo, hi = hi, lo
		}
		if lo == 0 {
			if hi == 0 {
				continue
			}
			lo = 1
		}
		out = append(out, Range{Lo: lo, Hi: hi})
	}
	return out
}

// Contains reports whether n is in the set, "*" meaning star.
func (s NumSet) Contains(n, star uint32) bool {
	for _, r := range s.Resolve(star) {
		if n >= r.Lo && n <= r.Hi {
			return true
		}
	}
	return false
}

// ContainsSeq reports whether message sequence number n is in the set of
// a mailbox of count messages, as SEARCH reads it: each range is ordered
// with "*" as its largest end, then "*" is the last message, so "10:*"
// with 8 messages names nothing (it runs from 10 up) and "*:5" names 5 to
// 8. Contains would take "10:*" as 8:10 and find message 8, which the
// client did not ask for; FETCH 10:* is a client error (RFC 3501 9,
// seq-number), and Dovecot's SEARCH finds nothing, as here.
func (s NumSet) ContainsSeq(n, count uint32) bool {
	for _, r := range s {
		lo, hi := r.Lo, r.Hi
		if lo == 0 || hi != 0 && lo > hi {
			lo, hi = hi, lo
		}
		if hi == 0 {
			hi = count
		}
		if lo == 0 {
			lo = count
		}
		if n >= lo && n <= hi {
			return true
		}
	}
	return false
}

// String writes the set back in IMAP syntax.
func (s NumSet) String() string {
	if s.IsSaved() {
		return "$"
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(num(r.Lo))
		if r.Hi != r.Lo {
			b.WriteByte(':')
			b.WriteString(num(r.Hi))
		}
	}
	return b.String()
}

func num(n uint32) string {
	if n == 0 {
		return "*"
	}
	return strconv.FormatUint(uint64(n), 10)
}

// SetOf writes ascending numbers as a compact set ("1:3,7"), as UIDPLUS's
// COPYUID and APPENDUID responses carry them.
func SetOf(nums []uint32) string {
	var s NumSet
	for _, n := range nums {
		if k := len(s); k > 0 && s[k-1].Hi+1 == n {
			s[k-1].Hi = n
			continue
		}
		s = append(s, Range{Lo: n, Hi: n})
	}
	return s.String()
}
