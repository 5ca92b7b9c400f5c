package imap

import (
	"slices"
	"strconv"
	"strings"

	"maillab/sim/imap/wire"
	"maillab/sim/mutf7"
)

// LIST-EXTENDED (RFC 5258) and LIST-STATUS (RFC 5819):
//
//	LIST [SP "(" selection-options ")"] SP reference SP (pattern / "(" patterns ")")
//	     [SP "RETURN" SP "(" return-options ")"]
//
// Selection options SUBSCRIBED, SPECIAL-USE (RFC 6154), REMOTE (no remote
// mailboxes here) and RECURSIVEMATCH; return options CHILDREN,
// SUBSCRIBED, SPECIAL-USE and STATUS (items).

// listOpts is what an extended LIST asks for.
type listOpts struct {
	subscribed, recursive, extended bool
	specialUse                      bool // RFC 6154's selection option
	retChildren, retSubscribed      bool
	retSpecialUse                   bool
	status                          []string // STATUS items, nil: none
}

// cmdListExt serves LIST; the basic form goes to cmdList unchanged.
func (s *Session) cmdListExt(d *wire.Decoder) {
	var o listOpts
	d.SP("reference name")
	if d.Peek() == '(' {
		o.extended = true
		d.List("selection options", func() {
			switch opt := d.Keyword("selection option"); opt {
			case "SUBSCRIBED":
				o.subscribed = true
			case "RECURSIVEMATCH":
				o.recursive = true
			case "SPECIAL-USE":
				o.specialUse = true
			case "REMOTE":
			default:
				wireFail("selection options", opt+" is not a LIST selection option; use SUBSCRIBED, SPECIAL-USE, REMOTE or RECURSIVEMATCH", "bad.list.option", opt)
			}
		})
		d.SP("reference name")
	}
	ref := d.AString("reference name")
	d.SP("mailbox pattern")
	var pats []string
	if d.Peek() == '(' {
		o.extended = true
		d.List("mailbox patterns", func() { pats = append(pats, d.ListMailbox("mailbox pattern")) })
		if len(pats) == 0 {
			wireFail("mailbox patterns", "the list of patterns is empty; name at least one, e.g. (INBOX Sent)", "bad.list.patterns")
		}
	} else {
		pats = []string{d.ListMailbox("mailbox pattern")}
	}
	if !d.AtEnd() {
		d.SP("RETURN")
		if d.Keyword("RETURN") != "RETURN" {
			wireFail("RETURN", "after the patterns only RETURN (...) may follow", "bad.list.return")
		}
		d.SP("return options")
		o.extended = true
		d.List("return options", func() { s.returnOption(d, &o) })
	}
	d.End()
	if o.recursive && !o.subscribed {
		// RFC 5258 3.1: RECURSIVEMATCH only refines another option.
		wireFail("selection options", "RECURSIVEMATCH needs another selection option, e.g. (SUBSCRIBED RECURSIVEMATCH)", "bad.list.recursivematch")
	}
	if !o.extended || (len(pats) == 1 && pats[0] == "" && !o.subscribed && !o.specialUse) {
		s.listBasic(ref, pats[0])
		return
	}
	s.listExtended(ref, pats, o)
}

func (s *Session) returnOption(d *wire.Decoder, o *listOpts) {
	switch opt := d.Keyword("return option"); opt {
	case "CHILDREN":
		o.retChildren = true
	case "SUBSCRIBED":
		o.retSubscribed = true
	case "SPECIAL-USE":
		o.retSpecialUse = true
	case "STATUS":
		d.SP("status items")
		o.status = []string{}
		d.List("status items", func() {
			it := d.Keyword("status item")
			if statusItems[it] == nil {
				wireFail("status items", it+" is not a STATUS item; use MESSAGES, RECENT, UIDNEXT, UIDVALIDITY or UNSEEN", "bad.status.item", it)
			}
			o.status = append(o.status, it)
		})
	default:
		wireFail("return options", opt+" is not a LIST return option; use CHILDREN, SUBSCRIBED, SPECIAL-USE or STATUS (...)", "bad.list.option", opt)
	}
}

