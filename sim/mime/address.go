package mime

import "strings"

// Address is one element of an ENVELOPE address list (RFC 3501 section
// 7.4.2). A group is two markers around its members: the start has only
// Mailbox set (the group name), the end has every field empty.
type Address struct {
	Name    string // display name as written (RFC 2047 words left encoded)
	Route   string // obsolete source route, e.g. "@relay.test,@hop.test"
	Mailbox string // local part, or the group name in a group start
	Host    string // domain
}

// ParseAddressList parses an address-list header value (RFC 5322 section
// 3.4) the way ENVELOPE needs it. go-message (through net/mail) flattens
// groups and decodes display names; ENVELOPE keeps group markers and the
// raw names, so this small parser stays close to the grammar instead. It
// never fails: like Dovecot it keeps what it can read, and uses a comment
// as the name of a bare address ("pete@silly.test (Pete Smith)").
func ParseAddressList(v string) []Address {
	p := addrParser{toks: tokenize(v)}
	return p.list()
}

type tokKind int

const (
	tokAtom    tokKind = iota // atom or dot-atom, '.' included
	tokQuoted                 // quoted-string; text unescaped, raw as written
	tokComment                // (comment); text without the parentheses
	tokSpecial                // one of < > @ , ; : [ ]
	tokDomainLiteral
)

type token struct {
	kind      tokKind
	text, raw string
}

func (t token) is(c byte) bool { return t.kind == tokSpecial && t.text[0] == c }

// tokenize splits a header value into RFC 5322 lexical tokens.
func tokenize(s string) []token {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			i++
		case c == '"':
			text, n := quoted(s[i:], '"')
			toks = append(toks, token{tokQuoted, text, s[i : i+n]})
			i += n
		case c == '(':
			text, n := comment(s[i:])
			toks = append(toks, token{tokComment, text, s[i : i+n]})
			i += n
		case c == '[':
			end := strings.IndexByte(s[i:], ']')
			if end < 0 {
				end = len(s) - i - 1
			}
			toks = append(toks, token{tokDomainLiteral, s[i : i+end+1], s[i : i+end+1]})
			i += end + 1
		case strings.IndexByte("<>@,;:]", c) >= 0:
			toks = append(toks, token{tokSpecial, s[i : i+1], s[i : i+1]})
			i++
		default:
			j := i
			for j < len(s) && strings.IndexByte(" \t\r\n\"(<>@,;:[]", s[j]) < 0 {
				j++
			}
			toks = append(toks, token{tokAtom, s[i:j], s[i:j]})
			i = j
		}
	}
	return toks
}

// quoted reads a quoted-string starting at s[0]; it returns the unescaped
// content and the number of bytes used (to the end when unterminated).
func quoted(s string, end byte) (string, int) {
	var b strings.Builder
	i := 1
	for ; i < len(s) && s[i] != end; i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String(), min(i+1, len(s))
}

// comment reads a possibly nested comment starting at s[0].
func comment(s string) (string, int) {
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '(':
			if depth > 0 {
				b.WriteByte(c)
			}
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return b.String(), i + 1
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), len(s)
}

type addrParser struct {
	toks []token
	pos  int
}

// list reads address *("," address), as Dovecot reads it: comments
// before an element are skipped (they name nothing), an element that is
// empty between commas is an address with neither mailbox nor domain, a
// comma ending the list adds nothing, and whatever follows an element
// other than a comma (a stray ";", a second address without a comma)
// ends the list.
func (p *addrParser) list() []Address {
	var out []Address
	p.skipComments()
	for p.pos < len(p.toks) {
		out = p.address(out)
		if !p.at(',') {
			break
		}
		p.pos++
		p.skipComments()
	}
	return out
}

