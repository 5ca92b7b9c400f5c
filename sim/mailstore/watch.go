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
	Recent bool // Appended: this watcher holds \Recent for the message
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
	open         bool
	pending      []Change
	signal       chan struct{}
	// modseq is the mailbox's HIGHESTMODSEQ when the session last took
	// its changes: everything up to it is told or in hand.
	modseq uint64
}

// Watch subscribes to mb. It returns the watcher and the UIDs present now,
// in order, with those for which this session holds \Recent. A read-write
// session (SELECT, not EXAMINE) claims \Recent for every message no other
// session was given it for (RFC 3501 section 2.3.2).
func (mb *Mailbox) Watch(readWrite bool) (w *Watcher, uids []uint32, recent map[uint32]bool) {
	mb.lock()
	defer mb.unlock()
	w = &Watcher{mb: mb, claimsRecent: readWrite, open: true, signal: make(chan struct{}, 1), modseq: mb.highestLocked()}
	mb.watchers[w] = true
	uids = make([]uint32, len(mb.msgs))
	recent = map[uint32]bool{}
	for i, m := range mb.msgs {
		uids[i] = m.uid
		if readWrite && m.recentFree {
			m.recent, m.recentFree = w, false
			mb.recentClaimedLocked(m)
		}
		if m.recent == w || !readWrite && (m.recentFree || m.recent != nil) {
			recent[m.uid] = true
		}
	}
	return w, uids, recent
}

// Mailbox is the watched mailbox.
func (w *Watcher) Mailbox() *Mailbox { return w.mb }

// Changes takes the changes queued since the last call, oldest first.
func (w *Watcher) Changes() []Change {
	w.mb.lock()
	defer w.mb.unlock()
	out := w.pending
	w.pending = nil
	w.modseq = w.mb.highestLocked()
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
	w.open = false
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
		if c.Kind == Appended {
			if i, ok := mb.indexLocked(c.UID); ok {
				cc.Recent = mb.msgs[i].recent == w
			}
		}
		w.pending = append(w.pending, cc)
		select {
		case w.signal <- struct{}{}:
		default:
		}
	}
}
