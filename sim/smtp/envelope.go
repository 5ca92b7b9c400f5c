package smtp

import "strings"

// Envelope is one mail transaction's envelope (RFC 5321 section 2.3.1):
// the reverse-path from MAIL, the forward-paths from RCPT and the
// parameters of both. It is not the message's header: MAIL FROM need not
// match the From: field, and the recipients need not appear in To: or Cc:
// at all (Bcc, mailing lists). The receiving server records the
// reverse-path as Return-Path: on delivery (section 4.4), and nothing else
// of the envelope reaches the reader.
type Envelope struct {
	From   Path   // the reverse-path; Null for a bounce
	Params Params // MAIL's parameters: SIZE, BODY, SMTPUTF8, AUTH, RET, ENVID
	Rcpts  []Recipient
	// Chunked is set once a BDAT carried part of the message; DATA is no
	// longer allowed in the transaction (RFC 3030 section 2).
	Chunked bool
}

// StartData answers DATA in a transaction with recipients: 354, or 503
// when MAIL declared BODY=BINARYMIME, which only BDAT can carry (RFC 3030
// section 3): a line with a single dot could occur in binary data.
func (e *Envelope) StartData() *Reply {
	if e.Params.Body == BodyBinary {
		return reply("data.binary")
	}
	return reply("data.start")
}

// Recipient is one accepted RCPT.
type Recipient struct {
	Path    Path     // the forward-path, completed with the server's domain
	Notify  []string // DSN NOTIFY (RFC 3461 section 4.1)
	ORcpt   string   // DSN ORCPT: the original recipient, decoded
	Targets []Target // where the mail goes after aliases
	// Relayed says the recipient is in another of the lab's domains: the
	// message goes to the mail path's queue, not into this store.
	Relayed bool
}

// paramExtension names the extension each MAIL and RCPT parameter
// belongs to: a client may use a parameter only when EHLO announced its
// extension (RFC 5321 section 4.1.1.11, RFC 1869).
func paramExtension(p Param) string {
	switch p.Keyword {
	case "SIZE":
		return ExtSize
	case "BODY":
		if strings.EqualFold(p.Value, BodyBinary) {
			return ExtBinaryMIME
		}
		return Ext8BitMIME
	case "SMTPUTF8":
		return ExtSMTPUTF8
	case "AUTH":
		return ExtAuth
	case "RET", "ENVID", "NOTIFY", "ORCPT":
		return ExtDSN
	}
	return ""
}

// checkOffered refuses a parameter whose extension the server did not
// announce in this session: with 555, as for an unknown one.
func (c *Config) checkOffered(params Params, s ConnState) *Reply {
	for _, p := range params.Raw {
		ext := paramExtension(p)
		offered := s.Extended && c.Offers(ext, s)
		if ext == ExtAuth { // AUTH= stays valid after AUTH, which is no longer announced then
			offered = s.Extended && len(c.AuthMechanisms) > 0
		}
		switch {
		case !s.Extended:
			return reply("param.afterhelo", printable(p.String()))
		case !offered:
			return reply("param.notoffered", printable(p.String()), ext)
		}
	}
	return nil
}

// Mail checks a parsed MAIL command against what the server offers and
// starts the transaction's envelope; the reply is 250 or the refusal.
func (c *Config) Mail(cmd *Command, s ConnState) (*Envelope, *Reply) {
	if r := c.checkOffered(cmd.Params, s); r != nil {
		return nil, r
	}
	// RFC 1870 section 6.1: a declared size over the fixed limit is
	// refused at once, before any data is sent.
	if cmd.Params.Size > c.maxSize() {
		return nil, reply("size.exceeded", cmd.Params.Size, c.maxSize())
	}
	env := &Envelope{From: cmd.Path.WithDomain(c.domain()), Params: cmd.Params}
	if env.From.Null {
		return env, reply("mail.ok.null")
	}
	return env, reply("mail.ok", env.From.Mailbox())
}

