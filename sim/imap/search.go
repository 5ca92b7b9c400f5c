package imap

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"maillab/sim/imap/wire"
	"maillab/sim/mailstore"
	"maillab/sim/mime"
)

// cmdSearch serves SEARCH and UID SEARCH (RFC 3501 6.4.4, 6.4.8): every
// key, CHARSET for the search strings, substring matching on decoded
// header and body text; with RETURN (...) the answer is ESEARCH
// (RFC 4731, RFC 5267, RFC 5182: esearch.go).
func (s *Session) cmdSearch(d *wire.Decoder) {
	d.SP("search criteria")
	ret := d.Return()
	cs := ""
	if strings.EqualFold(d.PeekAtom(), "CHARSET") {
		d.Atom("CHARSET")
		d.SP("charset name")
		cs = d.AString("charset name")
		d.SP("search criteria")
	}
	keys := d.SearchKeys()
	d.End()
	hits, miss, ok := s.searchHits(keys, cs, ret)
	if !ok {
		return
	}
	if ret.Given {
		s.answerESearch(ret, keys, nil, hits, miss)
		return
	}
	nums := make([]string, len(hits))
	for i, h := range hits {
		nums[i] = strconv.FormatUint(uint64(s.number(h)), 10)
	}
	switch {
	case len(hits) == 0:
		s.untagged("SEARCH")
	case usesModSeq(wire.SearchKey{Key: "AND", Sub: keys}):
		// RFC 7162 3.1.5: the highest mod-sequence of what was found.
		s.untagged("SEARCH " + strings.Join(nums, " ") + " (MODSEQ " + strconv.FormatUint(s.highestModSeqOf(hits), 10) + ")")
	default:
		s.untagged("SEARCH " + strings.Join(nums, " "))
	}
	s.explain("search", len(hits))
	s.searchDone(miss)
}

// searchMiss is what a search had to leave out of its result.
type searchMiss struct {
	// expunged: messages of the client's view that another session
	// expunged meanwhile; their data is gone.
	expunged bool
	// unread is the UID of a message whose file could not be read
	// (mailstore.Message.ReadErr) for a key that tests its content.
	unread uint32
}

// searchDone completes SEARCH, SORT or THREAD. Messages expunged by
// another session before they could be tested are left out, and the
// answer says so with [EXPUNGEISSUED], as Dovecot's does, for the client
// cannot tell from the numbers alone. A message whose file could not be
// read (left out of SEARCH's result, sorted as empty by SORT, THREAD
// answering nothing) fails the command with NO [SERVERBUG] after the
// result, as Dovecot answers: no client takes a result that may lack a
// match for a whole one.
func (s *Session) searchDone(miss searchMiss) {
	if miss.unread != 0 {
		s.no("SERVERBUG", "Message UID "+strconv.FormatUint(uint64(miss.unread), 10)+": "+mailstore.ErrMessageUnreadable.Error(), "no.serverbug")
		return
	}
	if miss.expunged {
		s.complete("OK", "EXPUNGEISSUED", s.cmd+" completed; another session expunged some messages, NOOP tells which",
			"ok.expungeissued", []any{s.cmd})
		return
	}
	s.ok("", s.cmd+" completed")
}

// searchHits finds the selected messages keys match, ascending, after
// converting the keys' strings from charset cs. An unknown charset is
// answered NO [BADCHARSET] here, and ok is false; a result to be saved
// as "$" is then empty (RFC 5182 2.1). miss reports the messages left out
// of hits: expunged by another session meanwhile, or unreadable.
func (s *Session) searchHits(keys []wire.SearchKey, cs string, ret wire.ReturnOpts) (hits []target, miss searchMiss, ok bool) {
	if err := decodeStrings(keys, cs); err != nil {
		if errors.Is(err, errSearchUTF8) {
			// Dovecot answers BAD too, rejecting the command as it reads
			// it: $ keeps what an earlier SAVE put there.
			s.bad(s.cmd+": a search string is not valid UTF-8 (a character cut short or a byte no character begins with); send its text whole in UTF-8", "bad.searchutf8")
			return nil, miss, false
		}
		if ret.Save {
			s.sel.saved = nil
		}
		s.no("BADCHARSET (UTF-8 US-ASCII)", "Charset "+cs+" is not known here; use UTF-8", "no.badcharset", cs)
		return nil, miss, false
	}
	root := wire.SearchKey{Key: "AND", Sub: keys}
	now := s.o.Now()
	if usesModSeq(root) {
		s.enableCondstore()
	}
	need := keyNeeds(root)
	for i, uid := range s.sel.uids {
		m, ok := s.sel.mb.Message(uid)
		if !ok && need > needNumbers {
			miss.expunged = miss.expunged || need == needContent
			continue
		}
		c := &candidate{s: s, seq: uint32(i + 1), uid: uid, m: m, now: now}
		matched := c.match(root)
		if c.unread {
			// Whether the keys match is unknown: neither in nor out.
			miss.unread = uid
			continue
		}
		if matched {
			hits = append(hits, target{c.seq, uid})
		}
	}
	return hits, miss, true
}

