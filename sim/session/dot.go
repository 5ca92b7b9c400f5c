package session

import (
	"bytes"

	"maillab/sim/event"
	"maillab/sim/lineio"
)

// Dot-framed blocks: POP3's multi-line answers (RFC 1939 section 3) end
// with a line holding a single ".", and a line of the block that starts
// with "." is sent with a second one in front. The writer stuffs and emits
// one event per line, as the terminal shows them. (The reading side, SMTP's
// DATA, is sim/smtp's ReadData, with SMTP's rules for line and message
// sizes; its session emits an event per line the same way.)

// DataLine writes one line of a dot-framed block, doubling a leading dot,
// and emits it as a Server line of the command being answered.
func (b *Base) DataLine(line []byte) {
	stuffed := len(line) > 0 && line[0] == '.'
	if b.werr == nil {
		if stuffed {
			b.W.WriteByte('.')
		}
		b.W.Write(line)
		_, b.werr = b.W.WriteString("\r\n")
	}
	if b.sink == nil {
		return
	}
	text := string(line)
	if stuffed {
		text = "." + text
	}
	b.Emit(event.Event{Kind: event.Server, Line: lineio.Printable(text), Command: b.Cmd})
}

// DataEnd writes the block's terminating ".".
func (b *Base) DataEnd() { b.Line(".", event.Event{}) }

// DataText writes text (CRLF or LF line endings) as the lines of a block.
func (b *Base) DataText(text []byte) {
	for len(text) > 0 {
		i := bytes.IndexByte(text, '\n')
		var line []byte
		if i < 0 {
			line, text = text, nil
		} else {
			line, text = text[:i], text[i+1:]
		}
		b.DataLine(bytes.TrimSuffix(line, []byte("\r")))
	}
}
