package imap

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"maillab/sim/imap/wire"
	"maillab/sim/mailstore"
)

// CONDSTORE and QRESYNC (RFC 7162). Every change to a mailbox takes the
// next mod-sequence (kept by mailstore); a client that knows the highest
// one it has seen can ask for what changed since (FETCH CHANGEDSINCE), make
// a change only if nobody else did (STORE UNCHANGEDSINCE), and, with
// QRESYNC, learn in SELECT itself which of its messages are gone
// (VANISHED (EARLIER)) and which changed. Once QRESYNC is enabled,
// VANISHED with UIDs replaces EXPUNGE.

func (s *Session) condstore() bool { return s.enabled["CONDSTORE"] }
func (s *Session) qresync() bool   { return s.enabled["QRESYNC"] }

// enableCondstore is a CONDSTORE enabling command (RFC 7162 3.1): ENABLE,
// SELECT (CONDSTORE), FETCH MODSEQ or CHANGEDSINCE, SEARCH MODSEQ, STORE
// UNCHANGEDSINCE, STATUS HIGHESTMODSEQ. From the first, FETCH responses
// carry MODSEQ; made while a mailbox is selected, it is told the mailbox's
// HIGHESTMODSEQ at once.
func (s *Session) enableCondstore() {
	if s.condstore() {
		return
	}
	s.enabled["CONDSTORE"] = true
	if s.sel != nil {
		s.sendHighestModSeq()
	}
}

func (s *Session) sendHighestModSeq() {
	h := strconv.FormatUint(s.sel.w.HighestModSeq(), 10)
	s.untagged("OK [HIGHESTMODSEQ " + h + "] Highest")
	s.explain("highestmodseq", h)
}

// cmdEnable serves RFC 5161 ENABLE: CONDSTORE and QRESYNC (which implies
// CONDSTORE) are the extensions here that need turning on; the others
// named are left out of ENABLED. As Dovecot, ENABLED names the asked ones
// again when they were already on.
func (s *Session) cmdEnable(d *wire.Decoder) {
	var asked []string
	for !d.AtEnd() {
		d.SP("capability")
		asked = append(asked, strings.ToUpper(d.Atom("capability")))
	}
	var on []string
	for _, c := range asked {
		switch c {
		case "QRESYNC":
			s.enabled["QRESYNC"] = true
			s.enableCondstore()
		case "CONDSTORE":
			s.enableCondstore()
		default:
			continue
		}
		if !slices.Contains(on, c) {
			on = append(on, c)
		}
	}
	s.untagged(strings.TrimSpace("ENABLED " + strings.Join(on, " ")))
	if len(on) == 0 {
		s.explain("enabled")
	} else {
		s.explain("enabled.some", strings.Join(on, " "))
	}
	s.ok("", "ENABLE completed")
}

// selectParams are SELECT's and EXAMINE's parameters (RFC 4466 with RFC
// 7162's CONDSTORE and QRESYNC).
type selectParams struct {
	condstore bool
	qresync   *qresyncParams
}

// qresyncParams: (QRESYNC (uidvalidity modseq [known-uids [(seq uids)]])).
type qresyncParams struct {
	validity uint32
	modseq   uint64
	known    wire.NumSet // nil: every UID
}

func (s *Session) readSelectParams(d *wire.Decoder) selectParams {
	var p selectParams
	if !d.Eat(' ') {
		return p
	}
	const arg = "select parameters"
	d.List(arg, func() {
		switch name := d.Keyword("select parameter"); name {
		case "CONDSTORE":
			p.condstore = true
		case "QRESYNC":
			d.SP("QRESYNC parameters")
			p.qresync = readQresync(d)
		default:
			wireFail(arg, name+" is not a SELECT parameter; this server knows CONDSTORE and QRESYNC", "bad.select.param", name)
		}
	})
	return p
}

