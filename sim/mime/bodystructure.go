package mime

import (
	"bytes"
	"strconv"
	"strings"
)

// BodyStructure is the IMAP BODYSTRUCTURE of the entity (extended true,
// with extension data) or BODY (extended false), RFC 3501 section 7.4.2.
func (e *Entity) BodyStructure(extended bool) string {
	e.structureOnce.Do(func() {
		for i, ext := range []bool{false, true} {
			var b strings.Builder
			e.writeBodyStructure(&b, ext)
			e.structure[i] = b.String()
		}
	})
	if extended {
		return e.structure[1]
	}
	return e.structure[0]
}

func (e *Entity) writeBodyStructure(b *strings.Builder, extended bool) {
	b.WriteByte('(')
	if e.IsMultipart() {
		e.writeMultipart(b, extended)
	} else {
		e.writeSinglePart(b, extended)
	}
	b.WriteByte(')')
}

// writeMultipart: the parts, the subtype, then body-ext-mpart: parameters,
// disposition, language, location.
func (e *Entity) writeMultipart(b *strings.Builder, extended bool) {
	for _, p := range e.Parts {
		p.writeBodyStructure(b, extended)
	}
	b.WriteByte(' ')
	writeString(b, e.Subtype)
	if !extended {
		return
	}
	b.WriteByte(' ')
	writeParams(b, e.Params)
	e.writeExtension(b)
}

// writeSinglePart: type, subtype, parameters, id, description, encoding,
// size; then the encapsulated message's envelope, structure and line count
// for message/rfc822, the line count for text/*; then body-ext-1part: MD5,
// disposition, language, location.
func (e *Entity) writeSinglePart(b *strings.Builder, extended bool) {
	writeString(b, e.Type)
	b.WriteByte(' ')
	writeString(b, e.Subtype)
	b.WriteByte(' ')
	writeParams(b, e.bodyParams())
	b.WriteByte(' ')
	e.writeField(b, "Content-ID")
	b.WriteByte(' ')
	e.writeField(b, "Content-Description")
	b.WriteByte(' ')
	writeString(b, e.Encoding())
	b.WriteByte(' ')
	body := e.Body()
	b.WriteString(strconv.Itoa(len(body)))
	switch {
	case e.Message != nil:
		b.WriteByte(' ')
		e.Message.writeEnvelope(b)
		b.WriteByte(' ')
		e.Message.writeBodyStructure(b, extended)
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(lines(body)))
	case strings.EqualFold(e.Type, "text"):
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(lines(body)))
	}
	if !extended {
		return
	}
	b.WriteByte(' ')
	e.writeField(b, "Content-MD5")
	e.writeExtension(b)
}

// bodyParams are the parameters BODYSTRUCTURE shows: a text part without a
// charset gets charset=us-ascii, "in the absence of a charset parameter,
// US-ASCII is assumed" (RFC 2045 section 5.2, RFC 2046 section 4.1.2).
func (e *Entity) bodyParams() []Param {
	if !strings.EqualFold(e.Type, "text") {
		return e.Params
	}
	for _, p := range e.Params {
		if strings.EqualFold(p.Name, "charset") {
			return e.Params
		}
	}
	return append(e.Params[:len(e.Params):len(e.Params)], Param{"charset", "us-ascii"})
}

// writeExtension writes the disposition, language and location shared by
// body-ext-1part and body-ext-mpart.
func (e *Entity) writeExtension(b *strings.Builder) {
	b.WriteByte(' ')
	if disp, params, ok := e.Disposition(); ok {
		b.WriteByte('(')
		writeString(b, disp)
		b.WriteByte(' ')
		writeParams(b, params)
		b.WriteByte(')')
	} else {
		b.WriteString("NIL")
	}
	b.WriteByte(' ')
	writeLanguage(b, e)
	b.WriteByte(' ')
	e.writeField(b, "Content-Location")
}

// writeField writes a MIME header field's raw value as an nstring.
func (e *Entity) writeField(b *strings.Builder, name string) {
	v, ok := e.RawValue(name)
	writeNString(b, v, ok)
}

// writeLanguage writes Content-Language (RFC 3282) as a list of tags.
func writeLanguage(b *strings.Builder, e *Entity) {
	v, _ := e.RawValue("Content-Language")
	var tags []string
	for _, t := range strings.Split(v, ",") {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	if len(tags) == 0 {
		b.WriteString("NIL")
		return
	}
	b.WriteByte('(')
	for i, t := range tags {
		if i > 0 {
			b.WriteByte(' ')
		}
		writeString(b, t)
	}
	b.WriteByte(')')
}

// lines counts the body's lines as IMAP reports them: the number of line
// ends, so a last line without CRLF is not counted (as Dovecot does).
func lines(body []byte) int { return bytes.Count(body, []byte("\n")) }
