// Package mime parses a message once into the structure IMAP FETCH and
// SEARCH read: header fields, the MIME tree with each part's octet offsets,
// decoded text. Header fields, media types, RFC 2047 words, transfer
// encodings and charsets are handled by github.com/emersion/go-message; this
// package adds what IMAP needs on top: where every part's header and body
// lie in the raw message (for BODY[section]), and the ENVELOPE and
// BODYSTRUCTURE wire forms (RFC 3501 section 7.4.2).
//
// A malformed message never fails: like Dovecot, the parser degrades (an
// unusable header line is skipped, a multipart without a boundary gets one
// empty text/plain part) so that FETCH still answers.
package mime

import (
	"bufio"
	"bytes"
	"strings"
	"sync"

	"github.com/emersion/go-message/textproto"
)

// Limits on nesting and part count, so that a hostile message cannot make
// the parser recurse without end (Dovecot uses the same defaults). Deeper
// content is kept as the body of the innermost part allowed.
const (
	maxDepth = 100
	maxParts = 10000
)

// Entity is a parsed message or body part. All byte slices point into the
// raw message given to Parse; nothing is copied.
type Entity struct {
	Raw    []byte           // the whole entity, header and body, CRLF line endings
	Offset int              // where Raw starts in the top-level message
	Header textproto.Header // the header fields, parsed by go-message

	headerLen int  // Raw[:headerLen] is the header with its closing blank line
	blankLine bool // a blank line closes the header (else the entity is all header)
	closed    bool // a multipart whose close delimiter line ends Raw
	// placeholder marks the empty part shown for a multipart that has none.
	placeholder bool

	// Media type as written in Content-Type (RFC 2045 section 5.1), or the
	// default text/plain (message/rfc822 inside multipart/digest).
	Type, Subtype string
	// Params are the Content-Type parameters in header order, values as
	// written (RFC 2231 continuations joined, as BODYSTRUCTURE shows them).
	Params []Param

	Parts   []*Entity // children of a multipart entity
	Message *Entity   // the encapsulated message of a message/rfc822 part

	// The wire forms, built on first use and kept: a mailbox is fetched
	// again and again (FETCH 1:* (FLAGS ENVELOPE) on every select).
	envelopeOnce, structureOnce sync.Once
	envelope                    string
	structure                   [2]string // BODY, BODYSTRUCTURE
}

// Param is one media type or disposition parameter.
type Param struct{ Name, Value string }

// Parse parses a message in CRLF form. It does not fail on malformed input;
// the error is for callers that want to know whether the input was usable
// at all and is currently always nil.
func Parse(raw []byte) (*Entity, error) {
	p := parser{}
	return p.entity(raw, 0, 0, false), nil
}

// HeaderBytes is the entity's header including the blank line that ends it
// (empty when the entity has no header and no blank line).
func (e *Entity) HeaderBytes() []byte { return e.Raw[:e.headerLen] }

// Body is the entity's body: everything after the header's blank line.
func (e *Entity) Body() []byte { return e.Raw[e.headerLen:] }

// BodyOffset is where the body starts in the top-level message.
func (e *Entity) BodyOffset() int { return e.Offset + e.headerLen }

// IsMultipart reports whether the entity is a multipart/* container.
func (e *Entity) IsMultipart() bool { return strings.EqualFold(e.Type, "multipart") }

// MediaType is the lower-case "type/subtype".
func (e *Entity) MediaType() string { return strings.ToLower(e.Type + "/" + e.Subtype) }

// Param returns the value of the Content-Type parameter name, decoded
// (RFC 2231 and RFC 2047) to UTF-8 where possible; of duplicates the
// first.
func (e *Entity) Param(name string) string {
	v, _ := paramValue(e.Params, name)
	return v
}

type parser struct {
	parts int
}

// entity parses raw, found at offset in the top-level message, at nesting
// depth. digest selects the multipart/digest default type (RFC 2046
// section 5.1.5).
func (p *parser) entity(raw []byte, offset, depth int, digest bool) *Entity {
	p.parts++
	e := &Entity{Raw: raw, Offset: offset}
	e.headerLen, e.blankLine = headerEnd(raw)
	e.Header = readHeader(raw[:e.headerLen])
	e.setContentType(digest)
	if depth >= maxDepth || p.parts >= maxParts {
		e.Type, e.Subtype, e.Params = "text", "plain", nil
		return e
	}
	switch {
	case e.IsMultipart():
		p.multipart(e, depth)
	case e.isMessage():
		body := e.Body()
		e.Message = p.entity(body, e.BodyOffset(), depth+1, false)
	}
	return e
}

