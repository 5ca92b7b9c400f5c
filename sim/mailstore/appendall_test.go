package mailstore

import (
	"errors"
	"testing"
)

// failingPutter fails the n-th PutMessage; the rest of Persister does
// nothing.
type failingPutter struct {
	Persister
	n, calls int
}

var errDiskFull = errors.New("disk full")

func (f *failingPutter) PutMessage(user, mailbox string, m *Message) (string, error) {
	f.calls++
	if f.calls == f.n {
		return "", errDiskFull
	}
	return "f" + string(rune('0'+f.calls)), nil
}
func (f *failingPutter) SetMailboxState(string, string, uint32, uint32) error { return nil }
func (f *failingPutter) RemoveMessage(string, string, *Message) error         { return nil }

// AppendAll stores every message with consecutive UIDs, or none: a message
// over the size limit, or a write that fails half way, leaves the mailbox
// as it was.
func TestAppendAllOrNothing(t *testing.T) {
	s, u := newUser(t)
	mb, _ := u.Mailbox(Inbox)
	uids, err := mb.AppendAll([]Draft{{Raw: []byte("a\r\n")}, {Raw: []byte("b\r\n"), Flags: []string{FlagSeen}}})
	if err != nil || len(uids) != 2 || uids[1] != uids[0]+1 {
		t.Fatalf("AppendAll: %v %v", uids, err)
	}
	if _, err := mb.AppendAll([]Draft{{Raw: []byte("c\r\n")}, {Raw: make([]byte, MaxMessageSize+1)}}); !errors.Is(err, ErrTooBig) {
		t.Fatalf("a message over the limit: %v", err)
	}
	s.SetPersister(&failingPutter{n: 2})
	if _, err := mb.AppendAll([]Draft{{Raw: []byte("d\r\n")}, {Raw: []byte("e\r\n")}, {Raw: []byte("f\r\n")}}); !errors.Is(err, errDiskFull) {
		t.Fatalf("a failed write: %v", err)
	}
	if mb.Count() != 2 {
		t.Fatalf("INBOX holds %d messages, want the 2 of the first AppendAll", mb.Count())
	}
}
