//go:build !boot

package main

import (
	"bytes"
	"encoding/base64"
	"io"
	stdmime "mime"
	"mime/quotedprintable"
	"strings"

	"maillab/sim/mime"
)

// DecodedMessage is what the explain pane shows of a message the learner
// fetched (RETR, TOP, FETCH BODY[]): the header fields that RFC 2047
// encodes, as written and decoded, and the text as the message's charset
// and transfer encoding make it.
type DecodedMessage struct {
	Fields []DecodedField `json:"fields,omitempty"`
	// The first text part: its media type, charset and transfer encoding
	// as declared, and its text decoded (Text is empty when the charset is
	// unknown; Error says why).
	Type     string `json:"type,omitempty"`
	Charset  string `json:"charset,omitempty"`
	Encoding string `json:"encoding,omitempty"`
	Text     string `json:"text,omitempty"`
	Error    string `json:"error,omitempty"`
	// NonASCII: the header or the text has octets above 127, which a
	// terminal in UTF-8 cannot show as the message means them.
	NonASCII bool `json:"nonAscii,omitempty"`
}

// DecodedField is one header field with RFC 2047 words in it.
type DecodedField struct {
	Name    string        `json:"name"`
	Raw     string        `json:"raw"`
	Decoded string        `json:"decoded"`
	Words   []EncodedWord `json:"words"`
}

// EncodedWord names the charset and encoding (B: base64, Q: quoted-
// printable) of one =?charset?encoding?text?= word.
type EncodedWord struct {
	Word     string `json:"word"`
	Charset  string `json:"charset"`
	Encoding string `json:"encoding"`
}

// Limits: a message shown in the pane is cut, never the page slowed.
const (
	maxDecodeInput = 1 << 20
	maxDecodedText = 4096
)

// DecodeMessage decodes raw, a message in CRLF form as the server sent
// it (unstuffed).
func DecodeMessage(raw []byte) DecodedMessage {
	if len(raw) > maxDecodeInput {
		raw = raw[:maxDecodeInput]
	}
	e, _ := mime.Parse(raw)
	var d DecodedMessage
	words := stdmime.WordDecoder{CharsetReader: func(cs string, r io.Reader) (io.Reader, error) {
		b, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		out, err := mime.ToUTF8(cs, b)
		return bytes.NewReader(out), err
	}}
	for _, name := range []string{"Subject", "From", "To", "Cc"} {
		v, ok := e.RawValue(name)
		if !ok || !strings.Contains(v, "=?") {
			continue
		}
		f := DecodedField{Name: name, Raw: v, Decoded: v}
		if s, err := words.DecodeHeader(v); err == nil {
			f.Decoded = s
		}
		f.Words = encodedWords(v)
		if len(f.Words) > 0 {
			d.Fields = append(d.Fields, f)
		}
	}
	d.NonASCII = hasHigh(e.HeaderBytes())
	part := firstText(e)
	if part == nil {
		return d
	}
	d.Type = part.MediaType()
	d.Charset = part.Param("charset")
	if d.Charset == "" {
		d.Charset = "us-ascii"
	}
	d.Encoding = strings.ToLower(part.Encoding())
	body := part.Body()
	d.NonASCII = d.NonASCII || hasHigh(body)
	var dec []byte
	var err error
	switch d.Encoding {
	case "base64":
		dec, err = io.ReadAll(base64.NewDecoder(base64.StdEncoding, newlineDropper{bytes.NewReader(body)}))
	case "quoted-printable":
		dec, err = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
	default:
		dec = body
	}
	if err != nil && len(dec) == 0 {
		d.Error = err.Error()
		return d
	}
	if len(dec) > maxDecodedText*4 {
		dec = dec[:maxDecodedText*4]
	}
	text, err := mime.ToUTF8(d.Charset, dec)
	if err != nil {
		d.Error = err.Error()
		return d
	}
	s := strings.ReplaceAll(string(bytes.ToValidUTF8(text, []byte("\uFFFD"))), "\r\n", "\n")
	if r := []rune(s); len(r) > maxDecodedText {
		s = string(r[:maxDecodedText]) + "…"
	}
	d.Text = s
	return d
}

// firstText is the first text/* part of e, depth first, or nil.
func firstText(e *mime.Entity) *mime.Entity {
	if e == nil {
		return nil
	}
	if e.IsMultipart() {
		for _, p := range e.Parts {
			if t := firstText(p); t != nil {
				return t
			}
		}
		return nil
	}
	if strings.EqualFold(e.Type, "text") {
		return e
	}
	return nil
}

// encodedWords lists the RFC 2047 words in v, at most 16.
func encodedWords(v string) []EncodedWord {
	var out []EncodedWord
	for _, f := range strings.Fields(v) {
		f = strings.Trim(f, `"()<>,`)
		if !strings.HasPrefix(f, "=?") || !strings.HasSuffix(f, "?=") {
			continue
		}
		p := strings.Split(f[2:len(f)-2], "?")
		if len(p) != 3 {
			continue
		}
		enc := strings.ToUpper(p[1])
		if enc != "B" && enc != "Q" {
			continue
		}
		out = append(out, EncodedWord{Word: f, Charset: strings.ToLower(p[0]), Encoding: enc})
		if len(out) == 16 {
			break
		}
	}
	return out
}

func hasHigh(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// newlineDropper drops CR and LF, which base64 lines end with.
type newlineDropper struct{ r io.Reader }

func (n newlineDropper) Read(p []byte) (int, error) {
	k, err := n.r.Read(p)
	j := 0
	for _, c := range p[:k] {
		if c != '\r' && c != '\n' {
			p[j] = c
			j++
		}
	}
	return j, err
}
