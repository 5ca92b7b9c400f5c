package mailstore

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hack-pad/hackpadfs"
)

// maildirHost is the host part of the file names this lab writes.
const maildirHost = "maillab"

// fileCounter makes file names unique within the process, as the
// "P<pid>" and "Q<delivery>" parts do in other deliverers' names.
var fileCounter atomic.Uint64

// maildirWriter writes into one Maildir++ tree. Every write goes to a tmp/
// directory first and is renamed into place, so a reader never sees half a
// file. All paths come from userDir and mailboxDir, which refuse names that
// could lead outside the tree. One mutex serializes the writes.
type maildirWriter struct {
	mu      sync.Mutex
	fsys    hackpadfs.FS
	dir     string
	err     error // a bad dir: every write fails with it
	now     func() time.Time
	folders map[string]*folderState // by Maildir path
	staged  map[*Message]stagedFile // written to tmp/ ahead of PutMessage
}

// folderState is what the writer knows of one Maildir's Dovecot files.
type folderState struct {
	list       *uidList
	keywords   []string
	extra      map[string][]string // keywords beyond the 26 letters, by base name
	listOnDisk bool                // dovecot-uidlist exists and records every UID in list
	unwritten  []uidLine           // given since dovecot-uidlist was last written
	stale      int                 // lines in dovecot-uidlist whose file is gone
	ready      bool                // cur, new and tmp exist
	// ownCur and ownNew are the modification times of cur/ and new/
	// right after this writer last changed them (maildir_sync.go).
	ownCur, ownNew time.Time
}

func newMaildirWriter(fsys hackpadfs.FS, dir string) *maildirWriter {
	return &maildirWriter{fsys: fsys, dir: dir, err: checkDir(dir), now: time.Now, folders: map[string]*folderState{},
		staged: map[*Message]stagedFile{}}
}

// folder returns the Maildir of a user's mailbox and its state, read from
// disk the first time.
func (w *maildirWriter) folder(user, mailbox string) (string, *folderState, error) {
	if w.err != nil {
		return "", nil, w.err
	}
	mdir, err := mailboxDir(w.dir, user, mailbox)
	if err != nil {
		return "", nil, err
	}
	if st, ok := w.folders[mdir]; ok {
		return mdir, st, nil
	}
	scan, err := scanFolder(w.fsys, mdir)
	if err != nil {
		return "", nil, err
	}
	_, statErr := hackpadfs.Stat(w.fsys, join(mdir, uidlistFile))
	st := &folderState{list: scan.list, keywords: scan.keywords, extra: scan.extra, listOnDisk: statErr == nil && scan.badList == nil}
	w.folders[mdir] = st
	return mdir, st, nil
}

// ensureMaildir creates cur, new and tmp (and the Maildir++ folder marker)
// before anything is renamed into them: a rename into a missing directory
// is not an error on every file system this runs on.
func (w *maildirWriter) ensureMaildir(mdir string, st *folderState) error {
	if st.ready {
		return nil
	}
	// Folders are ".name" directories; INBOX is the user's directory,
	// whose name cannot start with a dot.
	isFolder := strings.HasPrefix(path.Base(mdir), diskSep)
	for _, sub := range []string{"cur", "new", "tmp"} {
		if err := hackpadfs.MkdirAll(w.fsys, join(mdir, sub), 0o700); err != nil {
			return err
		}
	}
	if isFolder {
		marker := join(mdir, folderMarker)
		if _, err := hackpadfs.Stat(w.fsys, marker); errors.Is(err, fs.ErrNotExist) {
			if err := hackpadfs.WriteFullFile(w.fsys, marker, nil, 0o600); err != nil {
				return err
			}
		}
	}
	st.ready = true
	return nil
}

