package wire

import (
	"strconv"
	"strings"
)

// Section is BODY[section]: part numbers, then a specifier: "", "HEADER",
// "HEADER.FIELDS", "HEADER.FIELDS.NOT", "TEXT" or "MIME" (RFC 3501 6.4.5).
type Section struct {
	Parts     []int
	Specifier string
	Fields    []string
}

// String writes the section as the response echoes it: "1.2.HEADER.FIELDS (FROM)".
func (s Section) String() string {
	var parts []string
	for _, p := range s.Parts {
		parts = append(parts, strconv.Itoa(p))
	}
	if s.Specifier != "" {
		parts = append(parts, s.Specifier)
	}
	out := strings.Join(parts, ".")
	if len(s.Fields) > 0 {
		out += " (" + strings.Join(upperAll(s.Fields), " ") + ")"
	}
	return out
}

func upperAll(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = AString(strings.ToUpper(s))
	}
	return out
}

// FetchAtt is one fetch attribute. Name is upper-case: FLAGS, ENVELOPE,
// BODY, BODY.PEEK, RFC822.SIZE... Section is set for BODY[...] forms, and
// Partial for <offset.count>.
type FetchAtt struct {
	Name    string
	Section *Section
	Partial *[2]uint32
}

// fetchMacros expand ALL, FAST and FULL (RFC 3501 6.4.5).
var fetchMacros = map[string][]string{
	"ALL":  {"FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE"},
	"FAST": {"FLAGS", "INTERNALDATE", "RFC822.SIZE"},
	"FULL": {"FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "BODY"},
}

var simpleAtts = map[string]bool{
	"ENVELOPE": true, "FLAGS": true, "INTERNALDATE": true, "RFC822": true, "RFC822.HEADER": true,
	"RFC822.SIZE": true, "RFC822.TEXT": true, "BODY": true, "BODYSTRUCTURE": true, "UID": true,
	"MODSEQ": true, // RFC 7162 3.1.4
}

// FetchAtts reads FETCH's item argument: a macro, one attribute or a
// parenthesized list.
func (d *Decoder) FetchAtts() []FetchAtt {
	const arg = "fetch attributes"
	var out []FetchAtt
	if d.Peek() == '(' {
		d.List(arg, func() { out = append(out, d.fetchAtt()) })
		if len(out) == 0 {
			fail(arg, "the list is empty; name what to fetch, e.g. (FLAGS UID)")
		}
		return out
	}
	if m, ok := fetchMacros[strings.ToUpper(d.peekWord())]; ok {
		d.pos += len(d.peekWord())
		for _, n := range m {
			out = append(out, FetchAtt{Name: n})
		}
		return out
	}
	return []FetchAtt{d.fetchAtt()}
}

func (d *Decoder) peekWord() string {
	end := d.pos
	for end < len(d.line) && (isAtomChar(d.line[end]) && d.line[end] != '[') {
		end++
	}
	return string(d.line[d.pos:end])
}

func (d *Decoder) fetchAtt() FetchAtt {
	const arg = "fetch attribute"
	w := strings.ToUpper(d.peekWord())
	if w == "" {
		fail(arg, "expected a fetch attribute such as FLAGS or BODY[], found %s", d.found())
	}
	d.pos += len(w)
	if strings.HasPrefix(w, "BINARY") {
		return d.binaryAtt(w)
	}
	if d.Peek() != '[' {
		if !simpleAtts[w] {
			fail(arg, "%s is not a fetch attribute; try FLAGS, UID, ENVELOPE, BODYSTRUCTURE, BODY[] or BODY.PEEK[]", w)
		}
		return FetchAtt{Name: w}
	}
	if w != "BODY" && w != "BODY.PEEK" {
		fail(arg, "only BODY and BODY.PEEK take a [section], not %s", w)
	}
	a := FetchAtt{Name: w, Section: d.section()}
	d.partial(&a)
	return a
}

// partial reads an optional "<offset.length>".
func (d *Decoder) partial(a *FetchAtt) {
	if d.Eat('<') {
		off := d.Number("partial offset")
		d.Expect('.', "partial")
		n := d.NzNumber("partial length")
		d.Expect('>', "partial")
		a.Partial = &[2]uint32{off, n}
	}
}

// section reads "[" section-spec "]".
func (d *Decoder) section() *Section {
	const arg = "body section"
	d.Expect('[', arg)
	s := &Section{}
	for d.IsSeqSetStart() && d.Peek() != '*' {
		s.Parts = append(s.Parts, int(d.NzNumber("section part number")))
		if !d.Eat('.') {
			break
		}
	}
	if d.Eat(']') {
		return s
	}
	spec := strings.ToUpper(d.span(func(c byte) bool { return isAtomChar(c) && c != '[' }))
	switch spec {
	case "HEADER", "TEXT":
	case "MIME":
		if len(s.Parts) == 0 {
			fail(arg, "MIME needs a part number, e.g. BODY[1.MIME]")
		}
	case "HEADER.FIELDS", "HEADER.FIELDS.NOT":
		d.SP("header field list")
		d.List("header field list", func() { s.Fields = append(s.Fields, d.AString("header field name")) })
		if len(s.Fields) == 0 {
			fail("header field list", "name at least one field, e.g. (SUBJECT FROM)")
		}
	default:
		fail(arg, "%q is not a section; use HEADER, HEADER.FIELDS (...), HEADER.FIELDS.NOT (...), TEXT, MIME or part numbers like 1.2", spec)
	}
	s.Specifier = spec
	d.Expect(']', arg)
	return s
}
