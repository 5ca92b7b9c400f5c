package imap

import (
	"errors"
	"io/fs"
	"strconv"
	"strings"

	"maillab/sim/imap/wire"
	"maillab/sim/mailstore"
	"maillab/sim/mime"
)

// cmdFetch serves FETCH and UID FETCH (RFC 3501 6.4.5, 6.4.8).
func (s *Session) cmdFetch(d *wire.Decoder) {
	d.SP("sequence set")
	set := d.SeqSet("sequence set")
	d.SP("fetch attributes")
	atts := d.FetchAtts()
	mod := s.readFetchModifiers(d)
	d.End()
	if s.uidMode() && !hasAtt(atts, "UID") {
		atts = append([]wire.FetchAtt{{Name: "UID"}}, atts...) // RFC 3501 6.4.8
	}
	ts, ok := s.resolve(set, s.uidMode())
	if !ok || s.unknownCTE(ts, atts) {
		return
	}
	atts, ts = s.fetchPrepare(atts, mod, set, ts)
	setsSeen := !s.sel.readOnly && marksSeen(atts)
	gone := false
	var unread uint32       // a message whose file could not be read
	s.Expect(len(ts) * 128) // many responses: written in a few large writes
	found := s.sel.mb.Lookup(s.uidsOf(ts))
	for i, t := range ts {
		sent, err := s.fetchOne(t, found[i], atts, setsSeen)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			gone = true // removed behind the server's back: expunged at the next look
		case err != nil:
			unread = t.uid
		case !sent:
			gone = true
		}
	}
	if unread != 0 {
		// As Dovecot, which answers NO [SERVERBUG] when a message's
		// file cannot be read: the other messages were sent, this one
		// is left out rather than sent empty, which a client would keep
		// as the message. The file's name and the reason are the
		// host's to log (labserver does), not the client's to see.
		s.no("SERVERBUG", "Message UID "+strconv.FormatUint(uint64(unread), 10)+": "+mailstore.ErrMessageUnreadable.Error(), "no.serverbug")
		return
	}
	if gone {
		// RFC 2180 4.1.2 would allow NO as well, which a client shows
		// its user as a failure; Dovecot, the reference, answers OK and
		// says why some messages are missing.
		s.complete("OK", "EXPUNGEISSUED", "Some messages were already expunged; another session expunged them, NOOP tells which",
			"ok.expungeissued", []any{s.cmd})
		return
	}
	s.ok("", s.cmd+" completed")
}

// expungeIssued answers a COPY or MOVE that named messages another session
// expunged but this one has not yet been told of: they copy all or
// nothing, so nothing is copied and the answer is NO (RFC 2180 4.4.1); the
// code is RFC 5530's, and Dovecot, the reference, answers the same.
func (s *Session) expungeIssued() {
	s.no("EXPUNGEISSUED", "Some of the requested messages no longer exist; another session expunged them, NOOP tells which", "no.expungeissued")
}

func hasAtt(atts []wire.FetchAtt, name string) bool {
	for _, a := range atts {
		if a.Name == name {
			return true
		}
	}
	return false
}

// marksSeen: fetching the body other than with PEEK sets \Seen (RFC 3501
// 6.4.5); RFC822 and RFC822.TEXT are BODY[] and BODY[TEXT].
func marksSeen(atts []wire.FetchAtt) bool {
	for _, a := range atts {
		switch a.Name {
		case "RFC822", "RFC822.TEXT", "BINARY":
			return true
		case "BODY":
			if a.Section != nil {
				return true
			}
		}
	}
	return false
}

// fetchOne writes one FETCH response. A message another session expunged
// but this one has not yet been told of is left out and reported false:
// its data is gone, and the server makes none up. So is a message whose
// file could not be read, with the error (mailstore.Message.ReadErr),
// its \Seen left as it was.
func (s *Session) fetchOne(t target, f mailstore.Found, atts []wire.FetchAtt, setsSeen bool) (bool, error) {
	sel := s.sel
	m, flags := f.Msg, f.Flags
	if m == nil {
		return false, nil
	}
	if setsSeen {
		m.Raw() // read (and cached) before \Seen is set for it
		if err := m.ReadErr(); err != nil {
			return false, err
		}
	}
	ms := f.ModSeq
	flagsChanged := false
	if setsSeen && !mailstore.HasFlag(flags, mailstore.FlagSeen) {
		if res, err := sel.mb.StoreFlagsCond([]uint32{t.uid}, mailstore.FlagsAdd, []string{mailstore.FlagSeen}, false, 0, sel.w); err == nil && res.Changed[t.uid] {
			flags, ms, flagsChanged = res.Flags[t.uid], res.ModSeq[t.uid], true
		}
	}
	b := s.fetchBuf[:0]
	b = append(b, "* "...)
	b = strconv.AppendUint(b, uint64(t.seq), 10)
	b = append(b, " FETCH ("...)
	for i, a := range atts {
		if i > 0 {
			b = append(b, ' ')
		}
		if a.Name == "MODSEQ" {
			b = s.appendModSeq(b, ms)
			continue
		}
		b = s.fetchAtt(b, a, t, m, flags)
	}
	if needsContent(atts) {
		if err := m.ReadErr(); err != nil {
			return false, err
		}
	}
	if flagsChanged && !hasAtt(atts, "FLAGS") {
		b = append(b, " FLAGS "...)
		b = s.appendFlagList(b, t.uid, flags)
	}
	if flagsChanged && s.condstore() && !hasAtt(atts, "MODSEQ") {
		b = s.appendModSeq(append(b, ' '), ms) // RFC 7162 3.1.4: a change this FETCH made
	}
	b = append(b, ')')
	s.sendBytes(b)
	if cap(b) <= 64<<10 {
		s.fetchBuf = b // kept for the next response; a literal's size is not
	}
	s.explainMessage("fetch", t.seq)
	return true, nil
}