// What a search key reads of a message, which decides how a message
// another session expunged (this session not yet told) is searched: by
// numbers alone it is still found, as on Dovecot; by flags it is left
// out, its flags being those of a message no longer there; by what it
// holds it is left out and the answer says so with [EXPUNGEISSUED], as
// Dovecot's does when it could not read such a message.
type need int

const (
	needNumbers need = iota // sequence numbers and UIDs
	needFlags               // flags, \Recent, mod-sequences
	needContent             // size, dates, header and body
)

func keyNeeds(k wire.SearchKey) need {
	if _, ok := flagKeys[k.Key]; ok {
		return needFlags
	}
	switch k.Key {
	case "ALL", "SEQ", "UID":
		return needNumbers
	case "NEW", "OLD", "RECENT", "KEYWORD", "UNKEYWORD", "MODSEQ":
		return needFlags
	case "AND", "OR", "NOT":
		n := needNumbers
		for _, sub := range k.Sub {
			n = max(n, keyNeeds(sub))
		}
		return n
	}
	return needContent
}

// number is how a message is named in an answer: its UID in a UID
// command, else its sequence number.
func (s *Session) number(t target) uint32 {
	if s.uidMode() {
		return t.uid
	}
	return t.seq
}

// errSearchUTF8: a search string (or HEADER's field name) is not valid
// UTF-8 after conversion from the command's charset.
var errSearchUTF8 = errors.New("search string is not valid UTF-8")

// decodeStrings converts every search string to UTF-8 from charset cs
// (RFC 3501 6.4.4: US-ASCII must be supported, others may be). A string
// that is not valid UTF-8 then (UTF-8 or US-ASCII bytes cut inside a
// character, or no character at all) is errSearchUTF8, as on Dovecot.
func decodeStrings(keys []wire.SearchKey, cs string) error {
	for i := range keys {
		k := &keys[i]
		if k.Str != nil && k.Key != "KEYWORD" && k.Key != "UNKEYWORD" {
			b, err := mime.ToUTF8(cs, k.Str)
			if err != nil {
				return err
			}
			if !utf8.Valid(b) {
				return errSearchUTF8
			}
			k.Str = b
		}
		if !utf8.ValidString(k.Field) {
			return errSearchUTF8
		}
		if err := decodeStrings(k.Sub, cs); err != nil {
			return err
		}
	}
	if cs != "" && len(keys) == 0 {
		_, err := mime.ToUTF8(cs, nil)
		return err
	}
	return nil
}

// candidate is one message under test, its flags and MIME read lazily.
type candidate struct {
	s        *Session
	seq, uid uint32
	m        *mailstore.Message
	flags    []string
	modseq   uint64
	gotFlags bool
	ent      *mime.Entity
	unread   bool      // its file could not be read: ent is empty
	now      time.Time // for OLDER and YOUNGER
}

func (c *candidate) flag(f string) bool {
	c.load()
	return mailstore.HasFlag(c.flags, f)
}

func (c *candidate) load() {
	if !c.gotFlags {
		c.flags, c.modseq, _ = c.s.sel.mb.FlagsModSeq(c.uid)
		c.gotFlags = true
	}
}

func (c *candidate) modSeq() uint64 {
	c.load()
	return c.modseq
}

func (c *candidate) parsed() *mime.Entity {
	if c.ent == nil {
		c.ent, _ = c.m.Parsed()
		c.unread = c.m.ReadErr() != nil
	}
	return c.ent
}

func (c *candidate) recent() bool { return c.s.sel.recent[c.uid] }

