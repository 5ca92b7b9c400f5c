package imap

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"maillab/sim/mailstore"
	"maillab/sim/mime"
)

// baseSubject extracts the base subject of RFC 5256 section 2.1 from a
// subject already decoded to UTF-8 (step 1's first half), and reports
// whether the extraction found the subject to be a reply or a forward: a
// "Re:", "Fw:" or "Fwd:" leader, a "(fwd)" trailer or a "[fwd: ...]"
// wrapper was removed. THREAD=REFERENCES merges threads by it.
func baseSubject(s string) (base string, replyOrFwd bool) {
	s = collapseWSP(s)
	for {
		// Step 2: trailing "(fwd)" and blanks.
		for {
			t := strings.TrimRight(s, " ")
			if len(t) >= 5 && strings.EqualFold(t[len(t)-5:], "(fwd)") {
				s, replyOrFwd = t[:len(t)-5], true
				continue
			}
			s = t
			break
		}
		// Steps 3 to 5: leaders, then one blob, until neither goes.
		for {
			changed := false
			for {
				n, refwd := subjLeader(s)
				if n == 0 {
					break
				}
				s, changed = s[n:], true
				replyOrFwd = replyOrFwd || refwd
			}
			if n := subjBlob(s); n > 0 && n < len(s) {
				s, changed = s[n:], true
			}
			if !changed {
				break
			}
		}
		// Step 6: "[fwd: subject]", then again from step 2.
		if len(s) >= 6 && strings.EqualFold(s[:5], "[fwd:") && s[len(s)-1] == ']' {
			s, replyOrFwd = s[5:len(s)-1], true
			continue
		}
		return s, replyOrFwd
	}
}

// collapseWSP turns tabs and line breaks into spaces and runs of blanks
// into one space (step 1); blanks at either end go at once, as steps 2
// and 3 would remove them.
func collapseWSP(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteByte(c)
	}
	return b.String()
}

// subjLeader measures a subj-leader at the start of s:
// (*subj-blob subj-refwd) / WSP, with
// subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":".
// It returns 0 when there is none; refwd says a subj-refwd was taken.
func subjLeader(s string) (n int, refwd bool) {
	if strings.HasPrefix(s, " ") {
		return 1, false
	}
	i := 0
	for {
		b := subjBlob(s[i:])
		if b == 0 {
			break
		}
		i += b
	}
	for _, word := range []string{"fwd", "fw", "re"} {
		if len(s)-i < len(word) || !strings.EqualFold(s[i:i+len(word)], word) {
			continue
		}
		j := i + len(word)
		for j < len(s) && s[j] == ' ' {
			j++
		}
		j += subjBlob(s[j:])
		if j < len(s) && s[j] == ':' {
			return j + 1, true
		}
	}
	return 0, false
}

// subjBlob measures "[" *BLOBCHAR "]" *WSP at the start of s, BLOBCHAR
// being anything but brackets; 0 when there is none.
func subjBlob(s string) int {
	if !strings.HasPrefix(s, "[") {
		return 0
	}
	end := strings.IndexAny(s[1:], "[]")
	if end < 0 || s[1+end] != ']' {
		return 0
	}
	n := end + 2
	for n < len(s) && s[n] == ' ' {
		n++
	}
	return n
}