// address reads a mailbox or a group: display-name ":" [mailbox-list /
// CFWS] ";" (RFC 5322 3.4). A group holding only blanks and comments is
// empty; in a group that is not, every element between commas counts,
// an empty one included (Dovecot reads it so).
func (p *addrParser) address(out []Address) []Address {
	start := p.pos
	p.skipWords()
	if !p.at(':') {
		p.pos = start
		return append(out, p.mailbox())
	}
	out = append(out, Address{Mailbox: phrase(p.toks[start:p.pos])})
	p.pos++
	p.skipComments()
	if !p.at(';') {
		for {
			out = append(out, p.mailbox())
			if !p.at(',') {
				break
			}
			p.pos++
			p.skipComments()
		}
	}
	if p.at(';') {
		p.pos++
		p.skipComments()
	}
	return append(out, Address{})
}

// mailbox reads name-addr or addr-spec: the words up to a "," ";" or ":"
// are an addr-spec unless a "<" follows them.
func (p *addrParser) mailbox() Address {
	start := p.pos
	p.skipWords()
	words := p.toks[start:p.pos]
	if p.at('<') {
		p.pos++
		a := p.angleAddr()
		a.Name = phrase(words)
		return a
	}
	return addrSpec(words)
}

// skipWords moves past everything up to the next "," ";" ":" or "<".
func (p *addrParser) skipWords() {
	for p.pos < len(p.toks) && !p.stop(p.toks[p.pos]) {
		p.pos++
	}
}

func (p *addrParser) skipComments() {
	for p.pos < len(p.toks) && p.toks[p.pos].kind == tokComment {
		p.pos++
	}
}

func (p *addrParser) at(c byte) bool { return p.pos < len(p.toks) && p.toks[p.pos].is(c) }

func (p *addrParser) stop(t token) bool { return t.is(',') || t.is(';') || t.is(':') || t.is('<') }

// angleAddr reads [route ":"] addr-spec ">" after the "<", and any comments
// after it.
func (p *addrParser) angleAddr() Address {
	start := p.pos
	for p.pos < len(p.toks) && !p.toks[p.pos].is('>') {
		p.pos++
	}
	inner := p.toks[start:p.pos]
	if p.pos < len(p.toks) {
		p.pos++
	}
	var route string
	for i, t := range inner { // obs-route: "@a,@b:" (RFC 5322 section 4.4)
		if t.is(':') && len(inner) > 0 && inner[0].is('@') {
			route = joinRaw(inner[:i])
			inner = inner[i+1:]
			break
		}
	}
	if route == "" && len(inner) > 0 && inner[0].is('@') {
		// "<@host>": a route without its ":" and address. Dovecot
		// shows it so, rather than take the host for the domain.
		route, inner = invalidRoute, nil
	}
	a := addrSpec(inner)
	a.Route = route
	for p.pos < len(p.toks) && p.toks[p.pos].kind == tokComment {
		p.pos++
	}
	return a
}

// addrSpec splits local-part "@" domain; the last comment among the
// tokens gives the name, as in Dovecot. A missing local part or domain is shown as Dovecot shows it,
// MISSING_MAILBOX and MISSING_DOMAIN, so that clients still get a
// well-formed address (RFC 3501 section 7.4.2 has no form for it).
func addrSpec(toks []token) Address {
	var a Address
	var local, domain []token
	at := -1
	for i, t := range toks {
		if t.is('@') {
			at = i
		}
	}
	for i, t := range toks {
		switch {
		case t.kind == tokComment:
			a.Name = strings.TrimSpace(t.text)
		case at >= 0 && i > at:
			domain = append(domain, t)
		case i != at:
			local = append(local, t)
		}
	}
	a.Mailbox, a.Host = joinText(local), joinText(domain)
	if a.Mailbox == "" && a.Host == "" {
		a.Name = "" // a comment alone names nothing
	}
	if a.Mailbox == "" {
		a.Mailbox = missingMailbox
	}
	if a.Host == "" {
		a.Host = missingDomain
	}
	return a
}

