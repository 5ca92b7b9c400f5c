package imap

import (
	"strconv"
	"strings"

	"maillab/sim/imap/wire"
)

// searchContext is a search RETURN (UPDATE) keeps up to date (RFC 5267
// 4): whenever the server may send untagged responses, the messages that
// began or ceased to match are announced with ESEARCH ADDTO and
// REMOVEFROM under the search's tag, until CANCELUPDATE or the mailbox
// is left. A sorted result (SORT RETURN (UPDATE), CONTEXT=SORT) says
// where in its order each message leaves and joins.
type searchContext struct {
	tag  string
	uid  bool // numbers are UIDs (UID SEARCH, UID SORT)
	root wire.SearchKey
	hits map[uint32]bool // the UIDs that match
	// For SORT: the criteria, and the matching UIDs in sorted order.
	crit  []wire.SortKey
	order []uint32
}

// change is one message leaving or joining a result: its position (0 in
// a SEARCH result, ordered by number) and its number.
type change struct{ pos, n uint32 }

// maxContexts bounds the searches one selection keeps up to date: each is
// matched again against every message at each command.
const maxContexts = 32

// addContext keeps the search just answered up to date; crit are a
// SORT's criteria, nil for SEARCH.
func (s *Session) addContext(keys []wire.SearchKey, crit []wire.SortKey, hits []target) {
	sel := s.sel
	cx := &searchContext{tag: s.tag, uid: s.uidMode(), root: wire.SearchKey{Key: "AND", Sub: keys}, hits: map[uint32]bool{}, crit: crit}
	for _, h := range hits {
		cx.hits[h.uid] = true
		if crit != nil {
			cx.order = append(cx.order, h.uid)
		}
	}
	// A tag used again replaces the older search (RFC 5267 leaves it to
	// the client to keep tags apart); the oldest goes beyond the limit.
	for i, old := range sel.contexts {
		if old.tag == cx.tag {
			sel.contexts = append(sel.contexts[:i], sel.contexts[i+1:]...)
			break
		}
	}
	if len(sel.contexts) == maxContexts {
		sel.contexts = sel.contexts[1:]
	}
	sel.contexts = append(sel.contexts, cx)
}

// cmdCancelUpdate serves CANCELUPDATE "tag" ... (RFC 5267 4.2): the
// searches of these tags are no longer kept up to date.
func (s *Session) cmdCancelUpdate(d *wire.Decoder) {
	var tags []string
	for len(tags) == 0 || !d.AtEnd() {
		d.SP("search's tag")
		tags = append(tags, d.String("search's tag"))
		if len(tags) > maxContexts {
			wireFail("search's tag", "more tags than searches can be kept up to date", "bad.syntax")
		}
	}
	sel := s.sel
	for _, t := range tags {
		i := -1
		for j, cx := range sel.contexts {
			if cx.tag == t {
				i = j
			}
		}
		if i < 0 {
			s.no("", "No search with the tag "+wire.Quote(t)+" is kept up to date", "no.cancelupdate", t)
			return
		}
		sel.contexts = append(sel.contexts[:i], sel.contexts[i+1:]...)
	}
	s.ok("", "CANCELUPDATE completed")
}

// contextExpunged tells each context that held uid that it is gone, just
// before its EXPUNGE response, with the sequence number that response
// gives it.
func (s *Session) contextExpunged(uid, seq uint32) {
	for _, cx := range s.sel.contexts {
		if !cx.hits[uid] {
			continue
		}
		delete(cx.hits, uid)
		n := seq
		if cx.uid {
			n = uid
		}
		s.sendContextUpdate(cx, []change{{cx.remove(uid), n}}, nil)
	}
}

// contextsVanishing tells the contexts about the held-back expunges
// before a QRESYNC client's VANISHED announces them all at once (RFC
// 7162 3.2.10): one REMOVEFROM per context, each message named by the
// number it has until that VANISHED (RFC 5267 4.4: the client applies a
// REMOVEFROM with the numbers it knows), as Dovecot does. Without it the
// contexts would keep the expunged messages as hits forever.
func (s *Session) contextsVanishing() {
	sel := s.sel
	if len(sel.contexts) == 0 || len(sel.expunged) == 0 {
		return
	}
	held := make(map[uint32]bool, len(sel.expunged))
	for _, uid := range sel.expunged {
		held[uid] = true
	}
	var gone []target // in the order of their sequence numbers
	for i, uid := range sel.uids {
		if held[uid] {
			gone = append(gone, target{uint32(i + 1), uid})
		}
	}
	for _, cx := range sel.contexts {
		var removed []change
		for _, g := range gone {
			if !cx.hits[g.uid] {
				continue
			}
			delete(cx.hits, g.uid)
			n := g.seq
			if cx.uid {
				n = g.uid
			}
			removed = append(removed, change{cx.remove(g.uid), n})
		}
		s.sendContextUpdate(cx, removed, nil)
	}
}