// casemap is the key strings are compared by, RFC 5051's
// i;unicode-casemap as Dovecot, the reference, applies it: each letter
// in title case (for Latin, Cyrillic and Greek its capital), then
// decomposed, so "alex", "Alex" and "ALEX" sort together and an accented
// letter beside its base letter. For ASCII it is RFC 4790's
// i;ascii-casemap, the comparator RFC 5256 names.
func casemap(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToUpper(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	dec := decomposed()
	for _, r := range s {
		r = unicode.ToTitle(r)
		if d, ok := dec[r]; ok {
			b.WriteString(d)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// sortInfo is what SORT and THREAD know of one message: its keys, read
// once per command.
type sortInfo struct {
	seq, uid uint32
	m        *mailstore.Message
	ent      *mime.Entity
	unread   bool // its file could not be read: ent is empty
	// Filled on demand by the keys a command uses.
	sent       time.Time
	gotSent    bool
	subject    string // base subject, casemapped
	replyOrFwd bool
	gotSubject bool
}

// sentDate is the message's sent date (RFC 5256 2.2): its Date field,
// normalized to UTC, or the internal date when the field is missing or
// cannot be read.
func (m *sortInfo) sentDate() time.Time {
	if !m.gotSent {
		m.gotSent = true
		if t, ok := sentDate(m.entity()); ok {
			m.sent = t.UTC()
		} else {
			m.sent = m.m.InternalDate().UTC()
		}
	}
	return m.sent
}

func (m *sortInfo) entity() *mime.Entity {
	if m.ent == nil {
		m.ent, _ = m.m.Parsed()
		m.unread = m.m.ReadErr() != nil
	}
	return m.ent
}

// baseSubject is the message's base subject, casemapped, and whether its
// subject marks a reply or a forward.
func (m *sortInfo) baseSubject() (string, bool) {
	if !m.gotSubject {
		m.gotSubject = true
		subj := ""
		if v := m.entity().HeaderValues("Subject"); len(v) > 0 {
			subj = v[0]
		}
		base, r := baseSubject(subj)
		m.subject, m.replyOrFwd = casemap(base), r
	}
	return m.subject, m.replyOrFwd
}

// firstAddress is the first element of the address list of the first
// field named field: an address, or a group's start, whose Mailbox is the
// group's name, as Dovecot, the reference, sorts it.
func (m *sortInfo) firstAddress(field string) (mime.Address, bool) {
	v, ok := m.entity().RawValue(field)
	if !ok {
		return mime.Address{}, false
	}
	list := mime.ParseAddressList(v)
	if len(list) == 0 {
		return mime.Address{}, false
	}
	return list[0], true
}

// mailboxKey is SORT FROM, TO and CC's key: the local part (addr-mailbox)
// of the field's first address, "" without one (RFC 5256 3).
func (m *sortInfo) mailboxKey(field string) string {
	a, ok := m.firstAddress(field)
	if !ok {
		return ""
	}
	return casemap(a.Mailbox)
}

// displayKey is SORT DISPLAYFROM and DISPLAYTO's key (RFC 5957 2): the
// first address's display name, decoded, or its addr-spec when it has
// none; "" without an address.
func (m *sortInfo) displayKey(field string) string {
	a, ok := m.firstAddress(field)
	if !ok {
		return ""
	}
	if name := strings.TrimSpace(mime.DecodeWords(a.Name)); name != "" {
		return casemap(name)
	}
	if a.Host == "" { // a group: its name
		return casemap(a.Mailbox)
	}
	return casemap(a.Mailbox + "@" + a.Host)
}

// dateLayouts are the forms RFC 5322 3.3 writes a date in, with and
// without the day of the week, tried before the full parser.
var dateLayouts = []string{"Mon, 2 Jan 2006 15:04:05 -0700", "2 Jan 2006 15:04:05 -0700"}

// sentDate parses the Date field as SEARCH's SENT keys do (Entity.Date),
// trying the forms nearly every message uses first: the full parser
// tries a dozen layouts, and SORT and THREAD read every message's date.
func sentDate(e *mime.Entity) (time.Time, bool) {
	if v, ok := e.RawValue("Date"); ok {
		if i := strings.IndexByte(v, '('); i > 0 { // a trailing comment: "(PST)"
			v = v[:i]
		}
		v = strings.TrimSpace(v)
		for _, l := range dateLayouts {
			if t, err := time.Parse(l, v); err == nil {
				return t, true
			}
		}
	}
	return e.Date()
}
