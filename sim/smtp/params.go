package smtp

import (
	"slices"
	"strconv"
	"strings"
)

// Param is one esmtp-param as sent: esmtp-keyword ["=" esmtp-value]
// (RFC 5321 section 4.1.2).
type Param struct {
	Keyword string // upper-case
	Value   string // as sent; HasValue tells "KEY=" from "KEY"
	// HasValue is set when the parameter had "=".
	HasValue bool
}

func (p Param) String() string {
	if p.HasValue {
		return p.Keyword + "=" + p.Value
	}
	return p.Keyword
}

// Body types of the BODY parameter: RFC 6152 (7BIT, 8BITMIME) and RFC 3030
// (BINARYMIME, which only BDAT may carry).
const (
	Body7Bit   = "7BIT"
	Body8Bit   = "8BITMIME"
	BodyBinary = "BINARYMIME"
)

// Params are the MAIL and RCPT parameters this server understands, decoded.
// Raw keeps every parameter in the order sent, for the explain pane.
type Params struct {
	Raw []Param

	// MAIL parameters.
	Size     int64  // SIZE=n (RFC 1870 section 4): the client's estimate in octets; -1 when absent
	Body     string // BODY= (RFC 6152, RFC 3030): Body7Bit, Body8Bit, BodyBinary or ""
	SMTPUTF8 bool   // SMTPUTF8 (RFC 6531 section 3.4)
	// Auth is AUTH= (RFC 4954 section 5), xtext-decoded: the mailbox that
	// submitted the message, "<>" when the client does not know it.
	Auth   string
	Ret    string // RET=FULL or HDRS (RFC 3461 section 4.3)
	EnvID  string // ENVID= (RFC 3461 section 4.4), xtext-decoded
	HasEnv bool   // ENVID was given

	// RCPT parameters (RFC 3461 sections 4.1 and 4.2).
	Notify    []string // NEVER, or some of SUCCESS, FAILURE, DELAY
	ORcptType string   // ORCPT's addr-type, e.g. "rfc822" or "utf-8"
	ORcpt     string   // ORCPT's address, xtext-decoded
}

// Has reports whether the parameter keyword was sent.
func (p *Params) Has(keyword string) bool {
	for _, r := range p.Raw {
		if r.Keyword == keyword {
			return true
		}
	}
	return false
}

// Limits on parameter values: RFC 3461 sections 4.2 and 4.4 (ORCPT 500,
// ENVID 100 characters), RFC 4954 section 5 (AUTH 500).
const (
	maxEnvID = 100
	maxORcpt = 500
	maxAuth  = 500
)

// parseParams reads Mail-parameters or Rcpt-parameters: esmtp-param
// *(SP esmtp-param). Keywords are case-insensitive (RFC 5321 section 2.4).
// forMail selects which keywords belong to the command; one that belongs
// to the other command, or to none this server knows, gets 555 (section
// 4.1.1.11). utf8 is whether the MAIL declared SMTPUTF8, which allows
// UTF-8 in values (RFC 6531 section 3.3).
func parseParams(s string, forMail bool) (Params, *Reply) {
	p := Params{Size: -1}
	for _, tok := range strings.Fields(s) {
		kw, val, hasVal := strings.Cut(tok, "=")
		if !validKeyword(kw) || hasVal && !validValue(val) {
			return p, reply("param.syntax", printable(tok))
		}
		prm := Param{Keyword: strings.ToUpper(kw), Value: val, HasValue: hasVal}
		if p.Has(prm.Keyword) {
			// The same parameter again says nothing new, and Python's
			// smtplib sends "SMTPUTF8 SMTPUTF8" when it is asked for
			// SMTPUTF8 and adds its own; Postfix accepts that too. Only a
			// second, different value is an error.
			same := func(q Param) bool {
				return q.Keyword == prm.Keyword && q.HasValue == hasVal && strings.EqualFold(q.Value, val)
			}
			if slices.ContainsFunc(p.Raw, same) {
				continue
			}
			return p, reply("param.duplicate", prm.Keyword)
		}
		p.Raw = append(p.Raw, prm)
		if r := p.set(prm, forMail); r != nil {
			return p, r
		}
	}
	return p, nil
}

// validKeyword checks esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-").
func validKeyword(s string) bool {
	if s == "" || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// validValue checks esmtp-value = 1*(%d33-60 / %d62-126), with RFC 6531's
// UTF8-non-ascii (the line was checked for valid UTF-8 already).
func validValue(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 33 || c == '=' || c == 127 {
			return false
		}
	}
	return true
}