// needsContent: the attributes read the message's content (or, for
// RFC822.SIZE, may), not only what the store keeps of it.
func needsContent(atts []wire.FetchAtt) bool {
	for _, a := range atts {
		switch a.Name {
		case "UID", "FLAGS", "MODSEQ", "INTERNALDATE":
		default:
			return true
		}
	}
	return false
}

func (s *Session) fetchAtt(b []byte, a wire.FetchAtt, t target, m *mailstore.Message, flags []string) []byte {
	switch a.Name {
	case "UID":
		return strconv.AppendUint(append(b, "UID "...), uint64(t.uid), 10)
	case "FLAGS":
		return s.appendFlagList(append(b, "FLAGS "...), t.uid, flags)
	case "INTERNALDATE":
		return append(append(b, "INTERNALDATE "...), wire.FormatDateTime(m.InternalDate())...)
	case "RFC822.SIZE":
		return strconv.AppendInt(append(b, "RFC822.SIZE "...), int64(m.Size()), 10)
	}
	switch a.Name {
	case "ENVELOPE":
		return append(append(b, "ENVELOPE "...), m.Envelope()...)
	case "BODY", "BODYSTRUCTURE":
		if a.Section == nil {
			return append(append(b, a.Name+" "...), m.BodyStructure(a.Name == "BODYSTRUCTURE")...)
		}
	}
	if a.Name == "RFC822" {
		return append(append(b, "RFC822 "...), wire.LiteralBytes(m.Raw())...)
	}
	if (a.Name == "BODY" || a.Name == "BODY.PEEK") && a.Section != nil && len(a.Section.Parts) == 0 && a.Section.Specifier == "" {
		return bodySectionData(b, a, m.Raw()) // BODY[]: the message as it is, unparsed
	}
	e, _ := m.Parsed()
	switch a.Name {
	case "BINARY", "BINARY.PEEK", "BINARY.SIZE":
		return binaryAtt(b, a, e)
	case "RFC822.HEADER", "RFC822.TEXT":
		spec := strings.TrimPrefix(a.Name, "RFC822.")
		data, _ := e.Section(nil, spec, nil)
		return append(append(b, a.Name+" "...), literalOrEmpty(data)...)
	}
	return bodySection(b, a, e)
}

// bodySection writes BODY[section]<partial>. The response names BODY even
// for BODY.PEEK, and echoes only the partial's offset (RFC 3501 7.4.2).
func bodySection(b []byte, a wire.FetchAtt, e *mime.Entity) []byte {
	data, _ := e.Section(a.Section.Parts, a.Section.Specifier, a.Section.Fields)
	return bodySectionData(b, a, data)
}

func bodySectionData(b []byte, a wire.FetchAtt, data []byte) []byte {
	b, data = sectionName(b, "BODY", a, data)
	b = append(b, ' ')
	return append(b, literalOrEmpty(data)...)
}

// sectionName appends name[section] and, for a partial fetch, <origin>,
// and returns the part of data the partial fetch names (BODY[], BINARY[]).
func sectionName(b []byte, name string, a wire.FetchAtt, data []byte) ([]byte, []byte) {
	b = append(b, name...)
	b = append(b, '[')
	b = append(b, a.Section.String()...)
	b = append(b, ']')
	if a.Partial != nil {
		b = append(b, '<')
		b = strconv.AppendUint(b, uint64(a.Partial[0]), 10)
		b = append(b, '>')
		data = mime.Partial(data, int(a.Partial[0]), int(a.Partial[1]))
	}
	return b, data
}

func literalOrEmpty(data []byte) []byte {
	if len(data) == 0 {
		return []byte(`""`)
	}
	return wire.LiteralBytes(data)
}
