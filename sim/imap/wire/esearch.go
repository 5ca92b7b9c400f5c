package wire

import "strings"

// ReturnOpts are SEARCH's and SORT's result options (RFC 4731 ESEARCH,
// RFC 5267 ESORT and CONTEXT, RFC 5182 SEARCHRES).
type ReturnOpts struct {
	Given                bool // RETURN (...) was written: answer with ESEARCH
	Min, Max, All, Count bool
	Save                 bool // keep the result as "$"
	Context, Update      bool // RFC 5267: a hint, and updates as the mailbox changes
	Partial              *Range
}

// maxReturnOpts bounds RETURN's list: seven options exist, a client
// that repeats them has no reason to send a hundred.
const maxReturnOpts = 64

// Return reads "RETURN (...)" if it comes next, with the space before it
// already eaten by the caller's grammar: "SEARCH RETURN (MIN) ALL".
// RETURN () means ALL (RFC 4731 3.1).
func (d *Decoder) Return() ReturnOpts {
	var r ReturnOpts
	if !strings.EqualFold(d.PeekAtom(), "RETURN") {
		return r
	}
	d.Atom("RETURN")
	d.SP("RETURN's options")
	r.Given = true
	n := 0
	const arg = "RETURN's options"
	d.List(arg, func() {
		if n++; n > maxReturnOpts {
			fail(arg, "more than %d options", maxReturnOpts)
		}
		switch opt := strings.ToUpper(d.span(isAtomChar)); opt {
		case "MIN":
			r.Min = true
		case "MAX":
			r.Max = true
		case "ALL":
			r.All = true
		case "COUNT":
			r.Count = true
		case "SAVE":
			r.Save = true
		case "CONTEXT":
			r.Context = true
		case "UPDATE":
			r.Update = true
		case "PARTIAL":
			d.SP("PARTIAL's range")
			p := d.partialRange()
			r.Partial = &p
		case "":
			fail(arg, "expected MIN, MAX, ALL, COUNT, SAVE, CONTEXT, UPDATE or PARTIAL, found %s", d.found())
		default:
			fail(arg, "%s is not a result option; RFC 4731 and RFC 5267 define MIN, MAX, ALL, COUNT, SAVE, CONTEXT, UPDATE and PARTIAL", opt)
		}
	})
	if r.All && r.Partial != nil {
		fail(arg, "PARTIAL and ALL both ask for the matching messages; give one of them")
	}
	if !r.Min && !r.Max && !r.Count && !r.Save && !r.Update && r.Partial == nil {
		r.All = true // RETURN () and RETURN (CONTEXT) are RETURN (ALL)
	}
	d.SP("search criteria")
	return r
}

// partialRange reads PARTIAL's "first:last", two positions in the result
// counted from 1, in either order (RFC 5267 4.4: "*" is no position).
func (d *Decoder) partialRange() Range {
	const arg = "PARTIAL's range"
	if c := d.Peek(); c < '0' || c > '9' {
		fail(arg, "expected positions such as 1:100, found %s", d.found())
	}
	lo := d.NzNumber(arg)
	if !d.Eat(':') {
		fail(arg, "expected a range of positions such as %d:%d, found %s", lo, lo+99, d.found())
	}
	if c := d.Peek(); c < '0' || c > '9' {
		fail(arg, "expected the last position as a number, found %s", d.found())
	}
	hi := d.NzNumber(arg)
	if lo > hi {
		lo, hi = hi, lo
	}
	return Range{Lo: lo, Hi: hi}
}

// SortKey is one SORT criterion (RFC 5256 3; DISPLAYFROM and DISPLAYTO
// from RFC 5957).
type SortKey struct {
	Key     string // upper-case: ARRIVAL, CC, DATE, FROM, SIZE, SUBJECT, TO, DISPLAYFROM, DISPLAYTO
	Reverse bool
}

var sortKeys = map[string]bool{"ARRIVAL": true, "CC": true, "DATE": true, "FROM": true, "SIZE": true,
	"SUBJECT": true, "TO": true, "DISPLAYFROM": true, "DISPLAYTO": true}

// maxSortKeys bounds the criteria: nine keys exist, each once.
const maxSortKeys = 32

// SortCriteria reads "(" ["REVERSE" SP] key *(SP ["REVERSE" SP] key) ")".
func (d *Decoder) SortCriteria() []SortKey {
	const arg = "sort criteria"
	var keys []SortKey
	if d.Peek() != '(' {
		fail(arg, "expected a parenthesized list of sort keys such as (DATE) or (REVERSE ARRIVAL), found %s", d.found())
	}
	d.List(arg, func() {
		if len(keys) == maxSortKeys {
			fail(arg, "more than %d sort keys", maxSortKeys)
		}
		k := SortKey{Key: strings.ToUpper(d.span(isAtomChar))}
		if k.Key == "REVERSE" {
			d.SP("REVERSE's sort key")
			k = SortKey{Key: strings.ToUpper(d.span(isAtomChar)), Reverse: true}
		}
		if !sortKeys[k.Key] {
			if k.Key == "" {
				fail(arg, "expected a sort key such as ARRIVAL, DATE, FROM, SIZE or SUBJECT, found %s", d.found())
			}
			fail(arg, "%s is not a sort key; RFC 5256 defines ARRIVAL, CC, DATE, FROM, SIZE, SUBJECT and TO, RFC 5957 DISPLAYFROM and DISPLAYTO", k.Key)
		}
		keys = append(keys, k)
	})
	if len(keys) == 0 {
		fail(arg, "empty; name at least one sort key, e.g. (ARRIVAL)")
	}
	return keys
}