// The parameters of each command this server knows.
var (
	mailParams = []string{"SIZE", "BODY", "SMTPUTF8", "AUTH", "RET", "ENVID"}
	rcptParams = []string{"NOTIFY", "ORCPT"}
)

// set decodes one known parameter into p.
func (p *Params) set(prm Param, forMail bool) *Reply {
	switch {
	case forMail && slices.Contains(rcptParams, prm.Keyword):
		return reply("param.rcptonly", printable(prm.String()))
	case !forMail && slices.Contains(mailParams, prm.Keyword):
		return reply("param.mailonly", printable(prm.String()))
	}
	v := prm.Value
	switch prm.Keyword {
	case "SIZE":
		// size-value ::= 1*20DIGIT (RFC 1870 section 4).
		n, err := strconv.ParseInt(v, 10, 64)
		if !prm.HasValue || len(v) > 20 || strings.Trim(v, "0123456789") != "" || err != nil {
			return reply("param.size", printable(v))
		}
		p.Size = n
	case "BODY":
		switch u := strings.ToUpper(v); u {
		case Body7Bit, Body8Bit, BodyBinary:
			p.Body = u
		default:
			return reply("param.body", printable(v))
		}
	case "SMTPUTF8":
		if prm.HasValue {
			return reply("param.smtputf8")
		}
		p.SMTPUTF8 = true
	case "AUTH":
		a, ok := xtextDecode(v)
		if !prm.HasValue || !ok || len(v) > maxAuth {
			return reply("param.auth", printable(v))
		}
		p.Auth = a
	case "RET":
		switch u := strings.ToUpper(v); u {
		case "FULL", "HDRS":
			p.Ret = u
		default:
			return reply("param.ret", printable(v))
		}
	case "ENVID":
		id, ok := xtextDecode(v)
		if !prm.HasValue || !ok || len(id) > maxEnvID || !isPrintableASCII(id) {
			return reply("param.envid", printable(v))
		}
		p.EnvID, p.HasEnv = id, true
	case "NOTIFY":
		n, ok := parseNotify(v)
		if !ok {
			return reply("param.notify", printable(v))
		}
		p.Notify = n
	case "ORCPT":
		typ, addr, ok := parseORcpt(v)
		if !ok {
			return reply("param.orcpt", printable(v))
		}
		p.ORcptType, p.ORcpt = typ, addr
	default:
		return reply("param.unknown", printable(prm.String()))
	}
	return nil
}

// parseNotify reads "NEVER" or a comma list of SUCCESS, FAILURE and DELAY,
// each at most once (RFC 3461 section 4.1).
func parseNotify(v string) ([]string, bool) {
	if strings.EqualFold(v, "NEVER") {
		return []string{"NEVER"}, true
	}
	var out []string
	for _, w := range strings.Split(v, ",") {
		u := strings.ToUpper(w)
		if u != "SUCCESS" && u != "FAILURE" && u != "DELAY" || slices.Contains(out, u) {
			return nil, false
		}
		out = append(out, u)
	}
	return out, true
}

// parseORcpt reads addr-type ";" xtext (RFC 3461 section 4.2): the
// recipient as the original sender wrote it, before any alias expansion
// or forwarding.
func parseORcpt(v string) (typ, addr string, ok bool) {
	typ, enc, found := strings.Cut(v, ";")
	if !found || !validKeyword(typ) || enc == "" || len(v) > maxORcpt {
		return "", "", false
	}
	addr, ok = xtextDecode(enc)
	return strings.ToLower(typ), addr, ok
}

// xtextDecode decodes xtext = *( xchar / hexchar ): xchar is "!" to "~"
// except "+" and "=", hexchar is "+" and two upper-case hex digits
// (RFC 3461 section 4).
func xtextDecode(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+':
			if i+2 >= len(s) {
				return "", false
			}
			h, l := unhex(s[i+1]), unhex(s[i+2])
			if h < 0 || l < 0 {
				return "", false
			}
			b.WriteByte(byte(h<<4 | l))
			i += 2
		case c >= 0x80:
			b.WriteByte(c) // UTF-8, which RFC 6531 allows in a value
		case c < '!' || c > '~' || c == '=':
			return "", false
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// XtextEncode encodes s as xtext, for clients and tests.
func XtextEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '!' || c > '~' || c == '+' || c == '=' {
			b.WriteByte('+')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
