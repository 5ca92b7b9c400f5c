package pop3

import (
	"strconv"

	"maillab/sim/mailstore"
)

// maildrop is a session's view of the INBOX, fixed at login: RFC 1939
// section 4 numbers the messages from 1 when the maildrop is opened and
// the numbers do not change during the session, even when mail arrives.
// DELE only marks; the marks are applied in the UPDATE state.
type maildrop struct {
	mb      *mailstore.Mailbox
	uidv    uint32 // UIDVALIDITY at login, for UIDL
	msgs    []*mailstore.Message
	deleted []bool
	count   int // messages not marked deleted
	octets  int // their size in CRLF octets
}

func newMaildrop(mb *mailstore.Mailbox) *maildrop {
	d := &maildrop{mb: mb, uidv: mb.UIDValidity(), msgs: mb.Messages()}
	d.deleted = make([]bool, len(d.msgs))
	d.count = len(d.msgs)
	for _, m := range d.msgs {
		d.octets += m.Size()
	}
	return d
}

// totals are what STAT reports: messages not marked deleted and their octets.
func (d *maildrop) totals() (int, int) { return d.count, d.octets }

// size is the highest message number: marked messages keep their numbers.
func (d *maildrop) size() int { return len(d.msgs) }

// mark flags message n (1-based, valid) as deleted.
func (d *maildrop) mark(n int) {
	d.deleted[n-1] = true
	d.count--
	d.octets -= d.msgs[n-1].Size()
}

// unmarkAll is RSET: every mark is removed.
func (d *maildrop) unmarkAll() {
	for i, del := range d.deleted {
		if del {
			d.deleted[i] = false
			d.count++
			d.octets += d.msgs[i].Size()
		}
	}
}

// commit removes the marked messages from the mailbox, in the UPDATE state.
func (d *maildrop) commit() (int, error) {
	var uids []uint32
	for i, del := range d.deleted {
		if del {
			uids = append(uids, d.msgs[i].UID())
		}
	}
	if len(uids) == 0 {
		return 0, nil
	}
	removed, err := d.mb.Remove(uids, false, nil)
	return len(removed), err
}

// uniqueID is a message's UIDL identifier. It must stay the same across
// sessions (RFC 1939 section 7), so it is made of the UID and the
// mailbox's UIDVALIDITY, as Dovecot's default pop3_uidl_format %08Xu%08Xv.
func (d *maildrop) uniqueID(dst []byte, n int) []byte {
	dst = appendHex8(dst, d.msgs[n-1].UID())
	return appendHex8(dst, d.uidv)
}

func appendHex8(dst []byte, v uint32) []byte {
	const digits = "0123456789ABCDEF"
	for shift := 28; shift >= 0; shift -= 4 {
		dst = append(dst, digits[v>>uint(shift)&0xF])
	}
	return dst
}

func itoa(n int) string { return strconv.Itoa(n) }