// writeAtomic writes data to tmpDir and renames it to final.
func (w *maildirWriter) writeAtomic(tmpDir, final string, data []byte) error {
	tmp := join(tmpDir, fmt.Sprintf(".%d.%d.tmp", w.now().UnixNano(), fileCounter.Add(1)))
	if err := hackpadfs.WriteFullFile(w.fsys, tmp, data, 0o600); err != nil {
		return err
	}
	if err := hackpadfs.Rename(w.fsys, tmp, final); err != nil {
		_ = hackpadfs.Remove(w.fsys, tmp)
		return err
	}
	return nil
}

// writeFolderFile replaces one of a Maildir's own files (dovecot-uidlist,
// dovecot-keywords, subscriptions) through its tmp/.
func (w *maildirWriter) writeFolderFile(mdir string, st *folderState, name string, data []byte) error {
	if err := w.ensureMaildir(mdir, st); err != nil {
		return err
	}
	return w.writeAtomic(join(mdir, "tmp"), join(mdir, name), data)
}

// uidLine is one line of dovecot-uidlist.
type uidLine struct {
	uid  uint32
	base string
}

func (w *maildirWriter) writeUIDList(mdir string, st *folderState) error {
	if err := w.writeFolderFile(mdir, st, uidlistFile, st.list.format()); err != nil {
		return err
	}
	st.listOnDisk, st.unwritten, st.stale = true, nil, 0
	return nil
}

// syncUIDList brings dovecot-uidlist up to date. New UIDs are appended to
// it, as Dovecot appends them, rather than rewriting the whole list on
// every delivery; readers take the next UID as one past the highest line
// when that is above the header's. The list is rewritten whole when it is
// new, when UIDVALIDITY changed, or when most of its lines are stale.
func (w *maildirWriter) syncUIDList(mdir string, st *folderState, validityChanged bool) error {
	if !st.listOnDisk || validityChanged || st.stale > len(st.list.uids) {
		return w.writeUIDList(mdir, st)
	}
	if len(st.unwritten) == 0 {
		return nil
	}
	var b strings.Builder
	for _, l := range st.unwritten {
		fmt.Fprintf(&b, "%d :%s\n", l.uid, l.base)
	}
	f, err := hackpadfs.OpenFile(w.fsys, join(mdir, uidlistFile), hackpadfs.FlagWriteOnly|hackpadfs.FlagAppend, 0o600)
	if err != nil {
		return w.writeUIDList(mdir, st)
	}
	_, err = hackpadfs.WriteFile(f, []byte(b.String()))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	st.unwritten = nil
	return nil
}

// info turns flags into a ":2," info suffix, recording new keywords in
// dovecot-keywords first so the letters mean the same to the next reader.
func (w *maildirWriter) info(mdir string, st *folderState, flags []string) (string, error) {
	info, added := infoFromFlags(flags, &st.keywords)
	if added {
		if err := w.writeFolderFile(mdir, st, keywordsFile, formatKeywords(st.keywords)); err != nil {
			return "", err
		}
	}
	return info, nil
}

// putMessage writes m into a Maildir: to tmp/ under a unique name (unless
// stageMessage already did), then renamed to new/ when it has no flags (a
// new, unseen delivery) or to cur/ with its flags. It returns the file
// name and records the UID.
func (w *maildirWriter) putMessage(mdir string, st *folderState, m *Message, flags []string) (name string, err error) {
	if err := w.ensureMaildir(mdir, st); err != nil {
		return "", err
	}
	base, staged := w.takeStaged(mdir, m)
	var data []byte
	if !staged {
		raw := m.Raw()
		data = ToLF(raw)
		if base, err = w.uniqueBase(mdir, st, len(data), len(raw)); err != nil {
			return "", err
		}
	}
	tmp := join(mdir, "tmp", base)
	defer func() {
		if err != nil {
			_ = hackpadfs.Remove(w.fsys, tmp)
		}
	}()
	info, err := w.info(mdir, st, flags)
	if err != nil {
		return "", err
	}
	if err := w.keepExtraKeywords(mdir, st, base, flags); err != nil {
		return "", err
	}
	if !staged {
		if err := w.writeMessageFile(tmp, data, m.InternalDate()); err != nil {
			return "", err
		}
	}
	name, sub := base, "new"
	if len(flags) > 0 {
		name, sub = base+":2,"+info, "cur"
	}
	if err := hackpadfs.Rename(w.fsys, tmp, join(mdir, sub, name)); err != nil {
		return "", err
	}
	st.list.uids[base] = m.uid
	st.unwritten = append(st.unwritten, uidLine{m.uid, base})
	if m.uid >= st.list.next {
		st.list.next = m.uid + 1
	}
	return name, nil
}

