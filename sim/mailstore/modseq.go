package mailstore

import (
	"slices"
	"strconv"
	"strings"
)

// Mod-sequences (RFC 7162, CONDSTORE and QRESYNC). Every change to a
// mailbox (a message arrives, flags change, messages are expunged) takes
// the next mod-sequence of the mailbox; the messages it touched carry it,
// and HIGHESTMODSEQ is the last one given. One change, one number: a STORE
// on many messages gives them all the same mod-sequence, as Dovecot does.
//
// Expunged UIDs are remembered with the mod-sequence of their expunge, so
// that QRESYNC can answer "which of the UIDs I knew are gone since
// mod-sequence N" (VANISHED (EARLIER)). The list is bounded: beyond
// maxVanished the oldest are forgotten, and a question about a time before
// what is remembered (floor) is answered with every UID below UIDNEXT that
// is not in the mailbox, which RFC 7162 3.2.5.2 allows (a client ignores
// UIDs it never knew).

// maxVanished bounds the expunged UIDs a mailbox remembers one by one.
const maxVanished = 100_000

type modSeqState struct {
	highest  uint64        // the last mod-sequence given; 0 reads as 1
	vanished []vanishedUID // expunges, in the order they happened
	// floor: expunges with a mod-sequence at or below it are no longer
	// (or never were) remembered one by one.
	floor uint64
	lines int // records appended to the mailbox's modseq file since it was last written whole
}

type vanishedUID struct {
	uid    uint32
	modseq uint64
}

// UIDRange is lo:hi of UIDs, both included.
type UIDRange struct{ Lo, Hi uint32 }

func (mb *Mailbox) highestLocked() uint64 { return max(mb.mod.highest, 1) }

func (mb *Mailbox) nextModSeqLocked() uint64 {
	mb.mod.highest = mb.highestLocked() + 1
	return mb.mod.highest
}

func (m *Message) modSeq() uint64 { return max(m.modseq, 1) }

// HighestModSeq is the mailbox's HIGHESTMODSEQ (RFC 7162 3.1.2.1).
func (mb *Mailbox) HighestModSeq() uint64 {
	mb.lock()
	defer mb.unlock()
	return mb.highestLocked()
}

// FlagsModSeq returns uid's flags and mod-sequence, read together.
func (mb *Mailbox) FlagsModSeq(uid uint32) ([]string, uint64, bool) {
	mb.lock()
	defer mb.unlock()
	i, ok := mb.indexLocked(uid)
	if !ok {
		return nil, 0, false
	}
	return mb.msgs[i].flagsCopy(), mb.msgs[i].modSeq(), true
}

// VanishedSince returns, ascending, the UIDs expunged with a mod-sequence
// above since. When since is older than what the mailbox remembers, it
// returns every UID below UIDNEXT that is not in the mailbox.
func (mb *Mailbox) VanishedSince(since uint64) []UIDRange {
	mb.lock()
	defer mb.unlock()
	if since < mb.mod.floor {
		return mb.gapsLocked()
	}
	var uids []uint32
	for _, v := range mb.mod.vanished {
		if v.modseq > since {
			uids = append(uids, v.uid)
		}
	}
	slices.Sort(uids)
	return rangesOf(slices.Compact(uids))
}

// gapsLocked: the UIDs below UIDNEXT that no message has.
func (mb *Mailbox) gapsLocked() []UIDRange {
	var out []UIDRange
	next := uint32(1)
	for _, m := range mb.msgs {
		if m.uid > next {
			out = append(out, UIDRange{next, m.uid - 1})
		}
		next = m.uid + 1
	}
	if mb.uidNext > next {
		out = append(out, UIDRange{next, mb.uidNext - 1})
	}
	return out
}

func rangesOf(uids []uint32) []UIDRange {
	var out []UIDRange
	for _, u := range uids {
		if k := len(out); k > 0 && out[k-1].Hi+1 == u {
			out[k-1].Hi = u
			continue
		}
		out = append(out, UIDRange{u, u})
	}
	return out
}

// rememberExpungedLocked records uids as expunged at modseq.
func (mb *Mailbox) rememberExpungedLocked(uids []uint32, modseq uint64) {
	for _, u := range uids {
		mb.mod.vanished = append(mb.mod.vanished, vanishedUID{u, modseq})
	}
	mb.trimVanishedLocked()
}

