package session

import (
	"bytes"
	"errors"

	"maillab/sim/event"
	"maillab/sim/lineio"
)

// Dot-framed blocks: POP3's multi-line answers (RFC 1939 section 3) and
// SMTP's DATA (RFC 5321 section 4.5.2) end with a line holding a single
// ".", and a line of the block that starts with "." is sent with a second
// one in front. The writer stuffs, the reader unstuffs; both emit one event
// per line, as the terminal shows them.

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

// ErrBlockTooLarge is returned by ReadBlock when a block passed its limit;
// the block was read to its end and dropped.
var ErrBlockTooLarge = errors.New("block too large")

// ErrBlockLineTooLong is returned by ReadBlock when a line of the block was
// longer than the reader's line limit; the block was read to its end.
var ErrBlockLineTooLong = errors.New("line too long in block")

// ReadBlock reads a dot-framed block sent by the client up to its line
// "." and returns its text with CRLF line endings and the stuffing
// removed. A line ends at CRLF or a bare LF (telnet sends the one, nc the
// other); octets are taken as they come, telnet's IAC among them, since an
// 8-bit text may hold 0xFF (KOI8-R's Ъ). Each line is emitted as a Client
// event and handed to onLine (nil: none) as the client sent it. Past max
// octets, or past a line longer than lineMax, the rest is read to the end
// and not kept, and the matching error is returned; a read error is
// returned as it is.
func (b *Base) ReadBlock(max, lineMax int, onLine func(line []byte)) ([]byte, error) {
	defer b.R.SetLimit(b.R.SetLimit(lineMax))
	telnet := b.R.Telnet
	b.R.Telnet = false
	defer func() { b.R.Telnet = telnet }()
	var out bytes.Buffer
	var failed error
	for {
		line, err := b.ReadLine()
		if errors.Is(err, lineio.ErrTooLong) {
			start, _ := b.R.Overlong()
			b.Client(append(append([]byte(nil), start...), "…"...), event.Event{})
			failed = cmpErr(failed, ErrBlockLineTooLong)
			continue
		}
		if err != nil {
			return nil, err
		}
		b.Client(line, event.Event{})
		if onLine != nil {
			onLine(line)
		}
		if len(line) == 1 && line[0] == '.' {
			if failed != nil {
				return nil, failed
			}
			return out.Bytes(), nil
		}
		if failed != nil {
			continue
		}
		if len(line) > 0 && line[0] == '.' {
			line = line[1:]
		}
		if out.Len()+len(line)+2 > max {
			failed = ErrBlockTooLarge
			out = bytes.Buffer{}
			continue
		}
		out.Write(line)
		out.WriteString("\r\n")
	}
}

func cmpErr(have, next error) error {
	if have != nil {
		return have
	}
	return next
}
