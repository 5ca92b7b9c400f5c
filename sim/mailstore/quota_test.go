package mailstore

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// A quota counts all of a user's mailboxes: Append and Deliver past it
// fail with ErrOverQuota and store nothing; CopyTo is all or nothing;
// a move between the user's mailboxes and removals are always allowed; a
// user's own quota replaces the store's.
func TestQuota(t *testing.T) {
	s, u := newUser(t)
	s.SetQuota(Quota{Storage: 1000, Messages: 3})
	inbox, _ := u.Mailbox(Inbox)
	msg := []byte("Subject: x\r\n\r\n" + strings.Repeat("y", 286) + "\r\n") // 302 octets
	for range 2 {
		if _, err := inbox.Append(msg, nil, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := u.CreateMailbox("Saved"); err != nil {
		t.Fatal(err)
	}
	saved, _ := u.Mailbox("Saved")
	if _, _, err := inbox.CopyTo(saved, inbox.UIDs(), nil); !errors.Is(err, ErrOverQuota) || saved.Count() != 0 {
		t.Errorf("copying 2 of 302 octets to 604 of 1000: %v, %d copied; want ErrOverQuota and none", err, saved.Count())
	}
	if _, err := inbox.Append(msg, nil, time.Time{}); err != nil {
		t.Fatalf("the third message fits: %v", err)
	}
	if _, err := s.Deliver("alex", []byte("Subject: small\r\n\r\nhi\r\n")); !errors.Is(err, ErrOverQuota) {
		t.Errorf("a fourth message past a limit of 3: %v", err)
	}
	if _, err := inbox.MoveTo(saved, inbox.UIDs()[:1], nil); err != nil {
		t.Errorf("a move within the user's mailboxes at the limit: %v", err)
	}
	limit, use := u.Quota()
	if limit != (Quota{Storage: 1000, Messages: 3}) || use != (Usage{Storage: 906, Messages: 3}) {
		t.Errorf("quota %+v, use %+v", limit, use)
	}
	u.SetQuota(Quota{Messages: 10})
	if _, err := inbox.Append(msg, nil, time.Time{}); err != nil {
		t.Errorf("with the user's own quota of 10 messages and no storage limit: %v", err)
	}
	u.SetQuota(Quota{Messages: 1})
	if _, err := inbox.Remove(inbox.UIDs(), false, nil); err != nil {
		t.Errorf("removing over the quota: %v", err)
	}
	if !s.HasQuota() {
		t.Error("HasQuota is false with a quota set")
	}
}

// MULTIAPPEND past the quota stores none of its messages, even when the
// first ones alone would fit.
func TestQuotaAppendAll(t *testing.T) {
	s, u := newUser(t)
	s.SetQuota(Quota{Messages: 2})
	inbox, _ := u.Mailbox(Inbox)
	d := Draft{Raw: []byte("Subject: x\r\n\r\ny\r\n")}
	if _, err := inbox.AppendAll([]Draft{d, d, d}); !errors.Is(err, ErrOverQuota) || inbox.Count() != 0 {
		t.Errorf("3 messages past a limit of 2: %v, %d stored; want ErrOverQuota and none", err, inbox.Count())
	}
	if uids, err := inbox.AppendAll([]Draft{d, d}); err != nil || len(uids) != 2 {
		t.Errorf("2 messages within the limit: %v, %v", uids, err)
	}
}