// listExtended answers an extended LIST: every name that matches one of
// the patterns once, in order.
func (s *Session) listExtended(ref string, rawPats []string, o listOpts) {
	var pats []string
	for _, p := range rawPats {
		if full, err := mutf7.Decode(ref + p); err == nil && p != "" {
			pats = append(pats, full)
		}
	}
	matches := func(name string) bool {
		return slices.ContainsFunc(pats, func(p string) bool { return matchPattern(p, name) })
	}
	subs := s.user.Subscriptions()
	subscribed := make(map[string]bool, len(subs))
	for _, n := range subs {
		subscribed[n] = true
	}
	selectable := map[string]bool{} // every name LIST knows; false for a level
	var names []string
	for _, e := range s.user.List() {
		selectable[e.Name] = !e.Noselect
		names = append(names, e.Name)
	}
	if o.subscribed {
		for _, n := range subs {
			if _, ok := selectable[n]; !ok {
				names = append(names, n) // subscribed, though it does not exist
			}
		}
		slices.Sort(names)
	}
	for _, n := range names {
		if !matches(n) {
			continue
		}
		childInfo := false
		if o.subscribed {
			// With RECURSIVEMATCH a parent is listed for a subscribed
			// name below it that no pattern matches (RFC 5258 3.5).
			childInfo = o.recursive && slices.ContainsFunc(subs, func(c string) bool { return strings.HasPrefix(c, n+"/") && !matches(c) })
			if !subscribed[n] && !childInfo {
				continue
			}
		}
		use := ""
		if selectable[n] {
			if mb, err := s.user.Mailbox(n); err == nil {
				use = mb.SpecialUse()
			}
		}
		if o.specialUse && use == "" {
			continue // RFC 6154 2: only mailboxes with a special use
		}
		s.untagged(listLine(n, s.extendedAttrs(n, o, selectable[n], subscribed[n], use), childInfo))
		s.explain("list")
		if o.status != nil && selectable[n] {
			s.listStatus(n, o.status)
		}
	}
	s.ok("", "LIST completed")
}

// extendedAttrs are a name's attributes in an extended LIST, in Dovecot's
// order. A level that is no mailbox, or a subscribed name that does not
// exist, is \NonExistent (RFC 5258 3.4); children and special use are
// told only when asked for (RFC 5258 4, RFC 6154 2).
func (s *Session) extendedAttrs(n string, o listOpts, selectable, subscribed bool, use string) []string {
	var attrs []string
	if subscribed && (o.subscribed || o.retSubscribed) {
		attrs = append(attrs, `\Subscribed`)
	}
	if !selectable {
		attrs = append(attrs, `\NonExistent`)
	}
	if o.retChildren {
		if s.user.HasChildren(n) {
			attrs = append(attrs, `\HasChildren`)
		} else {
			attrs = append(attrs, `\HasNoChildren`)
		}
	}
	if use != "" && (o.specialUse || o.retSpecialUse) {
		attrs = append(attrs, use)
	}
	return attrs
}

func listLine(name string, attrs []string, childInfo bool) string {
	line := "LIST (" + strings.Join(attrs, " ") + `) "/" ` + wireName(name)
	if childInfo {
		line += ` (CHILDINFO ("SUBSCRIBED"))`
	}
	return line
}

// listStatus sends the STATUS response LIST-STATUS adds after a
// mailbox's LIST line (RFC 5819).
func (s *Session) listStatus(name string, items []string) {
	mb, err := s.user.Mailbox(name)
	if err != nil {
		return
	}
	st := mb.Status()
	var parts []string
	// In Dovecot's order, whatever the order asked; items it does not
	// place follow in STATUS's own order.
	order := append([]string{"MESSAGES", "RECENT", "UIDNEXT", "UIDVALIDITY", "UNSEEN"}, statusOrder...)
	done := map[string]bool{}
	for _, it := range order {
		if slices.Contains(items, it) && !done[it] {
			done[it] = true
			parts = append(parts, it+" "+strconv.FormatUint(uint64(statusItems[it](st)), 10))
		}
	}
	s.untagged("STATUS " + wireName(name) + " (" + strings.Join(parts, " ") + ")")
	s.explain("list.status")
}
