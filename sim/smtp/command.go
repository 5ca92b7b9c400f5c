package smtp

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Command line limits, CRLF included.
const (
	// maxCommandLine is RFC 5321 section 4.5.3.1.4's limit: "The maximum
	// total length of a command line including the command word and the
	// <CRLF> is 512 octets. SMTP extensions may be used to increase this
	// limit."
	maxCommandLine = 512
	// maxMailLine and maxRcptLine leave room for the parameters the
	// announced extensions add: SIZE (RFC 1870), BODY, SMTPUTF8 (RFC
	// 6531), RET and ENVID (RFC 3461), AUTH (RFC 4954 section 5) on MAIL;
	// NOTIFY and ORCPT (RFC 3461) on RCPT, whose ORCPT alone may be 500
	// characters.
	maxMailLine = 1200
	maxRcptLine = 1024
	// MaxLine is the longest line a server reads at all: RFC 4954 section
	// 4 lets an AUTH command with its initial response, and each SASL
	// response line, be 12288 octets. A reader set to this limit consumes
	// a longer line to its end and the server answers 500 Line too long.
	MaxLine = 12288
)

// Command is one parsed command line. Only the fields of its verb are set.
type Command struct {
	Line string // as received, without CRLF
	Verb string // upper-case: "MAIL", "EHLO"; "" when the line has none
	Arg  string // the rest of the line after the verb and its spaces

	Domain string // HELO, EHLO, LHLO: a domain or an address literal
	Path   Path   // MAIL, RCPT
	Params Params // MAIL, RCPT

	// Target is VRFY's and EXPN's String, without angle brackets or
	// quotes; HELP's topic; NOOP's ignored string.
	Target string
	// UTF8 is VRFY's and EXPN's SMTPUTF8 argument (RFC 6531 section 3.7.4).
	UTF8 bool

	Size int64 // BDAT: the chunk's octets
	Last bool  // BDAT: LAST, the final chunk (RFC 3030 section 2)

	Mechanism  string // AUTH: the SASL mechanism, upper-case
	Initial    string // AUTH: the initial response as sent ("=" for an empty one)
	HasInitial bool

	// Notes say what was accepted though the RFC grammar does not allow
	// it, and what a real server (Postfix) does with it.
	Notes []Text
}

// verb describes how one command is parsed.
type verb struct {
	parse func(*Command) *Reply
	limit int // longest line, CRLF included
}

// verbs is the one table of every command word this package knows,
// including RFC 821's SEND, SOML, SAML and TURN, which it recognizes so
// the server can say what they were. Which state allows each is the
// state machine's business (machine.go), not this table's.
var verbs = map[string]verb{
	"HELO":     {parse: parseHello, limit: maxCommandLine},
	"EHLO":     {parse: parseHello, limit: maxCommandLine},
	"LHLO":     {parse: parseHello, limit: maxCommandLine},
	"MAIL":     {parse: parseMail, limit: maxMailLine},
	"RCPT":     {parse: parseRcpt, limit: maxRcptLine},
	"DATA":     {parse: noArgs("data.syntax"), limit: maxCommandLine},
	"BDAT":     {parse: parseBdat, limit: maxCommandLine},
	"RSET":     {parse: noArgs("rset.syntax"), limit: maxCommandLine},
	"NOOP":     {parse: parseNoop, limit: maxCommandLine},
	"QUIT":     {parse: parseQuit, limit: maxCommandLine},
	"VRFY":     {parse: parseTarget("vrfy.syntax"), limit: maxCommandLine},
	"EXPN":     {parse: parseTarget("expn.syntax"), limit: maxCommandLine},
	"HELP":     {parse: parseHelp, limit: maxCommandLine},
	"STARTTLS": {parse: noArgs("starttls.syntax"), limit: maxCommandLine},
	"AUTH":     {parse: parseAuth, limit: MaxLine},
	"SEND":     {parse: obsolete("cmd.send"), limit: maxCommandLine},
	"SOML":     {parse: obsolete("cmd.soml"), limit: maxCommandLine},
	"SAML":     {parse: obsolete("cmd.saml"), limit: maxCommandLine},
	"TURN":     {parse: obsolete("cmd.turn"), limit: maxCommandLine},
	"ETRN":     {parse: obsolete("cmd.etrn"), limit: maxCommandLine},
}

