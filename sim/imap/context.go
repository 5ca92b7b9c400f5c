package imap

import (
	"strings"

	"maillab/sim/imap/wire"
)

// searchContext is a search RETURN (UPDATE) keeps up to date (RFC 5267
// 4): whenever the server may send untagged responses, the messages that
// began or ceased to match are announced with ESEARCH ADDTO and
// REMOVEFROM under the search's tag, until CANCELUPDATE or the mailbox
// is left.
type searchContext struct {
	tag  string
	uid  bool // numbers are UIDs (UID SEARCH, UID SORT)
	root wire.SearchKey
	hits map[uint32]bool // the UIDs that match
}

// maxContexts bounds the searches one selection keeps up to date: each is
// matched again against every message at each command.
const maxContexts = 32

// addContext keeps the search just answered up to date.
func (s *Session) addContext(keys []wire.SearchKey, hits []target) {
	sel := s.sel
	cx := &searchContext{tag: s.tag, uid: s.uidMode(), root: wire.SearchKey{Key: "AND", Sub: keys}, hits: map[uint32]bool{}}
	for _, h := range hits {
		cx.hits[h.uid] = true
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
		s.sendContextUpdate(cx, []uint32{n}, nil)
	}
}

// updateContexts matches every context's search again and announces what
// changed: REMOVEFROM, then ADDTO. Messages not yet announced, or expunged
// and not yet announced as such, are left for later.
func (s *Session) updateContexts() {
	sel := s.sel
	if len(sel.contexts) == 0 {
		return
	}
	now := s.o.Now()
	for _, cx := range sel.contexts {
		var added, removed, addedUIDs, removedUIDs []uint32
		for i, uid := range sel.uids {
			m, ok := sel.mb.Message(uid)
			if !ok {
				continue
			}
			seq := uint32(i + 1)
			n := seq
			if cx.uid {
				n = uid
			}
			c := &candidate{s: s, seq: seq, uid: uid, m: m, now: now}
			switch match := c.match(cx.root); {
			case match && !cx.hits[uid]:
				added, addedUIDs = append(added, n), append(addedUIDs, uid)
			case !match && cx.hits[uid]:
				removed, removedUIDs = append(removed, n), append(removedUIDs, uid)
			}
		}
		for _, u := range removedUIDs {
			delete(cx.hits, u)
		}
		for _, u := range addedUIDs {
			cx.hits[u] = true
		}
		s.sendContextUpdate(cx, removed, added)
	}
}

// sendContextUpdate sends one ESEARCH with REMOVEFROM, then ADDTO, as
// Dovecot does, for the numbers that left and joined the result. The
// position is 0, as Dovecot sends it: a SEARCH result is ordered by
// number, so where a message goes follows from its number.
func (s *Session) sendContextUpdate(cx *searchContext, removed, added []uint32) {
	if len(removed) == 0 && len(added) == 0 {
		return
	}
	var b strings.Builder
	b.WriteString("ESEARCH (TAG " + wire.Quote(cx.tag) + ")")
	if cx.uid {
		b.WriteString(" UID")
	}
	if len(removed) > 0 {
		b.WriteString(" REMOVEFROM (0 " + wire.SetOf(removed) + ")")
	}
	if len(added) > 0 {
		b.WriteString(" ADDTO (0 " + wire.SetOf(added) + ")")
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
