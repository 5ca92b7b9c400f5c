package imap

import (
	"slices"
	"sort"
	"strconv"

	"maillab/sim/mailstore"
	"maillab/sim/session"
)

// selection is one session's view of its selected mailbox: its own map of
// sequence numbers to UIDs, changed only at the points RFC 3501 allows, so
// other sessions' expunges never renumber messages under this client.
type selection struct {
	mb       *mailstore.Mailbox
	w        *mailstore.Watcher
	name     string // as the client wrote it, for events
	readOnly bool
	uids     []uint32        // what the client was told: sequence number i+1 is uids[i]
	recent   map[uint32]bool // messages this session holds \Recent for
	// arrived are new messages not yet announced with EXISTS, ascending
	// and all above uids.
	arrived []uint32
	// expunged are other sessions' expunges of announced messages, held
	// back while FETCH, STORE or SEARCH run (RFC 3501 7.4.1).
	expunged []uint32
	// heldModSeq is the lowest mod-sequence of the expunges held back:
	// until they are told, a CONDSTORE client's HIGHESTMODSEQ stays below.
	heldModSeq uint64
	changed    map[uint32]bool // UIDs whose flags changed, to announce with FETCH
	keywords   map[string]bool // the keywords FLAGS told the client of

	// saved is "$", the UIDs a SEARCH RETURN (SAVE) kept (RFC 5182);
	// contexts the searches RETURN (UPDATE) keeps up to date (RFC 5267).
	saved    map[uint32]bool
	contexts []*searchContext
	stale    bool // the mailbox changed since contexts were last matched
}

func (sel *selection) count() uint32 { return uint32(len(sel.uids)) }

// seq returns uid's sequence number, or 0.
func (sel *selection) seq(uid uint32) uint32 {
	i, ok := slices.BinarySearch(sel.uids, uid)
	if !ok {
		return 0
	}
	return uint32(i + 1)
}

func (sel *selection) maxUID() uint32 {
	if len(sel.uids) == 0 {
		return 0
	}
	return sel.uids[len(sel.uids)-1]
}

func (sel *selection) recentCount() int {
	n := 0
	for _, u := range sel.uids {
		if sel.recent[u] {
			n++
		}
	}
	return n
}

// closeSelection leaves the selected mailbox, if any.
func (s *Session) closeSelection() {
	if s.sel != nil {
		s.sel.w.Close()
		s.sel = nil
	}
}

// sendUpdates tells the client what other sessions changed, in the order
// the lecture's NOOP example shows: EXPUNGE, EXISTS, RECENT, then FETCH
// (FLAGS), after FLAGS when a new keyword appeared (as Dovecot sends it).
// Expunges wait while allowExpunge is false.
//
// Every response must make sense against what the client was told before:
// an EXPUNGE names a message of the client's current numbering, and EXISTS
// never announces fewer messages than the client knows of (RFC 3501 7.3.1,
// 7.4.1). So expunges are applied to the announced messages first, a
// message that arrived and went again in between is dropped without a
// word (the client never knew it), and only then are the new messages
// announced.
func (s *Session) sendUpdates(allowExpunge bool) {
	sel := s.sel
	if sel == nil {
		return
	}
	newKeywords := false
	for _, c := range sel.w.Changes() {
		sel.stale = true // for updated searches (context.go)
		if sel.learnKeywords(c.Flags) {
			newKeywords = true
		}
		switch c.Kind {
		case mailstore.Appended:
			sel.arrived = append(sel.arrived, c.UID)
			if c.Recent {
				sel.recent[c.UID] = true
			}
		case mailstore.Expunged:
			if !sel.dropArrived(c.UID) {
				sel.expunged = append(sel.expunged, c.UID)
				if sel.heldModSeq == 0 || c.ModSeq < sel.heldModSeq {
					sel.heldModSeq = c.ModSeq
				}
			}
		case mailstore.FlagsChanged:
			sel.changed[c.UID] = true
		case mailstore.MailboxDeleted:
			s.mailboxGone()
			return
		}
	}
	if newKeywords {
		s.sendFlags()
	}
	if allowExpunge {
		s.sendExpunges()
	}
	s.sendExists()
	s.sendFlagUpdates()
	s.updateContexts()
}

// dropArrived forgets uid if it arrived and was not yet announced, and
// reports whether it did.
func (sel *selection) dropArrived(uid uint32) bool {
	i, ok := slices.BinarySearch(sel.arrived, uid)
	if !ok {
		return false
	}
	sel.arrived = slices.Delete(sel.arrived, i, i+1)
	delete(sel.recent, uid)
	delete(sel.changed, uid)
	return true
}

