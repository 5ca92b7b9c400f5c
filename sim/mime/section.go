package mime

import (
	"bytes"
	"iter"
	"strings"
)

// Section returns the bytes of BODY[section] (RFC 3501 section 6.4.5).
// path is the part number (empty for the whole message); spec is "",
// "HEADER", "HEADER.FIELDS", "HEADER.FIELDS.NOT", "TEXT" or "MIME"
// (case-insensitive); fields are the HEADER.FIELDS names. ok is false when
// the part does not exist or spec does not apply to it; the server then
// answers with an empty string (RFC 3501 leaves it open, Dovecot sends "").
func (e *Entity) Section(path []int, spec string, fields []string) ([]byte, bool) {
	part, ok := e.Part(path)
	if !ok {
		return nil, false
	}
	spec = strings.ToUpper(spec)
	switch spec {
	case "":
		if len(path) == 0 {
			return e.Raw, true
		}
		return part.Body(), true
	case "MIME":
		if len(path) == 0 {
			return nil, false // MIME needs a part number
		}
		return part.HeaderBytes(), true
	}
	// HEADER, HEADER.FIELDS[.NOT] and TEXT read a message: the top-level
	// one, or the message a message/rfc822 part carries.
	msg := part
	if len(path) > 0 {
		if part.Message == nil {
			return nil, false
		}
		msg = part.Message
	}
	switch spec {
	case "HEADER":
		return msg.HeaderBytes(), true
	case "TEXT":
		return msg.Body(), true
	case "HEADER.FIELDS":
		return msg.headerFields(fields, false), true
	case "HEADER.FIELDS.NOT":
		return msg.headerFields(fields, true), true
	}
	return nil, false
}

// Part finds the entity a part number names. Part n of a multipart is its
// n-th child; a message/rfc822 part's numbers continue into the message it
// carries; a non-multipart entity has exactly one part, 1, itself (its
// body, RFC 3501 section 6.4.5).
func (e *Entity) Part(path []int) (*Entity, bool) {
	cur := e
	for i, n := range path {
		if i > 0 && cur.Message != nil {
			cur = cur.Message
		}
		switch {
		case cur.IsMultipart():
			if n < 1 || n > len(cur.Parts) {
				return nil, false
			}
			cur = cur.Parts[n-1]
		case n != 1 || (i < len(path)-1 && cur.Message == nil):
			// Only a message can be looked into further: 1.1 of a
			// single-part message does not exist (Dovecot agrees).
			return nil, false
		}
	}
	return cur, true
}

// headerFields returns the header fields whose names are (not) in names,
// exactly as written and in message order, followed by the blank line that
// ends a header. It walks the raw lines rather than go-message's fields so
// that a line that is no field at all (no colon) still counts as a field
// with no matching name, as Dovecot has it: kept by HEADER.FIELDS.NOT.
func (e *Entity) headerFields(names []string, not bool) []byte {
	var out []byte
	for f := range rawFields(e.HeaderBytes()) {
		name := ""
		if colon := bytes.IndexByte(f, ':'); colon > 0 {
			name = strings.TrimRight(string(f[:colon]), " \t")
		}
		if (name != "" && containsFold(names, name)) != not {
			out = append(out, f...)
		}
	}
	if len(out) == 0 && !bytes.HasSuffix(e.HeaderBytes(), []byte("\r\n\r\n")) && e.headerLen != 2 {
		// Nothing matched in a header that has no blank line either (a
		// message that is all header): there is nothing to return, as
		// Dovecot answers.
		return out
	}
	return append(out, '\r', '\n')
}

// rawFields yields each field of a header with its continuation lines
// (RFC 5322 section 2.2.3), up to the blank line.
func rawFields(h []byte) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		for len(h) > 0 && !bytes.HasPrefix(h, []byte("\r\n")) {
			n := 0
			for {
				i := bytes.Index(h[n:], []byte("\r\n"))
				if i < 0 {
					n = len(h)
					break
				}
				n += i + 2
				if n >= len(h) || (h[n] != ' ' && h[n] != '\t') {
					break
				}
			}
			if !yield(h[:n]) {
				return
			}
			h = h[n:]
		}
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// Partial applies <offset.count> to a section's bytes: an offset past the
// end gives an empty string (RFC 3501 section 6.4.5); n < 0 means no limit.
func Partial(b []byte, off, n int) []byte {
	if off < 0 || off >= len(b) {
		return b[len(b):]
	}
	b = b[off:]
	if n >= 0 && n < len(b) {
		b = b[:n]
	}
	return b
}
