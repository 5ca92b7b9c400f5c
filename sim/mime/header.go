package mime

import (
	"bytes"
	"mime"
	"strings"
)

// RawValue is the first field named name (case-insensitively) as written:
// the bytes after the colon, leading and trailing blanks dropped and
// folding CRLFs removed (RFC 5322 section 2.2.3), RFC 2047 words left
// encoded. ok is false when there is no such field. BODYSTRUCTURE shows
// MIME fields this way (the first one counts, as in Dovecot).
func (e *Entity) RawValue(name string) (v string, ok bool) {
	return e.rawValue(name, false)
}

// rawValue returns the first field named name, or the last one if last.
func (e *Entity) rawValue(name string, last bool) (v string, ok bool) {
	fs := e.Header.FieldsByKey(name)
	for fs.Next() {
		if raw, err := fs.Raw(); err == nil {
			v = unfold(raw)
		} else {
			v = fs.Value()
		}
		if ok = true; !last {
			break
		}
	}
	return v, ok
}

// unfold turns a raw "Name: value CRLF" field into its value.
func unfold(field []byte) string {
	if i := bytes.IndexByte(field, ':'); i >= 0 {
		field = field[i+1:]
	}
	field = bytes.TrimRight(bytes.TrimLeft(field, " \t"), " \t\r\n")
	if bytes.IndexAny(field, "\r\n") < 0 {
		return string(field)
	}
	var b strings.Builder
	b.Grow(len(field))
	for _, c := range field {
		if c != '\r' && c != '\n' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Encoding is the Content-Transfer-Encoding as written, "7BIT" when absent
// (RFC 2045 section 6.1).
func (e *Entity) Encoding() string {
	if v := strings.TrimSpace(e.Header.Get("Content-Transfer-Encoding")); v != "" {
		return v
	}
	return "7BIT"
}

// setContentType fills Type, Subtype and Params from Content-Type. A missing
// or unusable Content-Type means text/plain; charset=us-ascii (RFC 2045
// section 5.2), or message/rfc822 for parts of a multipart/digest.
func (e *Entity) setContentType(digest bool) {
	if v, ok := e.RawValue("Content-Type"); ok {
		head, params := parseParams(v)
		if typ, sub, ok := mediaType(head); ok {
			e.Type, e.Subtype, e.Params = typ, sub, params
			return
		}
	}
	if digest {
		e.Type, e.Subtype = "message", "rfc822"
		return
	}
	e.Type, e.Subtype = "text", "plain"
}

// mediaType splits "type/subtype" (blanks around "/" allowed: comments
// and folding may stand there) into its tokens as written, which IMAP
// clients may show (RFC 2045 section 5.1). A type without "/" has an empty
// subtype, as Dovecot shows it.
func mediaType(head string) (typ, sub string, ok bool) {
	typ, sub, slash := strings.Cut(head, "/")
	typ, sub = strings.TrimSpace(typ), strings.TrimSpace(sub)
	if !isToken(typ) || slash && !isToken(sub) {
		return "", "", false
	}
	return typ, sub, true
}

// isToken: one or more US-ASCII characters other than controls, space and
// RFC 2045's tspecials.
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?=`, c) >= 0 {
			return false
		}
	}
	return s != ""
}

// Disposition is the Content-Disposition type as written and its
// parameters, ok false when the field is absent or empty.
func (e *Entity) Disposition() (disp string, params []Param, ok bool) {
	v, ok := e.RawValue("Content-Disposition")
	if !ok {
		return "", nil, false
	}
	disp, params = parseParams(v)
	return disp, params, disp != ""
}

// Filename is the attachment's file name decoded to UTF-8: the
// Content-Disposition filename (RFC 2183, RFC 2231 encoded or not) or else
// the Content-Type name parameter, either possibly in RFC 2047 words.
func (e *Entity) Filename() string {
	if _, params, ok := e.Disposition(); ok {
		if f, _ := paramValue(params, "filename"); f != "" {
			return f
		}
	}
	return e.Param("name")
}

// decodeWords decodes RFC 2047 encoded words in any charset ToUTF8
// knows; on failure the text is returned as written.
func decodeWords(s string) string {
	if !strings.Contains(s, "=?") {
		return s
	}
	if d, err := wordDecoder.DecodeHeader(s); err == nil {
		return d
	}
	return s
}

// wordDecoder uses the charsets ToUTF8 knows.
var wordDecoder = mime.WordDecoder{CharsetReader: charsetReader}
