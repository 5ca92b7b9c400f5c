package imap

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"maillab/sim/imap/wire"
)

// cmdSort serves SORT and UID SORT (RFC 5256 3, RFC 5957 DISPLAYFROM and
// DISPLAYTO), with RETURN (...) answered by ESEARCH (RFC 5267 ESORT).
// The charset is not optional as in SEARCH: SORT's grammar requires it.
func (s *Session) cmdSort(d *wire.Decoder) {
	d.SP("sort criteria")
	ret := d.Return()
	crit := d.SortCriteria()
	d.SP("charset")
	cs := d.AString("charset")
	d.SP("search criteria")
	keys := d.SearchKeys()
	d.End()
	hits, ok := s.searchHits(keys, cs, ret)
	if !ok {
		return
	}
	hits = sortTargets(s.infos(hits), crit)
	if ret.Given {
		s.answerESearch(ret, hits)
		return
	}
	var b strings.Builder
	b.WriteString("SORT")
	for _, h := range hits {
		b.WriteByte(' ')
		b.WriteString(strconv.FormatUint(uint64(s.number(h)), 10))
	}
	s.untagged(b.String())
	s.explain("sort", len(hits))
	s.ok("", s.cmd+" completed")
}

// infos reads the messages of hits for sorting or threading.
func (s *Session) infos(hits []target) []*sortInfo {
	out := make([]*sortInfo, 0, len(hits))
	for _, h := range hits {
		if m, ok := s.sel.mb.Message(h.uid); ok {
			out = append(out, &sortInfo{seq: h.seq, uid: h.uid, m: m})
		}
	}
	return out
}

// sortTargets orders messages by the criteria, each REVERSE turning only
// its own key around; messages equal in every key keep the order of
// their sequence numbers (RFC 5256 3).
func sortTargets(ms []*sortInfo, crit []wire.SortKey) []target {
	slices.SortStableFunc(ms, func(a, b *sortInfo) int {
		for _, k := range crit {
			c := compareBy(k.Key, a, b)
			if k.Reverse {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return cmp.Compare(a.seq, b.seq)
	})
	out := make([]target, len(ms))
	for i, m := range ms {
		out[i] = target{m.seq, m.uid}
	}
	return out
}

// compareBy compares two messages by one sort key.
func compareBy(key string, a, b *sortInfo) int {
	switch key {
	case "ARRIVAL":
		return a.m.InternalDate().Compare(b.m.InternalDate())
	case "DATE":
		return a.sentDate().Compare(b.sentDate())
	case "SIZE":
		return cmp.Compare(a.m.Size(), b.m.Size())
	case "SUBJECT":
		sa, _ := a.baseSubject()
		sb, _ := b.baseSubject()
		return strings.Compare(sa, sb)
	case "FROM", "TO", "CC":
		field := map[string]string{"FROM": "From", "TO": "To", "CC": "Cc"}[key]
		return strings.Compare(a.key(key, func() string { return a.mailboxKey(field) }), b.key(key, func() string { return b.mailboxKey(field) }))
	case "DISPLAYFROM", "DISPLAYTO":
		field := map[string]string{"DISPLAYFROM": "From", "DISPLAYTO": "To"}[key]
		return strings.Compare(a.key(key, func() string { return a.displayKey(field) }), b.key(key, func() string { return b.displayKey(field) }))
	}
	return 0
}
