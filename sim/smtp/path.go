package smtp

import (
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Size limits of RFC 5321 section 4.5.3.1.
const (
	maxLocalPart = 64  // 4.5.3.1.1, octets
	maxDomain    = 255 // 4.5.3.1.2, octets
	maxPath      = 256 // 4.5.3.1.3, octets with the angle brackets
	maxLabel     = 63  // RFC 1035 section 2.3.4, a domain label
)

// Path is a reverse-path (MAIL FROM) or forward-path (RCPT TO) as RFC 5321
// section 4.1.2 writes it: "<" [ A-d-l ":" ] Mailbox ">", or the null
// reverse-path "<>".
type Path struct {
	// Null is the null reverse-path <>: the message is a notification
	// (a bounce) that must not cause another one (RFC 5321 section 4.5.5).
	Null bool
	// Route holds the domains of a source route, "@ONE,@TWO:" in
	// <@ONE,@TWO:VANJA@THREE>, in order. RFC 5321 section 4.1.1.3 and
	// Appendix C: servers accept the syntax and ignore the route, and so
	// does Postfix (it cuts "@...:" off before parsing the address).
	Route []string
	// Local is the local part, unquoted: `john doe` for `"john doe"`.
	Local string
	// Domain is the domain, or an address literal with its brackets
	// ("[192.0.2.1]"). It is empty for <Postmaster> and for a bare user
	// name, which the server completes with its own domain.
	Domain string
	// Quoted says the local part was sent as a Quoted-string.
	Quoted bool
	// Bracketed says the path was inside < >. Without them it is still
	// accepted, as Postfix does with strict_rfc821_envelopes = no (its
	// default): the lecture's "RCPT TO: ysemenov@cernvm.cern.ch".
	Bracketed bool
	// UTF8 says the address holds non-ASCII characters, which RFC 6531
	// allows only in a transaction whose MAIL carries SMTPUTF8.
	UTF8 bool
}

// Postmaster reports the special recipient <Postmaster> without a domain,
// which every server must accept (RFC 5321 section 4.5.1).
func (p Path) Postmaster() bool {
	return !p.Null && p.Domain == "" && strings.EqualFold(p.Local, "postmaster")
}

// Mailbox is the address local@domain, the local part quoted when it is
// not a Dot-string (RFC 5321 section 4.1.2 says a quoted string that could
// be a Dot-string should be treated as one), without the source route.
// It is empty for the null path.
func (p Path) Mailbox() string {
	if p.Null {
		return ""
	}
	local := p.Local
	if !isDotString(local) {
		local = quoteLocal(local)
	}
	if p.Domain == "" {
		return local
	}
	return local + "@" + p.Domain
}

// String is the path in angle brackets, as it goes in a reply or a
// Return-Path header.
func (p Path) String() string { return "<" + p.Mailbox() + ">" }

// WithDomain completes a path without a domain, as Postfix completes a
// bare user name with $myorigin.
func (p Path) WithDomain(domain string) Path {
	if !p.Null && p.Domain == "" {
		p.Domain = domain
	}
	return p
}

// pathError is why a path was refused: a catalogue key and arguments.
type pathError = Text

// parsePath reads a path at the start of s (after "FROM:" or "TO:" and any
// spaces) and returns it and what follows it. reverse allows the null path.
func parsePath(s string, reverse bool) (p Path, rest string, why *pathError) {
	if s == "" {
		return p, "", &pathError{Key: "addr.missing"}
	}
	var inner string
	if s[0] == '<' {
		end := closingBracket(s)
		if end < 0 {
			return p, "", &pathError{Key: "addr.unclosed"}
		}
		inner, rest = s[1:end], s[end+1:]
		if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
			return p, "", &pathError{Key: "addr.trailing", Args: []any{printable(rest)}}
		}
		p.Bracketed = true
		if len(s[:end+1]) > maxPath {
			return p, "", &pathError{Key: "addr.toolong", Args: []any{end + 1, maxPath}}
		}
	} else {
		end := wordEnd(s)
		inner, rest = s[:end], s[end:]
		if strings.ContainsAny(inner, "<>") {
			return p, "", &pathError{Key: "addr.brackets"}
		}
		if len(inner)+2 > maxPath {
			return p, "", &pathError{Key: "addr.toolong", Args: []any{len(inner) + 2, maxPath}}
		}
	}
	if inner == "" {
		if !reverse {
			return p, "", &pathError{Key: "addr.null"}
		}
		if !p.Bracketed {
			return p, "", &pathError{Key: "addr.missing"}
		}
		p.Null = true
		return p, rest, nil
	}
	if inner[0] == '@' {
		colon := strings.IndexByte(inner, ':')
		if colon < 0 {
			return p, "", &pathError{Key: "addr.route"}
		}
		for _, hop := range strings.Split(inner[:colon], ",") {
			d, ok := strings.CutPrefix(hop, "@")
			if !ok || checkDomain(d) != nil {
				return p, "", &pathError{Key: "addr.route.hop", Args: []any{printable(hop)}}
			}
			p.Route = append(p.Route, d)
		}
		inner = inner[colon+1:]
	}
	if why := p.parseMailbox(inner); why != nil {
		return p, "", why
	}
	return p, rest, nil
}

