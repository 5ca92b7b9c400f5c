package mailstore

import "errors"

// Errors the store returns; protocol code maps them to responses.
var (
	ErrNoUser      = errors.New("no such user")
	ErrAuthFailed  = errors.New("invalid user name or password")
	ErrInUse       = errors.New("maildrop is already locked by another session")
	ErrNoMailbox   = errors.New("no such mailbox")
	ErrExists      = errors.New("mailbox already exists")
	ErrBadName     = errors.New("invalid mailbox name")
	ErrInboxDelete = errors.New("INBOX cannot be deleted")
	ErrHasChildren = errors.New("mailbox has inferior hierarchical names")
	ErrNoMessage   = errors.New("no such message")
	ErrTooBig      = errors.New("message is too big")
	ErrUserExists  = errors.New("user already exists")
	ErrBadUserName = errors.New("invalid user name")
	// ErrMessageUnreadable: a message's file could not be read (the
	// file's name and the reason are the host's to log, not a client's
	// to see).
	ErrMessageUnreadable = errors.New("its file could not be read from the disk")
)
