package mailstore

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/hack-pad/hackpadfs"
)

// maildirPersister writes the store's changes through to a Maildir++ tree.
// The store calls it with its own lock held; the writer's mutex also keeps
// two stores sharing one persister from interleaving writes.
type maildirPersister struct {
	w *maildirWriter
}

// NewMaildirPersister returns a Persister that keeps the Maildir++ tree at
// dir in fsys in step with the store it is attached to (Store.SetPersister):
// new messages are written to tmp/ and renamed into new/ or cur/, flag
// changes rename the file, removals delete it, mailbox create, delete and
// rename are directory operations, and dovecot-uidlist and subscriptions
// are rewritten atomically, so Dovecot on the same tree sees the same UIDs.
// Attach it to a store loaded from the same tree (LoadMaildir) or written
// to it (SaveMaildir). Users are not written: passwd changes only by hand.
func NewMaildirPersister(fsys hackpadfs.FS, dir string) Persister {
	return &maildirPersister{w: newMaildirWriter(fsys, dir)}
}

// attachLocked learns every mailbox's UIDVALIDITY, UIDNEXT and file names
// from the store, which holds the truth; Store.SetPersister calls it with
// the store lock held. Every mailbox whose dovecot-uidlist is missing or
// does not record what the store gave (files LoadMaildir numbered itself)
// gets one, so that UIDVALIDITY and UIDs survive a reload; one the
// tree lacks altogether (a superior level Maildir++ need not have, ".a"
// beside ".a.b") is created. That is best effort: an error there shows
// again at the first real write.
func (p *maildirPersister) attachLocked(s *Store) {
	w := p.w
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = s.now
	for _, u := range s.users {
		for name, mb := range u.boxes {
			mdir, err := mailboxDir(w.dir, u.name, name)
			if err != nil || w.err != nil || mb.unreadable != nil {
				continue // an unreadable folder's files are left as they are
			}
			st := &folderState{list: &uidList{validity: mb.uidValidity, next: mb.uidNext, uids: map[string]uint32{}}}
			for _, m := range mb.msgs {
				if m.file != "" {
					base, _ := splitInfo(m.file)
					st.list.uids[base] = m.uid
				}
			}
			if data, err := hackpadfs.ReadFile(w.fsys, join(mdir, keywordsFile)); err == nil {
				st.keywords = parseKeywords(data)
			}
			if data, err := hackpadfs.ReadFile(w.fsys, join(mdir, extraKeywordsFile)); err == nil {
				st.extra = parseExtraKeywords(data)
			}
			st.listOnDisk = w.uidListMatches(mdir, st.list)
			w.folders[mdir] = st
			if !st.listOnDisk {
				_ = w.writeUIDList(mdir, st)
			}
			// A tree the store wrote before (the demo's, as shipped) holds
			// the file as it would be written: it is left alone.
			data := mb.modSeqFileLocked()
			if old, err := hackpadfs.ReadFile(w.fsys, join(mdir, modseqFile)); err == nil && bytes.Equal(old, data) ||
				w.writeFolderFile(mdir, st, modseqFile, data) == nil {
				mb.mod.lines = 0
			}
		}
	}
}

// uidListMatches reports whether the folder's dovecot-uidlist records
// list's UIDVALIDITY and every one of its UIDs.
func (w *maildirWriter) uidListMatches(mdir string, list *uidList) bool {
	data, err := hackpadfs.ReadFile(w.fsys, join(mdir, uidlistFile))
	if err != nil {
		return false
	}
	disk, err := parseUIDList(data)
	if err != nil || disk.validity != list.validity {
		return false
	}
	for base, uid := range list.uids {
		if disk.uids[base] != uid {
			return false
		}
	}
	return true
}

func (p *maildirPersister) CreateMailbox(user, mailbox string) error {
	w := p.w
	w.mu.Lock()
	defer w.mu.Unlock()
	mdir, err := mailboxDir(w.dir, user, mailbox)
	if err != nil || w.err != nil {
		return errors.Join(w.err, err)
	}
	if _, err := hackpadfs.Stat(w.fsys, join(mdir, "cur")); err == nil {
		return fmt.Errorf("%w: %s is already on disk", ErrExists, mdir)
	}
	st := &folderState{list: &uidList{next: 1, uids: map[string]uint32{}}}
	if err := w.ensureMaildir(mdir, st); err != nil {
		return err
	}
	w.folders[mdir] = st
	return nil
}

func (p *maildirPersister) DeleteMailbox(user, mailbox string) error {
	w := p.w
	w.mu.Lock()
	defer w.mu.Unlock()
	if mailbox == Inbox {
		return ErrInboxDelete
	}
	mdir, err := mailboxDir(w.dir, user, mailbox)
	if err != nil || w.err != nil {
		return errors.Join(w.err, err)
	}
	delete(w.folders, mdir)
	// Children are directories of their own in Maildir++ (".a.b" beside
	// ".a"), so this removes exactly one mailbox.
	return hackpadfs.RemoveAll(w.fsys, mdir)
}