func readQresync(d *wire.Decoder) *qresyncParams {
	q := &qresyncParams{}
	d.Expect('(', "QRESYNC parameters")
	q.validity = d.NzNumber("QRESYNC's UIDVALIDITY")
	d.SP("QRESYNC's mod-sequence")
	q.modseq = d.ModSeq("QRESYNC's mod-sequence")
	if q.modseq == 0 {
		wireFail("QRESYNC's mod-sequence", "a mod-sequence here is at least 1", "bad.qresync.zero")
	}
	if d.Eat(' ') {
		if d.Peek() != '(' {
			q.known = d.SeqSet("QRESYNC's known UIDs")
			if d.Eat(' ') {
				readSeqMatch(d)
			}
		} else {
			readSeqMatch(d)
		}
	}
	d.Expect(')', "QRESYNC parameters")
	return q
}

// readSeqMatch reads (sequence-set UID-set): a server that remembers
// expunges, as this one does, needs it not.
func readSeqMatch(d *wire.Decoder) {
	d.Expect('(', "QRESYNC's sequence match data")
	seqs := d.SeqSet("QRESYNC's known sequence numbers")
	d.SP("QRESYNC's known UIDs")
	uids := d.SeqSet("QRESYNC's known UIDs")
	d.Expect(')', "QRESYNC's sequence match data")
	// Each sequence number pairs with a UID (RFC 7162 3.2.5).
	if n, m := setSize(seqs), setSize(uids); n != m && n >= 0 && m >= 0 {
		wireFail("QRESYNC's sequence match data", "the sequence numbers and the UIDs must pair up: "+
			strconv.Itoa(n)+" numbers, "+strconv.Itoa(m)+" UIDs", "bad.qresync.match")
	}
}

// setSize counts a set's numbers, or -1 when it holds "*".
func setSize(set wire.NumSet) int {
	n := 0
	for _, r := range set {
		if r.Lo == 0 || r.Hi == 0 {
			return -1
		}
		n += int(max(r.Lo, r.Hi)-min(r.Lo, r.Hi)) + 1
	}
	return n
}

// selectModSeqs ends a successful SELECT for a CONDSTORE client with
// HIGHESTMODSEQ and, with QRESYNC and the client's UIDVALIDITY, what
// changed since its mod-sequence, among the UIDs it knows: VANISHED
// (EARLIER) for those that are gone, then FETCH for those changed (RFC
// 7162 3.2.5).
func (s *Session) selectModSeqs(p selectParams) {
	if p.condstore || p.qresync != nil {
		s.enabled["CONDSTORE"] = true
	}
	if !s.condstore() {
		return
	}
	s.sendHighestModSeq()
	q := p.qresync
	if q == nil || q.validity != s.sel.mb.UIDValidity() {
		return
	}
	known := q.known
	if known == nil {
		known = wire.NumSet{{Lo: 1, Hi: 0}}
	}
	s.sendVanishedEarlier(q.modseq, known)
	star := s.sel.maxUID()
	for i, uid := range s.sel.uids {
		flags, ms, ok := s.sel.mb.FlagsModSeq(uid)
		// Only the messages the client knows, as Dovecot answers.
		if !ok || ms <= q.modseq || !known.Contains(uid, star) {
			continue
		}
		seq := strconv.Itoa(i + 1)
		s.untagged(seq + " FETCH (UID " + strconv.FormatUint(uint64(uid), 10) + " FLAGS " + s.flagList(uid, flags) + " " +
			string(s.appendModSeq(nil, ms)) + ")")
		s.explainMessage("fetch.changed", uint32(i+1))
	}
}

// sendVanishedEarlier sends "* VANISHED (EARLIER)" with the UIDs of set
// expunged after since, if any.
func (s *Session) sendVanishedEarlier(since uint64, set wire.NumSet) {
	mb := s.sel.mb
	gone := intersect(mb.VanishedSince(since), set.Resolve(mb.UIDNext()-1))
	if len(gone) == 0 {
		return
	}
	s.untagged("VANISHED (EARLIER) " + gone.String())
	s.explain("vanished.earlier")
}

