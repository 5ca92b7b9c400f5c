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
	msgs := make([]*Message, len(ds))
	var size int64
	for i, d := range ds {
		if d.Date.IsZero() {
			d.Date = now
		}
		msgs[i] = NewMessage(d.Raw, d.Flags, d.Date)
		size += int64(len(d.Raw))
	}
	unstage := mb.stage(msgs)
	defer unstage()
	mb.lock()
	err := mb.user.fitsLocked(len(ds), size)
	for _, m := range msgs {
		if err != nil {
			break
		}
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

// messageStager is a Persister that can write a new message's file before
// the store's lock is taken.
type messageStager interface {
	stageMessage(user, mailbox string, m *Message) error
	unstage(msgs []*Message)
}

// stage has the persister write the messages' files ahead, if it can,
// before the store's lock is taken, so that the write and its flush to
// the disk do not hold up every other session; a message it could not
// write is written when stored, as without staging. The function it
// returns removes the files of the messages that were not stored. A nil
// message is skipped.
func (mb *Mailbox) stage(msgs []*Message) func() {
	mb.rlock()
	st, ok := mb.user.store.persist.(messageStager)
	user, name := mb.user.name, mb.name
	mb.runlock()
	if !ok {
		return func() {}
	}
	for _, m := range msgs {
		if m != nil && st.stageMessage(user, name, m) != nil {
			break
		}
	}
	return func() { st.unstage(msgs) }
}
