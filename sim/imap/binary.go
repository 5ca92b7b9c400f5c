package imap

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime/quotedprintable"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"maillab/sim/imap/wire"
	"maillab/sim/mime"
)

// BINARY (RFC 3516): FETCH BINARY[part] hands the client a part's body
// with its Content-Transfer-Encoding undone, so a client saves an
// attachment without decoding base64 itself; BINARY.SIZE[part] is the
// size of that decoded body.

// unknownCTEError: a part's transfer encoding is none this server can
// undo (RFC 3516 4.3: NO [UNKNOWN-CTE]).
type unknownCTEError struct{ encoding string }

func (e unknownCTEError) Error() string { return "unknown content-transfer-encoding " + e.encoding }

// binarySection is the part parts names with its transfer encoding
// undone: a leaf's body decoded; the whole message, a multipart's body or
// an encapsulated message with each leaf below decoded and its
// Content-Transfer-Encoding field saying binary, as Dovecot converts them
// (the section's octets then need no decoding anywhere). A part that does
// not exist is empty, as with BODY[].
func binarySection(e *mime.Entity, parts []int) ([]byte, error) {
	if len(parts) == 0 {
		return rewriteLeaves(e, e.Raw, 0, decodeLeaf)
	}
	p, ok := e.Part(parts)
	if !ok {
		return nil, nil
	}
	switch {
	case p.IsMultipart():
		return rewriteLeaves(p, p.Body(), p.BodyOffset(), decodeLeaf)
	case p.Message != nil:
		return rewriteLeaves(p.Message, p.Body(), p.BodyOffset(), decodeLeaf)
	}
	return decodedBody(p)
}

// decodedBody is a leaf's body with its transfer encoding undone.
func decodedBody(p *mime.Entity) ([]byte, error) {
	body := p.Body()
	switch strings.ToLower(p.Encoding()) {
	case "7bit", "8bit", "binary":
		return body, nil
	case "base64":
		return decodeBase64(body), nil
	case "quoted-printable":
		// On a broken escape, what decoded before it, as a mail reader
		// shows it.
		out, _ := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
		return out, nil
	}
	return nil, unknownCTEError{p.Encoding()}
}

// decodeLeaf replaces an encoded leaf with its decoded body under a
// header that says binary; nil when it needs no change.
func decodeLeaf(p *mime.Entity) ([]byte, error) {
	switch strings.ToLower(p.Encoding()) {
	case "7bit", "8bit", "binary":
		return nil, nil
	}
	body, err := decodedBody(p)
	if err != nil {
		return nil, err
	}
	return append(setEncoding(p.HeaderBytes(), "binary", false), body...), nil
}

// rewriteLeaves returns span, which starts at offset base of the message
// root belongs to, with every leaf part of root that edit gives a
// replacement for (its header and body) replaced.
func rewriteLeaves(root *mime.Entity, span []byte, base int, edit func(*mime.Entity) ([]byte, error)) ([]byte, error) {
	var out []byte
	at := 0
	var walk func(p *mime.Entity) error
	walk = func(p *mime.Entity) error {
		switch {
		case p.IsMultipart():
			for _, c := range p.Parts {
				if err := walk(c); err != nil {
					return err
				}
			}
			return nil
		case p.Message != nil:
			return walk(p.Message)
		}
		with, err := edit(p)
		if with == nil || err != nil {
			return err
		}
		from := p.Offset - base
		out = append(append(out, span[at:from]...), with...)
		at = from + len(p.Raw)
		return nil
	}
	if err := walk(root); err != nil {
		return nil, err
	}
	if out == nil {
		return span, nil
	}
	return append(out, span[at:]...), nil
}

// setEncoding drops a header's Content-Transfer-Encoding fields (with
// their continuation lines) and writes one saying cte: where the first
// one was when inPlace, else at the end, before the blank line. Dovecot
// does the first when it stores a binary part in base64, the second when
// it decodes one for BINARY[].
func setEncoding(head []byte, cte string, inPlace bool) []byte {
	field := []byte("Content-Transfer-Encoding: " + cte + "\r\n")
	if loc := ctePattern().FindIndex(head); loc != nil && inPlace {
		rest := ctePattern().ReplaceAll(head[loc[1]:], nil)
		return append(append(append([]byte(nil), head[:loc[0]]...), field...), rest...)
	}
	head = ctePattern().ReplaceAll(head, nil)
	end := len(head)
	if bytes.HasSuffix(head, []byte("\r\n\r\n")) || bytes.Equal(head, []byte("\r\n")) {
		end -= 2
	}
	return append(append(append([]byte(nil), head[:end]...), field...), head[end:]...)
}

