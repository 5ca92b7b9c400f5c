package mailstore

// Persister writes the store's changes through to durable storage. The
// store calls it with its lock held, before making the change in memory; an
// error aborts the change. Names are full mailbox names with Delimiter.
type Persister interface {
	CreateMailbox(user, mailbox string) error
	DeleteMailbox(user, mailbox string) error
	RenameMailbox(user, from, to string) error
	// PutMessage stores a new message and returns its file name.
	PutMessage(user, mailbox string, m *Message) (file string, err error)
	// SetFlags records m's new flags and returns its (possibly new) file name.
	SetFlags(user, mailbox string, m *Message, flags []string) (file string, err error)
	RemoveMessage(user, mailbox string, m *Message) error
	SetSubscriptions(user string, names []string) error
	// SetMailboxState records UIDVALIDITY and UIDNEXT after they change.
	SetMailboxState(user, mailbox string, uidValidity, uidNext uint32) error
}

// File is the message's file name in a persisted Maildir, or "".
func (m *Message) File() string { return m.file }
