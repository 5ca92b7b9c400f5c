package mailstore

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

// MaxMessageSize bounds one message; APPEND and delivery refuse larger ones.
const MaxMessageSize = 32 << 20

// Mailbox is one folder of a user's. Every method is safe for concurrent use.
type Mailbox struct {
	user        *User
	name        string
	uidValidity uint32
	uidNext     uint32
	msgs        []*Message // ascending UID
	specialUse  string
	watchers    map[*Watcher]bool
	deleted     bool
	mod         modSeqState // CONDSTORE's mod-sequences (modseq.go)
	unreadable  error       // its folder could not be read (ErrUnreadable): no messages, nothing written
	listed      time.Time   // when the load began to list its folder
}

// Name is the mailbox's full name, levels separated by Delimiter.
func (mb *Mailbox) Name() string {
	mb.rlock()
	defer mb.runlock()
	return mb.name
}

func (mb *Mailbox) lock()   { mb.user.store.mu.Lock() }
func (mb *Mailbox) unlock() { mb.user.store.mu.Unlock() }

// rlock and runlock are for reads that change nothing: sessions reading
// at once do not wait for each other.
func (mb *Mailbox) rlock()   { mb.user.store.mu.RLock() }
func (mb *Mailbox) runlock() { mb.user.store.mu.RUnlock() }

// User is the mailbox's owner.
func (mb *Mailbox) User() *User { return mb.user }

// SpecialUse is the RFC 6154 attribute of the mailbox ("\Sent", "\Trash",
// ...), or "".
func (mb *Mailbox) SpecialUse() string {
	mb.rlock()
	defer mb.runlock()
	return mb.specialUse
}

// SetSpecialUse sets the RFC 6154 attribute.
func (mb *Mailbox) SetSpecialUse(attr string) {
	mb.lock()
	defer mb.unlock()
	mb.specialUse = attr
}

// Status is a consistent snapshot of a mailbox's counters.
type Status struct {
	Messages    int
	Recent      int
	Unseen      int
	UIDNext     uint32
	UIDValidity uint32
	FirstUnseen int // sequence number of the first message without \Seen, 0 if none
	Size        int // total octets
	// HighestModSeq is the mod-sequence of the last change (RFC 7162).
	HighestModSeq uint64
}

// Status counts the mailbox. Recent counts the messages no read-write
// session has yet been given \Recent for: once one has, no later session
// is told of it (RFC 3501 2.3.2), and Dovecot's STATUS counts it no more.
func (mb *Mailbox) Status() Status {
	mb.lock()
	defer mb.unlock()
	mb.refreshLocked()
	st := Status{Messages: len(mb.msgs), UIDNext: mb.uidNext, UIDValidity: mb.uidValidity, HighestModSeq: mb.highestLocked()}
	for i, m := range mb.msgs {
		if m.recentFree {
			st.Recent++
		}
		if !HasFlag(m.flags, FlagSeen) {
			st.Unseen++
			if st.FirstUnseen == 0 {
				st.FirstUnseen = i + 1
			}
		}
		st.Size += m.Size()
	}
	return st
}

// Count is the number of messages, without copying anything (for quota
// checks on every APPEND).
func (mb *Mailbox) Count() int {
	mb.rlock()
	defer mb.runlock()
	return len(mb.msgs)
}

// Messages returns the messages in UID order, a snapshot.
func (mb *Mailbox) Messages() []*Message {
	mb.lock()
	defer mb.unlock()
	mb.refreshLocked()
	return slices.Clone(mb.msgs)
}

// UIDs returns every UID in ascending order.
func (mb *Mailbox) UIDs() []uint32 {
	mb.rlock()
	defer mb.runlock()
	out := make([]uint32, len(mb.msgs))
	for i, m := range mb.msgs {
		out[i] = m.uid
	}
	return out
}

// Message returns the message with uid.
func (mb *Mailbox) Message(uid uint32) (*Message, bool) {
	mb.rlock()
	defer mb.runlock()
	i, ok := mb.indexLocked(uid)
	if !ok {
		return nil, false
	}
	return mb.msgs[i], true
}

// Flags returns a message's current flags.
func (m *Message) flagsCopy() []string { return slices.Clone(m.flags) }

// Flags returns uid's current flags, read under the store lock.
func (mb *Mailbox) Flags(uid uint32) ([]string, bool) {
	mb.rlock()
	defer mb.runlock()
	i, ok := mb.indexLocked(uid)
	if !ok {
		return nil, false
	}
	return mb.msgs[i].flagsCopy(), true
}

// Found is one message Lookup found: the message and its flags at the
// time of the lookup. Flags is shared with the store, which replaces a
// message's flags and never changes them in place: callers must not
// modify it.
type Found struct {
	Msg    *Message
	Flags  []string
	ModSeq uint64 // RFC 7162 mod-sequence of the message's last change
}

