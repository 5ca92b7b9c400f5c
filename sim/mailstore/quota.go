package mailstore

import "errors"

// ErrOverQuota is the error of a change that would take a user's
// mailboxes past their quota: IMAP answers NO [OVERQUOTA] (RFC 9208),
// LMTP 552 5.2.2.
var ErrOverQuota = errors.New("quota exceeded (mailbox for user is full)")

// Quota limits what all of one user's mailboxes hold together, as
// Dovecot's quota plugin does with one quota root per user: Storage in
// octets (messages counted as the CRLF octets IMAP reports for them),
// Messages in messages. A zero field sets no limit.
type Quota struct {
	Storage  int64
	Messages int
}

// Set reports whether q limits anything.
func (q Quota) Set() bool { return q.Storage > 0 || q.Messages > 0 }

// Usage is what a user's mailboxes hold: the resources Quota limits.
type Usage struct {
	Storage  int64
	Messages int
}

// SetQuota gives every user q, but those given one of their own
// (User.SetQuota).
func (s *Store) SetQuota(q Quota) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quota = q
}

// HasQuota reports whether any user has a quota, so IMAP can offer the
// QUOTA extension before it knows who logs in.
func (s *Store) HasQuota() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.quota.Set() {
		return true
	}
	for _, u := range s.users {
		if u.quota != nil && u.quota.Set() {
			return true
		}
	}
	return false
}

// SetQuota gives u a quota of its own (a lesson's fixture does).
func (u *User) SetQuota(q Quota) {
	u.store.mu.Lock()
	defer u.store.mu.Unlock()
	u.quota = &q
}

// Quota is u's limit and what u's mailboxes hold now.
func (u *User) Quota() (Quota, Usage) {
	u.store.waitLoaded()
	u.store.mu.Lock()
	defer u.store.mu.Unlock()
	return u.quotaLocked(), u.usageLocked()
}

func (u *User) quotaLocked() Quota {
	if u.quota != nil {
		return *u.quota
	}
	return u.store.quota
}

// usageLocked adds up the user's mailboxes. It is counted afresh on each
// check rather than kept, so that no path that adds or removes a message
// can forget to keep it right; a sum over the messages in memory costs
// microseconds even for ten thousand.
func (u *User) usageLocked() Usage {
	var use Usage
	for _, mb := range u.boxes {
		use.Messages += len(mb.msgs)
		for _, m := range mb.msgs {
			use.Storage += int64(m.Size())
		}
	}
	return use
}

// fitsLocked returns ErrOverQuota when n more messages of size octets in
// all would take the user past the quota. Removing messages is always
// allowed, even over the quota (a quota lowered below what is held).
func (u *User) fitsLocked(n int, size int64) error {
	q := u.quotaLocked()
	if !q.Set() || n == 0 {
		return nil
	}
	use := u.usageLocked()
	if q.Messages > 0 && use.Messages+n > q.Messages || q.Storage > 0 && use.Storage+size > q.Storage {
		return ErrOverQuota
	}
	return nil
}

// sizeOfLocked counts the messages of uids (ascending) mb holds and their
// octets.
func (mb *Mailbox) sizeOfLocked(uids []uint32) (n int, size int64) {
	for i, uid := range uids {
		if i > 0 && uids[i-1] == uid {
			continue
		}
		if j, ok := mb.indexLocked(uid); ok {
			n++
			size += int64(mb.msgs[j].Size())
		}
	}
	return n, size
}

// CopyForMove is CopyTo for a MOVE (RFC 6851): a move within one user's
// mailboxes takes no more of the quota, so it is allowed even at the
// limit, as Dovecot's quota allows it within one quota root.
func (mb *Mailbox) CopyForMove(dst *Mailbox, uids []uint32, origin *Watcher) (src, dest []uint32, err error) {
	return mb.copyTo(dst, uids, origin, dst.user != mb.user)
}