// intersect returns the UIDs in both a and b, as a set.
func intersect(a []mailstore.UIDRange, b []wire.Range) wire.NumSet {
	b = slices.Clone(b)
	slices.SortFunc(b, func(x, y wire.Range) int { return cmp.Compare(x.Lo, y.Lo) })
	var out wire.NumSet
	j := 0
	for _, r := range a {
		for j < len(b) && b[j].Hi < r.Lo {
			j++
		}
		for k := j; k < len(b) && b[k].Lo <= r.Hi; k++ {
			lo, hi := max(r.Lo, b[k].Lo), min(r.Hi, b[k].Hi)
			if n := len(out); n > 0 && out[n-1].Hi+1 >= lo {
				out[n-1].Hi = max(out[n-1].Hi, hi)
				continue
			}
			out = append(out, wire.Range{Lo: lo, Hi: hi})
		}
	}
	return out
}

// fetchModifiers are FETCH's modifiers (RFC 7162 3.1.4, 3.2.6).
type fetchModifiers struct {
	changed  bool // CHANGEDSINCE given
	since    uint64
	vanished bool
}

func (s *Session) readFetchModifiers(d *wire.Decoder) fetchModifiers {
	var m fetchModifiers
	if !d.Eat(' ') {
		return m
	}
	const arg = "fetch modifiers"
	d.List(arg, func() {
		switch name := d.Keyword("fetch modifier"); name {
		case "CHANGEDSINCE":
			d.SP("CHANGEDSINCE's mod-sequence")
			m.changed, m.since = true, d.ModSeq("CHANGEDSINCE's mod-sequence")
		case "VANISHED":
			if !s.uidMode() || !s.qresync() {
				wireFail(arg, "VANISHED needs UID FETCH and ENABLE QRESYNC first", "bad.fetch.vanished")
			}
			m.vanished = true
		default:
			wireFail(arg, name+" is not a FETCH modifier; this server knows CHANGEDSINCE and VANISHED", "bad.fetch.modifier", name)
		}
	})
	if m.vanished && !m.changed {
		wireFail(arg, "VANISHED goes with CHANGEDSINCE", "bad.fetch.vanished")
	}
	return m
}

// fetchPrepare applies the modifiers before FETCH answers: CHANGEDSINCE
// keeps the messages changed since and adds MODSEQ to what is fetched;
// VANISHED first reports the set's UIDs expunged since.
func (s *Session) fetchPrepare(atts []wire.FetchAtt, mod fetchModifiers, set wire.NumSet, ts []target) ([]wire.FetchAtt, []target) {
	if hasAtt(atts, "MODSEQ") || mod.changed {
		s.enableCondstore()
	}
	if !mod.changed {
		return atts, ts
	}
	if !hasAtt(atts, "MODSEQ") {
		atts = append(atts, wire.FetchAtt{Name: "MODSEQ"})
	}
	if mod.vanished {
		s.sendVanishedEarlier(mod.since, set)
	}
	return atts, slices.DeleteFunc(ts, func(t target) bool {
		_, ms, ok := s.sel.mb.FlagsModSeq(t.uid)
		return ok && ms <= mod.since
	})
}

// appendModSeq writes FETCH's MODSEQ item, and notes that this answer
// told the client a mod-sequence.
func (s *Session) appendModSeq(b []byte, ms uint64) []byte {
	s.sentModSeq = true
	b = append(b, "MODSEQ ("...)
	b = strconv.AppendUint(b, ms, 10)
	return append(b, ')')
}

// readStoreModifiers reads STORE's (UNCHANGEDSINCE n), if given.
func readStoreModifiers(d *wire.Decoder) (cond bool, since uint64) {
	if d.Peek() != '(' {
		return false, 0
	}
	const arg = "store modifiers"
	d.List(arg, func() {
		name := d.Keyword("store modifier")
		if name != "UNCHANGEDSINCE" {
			wireFail(arg, name+" is not a STORE modifier; this server knows UNCHANGEDSINCE", "bad.store.modifier", name)
		}
		d.SP("UNCHANGEDSINCE's mod-sequence")
		cond, since = true, d.ModSeq("UNCHANGEDSINCE's mod-sequence")
	})
	d.SP("store item")
	return cond, since
}