const (
	invalidRoute   = "INVALID_ROUTE"
	missingMailbox = "MISSING_MAILBOX"
	missingDomain  = "MISSING_DOMAIN"
)

// phrase joins display-name words with single spaces, quoted strings
// unquoted and comments dropped.
func phrase(toks []token) string {
	var b strings.Builder
	for _, t := range toks {
		if t.kind == tokComment {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.text)
	}
	return b.String()
}

// joinText joins tokens with quoted strings unquoted: the mailbox of
// "john q"@example.com is john q.
func joinText(toks []token) string {
	var b strings.Builder
	for _, t := range toks {
		if t.kind != tokComment {
			b.WriteString(t.text)
		}
	}
	return b.String()
}

func joinRaw(toks []token) string {
	var b strings.Builder
	for _, t := range toks {
		if t.kind != tokComment {
			b.WriteString(t.raw)
		}
	}
	return b.String()
}

// AddressText is what SEARCH FROM, TO, CC and BCC look in (RFC 3501
// 6.4.4): every field called name, one string each, its addresses written
// back as Dovecot writes them for its search, comments dropped and
// RFC 2047 words decoded to UTF-8:
//
//	Name <local@domain>, "Real, Name" <a@b>, <@route:x@y>, group: <a@b>, <c@d>;
//
// So "user-from@domain.org" finds <user-from (comment)@ (comment)
// domain.org>, which the field's text does not hold, and a comment inside
// an address is not found.
func (e *Entity) AddressText(name string) []string {
	var out []string
	fs := e.Header.FieldsByKey(name)
	for fs.Next() {
		raw, err := fs.Raw()
		if err != nil {
			continue
		}
		var b strings.Builder
		writeSearchable(&b, ParseAddressList(unfold(raw)))
		out = append(out, decodeWords(b.String()))
	}
	return out
}

// writeSearchable writes an address list as addresses, not as ENVELOPE's
// lists: ", " between addresses, a group as "name: " and its members,
// then ";" ("name:;" when empty).
func writeSearchable(b *strings.Builder, list []Address) {
	inGroup, first := false, true
	for _, a := range list {
		switch {
		case a == Address{}: // a group's end
			b.WriteByte(';')
			inGroup, first = false, false
			continue
		case a.Host == "" && a.Route == "" && a.Name == "": // a group's start
			if !first {
				b.WriteString(", ")
			}
			writePhrase(b, a.Mailbox)
			b.WriteByte(':')
			inGroup, first = true, true
			continue
		}
		switch {
		case inGroup && first:
			b.WriteByte(' ')
		case !first:
			b.WriteString(", ")
		}
		first = false
		if a.Name != "" {
			writePhrase(b, a.Name)
			b.WriteByte(' ')
		}
		b.WriteByte('<')
		if a.Route != "" {
			b.WriteString(a.Route)
			b.WriteByte(':')
		}
		writeLocalPart(b, a.Mailbox)
		b.WriteByte('@')
		b.WriteString(a.Host)
		b.WriteByte('>')
	}
}

// writePhrase writes a display name as an atom when it is one or holds
// RFC 2047 words (quoting would hide them from decoding), else as a
// quoted string.
func writePhrase(b *strings.Builder, s string) {
	if strings.Contains(s, "=?") || !strings.ContainsFunc(s, func(r rune) bool { return !isAtext(r) }) {
		b.WriteString(s)
		return
	}
	writeQuoted(b, s)
}

// writeLocalPart writes a local part as a dot-atom when it is one, else
// quoted: "john q"@example.com.
func writeLocalPart(b *strings.Builder, s string) {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool { return r != '.' && !isAtext(r) }) {
		b.WriteString(s)
		return
	}
	writeQuoted(b, s)
}

func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
}

// isAtext: a character an atom may hold (RFC 5322 3.2.3).
func isAtext(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("!#$%&'*+-/=?^_`{|}~", r)
}
