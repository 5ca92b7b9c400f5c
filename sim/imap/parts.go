package imap

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"maillab/sim/mutf7"
)

// role names what one token of a response means; its meaning in each
// language is the imap catalogue's role.<role> and may take the part's
// args.
type role string

// part is one token of a response and what it means.
type part struct {
	token string
	role  role
	args  []any
}

// The explain pane reads a response back token by token: the server wrote
// it, so it is well formed, and reading it back keeps one place (the
// response) for what is sent and what is explained.

// value is one element of a response read back: an atom (NIL among them),
// a quoted string, a literal or a parenthesized list.
type value struct {
	kind byte   // 'a' atom, 'q' quoted string, 'l' literal, '(' list
	raw  string // an atom or a quoted string as sent, a literal as {n}
	str  string // the atom, or the string's contents
	size int    // a literal's octets
	list []value
}

// maxToken is how many characters of a value a token shows.
const maxToken = 72

// show writes v as a token: as sent, a literal as its {n}, shortened.
func (v value) show() string { return shorten(v.text()) }

func (v value) text() string {
	if v.kind != '(' {
		return v.raw
	}
	var b strings.Builder
	b.WriteByte('(')
	for i, e := range v.list {
		if i > 0 && (e.kind != '(' || v.list[i-1].kind != '(') {
			b.WriteByte(' ')
		}
		b.WriteString(e.text())
	}
	b.WriteByte(')')
	return b.String()
}

func shorten(s string) string {
	if utf8.RuneCountInString(s) <= maxToken {
		return s
	}
	return string([]rune(s)[:maxToken-1]) + "…"
}

// scanner reads a response back.
type scanner struct {
	s string
	i int
}

func (sc *scanner) done() bool { return sc.i >= len(sc.s) }

func (sc *scanner) peek() byte {
	if sc.done() {
		return 0
	}
	return sc.s[sc.i]
}

func (sc *scanner) space() { sc.eat(' ') }

func (sc *scanner) eat(c byte) bool {
	if sc.peek() == c && !sc.done() {
		sc.i++
		return true
	}
	return false
}

// word reads up to the next space.
func (sc *scanner) word() string {
	start := sc.i
	for !sc.done() && sc.s[sc.i] != ' ' {
		sc.i++
	}
	return sc.s[start:sc.i]
}

func (sc *scanner) rest() string {
	r := sc.s[sc.i:]
	sc.i = len(sc.s)
	return r
}

// bracketed reads "[" ... "]" (a response code, which may hold lists) and
// returns what is inside.
func (sc *scanner) bracketed() (string, bool) {
	if sc.peek() != '[' {
		return "", false
	}
	end := strings.IndexByte(sc.s[sc.i:], ']')
	if end < 0 {
		return "", false
	}
	in := sc.s[sc.i+1 : sc.i+end]
	sc.i += end + 1
	return in, true
}

// value reads one value. An atom may hold a bracketed part with spaces
// and parentheses: BODY[HEADER.FIELDS (FROM)]<0>.
func (sc *scanner) value() value {
	switch sc.peek() {
	case '(':
		sc.i++
		v := value{kind: '('}
		for !sc.done() && !sc.eat(')') {
			if !sc.eat(' ') {
				v.list = append(v.list, sc.value())
			}
		}
		return v
	case '"':
		start := sc.i
		sc.i++
		var b strings.Builder
		for !sc.done() && sc.s[sc.i] != '"' {
			if sc.s[sc.i] == '\\' && sc.i+1 < len(sc.s) {
				sc.i++
			}
			b.WriteByte(sc.s[sc.i])
			sc.i++
		}
		sc.eat('"')
		return value{kind: 'q', raw: sc.s[start:sc.i], str: b.String()}
	case '{', '~': // a literal, or BINARY's literal8 ~{n}
		at := sc.i
		if sc.s[at] == '~' {
			at++
		}
		if end := strings.Index(sc.s[at:], "}\r\n"); end > 0 && sc.s[at] == '{' {
			if n, err := strconv.Atoi(sc.s[at+1 : at+end]); err == nil {
				raw := sc.s[sc.i : at+end+1]
				from := at + end + 3
				sc.i = min(from+n, len(sc.s))
				return value{kind: 'l', raw: raw, str: sc.s[from:sc.i], size: n}
			}
		}
	}
	start, depth := sc.i, 0
	for !sc.done() {
		c := sc.s[sc.i]
		if depth == 0 && (c == ' ' || c == '(' || c == ')') {
			break
		}
		switch c {
		case '[':
			depth++
		case ']':
			depth--
		}
		sc.i++
	}
	if sc.i == start && !sc.done() {
		sc.i++ // a stray character: never stand still
	}
	a := sc.s[start:sc.i]
	return value{kind: 'a', raw: a, str: a}
}

