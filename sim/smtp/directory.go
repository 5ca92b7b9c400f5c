package smtp

import (
	"errors"
	"slices"
	"sort"
	"strings"

	"maillab/sim/mailstore"
)

// Directory answers who a local name is: the store's users, the alias
// table, users who have moved and the full names VRFY and EXPN show.
type Directory struct {
	Store   *mailstore.Store
	Aliases *Aliases
	// Relocated maps a local name (any case) to the address its user
	// moved to: RCPT and VRFY answer 551 "User not local; please try
	// <address>" (RFC 5321 section 3.4; Postfix's relocated_maps).
	Relocated map[string]string
	// FullNames maps a user name to the person's name, for VRFY's "250
	// Full Name <user@domain>" (RFC 5321 section 3.5.1).
	FullNames map[string]string
	// Users, when set, are the store users this host delivers to: the
	// users of its mail domains when several domains share one store.
	// nil: every user of the store.
	Users []string
}

// has reports whether name is one of the store's users this directory
// delivers to.
func (d *Directory) has(name string) bool {
	if _, ok := d.Store.User(name); !ok {
		return false
	}
	return d.Users == nil || slices.Contains(d.Users, name)
}

// Target is where a recipient's mail goes: a user of the store, or an
// address elsewhere that an alias forwards to.
type Target struct {
	User    string // a store user, for local delivery
	Address string // an address elsewhere
}

// lookup is what a local name resolves to.
type lookup struct {
	targets  []Target
	isAlias  bool
	moved    string   // Relocated: the new address
	unknown  []string // alias members that are no user
	possible []string // several users match the name in different case
	loop     *LoopError
}

// user finds the store user of a local part. Local parts may be
// case-sensitive (RFC 5321 section 2.4), but mail systems fold them: Postfix
// looks local users up in lower case, so "Melanie" reaches "melanie". An
// exact match wins; then the lower-case name; then the one user whose name
// differs only in case. Two such users (the demo's "smith" and "SMITH"
// both differ from "Smith") make the name ambiguous.
func (d *Directory) user(name string) (user string, possible []string) {
	if d.Store == nil {
		return "", nil
	}
	if d.has(name) {
		return name, nil
	}
	if d.has(strings.ToLower(name)) {
		return strings.ToLower(name), nil
	}
	for _, u := range d.Store.Users() {
		if strings.EqualFold(u, name) && d.has(u) {
			possible = append(possible, u)
		}
	}
	if len(possible) == 1 {
		return possible[0], nil
	}
	return "", possible
}

// resolve looks a local name up: relocated users first, then aliases
// (as Postfix's local delivery agent does), then users.
func (d *Directory) resolve(name string, local func(string) bool) lookup {
	var l lookup
	for k, v := range d.Relocated {
		if strings.EqualFold(k, name) {
			l.moved = v
			return l
		}
	}
	x, err := d.Aliases.expand(name, local)
	var loop *LoopError
	if errors.As(err, &loop) {
		l.loop = loop
		return l
	}
	l.isAlias = x.isAlias
	for _, n := range x.users {
		u, possible := d.user(n)
		switch {
		case u != "":
			l.targets = append(l.targets, Target{User: u})
		case len(possible) > 1 && !x.isAlias:
			l.possible = possible
		default:
			l.unknown = append(l.unknown, n)
		}
	}
	for _, a := range x.remote {
		l.targets = append(l.targets, Target{Address: a})
	}
	return l
}

// address is user@domain for a store user.
func address(user, domain string) string {
	return Path{Local: user, Domain: domain}.Mailbox()
}

// named is "Full Name <user@domain>" or "<user@domain>", as RFC 5321
// section 3.5.1 asks VRFY and EXPN to answer.
func (d *Directory) named(user, domain string) string {
	a := "<" + address(user, domain) + ">"
	if n := d.FullNames[user]; n != "" {
		return n + " " + a
	}
	return a
}

// byFullName finds the users whose full name is s or has s as one of its
// words, ignoring case: VRFY may be given "a user name or a full name"
// (RFC 5321 section 3.5.1; the lecture's "vrfy bobyshev").
func (d *Directory) byFullName(s string) []string {
	var out []string
	for u, full := range d.FullNames {
		if strings.EqualFold(full, s) {
			out = append(out, u)
			continue
		}
		for _, w := range strings.Fields(full) {
			if strings.EqualFold(w, s) {
				out = append(out, u)
				break
			}
		}
	}
	sort.Strings(out)
	return out
}