// Lookup finds the messages with uids (ascending) under one lock and in
// one pass over the mailbox: FETCH of every message costs one lock, not
// one lock and one search per message. A message that is gone has a nil
// Msg.
func (mb *Mailbox) Lookup(uids []uint32) []Found {
	out := make([]Found, len(uids))
	mb.rlock()
	defer mb.runlock()
	j := 0
	for i, uid := range uids {
		if i == 0 || uid < uids[i-1] || uid-uids[i-1] > 64 {
			// The first, one out of order or far ahead: a search, not
			// a walk.
			j = sort.Search(len(mb.msgs), func(k int) bool { return mb.msgs[k].uid >= uid })
		}
		for j < len(mb.msgs) && mb.msgs[j].uid < uid {
			j++
		}
		if j < len(mb.msgs) && mb.msgs[j].uid == uid {
			m := mb.msgs[j]
			out[i] = Found{Msg: m, Flags: m.flags, ModSeq: m.modSeq()}
		}
	}
	return out
}

func (mb *Mailbox) indexLocked(uid uint32) (int, bool) {
	return sort.Find(len(mb.msgs), func(i int) int {
		switch u := mb.msgs[i].uid; {
		case uid < u:
			return -1
		case uid > u:
			return 1
		}
		return 0
	})
}

// Append stores a new message and tells every watcher. A zero date means now.
func (mb *Mailbox) Append(raw []byte, flags []string, date time.Time) (uint32, error) {
	if len(raw) > MaxMessageSize {
		return 0, ErrTooBig
	}
	if date.IsZero() {
		date = mb.user.store.now()
	}
	m := NewMessage(raw, flags, date)
	unstage := mb.stage([]*Message{m})
	defer unstage()
	mb.lock()
	defer mb.unlock()
	if err := mb.user.fitsLocked(1, int64(m.Size())); err != nil {
		return 0, err
	}
	if err := mb.appendLocked(m, nil); err != nil {
		return 0, err
	}
	return m.uid, nil
}

// appendLocked gives m the next UID, writes it through and announces it.
func (mb *Mailbox) appendLocked(m *Message, origin *Watcher) error {
	if mb.deleted {
		return ErrNoMailbox
	}
	m.uid = mb.uidNext
	if p := mb.user.store.persist; p != nil {
		file, err := p.PutMessage(mb.user.name, mb.name, m)
		if err != nil {
			return err
		}
		m.setFile(file)
		if err := p.SetMailboxState(mb.user.name, mb.name, mb.uidValidity, mb.uidNext+1); err != nil {
			return err
		}
	}
	mb.uidNext++
	mb.msgs = append(mb.msgs, m)
	mb.announceLocked(m, true, origin)
	return nil
}

// announceLocked tells the watchers of m, just added. The first
// read-write session to learn of a recent message gets \Recent (see
// Watcher.Changes).
func (mb *Mailbox) announceLocked(m *Message, recent bool, origin *Watcher) {
	mb.stampNewLocked(m)
	m.recentFree = recent
	mb.broadcastLocked(Change{Kind: Appended, UID: m.uid, Flags: m.flagsCopy()}, origin)
}

// FlagOp says how StoreFlags combines flags with a message's current ones.
type FlagOp int

const (
	FlagsReplace FlagOp = iota // FLAGS
	FlagsAdd                   // +FLAGS
	FlagsRemove                // -FLAGS
)

// StoreFlags changes the flags of the messages with uids and returns, in
// order, each message's resulting flags. Messages that are gone are skipped.
// Watchers other than origin are told of every message whose flags changed.
func (mb *Mailbox) StoreFlags(uids []uint32, op FlagOp, flags []string, origin *Watcher) (map[uint32][]string, error) {
	res, err := mb.StoreFlagsCond(uids, op, flags, false, 0, origin)
	return res.Flags, err
}

func (mb *Mailbox) setFlagsLocked(m *Message, next []string) error {
	if p := mb.user.store.persist; p != nil {
		file, err := p.SetFlags(mb.user.name, mb.name, m, next)
		if err != nil {
			return err
		}
		m.setFile(file)
	}
	m.flags = next
	return nil
}

func applyFlags(cur []string, op FlagOp, flags []string) []string {
	switch op {
	case FlagsAdd:
		return NormalizeFlags(append(slices.Clone(cur), flags...))
	case FlagsRemove:
		return slices.DeleteFunc(slices.Clone(cur), func(f string) bool { return HasFlag(flags, f) })
	}
	return slices.Clone(flags)
}

