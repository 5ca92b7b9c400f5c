package mailstore

import "slices"

// ChangeKind says what happened in a watched mailbox.
type ChangeKind int

const (
	Appended       ChangeKind = iota + 1 // a new message: IMAP's EXISTS
	Expunged                             // a message is gone: IMAP's EXPUNGE
	FlagsChanged                         // flags changed: IMAP's FETCH (FLAGS)
	MailboxDeleted                       // the mailbox itself was deleted
)

// Change is one event in a mailbox's change feed.
type Change struct {
	Kind   ChangeKind
	UID    uint32
	Flags  []string
	Recent bool // Appended: the message is \Recent in this watcher's session
	// ModSeq is the mod-sequence of an expunge (RFC 7162): a session that
	// holds the expunge back must not let its client believe in a
	// HIGHESTMODSEQ at or above it.
	ModSeq uint64
}

// Watcher is one session's subscription to a mailbox's changes. Each IMAP
// session keeps its own view of sequence numbers and applies the changes at
// the points the protocol allows; the store only queues them.
type Watcher struct {
	mb           *Mailbox
	claimsRecent bool
	pending      []Change
	signal       chan struct{}
	// modseq is the mailbox's HIGHESTMODSEQ when the session last took
	// its changes: everything up to it is told or in hand.
	modseq uint64
}

// Watch subscribes to mb. It returns the watcher and the UIDs present now,
// in order, with those that are \Recent in this session. A read-write
// session (SELECT, not EXAMINE) claims \Recent for every message no other
// session was given it for (RFC 3501 section 2.3.2). A read-only one
// claims nothing and sees \Recent only on those: a message another session
// was given \Recent for is not recent to it, as in Dovecot.
func (mb *Mailbox) Watch(readWrite bool) (w *Watcher, uids []uint32, recent map[uint32]bool) {
	mb.lock()
	defer mb.unlock()
	mb.refreshLocked()
	w = &Watcher{mb: mb, claimsRecent: readWrite, signal: make(chan struct{}, 1), modseq: mb.highestLocked()}
	mb.watchers[w] = true
	uids = make([]uint32, len(mb.msgs))
	recent = map[uint32]bool{}
	for i, m := range mb.msgs {
		uids[i] = m.uid
		if readWrite && m.recentFree {
			m.recent, m.recentFree = w, false
			mb.recentClaimedLocked(m)
		}
		if m.recent == w || !readWrite && m.recentFree {
			recent[m.uid] = true
		}
	}
	return w, uids, recent
}

// Mailbox is the watched mailbox.
func (w *Watcher) Mailbox() *Mailbox { return w.mb }

// Changes takes the changes queued since the last call, oldest first.
//
// A new message's \Recent is decided here, when the session learns of
// it, as Dovecot decides it when a session syncs: the first read-write
// session to do so claims it, and a read-only one sees it \Recent while
// no read-write session has claimed it. So the session that appends to
// its own selected mailbox gets \Recent for it, and STATUS counts a new
// message as recent until some session was told.
func (w *Watcher) Changes() []Change {
	mb := w.mb
	mb.lock()
	defer mb.unlock()
	mb.refreshLocked()
	out := w.pending
	w.pending = nil
	for i := range out {
		if out[i].Kind != Appended {
			continue
		}
		j, ok := mb.indexLocked(out[i].UID)
		if !ok {
			continue
		}
		m := mb.msgs[j]
		if m.recentFree && w.claimsRecent {
			m.recent, m.recentFree = w, false
			mb.recentClaimedLocked(m)
		}
		out[i].Recent = m.recent == w || !w.claimsRecent && m.recentFree
	}
	w.modseq = mb.highestLocked()
	return out
}

// HighestModSeq is the mailbox's HIGHESTMODSEQ as of the session's last
// Changes (or Watch): a client told it misses no change up to it.
func (w *Watcher) HighestModSeq() uint64 {
	w.mb.lock()
	defer w.mb.unlock()
	return w.modseq
}

// Pending reports whether changes are queued, without taking them.
func (w *Watcher) Pending() bool {
	w.mb.lock()
	defer w.mb.unlock()
	return len(w.pending) > 0
}

// Signal is readied whenever a change is queued; IDLE waits on it.
func (w *Watcher) Signal() <-chan struct{} { return w.signal }

// Close ends the subscription. Messages whose \Recent this session held
// keep no \Recent afterwards: the session that was told has been told.
func (w *Watcher) Close() {
	w.mb.lock()
	defer w.mb.unlock()
	delete(w.mb.watchers, w)
	for _, m := range w.mb.msgs {
		if m.recent == w {
			m.recent = nil
		}
	}
	w.pending = nil
}

// broadcastLocked queues c for every watcher but origin.
func (mb *Mailbox) broadcastLocked(c Change, origin *Watcher) {
	for w := range mb.watchers {
		if w == origin && c.Kind != Appended {
			continue
		}
		cc := c
		cc.Flags = slices.Clone(c.Flags)
		w.pending = append(w.pending, cc)
		select {
		case w.signal <- struct{}{}:
		default:
		}
	}
}
