package lesson

import (
	"fmt"
	"io/fs"
	"net/mail"
	"path"
	"strings"
	"time"

	"maillab/sim/mailstore"
)

// defaultClock is the fixture time when a lesson pins none, so every run
// shows the same dates and UIDVALIDITY.
var defaultClock = time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)

func (l *Lesson) clock() time.Time {
	if t, err := time.Parse(time.RFC3339, l.Fixture.Clock); err == nil {
		return t
	}
	return defaultClock
}

// autologout is the fixture's autologout time, 0 for the protocol's own.
func (l *Lesson) autologout() time.Duration {
	d, _ := time.ParseDuration(l.Fixture.Autologout)
	return d
}

func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return mail.ParseDate(s)
}

// BuildStore makes a fresh store holding the lesson's fixture. Fixture
// messages get UIDs 1, 2, ... in the order written, which goals use.
func (l *Lesson) BuildStore() (*mailstore.Store, error) {
	st := mailstore.New()
	if l.Fixture.Maildir != "" {
		dir, ok := l.resolve(l.Fixture.Maildir)
		if !ok {
			return nil, fmt.Errorf("maildir %q is outside the lesson's folder", l.Fixture.Maildir)
		}
		if l.fsys == nil {
			return nil, fmt.Errorf("this lesson's mailboxes are in the Maildir folder %q beside the lesson file, which a single file does not bring along; open the lesson from the lesson list of a lab server that serves its folder (labserver -lessons DIR)", l.Fixture.Maildir)
		}
		var err error
		if st, err = mailstore.LoadMaildir(l.fsys, dir); err != nil {
			return nil, err
		}
	}
	now := l.clock()
	st.SetClock(func() time.Time { return now })
	if l.Fixture.Aliases != "" {
		st.SetAliases(l.Fixture.Aliases)
	}
	for _, a := range l.Fixture.Accounts {
		u, err := st.AddUser(a.User, a.Password)
		if err != nil {
			return nil, fmt.Errorf("account %s: %w", a.User, err)
		}
		if err := l.fill(u, mailstore.Inbox, a.UIDValidity, a.Messages); err != nil {
			return nil, err
		}

		for _, f := range a.Mailboxes {
			if _, err := u.Mailbox(f.Name); err != nil {
				if err := u.CreateMailbox(f.Name); err != nil {
					return nil, fmt.Errorf("mailbox %s: %w", f.Name, err)
				}
				if err := u.Subscribe(f.Name); err != nil {
					return nil, err
				}
			}
			if f.Unsubscribed {
				if err := u.Unsubscribe(f.Name); err != nil {
					return nil, err
				}
			}
			if err := l.fill(u, f.Name, f.UIDValidity, f.Messages); err != nil {
				return nil, err
			}
		}
	}
	// The fixture's own messages are there before the limits are: a
	// lesson may start from a mailbox already full.
	for _, a := range l.Fixture.Accounts {
		if u, ok := st.User(a.User); ok && a.Quota != nil {
			u.SetQuota(mailstore.Quota{Storage: int64(a.Quota.Storage), Messages: a.Quota.Messages})
		}
	}
	return st, nil
}

func (l *Lesson) fill(u *mailstore.User, box string, uidValidity uint32, msgs []Message) error {
	mb, err := u.Mailbox(box)
	if err != nil {
		return err
	}
	if uidValidity != 0 {
		if err := mb.SetUIDValidity(uidValidity); err != nil {
			return fmt.Errorf("%s: %w", box, err)
		}
	}
	for i, m := range msgs {
		date := l.clock().Add(time.Duration(i-len(msgs)) * time.Hour)
		if m.Date != "" {
			if t, err := parseDate(m.Date); err == nil {
				date = t
			}
		}
		uid := m.UID
		if uid != 0 {
			err = mb.AppendUID(m.bytes(date), m.Flags, date, uid)
		} else {
			uid, err = mb.Append(m.bytes(date), m.Flags, date)
		}
		if err != nil {
			return fmt.Errorf("%s message %d: %w", box, i+1, err)
		}
		if m.Recent != nil && !*m.Recent {
			mb.ClearRecent(uid)
		}
	}
	return nil
}

// bytes renders a fixture message; the short form becomes a plain-text
// RFC 5322 message.
func (m Message) bytes(date time.Time) []byte {
	if m.Raw != "" {
		return []byte(m.Raw)
	}
	var b strings.Builder
	if m.From != "" {
		fmt.Fprintf(&b, "From: %s\n", m.From)
	}
	if m.To != "" {
		fmt.Fprintf(&b, "To: %s\n", m.To)
	}
	fmt.Fprintf(&b, "Subject: %s\n", m.Subject)
	fmt.Fprintf(&b, "Date: %s\n", date.Format(time.RFC1123Z))
	if !isASCII(m.Subject + m.Body) {
		b.WriteString("MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n")
	}
	b.WriteString("\n")
	b.WriteString(m.Body)
	if !strings.HasSuffix(m.Body, "\n") {
		b.WriteString("\n")
	}
	return []byte(b.String())
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// maildirUsers lists the accounts: those inline and those in the
// fixture's Maildir tree (read from its passwd file).
func (l *Lesson) maildirUsers() map[string]bool {
	users := map[string]bool{}
	for _, a := range l.Fixture.Accounts {
		users[a.User] = true
	}
	if l.Fixture.Maildir == "" || l.fsys == nil {
		return users
	}
	dir, ok := l.resolve(l.Fixture.Maildir)
	if !ok {
		return users
	}
	if data, err := fs.ReadFile(l.fsys, path.Join(dir, "passwd")); err == nil {
		if entries, err := mailstore.ParsePasswd(data); err == nil {
			for _, e := range entries {
				users[e.Name] = true
			}
		}
	}
	return users
}

// firstUser is the account goals mean when they name none.
func (l *Lesson) firstUser() string {
	if len(l.Fixture.Accounts) > 0 {
		return l.Fixture.Accounts[0].User
	}
	return ""
}