// RenameMailbox renames the folder's directory and those of every
// mailbox below it: ".a" and ".a.b" become ".c" and ".c.b".
func (p *maildirPersister) RenameMailbox(user, from, to string) error {
	w := p.w
	w.mu.Lock()
	defer w.mu.Unlock()
	if from == Inbox || to == Inbox {
		return ErrBadName
	}
	ud, err := userDir(w.dir, user)
	if err != nil || w.err != nil {
		return errors.Join(w.err, err)
	}
	fromDir, err1 := folderName(from)
	toDir, err2 := folderName(to)
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	entries, err := hackpadfs.ReadDir(w.fsys, ud)
	if err != nil {
		return err
	}
	type move struct{ from, to string }
	var moves []move
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() && (n == fromDir || strings.HasPrefix(n, fromDir+diskSep)) {
			moves = append(moves, move{join(ud, n), join(ud, toDir+strings.TrimPrefix(n, fromDir))})
		}
	}
	for _, m := range moves {
		if _, err := hackpadfs.Stat(w.fsys, m.to); err == nil {
			return fmt.Errorf("%w: %s is already on disk", ErrExists, m.to)
		}
	}
	for _, m := range moves {
		if err := hackpadfs.Rename(w.fsys, m.from, m.to); err != nil {
			return err
		}
		for k, st := range w.folders {
			if k == m.from {
				delete(w.folders, k)
				w.folders[m.to] = st
			}
		}
	}
	return nil
}

func (p *maildirPersister) PutMessage(user, mailbox string, m *Message) (string, error) {
	w := p.w
	w.mu.Lock()
	defer w.mu.Unlock()
	mdir, st, err := w.folder(user, mailbox)
	if err != nil {
		return "", err
	}
	name, err := w.putMessage(mdir, st, m, m.flags)
	if err != nil {
		return "", err
	}
	w.noteOwnChange(mdir, st)
	return name, w.keepUIDs(mdir, st)
}

func (p *maildirPersister) SetFlags(user, mailbox string, m *Message, flags []string) (string, error) {
	w := p.w
	w.mu.Lock()
	defer w.mu.Unlock()
	mdir, st, err := w.folder(user, mailbox)
	if err != nil {
		return "", err
	}
	name, err := w.setFlags(mdir, st, m, flags)
	if err != nil {
		return "", err
	}
	w.noteOwnChange(mdir, st)
	return name, w.keepUIDs(mdir, st)
}

// RemoveMessage deletes the file. dovecot-uidlist keeps the line until it
// is next rewritten: Dovecot, like LoadMaildir, drops lines whose file is
// gone, and rewriting the list on every expunge would make emptying a
// large mailbox quadratic.
func (p *maildirPersister) RemoveMessage(user, mailbox string, m *Message) error {
	w := p.w
	w.mu.Lock()
	defer w.mu.Unlock()
	mdir, st, err := w.folder(user, mailbox)
	if err != nil {
		return err
	}
	f, ok, err := w.findMessage(mdir, m)
	if err != nil {
		return err
	}
	// No file left is a removal someone else already made.
	if ok {
		if err := hackpadfs.Remove(w.fsys, f.path(mdir)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		w.noteOwnChange(mdir, st)
	}
	base, _ := splitInfo(m.file)
	if _, ok := st.list.uids[base]; ok {
		delete(st.list.uids, base)
		st.stale++
	}
	return w.keepUIDs(mdir, st)
}

// keepUIDs writes dovecot-uidlist if the folder has none yet, so that
// after any change a reload numbers the remaining files as now. It needs
// UIDVALIDITY, which a folder first met on disk without a list does not
// have until the store sends it.
func (w *maildirWriter) keepUIDs(mdir string, st *folderState) error {
	if st.listOnDisk || st.list.validity == 0 {
		return nil
	}
	return w.writeUIDList(mdir, st)
}

func (p *maildirPersister) SetSubscriptions(user string, names []string) error {
	w := p.w
	w.mu.Lock()
	defer w.mu.Unlock()
	mdir, st, err := w.folder(user, Inbox)
	if err != nil {
		return err
	}
	return w.writeFolderFile(mdir, st, subsFile, formatSubscriptions(names))
}

func (p *maildirPersister) SetMailboxState(user, mailbox string, uidValidity, uidNext uint32) error {
	w := p.w
	w.mu.Lock()
	defer w.mu.Unlock()
	mdir, st, err := w.folder(user, mailbox)
	if err != nil {
		return err
	}
	changed := st.list.validity != uidValidity
	st.list.validity, st.list.next = uidValidity, uidNext
	return w.syncUIDList(mdir, st, changed)
}

// recentClaimer is a Persister that records when a session has been given
// \Recent for a message, so that a reload does not give it again.
type recentClaimer interface {
	recentClaimed(user, mailbox string, m *Message) (file string, err error)
}

// recentClaimedLocked tells the persister that a read-write session now
// holds m's \Recent. It is best effort: if the write fails the message
// is only \Recent once more after a reload.
func (mb *Mailbox) recentClaimedLocked(m *Message) {
	if rc, ok := mb.user.store.persist.(recentClaimer); ok {
		if file, err := rc.recentClaimed(mb.user.name, mb.name, m); err == nil {
			m.setFile(file)
		}
	}
}

// recentClaimed moves m from new/ to cur/, as Dovecot does once a session
// has seen it: a file in new/ is what Maildir calls not yet seen by any
// reader, which IMAP shows as \Recent.
func (p *maildirPersister) recentClaimed(user, mailbox string, m *Message) (string, error) {
	w := p.w
	w.mu.Lock()
	defer w.mu.Unlock()
	mdir, st, err := w.folder(user, mailbox)
	if err != nil {
		return "", err
	}
	f, ok, err := w.findMessage(mdir, m)
	switch {
	case err != nil:
		return "", err
	case !ok:
		return m.file, nil
	case !f.inNew:
		return f.name, nil
	}
	base, _ := splitInfo(f.name)
	info, err := w.info(mdir, st, m.flags)
	if err != nil {
		return "", err
	}
	name := base + ":2," + info
	if err := hackpadfs.Rename(w.fsys, f.path(mdir), join(mdir, "cur", name)); err != nil {
		return "", err
	}
	w.noteOwnChange(mdir, st)
	return name, nil
}