// Known reports whether verb is a command word this package parses.
func Known(verb string) bool { _, ok := verbs[verb]; return ok }

// ParseCommand parses one command line without its CRLF. It always returns
// a Command, with Verb set when the line starts with a known one, and an
// error that is the *Reply to send when the line cannot be accepted. It
// does not know the session: whether the command is allowed now, which
// extensions were announced and what the server's policy is are checked
// by the callers of the state machine and the envelope.
//
// Verbs are case-insensitive (RFC 5321 section 2.4). Like Postfix, it
// tolerates what real clients and people at a telnet prompt send: leading
// and trailing white space, tabs and runs of spaces between words, a space
// after "FROM:" and "TO:", a path without angle brackets; each tolerance
// is noted in Notes for the explain pane.
func ParseCommand(line string) (*Command, error) {
	c := &Command{Line: line}
	if r := checkLine(line); r != nil {
		return c, r
	}
	text := strings.TrimRight(line, " \t")
	if trimmed := strings.TrimLeft(text, " \t"); trimmed != text {
		c.Notes = append(c.Notes, T("line.leadingspace"))
		text = trimmed
	}
	if text == "" {
		return c, reply("cmd.empty")
	}
	word, rest := text, ""
	if i := strings.IndexAny(text, " \t"); i >= 0 {
		word, rest = text[:i], text[i+1:]
	}
	c.Verb = strings.ToUpper(word)
	c.Arg = strings.TrimLeft(rest, " \t")
	v, ok := verbs[c.Verb]
	if !ok {
		r := reply("cmd.unknown", printable(word))
		if near := nearVerb(c.Verb); near != "" {
			r = r.With(T("cmd.didyoumean", printable(word), near))
		}
		c.Verb = ""
		return c, r
	}
	if len(line)+2 > v.limit {
		return c, reply("line.toolong", len(line)+2, v.limit)
	}
	if r := v.parse(c); r != nil {
		return c, r
	}
	return c, nil
}

// checkLine refuses what no command may hold: invalid UTF-8 (Postfix:
// "500 5.5.2 Error: bad UTF-8 syntax") and control characters, which at a
// telnet prompt are usually an erased character sent as ^H or ^?.
func checkLine(line string) *Reply {
	if len(line)+2 > MaxLine {
		return reply("line.toolong", len(line)+2, MaxLine)
	}
	if !utf8.ValidString(line) {
		return reply("cmd.utf8")
	}
	for i := 0; i < len(line); i++ {
		if c := line[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return reply("cmd.control", printable(string(c)))
		}
	}
	return nil
}

// LineTooLong is the reply to a line longer than MaxLine, which a line
// reader consumed to its end without keeping it; n is its length in
// octets with the line ending.
func LineTooLong(n int) *Reply { return reply("line.toolong", n, MaxLine) }

// parseHello reads HELO, EHLO or LHLO: ( Domain / address-literal )
// (RFC 5321 section 4.1.1.1; LHLO: RFC 2033 section 4.1).
func parseHello(c *Command) *Reply {
	if c.Arg == "" {
		return reply("helo.syntax", c.Verb)
	}
	name, extra := c.Arg, ""
	if i := strings.IndexAny(c.Arg, " \t"); i >= 0 {
		name, extra = c.Arg[:i], c.Arg[i+1:]
	}
	if extra != "" {
		// Postfix takes the whole rest as the name; only its first word
		// can be a domain, so that is the one kept.
		c.Notes = append(c.Notes, T("helo.extra", printable(strings.TrimSpace(extra))))
	}
	if strings.HasPrefix(name, "[") {
		if why := checkLiteral(name); why != nil {
			return reply("helo.badip", printable(name), c.Verb, *why)
		}
	} else if why := checkDomain(name); why != nil {
		return reply("helo.badname", printable(name), c.Verb, *why)
	} else if validIPv4(name) {
		c.Notes = append(c.Notes, T("helo.barenumber", name))
	}
	c.Domain = name
	return nil
}

