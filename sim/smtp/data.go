package smtp

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/textproto"
)

// maxTextLine is RFC 5321 section 4.5.3.1.6's limit on a line of message
// text: 1000 octets with the CRLF, not counting a leading dot doubled for
// transparency.
const maxTextLine = 1000

// DataLine is one line of message text as the client sent it, reported
// as it arrives so the terminal can show it and the explain pane can
// comment on it.
type DataLine struct {
	// Text is the line as sent, without its line ending and with a
	// doubled dot still doubled, cut to 1000 octets. It is valid only
	// during the callback.
	Text []byte
	// Len is the line's whole length in octets, without its line ending.
	Len int
	// BareLF says the line ended in LF alone (nc sends that; telnet sends
	// CRLF).
	BareLF bool
	// Stuffed says the line began with a dot the server removed (RFC
	// 5321 section 4.5.2).
	Stuffed bool
	// End says this is the line "." that ends the message.
	End bool
	// Partial says a BDAT chunk ended inside this line; the rest comes in
	// the next chunk.
	Partial bool
}

// Message collects a message's octets, keeping at most a limit of them
// in memory; beyond it the octets are counted and dropped, so a client
// that sends more than it may cannot make the server hold it.
type Message struct {
	max      int64
	buf      []byte
	size     int64 // octets received, kept or not
	tooLong  int   // lines over maxTextLine
	bareLF   int   // lines ended in LF alone
	longest  int   // the longest line seen, with CRLF
	dropping bool  // refused: stop keeping octets
}

// NewMessage starts a message of at most max octets.
func NewMessage(max int64) *Message { return &Message{max: max} }

// Bytes is the message as stored: lines ended in CRLF, dots unstuffed.
func (m *Message) Bytes() []byte { return m.buf }

// Size is the number of octets received so far, kept or not: the SIZE
// that counts against the limit (RFC 1870 section 3, item 4: CRLFs
// counted, transparency dots not).
func (m *Message) Size() int64 { return m.size }

// TooBig reports that the message passed the limit.
func (m *Message) TooBig() bool { return m.size > m.max }

// BareLF is the number of lines that ended in LF alone.
func (m *Message) BareLF() int { return m.bareLF }

// append keeps p if the message is still within its limit.
func (m *Message) append(p []byte) {
	m.size += int64(len(p))
	if m.dropping {
		return
	}
	if m.size > m.max {
		m.dropping, m.buf = true, nil
		return
	}
	m.buf = append(m.buf, p...)
}

// reply is the refusal of a message read to its end, or nil.
func (m *Message) reply(chunk bool) *Reply {
	switch {
	case m.TooBig() && chunk:
		return reply("bdat.toobig", m.size, m.max)
	case m.TooBig():
		return reply("data.toobig", m.size, m.max)
	case m.tooLong > 0:
		return reply("data.toolong", m.tooLong, m.longest, maxTextLine)
	}
	return nil
}

// ReadData reads the message text that follows a 354 reply, up to the
// line with a single dot (RFC 5321 section 4.1.1.4), into m, calling
// onLine (if not nil) for every line, the final dot included.
//
// A leading dot is removed from every other line that has one (section
// 4.5.2). A line may end in CRLF or in LF alone: nc sends LF, and the
// lab's POP3 and IMAP servers accept it too. Such lines are stored with
// CRLF, as Postfix stores them ("normalize", the default of its
// smtpd_forbid_bare_newline since 3.9). Unlike Postfix 3.9, a "." line
// ended by LF alone also ends the message: otherwise a learner using nc
// could never finish one. Postfix refuses that since "SMTP smuggling"
// (2023), where a server that relays a message and one that receives it
// disagree on where it ends; the lab delivers only to its own mailboxes,
// so no second server can disagree.
//
// The error is nil when the message is complete in m; a *Reply when it
// was read to its end and must be refused: 552 for a message over the
// size limit, 500 for a line over 1000 octets (sections 4.5.3.1.6 and
// 4.5.3.1.10 name these replies); another error when the connection
// failed or ended before the final dot (io.ErrUnexpectedEOF).
func ReadData(br *bufio.Reader, m *Message, onLine func(DataLine)) error {
	var line []byte // the start of the current line, at most maxTextLine+1 octets
	n := 0          // the current line's length so far, line ending excluded
	var last byte   // the current line's last octet so far
	for {
		seg, err := br.ReadSlice('\n')
		if len(seg) > 0 {
			complete := seg[len(seg)-1] == '\n'
			if complete {
				seg = seg[:len(seg)-1]
			}
			if room := maxTextLine + 1 - len(line); room > 0 {
				line = append(line, seg[:min(room, len(seg))]...)
			}
			if len(seg) > 0 {
				n, last = n+len(seg), seg[len(seg)-1]
			}
			if complete {
				if m.line(line, n, n > 0 && last == '\r', onLine) {
					if r := m.reply(false); r != nil {
						return r
					}
					return nil
				}
				line, n, last = line[:0], 0, 0
			}
		}
		switch {
		case err == nil, errors.Is(err, bufio.ErrBufferFull):
		case errors.Is(err, io.EOF):
			return io.ErrUnexpectedEOF
		default:
			return err
		}
	}
}

