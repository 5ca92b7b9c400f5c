package mime

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"
)

// What Text returns: the decoded header or the decoded body text, which
// SEARCH HEADER/SUBJECT/FROM... and BODY/TEXT match against (RFC 3501
// section 6.4.4).
type TextKind int

const (
	HeaderText TextKind = iota // every header field as "Name: decoded value" lines
	BodyText                   // the text of the body, decoded to UTF-8
	// AllText is what SEARCH TEXT matches, "the header or body of the
	// message" (RFC 3501 6.4.4): the header, then the body text with each
	// part's MIME header before it, so that an attachment's file name
	// is found, as Dovecot finds it. BODY does not look at part headers.
	AllText
)

// HeaderValues returns the values of every field named field, in message
// order, with RFC 2047 words decoded to UTF-8 in any charset go-message
// knows (a value that cannot be decoded is returned as written).
func (e *Entity) HeaderValues(field string) []string {
	var out []string
	fs := e.Header.Fields()
	for fs.Next() {
		if strings.EqualFold(fs.Key(), field) {
			out = append(out, decodeWords(fs.Value()))
		}
	}
	return out
}

// Text returns the header or body text for substring search, in UTF-8.
func (e *Entity) Text(which TextKind) string {
	var b strings.Builder
	switch which {
	case HeaderText:
		e.writeHeaderText(&b)
	case BodyText:
		e.writeBodyText(&b, false)
	case AllText:
		e.writeHeaderText(&b)
		e.writeBodyText(&b, true)
	}
	return b.String()
}

func (e *Entity) writeHeaderText(b *strings.Builder) {
	fs := e.Header.Fields()
	for fs.Next() {
		b.WriteString(fs.Key())
		b.WriteString(": ")
		b.WriteString(decodeWords(fs.Value()))
		b.WriteByte('\n')
	}
}

// writeBodyText writes the decoded text of the text parts, and of an
// attached message its header and text too; with partHeaders, each body
// part's MIME header before it. Other parts (images, archives) hold
// nothing a text search could sensibly match and are skipped.
func (e *Entity) writeBodyText(b *strings.Builder, partHeaders bool) {
	switch {
	case e.IsMultipart():
		for _, p := range e.Parts {
			if partHeaders {
				p.writeHeaderText(b)
			}
			p.writeBodyText(b, partHeaders)
		}
	case e.Message != nil:
		e.Message.writeHeaderText(b)
		e.Message.writeBodyText(b, partHeaders)
	case strings.EqualFold(e.Type, "text"):
		b.WriteString(e.DecodedBody())
		b.WriteByte('\n')
	}
}

// DecodedBody is the body with its transfer encoding undone by go-message
// and, for text parts, converted to UTF-8 from the charset among the
// entity's own parameters (the ones BODYSTRUCTURE shows) by
// go-message/charset. Letting go-message read Content-Type again would
// lose the charset whenever its stricter parser rejects the field (a
// comment, an unquoted blank elsewhere in it). What cannot be decoded (an
// unknown charset, broken base64) comes out as far as it goes.
func (e *Entity) DecodedBody() string {
	var h message.Header
	h.Set("Content-Transfer-Encoding", strings.TrimSpace(stripComments(e.Encoding())))
	ent, _ := message.New(h, bytes.NewReader(e.Body()))
	if ent == nil {
		return string(e.Body())
	}
	var b bytes.Buffer
	b.Grow(len(e.Body()))
	if _, err := b.ReadFrom(ent.Body); err != nil && b.Len() == 0 {
		return string(e.Body())
	}
	cs := e.Param("charset")
	if !strings.EqualFold(e.Type, "text") || cs == "" || strings.EqualFold(cs, "us-ascii") || strings.EqualFold(cs, "utf-8") {
		return b.String()
	}
	out, err := ToUTF8(cs, b.Bytes())
	if err != nil && len(out) == 0 {
		return b.String()
	}
	return string(out)
}

// Date is the message's Date header parsed (RFC 5322 section 3.3), for
// SENTBEFORE, SENTON and SENTSINCE. ok is false when it is absent or
// unreadable.
func (e *Entity) Date() (time.Time, bool) {
	h := mail.Header{Header: message.Header{Header: e.Header}}
	t, err := h.Date()
	if err != nil || t.IsZero() {
		return time.Time{}, false
	}
	return t, true
}

// ContainsFold reports whether needle occurs in haystack, ignoring case by
// Unicode simple folding in any script, so "RØSK" finds "Ærøskøbing"
// (TestContainsFold has Cyrillic and Slovak words). Both are UTF-8. (IMAP
// SEARCH matching is case-insensitive, RFC 3501 section 6.4.4.)
func ContainsFold(haystack, needle string) bool {
	if needle == "" {
		return true
	}
	for i := 0; i < len(haystack); {
		if hasPrefixFold(haystack[i:], needle) {
			return true
		}
		_, size := utf8.DecodeRuneInString(haystack[i:])
		i += size
	}
	return false
}

// hasPrefixFold compares rune by rune so that letters whose folded forms
// differ in UTF-8 length still match.
func hasPrefixFold(s, prefix string) bool {
	for prefix != "" {
		if s == "" {
			return false
		}
		r1, n1 := utf8.DecodeRuneInString(s)
		r2, n2 := utf8.DecodeRuneInString(prefix)
		if r1 != r2 && !strings.EqualFold(s[:n1], prefix[:n2]) {
			return false
		}
		s, prefix = s[n1:], prefix[n2:]
	}
	return true
}
