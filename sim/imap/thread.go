package imap

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"maillab/sim/imap/wire"
)

// threadAlgorithms are THREAD's algorithms (RFC 5256 4), as CAPABILITY
// names them after THREAD=.
var threadAlgorithms = []string{"ORDEREDSUBJECT", "REFERENCES", "REFS"}

// cmdThread serves THREAD and UID THREAD (RFC 5256 4): the messages the
// criteria find, grouped into threads by ORDEREDSUBJECT, REFERENCES or
// Dovecot's REFS.
func (s *Session) cmdThread(d *wire.Decoder) {
	d.SP("thread algorithm")
	alg := d.Keyword("thread algorithm")
	if !slices.Contains(threadAlgorithms, alg) {
		wireFail("thread algorithm", alg+" is not a threading algorithm here; CAPABILITY lists THREAD=ORDEREDSUBJECT, THREAD=REFERENCES and THREAD=REFS", "bad.thread.alg", alg)
	}
	cs := s.charsetThen(d)
	keys := d.SearchKeys()
	d.End()
	hits, miss, ok := s.searchHits(keys, cs, wire.ReturnOpts{})
	if !ok {
		return
	}
	ms := s.infos(hits)
	miss.expunged = miss.expunged || len(ms) < len(hits)
	for _, m := range ms {
		m.entity() // every algorithm reads the header: read it first
	}
	if u := unreadOf(ms); u != nil {
		// Threads hang on the headers: with one missing, Dovecot sends
		// none, only the NO [SERVERBUG]; so do we.
		miss.unread = u[0]
		s.searchDone(miss)
		return
	}
	var roots []*container
	switch alg {
	case "REFERENCES":
		roots = threadReferences(ms, true)
	case "REFS":
		roots = threadRefs(ms)
	default:
		roots = threadOrderedSubject(ms)
	}
	var b strings.Builder
	b.WriteString("THREAD ")
	for _, r := range roots {
		b.WriteByte('(')
		s.writeMembers(&b, r, true)
		b.WriteByte(')')
	}
	s.untagged(strings.TrimSuffix(b.String(), " "))
	s.explain("thread", len(roots), alg)
	s.searchDone(miss)
}

// writeMembers writes a thread below its top (RFC 5256 5: thread-list):
// a message with one child continues the chain ("3 2"), one with more
// lists each child's thread in parentheses ("2 (7)(12)").
func (s *Session) writeMembers(b *strings.Builder, c *container, first bool) {
	if c.msg != nil {
		if !first {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatUint(uint64(s.number(target{c.msg.seq, c.msg.uid})), 10))
		first = false
	}
	switch len(c.children) {
	case 0:
	case 1:
		s.writeMembers(b, c.children[0], first)
	default:
		if !first {
			b.WriteByte(' ')
		}
		for _, ch := range c.children {
			b.WriteByte('(')
			s.writeMembers(b, ch, true)
			b.WriteByte(')')
		}
	}
}

// container is a place in a thread: a message, or a dummy (msg nil)
// standing for a message referred to but not among those threaded.
type container struct {
	msg      *sortInfo
	parent   *container
	children []*container
}

// first is the message a container is dated and named by: its own, or a
// dummy's first child's (RFC 5256 4, steps 4 and 5).
func (c *container) first() *sortInfo {
	for c.msg == nil && len(c.children) > 0 {
		c = c.children[0]
	}
	return c.msg
}

func (c *container) addChild(ch *container) {
	ch.parent = c
	c.children = append(c.children, ch)
}

func (c *container) unlink() {
	if p := c.parent; p != nil {
		p.children = slices.DeleteFunc(p.children, func(x *container) bool { return x == c })
		c.parent = nil
	}
}

// reaches reports whether c is a or one of a's ancestors: linking c under
// a would make a loop.
func (c *container) reaches(a *container) bool {
	for x := a; x != nil; x = x.parent {
		if x == c {
			return true
		}
	}
	return false
}

