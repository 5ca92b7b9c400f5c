package mailstore

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