// writeMessageFile writes a new message's file in tmp/ and flushes it to
// the disk before it is renamed into place and the client told it is
// stored, as Dovecot's default mail_fsync=optimized does for new mail; flag
// renames, removals and Dovecot's own files are not flushed, as there. A
// file system without fsync (memory, the browser's IndexedDB) just
// writes. Maildir keeps the internal date in the modification time; a
// file system that cannot set it still has the time in the file name.
// It needs no lock: the name is unique.
func (w *maildirWriter) writeMessageFile(tmp string, data []byte, date time.Time) error {
	f, err := hackpadfs.OpenFile(w.fsys, tmp, hackpadfs.FlagWriteOnly|hackpadfs.FlagCreate|hackpadfs.FlagTruncate, 0o600)
	if err != nil {
		return err
	}
	_, err = hackpadfs.WriteFile(f, data)
	if err == nil {
		if serr := hackpadfs.SyncFile(f); !errors.Is(serr, hackpadfs.ErrNotImplemented) {
			err = serr
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = hackpadfs.Remove(w.fsys, tmp)
		return err
	}
	_ = hackpadfs.Chtimes(w.fsys, tmp, date, date)
	return nil
}

// uniqueBase names a new file "<time>.M<usec>P<n>.maillab,S=<size>,W=<size>",
// S being the size on disk and W the CRLF size, as Dovecot names them. The
// name is checked, because not every file system honours O_EXCL: against
// the names the folder's UID list knows and the files in tmp/ and new/
// (a file in cur/ carries flags after its base name, and is in the list).
func (w *maildirWriter) uniqueBase(mdir string, st *folderState, size, wireSize int) (string, error) {
	for range 100 {
		now := w.now()
		base := fmt.Sprintf("%d.M%dP%d.%s,S=%d,W=%d", now.Unix(), now.Nanosecond()/1000, fileCounter.Add(1), maildirHost, size, wireSize)
		if !w.taken(mdir, st, base) {
			return base, nil
		}
	}
	return "", fmt.Errorf("%s: no unique file name found", mdir)
}

func (w *maildirWriter) taken(mdir string, st *folderState, base string) bool {
	if _, ok := st.list.uids[base]; ok {
		return true
	}
	for _, sub := range []string{"tmp", "new"} {
		if _, err := hackpadfs.Stat(w.fsys, join(mdir, sub, base)); err == nil {
			return true
		}
	}
	return false
}

// findMessage finds m's file in cur/ or new/. The name the store keeps
// may be out of date: another program on the same Maildir (a mail client
// over Dovecot, mutt) renames a file to change its flags after ":2,", and
// moves it from new/ to cur/ once it has seen it. What names a message in
// a Maildir is the base name before the info, so that is what is looked
// for when the kept name is not there. ok is false when no file of m is
// left; err is an I/O error that kept the file from being found, which
// must not pass for "already gone".
func (w *maildirWriter) findMessage(mdir string, m *Message) (f folderFile, ok bool, err error) {
	if m.file == "" || strings.ContainsAny(m.file, "/\x00") || m.file == "." || m.file == ".." {
		return folderFile{}, false, nil
	}
	for _, inNew := range []bool{false, true} {
		f := folderFile{name: m.file, inNew: inNew}
		_, err := hackpadfs.Stat(w.fsys, f.path(mdir))
		switch {
		case err == nil:
			return f, true, nil
		case !errors.Is(err, fs.ErrNotExist):
			return folderFile{}, false, err
		}
	}
	base, _ := splitInfo(m.file)
	for _, inNew := range []bool{false, true} {
		sub := "cur"
		if inNew {
			sub = "new"
		}
		entries, err := hackpadfs.ReadDir(w.fsys, join(mdir, sub))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			return folderFile{}, false, err
		}
		for _, e := range entries {
			if b, _ := splitInfo(e.Name()); b == base && !e.IsDir() {
				return folderFile{name: e.Name(), inNew: inNew}, true, nil
			}
		}
	}
	return folderFile{}, false, nil
}