// byDate orders containers by sent date, then sequence number.
func byDate(a, b *container) int {
	ma, mb := a.first(), b.first()
	if ma == nil || mb == nil {
		return 0
	}
	if c := ma.sentDate().Compare(mb.sentDate()); c != 0 {
		return c
	}
	return cmp.Compare(ma.seq, mb.seq)
}

// sortTree sorts every set of siblings by date, children before parents
// so that a dummy is dated by its first child.
func sortTree(list []*container) {
	for _, c := range list {
		sortTree(c.children)
	}
	slices.SortFunc(list, byDate)
}

// threadOrderedSubject is ORDEREDSUBJECT (RFC 5256 4): messages sorted by
// base subject, then sent date; each run of one subject is a thread, its
// first message the parent of the others; threads in the order of their
// first messages' sent dates.
func threadOrderedSubject(ms []*sortInfo) []*container {
	sorted := slices.Clone(ms)
	slices.SortFunc(sorted, func(a, b *sortInfo) int {
		sa, _ := a.baseSubject()
		sb, _ := b.baseSubject()
		if c := strings.Compare(sa, sb); c != 0 {
			return c
		}
		if c := a.sentDate().Compare(b.sentDate()); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	var roots []*container
	var top *container
	prev := ""
	for i, m := range sorted {
		subj, _ := m.baseSubject()
		c := &container{msg: m}
		if i > 0 && subj == prev {
			top.addChild(c)
			continue
		}
		top, prev = c, subj
		roots = append(roots, c)
	}
	slices.SortFunc(roots, byDate)
	return roots
}

// threadReferences is REFERENCES (RFC 5256 4), steps 1 to 6; without
// merge, step 5 (threads of one subject gathered) is left out.
func threadReferences(ms []*sortInfo, merge bool) []*container {
	ids := map[string]*container{}
	var all []*container
	get := func(id string) *container {
		c := ids[id]
		if c == nil {
			c = &container{}
			ids[id] = c
			all = append(all, c)
		}
		return c
	}
	// Step 1: link each message under its references.
	for _, m := range ms {
		id := m.messageID()
		var c *container
		if id != "" {
			if ex := ids[id]; ex == nil || ex.msg == nil {
				c = get(id)
			}
		}
		if c == nil { // no Message-ID, or one taken already: a unique one
			c = &container{}
			all = append(all, c)
		}
		c.msg = m
		var prev *container
		for _, r := range m.references() {
			rc := get(r)
			if prev != nil && rc.parent == nil && !rc.reaches(prev) {
				prev.addChild(rc)
			}
			prev = rc
		}
		c.unlink()
		if prev != nil && !c.reaches(prev) {
			prev.addChild(c)
		}
	}
	// Step 2: the root set.
	var roots []*container
	for _, c := range all {
		if c.parent == nil {
			roots = append(roots, c)
		}
	}
	// Step 3: prune dummies.
	roots = prune(roots, true)
	// Step 4: sort the root set.
	sortTree(roots)
	// Step 5: gather threads of one base subject.
	if merge {
		roots = mergeBySubject(roots)
	}
	// Step 6: sort every set of siblings.
	sortTree(roots)
	return roots
}

// prune drops dummies without children and puts a dummy's children in
// its place, except at the top where a dummy with several children
// stays to hold them together (RFC 5256 4, step 3).
func prune(list []*container, top bool) []*container {
	var out []*container
	for _, c := range list {
		c.children = prune(c.children, false)
		if c.msg == nil {
			if len(c.children) == 0 {
				continue
			}
			if !top || len(c.children) == 1 {
				for _, ch := range c.children {
					ch.parent = c.parent
					out = append(out, ch)
				}
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// mergeBySubject is step 5: threads at the top whose first messages share
// a base subject become one.
func mergeBySubject(roots []*container) []*container {
	subject := func(c *container) (string, bool) {
		m := c.first()
		if m == nil {
			return "", false
		}
		return m.baseSubject()
	}
	// The table holds, per subject, the thread the others join: a dummy
	// rather than a message, a message that is no reply rather than one.
	table := map[string]*container{}
	for _, c := range roots {
		subj, reply := subject(c)
		if subj == "" {
			continue
		}
		t := table[subj]
		if t == nil {
			table[subj] = c
			continue
		}
		if _, tReply := subject(t); c.msg == nil && t.msg != nil || tReply && !reply {
			table[subj] = c
		}
	}
	gone := map[*container]bool{}
	for _, c := range roots {
		if gone[c] {
			continue
		}
		subj, reply := subject(c)
		t := table[subj]
		if subj == "" || t == nil || t == c {
			continue
		}
		_, tReply := subject(t)
		switch {
		case t.msg == nil && c.msg == nil:
			for _, ch := range c.children {
				t.addChild(ch)
			}
			c.children = nil
			gone[c] = true
		case t.msg == nil:
			t.addChild(c)
			gone[c] = true
		case c.msg == nil:
			gone[t] = true
			c.addChild(t)
			table[subj] = c
		case !tReply && reply:
			t.addChild(c)
			gone[c] = true
		default:
			d := &container{}
			j := slices.Index(roots, t)
			roots[j] = d
			d.addChild(t)
			d.addChild(c)
			gone[c] = true
			table[subj] = d
		}
	}
	return slices.DeleteFunc(roots, func(c *container) bool { return gone[c] })
}

// messageID is the message's Message-ID, "" when it has none that is
// valid (RFC 5256 4, step 1).
func (m *sortInfo) messageID() string {
	v, _ := m.entity().RawValue("Message-ID")
	ids := msgIDs(v, 1)
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// maxReferences bounds the references read from one message.
const maxReferences = 1000

// references are the valid message ids of References or, without any,
// the first of In-Reply-To (RFC 5256 4, step 1).
func (m *sortInfo) references() []string {
	v, _ := m.entity().RawValue("References")
	if ids := msgIDs(v, maxReferences); len(ids) > 0 {
		return ids
	}
	v, _ = m.entity().RawValue("In-Reply-To")
	return msgIDs(v, 1)
}

// msgIDs finds up to n msg-ids "<left@right>" in a field's value; what is
// not one (a phrase in In-Reply-To, a comment) is skipped. One pass over
// the bytes: a References field may name a thousand messages.
func msgIDs(v string, n int) []string {
	var out []string
	start := -1
	for i := 0; i < len(v) && len(out) < n; i++ {
		switch v[i] {
		case '<':
			start = i + 1
		case '>':
			if start >= 0 && validMsgID(v[start:i]) {
				out = append(out, v[start:i])
			}
			start = -1
		}
	}
	return out
}

// validMsgID: something on both sides of an "@", and no blank.
func validMsgID(id string) bool {
	at := -1
	for i := 0; i < len(id); i++ {
		switch id[i] {
		case '@':
			at = i
		case ' ', '\t', '\r', '\n':
			return false
		}
	}
	return at > 0 && at < len(id)-1
}

// threadRefs is THREAD=REFS, which Dovecot offers (an Internet-Draft,
// not an RFC): REFERENCES without gathering threads by subject, the
// threads ordered by their latest message's sent date, so the one just
// answered comes last, as in a mail client's thread view.
func threadRefs(ms []*sortInfo) []*container {
	roots := threadReferences(ms, false)
	latest := map[*container]*sortInfo{}
	var walk func(c *container, top *container)
	walk = func(c, top *container) {
		if m := c.msg; m != nil {
			if l := latest[top]; l == nil || m.sentDate().After(l.sentDate()) || m.sentDate().Equal(l.sentDate()) && m.seq > l.seq {
				latest[top] = m
			}
		}
		for _, ch := range c.children {
			walk(ch, top)
		}
	}
	for _, r := range roots {
		walk(r, r)
	}
	slices.SortFunc(roots, func(a, b *container) int {
		la, lb := latest[a], latest[b]
		if c := la.sentDate().Compare(lb.sentDate()); c != 0 {
			return c
		}
		return cmp.Compare(la.seq, lb.seq)
	})
	return roots
}