// parseMail reads "MAIL FROM:" Reverse-path [SP Mail-parameters].
func parseMail(c *Command) *Reply {
	rest, ok := c.cutKeyword("FROM:")
	if !ok || rest == "" {
		return reply("mail.syntax")
	}
	p, params, why := parsePath(rest, true)
	if why != nil {
		return reply("mail.badaddr", *why)
	}
	c.Path = p
	c.notePath()
	prm, r := parseParams(params, true)
	c.Params = prm
	if r != nil {
		return r
	}
	// RFC 6531 section 3.4: a non-ASCII address needs SMTPUTF8 on MAIL.
	if p.UTF8 && !prm.SMTPUTF8 {
		return reply("utf8.undeclared", p.String())
	}
	return nil
}

// parseRcpt reads "RCPT TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>"
// / Forward-path ) [SP Rcpt-parameters]. Whether a non-ASCII address is
// allowed depends on the MAIL before it, so the envelope checks that.
func parseRcpt(c *Command) *Reply {
	rest, ok := c.cutKeyword("TO:")
	if !ok || rest == "" {
		return reply("rcpt.syntax")
	}
	p, params, why := parsePath(rest, false)
	if why != nil {
		return reply("rcpt.badaddr", *why)
	}
	c.Path = p
	c.notePath()
	prm, r := parseParams(params, false)
	c.Params = prm
	return r
}

// cutKeyword removes "FROM:" or "TO:" (any case) from the argument and
// the spaces after it. RFC 5321's grammar has no space there; Postfix
// accepts one, and so do most servers, because clients send it.
func (c *Command) cutKeyword(kw string) (string, bool) {
	rest, ok := cutPrefixFold(c.Arg, kw)
	if !ok {
		return "", false
	}
	if t := strings.TrimLeft(rest, " \t"); t != rest {
		c.Notes = append(c.Notes, T("path.space", kw))
		rest = t
	}
	return rest, true
}

// notePath notes the parts of a path the server accepts but does not use.
func (c *Command) notePath() {
	p := c.Path
	if !p.Bracketed {
		c.Notes = append(c.Notes, T("path.nobrackets", p.Mailbox()))
	}
	if len(p.Route) > 0 {
		c.Notes = append(c.Notes, T("path.route", "@"+strings.Join(p.Route, ",@")+":", p.Mailbox()))
	}
	if !p.Null && p.Domain == "" && !(c.Verb == "RCPT" && p.Postmaster()) {
		c.Notes = append(c.Notes, T("path.nodomain", p.Mailbox()))
	}
}

// noArgs parses a command that takes no argument.
func noArgs(syntax string) func(*Command) *Reply {
	return func(c *Command) *Reply {
		if c.Arg != "" {
			return reply(syntax)
		}
		return nil
	}
}

// parseNoop accepts NOOP [SP String] (RFC 5321 section 4.1.1.9): the
// string is ignored.
func parseNoop(c *Command) *Reply {
	c.Target = c.Arg
	return nil
}

// parseQuit accepts QUIT. The grammar has no argument; Postfix ignores
// one, and so does this server, since the client wants to leave.
func parseQuit(c *Command) *Reply {
	if c.Arg != "" {
		c.Notes = append(c.Notes, T("arg.ignored", printable(c.Arg)))
	}
	return nil
}

