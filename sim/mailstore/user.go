package mailstore

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
)

// User is one account: a password, mailboxes and subscriptions.
type User struct {
	store      *Store
	name       string
	password   string
	boxes      map[string]*Mailbox // by canonical name
	subscribed []string            // in the order subscribed, as Dovecot's file keeps them
	popLock    bool
	quota      *Quota // nil: the store's
}

// Name is the user's login name.
func (u *User) Name() string { return u.name }

// Secret is the shared secret APOP and CRAM-style mechanisms digest: the
// password itself (RFC 1939 section 7).
func (u *User) Secret() string { return u.password }

// LockMaildrop takes the exclusive lock a POP3 session holds from
// AUTHORIZATION until it ends (RFC 1939 section 4). A second POP3 session of
// the same user gets ErrInUse. The returned func releases the lock.
func (u *User) LockMaildrop() (release func(), err error) {
	s := u.store
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.popLock {
		return nil, ErrInUse
	}
	u.popLock = true
	var once bool
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if !once {
			once = true
			u.popLock = false
		}
	}, nil
}

// CanonicalName returns name with a leading INBOX level in its canonical
// case (INBOX is case-insensitive, RFC 3501 section 5.1) and a trailing
// delimiter removed, or ErrBadName when the name is not acceptable: empty
// levels, "." or ".." levels, a "." anywhere (it separates levels on disk in
// Maildir++), control characters, or more than 255 octets.
func CanonicalName(name string) (string, error) {
	name = strings.TrimSuffix(name, Delimiter)
	if name == "" || len(name) > 255 {
		return "", ErrBadName
	}
	levels := strings.Split(name, Delimiter)
	for _, l := range levels {
		if l == "" || strings.Contains(l, ".") || strings.ContainsFunc(l, func(r rune) bool {
			return unicode.IsControl(r) || r == '\\' || r == '~' && l == "~" || r == 0xFFFD
		}) {
			return "", ErrBadName
		}
	}
	if strings.EqualFold(levels[0], Inbox) {
		levels[0] = Inbox
	}
	return strings.Join(levels, Delimiter), nil
}

// Mailbox returns the named mailbox.
func (u *User) Mailbox(name string) (*Mailbox, error) {
	name, err := CanonicalName(name)
	if err != nil {
		return nil, err
	}
	u.store.waitLoaded()
	u.store.mu.Lock()
	defer u.store.mu.Unlock()
	mb, ok := u.boxes[name]
	if !ok {
		return nil, ErrNoMailbox
	}
	if mb.unreadable != nil {
		return nil, mb.unreadable
	}
	return mb, nil
}

// Mailboxes lists every mailbox name, sorted, INBOX first.
func (u *User) Mailboxes() []string {
	u.store.waitLoaded()
	u.store.mu.Lock()
	defer u.store.mu.Unlock()
	return u.namesLocked()
}

func (u *User) namesLocked() []string {
	out := make([]string, 0, len(u.boxes))
	for n := range u.boxes {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return nameLess(out[i], out[j]) })
	return out
}

// nameLess orders mailbox names: INBOX first, then by octets.
func nameLess(a, b string) bool {
	if (a == Inbox) != (b == Inbox) {
		return a == Inbox
	}
	return a < b
}

// A \Noselect level is a name above some mailbox that is no mailbox
// itself (RFC 3501 6.3.8): Maildir++ may hold ".a.b" without ".a", and
// DELETE of a mailbox with inferiors leaves its name (RFC 3501 6.3.4). It
// is not stored: it exists exactly while some mailbox lies below it, it
// cannot be selected, and CREATE makes it a mailbox. Dovecot shows such
// levels the same way.

// ListEntry is one name in the hierarchy LIST shows.
type ListEntry struct {
	Name     string
	Noselect bool // a level above some mailbox, not a mailbox itself
}

