package mailstore

import (
	"bytes"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"maillab/sim/mime"
)

// System flags (RFC 3501 section 2.3.2). \Recent is not stored: it belongs
// to the session that was first told of a message (see Watcher).
const (
	FlagSeen     = `\Seen`
	FlagAnswered = `\Answered`
	FlagFlagged  = `\Flagged`
	FlagDeleted  = `\Deleted`
	FlagDraft    = `\Draft`
	FlagRecent   = `\Recent`
)

// SystemFlags are the flags every mailbox can store permanently.
var SystemFlags = []string{FlagAnswered, FlagFlagged, FlagDeleted, FlagSeen, FlagDraft}

// Message is one message in a mailbox. Its content never changes once
// stored; UID, flags and the claim on \Recent are guarded by the store lock.
// It is kept small: a Maildir opened with OpenMaildir holds one for each of
// its files.
type Message struct {
	uid        uint32
	recentFree bool // \Recent not yet given to any session
	flags      []string
	recent     *Watcher // the session that owns \Recent, or nil
	file       string   // base file name in the Maildir, when persisted
	body       content  // the content: in memory (inMemory) or in its file (OpenMaildir)
	modseq     uint64   // RFC 7162 mod-sequence of the last change; 0 reads as 1
}

// NewMessage makes a message from raw content, turning bare LF and bare CR
// line endings into CRLF as RFC 5322 requires on the wire.
func NewMessage(raw []byte, flags []string, date time.Time) *Message {
	if date.IsZero() {
		date = time.Now()
	}
	return &Message{body: inMemory(ToCRLF(raw), date), flags: NormalizeFlags(flags), recentFree: true}
}

// UID is the message's unique identifier in its mailbox.
func (m *Message) UID() uint32 { return m.uid }

// InternalDate is when the message arrived.
func (m *Message) InternalDate() time.Time { return m.body.date() }

// Raw is the whole message with CRLF line endings. Callers must not modify it.
func (m *Message) Raw() []byte { return m.body.raw() }

// Size is the message size in octets as sent on the wire (CRLF endings):
// what POP3 LIST and IMAP RFC822.SIZE report.
func (m *Message) Size() int { return m.body.size() }

// Parsed is the message's MIME structure, parsed on first use and kept
// (for a message in its file, kept while its content stays cached).
func (m *Message) Parsed() (*mime.Entity, error) { return m.body.parsed() }

// Envelope is the message's IMAP ENVELOPE (RFC 3501 7.4.2); a message in
// its file keeps it once made.
func (m *Message) Envelope() string { return m.body.envelope() }

// BodyStructure is the message's IMAP BODY, or BODYSTRUCTURE when
// extended; a message in its file keeps it once made.
func (m *Message) BodyStructure(extended bool) string { return m.body.bodyStructure(extended) }

// Extent is the message's size with CRLF line endings, as Size, and
// whether it ends with a line break (an empty message counts as one): a
// POP3 server sends a line ending after a last line without one, and
// counts it in the sizes it reports. A message in its file (OpenMaildir)
// whose size its file's name gives is not read for it, only the file's
// last octet; otherwise the file is read once, past the content cache,
// and both are kept.
func (m *Message) Extent() (octets int, lineEnded bool) { return m.body.extent() }

// ReadErr is why the message's content could not be read the last time
// it was asked for, nil when it was: a message in its file (OpenMaildir)
// whose file another program removed or made unreadable reads as empty,
// and a server that just read its Raw, Size, Envelope or BodyStructure
// asks this before sending them, so that it sends no empty message in its
// place. A message in memory always reads.
func (m *Message) ReadErr() error { return m.body.readErr() }

// setFile records the name a message's file now has in its Maildir.
func (m *Message) setFile(name string) {
	m.file = name
	if name != "" {
		m.body.setName(name)
	}
}

// content is where a message's content is: in memory, or in its file
// (OpenMaildir), read when asked. The file's kind is reached only through
// this interface, so that a program that never calls OpenMaildir (the
// browser's lab) does not carry its code.
type content interface {
	raw() []byte
	size() int
	parsed() (*mime.Entity, error)
	envelope() string
	bodyStructure(extended bool) string
	date() time.Time
	setName(name string)
	readErr() error
	extent() (int, bool)
}

// memContent is a message's content held in memory.
type memContent struct {
	data     []byte // CRLF line endings
	received time.Time

	parseOnce sync.Once
	tree      *mime.Entity
	parseErr  error
}

func inMemory(raw []byte, date time.Time) *memContent {
	return &memContent{data: raw, received: date}
}

func (c *memContent) raw() []byte     { return c.data }
func (c *memContent) size() int       { return len(c.data) }
func (c *memContent) date() time.Time { return c.received }
func (c *memContent) setName(string)  {}
func (c *memContent) readErr() error  { return nil }

func (c *memContent) extent() (int, bool) {
	return len(c.data), len(c.data) == 0 || bytes.HasSuffix(c.data, []byte("\r\n"))
}

func (c *memContent) parsed() (*mime.Entity, error) {
	c.parseOnce.Do(func() { c.tree, c.parseErr = mime.Parse(c.data) })
	return c.tree, c.parseErr
}

func (c *memContent) envelope() string {
	e, _ := c.parsed()
	return e.Envelope()
}

func (c *memContent) bodyStructure(extended bool) string {
	e, _ := c.parsed()
	return e.BodyStructure(extended)
}

// ToCRLF returns b with every line ending as CRLF. It returns b itself when
// it is already in that form.
func ToCRLF(b []byte) []byte {
	if !needsCRLF(b) {
		return b
	}
	out := make([]byte, 0, len(b)+len(b)/32+2)
	for i := 0; i < len(b); i++ {
		switch c := b[i]; c {
		case '\r':
			out = append(out, '\r', '\n')
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
		case '\n':
			out = append(out, '\r', '\n')
		default:
			out = append(out, c)
		}
	}
	return out
}

func needsCRLF(b []byte) bool {
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\r':
			if i+1 >= len(b) || b[i+1] != '\n' {
				return true
			}
			i++
		case '\n':
			return true
		}
	}
	return false
}

// ToLF turns CRLF line endings into LF, as Maildir files are usually stored.
func ToLF(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")) }

// NormalizeFlags returns flags sorted, without duplicates, with system flags
// in their canonical case and without \Recent, which cannot be stored.
func NormalizeFlags(flags []string) []string {
	out := make([]string, 0, len(flags))
	for _, f := range flags {
		if strings.HasPrefix(f, `\`) {
			canon := ""
			for _, s := range SystemFlags {
				if strings.EqualFold(s, f) {
					canon = s
				}
			}
			if canon == "" { // \Recent or an unknown system flag
				continue
			}
			f = canon
		}
		if !containsFold(out, f) {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out
}

// HasFlag reports whether flags holds f (case-insensitively, as IMAP compares flags).
func HasFlag(flags []string, f string) bool { return containsFold(flags, f) }

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}
