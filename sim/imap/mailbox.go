package imap

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"maillab/sim/imap/wire"
	"maillab/sim/mailstore"
	"maillab/sim/mutf7"
)

// cmdCreate: CREATE mailbox (RFC 3501 6.3.3). A trailing "/" declares a
// name under which others will be created; missing superior levels stay
// \Noselect levels, as in Dovecot (see mailstore.User.CreateMailbox).
func (s *Session) cmdCreate(d *wire.Decoder) {
	d.SP("mailbox name")
	onWire, name, nameErr := s.mailboxArg(d, "mailbox name")
	d.End()
	if errors.Is(nameErr, errTrailingDelimiter) {
		nameErr = nil // CREATE's declaration of a level
	}
	if s.nameRefused(onWire, nameErr) {
		return
	}
	if name == mailstore.Inbox || strings.EqualFold(strings.TrimSuffix(name, "/"), mailstore.Inbox) {
		s.no("ALREADYEXISTS", "INBOX always exists", "no.inbox.create")
		return
	}
	if strings.ContainsAny(name, "*%") {
		// RFC 3501 5.1: such a name could never be listed on its own.
		s.no("CANNOT", "Mailbox names cannot contain * or %: LIST uses them as wildcards", "no.wildcard")
		return
	}
	if err := s.user.CreateMailbox(name); err != nil {
		s.storeError(err, onWire)
		return
	}
	s.ok("", "CREATE completed")
}

// cmdDelete: DELETE mailbox (RFC 3501 6.3.4). A mailbox with inferiors
// loses its messages and stays as a \Noselect name above them.
func (s *Session) cmdDelete(d *wire.Decoder) {
	d.SP("mailbox name")
	onWire, name, nameErr := s.mailboxArg(d, "mailbox name")
	d.End()
	if s.nameRefused(onWire, nameErr) {
		return
	}
	if err := s.user.DeleteMailbox(name); err != nil {
		s.storeError(err, onWire)
		return
	}
	s.ok("", "DELETE completed")
}

// cmdRename: RENAME existing new (RFC 3501 6.3.5). Renaming INBOX moves its
// messages to the new name and leaves INBOX empty.
func (s *Session) cmdRename(d *wire.Decoder) {
	d.SP("existing mailbox name")
	fromWire, from, fromErr := s.mailboxArg(d, "existing mailbox name")
	d.SP("new mailbox name")
	toWire, to, toErr := s.mailboxArg(d, "new mailbox name")
	d.End()
	if s.nameRefused(fromWire, fromErr) || s.nameRefused(toWire, toErr) {
		return
	}
	if strings.ContainsAny(to, "*%") {
		s.no("CANNOT", "Mailbox names cannot contain * or %: LIST uses them as wildcards", "no.wildcard")
		return
	}
	if err := s.user.RenameMailbox(from, to); err != nil {
		what := fromWire
		if errors.Is(err, mailstore.ErrExists) || errors.Is(err, mailstore.ErrBadName) {
			what = toWire
		}
		s.storeError(err, what)
		return
	}
	s.ok("", "RENAME completed")
}

// cmdSubscribe serves SUBSCRIBE and UNSUBSCRIBE (RFC 3501 6.3.6, 6.3.7).
func (s *Session) cmdSubscribe(d *wire.Decoder) {
	d.SP("mailbox name")
	onWire, name, nameErr := s.mailboxArg(d, "mailbox name")
	d.End()
	if s.cmd == "SUBSCRIBE" && errors.Is(nameErr, errTrailingDelimiter) {
		// No mailbox has such a name, and Dovecot says just that.
		s.no("", "Mailbox "+onWire+" does not exist; LIST \"\" * shows the mailboxes", "no.missing", onWire)
		return
	}
	if s.nameRefused(onWire, nameErr) {
		return
	}
	var err error
	if s.cmd == "SUBSCRIBE" {
		// RFC 3501 6.3.6 lets the server check that the name exists: a
		// mailbox, or a \Noselect level above mailboxes, which Dovecot
		// subscribes too. Another name is answered as SELECT answers
		// it, without a code, as Dovecot does: RFC 5530's NONEXISTENT
		// is for deleting or renaming what does not exist.
		if _, err = s.user.Mailbox(name); err != nil && !s.user.HasChildren(name) {
			s.openError(err, onWire, name)
			return
		}
		err = s.user.Subscribe(name)
	} else {
		err = s.user.Unsubscribe(name)
	}
	if err != nil {
		s.storeError(err, onWire)
		return
	}
	s.ok("", s.cmd+" completed")
}