// parseTarget reads VRFY's and EXPN's String [SP "SMTPUTF8"] (RFC 5321
// sections 4.1.1.6 and 4.1.1.7, RFC 6531 section 3.7.4). The String may
// be a user name, a mailbox in angle brackets or a quoted full name.
func parseTarget(syntax string) func(*Command) *Reply {
	return func(c *Command) *Reply {
		arg := c.Arg
		if a, ok := cutSuffixFold(arg, " SMTPUTF8"); ok {
			arg, c.UTF8 = strings.TrimRight(a, " \t"), true
		}
		if strings.HasPrefix(arg, "<") && strings.HasSuffix(arg, ">") {
			arg = arg[1 : len(arg)-1]
		}
		if len(arg) >= 2 && arg[0] == '"' && closingQuote(arg) == len(arg)-1 {
			v, why := unquoteLocal(arg)
			if why != nil {
				return reply(syntax)
			}
			arg = v
		}
		if strings.TrimSpace(arg) == "" {
			return reply(syntax)
		}
		if hasNonASCII(arg) && !c.UTF8 {
			return reply("utf8.undeclared", printable(arg))
		}
		c.Target = arg
		return nil
	}
}

// parseHelp reads HELP [SP String].
func parseHelp(c *Command) *Reply {
	c.Target = strings.ToUpper(c.Arg)
	return nil
}

// parseBdat reads "BDAT" SP chunk-size [ SP end-marker ] (RFC 3030
// section 2): chunk-size is 1*DIGIT, end-marker is "LAST".
func parseBdat(c *Command) *Reply {
	f := strings.Fields(c.Arg)
	if len(f) < 1 || len(f) > 2 || len(f) == 2 && !strings.EqualFold(f[1], "LAST") {
		return reply("bdat.syntax")
	}
	n, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil || strings.Trim(f[0], "0123456789") != "" {
		return reply("bdat.syntax")
	}
	c.Size, c.Last = n, len(f) == 2
	if n == 0 && !c.Last {
		// An empty chunk ends nothing and carries nothing; only the last
		// may be empty. Postfix: "551 5.7.1 Null BDAT request".
		return reply("bdat.null")
	}
	return nil
}

// parseAuth reads "AUTH" SP sasl-mech [SP initial-response] (RFC 4954
// section 4): sasl-mech is 1 to 20 of upper-case letters, digits, "-"
// and "_" (RFC 4422 section 3.1), taken case-insensitively here.
func parseAuth(c *Command) *Reply {
	f := strings.Fields(c.Arg)
	if len(f) < 1 || len(f) > 2 {
		return reply("auth.syntax")
	}
	mech := strings.ToUpper(f[0])
	if len(mech) > 20 || strings.Trim(mech, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != "" {
		return reply("auth.syntax")
	}
	c.Mechanism = mech
	if len(f) == 2 {
		c.Initial, c.HasInitial = f[1], true
	}
	return nil
}

// obsolete parses RFC 821's SEND, SOML, SAML and TURN, and ETRN (RFC
// 1985), which this server recognizes and does not implement: 502.
func obsolete(key string) func(*Command) *Reply {
	return func(*Command) *Reply { return reply(key) }
}

// nearVerb returns the known verb one typing slip away from v: one letter
// wrong, missing or extra, or two swapped ("LHL0" for LHLO, "HELLO" for
// HELO, "RCTP" for RCPT).
func nearVerb(v string) string {
	for _, k := range verbOrder {
		if oneEdit(v, k) {
			return k
		}
	}
	return ""
}

// verbOrder fixes the order nearVerb tries the verbs in.
var verbOrder = []string{"HELO", "EHLO", "LHLO", "MAIL", "RCPT", "DATA", "BDAT", "RSET", "NOOP", "QUIT",
	"VRFY", "EXPN", "HELP", "STARTTLS", "AUTH"}

func oneEdit(a, b string) bool {
	switch {
	case a == b:
		return false
	case len(a) == len(b):
		diff := []int{}
		for i := range a {
			if a[i] != b[i] {
				diff = append(diff, i)
			}
		}
		if len(diff) == 1 {
			return true
		}
		return len(diff) == 2 && diff[1] == diff[0]+1 && a[diff[0]] == b[diff[1]] && a[diff[1]] == b[diff[0]]
	case len(a) == len(b)+1:
		a, b = b, a
		fallthrough
	case len(b) == len(a)+1:
		for i := 0; i < len(b); i++ {
			if b[:i]+b[i+1:] == a {
				return true
			}
		}
	}
	return false
}

func cutSuffixFold(s, suffix string) (string, bool) {
	if len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix) {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
}
