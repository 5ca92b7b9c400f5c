package pop3

import (
	"bytes"
	"strings"

	"maillab/sim/event"
	"maillab/sim/lineio"
)

// Status indicators (RFC 1939 section 3) and the SASL continuation (RFC
// 5034 section 4).
const (
	statusOK   = "+OK"
	statusErr  = "-ERR"
	statusCont = "+"
)

// maxReplyLine is RFC 2449 section 4's limit on a response line, CRLF
// included. Texts that echo client input are cut to fit.
const maxReplyLine = 512

var crlf = []byte("\r\n")

// reply writes one status line: the indicator, an optional [CODE] (RFC
// 2449 section 8) and the text.
func (s *Session) reply(status, code, text string) {
	var b strings.Builder
	b.WriteString(status)
	if code != "" {
		b.WriteString(" [" + code + "]")
	}
	if text != "" {
		b.WriteString(" " + text)
	}
	line := lineio.Printable(b.String())    // as Line writes it, before it is cut
	line = lineio.Cut(line, maxReplyLine-2) // on a character boundary
	s.status, s.code = status, code
	s.Line(line, event.Event{Status: status, Code: code})
}

// ok answers +OK on one line and explains it.
func (s *Session) ok(text string, x expl) {
	s.reply(statusOK, "", text)
	s.explain(x)
}

// fail answers -ERR on one line and explains it.
func (s *Session) fail(code, text string, x expl) {
	s.reply(statusErr, code, text)
	s.explain(x)
}

// data writes one line of a multi-line answer, byte-stuffing a leading
// "." so the terminating line stays unambiguous (RFC 1939 section 3).
func (s *Session) data(line []byte) { s.DataLine(line) }

// dataString is data for a line the server composed.
func (s *Session) dataString(line string) { s.Line(line, event.Event{}) }

// end writes the terminating "." of a multi-line answer and explains it.
func (s *Session) end(x expl) {
	s.DataEnd()
	x.multi = true
	s.explain(x)
}

// message writes raw message text as data lines: the whole message, or its
// header, the blank line and bodyLines lines of its body when bodyLines >= 0
// (TOP, RFC 1939 section 7).
func (s *Session) message(raw []byte, bodyLines int) {
	inBody := false
	for len(raw) > 0 {
		i := bytes.Index(raw, crlf)
		var line []byte
		if i < 0 {
			line, raw = raw, nil
		} else {
			line, raw = raw[:i], raw[i+2:]
		}
		if bodyLines >= 0 && inBody {
			if bodyLines == 0 {
				return
			}
			bodyLines--
		}
		s.data(line)
		if len(line) == 0 {
			inBody = true
		}
	}
}

func hasControl(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' || c == 0x7f {
			return true
		}
	}
	return false
}