// cmdList serves LIST and LSUB (RFC 3501 6.3.8, 6.3.9) with the wildcards
// "*" (any characters) and "%" (any but the delimiter), and CHILDREN's
// \HasChildren / \HasNoChildren (RFC 3348) and SPECIAL-USE attributes
// (RFC 6154) on LIST.
func (s *Session) cmdList(d *wire.Decoder) {
	d.SP("reference name")
	ref := d.AString("reference name")
	d.SP("mailbox pattern")
	pat := d.ListMailbox("mailbox pattern")
	d.End()
	s.listBasic(ref, pat)
}

// listBasic answers LIST or LSUB reference pattern.
func (s *Session) listBasic(ref, pat string) {
	if s.cmd == "LIST" && pat == "" {
		// The hierarchy delimiter and the root (RFC 3501 6.3.8).
		s.untagged(`LIST (\Noselect) "/" ""`)
		s.explain("list.root")
		s.ok("", "LIST completed")
		return
	}
	// A pattern that is not modified UTF-7 matches no name: every name is
	// sent in modified UTF-7. Dovecot answers OK with nothing, too.
	full, err := mutf7.Decode(ref + pat)
	switch {
	case err != nil:
	case s.cmd == "LSUB":
		s.lsub(full)
	default:
		for _, e := range s.user.List() {
			if !matchPattern(full, e.Name) {
				continue
			}
			attrs := `\Noselect \HasChildren` // a level above mailboxes, not one itself
			if !e.Noselect {
				attrs = s.listAttrs(e.Name)
			}
			s.untagged("LIST (" + attrs + `) "/" ` + wireName(e.Name))
			s.explain("list")
		}
	}
	s.ok("", s.cmd+" completed")
}

// lsub lists subscribed names. When a "%" ending the pattern stops above
// a subscribed name whose parent is not subscribed, the parent is listed
// with \Noselect (RFC 3501 6.3.9), so the client still learns the
// hierarchy exists. Only then: a pattern ending otherwise names the parent
// itself ("Archive"), or matches the subscribed name too ("*"), and
// Dovecot lists no parent for it either.
func (s *Session) lsub(pat string) {
	subs := s.user.Subscriptions()
	listed := map[string]bool{}
	var out []string
	for _, n := range subs {
		if matchPattern(pat, n) {
			listed[n] = true
			out = append(out, n)
			continue
		}
		if !strings.HasSuffix(pat, "%") {
			continue
		}
		levels := strings.Split(n, "/")
		for i := len(levels) - 1; i > 0; i-- {
			parent := strings.Join(levels[:i], "/")
			if !listed[parent] && !slices.Contains(subs, parent) && matchPattern(pat, parent) {
				listed[parent] = true
				out = append(out, parent)
			}
		}
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(a, b) })
	for _, n := range out {
		// A subscription is only a name: whether a mailbox has it now
		// is LIST's to say, and Dovecot's LSUB shows none of it.
		attrs := ""
		if !slices.Contains(subs, n) {
			attrs = `\Noselect`
		}
		s.untagged("LSUB (" + attrs + `) "/" ` + wireName(n))
		s.explain("lsub")
	}
}

func (s *Session) listAttrs(name string) string {
	var attrs []string
	if s.user.HasChildren(name) {
		attrs = append(attrs, `\HasChildren`)
	} else {
		attrs = append(attrs, `\HasNoChildren`)
	}
	if mb, err := s.user.Mailbox(name); err == nil && mb.SpecialUse() != "" {
		attrs = append(attrs, mb.SpecialUse())
	}
	return strings.Join(attrs, " ")
}

// matchPattern matches a LIST pattern against a name. INBOX matches in
// any case (RFC 3501 5.1), whatever part of the pattern meets it: "In%",
// "*x" and "inbox/%" find INBOX and INBOX/sub, as in Dovecot; the levels
// below INBOX keep their case.
func matchPattern(pat, name string) bool {
	fold := 0
	if name == mailstore.Inbox || strings.HasPrefix(name, mailstore.Inbox+"/") {
		fold = len(mailstore.Inbox)
	}
	return match(pat, name, fold)
}