// trimVanishedLocked forgets the oldest half of the expunges once there
// are more than maxVanished.
func (mb *Mailbox) trimVanishedLocked() {
	if len(mb.mod.vanished) > maxVanished {
		drop := len(mb.mod.vanished) - maxVanished/2
		mb.mod.floor = mb.mod.vanished[drop-1].modseq
		mb.mod.vanished = slices.Clone(mb.mod.vanished[drop:])
	}
}

// StoreResult is what StoreFlagsCond did.
type StoreResult struct {
	Flags    map[uint32][]string // every message acted on: its flags now
	ModSeq   map[uint32]uint64   // and its mod-sequence now
	Changed  map[uint32]bool     // those whose flags this call changed
	Modified []uint32            // UNCHANGEDSINCE: those left alone, ascending
}

// StoreFlagsCond is StoreFlags with RFC 7162's UNCHANGEDSINCE when cond is
// set: a message whose mod-sequence is above unchangedSince is left alone
// and listed in Modified (the test and the change are one step under the
// store lock). Messages whose flags change share one new mod-sequence.
func (mb *Mailbox) StoreFlagsCond(uids []uint32, op FlagOp, flags []string, cond bool, unchangedSince uint64, origin *Watcher) (StoreResult, error) {
	flags = NormalizeFlags(flags)
	mb.lock()
	defer mb.unlock()
	res := StoreResult{Flags: map[uint32][]string{}, ModSeq: map[uint32]uint64{}, Changed: map[uint32]bool{}}
	type change struct {
		m    *Message
		next []string
	}
	var changes []change
	for _, uid := range uids {
		i, ok := mb.indexLocked(uid)
		if !ok {
			continue
		}
		m := mb.msgs[i]
		if cond && m.modSeq() > unchangedSince {
			res.Modified = append(res.Modified, uid)
			continue
		}
		if next := applyFlags(m.flags, op, flags); !slices.Equal(next, m.flags) {
			changes = append(changes, change{m, next})
		}
		res.Flags[uid], res.ModSeq[uid] = m.flagsCopy(), m.modSeq()
	}
	slices.Sort(res.Modified)
	if len(changes) == 0 {
		return res, nil
	}
	ms := mb.highestLocked() + 1
	var rec strings.Builder
	for _, c := range changes {
		writeModSeqRecord(&rec, c.m.uid, ms, c.next)
	}
	// The record goes first: after a crash between the two, the flags on
	// disk differ from the record and the load gives a new mod-sequence.
	if err := mb.recordModSeqsLocked(rec.String()); err != nil {
		return res, err
	}
	mb.mod.highest = ms
	for _, c := range changes {
		if err := mb.setFlagsLocked(c.m, c.next); err != nil {
			return res, err
		}
		c.m.modseq = ms
		res.Flags[c.m.uid], res.ModSeq[c.m.uid], res.Changed[c.m.uid] = c.m.flagsCopy(), ms, true
		mb.broadcastLocked(Change{Kind: FlagsChanged, UID: c.m.uid, Flags: c.m.flagsCopy()}, origin)
	}
	return res, nil
}

// stampNewLocked gives a message that has just joined the mailbox (append,
// copy, a file found in new/) the next mod-sequence and records it.
// Recording is best effort: a message without a record gets a new
// mod-sequence when the Maildir is loaded again.
func (mb *Mailbox) stampNewLocked(m *Message) {
	m.modseq = mb.nextModSeqLocked()
	var rec strings.Builder
	writeModSeqRecord(&rec, m.uid, m.modseq, m.flags)
	_ = mb.recordModSeqsLocked(rec.String())
}

// expungedLocked takes the mod-sequence of an expunge of uids, records it
// and remembers them. It returns the mod-sequence, 0 for no uids.
func (mb *Mailbox) expungedLocked(uids []uint32) uint64 {
	if len(uids) == 0 {
		return 0
	}
	ms := mb.nextModSeqLocked()
	var rec strings.Builder
	for _, u := range uids {
		rec.WriteByte('-')
		rec.WriteString(strconv.FormatUint(uint64(u), 10))
		rec.WriteByte(' ')
		rec.WriteString(strconv.FormatUint(ms, 10))
		rec.WriteByte('\n')
	}
	_ = mb.recordModSeqsLocked(rec.String())
	mb.rememberExpungedLocked(uids, ms)
	return ms
}