// line handles one complete line of DATA: its kept start, its length
// without the LF, and whether a CR came before the LF. It reports the
// final dot.
func (m *Message) line(line []byte, n int, cr bool, onLine func(DataLine)) (end bool) {
	dl := DataLine{BareLF: !cr}
	if cr {
		n--
		line = line[:min(len(line), n)]
	}
	dl.Len, dl.Text = n, line[:min(len(line), maxTextLine)]
	if n == 1 && line[0] == '.' {
		dl.End = true
		if onLine != nil {
			onLine(dl)
		}
		return true
	}
	content := line
	if n > 0 && line[0] == '.' {
		dl.Stuffed, content, n = true, line[1:], n-1
	}
	if dl.BareLF {
		m.bareLF++
	}
	if onLine != nil {
		onLine(dl)
	}
	if n+2 > maxTextLine {
		m.tooLong++
		m.longest = max(m.longest, n+2)
		m.size += int64(n + 2)
		m.dropping, m.buf = true, nil
		return false
	}
	m.append(content)
	m.append(crlf)
	return false
}

var crlf = []byte("\r\n")

// ReadChunk reads a BDAT chunk: exactly size octets, taken as they are,
// with no dot-stuffing and no line ending rules (RFC 3030 section 2), into
// m. onLine sees the chunk split at LF for display. The error is nil, a
// *Reply (552) when the message passed the limit (the chunk was still
// read whole, so the next command is found), or the connection's error.
func ReadChunk(r io.Reader, size int64, m *Message, onLine func(DataLine)) error {
	w := &chunkWriter{m: m, onLine: onLine}
	_, err := io.CopyN(w, r, size)
	w.flush()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return io.ErrUnexpectedEOF
		}
		return err
	}
	if r := m.reply(true); r != nil {
		return r
	}
	return nil
}

// chunkWriter stores a chunk's octets and reports its lines.
type chunkWriter struct {
	m      *Message
	onLine func(DataLine)
	line   []byte // the current line's start, at most maxTextLine octets
	n      int    // the current line's length so far
	last   byte   // its last octet so far
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	written := len(p)
	w.m.append(p)
	if w.onLine == nil {
		return written, nil
	}
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		seg := p
		if i >= 0 {
			seg = p[:i]
		}
		if room := maxTextLine - len(w.line); room > 0 {
			w.line = append(w.line, seg[:min(room, len(seg))]...)
		}
		if len(seg) > 0 {
			w.n, w.last = w.n+len(seg), seg[len(seg)-1]
		}
		if i < 0 {
			break
		}
		w.emit(false)
		p = p[i+1:]
	}
	return written, nil
}

// emit reports the current line; partial when the chunk ended in it.
func (w *chunkWriter) emit(partial bool) {
	dl := DataLine{Text: w.line, Len: w.n, Partial: partial}
	if !partial {
		dl.BareLF = w.n == 0 || w.last != '\r'
		if !dl.BareLF {
			dl.Len--
			dl.Text = w.line[:min(len(w.line), dl.Len)]
		}
	}
	w.onLine(dl)
	w.line, w.n, w.last = w.line[:0], 0, 0
}

func (w *chunkWriter) flush() {
	if w.onLine != nil && w.n > 0 {
		w.emit(true)
	}
}

// Notes are remarks on how the message arrived, for the explanation of
// the reply that ends it: lines ended by LF alone.
func (m *Message) Notes() []Text {
	if m.bareLF > 0 {
		return []Text{T("data.barelf", m.bareLF)}
	}
	return nil
}

// Finish ends a DATA message: the refusal the lines collected call for
// (552 too big, 500 a line too long), or nil. ReadData returns it too;
// Finish lets a session that fed lines itself ask.
func (m *Message) Finish() *Reply { return m.reply(false) }

// NewDotWriter returns a writer that sends a message as DATA's text:
// LF and CRLF line endings become CRLF, a leading dot is doubled, and
// Close writes the final ".". It is for clients and tests; the server
// side is ReadData.
func NewDotWriter(w io.Writer) io.WriteCloser {
	return textproto.NewWriter(bufio.NewWriter(w)).DotWriter()
}