// partsOf reads a response the session sent back into its tokens and
// their roles: the tag, "*" or "+", the status and response code with its
// arguments, the text, and the untagged data item by item.
func (s *Session) partsOf(resp string) []part {
	sc := &scanner{s: resp}
	first := sc.word()
	var ps []part
	switch first {
	case "+":
		ps = append(ps, part{token: "+", role: "continue"})
		sc.space()
		if t := sc.rest(); t != "" {
			ps = append(ps, part{token: shorten(t), role: "text"})
		}
		return ps
	case "*":
		ps = append(ps, part{token: "*", role: "untagged"})
	default:
		ps = append(ps, part{token: first, role: "tag"})
	}
	sc.space()
	w := sc.word()
	switch w {
	case "OK", "NO", "BAD", "BYE", "PREAUTH":
		return append(ps, statusParts(sc, w, first == "*")...)
	}
	if _, err := strconv.ParseUint(w, 10, 32); err == nil {
		sc.space()
		return append(ps, s.numberedParts(sc, w, strings.Contains(resp, "\r\n"))...)
	}
	sc.space()
	return append(ps, s.dataParts(sc, w)...)
}

// statusParts: OK, NO, BAD, BYE or PREAUTH, a response code, the text.
func statusParts(sc *scanner, status string, untagged bool) []part {
	r := role("status." + status)
	if untagged && hasRole(r+".untagged") {
		r += ".untagged"
	}
	ps := []part{{token: status, role: r}}
	sc.space()
	if code, ok := sc.bracketed(); ok {
		ps = append(ps, codeParts(code)...)
		sc.space()
	}
	if t := sc.rest(); t != "" {
		ps = append(ps, part{token: shorten(t), role: "text"})
	}
	return ps
}

// codeParts: a response code as one token, then its arguments where they
// need saying one by one.
func codeParts(code string) []part {
	name, args, _ := strings.Cut(code, " ")
	tok := shorten("[" + code + "]")
	r := role("code." + name)
	if !hasRole(r) {
		r = "code"
	}
	ps := []part{{token: tok, role: r}}
	argv := func() value { return (&scanner{s: "(" + args + ")"}).value() }
	switch name {
	case "UIDVALIDITY", "UIDNEXT", "UNSEEN", "HIGHESTMODSEQ", "MODIFIED":
		ps[0].args = []any{args}
	case "CAPABILITY":
		ps = append(ps, capParts(strings.Fields(args))...)
	case "PERMANENTFLAGS":
		if v := argv(); len(v.list) > 0 {
			ps = append(ps, flagParts(v.list[0].list)...)
		}
	case "APPENDUID":
		uid := role("appenduid.uid")
		if strings.Contains(args, ":") {
			uid = role("appenduid.uids") // MULTIAPPEND's messages
		}
		ps = append(ps, argParts(args, "appenduid.validity", uid)...)
	case "COPYUID":
		ps = append(ps, argParts(args, "copyuid.validity", "copyuid.src", "copyuid.dst")...)
	case "BADCHARSET":
		ps = append(ps, part{token: args, role: "badcharset.list"})
	}
	return ps
}

func argParts(args string, rs ...role) []part {
	var ps []part
	for i, a := range strings.Fields(args) {
		if i < len(rs) {
			ps = append(ps, part{token: a, role: rs[i]})
		}
	}
	return ps
}

func capParts(caps []string) []part {
	var ps []part
	for _, c := range caps {
		r := role("cap." + c)
		if !hasRole(r) {
			r = "cap"
		}
		ps = append(ps, part{token: c, role: r})
	}
	return ps
}

func flagParts(flags []value) []part {
	var ps []part
	for _, f := range flags {
		r := role("flag." + f.str)
		if !hasRole(r) {
			r = "flag.keyword"
		}
		ps = append(ps, part{token: f.str, role: r})
	}
	return ps
}