// flagKeys are the keys that test one flag, and whether it must be set.
var flagKeys = map[string]struct {
	flag string
	set  bool
}{
	"ANSWERED": {mailstore.FlagAnswered, true}, "DELETED": {mailstore.FlagDeleted, true},
	"DRAFT": {mailstore.FlagDraft, true}, "FLAGGED": {mailstore.FlagFlagged, true}, "SEEN": {mailstore.FlagSeen, true},
	"UNANSWERED": {mailstore.FlagAnswered, false}, "UNDELETED": {mailstore.FlagDeleted, false},
	"UNDRAFT": {mailstore.FlagDraft, false}, "UNFLAGGED": {mailstore.FlagFlagged, false}, "UNSEEN": {mailstore.FlagSeen, false},
}

var addressKeys = map[string]string{"BCC": "Bcc", "CC": "Cc", "FROM": "From", "TO": "To"}

func (c *candidate) match(k wire.SearchKey) bool {
	if f, ok := flagKeys[k.Key]; ok {
		return c.flag(f.flag) == f.set
	}
	if field, ok := addressKeys[k.Key]; ok {
		return c.addresses(field, string(k.Str))
	}
	switch k.Key {
	case "SUBJECT":
		return c.header("Subject", string(k.Str))
	case "ALL":
		return true
	case "AND":
		for _, sub := range k.Sub {
			if !c.match(sub) {
				return false
			}
		}
		return true
	case "OR":
		return c.match(k.Sub[0]) || c.match(k.Sub[1])
	case "NOT":
		return !c.match(k.Sub[0])
	case "NEW":
		return c.recent() && !c.flag(mailstore.FlagSeen)
	case "OLD":
		return !c.recent()
	case "RECENT":
		return c.recent()
	case "KEYWORD":
		return c.flag(string(k.Str))
	case "UNKEYWORD":
		return !c.flag(string(k.Str))
	case "LARGER":
		return c.m.Size() > int(k.Num)
	case "SMALLER":
		return c.m.Size() < int(k.Num)
	case "SEQ":
		if k.Set.IsSaved() {
			return c.s.sel.saved[c.uid]
		}
		return k.Set.ContainsSeq(c.seq, c.s.sel.count())
	case "UID":
		if k.Set.IsSaved() {
			return c.s.sel.saved[c.uid]
		}
		return k.Set.Contains(c.uid, c.s.sel.maxUID())
	case "OLDER", "YOUNGER":
		// RFC 5032: the internal date against an interval back from now.
		cut := c.now.Add(-time.Duration(k.Num) * time.Second)
		return c.m.InternalDate().After(cut) == (k.Key == "YOUNGER")
	case "MODSEQ":
		return c.modSeq() >= k.ModSeq
	case "HEADER":
		return c.header(k.Field, string(k.Str))
	case "BODY":
		return mime.ContainsFold(c.parsed().Text(mime.BodyText), string(k.Str))
	case "TEXT":
		return mime.ContainsFold(c.parsed().Text(mime.AllText), string(k.Str))
	case "BEFORE", "ON", "SINCE":
		return compareDate(k.Key, c.m.InternalDate(), k.Date)
	case "SENTBEFORE", "SENTON", "SENTSINCE":
		// Without a usable Date header Dovecot, the reference, takes the
		// Unix epoch, so SENTBEFORE finds such messages; so do we.
		t, ok := c.parsed().Date()
		if !ok {
			t = time.Unix(0, 0).UTC()
		}
		return compareDate(strings.TrimPrefix(k.Key, "SENT"), t, k.Date)
	}
	return false
}

// header: a field contains the string; an empty string matches any
// message that has the field (RFC 3501 6.4.4 HEADER).
func (c *candidate) header(field, needle string) bool {
	for _, v := range c.parsed().HeaderValues(field) {
		if mime.ContainsFold(v, needle) {
			return true
		}
	}
	return false
}

// addresses: the addresses of a field, as the message's ENVELOPE shows
// them (comments dropped, names decoded), contain the string. Dovecot
// matches the same way, so "user@example.org" finds
// <user (comment)@ (comment) example.org>.
func (c *candidate) addresses(field, needle string) bool {
	for _, v := range c.parsed().AddressText(field) {
		if mime.ContainsFold(v, needle) {
			return true
		}
	}
	return false
}

// compareDate compares dates only, disregarding time and timezone
// (RFC 3501 6.4.4).
func compareDate(op string, t, day time.Time) bool {
	y, m, d := t.Date()
	date := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	switch op {
	case "BEFORE":
		return date.Before(day)
	case "ON":
		return date.Equal(day)
	}
	return !date.Before(day) // SINCE: on or after
}