// setFlags renames m's file to carry flags; a file still in new/ moves to
// cur/ once it has any.
func (w *maildirWriter) setFlags(mdir string, st *folderState, m *Message, flags []string) (string, error) {
	f, ok, err := w.findMessage(mdir, m)
	if err != nil {
		return "", err
	}
	if !ok {
		// Not on disk (the store was filled before this Maildir was
		// attached): write it now, so the change is not lost.
		return w.putMessage(mdir, st, m, flags)
	}
	base, _ := splitInfo(f.name)
	info, err := w.info(mdir, st, flags)
	if err != nil {
		return "", err
	}
	if err := w.keepExtraKeywords(mdir, st, base, flags); err != nil {
		return "", err
	}
	name, sub := base+":2,"+info, "cur"
	if f.inNew && len(flags) == 0 {
		name, sub = f.name, "new"
	}
	dst := join(mdir, sub, name)
	if dst == f.path(mdir) {
		return name, nil
	}
	if err := hackpadfs.Rename(w.fsys, f.path(mdir), dst); err != nil {
		return "", err
	}
	return name, nil
}

// stagedFile is a new message's file written to a Maildir's tmp/ before
// the message was stored.
type stagedFile struct {
	mdir, base string
}

// stageMessage writes m's file to the folder's tmp/, flushed to the disk,
// before the store's lock is taken (Mailbox.stage): the write and its
// fsync are the slow part of storing a message, and under the lock they
// would hold up every session. PutMessage then only renames it. Only the
// choice of the name takes the writer's lock. A folder without tmp/ is not
// created here: the mailbox may have been deleted meanwhile, and its
// message is then written, or refused, under the lock.
func (p *maildirPersister) stageMessage(user, mailbox string, m *Message) error {
	w := p.w
	raw := m.Raw()
	data := ToLF(raw)
	w.mu.Lock()
	mdir, st, err := w.folder(user, mailbox)
	if err == nil && !st.ready {
		_, err = hackpadfs.Stat(w.fsys, join(mdir, "tmp"))
	}
	var base string
	if err == nil {
		base, err = w.uniqueBase(mdir, st, len(data), len(raw))
	}
	w.mu.Unlock()
	if err != nil {
		return err
	}
	if err := w.writeMessageFile(join(mdir, "tmp", base), data, m.InternalDate()); err != nil {
		return err
	}
	w.mu.Lock()
	w.staged[m] = stagedFile{mdir, base}
	w.mu.Unlock()
	return nil
}

// unstage removes the files staged for msgs that were not stored.
func (p *maildirPersister) unstage(msgs []*Message) {
	w := p.w
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, m := range msgs {
		if f, ok := w.staged[m]; ok {
			delete(w.staged, m)
			_ = hackpadfs.Remove(w.fsys, join(f.mdir, "tmp", f.base))
		}
	}
}

// takeStaged returns the base name of m's file staged in mdir's tmp/, if
// there is one, and forgets it. A file staged in another folder (the
// mailbox was renamed in between) is not used; unstage removes it.
func (w *maildirWriter) takeStaged(mdir string, m *Message) (string, bool) {
	f, ok := w.staged[m]
	if !ok || f.mdir != mdir {
		return "", false
	}
	delete(w.staged, m)
	return f.base, true
}
