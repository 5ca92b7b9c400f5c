package mailstore

import "time"

// Draft is a message to append: its octets, flags and internal date (zero:
// now).
type Draft struct {
	Raw   []byte
	Flags []string
	Date  time.Time
}

// AppendAll stores several messages as one operation (IMAP MULTIAPPEND,
// RFC 3502): they get consecutive UIDs in order, or, when one cannot be
// stored, none stays. It returns the new UIDs.
func (mb *Mailbox) AppendAll(ds []Draft) ([]uint32, error) {
	for _, d := range ds {
		if len(d.Raw) > MaxMessageSize {
			return nil, ErrTooBig
		}
	}
	now := mb.user.store.now()
	uids := make([]uint32, 0, len(ds))
	mb.lock()
	var size int64
	for _, d := range ds {
		size += int64(len(d.Raw))
	}
	err := mb.user.fitsLocked(len(ds), size)
	for _, d := range ds {
		if err != nil {
			break
		}
		if d.Date.IsZero() {
			d.Date = now
		}
		m := NewMessage(d.Raw, d.Flags, d.Date)
		if err = mb.appendLocked(m, nil); err != nil {
			break
		}
		uids = append(uids, m.uid)
	}
	mb.unlock()
	if err != nil {
		// The ones stored before the failure go again: all or nothing.
		mb.Remove(uids, false, nil)
		return nil, err
	}
	return uids, nil
}
