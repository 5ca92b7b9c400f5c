package mailstore

import (
	"fmt"
	"time"
)

// The methods here set a mailbox up as a fixture describes it, so a
// lesson can start from the very numbers of a lecture's example.

// ClearRecent takes \Recent from message uid before any session is given
// it, as for a message a reader has already seen (Maildir keeps those in
// cur/, RFC 3501 2.3.2): a lesson's fixture can start from an INBOX the
// user has read before, as the lecture's SELECT and STATUS examples show.
// It reports whether the message exists.
func (mb *Mailbox) ClearRecent(uid uint32) bool {
	mb.lock()
	defer mb.unlock()
	i, ok := mb.indexLocked(uid)
	if !ok {
		return false
	}
	if m := mb.msgs[i]; m.recentFree {
		m.recentFree = false
		mb.recentClaimedLocked(m)
	}
	return true
}

// SetUIDValidity gives an empty mailbox a chosen UIDVALIDITY, as a
// mailbox brought from another server keeps its own. A mailbox that holds
// messages keeps its value: their UIDs belong to it (RFC 3501 2.3.1.1).
func (mb *Mailbox) SetUIDValidity(v uint32) error {
	mb.lock()
	defer mb.unlock()
	if v == 0 {
		return fmt.Errorf("UIDVALIDITY must be 1 or more")
	}
	if len(mb.msgs) > 0 {
		return fmt.Errorf("mailbox %s holds messages; its UIDVALIDITY cannot change", mb.name)
	}
	if p := mb.user.store.persist; p != nil {
		if err := p.SetMailboxState(mb.user.name, mb.name, v, mb.uidNext); err != nil {
			return err
		}
	}
	mb.uidValidity = v
	return nil
}

// AppendUID appends a message as Append does, with the given UID, which
// must be above every UID the mailbox has given: UIDs only ascend (RFC
// 3501 2.3.1.1).
func (mb *Mailbox) AppendUID(raw []byte, flags []string, date time.Time, uid uint32) error {
	if len(raw) > MaxMessageSize {
		return ErrTooBig
	}
	if date.IsZero() {
		date = mb.user.store.now()
	}
	m := NewMessage(raw, flags, date)
	mb.lock()
	defer mb.unlock()
	if uid < mb.uidNext {
		return fmt.Errorf("UID %d: mailbox %s has given UIDs up to %d, and UIDs only ascend", uid, mb.name, mb.uidNext-1)
	}
	mb.uidNext = uid
	return mb.appendLocked(m, nil)
}