// decodeBase64 decodes leniently, as mail readers do: characters outside
// the alphabet (line breaks among them) are skipped, and decoding stops
// at the padding or at a last incomplete quantum.
func decodeBase64(b []byte) []byte {
	clean := make([]byte, 0, len(b))
	for _, c := range b {
		switch {
		case c == '=':
			goto done
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '+', c == '/':
			clean = append(clean, c)
		}
	}
done:
	if len(clean)%4 == 1 {
		clean = clean[:len(clean)-1] // six bits make no octet
	}
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
	n, _ := base64.RawStdEncoding.Decode(out, clean)
	return out[:n]
}

// binaryAtt writes BINARY[part]<origin> and BINARY.SIZE[part]. The
// response names BINARY for BINARY.PEEK too; its data is a literal8
// "~{n}" only when it holds a NUL (RFC 3516 4.2).
func binaryAtt(b []byte, a wire.FetchAtt, e *mime.Entity) []byte {
	data, _ := binarySection(e, a.Section.Parts)
	if a.Name == "BINARY.SIZE" {
		b = append(b, "BINARY.SIZE["...)
		b = append(b, a.Section.String()...)
		b = append(b, "] "...)
		return strconv.AppendInt(b, int64(len(data)), 10)
	}
	b, data = sectionName(b, "BINARY", a, data)
	// Even an empty section is a literal, {0}, as Dovecot sends it.
	return append(append(b, ' '), wire.LiteralBytes8(data)...)
}

// undecodable finds a transfer encoding BINARY cannot undo in the section
// parts names, without decoding anything.
func undecodable(e *mime.Entity, parts []int) (string, bool) {
	root, ok := e, true
	if len(parts) > 0 {
		if root, ok = e.Part(parts); !ok {
			return "", false
		}
		if !root.IsMultipart() && root.Message == nil {
			return root.Encoding(), !knownCTE(root.Encoding())
		}
	}
	_, err := rewriteLeaves(root, nil, root.Offset, func(p *mime.Entity) ([]byte, error) {
		if !knownCTE(p.Encoding()) {
			return nil, unknownCTEError{p.Encoding()}
		}
		return nil, nil
	})
	var u unknownCTEError
	return u.encoding, errors.As(err, &u)
}

func knownCTE(enc string) bool {
	switch strings.ToLower(enc) {
	case "7bit", "8bit", "binary", "base64", "quoted-printable":
		return true
	}
	return false
}

// unknownCTE answers NO [UNKNOWN-CTE] before any FETCH response when a
// BINARY item names a part whose encoding cannot be undone, and reports
// whether it did.
func (s *Session) unknownCTE(ts []target, atts []wire.FetchAtt) bool {
	var bin []wire.FetchAtt
	for _, a := range atts {
		if strings.HasPrefix(a.Name, "BINARY") {
			bin = append(bin, a)
		}
	}
	if len(bin) == 0 {
		return false
	}
	for _, t := range ts {
		m, ok := s.sel.mb.Message(t.uid)
		if !ok {
			continue
		}
		e, _ := m.Parsed()
		for _, a := range bin {
			if enc, ok := undecodable(e, a.Section.Parts); ok {
				s.no("UNKNOWN-CTE", "BINARY["+a.Section.String()+"] of message "+strconv.FormatUint(uint64(t.seq), 10)+
					" holds the transfer encoding "+enc+", which this server cannot decode; fetch it with BODY.PEEK[] instead",
					"no.unknowncte", a.Section.String(), t.seq, enc)
				return true
			}
		}
	}
	return false
}

// binaryToBase64 rewrites every leaf part of a message sent as a literal8
// whose Content-Transfer-Encoding is binary into base64, as Dovecot saves
// it: a stored message then holds no NUL and no bare line ending that
// BODY[] could not send in a literal or that would change when the store
// writes lines with CRLF, and BINARY[] decodes the part's octets exactly
// as they came.
func binaryToBase64(raw []byte) []byte {
	e, _ := mime.Parse(raw)
	out, _ := rewriteLeaves(e, raw, 0, func(p *mime.Entity) ([]byte, error) {
		if !strings.EqualFold(p.Encoding(), "binary") {
			return nil, nil
		}
		return append(setEncoding(p.HeaderBytes(), "base64", true), base64Lines(p.Body())...), nil
	})
	return out
}

// ctePattern is a Content-Transfer-Encoding field with its continuation
// lines, at the start of a header line.
var ctePattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?im)^content-transfer-encoding[ \t]*:[^\n]*\n([ \t][^\n]*\n)*`)
})

// base64Lines encodes b in lines of 76 characters (RFC 2045 6.8), the
// last one without a line break: the part's end, or the CRLF that belongs
// to the boundary after it, ends it (as Dovecot writes it).
func base64Lines(b []byte) []byte {
	enc := base64.StdEncoding.EncodeToString(b)
	var out []byte
	for len(enc) > 76 {
		out = append(append(out, enc[:76]...), '\r', '\n')
		enc = enc[76:]
	}
	return append(out, enc...)
}
