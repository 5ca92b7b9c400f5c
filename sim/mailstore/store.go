// Package mailstore keeps users, their mailboxes and messages in memory,
// safe for many sessions at once. Sessions watch a mailbox to learn of other
// sessions' changes (for IMAP's untagged EXISTS, EXPUNGE and FETCH), and
// POP3 sessions take the user's exclusive maildrop lock. When a Persister is
// attached, every change is written through to it (a Maildir++ tree).
package mailstore

import (
	"crypto/subtle"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Delimiter separates hierarchy levels in mailbox names, as in the
// lecture's "owatagusiam/blurdybloop".
const Delimiter = "/"

// Inbox is the canonical name of every user's primary mailbox.
const Inbox = "INBOX"

// Store holds every user. The zero value is not usable; call New.
type Store struct {
	// mu guards every user, mailbox and message; reads that change
	// nothing (FETCH, SEARCH, STATUS) share it.
	mu      sync.RWMutex
	users   map[string]*User
	persist Persister
	now     func() time.Time
	uidSeed uint32
	// warnings are what LoadMaildir found wrong and worked around.
	warnings []error
	// aliases is the text of an aliases file (/etc/aliases form): the
	// mail domains' aliases and lists, which SMTP's RCPT, VRFY and EXPN
	// read. The store only keeps it.
	aliases string
	// disk, when set (SyncMaildir), is the tree whose changes by other
	// programs the store notices.
	disk diskWatcher
	// quota is every user's quota but those with their own.
	quota Quota
	// loading, when set (ServeMaildir), is closed once the users'
	// mailboxes are read; what looks at them waits for it (waitLoaded).
	loading chan struct{}
}

// SetAliases keeps the text of the mail domains' aliases file.
func (s *Store) SetAliases(text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.aliases = text
}

// Aliases is the text of the aliases file, "" when there is none.
func (s *Store) Aliases() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.aliases
}

// New returns an empty in-memory store.
func New() *Store {
	return &Store{users: map[string]*User{}, now: time.Now, uidSeed: uint32(time.Now().Unix())}
}

// SetClock replaces the clock used for internal dates and UIDVALIDITY; tests
// and lessons pin it for reproducible output.
func (s *Store) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
	s.uidSeed = uint32(now().Unix())
}

// Warnings lists what LoadMaildir found wrong in the tree and worked
// around, such as a dovecot-uidlist it could not read: that folder's
// messages got new UIDs. A persister attached afterwards writes the list
// again.
func (s *Store) Warnings() []error {
	s.waitLoaded()
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.warnings)
}

// SetPersister attaches p; from then on every change is written through to
// it. A write-through error is returned to the caller and the in-memory
// change is not made, so memory and disk do not drift apart.
func (s *Store) SetPersister(p Persister) {
	s.waitLoaded()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setPersisterLocked(p)
}

func (s *Store) setPersisterLocked(p Persister) {
	if a, ok := p.(interface{ attachLocked(*Store) }); ok {
		a.attachLocked(s) // learns the UIDs the store already gave
	}
	s.persist = p
}

// nextUIDValidity hands out strictly increasing UIDVALIDITY values, so a
// mailbox deleted and created again never reuses one.
func (s *Store) nextUIDValidity() uint32 {
	s.uidSeed++
	return s.uidSeed
}

// AddUser creates a user with an empty INBOX.
func (s *Store) AddUser(name, password string) (*User, error) {
	if !ValidUserName(name) {
		return nil, ErrBadUserName
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[name]; ok {
		return nil, ErrUserExists
	}
	u := &User{store: s, name: name, password: password, boxes: map[string]*Mailbox{}, subscribed: []string{Inbox}}
	inbox := u.newMailbox(Inbox)
	u.boxes[Inbox] = inbox
	s.users[name] = u
	return u, nil
}

// ValidUserName accepts names that are safe as a directory name and a
// protocol atom: letters, digits and . _ - @ +, not starting with a dot.
func ValidUserName(name string) bool {
	if name == "" || len(name) > 64 || name[0] == '.' {
		return false
	}
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-@+", r)
		if !ok {
			return false
		}
	}
	return true
}

// User returns the named user. Names are case-sensitive, as in Dovecot's
// passwd-file.
func (s *Store) User(name string) (*User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[name]
	return u, ok
}

// Users lists user names, sorted.
func (s *Store) Users() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.users))
	for n := range s.users {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Authenticate checks a plain-text password. Unknown users and wrong
// passwords give the same error, so a client cannot probe for names.
func (s *Store) Authenticate(name, password string) (*User, error) {
	u, ok := s.User(name)
	if !ok {
		subtle.ConstantTimeCompare([]byte(password), []byte(password))
		return nil, ErrAuthFailed
	}
	if subtle.ConstantTimeCompare([]byte(password), []byte(u.password)) != 1 {
		return nil, ErrAuthFailed
	}
	return u, nil
}

// Deliver appends a message to a user's INBOX, as a mail transfer agent
// would; sessions watching it are told.
func (s *Store) Deliver(user string, raw []byte) (uint32, error) {
	u, ok := s.User(user)
	if !ok {
		return 0, ErrNoUser
	}
	mb, err := u.Mailbox(Inbox)
	if err != nil {
		return 0, err
	}
	return mb.Append(raw, nil, time.Time{})
}