// numberedParts: n EXISTS, n RECENT, n EXPUNGE, n FETCH (...).
func (s *Session) numberedParts(sc *scanner, n string, multiline bool) []part {
	name := sc.word()
	low := strings.ToLower(name)
	ps := []part{{token: n, role: role(low + ".n")}, {token: name, role: role("data." + name)}}
	if name != "FETCH" {
		return ps
	}
	sc.space()
	ps = append(ps, fetchParts(sc.value())...)
	if multiline {
		ps = append(ps, part{token: ")", role: "fetch.end"})
	}
	return ps
}

// fetchParts explains FETCH's name-value pairs item by item.
func fetchParts(items value) []part {
	var ps []part
	for i := 0; i+1 < len(items.list); i += 2 {
		name, v := strings.ToUpper(items.list[i].str), items.list[i+1]
		switch {
		case name == "FLAGS":
			ps = append(ps, part{token: shorten(name + " " + v.text()), role: "item.FLAGS"})
			ps = append(ps, flagParts(v.list)...)
		case name == "UID" || name == "RFC822.SIZE" || name == "INTERNALDATE" || name == "MODSEQ":
			ps = append(ps, part{token: name + " " + v.text(), role: role("item." + name)})
		case name == "ENVELOPE":
			ps = append(ps, part{token: name, role: "item.ENVELOPE"})
			ps = append(ps, envelopeParts(v)...)
		case name == "BODYSTRUCTURE" || name == "BODY":
			ps = append(ps, part{token: name, role: role("item." + name)})
			ps = append(ps, structureParts(v, name == "BODYSTRUCTURE")...)
		case strings.HasPrefix(name, "BINARY.SIZE["):
			ps = append(ps, part{token: name + " " + v.text(), role: "item.BINARY.SIZE"})
		case strings.HasPrefix(name, "BINARY["):
			ps = append(ps, part{token: shorten(name), role: "item.BINARY[]"}, valuePart(v))
		case strings.HasPrefix(name, "BODY["):
			ps = append(ps, sectionParts(items.list[i].str)...)
			ps = append(ps, valuePart(v))
		case strings.HasPrefix(name, "RFC822"):
			ps = append(ps, part{token: name, role: role("item." + name)}, valuePart(v))
		}
	}
	return ps
}

// valuePart: the data of a body section, a literal or an empty string.
func valuePart(v value) part {
	if v.kind == 'l' {
		return part{token: v.raw, role: "literal", args: []any{v.size}}
	}
	return part{token: v.show(), role: "empty"}
}

var envelopeRoles = []role{"env.date", "env.subject", "env.from", "env.sender", "env.reply-to",
	"env.to", "env.cc", "env.bcc", "env.in-reply-to", "env.message-id"}

func envelopeParts(env value) []part {
	var ps []part
	for i, f := range env.list {
		if i < len(envelopeRoles) {
			ps = append(ps, part{token: f.show(), role: envelopeRoles[i]})
		}
	}
	return ps
}

// structureParts explains a body structure: a multipart's parts one by
// one, its subtype and extension data; a single part field by field.
func structureParts(b value, ext bool) []part {
	var ps []part
	if len(b.list) > 0 && b.list[0].kind == '(' {
		i := 0
		for ; i < len(b.list) && b.list[i].kind == '('; i++ {
			ps = append(ps, part{token: b.list[i].show(), role: "bs.part", args: []any{i + 1, mimeType(b.list[i])}})
		}
		rs := []role{"bs.multipart", "bs.params", "bs.disposition", "bs.language", "bs.location"}
		for j := 0; i < len(b.list) && j < len(rs); i, j = i+1, j+1 {
			ps = append(ps, part{token: b.list[i].show(), role: rs[j]})
		}
		return ps
	}
	rs := []role{"bs.type", "bs.subtype", "bs.params", "bs.id", "bs.description", "bs.encoding", "bs.size"}
	switch mimeType(b) {
	case "message/rfc822":
		rs = append(rs, "bs.envelope", "bs.body", "bs.lines")
	default:
		if strings.HasPrefix(mimeType(b), "text/") {
			rs = append(rs, "bs.lines")
		}
	}
	if ext {
		rs = append(rs, "bs.md5", "bs.disposition", "bs.language", "bs.location")
	}
	for i, v := range b.list {
		if i < len(rs) {
			ps = append(ps, part{token: v.show(), role: rs[i]})
		}
	}
	return ps
}

// mimeType is a body structure's type/subtype in lower case.
func mimeType(b value) string {
	if len(b.list) > 0 && b.list[0].kind == '(' {
		for _, v := range b.list {
			if v.kind != '(' {
				return "multipart/" + strings.ToLower(v.str)
			}
		}
		return "multipart"
	}
	if len(b.list) < 2 {
		return ""
	}
	return strings.ToLower(b.list[0].str + "/" + b.list[1].str)
}

