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
	cs := s.charsetThen(d)
	keys := d.SearchKeys()
	d.End()
	hits, miss, ok := s.searchHits(keys, cs, ret)
	if !ok {
		return
	}
	infos := s.infos(hits)
	miss.expunged = miss.expunged || len(infos) < len(hits)
	hits = sortTargets(infos, crit)
	if u := unreadOf(infos); u != nil {
		// Sorted as an empty message would be: the command fails after
		// the result, which keeps it, as Dovecot's does.
		miss.unread = u[0]
	}
	if ret.Given {
		s.answerESearch(ret, keys, crit, hits, miss)
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
	s.searchDone(miss)
}

// charsetThen reads the charset SORT and THREAD require before their
// search criteria, and the space after it.
func (s *Session) charsetThen(d *wire.Decoder) string {
	d.SP("charset")
	cs := d.AString("charset")
	if d.AtEnd() {
		wireFail("search criteria", "missing; "+strings.TrimPrefix(s.cmd, "UID ")+" names a charset before them, e.g. UTF-8 ALL", "bad.syntax")
	}
	d.SP("search criteria")
	return cs
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

// unreadOf is the UIDs of the messages among ms whose file could not be
// read for their header, ascending; nil when none.
func unreadOf(ms []*sortInfo) []uint32 {
	var out []uint32
	for _, m := range ms {
		if m.unread {
			out = append(out, m.uid)
		}
	}
	return out
}

// sortTargets orders messages by the criteria, each REVERSE turning only
// its own key around; messages equal in every key keep the order of
// their sequence numbers (RFC 5256 3). Every key is read once, before
// sorting.
func sortTargets(ms []*sortInfo, crit []wire.SortKey) []target {
	type keyed struct {
		seq  uint32
		uid  uint32
		keys []sortValue
	}
	// Pointers, so the sort shares its code with the other sorts of
	// pointers in the page's WebAssembly.
	ks := make([]*keyed, len(ms))
	all := make([]sortValue, len(ms)*len(crit))
	for i, m := range ms {
		ks[i] = &keyed{m.seq, m.uid, all[i*len(crit) : (i+1)*len(crit)]}
		for j, k := range crit {
			ks[i].keys[j] = m.sortValue(k.Key)
		}
	}
	slices.SortFunc(ks, func(a, b *keyed) int {
		for j, k := range crit {
			c := a.keys[j].compare(b.keys[j])
			if k.Reverse {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return cmp.Compare(a.seq, b.seq)
	})
	out := make([]target, len(ks))
	for i, k := range ks {
		out[i] = target{k.seq, k.uid}
	}
	return out
}

// sortValue is one message's value of one sort key: a number (a date in
// nanoseconds, a size) or a string.
type sortValue struct {
	n int64
	s string
}

func (v sortValue) compare(w sortValue) int {
	if c := cmp.Compare(v.n, w.n); c != 0 {
		return c
	}
	return strings.Compare(v.s, w.s)
}

// sortValue reads the message's value of one sort key.
func (m *sortInfo) sortValue(key string) sortValue {
	switch key {
	case "ARRIVAL":
		return sortValue{n: m.m.InternalDate().UnixNano()}
	case "DATE":
		return sortValue{n: m.sentDate().UnixNano()}
	case "SIZE":
		return sortValue{n: int64(m.m.Size())}
	case "SUBJECT":
		subj, _ := m.baseSubject()
		return sortValue{s: subj}
	case "FROM":
		return sortValue{s: m.mailboxKey("From")}
	case "TO":
		return sortValue{s: m.mailboxKey("To")}
	case "CC":
		return sortValue{s: m.mailboxKey("Cc")}
	case "DISPLAYFROM":
		return sortValue{s: m.displayKey("From")}
	case "DISPLAYTO":
		return sortValue{s: m.displayKey("To")}
	}
	return sortValue{}
}
