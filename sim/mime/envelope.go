package mime

import "strings"

// Envelope is the IMAP ENVELOPE of the message (RFC 3501 section 7.4.2):
// date, subject, from, sender, reply-to, to, cc, bcc, in-reply-to and
// message-id, each NIL when the field is absent. Values are shown as
// written, RFC 2047 words still encoded: decoding is the client's job.
func (e *Entity) Envelope() string {
	e.envelopeOnce.Do(func() {
		var b strings.Builder
		e.writeEnvelope(&b)
		e.envelope = b.String()
	})
	return e.envelope
}

func (e *Entity) writeEnvelope(b *strings.Builder) {
	b.WriteByte('(')
	e.writeEnvelopeField(b, "Date")
	b.WriteByte(' ')
	e.writeEnvelopeField(b, "Subject")
	from := e.addresses("From")
	for _, list := range [][]Address{
		from,
		// "If the Sender or Reply-To lines are absent in the [RFC-2822]
		// header, or are present but empty, the server sets the
		// corresponding member of the envelope to be the same value as
		// the from member" (RFC 3501 section 7.4.2).
		orFrom(e.addresses("Sender"), from),
		orFrom(e.addresses("Reply-To"), from),
		e.addresses("To"),
		e.addresses("Cc"),
		e.addresses("Bcc"),
	} {
		b.WriteByte(' ')
		writeAddresses(b, list)
	}
	b.WriteByte(' ')
	e.writeEnvelopeField(b, "In-Reply-To")
	b.WriteByte(' ')
	e.writeEnvelopeField(b, "Message-ID")
	b.WriteByte(')')
}

// writeEnvelopeField writes an ENVELOPE string field. RFC 5322 allows
// Date, Subject, In-Reply-To and Message-ID once; when a message repeats
// one, the last counts, as in Dovecot's ENVELOPE.
func (e *Entity) writeEnvelopeField(b *strings.Builder, name string) {
	v, ok := e.rawValue(name, true)
	writeNString(b, v, ok)
}

// addresses parses every field named name: a message with two To fields
// lists the addresses of both (Dovecot does the same), while for the
// single-valued fields the last one counts.
func (e *Entity) addresses(name string) []Address {
	var list []Address
	fs := e.Header.FieldsByKey(name)
	for fs.Next() {
		if raw, err := fs.Raw(); err == nil {
			list = append(list, ParseAddressList(unfold(raw))...)
		}
	}
	return list
}

func orFrom(list, from []Address) []Address {
	if len(list) == 0 {
		return from
	}
	return list
}

// writeAddresses writes an address list: NIL when empty, else
// ((name adl mailbox host)...), groups as (NIL NIL "group" NIL) ...
// (NIL NIL NIL NIL).
func writeAddresses(b *strings.Builder, list []Address) {
	if len(list) == 0 {
		b.WriteString("NIL")
		return
	}
	b.WriteByte('(')
	for _, a := range list {
		b.WriteByte('(')
		writeNString(b, a.Name, a.Name != "")
		b.WriteByte(' ')
		writeNString(b, a.Route, a.Route != "")
		b.WriteByte(' ')
		writeNString(b, a.Mailbox, a.Mailbox != "")
		b.WriteByte(' ')
		writeNString(b, a.Host, a.Host != "")
		b.WriteByte(')')
	}
	b.WriteByte(')')
}