// parseMailbox reads Local-part ["@" ( Domain / address-literal )]. A
// missing domain is accepted: <Postmaster> needs none (RCPT), and a bare
// user name is completed by the server, as Postfix does.
func (p *Path) parseMailbox(s string) *pathError {
	p.UTF8 = hasNonASCII(s)
	local, domain, hasAt := s, "", false
	if strings.HasPrefix(s, `"`) {
		end := closingQuote(s)
		if end < 0 {
			return &pathError{Key: "addr.quote.unclosed"}
		}
		local = s[:end+1]
		switch rest := s[end+1:]; {
		case rest == "":
		case rest[0] == '@':
			domain, hasAt = rest[1:], true
		default:
			return &pathError{Key: "addr.quote.after", Args: []any{printable(rest)}}
		}
	} else if i := strings.LastIndexByte(s, '@'); i >= 0 {
		local, domain, hasAt = s[:i], s[i+1:], true
	}
	if len(local) > maxLocalPart {
		return &pathError{Key: "addr.local.toolong", Args: []any{len(local), maxLocalPart}}
	}
	if strings.HasPrefix(local, `"`) {
		v, why := unquoteLocal(local)
		if why != nil {
			return why
		}
		p.Local, p.Quoted = v, true
	} else {
		if why := checkDotString(local); why != nil {
			return why
		}
		p.Local = local
	}
	if !hasAt {
		return nil
	}
	if domain == "" {
		return &pathError{Key: "addr.domain.missing"}
	}
	if domain[0] == '[' {
		if why := checkLiteral(domain); why != nil {
			return why
		}
	} else if why := checkDomain(domain); why != nil {
		return why
	}
	p.Domain = domain
	return nil
}

// closingBracket finds the ">" that closes the "<" at s[0], skipping
// quoted strings and quoted pairs; -1 when there is none.
func closingBracket(s string) int {
	inQuote := false
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && inQuote:
			i++
		case c == '"':
			inQuote = !inQuote
		case c == '>' && !inQuote:
			return i
		}
	}
	return -1
}

// closingQuote finds the '"' that closes the one at s[0]; -1 when none.
func closingQuote(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

// wordEnd is where an unbracketed path ends: the first space or tab
// outside a quoted string.
func wordEnd(s string) int {
	inQuote := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && inQuote:
			i++
		case c == '"':
			inQuote = !inQuote
		case (c == ' ' || c == '\t') && !inQuote:
			return i
		}
	}
	return len(s)
}

// isAtext reports an atext character (RFC 5321 section 4.1.2, from RFC
// 5322 section 3.2.3), with RFC 6531's UTF8-non-ascii.
func isAtext(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	case r >= 0x80:
		return r != utf8.RuneError && unicode.IsPrint(r)
	}
	return strings.ContainsRune("!#$%&'*+-/=?^_`{|}~", r)
}

// checkDotString checks Dot-string = Atom *("." Atom).
func checkDotString(s string) *pathError {
	if s == "" {
		return &pathError{Key: "addr.local.empty"}
	}
	if s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return &pathError{Key: "addr.local.dots", Args: []any{printable(s)}}
	}
	for _, r := range s {
		if r != '.' && !isAtext(r) {
			return &pathError{Key: "addr.local.char", Args: []any{printable(string(r)), printable(s)}}
		}
	}
	return nil
}

func isDotString(s string) bool { return checkDotString(s) == nil }

