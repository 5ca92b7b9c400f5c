package mime

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"strings"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // KOI8-R, windows-1251, ISO-8859-x... for RFC 2047 and bodies
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
	v, ok := e.RawValue("Content-Type")
	if ok {
		mt, _, err := mime.ParseMediaType(v)
		if err == nil || err == mime.ErrInvalidMediaParameter {
			typ, sub, _ := strings.Cut(mt, "/")
			e.Type, e.Subtype = asWritten(v, typ, sub)
			_, e.Params = splitParams(v)
			return
		}
	}
	if digest {
		e.Type, e.Subtype = "message", "rfc822"
		return
	}
	e.Type, e.Subtype = "text", "plain"
}

// asWritten returns type and subtype in the case the header uses: IMAP
// clients may show them, and mime.ParseMediaType lower-cases them.
func asWritten(v, typ, sub string) (string, string) {
	head, _, _ := strings.Cut(v, ";")
	wt, ws, _ := strings.Cut(strings.TrimSpace(head), "/")
	wt, ws = strings.TrimSpace(wt), strings.TrimSpace(ws)
	if strings.EqualFold(wt, typ) && strings.EqualFold(ws, sub) {
		return wt, ws
	}
	return typ, sub
}

// Disposition is the Content-Disposition type as written and its
// parameters, ok false when the field is absent or empty.
func (e *Entity) Disposition() (disp string, params []Param, ok bool) {
	v, ok := e.RawValue("Content-Disposition")
	if !ok {
		return "", nil, false
	}
	disp, params = splitParams(v)
	return disp, params, disp != ""
}

// Filename is the attachment's file name decoded to UTF-8: the
// Content-Disposition filename (RFC 2183, RFC 2231 encoded or not) or else
// the Content-Type name parameter, either possibly in RFC 2047 words.
func (e *Entity) Filename() string {
	h := message.Header{Header: e.Header}
	if _, params, err := h.ContentDisposition(); err == nil || err == mime.ErrInvalidMediaParameter {
		if f := params["filename"]; f != "" {
			return f
		}
	}
	return e.Param("name")
}

// decodeWords decodes RFC 2047 encoded words in any charset go-message
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

// wordDecoder uses the charsets go-message/charset registers. An encoded
// word is short: it is converted at once into a buffer, which the decoder
// then copies without taking a 32 KiB io.Copy buffer for every word.
var wordDecoder = mime.WordDecoder{CharsetReader: func(cs string, r io.Reader) (io.Reader, error) {
	if message.CharsetReader == nil {
		return nil, fmt.Errorf("unknown charset %q", cs)
	}
	conv, err := message.CharsetReader(strings.ToLower(cs), r)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(conv); err != nil {
		return nil, err
	}
	return &b, nil
}}
