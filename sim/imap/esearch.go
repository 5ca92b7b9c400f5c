package imap

import (
	"slices"
	"strconv"
	"strings"

	"maillab/sim/imap/wire"
)

// answerESearch answers SEARCH or SORT with RETURN (...) (RFC 4731,
// RFC 5267): one ESEARCH response with the result options asked for, in
// the order Dovecot, the reference, writes them (MIN, MAX, ALL or
// PARTIAL, COUNT), and keeps the result as "$" with SAVE (RFC 5182).
// hits are in the result's order: ascending for SEARCH, sorted for SORT,
// whose ALL and PARTIAL keep that order. With UPDATE the search's keys
// go on being matched as the mailbox changes (context.go).
func (s *Session) answerESearch(ret wire.ReturnOpts, keys []wire.SearchKey, crit []wire.SortKey, hits []target, miss searchMiss) {
	nums := make([]uint32, len(hits))
	for i, h := range hits {
		nums[i] = s.number(h)
	}
	// MIN and MAX are the result's first and last message: the lowest
	// and highest number for SEARCH, for SORT the first and last in
	// sorted order, as in Dovecot, the reference (RFC 5267 leaves it open).
	last := len(hits) - 1
	var part []target // PARTIAL's positions, first:last counted from 1
	if p := ret.Partial; p != nil && int(p.Lo) <= len(hits) {
		part = hits[p.Lo-1 : min(int(p.Hi), len(hits))]
	}
	if ret.Save {
		if miss.unread != 0 {
			s.sel.saved = nil // the command fails: "$" is empty (RFC 5182 2.1)
		} else {
			s.save(ret, hits, part)
		}
	}
	if ret.Update {
		s.addContext(keys, crit, hits)
	}
	only := ret.Save && !ret.Min && !ret.Max && !ret.All && !ret.Count && ret.Partial == nil && !ret.Update
	if !only {
		var b strings.Builder
		b.WriteString("ESEARCH (TAG " + wire.Quote(s.tag) + ")")
		if s.uidMode() {
			b.WriteString(" UID")
		}
		if ret.Min && last >= 0 {
			b.WriteString(" MIN " + strconv.FormatUint(uint64(nums[0]), 10))
		}
		if ret.Max && last >= 0 {
			b.WriteString(" MAX " + strconv.FormatUint(uint64(nums[last]), 10))
		}
		if ret.All && len(nums) > 0 {
			b.WriteString(" ALL " + wire.SetOf(nums))
		}
		if p := ret.Partial; p != nil {
			set := "NIL"
			if len(part) > 0 {
				set = wire.SetOf(nums[p.Lo-1 : int(p.Lo-1)+len(part)])
			}
			b.WriteString(" PARTIAL (" + strconv.Itoa(int(p.Lo)) + ":" + strconv.Itoa(int(p.Hi)) + " " + set + ")")
		}
		if ret.Count {
			b.WriteString(" COUNT " + strconv.Itoa(len(nums)))
		}
		if last >= 0 && usesModSeq(wire.SearchKey{Key: "AND", Sub: keys}) {
			// RFC 7162 3.1.5: the highest mod-sequence of the messages
			// the answer names: all found with ALL or COUNT, else those
			// PARTIAL, MIN and MAX return.
			named := hits
			if !ret.All && !ret.Count {
				named = slices.Clone(part)
				if ret.Min {
					named = append(named, hits[0])
				}
				if ret.Max {
					named = append(named, hits[last])
				}
			}
			if len(named) > 0 {
				b.WriteString(" MODSEQ " + strconv.FormatUint(s.highestModSeqOf(named), 10))
			}
		}
		s.untagged(b.String())
		s.explain("esearch", len(nums))
	}
	s.searchDone(miss)
}

// save keeps the result as "$" (RFC 5182 2.1): with MIN or MAX only the
// messages they name, with PARTIAL only its part, else every message.
func (s *Session) save(ret wire.ReturnOpts, hits, part []target) {
	keep := hits
	switch {
	case ret.Min || ret.Max:
		keep = nil
		if ret.Min && len(hits) > 0 {
			keep = append(keep, hits[0])
		}
		if ret.Max && len(hits) > 0 {
			keep = append(keep, hits[len(hits)-1])
		}
	case ret.Partial != nil:
		keep = part
	}
	s.sel.saved = make(map[uint32]bool, len(keep))
	for _, h := range keep {
		s.sel.saved[h.uid] = true
	}
}

// searchCapabilities are the search family's extensions (RFC 5256 SORT
// and THREAD, RFC 5957 SORT=DISPLAY, RFC 4731 ESEARCH, RFC 5267 ESORT,
// RFC 5182 SEARCHRES, RFC 5032 WITHIN, RFC 5267 CONTEXT=SEARCH and
// CONTEXT=SORT) and Dovecot's THREAD=REFS: Dovecot 2.3's, and
// CONTEXT=SORT, which it does not offer.
var searchCapabilities = []string{"SORT", "SORT=DISPLAY", "THREAD=ORDEREDSUBJECT", "THREAD=REFERENCES", "THREAD=REFS",
	"ESEARCH", "ESORT", "SEARCHRES", "WITHIN", "CONTEXT=SEARCH", "CONTEXT=SORT"}

// extensionCommand is the command without which a lesson's server does
// not offer an extension.
var extensionCommand = map[string]string{"SORT": "SORT", "SORT=DISPLAY": "SORT", "ESORT": "SORT",
	"THREAD=ORDEREDSUBJECT": "THREAD", "THREAD=REFERENCES": "THREAD", "THREAD=REFS": "THREAD",
	"ESEARCH": "SEARCH", "SEARCHRES": "SEARCH", "WITHIN": "SEARCH", "CONTEXT=SEARCH": "SEARCH", "CONTEXT=SORT": "SORT"}