// List returns every mailbox and every \Noselect level above one, sorted
// as Mailboxes sorts them, INBOX first.
func (u *User) List() []ListEntry {
	u.store.waitLoaded()
	u.store.mu.Lock()
	defer u.store.mu.Unlock()
	names := u.namesLocked()
	levels := map[string]bool{}
	for _, n := range names {
		parts := strings.Split(n, Delimiter)
		for i := 1; i < len(parts); i++ {
			if p := strings.Join(parts[:i], Delimiter); u.boxes[p] == nil {
				levels[p] = true
			}
		}
	}
	out := make([]ListEntry, 0, len(names)+len(levels))
	for _, n := range names {
		out = append(out, ListEntry{Name: n})
	}
	for n := range levels {
		out = append(out, ListEntry{Name: n, Noselect: true})
	}
	sort.Slice(out, func(i, j int) bool { return nameLess(out[i].Name, out[j].Name) })
	return out
}

// HasChildren reports whether any mailbox lies below name.
func (u *User) HasChildren(name string) bool {
	u.store.waitLoaded()
	u.store.mu.Lock()
	defer u.store.mu.Unlock()
	return u.hasChildrenLocked(name)
}

func (u *User) hasChildrenLocked(name string) bool {
	prefix := name + Delimiter
	for n := range u.boxes {
		if strings.HasPrefix(n, prefix) {
			return true
		}
	}
	return false
}

func (u *User) newMailbox(name string) *Mailbox {
	return &Mailbox{user: u, name: name, uidValidity: u.store.nextUIDValidity(), uidNext: 1, watchers: map[*Watcher]bool{}, specialUse: SpecialUseFor(name)}
}

// CreateMailbox creates name. Missing superior levels are not made
// mailboxes: they are \Noselect levels while name exists, as Dovecot, the
// reference, leaves them (RFC 3501 6.3.3 asks a server to create them, so
// that a client can create names below them; here it can all the same),
// and CREATE of such a level later makes it a mailbox. In Maildir++ only
// the folder of name is made (".a.b.c" without ".a" and ".a.b").
func (u *User) CreateMailbox(name string) error {
	name, err := CanonicalName(name)
	if err != nil {
		return err
	}
	s := u.store
	s.waitLoaded()
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := u.boxes[name]; ok {
		return ErrExists
	}
	mb := u.newMailbox(name)
	if s.persist != nil {
		if err := s.persist.CreateMailbox(u.name, name); err != nil {
			return err
		}
		if err := s.persist.SetMailboxState(u.name, name, mb.uidValidity, mb.uidNext); err != nil {
			return err
		}
	}
	u.boxes[name] = mb
	return nil
}

// DeleteMailbox removes a mailbox and its messages (RFC 3501 6.3.4).
// INBOX cannot be deleted. A mailbox with inferiors is deleted all the
// same: its messages go and its name stays as a \Noselect level while they
// exist, as in Dovecot; deleting such a level is an error (ErrHasChildren).
// In Maildir++ the folder's directory goes and its children's stay.
func (u *User) DeleteMailbox(name string) error {
	name, err := CanonicalName(name)
	if err != nil {
		return err
	}
	if name == Inbox {
		return ErrInboxDelete
	}
	s := u.store
	s.waitLoaded()
	s.mu.Lock()
	defer s.mu.Unlock()
	mb, ok := u.boxes[name]
	if !ok {
		if u.hasChildrenLocked(name) {
			return ErrHasChildren
		}
		return ErrNoMailbox
	}
	if mb.unreadable != nil {
		return mb.unreadable
	}
	if s.persist != nil {
		if err := s.persist.DeleteMailbox(u.name, name); err != nil {
			return err
		}
	}
	delete(u.boxes, name)
	mb.deleted = true
	mb.broadcastLocked(Change{Kind: MailboxDeleted}, nil)
	return nil
}