// sectionParts: BODY[section]<origin> as the item, then the section's
// part number, its specifier and the origin.
func sectionParts(item string) []part {
	open, end := strings.IndexByte(item, '['), strings.LastIndexByte(item, ']')
	if end < open {
		return []part{{token: shorten(item), role: "item.BODY[]"}}
	}
	sec, origin := item[open+1:end], item[end+1:]
	if sec == "" {
		ps := []part{{token: item[:end+1], role: "section.whole"}}
		if origin != "" {
			ps = append(ps, part{token: origin, role: "section.origin"})
		}
		return ps
	}
	ps := []part{{token: shorten(item[:end+1]), role: "item.BODY[]"}}
	nums := 0
	for nums < len(sec) && (sec[nums] >= '0' && sec[nums] <= '9' || sec[nums] == '.' && nums+1 < len(sec) && sec[nums+1] >= '0' && sec[nums+1] <= '9') {
		nums++
	}
	if nums > 0 {
		ps = append(ps, part{token: sec[:nums], role: "section.part"})
	}
	if spec := strings.TrimPrefix(sec[nums:], "."); spec != "" {
		name, _, _ := strings.Cut(spec, " ")
		ps = append(ps, part{token: shorten(spec), role: role("section." + name)})
	}
	if origin != "" {
		ps = append(ps, part{token: origin, role: "section.origin"})
	}
	return ps
}

// dataParts: the untagged data that starts with a name.
func (s *Session) dataParts(sc *scanner, name string) []part {
	ps := []part{{token: name, role: role("data." + name)}}
	switch name {
	case "CAPABILITY", "ENABLED":
		ps = append(ps, capParts(strings.Fields(sc.rest()))...)
	case "FLAGS":
		ps = append(ps, flagParts(sc.value().list)...)
	case "SEARCH":
		r := role("search.seq")
		if strings.HasPrefix(s.cmd, "UID ") {
			r = "search.uid"
		}
		ps = append(ps, numberParts(sc.rest(), r)...)
	case "SORT", "THREAD", "ESEARCH":
		ps = append(ps, s.searchParts(sc, name)...)
	case "STATUS":
		ps = append(ps, mailboxPart(sc.value()))
		sc.space()
		items := sc.value().list
		for i := 0; i+1 < len(items); i += 2 {
			ps = append(ps, part{token: items[i].str + " " + items[i+1].str, role: role("status." + items[i].str)})
		}
	case "LIST", "LSUB":
		attrs := sc.value()
		if len(attrs.list) == 0 {
			ps = append(ps, part{token: "()", role: "attrs.none"})
		}
		for _, a := range attrs.list {
			r := role("attr." + a.str)
			if !hasRole(r) {
				r = "attr"
			}
			ps = append(ps, part{token: a.str, role: r})
		}
		sc.space()
		ps = append(ps, part{token: sc.value().raw, role: "delimiter"})
		sc.space()
		if n := sc.value(); n.str == "" {
			ps = append(ps, part{token: n.raw, role: "list.root"})
		} else {
			ps = append(ps, mailboxPart(n))
		}
		if sc.space(); !sc.done() {
			ps = append(ps, part{token: shorten(sc.rest()), role: "list.childinfo"})
		}
	case "NAMESPACE":
		for _, r := range []role{"ns.personal", "ns.other", "ns.shared"} {
			ps = append(ps, part{token: sc.value().show(), role: r})
			sc.space()
		}
	case "ID":
		fields := sc.value().list
		for i := 0; i+1 < len(fields); i += 2 {
			r := role("id." + strings.ToLower(fields[i].str))
			if !hasRole(r) {
				r = "id.field"
			}
			ps = append(ps, part{token: fields[i].raw + " " + fields[i+1].raw, role: r})
		}
	}
	return ps
}

// maxNumbers is how many numbers of a SEARCH answer are explained one by
// one.
const maxNumbers = 10

// mailboxPart: a mailbox name, decoded when modified UTF-7 changes it.
func mailboxPart(v value) part {
	if name, err := mutf7.Decode(v.str); err == nil && name != v.str {
		return part{token: v.show(), role: "mailbox.utf7", args: []any{name}}
	}
	return part{token: v.show(), role: "mailbox"}
}