// remove takes uid out of a sorted result and returns the position it
// had (counted from 1); 0 for a SEARCH result.
func (cx *searchContext) remove(uid uint32) uint32 {
	for i, u := range cx.order {
		if u == uid {
			cx.order = append(cx.order[:i], cx.order[i+1:]...)
			return uint32(i + 1)
		}
	}
	return 0
}

// updateContexts matches every context's search again and announces what
// changed: REMOVEFROM, then ADDTO. Messages not yet announced, or expunged
// and not yet announced as such, are left for later.
//
// It runs only after a change: another session's (stale), or this
// session's own STORE, APPEND, COPY or MOVE, which the store does not echo
// back; a search of a large mailbox is not repeated at every NOOP. (A
// context with OLDER or YOUNGER is matched again at the next change, not
// as time passes.)
func (s *Session) updateContexts() {
	sel := s.sel
	if len(sel.contexts) == 0 || !sel.stale && !ownChange[strings.TrimPrefix(s.cmd, "UID ")] {
		return
	}
	sel.stale = false
	now := s.o.Now()
	for _, cx := range sel.contexts {
		var removed, added []change
		var matching []target
		number := func(t target) uint32 {
			if cx.uid {
				return t.uid
			}
			return t.seq
		}
		for i, uid := range sel.uids {
			m, ok := sel.mb.Message(uid)
			if !ok {
				continue
			}
			t := target{uint32(i + 1), uid}
			c := &candidate{s: s, seq: t.seq, uid: uid, m: m, now: now}
			match := c.match(cx.root)
			if c.unread {
				// Its file could not be read: whether it matches is
				// unknown, as in SEARCH, so it stays where it was.
				if cx.hits[uid] {
					matching = append(matching, t)
				}
				continue
			}
			if match {
				matching = append(matching, t)
			}
			switch {
			case match && !cx.hits[uid]:
				cx.hits[uid] = true
				added = append(added, change{0, number(t)})
			case !match && cx.hits[uid]:
				delete(cx.hits, uid)
				removed = append(removed, change{cx.remove(uid), number(t)})
			}
		}
		if cx.crit != nil && len(added) > 0 {
			// Positions in the new order, ascending, so that each
			// insertion in turn lands where the client expects it.
			added = added[:0]
			old := make(map[uint32]bool, len(cx.order))
			for _, u := range cx.order {
				old[u] = true
			}
			cx.order = cx.order[:0]
			for i, t := range sortTargets(s.infos(matching), cx.crit) {
				cx.order = append(cx.order, t.uid)
				if !old[t.uid] {
					added = append(added, change{uint32(i + 1), number(t)})
				}
			}
		}
		s.sendContextUpdate(cx, removed, added)
	}
}

// ownChange are the commands whose changes to the selected mailbox the
// session makes itself.
var ownChange = map[string]bool{"STORE": true, "APPEND": true, "COPY": true, "MOVE": true}

// sendContextUpdate sends one ESEARCH with REMOVEFROM, then ADDTO, as
// Dovecot does. A SEARCH result gives position 0, as Dovecot does, and
// one set: it is ordered by number, so where a message goes follows from
// its number. A SORT result gives each message's position (RFC 5267 4.3:
// the client applies them in turn).
func (s *Session) sendContextUpdate(cx *searchContext, removed, added []change) {
	if len(removed) == 0 && len(added) == 0 {
		return
	}
	var b strings.Builder
	b.WriteString("ESEARCH (TAG " + wire.Quote(cx.tag) + ")")
	if cx.uid {
		b.WriteString(" UID")
	}
	if len(removed) > 0 {
		b.WriteString(" REMOVEFROM (" + cx.changes(removed) + ")")
	}
	if len(added) > 0 {
		b.WriteString(" ADDTO (" + cx.changes(added) + ")")
	}
	s.untagged(b.String())
	switch {
	case len(added) == 0:
		s.explain("esearch.removefrom", len(removed), cx.tag)
	case len(removed) == 0:
		s.explain("esearch.addto", len(added), cx.tag)
	default:
		s.explain("esearch.update", len(removed), len(added), cx.tag)
	}
}

// changes writes position-set pairs: "0 1:3,7" for a SEARCH result,
// "1 12 5 9" for a sorted one.
func (cx *searchContext) changes(cs []change) string {
	if cx.crit == nil {
		nums := make([]uint32, len(cs))
		for i, c := range cs {
			nums[i] = c.n
		}
		return "0 " + wire.SetOf(nums)
	}
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = strconv.FormatUint(uint64(c.pos), 10) + " " + strconv.FormatUint(uint64(c.n), 10)
	}
	return strings.Join(parts, " ")
}
