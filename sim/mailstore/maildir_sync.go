package mailstore

// Noticing what other programs do to a Maildir while the store serves it:
// an MTA's delivery agent (Dovecot's dovecot-lda, procmail) dropping a
// file into new/, a mail client over another server renaming a file in
// cur/ for its flags, or removing it. Dovecot notices such changes when a
// session asks for updates (NOOP, CHECK, IDLE, the end of a command) by
// looking at the modification times of cur/ and new/ and reading them
// again when they moved; so does this. What changed is made in the store
// and announced to the watching sessions as their own changes are: EXISTS,
// EXPUNGE, FETCH (FLAGS).
//
// What the disk is compared with: with a persister attached (labserver
// -persist) the store and the folder agree after every change, so the
// store's messages are the baseline. Without one, the store's changes stay
// in memory, so the baseline is what the folder held at the last look: a
// file removed there removes its message here, a message expunged here
// and still there does not come back.

import (
	"errors"
	"io/fs"
	"slices"
	"sort"
	"time"

	"github.com/hack-pad/hackpadfs"
)

// dirtyWindow is how recent a directory's modification time must be for
// it to be read again even though the time has not moved: a file system
// keeps times with a coarse clock, and two changes within one tick leave
// one time (Dovecot reads a recently changed folder again for the same
// reason).
const dirtyWindow = 2 * time.Second

// diskSync is the store's view of the folders it watches on disk.
type diskSync struct {
	fsys    hackpadfs.FS
	dir     string
	folders map[*Mailbox]*folderSeen
}

// folderSeen is what was seen of one mailbox's folder.
type folderSeen struct {
	mdir           string
	curMod, newMod time.Time         // cur/'s and new/'s modification times at the last look
	readAt         time.Time         // when the directories were last read
	files          map[string]string // without a persister: base name -> file name at the last look
	// loaded are the messages as the folder was loaded, the last look
	// until the folder is read again: files is made of them then, so a
	// large folder nobody changes costs no map.
	loaded []*Message
}

// SyncMaildir makes the store notice changes other programs make to the
// Maildir++ tree at dir in fsys, the tree it was loaded from
// (LoadMaildir): new files, files removed, flags renamed. The store looks
// at a mailbox's folder when a session takes its changes, selects it,
// asks for its STATUS or opens it as a POP3 maildrop; RefreshWatched looks
// at every mailbox a session watches (for IDLE).
func (s *Store) SyncMaildir(fsys hackpadfs.FS, dir string) error {
	if err := checkDir(dir); err != nil {
		return err
	}
	s.waitLoaded()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.syncMaildirLocked(fsys, dir)
	return nil
}

func (s *Store) syncMaildirLocked(fsys hackpadfs.FS, dir string) {
	d := &diskSync{fsys: fsys, dir: dir, folders: map[*Mailbox]*folderSeen{}}
	for _, u := range s.users {
		for _, mb := range u.boxes {
			// The load listed the folder: until its directories change,
			// that look stands (mustRead).
			seen := &folderSeen{readAt: mb.listed}
			if s.persist == nil {
				seen.loaded = slices.Clone(mb.msgs)
			}
			if mdir, err := mailboxDir(dir, u.name, mb.name); err == nil {
				seen.mdir = mdir
				seen.curMod, seen.newMod = d.modTimes(mdir)
			}
			d.folders[mb] = seen
		}
	}
	s.disk = d
}

// diskWatcher is what the store calls to look at a mailbox's folder. It is
// an interface so that a program that never calls SyncMaildir (the browser
// lab) does not carry the code.
type diskWatcher interface {
	refreshLocked(mb *Mailbox)
}

// refreshLocked looks at mb's folder, if the store watches a tree.
func (mb *Mailbox) refreshLocked() {
	if d := mb.user.store.disk; d != nil {
		d.refreshLocked(mb)
	}
}