// isMessage reports whether the entity encapsulates a message. The IMAP
// grammar gives every message/rfc822 body an envelope and a structure
// (RFC 3501 section 9, body-type-msg), so even one that is (against
// RFC 2046 section 5.2.1) transfer-encoded is parsed as it stands, as
// Dovecot does.
func (e *Entity) isMessage() bool {
	return strings.EqualFold(e.Type, "message") && strings.EqualFold(e.Subtype, "rfc822")
}

// multipart splits e's body at its boundary delimiter lines and parses each
// body part. Preamble and epilogue belong to no part (RFC 2046 section 5.1.1).
func (p *parser) multipart(e *Entity, depth int) {
	boundary := e.Param("boundary")
	digest := strings.EqualFold(e.Subtype, "digest")
	if boundary != "" {
		body, base := e.Body(), e.BodyOffset()
		ranges, closed := splitParts(body, boundary)
		e.closed = closed
		for _, r := range ranges {
			e.Parts = append(e.Parts, p.part(body, base, r, depth+1, digest))
			if p.parts >= maxParts {
				break
			}
		}
	}
	if len(e.Parts) == 0 {
		// RFC 2046 requires at least one body part; Dovecot shows an
		// empty text/plain one, which keeps clients that index part 1 happy.
		empty := e.Raw[len(e.Raw):]
		e.Parts = []*Entity{{Raw: empty, Offset: e.Offset + len(e.Raw), Type: "text", Subtype: "plain", placeholder: true}}
	}
}

// part parses one body part of a multipart body. By RFC 2046 section
// 5.1.1 the CRLF before a delimiter line belongs to the delimiter. A part
// whose last line is structure rather than content (a header line with no
// body after it, or a nested close delimiter) needs that CRLF to end its
// own last line, and Dovecot's parser gives it to the part: "--i--" CRLF
// "--o" makes the inner multipart end with CRLF. We follow Dovecot so that
// sizes and section bytes agree with it.
func (p *parser) part(body []byte, base int, r partRange, depth int, digest bool) *Entity {
	e := p.entity(body[r.start:r.end], base+r.start, depth, digest)
	if r.crlfAfter && e.endsInStructure() {
		e.grow(body[r.start : r.end+2])
	}
	return e
}

// grow gives the entity the CRLF that follows it (raw is its old Raw plus
// those two octets), passing it down to the part whose last line it ends.
// This mirrors endsInStructure and does not parse again, which nested
// parts would otherwise make exponential.
func (e *Entity) grow(raw []byte) {
	old := len(e.Raw)
	e.Raw = raw
	switch {
	case e.headerLen == old && !e.blankLine:
		e.headerLen, e.blankLine = len(raw), true // the CRLF is the blank line
	case e.IsMultipart():
		if !e.closed {
			last := e.Parts[len(e.Parts)-1]
			start := last.Offset - e.Offset
			last.grow(raw[start : start+len(last.Raw)+2])
		}
	case e.Message != nil:
		e.Message.grow(raw[e.Message.Offset-e.Offset:])
	}
}

// endsInStructure reports whether the entity's last line is a header line
// or a delimiter line rather than body content: a header without a body
// that ends with CRLF (the next CRLF makes the blank line that ends it), a
// multipart ending with its close delimiter line.
func (e *Entity) endsInStructure() bool {
	switch {
	case e.headerLen == len(e.Raw) && !e.blankLine:
		return len(e.Raw) == 0 || bytes.HasSuffix(e.Raw, []byte("\r\n"))
	case e.IsMultipart():
		if e.closed {
			return true
		}
		last := e.Parts[len(e.Parts)-1]
		return !last.placeholder && last.endsInStructure()
	case e.Message != nil:
		return e.Message.endsInStructure()
	}
	return false
}

// headerEnd returns the length of the header including its blank line: the
// header ends at the first empty line (RFC 5322 section 2.1). Without one,
// the whole entity is header.
func headerEnd(raw []byte) (n int, blankLine bool) {
	if bytes.HasPrefix(raw, []byte("\r\n")) {
		return 2, true
	}
	if i := bytes.Index(raw, []byte("\r\n\r\n")); i >= 0 {
		return i + 4, true
	}
	return len(raw), false
}