// Remove deletes the messages with uids for good and returns the UIDs
// removed, ascending. With onlyDeleted, messages without \Deleted are kept
// (IMAP EXPUNGE); POP3's UPDATE state removes unconditionally.
func (mb *Mailbox) Remove(uids []uint32, onlyDeleted bool, origin *Watcher) ([]uint32, error) {
	mb.lock()
	defer mb.unlock()
	want := map[uint32]bool{}
	for _, u := range uids {
		want[u] = true
	}
	var removed []uint32
	kept := mb.msgs[:0:0]
	var firstErr error
	for _, m := range mb.msgs {
		gone := want[m.uid] && (!onlyDeleted || HasFlag(m.flags, FlagDeleted)) && firstErr == nil
		if gone {
			if p := mb.user.store.persist; p != nil {
				if err := p.RemoveMessage(mb.user.name, mb.name, m); err != nil {
					firstErr = err
					gone = false
				}
			}
		}
		if gone {
			removed = append(removed, m.uid)
			continue
		}
		kept = append(kept, m)
	}
	mb.msgs = kept
	ms := mb.expungedLocked(removed)
	for _, uid := range removed {
		mb.broadcastLocked(Change{Kind: Expunged, UID: uid, ModSeq: ms}, origin)
	}
	return removed, firstErr
}

// CopyTo copies the messages with uids, in ascending UID order, to dst with
// their flags and internal dates, and returns the source and new UIDs in
// matching order (for UIDPLUS's COPYUID).
// Copies count against dst's owner's quota: all of them fit or none is
// made (ErrOverQuota).
func (mb *Mailbox) CopyTo(dst *Mailbox, uids []uint32, origin *Watcher) (src, dest []uint32, err error) {
	return mb.copyTo(dst, uids, origin, true)
}

func (mb *Mailbox) copyTo(dst *Mailbox, uids []uint32, origin *Watcher, quota bool) (src, dest []uint32, err error) {
	sorted := slices.Clone(uids)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	// The copies' files are written ahead, as APPEND's are (stage).
	copies, err := mb.copiesOf(sorted)
	if err != nil {
		return nil, nil, err
	}
	unstage := dst.stage(copies)
	defer unstage()
	mb.lock()
	defer mb.unlock()
	if dst.deleted {
		return nil, nil, ErrNoMailbox
	}
	if quota {
		if err := dst.user.fitsLocked(mb.sizeOfLocked(sorted)); err != nil {
			return nil, nil, err
		}
	}
	for k, uid := range sorted {
		i, ok := mb.indexLocked(uid)
		if !ok {
			continue
		}
		m := mb.msgs[i]
		c := copies[k]
		if c == nil {
			if c, err = copyOf(m); err != nil {
				return src, dest, err
			}
		}
		c.flags = m.flagsCopy() // as they are now, not when staged
		if err := dst.appendLocked(c, origin); err != nil {
			return src, dest, err
		}
		src, dest = append(src, uid), append(dest, c.uid)
	}
	return src, dest, nil
}

// copiesOf makes unstored copies of the messages with uids, in order; nil
// for a message that is gone. A message whose file cannot be read fails
// them all: COPY makes all copies or none (RFC 3501 6.4.7), and an empty
// copy would be the message's only one after a MOVE.
func (mb *Mailbox) copiesOf(uids []uint32) ([]*Message, error) {
	mb.rlock()
	defer mb.runlock()
	out := make([]*Message, len(uids))
	for k, uid := range uids {
		if i, ok := mb.indexLocked(uid); ok {
			c, err := copyOf(mb.msgs[i])
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
	}
	return out, nil
}

// copyOf is an unstored copy of m, or why m's content could not be read.
func copyOf(m *Message) (*Message, error) {
	raw := m.Raw()
	if m.ReadErr() != nil {
		return nil, fmt.Errorf("message UID %d: %w", m.uid, ErrMessageUnreadable)
	}
	return &Message{body: inMemory(raw, m.InternalDate())}, nil
}

// MoveTo copies then removes, as RFC 6851 MOVE does, and returns the
// source and destination UIDs. Within one user's mailboxes a move takes
// nothing more of the quota, so it is allowed even at the limit.
func (mb *Mailbox) MoveTo(dst *Mailbox, uids []uint32, origin *Watcher) ([2][]uint32, error) {
	src, dest, err := mb.copyTo(dst, uids, origin, dst.user != mb.user)
	if err != nil {
		return [2][]uint32{src, dest}, err
	}
	_, err = mb.Remove(src, false, origin)
	return [2][]uint32{src, dest}, err
}

// UIDValidity is the mailbox's UIDVALIDITY.
func (mb *Mailbox) UIDValidity() uint32 {
	mb.lock()
	defer mb.unlock()
	return mb.uidValidity
}

// UIDNext is the UID the next message will get.
func (mb *Mailbox) UIDNext() uint32 {
	mb.lock()
	defer mb.unlock()
	return mb.uidNext
}