// unquoteLocal reads Quoted-string = DQUOTE *QcontentSMTP DQUOTE, where
// qtextSMTP is %d32-33 / %d35-91 / %d93-126 and quoted-pairSMTP is "\"
// followed by %d32-126 (RFC 5321 section 4.1.2).
func unquoteLocal(q string) (string, *pathError) {
	var b strings.Builder
	body := q[1 : len(q)-1]
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == '\\':
			if i+1 >= len(body) || body[i+1] < 32 || body[i+1] > 126 {
				return "", &pathError{Key: "addr.quote.char", Args: []any{printable(q)}}
			}
			i++
			b.WriteByte(body[i])
		case c >= 32 && c <= 126 && c != '"', c >= 0x80:
			b.WriteByte(c)
		default:
			return "", &pathError{Key: "addr.quote.char", Args: []any{printable(q)}}
		}
	}
	if b.Len() == 0 {
		return "", &pathError{Key: "addr.local.empty"}
	}
	return b.String(), nil
}

// quoteLocal writes a local part as a Quoted-string.
func quoteLocal(s string) string {
	var b strings.Builder
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

// checkDomain checks Domain = sub-domain *("." sub-domain), sub-domain =
// Let-dig [Ldh-str] (RFC 5321 section 4.1.2): letters, digits and inner
// hyphens, at most 63 octets a label and 255 in all. RFC 6531 adds
// U-labels, checked here only as letters and digits of any script.
func checkDomain(d string) *pathError {
	if d == "" {
		return &pathError{Key: "addr.domain.missing"}
	}
	if len(d) > maxDomain {
		return &pathError{Key: "addr.domain.toolong", Args: []any{len(d), maxDomain}}
	}
	for _, label := range strings.Split(d, ".") {
		if !validLabel(label) {
			return &pathError{Key: "addr.domain.label", Args: []any{printable(label), printable(d)}}
		}
	}
	return nil
}

func validLabel(l string) bool {
	if l == "" || len(l) > maxLabel || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for _, r := range l {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' ||
			r >= 0x80 && r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
		if !ok {
			return false
		}
	}
	return true
}

// checkLiteral checks address-literal = "[" ( IPv4-address-literal /
// IPv6-address-literal / General-address-literal ) "]" (RFC 5321 section
// 4.1.3). No General-address-literal tag has been standardized, so those
// are refused.
func checkLiteral(s string) *pathError {
	if len(s) < 3 || s[0] != '[' || s[len(s)-1] != ']' {
		return &pathError{Key: "addr.literal", Args: []any{printable(s)}}
	}
	inner := s[1 : len(s)-1]
	if v6, ok := cutPrefixFold(inner, "IPv6:"); ok {
		a, err := netip.ParseAddr(v6)
		if err != nil || !a.Is6() || a.Zone() != "" {
			return &pathError{Key: "addr.literal.ipv6", Args: []any{printable(s)}}
		}
		return nil
	}
	if strings.Contains(inner, ":") {
		return &pathError{Key: "addr.literal.tag", Args: []any{printable(s)}}
	}
	if !validIPv4(inner) {
		return &pathError{Key: "addr.literal.ipv4", Args: []any{printable(s)}}
	}
	return nil
}

// validIPv4 checks IPv4-address-literal = Snum 3("." Snum), Snum 1 to 3
// digits worth 0 to 255. Leading zeros are allowed here, unlike in
// netip.ParseAddr.
func validIPv4(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if len(p) < 1 || len(p) > 3 || strings.Trim(p, "0123456789") != "" {
			return false
		}
		n := 0
		for _, c := range p {
			n = n*10 + int(c-'0')
		}
		if n > 255 {
			return false
		}
	}
	return true
}

// literalAddr returns the IP address of an address literal, or an invalid
// Addr for a domain.
func literalAddr(s string) netip.Addr {
	if len(s) < 3 || s[0] != '[' {
		return netip.Addr{}
	}
	inner := s[1 : len(s)-1]
	if v6, ok := cutPrefixFold(inner, "IPv6:"); ok {
		a, _ := netip.ParseAddr(v6)
		return a
	}
	var b [4]byte
	for i, p := range strings.SplitN(inner, ".", 4) {
		n := 0
		for _, c := range p {
			n = n*10 + int(c-'0')
		}
		b[i] = byte(n)
	}
	return netip.AddrFrom4(b)
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

func hasNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	return false
}

// printable shows control characters in caret notation and cuts long
// client text, so a reply or an explanation never carries raw control
// bytes or an over-long echo.
func printable(s string) string {
	const max = 200
	var b strings.Builder
	for i := 0; i < len(s) && b.Len() < max; i++ {
		switch c := s[i]; {
		case c < 0x20:
			b.WriteByte('^')
			b.WriteByte(c + 0x40)
		case c == 0x7f:
			b.WriteString("^?")
		default:
			b.WriteByte(c)
		}
	}
	if b.Len() >= max {
		return strings.ToValidUTF8(b.String(), "") + "..."
	}
	return b.String()
}