// readHeader parses header bytes with go-message. Lines that are not header
// fields (no colon, or a continuation with nothing to continue) would stop
// go-message at that point; Dovecot ignores them and reads on, and so do we.
func readHeader(b []byte) textproto.Header {
	h, err := readHeaderBytes(b)
	if err == nil {
		return h
	}
	h, _ = readHeaderBytes(dropNonFields(b))
	return h
}

// headerReaders reuses the reader go-message reads from: a fresh 4 KiB
// bufio buffer per part was half of what parsing allocated.
var headerReaders = sync.Pool{New: func() any {
	r := &headerReader{}
	r.br = bufio.NewReader(&r.src)
	return r
}}

type headerReader struct {
	src bytes.Reader
	br  *bufio.Reader
}

func readHeaderBytes(b []byte) (textproto.Header, error) {
	r := headerReaders.Get().(*headerReader)
	defer headerReaders.Put(r)
	r.src.Reset(b)
	r.br.Reset(&r.src)
	return textproto.ReadHeader(r.br)
}

// dropNonFields keeps only the lines of a header that start a field
// ("name:") or continue one.
func dropNonFields(b []byte) []byte {
	var out []byte
	inField := false
	for len(b) > 0 {
		line := b
		if i := bytes.Index(b, []byte("\r\n")); i >= 0 {
			line = b[:i+2]
		}
		b = b[len(line):]
		content := bytes.TrimRight(line, "\r\n")
		switch {
		case len(content) == 0:
			out = append(out, line...)
		case content[0] == ' ' || content[0] == '\t':
			if inField {
				out = append(out, line...)
			}
		default:
			colon := bytes.IndexByte(content, ':')
			inField = colon > 0 && validFieldName(bytes.TrimRight(content[:colon], " \t"))
			if inField {
				out = append(out, line...)
			}
		}
	}
	return out
}

// validFieldName: printable US-ASCII except colon (RFC 5322 section 2.2).
func validFieldName(name []byte) bool {
	for _, c := range name {
		if c < 33 || c > 126 {
			return false
		}
	}
	return len(name) > 0
}

// partRange is where a body part lies in a multipart body; crlfAfter
// tells that the CRLF of the following delimiter comes right after it.
type partRange struct {
	start, end int
	crlfAfter  bool
}

// splitParts returns the ranges of the body parts of a multipart body, and
// whether a close delimiter line ends the body exactly. A delimiter line is
// "--boundary", optionally followed by "--" (the close delimiter) and
// transport padding; the CRLF before it belongs to the delimiter, not to
// the part before it (RFC 2046 section 5.1.1). Without a close delimiter
// the last part runs to the end.
func splitParts(body []byte, boundary string) (parts []partRange, closedAtEnd bool) {
	dash := "--" + boundary
	start := -1 // start of the current part, -1 while in the preamble
	for pos := 0; pos <= len(body); {
		lineEnd := bytes.Index(body[pos:], []byte("\r\n"))
		next := len(body) + 1
		line := body[pos:]
		if lineEnd >= 0 {
			line = body[pos : pos+lineEnd]
			next = pos + lineEnd + 2
		}
		if closing, ok := delimiter(line, dash); ok {
			if start >= 0 {
				r := partRange{start: start, end: start}
				if pos-2 >= start {
					r = partRange{start: start, end: pos - 2, crlfAfter: true}
				}
				parts = append(parts, r)
			}
			if closing {
				return parts, lineEnd < 0
			}
			start = min(next, len(body))
		}
		pos = next
	}
	if start >= 0 {
		parts = append(parts, partRange{start: start, end: len(body)})
	}
	return parts, false
}

// delimiter reports whether line is a boundary delimiter line and whether it
// closes the multipart.
func delimiter(line []byte, dash string) (closing, ok bool) {
	if !bytes.HasPrefix(line, []byte(dash)) {
		return false, false
	}
	rest := line[len(dash):]
	if bytes.HasPrefix(rest, []byte("--")) {
		closing, rest = true, rest[2:]
	}
	if len(bytes.Trim(rest, " \t")) != 0 {
		return false, false
	}
	return closing, true
}