// Names RenameMailbox refuses as the new name, each for its own reason;
// both are also ErrBadName.
var (
	ErrRenameToInbox    = fmt.Errorf("%w: no mailbox can be renamed to INBOX", ErrBadName)
	ErrRenameIntoItself = fmt.Errorf("%w: a mailbox cannot be renamed to a name below itself", ErrBadName)
)

// RenameMailbox renames from and every mailbox below it (RFC 3501 section
// 6.3.5). From may be a \Noselect level: the mailboxes below it move. As
// CREATE, it makes no superior levels of the new name mailboxes, and a
// level that was \Noselect may become a mailbox. Renaming INBOX moves its
// messages to the new mailbox and leaves INBOX empty. All of this is how
// Dovecot, the reference, renames.
func (u *User) RenameMailbox(from, to string) error {
	from, err := CanonicalName(from)
	if err != nil {
		return err
	}
	to, err = CanonicalName(to)
	if err != nil {
		return err
	}
	if from == Inbox {
		return u.renameInbox(to)
	}
	if to == Inbox {
		return ErrRenameToInbox
	}
	if strings.HasPrefix(to, from+Delimiter) {
		return ErrRenameIntoItself
	}
	s := u.store
	s.waitLoaded()
	s.mu.Lock()
	defer s.mu.Unlock()
	moved := map[string]*Mailbox{}
	for n, mb := range u.boxes {
		if n == from || strings.HasPrefix(n, from+Delimiter) {
			if mb.unreadable != nil {
				return mb.unreadable
			}
			moved[to+strings.TrimPrefix(n, from)] = mb
		}
	}
	if len(moved) == 0 {
		return ErrNoMailbox
	}
	for n := range moved {
		if _, ok := u.boxes[n]; ok {
			return ErrExists
		}
	}
	if s.persist != nil {
		if err := s.persist.RenameMailbox(u.name, from, to); err != nil {
			return err
		}
	}
	for _, mb := range moved {
		delete(u.boxes, mb.name)
	}
	for n, mb := range moved {
		// A special use given by the name (Sent, Trash, ...) follows the
		// name, as it does when a Maildir is loaded.
		if mb.specialUse == SpecialUseFor(mb.name) {
			mb.specialUse = SpecialUseFor(n)
		}
		mb.name = n
		u.boxes[n] = mb
	}
	// Subscriptions are by name and do not follow a rename (RFC 3501 6.3.6).
	return nil
}

func (u *User) renameInbox(to string) error {
	if to == Inbox {
		return ErrExists
	}
	if err := u.CreateMailbox(to); err != nil {
		return err
	}
	inbox, err := u.Mailbox(Inbox)
	if err != nil {
		return err
	}
	dst, err := u.Mailbox(to)
	if err != nil {
		return err
	}
	_, err = inbox.MoveTo(dst, inbox.UIDs(), nil)
	return err
}

// Subscribe adds name to the subscriptions. RFC 3501 allows subscribing
// to a name that does not exist.
func (u *User) Subscribe(name string) error { return u.setSubscribed(name, true) }

// Unsubscribe removes name from the subscriptions.
func (u *User) Unsubscribe(name string) error { return u.setSubscribed(name, false) }

func (u *User) setSubscribed(name string, on bool) error {
	name, err := CanonicalName(name)
	if err != nil {
		return err
	}
	s := u.store
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.Index(u.subscribed, name)
	if (i >= 0) == on {
		return nil
	}
	// A new name goes last and a removed one leaves the others in
	// their order, as Dovecot rewrites its subscriptions file.
	next := slices.Clone(u.subscribed)
	if on {
		next = append(next, name)
	} else {
		next = slices.Delete(next, i, i+1)
	}
	if s.persist != nil {
		if err := s.persist.SetSubscriptions(u.name, next); err != nil {
			return err
		}
	}
	u.subscribed = next
	return nil
}

// Subscriptions lists subscribed names in the order they were subscribed.
func (u *User) Subscriptions() []string {
	u.store.mu.Lock()
	defer u.store.mu.Unlock()
	return slices.Clone(u.subscribed)
}
