package mailstore

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"

	"github.com/hack-pad/hackpadfs"
)

// SaveMaildir writes the whole store as a Maildir++ tree at dir in fsys:
// passwd, every mailbox with its messages, flags, dovecot-uidlist and
// dovecot-keywords, and subscriptions. It seeds a new tree (an empty
// IndexedDB in the browser, a folder for labserver -persist) and refuses a
// dir that already holds a passwd file rather than mix two trees. Messages
// remember their file names, so a persister attached afterwards
// (NewMaildirPersister on the same tree) finds them.
func SaveMaildir(s *Store, fsys hackpadfs.FS, dir string) error {
	w := newMaildirWriter(fsys, dir)
	if w.err != nil {
		return w.err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	w.now = s.now
	if _, err := hackpadfs.Stat(fsys, join(dir, passwdFile)); err == nil {
		return fmt.Errorf("maildir %q already holds a passwd file; save into an empty directory", dir)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if dir != "." {
		if err := hackpadfs.MkdirAll(fsys, dir, 0o700); err != nil {
			return err
		}
	}
	names := make([]string, 0, len(s.users))
	for n := range s.users {
		names = append(names, n)
	}
	sort.Strings(names)
	var entries []PasswdEntry
	for _, n := range names {
		u := s.users[n]
		if err := w.saveUser(u); err != nil {
			return fmt.Errorf("user %q: %w", n, err)
		}
		entries = append(entries, PasswdEntry{Name: n, Password: u.password})
	}
	data, err := FormatPasswd(entries)
	if err != nil {
		return err
	}
	if s.aliases != "" {
		if err := w.writeAtomic(dir, join(dir, aliasesFile), []byte(s.aliases)); err != nil {
			return err
		}
	}
	// Written last, so a tree without passwd is one whose save did not end.
	return w.writeAtomic(dir, join(dir, passwdFile), data)
}

func (w *maildirWriter) saveUser(u *User) error {
	if _, err := userDir(w.dir, u.name); err != nil {
		return err
	}
	for _, name := range u.namesLocked() {
		if err := w.saveMailbox(u, u.boxes[name]); err != nil {
			return fmt.Errorf("mailbox %q: %w", name, err)
		}
	}
	mdir, st, err := w.folder(u.name, Inbox)
	if err != nil {
		return err
	}
	return w.writeFolderFile(mdir, st, subsFile, formatSubscriptions(u.subscribed))
}

func (w *maildirWriter) saveMailbox(u *User, mb *Mailbox) error {
	mdir, st, err := w.folder(u.name, mb.name)
	if err != nil {
		return err
	}
	if err := w.ensureMaildir(mdir, st); err != nil {
		return err
	}
	for _, m := range mb.msgs {
		// A message no session has been told of yet goes to new/, as
		// Dovecot keeps it until then; new/ cannot hold flags.
		flags := m.flags
		recent := m.recentFree || m.recent != nil
		name, err := w.putMessage(mdir, st, m, flags)
		if err != nil {
			return err
		}
		if !recent && len(flags) == 0 {
			// Seen by a session but without flags: cur/ with an empty info.
			base, _ := splitInfo(name)
			if err := hackpadfs.Rename(w.fsys, join(mdir, "new", name), join(mdir, "cur", base+":2,")); err != nil {
				return err
			}
			name = base + ":2,"
		}
		m.setFile(name)
	}
	st.list.validity, st.list.next = mb.uidValidity, mb.uidNext
	if err := w.writeFolderFile(mdir, st, modseqFile, mb.modSeqFileLocked()); err != nil {
		return err
	}
	return w.writeUIDList(mdir, st)
}