// Verify answers VRFY (RFC 5321 sections 3.5.1 and 3.5.3) as the mode
// says. The argument is a user name, a full name or an address.
func (c *Config) Verify(d *Directory, cmd *Command) *Reply {
	arg := cmd.Target
	switch c.VRFY {
	case VRFYDisabled:
		return reply("vrfy.disabled")
	case VRFYCannot:
		// Postfix: the RCPT checks, then 252 with the argument; it never
		// says whether a mailbox exists.
		p, r := c.targetPath(arg)
		if r != nil {
			return r
		}
		if _, r := c.recipient(d, p, ConnState{}); !r.Positive() {
			return r
		}
		return reply("vrfy.cannot", p.Mailbox())
	}
	p, r := c.targetPath(arg)
	if r != nil {
		return r
	}
	if !c.localDomain(p.Domain) {
		return reply("rcpt.relay", p.Mailbox())
	}
	l := d.resolve(p.Local, c.localDomain)
	switch {
	case l.moved != "":
		return reply("vrfy.relocated", p.Mailbox(), l.moved)
	case l.loop != nil:
		return reply("vrfy.loop", p.Mailbox(), strings.Join(l.loop.Chain, " → "))
	case len(l.possible) > 1:
		return d.ambiguous(c, l.possible)
	case l.isAlias && len(l.targets) == 1 && l.targets[0].Address != "":
		return reply("vrfy.forward", p.Mailbox(), l.targets[0].Address)
	case l.isAlias && len(l.targets) == 1:
		return reply("vrfy.ok", d.named(l.targets[0].User, c.domain()), p.Local)
	case l.isAlias && len(l.targets) > 1:
		return reply("vrfy.list", p.Mailbox(), len(l.targets))
	case len(l.targets) == 1:
		return reply("vrfy.ok", d.named(l.targets[0].User, c.domain()), p.Local)
	}
	if !strings.Contains(arg, "@") {
		switch users := d.byFullName(arg); len(users) {
		case 0:
		case 1:
			return reply("vrfy.ok", d.named(users[0], c.domain()), arg)
		default:
			return d.ambiguous(c, users)
		}
	}
	return reply("vrfy.unknown", printable(arg))
}

// ambiguous is VRFY's 553 with the possibilities, as RFC 5321 section
// 3.5.4's example lists them.
func (d *Directory) ambiguous(c *Config, users []string) *Reply {
	var lines []string
	for _, u := range users {
		lines = append(lines, d.named(u, c.domain()))
	}
	r := multiline("vrfy.ambiguous", lines, len(users))
	return r
}

// Expand answers EXPN (RFC 5321 sections 3.5.2 and 3.5.3): the members
// of a mailing list (an alias), one per line, followed through nested
// aliases to the mailboxes mail reaches.
func (c *Config) Expand(d *Directory, cmd *Command) *Reply {
	if !c.Offers(ExtEXPN, ConnState{}) {
		return reply("expn.disabled")
	}
	p, r := c.targetPath(cmd.Target)
	if r != nil {
		return r
	}
	if !c.localDomain(p.Domain) {
		return reply("rcpt.relay", p.Mailbox())
	}
	l := d.resolve(p.Local, c.localDomain)
	switch {
	case l.loop != nil:
		return reply("expn.loop", p.Mailbox(), strings.Join(l.loop.Chain, " → "))
	case !l.isAlias && len(l.targets) > 0:
		return reply("expn.notlist", p.Mailbox())
	case !l.isAlias || len(l.targets) == 0:
		return reply("expn.unknown", printable(cmd.Target))
	}
	var members []string
	for _, t := range l.targets {
		if t.User != "" {
			members = append(members, d.named(t.User, c.domain()))
		} else {
			members = append(members, "<"+t.Address+">")
		}
	}
	r = reply("expn.ok", members[0], p.Mailbox(), len(members))
	r.Lines = members
	return r
}

// targetPath reads VRFY's or EXPN's argument as a path: "user",
// "user@domain" or a full name (kept as the local part).
func (c *Config) targetPath(arg string) (Path, *Reply) {
	if !strings.Contains(arg, "@") {
		return Path{Local: arg, Domain: c.domain()}, nil
	}
	p, rest, why := parsePath(arg, false)
	if why != nil || strings.TrimSpace(rest) != "" {
		if why == nil {
			why = &pathError{Key: "addr.trailing", Args: []any{printable(rest)}}
		}
		return p, reply("rcpt.badaddr", *why)
	}
	return p, nil
}
