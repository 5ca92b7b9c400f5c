package mailstore

import (
	"cmp"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/hack-pad/hackpadfs"
)

// LoadMaildir reads a Maildir++ tree (see maildir.go for the layout) into a
// new in-memory store. dir is relative to fsys ("." for its root). UIDs and
// UIDVALIDITY come from dovecot-uidlist when a folder has one; other files
// get UIDs in base-name order after those, as Dovecot gives them, and a
// folder without one gets a UIDVALIDITY made of its file names, the same
// at every load of the same files (folderValidity). Messages
// in new/ are \Recent. The tree is only read: attach NewMaildirPersister to
// write changes back.
func LoadMaildir(fsys hackpadfs.FS, dir string) (*Store, error) {
	if openForTests != nil {
		return openForTests(fsys, dir)
	}
	return loadMaildir(fsys, dir, nil)
}

// openForTests, when set, opens the tree in LoadMaildir's place: the
// package's tests run the Maildir tests a second time with OpenMaildir.
var openForTests func(hackpadfs.FS, string) (*Store, error)

// inFileMaker prepares to keep the n messages of the folder at mdir in
// their files: the func it returns makes the content of one; nil:
// messages are read whole at load.
type inFileMaker func(mdir string, n int) func(f folderFile) content

// OpenMaildir is LoadMaildir for a large Maildir on a real disk: start
// reads the directory listings and dovecot-uidlist, not the messages.
// The store keeps each message's UID, flags, internal date and file
// name; it reads a message's content from its file when asked, keeping
// at most cacheBytes octets of content in memory (0: DefaultBodyCache),
// and keeps the size, ENVELOPE and BODYSTRUCTURE it has made. A message
// added later (APPEND, delivery, COPY) is held in memory as LoadMaildir
// holds all.
func OpenMaildir(fsys hackpadfs.FS, dir string, cacheBytes int) (*Store, error) {
	return loadMaildir(fsys, dir, inFiles(fsys, cacheBytes))
}

// inFiles keeps messages in their files, sharing one content cache of
// cacheBytes octets (0: DefaultBodyCache). A folder's messages are made in
// one block each of what they keep (see onDisk), for the load's speed and
// the index's size; a message removed later leaves its few octets there.
func inFiles(fsys hackpadfs.FS, cacheBytes int) inFileMaker {
	cache := newBodyCache(cacheBytes)
	return func(mdir string, n int) func(f folderFile) content {
		folder := &diskFolder{fsys: fsys, mdir: mdir, cache: cache, envs: make([]string, n)}
		disks, names := make([]onDisk, n), make([]string, n)
		i := 0
		return func(f folderFile) content {
			d := &disks[i]
			names[i] = f.name
			d.init(folder, i, &names[i], f)
			i++
			return d
		}
	}
}

func loadMaildir(fsys hackpadfs.FS, dir string, inFile inFileMaker) (*Store, error) {
	s, folders, err := openTree(fsys, dir)
	if err != nil {
		return nil, err
	}
	boxes := make([]*Mailbox, len(folders))
	for i, f := range folders {
		if boxes[i], err = loadMailbox(fsys, f.mdir, f.user, f.name, inFile); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.installLocked(folders, boxes)
	return s, nil
}

// treeFolder is one mailbox's folder found in a user's directory.
type treeFolder struct {
	user *User
	name string // the mailbox
	mdir string
}

// openTree reads what a Maildir++ tree says without its messages: the
// accounts, the aliases, each user's subscriptions and the folders that
// are mailboxes. The store is not yet shared, but its lock is taken so
// the race detector sees a clean handover.
func openTree(fsys hackpadfs.FS, dir string) (*Store, []treeFolder, error) {
	if err := checkDir(dir); err != nil {
		return nil, nil, err
	}
	passwd := join(dir, passwdFile)
	data, err := hackpadfs.ReadFile(fsys, passwd)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil, fmt.Errorf("%s is missing: a Maildir++ tree for this lab starts with a passwd file of name:{PLAIN}password lines", passwd)
	case err != nil:
		return nil, nil, fmt.Errorf("reading the account list %s: %w", passwd, err)
	}
	entries, err := ParsePasswd(data)
	if err != nil && dir != "." {
		return nil, nil, fmt.Errorf("maildir %q: %w", dir, err)
	}
	if err != nil {
		return nil, nil, err // it names the passwd file and the line
	}
	s := New()
	switch text, err := hackpadfs.ReadFile(fsys, join(dir, aliasesFile)); {
	case err == nil:
		s.SetAliases(string(text))
	case !errors.Is(err, fs.ErrNotExist):
		return nil, nil, fmt.Errorf("reading the aliases %s: %w", join(dir, aliasesFile), err)
	}
	var folders []treeFolder
	for _, e := range entries {
		u, err := s.AddUser(e.Name, e.Password)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: user %q: %w", passwd, e.Name, err)
		}
		found, err := openUser(fsys, dir, u)
		if err != nil {
			return nil, nil, err
		}
		folders = append(folders, found...)
	}
	return s, folders, nil
}