// match runs in O(len(pat)*len(name)) with dynamic programming, so a
// pattern like "%*%*%*..." cannot make the server backtrack for ever.
// ok[j] says whether pat[:i] matches name[:j]. The first fold octets of
// name (ASCII) compare without regard to case.
func match(pat, name string, fold int) bool {
	ok := make([]bool, len(name)+1)
	ok[0] = true
	for i := 0; i < len(pat); i++ {
		next := make([]bool, len(name)+1)
		switch c := pat[i]; c {
		case '*', '%':
			run := false
			for j := 0; j <= len(name); j++ {
				if c == '%' && j > 0 && name[j-1] == '/' {
					run = false // % never crosses a hierarchy delimiter
				}
				run = run || ok[j]
				next[j] = run
			}
		default:
			for j := 1; j <= len(name); j++ {
				n := name[j-1]
				next[j] = ok[j-1] && (n == c || j <= fold && asciiLower(n) == asciiLower(c))
			}
		}
		ok = next
	}
	return ok[len(name)]
}

func asciiLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// statusItems are STATUS's data items (RFC 3501 6.3.10).
var statusItems = map[string]func(mailstore.Status) uint64{
	"MESSAGES":      func(st mailstore.Status) uint64 { return uint64(st.Messages) },
	"RECENT":        func(st mailstore.Status) uint64 { return uint64(st.Recent) },
	"UIDNEXT":       func(st mailstore.Status) uint64 { return uint64(st.UIDNext) },
	"UIDVALIDITY":   func(st mailstore.Status) uint64 { return uint64(st.UIDValidity) },
	"UNSEEN":        func(st mailstore.Status) uint64 { return uint64(st.Unseen) },
	"HIGHESTMODSEQ": func(st mailstore.Status) uint64 { return st.HighestModSeq }, // RFC 7162 3.1.6
}

// statusOrder is the order of the answer whatever the order asked, as both
// the lecture's and RFC 3501's examples show (MESSAGES before UIDNEXT).
var statusOrder = []string{"MESSAGES", "RECENT", "UNSEEN", "UIDNEXT", "UIDVALIDITY", "HIGHESTMODSEQ"}

// cmdStatus answers with the items asked for, echoing the
// mailbox name as the client wrote it, as the lecture's example shows.
func (s *Session) cmdStatus(d *wire.Decoder) {
	d.SP("mailbox name")
	onWire, name, nameErr := s.mailboxArg(d, "mailbox name")
	d.SP("status items")
	var items []string
	d.List("status items", func() {
		it := d.Keyword("status item")
		if statusItems[it] == nil {
			wireFail("status items", it+" is not a STATUS item; use MESSAGES, RECENT, UIDNEXT, UIDVALIDITY, UNSEEN or HIGHESTMODSEQ", "bad.status.item", it)
		}
		items = append(items, it)
	})
	d.End()
	if s.nameRefused(onWire, nameErr) {
		return
	}
	mb, err := s.user.Mailbox(name)
	if err != nil {
		s.openError(err, onWire, name)
		return
	}
	if slices.Contains(items, "HIGHESTMODSEQ") {
		s.enableCondstore()
	}
	st := mb.Status()
	var parts []string
	for _, it := range statusOrder {
		if slices.Contains(items, it) {
			parts = append(parts, it+" "+strconv.FormatUint(statusItems[it](st), 10))
		}
	}
	s.untagged("STATUS " + wire.AString(onWire) + " (" + strings.Join(parts, " ") + ")")
	s.explain("status")
	s.ok("", "STATUS completed")
}

// checkStorable refuses \Recent and unknown system flags, which a client
// cannot set (RFC 3501 2.3.2).
func checkStorable(flags []string) {
	for _, f := range flags {
		if !strings.HasPrefix(f, `\`) {
			continue
		}
		known := false
		for _, sf := range mailstore.SystemFlags {
			known = known || strings.EqualFold(sf, f)
		}
		if !known {
			wireFail("flag list", f+" cannot be set; the system flags are \\Seen \\Answered \\Flagged \\Deleted \\Draft", "bad.flag", f)
		}
	}
}
