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
type Message struct {
	uid          uint32
	internalDate time.Time
	raw          []byte // CRLF line endings
	flags        []string
	recent       *Watcher // the session that owns \Recent, or nil
	recentFree   bool     // \Recent not yet given to any session
	file         string   // base file name in the Maildir, when persisted
	disk         inFile   // content in a file, read when asked (raw is nil); nil: raw holds it
	modseq       uint64   // RFC 7162 mod-sequence of the last change; 0 reads as 1

	parseOnce sync.Once
	parsed    *mime.Entity
	parseErr  error
}

// NewMessage makes a message from raw content, turning bare LF and bare CR
// line endings into CRLF as RFC 5322 requires on the wire.
func NewMessage(raw []byte, flags []string, date time.Time) *Message {
	if date.IsZero() {
		date = time.Now()
	}
	return &Message{raw: ToCRLF(raw), flags: NormalizeFlags(flags), internalDate: date, recentFree: true}
}

// UID is the message's unique identifier in its mailbox.
func (m *Message) UID() uint32 { return m.uid }

// InternalDate is when the message arrived.
func (m *Message) InternalDate() time.Time {
	if m.disk != nil {
		return m.disk.date()
	}
	return m.internalDate
}

// Raw is the whole message with CRLF line endings. Callers must not modify it.
func (m *Message) Raw() []byte {
	if m.disk != nil {
		return m.disk.raw()
	}
	return m.raw
}

// Size is the message size in octets as sent on the wire (CRLF endings):
// what POP3 LIST and IMAP RFC822.SIZE report.
func (m *Message) Size() int {
	if m.disk != nil {
		return m.disk.size()
	}
	return len(m.raw)
}

// Parsed is the message's MIME structure, parsed on first use and kept
// (for a message in its file, kept while its content stays cached).
func (m *Message) Parsed() (*mime.Entity, error) {
	if m.disk != nil {
		return m.disk.parsed()
	}
	m.parseOnce.Do(func() { m.parsed, m.parseErr = mime.Parse(m.raw) })
	return m.parsed, m.parseErr
}

// Envelope is the message's IMAP ENVELOPE (RFC 3501 7.4.2); a message in
// its file keeps it once made.
func (m *Message) Envelope() string {
	if m.disk != nil {
		return m.disk.envelope()
	}
	e, _ := m.Parsed()
	return e.Envelope()
}

// BodyStructure is the message's IMAP BODY, or BODYSTRUCTURE when
// extended; a message in its file keeps it once made.
func (m *Message) BodyStructure(extended bool) string {
	if m.disk != nil {
		return m.disk.bodyStructure(extended)
	}
	e, _ := m.Parsed()
	return e.BodyStructure(extended)
}

// setFile records the name a message's file now has in its Maildir.
func (m *Message) setFile(name string) {
	m.file = name
	if m.disk != nil && name != "" {
		m.disk.setName(name)
	}
}

// inFile is a message's content kept in its file (OpenMaildir), read
// when asked. It is an interface so that a program that never calls
// OpenMaildir (the browser's lab) does not carry the code.
type inFile interface {
	raw() []byte
	size() int
	parsed() (*mime.Entity, error)
	envelope() string
	bodyStructure(extended bool) string
	date() time.Time
	setName(name string)
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