// openUser reads u's subscriptions and lists the folders of u's
// mailboxes.
func openUser(fsys hackpadfs.FS, dir string, u *User) ([]treeFolder, error) {
	ud, err := userDir(dir, u.name)
	if err != nil {
		return nil, err
	}
	folders := []treeFolder{{user: u, name: Inbox, mdir: ud}}
	list, err := hackpadfs.ReadDir(fsys, ud)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("reading %s: %w", ud, err)
	}
	for _, e := range list {
		if !e.IsDir() {
			continue
		}
		if name, ok := mailboxFromFolder(e.Name()); ok && name != Inbox {
			folders = append(folders, treeFolder{user: u, name: name, mdir: join(ud, e.Name())})
		}
	}
	var subs []string
	subsData, err := hackpadfs.ReadFile(fsys, join(ud, subsFile))
	switch {
	case err == nil:
		subs = parseSubscriptions(subsData)
	case errors.Is(err, fs.ErrNotExist):
		// No file, no subscriptions: Dovecot lists nothing then, not
		// even INBOX.
	default:
		return nil, fmt.Errorf("reading %s: %w", join(ud, subsFile), err)
	}
	s := u.store
	s.mu.Lock()
	defer s.mu.Unlock()
	u.subscribed = nil
	for _, n := range subs {
		if !slices.Contains(u.subscribed, n) {
			u.subscribed = append(u.subscribed, n)
		}
	}
	return folders, nil
}

// installLocked makes the loaded mailboxes the users'. Maildir++ may hold
// ".a.b" without ".a": then "a" is no mailbox, only a \Noselect level
// above one (see User.List), as Dovecot shows it.
func (s *Store) installLocked(folders []treeFolder, boxes []*Mailbox) {
	for i, f := range folders {
		f.user.boxes[f.name] = boxes[i]
		if v := boxes[i].uidValidity; v > s.uidSeed {
			s.uidSeed = v
		}
	}
}

func loadMailbox(fsys hackpadfs.FS, mdir string, u *User, name string, inFile inFileMaker) (*Mailbox, error) {
	listed := time.Now()
	scan, err := scanFolder(fsys, mdir)
	if err != nil {
		return nil, err
	}
	u.store.mu.Lock()
	mb := u.newMailbox(name)
	if scan.badList != nil {
		u.store.warnings = append(u.store.warnings,
			fmt.Errorf("%w; the folder's messages were numbered afresh, with a new UIDVALIDITY", scan.badList))
	}
	u.store.mu.Unlock()
	mb.uidValidity = scan.list.validity
	if mb.uidValidity == 0 {
		mb.uidValidity = folderValidity(scan.files)
	}
	mb.uidNext = scan.list.next
	mb.listed = listed
	mb.msgs = make([]*Message, len(scan.files))
	var keep func(folderFile) content
	var block []Message
	if inFile != nil {
		keep = inFile(mdir, len(scan.files))
		block = make([]Message, len(scan.files))
	}
	// Messages with the same info letters share one flags slice: the
	// store replaces a message's flags, never changes them in place.
	byInfo := map[string][]string{}
	for i, f := range scan.files {
		info := f.info()
		flags, ok := byInfo[info]
		if !ok {
			flags = slices.Clip(flagsFromInfo(info, scan.keywords))
			byInfo[info] = flags
		}
		m := &Message{}
		if block != nil {
			m = &block[i]
		}
		m.uid, m.recentFree, m.file = f.uid, f.inNew, f.name
		m.flags = withExtraKeywords(flags, scan.extra, f.base)
		if keep != nil {
			m.body = keep(f) // read when asked; its date too
		} else {
			raw, err := hackpadfs.ReadFile(fsys, f.path(mdir))
			if err != nil {
				return nil, fmt.Errorf("reading %s: %w", f.path(mdir), err)
			}
			m.body = inMemory(ToCRLF(raw), f.date())
		}
		mb.msgs[i] = m
	}
	if err := loadModSeqs(fsys, mdir, mb); err != nil {
		return nil, err
	}
	return mb, nil
}

// folderFile is one message file found in a Maildir.
type folderFile struct {
	uid   uint32
	name  string // file name, with any ":2," info
	base  string // name without the info
	inNew bool
	entry fs.DirEntry
}

// info is the flags part of the name, after ":2,".
func (f folderFile) info() string {
	_, info := splitInfo(f.name)
	return info
}

// date is the file's internal date (fileDate): a stat of the file.
func (f folderFile) date() time.Time { return fileDate(f.entry) }

func (f folderFile) path(mdir string) string {
	sub := "cur"
	if f.inNew {
		sub = "new"
	}
	return join(mdir, sub, f.name)
}

// folderScan is what a Maildir's directories and Dovecot files say.
type folderScan struct {
	list     *uidList // validity 0 when the folder has no usable dovecot-uidlist
	badList  error    // why its dovecot-uidlist could not be read, if so
	keywords []string
	extra    map[string][]string // maillab-keywords: keywords beyond the letters
	files    []folderFile        // ascending UID
}