// sendExists announces the messages that arrived.
func (s *Session) sendExists() {
	sel := s.sel
	if len(sel.arrived) == 0 {
		return
	}
	sel.uids = append(sel.uids, sel.arrived...)
	sel.arrived = sel.arrived[:0]
	s.untagged(strconv.Itoa(len(sel.uids)) + " EXISTS")
	s.explain("exists", len(sel.uids))
	s.untagged(strconv.Itoa(sel.recentCount()) + " RECENT")
	s.explain("recent", sel.recentCount())
}

// mailboxGone ends a session whose selected mailbox another session
// deleted: its sequence numbers mean nothing any more. Dovecot, the
// reference, disconnects the same way; transition (7).
func (s *Session) mailboxGone() {
	s.untagged("BYE Selected mailbox was deleted, have to disconnect.")
	s.explain("bye.deleted")
	s.closeSelection()
	s.logout("mailbox deleted", session.MailboxDeleted)
}

// sendExpunges announces held-back expunges, each with the sequence number
// the message has at that moment (later numbers shift down by one); to a
// QRESYNC client as one VANISHED with their UIDs.
func (s *Session) sendExpunges() {
	if s.qresync() {
		s.contextsVanishing()
		var gone []uint32
		s.dropExpunged(func(uid, _ uint32) { gone = append(gone, uid) })
		s.sendVanished(gone)
		return
	}
	s.dropExpunged(func(uid, seq uint32) {
		s.contextExpunged(uid, seq)
		s.untagged(strconv.Itoa(int(seq)) + " EXPUNGE")
		s.explainMessage("expunge", seq)
	})
}

// dropExpunged takes the held-back expunges out of the session's view,
// oldest first, telling each message's UID and the sequence number it
// had just before.
func (s *Session) dropExpunged(told func(uid, seq uint32)) {
	sel := s.sel
	for _, uid := range sel.expunged {
		seq := sel.seq(uid)
		if seq == 0 {
			continue
		}
		sel.uids = slices.Delete(sel.uids, int(seq-1), int(seq))
		delete(sel.recent, uid)
		delete(sel.changed, uid)
		told(uid, seq)
	}
	sel.expunged, sel.heldModSeq = nil, 0
}

func (s *Session) sendFlagUpdates() {
	sel := s.sel
	if len(sel.changed) == 0 {
		return
	}
	uids := make([]uint32, 0, len(sel.changed))
	for u := range sel.changed {
		uids = append(uids, u)
	}
	sort.Slice(uids, func(i, j int) bool { return uids[i] < uids[j] })
	for _, uid := range uids {
		seq := sel.seq(uid)
		flags, ms, ok := sel.mb.FlagsModSeq(uid)
		if seq == 0 || !ok {
			continue
		}
		s.fetchUpdate(seq, uid, flags, ms, false, false)
	}
	clear(sel.changed)
}

// flagOrder is how flags are listed: system flags in the order of RFC 3501
// section 2.3.2 (the lecture's "(\Seen \Deleted)"), then keywords.
var flagOrder = map[string]int{`\Recent`: 0, `\Seen`: 1, `\Answered`: 2, `\Flagged`: 3, `\Deleted`: 4, `\Draft`: 5}

// appendFlagList appends a message's flags as a list, with \Recent when
// this session holds it: the system flags in the order of RFC 3501 section
// 2.3.2 (the lecture's "(\Seen \Deleted)"), then keywords as stored. A
// keyword the client was not yet told of (another session set it since)
// is first announced with FLAGS and PERMANENTFLAGS: a client may take a
// keyword in FETCH that no FLAGS defined for an error (RFC 3501 7.2.6),
// and Dovecot announces it first as well. Every response that shows flags
// writes them here, after the untagged FLAGS if any.
func (s *Session) appendFlagList(b []byte, uid uint32, flags []string) []byte {
	if s.sel != nil && s.sel.learnKeywords(flags) {
		s.sendFlags()
	}
	b = append(b, '(')
	start := len(b)
	if s.sel != nil && s.sel.recent[uid] {
		b = append(b, mailstore.FlagRecent...)
	}
	for _, sys := range systemFlagOrder {
		for _, f := range flags {
			if f == sys {
				b = appendSpaced(b, start, f)
			}
		}
	}
	for _, f := range flags {
		if _, ok := flagOrder[f]; !ok {
			b = appendSpaced(b, start, f)
		}
	}
	return append(b, ')')
}

func appendSpaced(b []byte, start int, f string) []byte {
	if len(b) > start {
		b = append(b, ' ')
	}
	return append(b, f...)
}

// systemFlagOrder is flagOrder's flags but \Recent, in its order.
var systemFlagOrder = []string{`\Seen`, `\Answered`, `\Flagged`, `\Deleted`, `\Draft`}

// flagList is appendFlagList as a string.
func (s *Session) flagList(uid uint32, flags []string) string {
	return string(s.appendFlagList(make([]byte, 0, 64), uid, flags))
}
