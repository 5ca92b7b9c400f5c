package imap

import (
	"slices"
	"strconv"
	"strings"

	"maillab/sim/imap/wire"
	"maillab/sim/mailstore"
)

// cmdSelect serves SELECT and EXAMINE (RFC 3501 6.3.1, 6.3.2): transition
// (5), or (5r) from SELECTED; a failed attempt while selected leaves the
// session AUTHENTICATED (6).
func (s *Session) cmdSelect(d *wire.Decoder) {
	d.SP("mailbox name")
	onWire, name, nameErr := s.mailboxArg(d, "mailbox name")
	params := s.readSelectParams(d)
	d.End()
	if params.qresync != nil && !s.qresync() {
		s.bad(s.cmd+": QRESYNC is not enabled; send ENABLE QRESYNC first", "bad.qresync.off")
		return
	}
	wasSelected := s.sel != nil
	s.closeSelection()
	if wasSelected && s.qresync() {
		// RFC 7162 3.2.11: the client learns where the old mailbox's
		// responses end.
		s.untagged("OK [CLOSED] Previous mailbox closed.")
		s.explain("closed")
	}
	mb, err := s.user.Mailbox(name)
	if nameErr != nil || err != nil {
		if wasSelected {
			s.Take(tUnselect, s.cmd)
		}
		if !s.nameRefused(onWire, nameErr) {
			s.openError(err, onWire, name)
		}
		return
	}
	readOnly := s.cmd == "EXAMINE"
	w, uids, recent := mb.Watch(!readOnly)
	s.sel = &selection{mb: mb, w: w, name: onWire, readOnly: readOnly, uids: uids, recent: recent,
		changed: map[uint32]bool{}, keywords: map[string]bool{}}
	s.sendSelectData(s.condstore() || params.condstore || params.qresync != nil)
	s.selectModSeqs(params)
	if wasSelected {
		s.Take(tReselect, s.cmd)
	} else {
		s.Take(tSelect, s.cmd)
	}
	if readOnly {
		s.ok("READ-ONLY", s.cmd+" completed")
	} else {
		s.ok("READ-WRITE", s.cmd+" completed")
	}
}

// sendSelectData sends the untagged data SELECT requires. A session that
// uses mod-sequences gets them in Dovecot's order: FLAGS and PERMANENTFLAGS
// first, then EXISTS, RECENT, UNSEEN, UIDVALIDITY, UIDNEXT (and
// HIGHESTMODSEQ, VANISHED and FETCH after them). A QRESYNC client restores
// the view it cached when UIDVALIDITY confirms it, and FLAGS after that
// would be read against the cached messages' keywords. Other sessions get
// the order of RFC 3501's example, as the lecture shows it, with UIDNEXT
// (RFC 3501 7.1) after UIDVALIDITY.
func (s *Session) sendSelectData(flagsFirst bool) {
	sel := s.sel
	first := 0
	// One pass under one lock: a search and a lock per message made
	// SELECT of a large mailbox cost more than FETCH of all its flags.
	for i, f := range sel.mb.Lookup(sel.uids) {
		if first == 0 && !mailstore.HasFlag(f.Flags, mailstore.FlagSeen) {
			first = i + 1
		}
		sel.learnKeywords(f.Flags)
	}
	if flagsFirst {
		s.sendFlags()
	}
	s.untagged(strconv.Itoa(len(sel.uids)) + " EXISTS")
	s.explain("exists", len(sel.uids))
	s.untagged(strconv.Itoa(sel.recentCount()) + " RECENT")
	s.explain("recent", sel.recentCount())
	if first > 0 {
		s.untagged("OK [UNSEEN " + strconv.Itoa(first) + "] Message " + strconv.Itoa(first) + " is first unseen")
		s.explain("unseen", first)
	}
	v := strconv.FormatUint(uint64(sel.mb.UIDValidity()), 10)
	s.untagged("OK [UIDVALIDITY " + v + "] UIDs valid")
	s.explain("uidvalidity", v)
	next := strconv.FormatUint(uint64(sel.mb.UIDNext()), 10)
	s.untagged("OK [UIDNEXT " + next + "] Predicted next UID")
	s.explain("uidnext", next)
	if !flagsFirst {
		s.sendFlags()
	}
}

// sendFlags sends FLAGS, the flags defined in the mailbox, and
// PERMANENTFLAGS: at SELECT, and again whenever a new keyword appears in
// it, since "the FLAGS response occurs as a result of a SELECT or EXAMINE
// command" and whenever the set of defined flags changes (RFC 3501 7.2.6);
// clients learn keywords from it. A keyword once defined stays for the
// rest of the selection, as in Dovecot.
func (s *Session) sendFlags() {
	flags := `\Answered \Flagged \Deleted \Seen \Draft`
	for _, k := range sortedKeys(s.sel.keywords) {
		flags += " " + k
	}
	s.untagged("FLAGS (" + flags + ")")
	s.explain("flags")
	if s.sel.readOnly {
		s.untagged("OK [PERMANENTFLAGS ()] No permanent flags permitted")
	} else {
		s.untagged(`OK [PERMANENTFLAGS (` + flags + ` \*)] Limited`)
	}
	s.explain("permanentflags")
}

// learnKeywords adds the keywords among flags to those the client was
// told of, and reports whether any was new.
func (sel *selection) learnKeywords(flags []string) bool {
	added := false
	for _, f := range flags {
		if !strings.HasPrefix(f, `\`) && !sel.keywords[f] {
			sel.keywords[f] = true
			added = true
		}
	}
	return added
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// cmdClose serves CLOSE (RFC 3501 6.4.2: expunge silently unless read-only)
// and UNSELECT (RFC 3691: no expunge), transition (6).
func (s *Session) cmdClose(d *wire.Decoder) {
	d.End()
	sel := s.sel
	if s.cmd == "CLOSE" && !sel.readOnly {
		sel.mb.Remove(sel.mb.UIDs(), true, sel.w)
	}
	s.closeSelection()
	s.Take(tUnselect, s.cmd)
	s.ok("", s.cmd+" completed")
}
