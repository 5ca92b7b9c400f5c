package imap

import (
	"slices"
	"strconv"

	"maillab/sim/imap/wire"
)

// target is one message a command acts on: its sequence number and UID.
type target struct{ seq, uid uint32 }

// resolve turns a sequence set (or, with uids, a UID set) into the
// session's messages, ascending. "*" is the last message (or the highest
// UID), so "UID 9:*" with 9 above the highest UID still names the last
// message (RFC 3501 6.4.8). A sequence number beyond the mailbox is a
// client error; UIDs that do not exist are skipped. "$" is the saved
// search result, in either form.
func (s *Session) resolve(set wire.NumSet, uids bool) ([]target, bool) {
	sel := s.sel
	var out []target
	if set.IsSaved() { // "$" names the saved messages that remain (RFC 5182)
		for i, u := range sel.uids {
			if sel.saved[u] {
				out = append(out, target{uint32(i + 1), u})
			}
		}
		return out, true
	}
	if uids {
		for _, r := range set.Resolve(sel.maxUID()) {
			i, _ := slices.BinarySearch(sel.uids, r.Lo)
			for ; i < len(sel.uids) && sel.uids[i] <= r.Hi; i++ {
				out = append(out, target{uint32(i + 1), sel.uids[i]})
			}
		}
	} else {
		n := sel.count()
		for _, r := range set.Resolve(n) {
			if r.Hi > n {
				s.bad(s.cmd+": there is no message "+strconv.Itoa(int(r.Hi))+"; the mailbox has "+strconv.Itoa(int(n))+" (use * for the last one)", "bad.nosuchmsg", s.cmd, r.Hi, n)
				return nil, false
			}
			for q := r.Lo; q <= r.Hi; q++ {
				out = append(out, target{q, sel.uids[q-1]})
			}
		}
	}
	slices.SortFunc(out, func(a, b target) int { return int(a.seq) - int(b.seq) })
	return slices.Compact(out), true
}

func (s *Session) uidMode() bool { return len(s.cmd) > 4 && s.cmd[:4] == "UID " }

func (s *Session) uidsOf(ts []target) []uint32 {
	out := make([]uint32, len(ts))
	for i, t := range ts {
		out[i] = t.uid
	}
	return out
}