// fetchUpdate writes the FETCH response of a flag change: UID first when
// the command was a UID one or QRESYNC is on, MODSEQ for a CONDSTORE
// client, FLAGS unless silent (RFC 7162 3.1.3, 3.2.4).
func (s *Session) fetchUpdate(seq, uid uint32, flags []string, ms uint64, withUID, silent bool) {
	b := make([]byte, 0, 96)
	b = append(b, "* "...)
	b = strconv.AppendUint(b, uint64(seq), 10)
	b = append(b, " FETCH ("...)
	if !s.condstore() {
		b = append(b, "FLAGS "...)
		b = append(b, s.flagList(uid, flags)...)
		if withUID {
			b = strconv.AppendUint(append(b, " UID "...), uint64(uid), 10)
		}
		s.sendBytes(append(b, ')'))
		s.explainMessage("fetch.flags", seq)
		return
	}
	if withUID || s.qresync() {
		b = strconv.AppendUint(append(b, "UID "...), uint64(uid), 10)
		b = append(b, ' ')
	}
	b = s.appendModSeq(b, ms)
	if !silent {
		b = append(b, " FLAGS "...)
		b = append(b, s.flagList(uid, flags)...)
	}
	s.sendBytes(append(b, ')'))
	if silent {
		s.explainMessage("fetch.modseq", seq)
	} else {
		s.explainMessage("fetch.flags", seq)
	}
}

// modifiedCode is STORE's [MODIFIED set]: the messages UNCHANGEDSINCE left
// alone, by UID after UID STORE.
func (s *Session) modifiedCode(modified []uint32) string {
	nums := modified
	if !s.uidMode() {
		nums = make([]uint32, 0, len(modified))
		for _, uid := range modified {
			if q := s.sel.seq(uid); q != 0 {
				nums = append(nums, q)
			}
		}
	}
	return "MODIFIED " + wire.SetOf(nums)
}

// highestModSeqOf is the highest mod-sequence among the messages a SEARCH
// returns: SEARCH's "(MODSEQ n)" and ESEARCH's "MODSEQ n" (RFC 7162
// 3.1.5, where with ESEARCH's MIN or MAX alone "returns" means the
// messages they name).
func (s *Session) highestModSeqOf(ts []target) uint64 {
	var h uint64
	for _, t := range ts {
		if _, ms, ok := s.sel.mb.FlagsModSeq(t.uid); ok {
			h = max(h, ms)
		}
	}
	return h
}

// usesModSeq reports whether a SEARCH key tests MODSEQ.
func usesModSeq(k wire.SearchKey) bool {
	if k.Key == "MODSEQ" {
		return true
	}
	return slices.ContainsFunc(k.Sub, usesModSeq)
}

// completionModSeq is the HIGHESTMODSEQ a tagged OK carries for a
// CONDSTORE client, or "" (RFC 7162 3.2.10): after VANISHED the mailbox's
// (what the client now knows of everything); when the answer carried
// MODSEQ values while expunges are held back (FETCH, STORE, SEARCH), the
// one just below the first of them, so that a client that took the
// highest MODSEQ it saw for its new HIGHESTMODSEQ does not resynchronize
// later from past an expunge it was never told. Dovecot answers both ways.
func (s *Session) completionModSeq() string {
	sel := s.sel
	switch {
	case sel == nil || !s.condstore():
		return ""
	case len(sel.expunged) > 0 && sel.heldModSeq > 1 && s.sentModSeq:
		return "HIGHESTMODSEQ " + strconv.FormatUint(sel.heldModSeq-1, 10)
	case s.sentVanished:
		return "HIGHESTMODSEQ " + strconv.FormatUint(sel.w.HighestModSeq(), 10)
	}
	return ""
}

// sendVanished announces expunges to a QRESYNC client: one VANISHED with
// the UIDs gone instead of an EXPUNGE per message (RFC 7162 3.2.10).
func (s *Session) sendVanished(gone []uint32) {
	if len(gone) == 0 {
		return
	}
	slices.Sort(gone)
	s.untagged("VANISHED " + wire.SetOf(slices.Compact(gone)))
	s.explain("vanished")
	s.sentVanished = true
}
