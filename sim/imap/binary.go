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

	"maillab/sim/imap/wire"
	"maillab/sim/mime"
)

// BINARY (RFC 3516): FETCH BINARY[part] hands the client a part's body
// with its Content-Transfer-Encoding undone, so a client saves an
// attachment without decoding base64 itself; BINARY.SIZE[part] is the
// size of that decoded body.

// errUnknownCTE: the part's transfer encoding is none this server can
// undo (RFC 3516 4.3: NO [UNKNOWN-CTE]).
var errUnknownCTE = errors.New("unknown content-transfer-encoding")

// binarySection is the decoded body of the part parts names: the whole
// message as it is for [], a multipart's or a message/rfc822 part's body
// as it is (they carry no encoding of their own), a leaf's body decoded.
// A part that does not exist is empty, as with BODY[].
func binarySection(e *mime.Entity, parts []int) ([]byte, error) {
	if len(parts) == 0 {
		return e.Raw, nil
	}
	p, ok := e.Part(parts)
	if !ok {
		return nil, nil
	}
	body := p.Body()
	if p.IsMultipart() || p.Message != nil {
		return body, nil
	}
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
	return nil, errUnknownCTE
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
	b = append(b, "BINARY["...)
	b = append(b, a.Section.String()...)
	b = append(b, ']')
	if a.Partial != nil {
		b = append(b, '<')
		b = strconv.AppendUint(b, uint64(a.Partial[0]), 10)
		b = append(b, '>')
		data = mime.Partial(data, int(a.Partial[0]), int(a.Partial[1]))
	}
	b = append(b, ' ')
	if len(data) == 0 {
		return append(b, `""`...)
	}
	return append(b, wire.LiteralBytes8(data)...)
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
			if _, err := binarySection(e, a.Section.Parts); err != nil {
				p, _ := e.Part(a.Section.Parts)
				s.no("UNKNOWN-CTE", "Part "+a.Section.String()+" of message "+strconv.FormatUint(uint64(t.seq), 10)+
					" has the transfer encoding "+p.Encoding()+", which this server cannot decode; fetch it with BODY.PEEK[] instead",
					"no.unknowncte", a.Section.String(), t.seq, p.Encoding())
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
	type edit struct {
		from, to int
		with     []byte
	}
	var edits []edit
	var walk func(p *mime.Entity)
	walk = func(p *mime.Entity) {
		switch {
		case p.IsMultipart():
			for _, c := range p.Parts {
				walk(c)
			}
		case p.Message != nil:
			walk(p.Message)
		case strings.EqualFold(p.Encoding(), "binary"):
			head := ctePattern.ReplaceAll(p.HeaderBytes(), []byte("Content-Transfer-Encoding: base64\r\n"))
			edits = append(edits, edit{p.Offset, p.Offset + len(p.Raw), append(head, base64Lines(p.Body())...)})
		}
	}
	walk(e)
	if len(edits) == 0 {
		return raw
	}
	var out []byte
	at := 0
	for _, ed := range edits {
		out = append(append(out, raw[at:ed.from]...), ed.with...)
		at = ed.to
	}
	return append(out, raw[at:]...)
}

// ctePattern is a Content-Transfer-Encoding field with its continuation
// lines, at the start of a header line.
var ctePattern = regexp.MustCompile(`(?im)^content-transfer-encoding[ \t]*:[^\n]*\n([ \t][^\n]*\n)*`)

// base64Lines encodes b in lines of 76 characters (RFC 2045 6.8).
func base64Lines(b []byte) []byte {
	enc := base64.StdEncoding.EncodeToString(b)
	var out []byte
	for len(enc) > 76 {
		out = append(append(out, enc[:76]...), '\r', '\n')
		enc = enc[76:]
	}
	if enc != "" {
		out = append(append(out, enc...), '\r', '\n')
	}
	return out
}
