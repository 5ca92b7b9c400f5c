package pop3

import (
	"strconv"

	"maillab/sim/mailstore"
)

// maildrop is a session's view of the INBOX, fixed at login: RFC 1939
// section 4 numbers the messages from 1 when the maildrop is opened and
// the numbers do not change during the session, even when mail arrives.
// DELE only marks; the marks are applied in the UPDATE state. So is RETR's
// mark of a message read, as Dovecot does unless pop3_no_flag_updates:
// \Seen is set at QUIT, together with the deletions, and a session that
// ends any other way sets no flag.
type maildrop struct {
	mb      *mailstore.Mailbox
	uidv    uint32     // UIDVALIDITY at login, for UIDL
	uidl    uidlFormat // nil: DefaultUIDLFormat
	msgs    []*mailstore.Message
	sizes   []int // each message's octets as RETR sends them
	deleted []bool
	seen    []bool // retrieved by RETR: \Seen at QUIT
	count   int    // messages not marked deleted
	total   int    // their size in CRLF octets
}

func newMaildrop(mb *mailstore.Mailbox, uidl uidlFormat) *maildrop {
	d := &maildrop{mb: mb, uidv: mb.UIDValidity(), uidl: uidl, msgs: mb.Messages()}
	d.deleted = make([]bool, len(d.msgs))
	d.seen = make([]bool, len(d.msgs))
	d.count = len(d.msgs)
	d.sizes = make([]int, len(d.msgs))
	for i, m := range d.msgs {
		// The stored size and how the message ends, not its content:
		// a login reads no message, nor flushes the store's cache.
		d.sizes[i] = wireSize(m.Extent())
		d.total += d.sizes[i]
	}
	return d
}

// wireSize is what RETR sends of a message before the terminating line,
// without byte-stuffing: RFC 1939 makes that the size LIST and STAT
// report. A message whose last line has no line ending (the store keeps
// it as it came, as Dovecot does, for IMAP's byte-exact BODY[]) gets one
// on the wire, and it is counted.
func wireSize(octets int, lineEnded bool) int {
	if !lineEnded {
		return octets + len(crlf)
	}
	return octets
}

// octets is message n's size (1-based, valid).
func (d *maildrop) octets(n int) int { return d.sizes[n-1] }

// totals are what STAT reports: messages not marked deleted and their octets.
func (d *maildrop) totals() (int, int) { return d.count, d.total }

// size is the highest message number: marked messages keep their numbers.
func (d *maildrop) size() int { return len(d.msgs) }

// mark flags message n (1-based, valid) as deleted.
func (d *maildrop) mark(n int) {
	d.deleted[n-1] = true
	d.count--
	d.total -= d.sizes[n-1]
}

// markSeen notes that message n (1-based, valid) was retrieved, for
// \Seen at QUIT.
func (d *maildrop) markSeen(n int) { d.seen[n-1] = true }

// unmarkAll is RSET: every mark is removed, those of RETR too (Dovecot
// forgets them as well).
func (d *maildrop) unmarkAll() {
	clear(d.seen)
	for i, del := range d.deleted {
		if del {
			d.deleted[i] = false
			d.count++
			d.total += d.sizes[i]
		}
	}
}

// commit is the UPDATE state: it sets \Seen on the messages RETR sent
// that are not marked deleted, then removes the marked ones. It returns
// how many messages were removed and how many got \Seen (those that
// had it already are not counted).
func (d *maildrop) commit() (removed, seen int, err error) {
	var read, gone []uint32
	for i, m := range d.msgs {
		switch {
		case d.deleted[i]:
			gone = append(gone, m.UID())
		case d.seen[i]:
			if flags, ok := d.mb.Flags(m.UID()); ok && !mailstore.HasFlag(flags, mailstore.FlagSeen) {
				read = append(read, m.UID())
			}
		}
	}
	if len(read) > 0 {
		out, err := d.mb.StoreFlags(read, mailstore.FlagsAdd, []string{mailstore.FlagSeen}, nil)
		if err != nil {
			return 0, 0, err
		}
		seen = len(out)
	}
	if len(gone) == 0 {
		return 0, seen, nil
	}
	uids, err := d.mb.Remove(gone, false, nil)
	return len(uids), seen, err
}

// unseen reports whether message n (1-based, valid) is still without
// \Seen in the mailbox.
func (d *maildrop) unseen(n int) bool {
	flags, ok := d.mb.Flags(d.msgs[n-1].UID())
	return ok && !mailstore.HasFlag(flags, mailstore.FlagSeen)
}

// uniqueID is a message's UIDL identifier. It must stay the same across
// sessions (RFC 1939 section 7), so it is made of the UID and the
// mailbox's UIDVALIDITY, by default as Dovecot's pop3_uidl_format
// %08Xu%08Xv (lower-case hex, as Dovecot writes it), here without
// formatting each digit.
func (d *maildrop) uniqueID(dst []byte, n int) []byte {
	if d.uidl != nil {
		return d.uidl.appendID(dst, d.msgs[n-1].UID(), d.uidv)
	}
	dst = appendHex8(dst, d.msgs[n-1].UID())
	return appendHex8(dst, d.uidv)
}

func appendHex8(dst []byte, v uint32) []byte {
	const digits = "0123456789abcdef"
	for shift := 28; shift >= 0; shift -= 4 {
		dst = append(dst, digits[v>>uint(shift)&0xF])
	}
	return dst
}

func itoa(n int) string { return strconv.Itoa(n) }