// Rcpt checks a parsed RCPT command and adds the recipient to env: the
// reply is 250 (or 251), or why the recipient is refused.
func (c *Config) Rcpt(env *Envelope, d *Directory, cmd *Command, s ConnState) *Reply {
	if len(env.Rcpts) >= c.maxRecipients() {
		return reply("rcpt.toomany", c.maxRecipients())
	}
	// RFC 6531 section 3.4: without SMTPUTF8 on MAIL, addresses are ASCII.
	if cmd.Path.UTF8 && !env.Params.SMTPUTF8 {
		return reply("utf8.undeclared", cmd.Path.String())
	}
	if r := c.checkOffered(cmd.Params, s); r != nil {
		return r
	}
	p := cmd.Path
	if p.Postmaster() {
		p.Local = "postmaster"
	}
	p = p.WithDomain(c.domain())
	rc, r := c.recipient(d, p, s)
	if !r.Positive() {
		return r
	}
	rc.Notify, rc.ORcpt = cmd.Params.Notify, cmd.Params.ORcpt
	env.Rcpts = append(env.Rcpts, rc)
	return r
}

// recipient decides about one forward-path, for RCPT and for VRFY: local
// domains are looked up, other domains are relayed only for an
// authenticated client (RFC 2505's rule the lecture quotes; Postfix's
// permit_sasl_authenticated, reject_unauth_destination).
func (c *Config) recipient(d *Directory, p Path, s ConnState) (Recipient, *Reply) {
	rc := Recipient{Path: p}
	if !c.localDomain(p.Domain) {
		if !s.Authenticated {
			return rc, reply("rcpt.relay", p.Mailbox())
		}
		// Relaying between the lab's domains is the mail path's work;
		// nothing ever leaves the lab, so an address elsewhere is refused
		// now rather than accepted and silently dropped.
		if c.Routes != nil && c.Routes(strings.ToLower(p.Domain)) {
			rc.Relayed = true
			return rc, reply("rcpt.ok.relay", p.Mailbox())
		}
		return rc, reply("rcpt.nopath", p.Mailbox())
	}
	l := d.resolve(p.Local, c.localDomain)
	switch {
	case l.moved != "":
		return rc, reply("rcpt.relocated", p.Mailbox(), l.moved)
	case l.loop != nil:
		return rc, reply("rcpt.loop", p.Mailbox(), strings.Join(l.loop.Chain, " → "))
	case len(l.possible) > 1:
		return rc, reply("rcpt.ambiguous", p.Mailbox(), strings.Join(l.possible, ", "))
	case len(l.targets) == 0:
		return rc, reply("rcpt.unknown", p.Mailbox())
	}
	rc.Targets = l.targets
	var r *Reply
	switch {
	case strings.EqualFold(p.Local, "postmaster"):
		r = reply("rcpt.ok.postmaster", p.Mailbox(), targetList(l.targets))
	case l.isAlias:
		r = reply("rcpt.ok.alias", p.Mailbox(), targetList(l.targets))
	default:
		r = reply("rcpt.ok", p.Mailbox())
	}
	if len(l.unknown) > 0 {
		r = r.With(T("rcpt.alias.unknown", strings.Join(l.unknown, ", ")))
	}
	if !strings.EqualFold(p.Local, "postmaster") && len(l.targets) == 1 && l.targets[0].User != "" && l.targets[0].User != p.Local && !l.isAlias {
		r = r.With(T("rcpt.case", p.Local, l.targets[0].User))
	}
	return rc, r
}

// targetList writes targets for an explanation: "melanie, alex,
// <someone@elsewhere.example>".
func targetList(ts []Target) string {
	var out []string
	for _, t := range ts {
		if t.User != "" {
			out = append(out, t.User)
		} else {
			out = append(out, "<"+t.Address+">")
		}
	}
	return strings.Join(out, ", ")
}