// scanFolder lists a Maildir and gives every file its UID: the one
// dovecot-uidlist records for its base name, else the next free one, in
// file name order. LoadMaildir and the persister share it, so both number
// a folder without a dovecot-uidlist the same way.
func scanFolder(fsys hackpadfs.FS, mdir string) (*folderScan, error) {
	scan := &folderScan{list: &uidList{next: 1, uids: map[string]uint32{}}}
	if data, err := hackpadfs.ReadFile(fsys, join(mdir, uidlistFile)); err == nil {
		// A list that does not parse is rebuilt from the files, as
		// Dovecot rebuilds it, rather than keep the folder from loading.
		if l, err := parseUIDList(data); err != nil {
			scan.badList = fmt.Errorf("%s: %w", mdir, err)
		} else {
			scan.list = l
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("reading %s: %w", join(mdir, uidlistFile), err)
	}
	if data, err := hackpadfs.ReadFile(fsys, join(mdir, keywordsFile)); err == nil {
		scan.keywords = parseKeywords(data)
	}
	if data, err := hackpadfs.ReadFile(fsys, join(mdir, extraKeywordsFile)); err == nil {
		scan.extra = parseExtraKeywords(data)
	}
	var files []folderFile
	for _, sub := range []string{"new", "cur"} {
		list, err := listDir(fsys, join(mdir, sub))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("reading %s: %w", join(mdir, sub), err)
		}
		for _, e := range list {
			name := e.Name()
			if name == "" || name[0] == '.' || e.IsDir() {
				continue
			}
			base, _ := splitInfo(name)
			files = append(files, folderFile{name: name, base: base, inNew: sub == "new", entry: e})
		}
	}
	// Files are taken in base-name order: a file renamed for its flags,
	// or moved from new/ to cur/, keeps its place and so its UID. The
	// first name of a base (new/ and cur/ both hold it) is kept; the first
	// base the list gives a UID keeps it; files the list does not know get
	// the next UIDs in that order. Sorting by the listed UID, then by
	// name, gives that order wherever it matters, and a folder whose list
	// knows every file (one Dovecot or a persister keeps) is sorted by
	// numbers alone.
	// Pointers are sorted: they move faster than the entries, and the
	// browser's build has the sort for them already.
	order := make([]*folderFile, len(files))
	for i := range files {
		files[i].uid = scan.list.uids[files[i].base] // 0: not listed
		order[i] = &files[i]
	}
	byName := func(a, b *folderFile) int {
		if c := strings.Compare(a.base, b.base); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	}
	slices.SortFunc(order, func(a, b *folderFile) int {
		if c := cmp.Compare(a.uid, b.uid); c != 0 {
			return c
		}
		return byName(a, b)
	})
	known := make([]folderFile, 0, len(files))
	var unknown []*folderFile
	for i := 0; i < len(order); {
		j := i + 1
		for j < len(order) && order[j].uid == order[i].uid {
			j++
		}
		group := order[i:j]
		i = j
		if group[0].uid == 0 {
			unknown = append(unknown, group...)
			continue
		}
		known = append(known, *group[0])
		for _, f := range group[1:] {
			if f.base != group[0].base {
				unknown = append(unknown, f) // its UID is another's
			}
		}
	}
	slices.SortFunc(unknown, byName)
	for i, f := range unknown {
		if i > 0 && unknown[i-1].base == f.base {
			continue
		}
		f.uid = scan.list.next
		scan.list.uids[f.base] = f.uid
		scan.list.next++
		known = append(known, *f)
	}
	scan.files = known
	return scan, nil
}

// listDir lists a directory in the order the file system keeps it:
// os.ReadDir would sort a large folder's names only for scanFolder to
// sort them again.
func listDir(fsys hackpadfs.FS, dir string) ([]fs.DirEntry, error) {
	f, err := fsys.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	list, err := hackpadfs.ReadDirFile(f, -1)
	if errors.Is(err, hackpadfs.ErrNotImplemented) {
		return hackpadfs.ReadDir(fsys, dir)
	}
	return list, err
}

// folderValidity is the UIDVALIDITY of a folder without a
// dovecot-uidlist. Its files are numbered in base-name order, so the same
// files get the same UIDs at every load; a value made of those names
// stays too, and POP3 unique-ids and IMAP UIDs survive a restart (RFC 1939
// section 7), while any change to the files, which could renumber them,
// gives another one (RFC 3501 section 2.3.1.1). It stays below 10^9, under
// the clock-based values the store gives new mailboxes, which must keep
// increasing.
func folderValidity(files []folderFile) uint32 {
	h := fnv.New32a()
	for _, f := range files {
		h.Write([]byte(f.base))
		h.Write([]byte{0})
	}
	return 1 + h.Sum32()%999_999_999
}

// fileDate is a message's internal date: the file's modification time, as
// Dovecot uses it, or the Unix time its name starts with when the file
// system keeps no times (an embedded tree).
func fileDate(e fs.DirEntry) time.Time {
	if info, err := e.Info(); err == nil && !info.ModTime().IsZero() && info.ModTime().Unix() > 0 {
		return info.ModTime()
	}
	if t, ok := timeFromFileName(e.Name()); ok {
		return t
	}
	return time.Unix(0, 0).UTC()
}