// RefreshWatched looks at the folder of every mailbox some session
// watches, so that a session in IDLE hears of a delivery without asking.
// A host calls it now and then (labserver: every second).
func (s *Store) RefreshWatched() {
	if !s.loaded() {
		return // no session watches a mailbox yet
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.disk == nil {
		return
	}
	for _, u := range s.users {
		for _, mb := range u.boxes {
			if len(mb.watchers) > 0 {
				mb.refreshLocked()
			}
		}
	}
}

func (d *diskSync) modTimes(mdir string) (cur, new time.Time) {
	if fi, err := hackpadfs.Stat(d.fsys, join(mdir, "cur")); err == nil {
		cur = fi.ModTime()
	}
	if fi, err := hackpadfs.Stat(d.fsys, join(mdir, "new")); err == nil {
		new = fi.ModTime()
	}
	return cur, new
}

// diskFile is one message file found at a look. Its size and date are
// asked for only when it is new to the store: a look at a large folder
// reads the directories and nothing more.
type diskFile struct {
	name  string
	inNew bool
	entry fs.DirEntry
}

// refreshLocked brings mb in step with its folder, if the folder changed
// since the last look. It is best effort: a folder that cannot be read is
// left for the next look, and nothing is ever removed because a directory
// could not be listed.
func (d *diskSync) refreshLocked(mb *Mailbox) {
	if mb.deleted || mb.unreadable != nil {
		return
	}
	seen := d.folders[mb]
	mdir, err := mailboxDir(d.dir, mb.user.name, mb.name)
	if err != nil {
		return
	}
	if seen == nil || seen.mdir != mdir {
		// A mailbox created or renamed since: its folder, if any, is
		// new to the store, and so is everything in it.
		seen = &folderSeen{mdir: mdir, files: map[string]string{}}
		d.folders[mb] = seen
	}
	cur, new := d.modTimes(mdir)
	if cur.IsZero() || !d.mustRead(mb, seen, cur, new) {
		return
	}
	readAt := time.Now()
	files, ok := d.list(mdir)
	if !ok {
		return
	}
	seen.curMod, seen.newMod, seen.readAt = cur, new, readAt
	var keywords []string
	if data, err := hackpadfs.ReadFile(d.fsys, join(mdir, keywordsFile)); err == nil {
		keywords = parseKeywords(data)
	}
	var extra map[string][]string
	if data, err := hackpadfs.ReadFile(d.fsys, join(mdir, extraKeywordsFile)); err == nil {
		extra = parseExtraKeywords(data)
	}
	diskFlags := func(f diskFile) []string {
		base, info := splitInfo(f.name)
		return withExtraKeywords(flagsFromInfo(info, keywords), extra, base)
	}
	persist := mb.user.store.persist
	if persist != nil {
		d.syncWithMessagesLocked(mb, mdir, files, diskFlags)
		return
	}
	d.syncWithLastLookLocked(mb, mdir, seen, files, diskFlags)
}

// mustRead decides whether the directories must be read again. Not when
// their times are those of the last look and that look came after they
// settled (dirtyWindow). Not more than once a second when the last change
// to them was the store's own (a persister's write): a change by another
// program just before it, or within the same tick of the file system's
// clock, can only be found by reading, and a delay of up to a second for
// that keeps a client that sets flags on a large mailbox from having it
// read at every command (BenchmarkRefresh10k).
func (d *diskSync) mustRead(mb *Mailbox, seen *folderSeen, cur, new time.Time) bool {
	newest := cur
	if new.After(newest) {
		newest = new
	}
	if cur.Equal(seen.curMod) && new.Equal(seen.newMod) && seen.readAt.After(newest.Add(dirtyWindow)) {
		return false
	}
	if o, ok := mb.user.store.persist.(interface {
		ownChange(user, mailbox string) (cur, new time.Time, ok bool)
	}); ok {
		oc, on, ok := o.ownChange(mb.user.name, mb.name)
		if ok && cur.Equal(oc) && new.Equal(on) && time.Since(seen.readAt) < time.Second {
			return false
		}
	}
	return true
}

// noteOwnChange records the times of cur/ and new/ right after the writer
// changed them.
func (w *maildirWriter) noteOwnChange(mdir string, st *folderState) {
	if fi, err := hackpadfs.Stat(w.fsys, join(mdir, "cur")); err == nil {
		st.ownCur = fi.ModTime()
	}
	if fi, err := hackpadfs.Stat(w.fsys, join(mdir, "new")); err == nil {
		st.ownNew = fi.ModTime()
	}
}

// ownChange is the times noteOwnChange recorded for a mailbox's folder.
func (p *maildirPersister) ownChange(user, mailbox string) (cur, new time.Time, ok bool) {
	w := p.w
	w.mu.Lock()
	defer w.mu.Unlock()
	mdir, err := mailboxDir(w.dir, user, mailbox)
	if err != nil {
		return cur, new, false
	}
	st, ok := w.folders[mdir]
	if !ok || st.ownCur.IsZero() {
		return cur, new, false
	}
	return st.ownCur, st.ownNew, true
}

// list reads cur/ and new/: base name -> file. ok is false when either
// could not be read (a missing new/ is an empty one).
func (d *diskSync) list(mdir string) (map[string]diskFile, bool) {
	out := map[string]diskFile{}
	for _, sub := range []string{"new", "cur"} {
		entries, err := hackpadfs.ReadDir(d.fsys, join(mdir, sub))
		if errors.Is(err, fs.ErrNotExist) && sub == "new" {
			continue
		}
		if err != nil {
			return nil, false
		}
		for _, e := range entries {
			if e.IsDir() || e.Name() == "" || e.Name()[0] == '.' {
				continue
			}
			base, _ := splitInfo(e.Name())
			if _, dup := out[base]; dup && sub == "cur" {
				continue // the same message in new/ and cur/: keep one
			}
			out[base] = diskFile{name: e.Name(), inNew: sub == "new", entry: e}
		}
	}
	return out, true
}

// syncWithMessagesLocked compares the folder with the store's messages
// (a persister keeps them in step): files without a message are new mail,
// messages without a file were removed, other flags were renamed.
func (d *diskSync) syncWithMessagesLocked(mb *Mailbox, mdir string, files map[string]diskFile, diskFlags func(diskFile) []string) {
	known := map[string]bool{}
	var gone []uint32
	for _, m := range mb.msgs {
		if m.file == "" {
			continue
		}
		base, _ := splitInfo(m.file)
		known[base] = true
		f, ok := files[base]
		if !ok {
			gone = append(gone, m.uid)
			continue
		}
		if f.name == m.file {
			continue // the name holds the flags: unchanged
		}
		m.setFile(f.name)
		if flags := diskFlags(f); !slices.Equal(flags, m.flags) {
			m.flags = flags
			mb.broadcastLocked(Change{Kind: FlagsChanged, UID: m.uid, Flags: m.flagsCopy()}, nil)
		}
	}
	d.removeLocked(mb, gone)
	var arrived []string
	for base := range files {
		if !known[base] {
			arrived = append(arrived, base)
		}
	}
	d.adoptLocked(mb, mdir, arrived, files, diskFlags)
}

// syncWithLastLookLocked compares the folder with what it held at the last
// look, and makes in the store only what changed there since.
func (d *diskSync) syncWithLastLookLocked(mb *Mailbox, mdir string, seen *folderSeen, files map[string]diskFile, diskFlags func(diskFile) []string) {
	if seen.files == nil {
		seen.files = make(map[string]string, len(seen.loaded))
		for _, m := range seen.loaded {
			if m.file != "" {
				base, _ := splitInfo(m.file)
				seen.files[base] = m.file
			}
		}
		seen.loaded = nil
	}
	byBase := map[string]*Message{}
	for _, m := range mb.msgs {
		if m.file != "" {
			base, _ := splitInfo(m.file)
			byBase[base] = m
		}
	}
	var gone []uint32
	var arrived []string
	for base, was := range seen.files {
		f, ok := files[base]
		m := byBase[base]
		switch {
		case !ok && m != nil:
			gone = append(gone, m.uid)
		case ok && m != nil && f.name != was:
			m.setFile(f.name)
			if flags := diskFlags(f); !slices.Equal(flags, diskFlags(diskFile{name: was})) && !slices.Equal(flags, m.flags) {
				m.flags = flags
				mb.broadcastLocked(Change{Kind: FlagsChanged, UID: m.uid, Flags: m.flagsCopy()}, nil)
			}
		}
	}
	for base := range files {
		if _, ok := seen.files[base]; !ok && byBase[base] == nil {
			arrived = append(arrived, base)
		}
	}
	d.removeLocked(mb, gone)
	d.adoptLocked(mb, mdir, arrived, files, diskFlags)
	seen.files = make(map[string]string, len(files))
	for base, f := range files {
		seen.files[base] = f.name
	}
}

// removeLocked takes the messages whose files are gone out of the store.
func (d *diskSync) removeLocked(mb *Mailbox, uids []uint32) {
	if len(uids) == 0 {
		return
	}
	p := mb.user.store.persist
	mb.msgs = slices.DeleteFunc(mb.msgs, func(m *Message) bool {
		if !slices.Contains(uids, m.uid) {
			return false
		}
		if p != nil {
			_ = p.RemoveMessage(mb.user.name, mb.name, m) // forgets its UID line
		}
		return true
	})
	for _, uid := range uids {
		mb.broadcastLocked(Change{Kind: Expunged, UID: uid}, nil)
	}
}

// adoptLocked makes messages of files that appeared in the folder. A file
// the folder's dovecot-uidlist gives a UID the store has not used yet
// (Dovecot's delivery agent numbers what it delivers) keeps it; others
// get the next UIDs in file name order, as LoadMaildir numbers them.
func (d *diskSync) adoptLocked(mb *Mailbox, mdir string, bases []string, files map[string]diskFile, diskFlags func(diskFile) []string) {
	if len(bases) == 0 {
		return
	}
	var list *uidList
	if data, err := hackpadfs.ReadFile(d.fsys, join(mdir, uidlistFile)); err == nil {
		list, _ = parseUIDList(data)
	}
	uidOf := func(base string) uint32 {
		if list != nil && list.uids[base] >= mb.uidNext {
			return list.uids[base]
		}
		return 0
	}
	sort.Slice(bases, func(i, j int) bool {
		ui, uj := uidOf(bases[i]), uidOf(bases[j])
		if (ui == 0) != (uj == 0) {
			return uj == 0
		}
		return ui < uj || ui == uj && bases[i] < bases[j]
	})
	p := mb.user.store.persist
	for _, base := range bases {
		f := files[base]
		info, err := f.entry.Info()
		if err != nil || info.Size() > MaxMessageSize {
			continue
		}
		raw, err := hackpadfs.ReadFile(d.fsys, folderFile{name: f.name, inNew: f.inNew}.path(mdir))
		if err != nil || len(raw) > MaxMessageSize {
			continue
		}
		m := &Message{body: inMemory(ToCRLF(raw), fileDate(f.entry)), flags: diskFlags(f), file: f.name}
		m.uid = mb.uidNext
		listed := false
		if u := uidOf(base); u >= mb.uidNext {
			m.uid, listed = u, true
		}
		if p != nil {
			if a, ok := p.(interface {
				adopted(user, mailbox, base string, uid uint32, listed bool)
			}); ok {
				a.adopted(mb.user.name, mb.name, base, m.uid, listed)
			}
			_ = p.SetMailboxState(mb.user.name, mb.name, mb.uidValidity, m.uid+1)
		}
		mb.uidNext = m.uid + 1
		mb.msgs = append(mb.msgs, m)
		mb.announceLocked(m, f.inNew, nil)
	}
}

// adopted records a file another program put into the folder under uid;
// unless its dovecot-uidlist already lists it, the line is added there at
// the next write.
func (p *maildirPersister) adopted(user, mailbox, base string, uid uint32, listed bool) {
	w := p.w
	w.mu.Lock()
	defer w.mu.Unlock()
	_, st, err := w.folder(user, mailbox)
	if err != nil {
		return
	}
	st.list.uids[base] = uid
	if !listed {
		st.unwritten = append(st.unwritten, uidLine{uid, base})
	}
	if uid >= st.list.next {
		st.list.next = uid + 1
	}
}
