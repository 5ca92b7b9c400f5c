package lesson

import (
	"fmt"
	"io/fs"
	"net/mail"
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
	now := l.clock()
	st.SetClock(func() time.Time { return now })
	for _, a := range l.Fixture.Accounts {
		u, err := st.AddUser(a.User, a.Password)
		if err != nil {
			return nil, fmt.Errorf("account %s: %w", a.User, err)
		}
		if a.Maildir != "" {
			if err := l.loadMaildir(u, a.Maildir); err != nil {
				return nil, err
			}
		}
		if err := l.fill(u, mailstore.Inbox, a.Messages); err != nil {
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
			if err := l.fill(u, f.Name, f.Messages); err != nil {
				return nil, err
			}
		}
	}
	return st, nil
}

func (l *Lesson) fill(u *mailstore.User, box string, msgs []Message) error {
	mb, err := u.Mailbox(box)
	if err != nil {
		return err
	}
	for i, m := range msgs {
		date := l.clock().Add(time.Duration(i-len(msgs)) * time.Hour)
		if m.Date != "" {
			if t, err := parseDate(m.Date); err == nil {
				date = t
			}
		}
		if _, err := mb.Append(m.bytes(date), m.Flags, date); err != nil {
			return fmt.Errorf("%s message %d: %w", box, i+1, err)
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

// loadMaildir reads a Maildir++ folder into u: cur/ and new/ of the top
// level are INBOX, ".A.B" folders are mailbox A/B. Flags come from the
// ":2," info suffix of file names.
func (l *Lesson) loadMaildir(u *mailstore.User, rel string) error {
	dir, ok := l.resolve(rel)
	if !ok || l.fsys == nil {
		return fmt.Errorf("maildir %q cannot be read", rel)
	}
	if err := l.loadFolder(u, dir, mailstore.Inbox); err != nil {
		return err
	}
	ents, err := fs.ReadDir(l.fsys, dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), ".") || e.Name() == "." || e.Name() == ".." {
			continue
		}
		name := strings.ReplaceAll(strings.TrimPrefix(e.Name(), "."), ".", mailstore.Delimiter)
		if _, err := u.Mailbox(name); err != nil {
			if err := u.CreateMailbox(name); err != nil {
				return fmt.Errorf("maildir folder %s: %w", e.Name(), err)
			}
			_ = u.Subscribe(name)
		}
		if err := l.loadFolder(u, dir+"/"+e.Name(), name); err != nil {
			return err
		}
	}
	return nil
}

func (l *Lesson) loadFolder(u *mailstore.User, dir, box string) error {
	mb, err := u.Mailbox(box)
	if err != nil {
		return err
	}
	for _, sub := range []string{"cur", "new"} {
		ents, err := fs.ReadDir(l.fsys, dir+"/"+sub)
		if err != nil {
			continue
		}
		for _, e := range ents {
			if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			raw, err := fs.ReadFile(l.fsys, dir+"/"+sub+"/"+e.Name())
			if err != nil {
				return err
			}
			if _, err := mb.Append(raw, maildirFlags(e.Name()), l.clock()); err != nil {
				return fmt.Errorf("%s/%s: %w", sub, e.Name(), err)
			}
		}
	}
	return nil
}

// maildirFlags maps the info letters of a Maildir file name to IMAP flags.
func maildirFlags(name string) []string {
	_, info, ok := strings.Cut(name, ":2,")
	if !ok {
		return nil
	}
	letters := map[rune]string{'S': mailstore.FlagSeen, 'R': mailstore.FlagAnswered, 'F': mailstore.FlagFlagged, 'T': mailstore.FlagDeleted, 'D': mailstore.FlagDraft}
	var out []string
	for _, r := range info {
		if f, ok := letters[r]; ok {
			out = append(out, f)
		}
	}
	return out
}
