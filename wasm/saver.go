package main

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"path"
	"sort"
	"sync"
	"time"

	"github.com/hack-pad/hackpadfs"
	"github.com/hack-pad/hackpadfs/mem"
)

// Disk keeps the mailboxes across page loads (IndexedDB in the browser):
// a Maildir++ tree saved as whole files, changed only in atomic batches.
type Disk interface {
	// Load returns every saved entry.
	Load() ([]Entry, error)
	// Save applies one batch entirely or not at all.
	Save(Batch) error
}

// readOnly serves the tree saved on a disk without ever writing to it:
// the lab in a second tab, while the first keeps the mailboxes. What
// changes there lasts as long as the page.
type readOnly struct{ Disk }

func (readOnly) Save(Batch) error { return nil }

// pageOnly is a tree handed over or read that cannot be saved: IndexedDB
// is out of reach. What it holds lasts as long as the page.
type pageOnly struct{ Disk }

func (pageOnly) Save(Batch) error { return nil }

// kept reports whether what is saved on d outlasts the page.
func kept(d Disk) bool {
	_, pageLong := d.(pageOnly)
	return !pageLong
}

// presetDisk is a tree given at the start: what the page read from
// IndexedDB, or what the first module handed over.
type presetDisk struct{ entries []Entry }

func (d *presetDisk) Load() ([]Entry, error) {
	out := d.entries
	d.entries = nil
	return out, nil
}

func (d *presetDisk) Save(Batch) error { return nil }

// Entry is one saved file or directory of the tree.
type Entry struct {
	Path    string // relative, slash-separated: "melanie/cur/1.M1P1.maillab:2,S"
	Dir     bool
	ModTime time.Time // a message file's internal date (Maildir keeps it there)
	Data    []byte
}

// Batch is one change of the saved tree. Clear drops everything saved
// before. Put is in the order written; a batch that seeds a tree puts
// passwd last, so a tree that has passwd is complete.
type Batch struct {
	Clear  bool
	Put    []Entry
	Delete []string
}

// complete is the file a seeded tree has only once every other file is
// there: SaveMaildir writes it last, and so does the seeding batch.
const complete = "passwd"

// saver keeps a Disk in step with the in-memory Maildir++ tree the store
// writes through to. The store never waits for the disk: every change is
// made in memory (fast, synchronous, under the store's lock) and marked;
// a goroutine saves the marked paths in the background, a batch at a
// time and in order, so a change made while an earlier batch (the seed)
// is still being written is saved after it. A batch holds the tree's
// state between two file system operations, which Maildir is designed to
// survive (a new message is written to tmp/ and then renamed), and the
// disk applies it atomically.
type saver struct {
	disk Disk
	warn func(string)

	mu      sync.Mutex
	idle    *sync.Cond // broadcast after every attempt to save
	tree    *tree      // the tree being mirrored; a replaced tree's marks are ignored
	dirty   map[string]bool
	clear   bool   // the next batch replaces everything saved
	whole   bool   // the next batch holds every path of the tree (marked when it is made)
	marked  uint64 // changes marked so far
	saved   uint64 // changes saved so far
	started uint64 // attempts to save started so far
	failed  uint64 // the last attempt that failed
	err     error  // how it failed
	wake    chan struct{}

	start     chan struct{} // closed when saving may begin
	startOnce sync.Once
}

// retryAfter is how long the saver waits after a failed save.
const retryAfter = time.Second

// newSaver starts a saver of disk. With a non-nil after, nothing is
// written until after is closed or a flush asks for it: the page holds
// back the seed of a first visit, a burst of IndexedDB work, until it has
// shown the greeting.
func newSaver(disk Disk, warn func(string), after <-chan struct{}) *saver {
	s := &saver{disk: disk, warn: warn, dirty: map[string]bool{}, wake: make(chan struct{}, 1), start: make(chan struct{})}
	s.idle = sync.NewCond(&s.mu)
	if after == nil {
		s.begin()
	}
	go func() {
		select {
		case <-after:
		case <-s.start:
		}
		s.run()
	}()
	return s
}

// begin lets the saver write from now on.
func (s *saver) begin() {
	s.startOnce.Do(func() { close(s.start) })
}

// newTree returns an empty in-memory tree whose changes s saves.
func (s *saver) newTree() (*tree, error) {
	m, err := mem.NewFS()
	if err != nil {
		return nil, err
	}
	return &tree{fs: m, s: s}, nil
}

// follow makes t the tree saved from now on. With reseed, the next batch
// replaces whatever the disk holds with all of t.
func (s *saver) follow(t *tree, reseed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tree = t
	if reseed {
		// The tree's paths are listed when the batch is made, in the
		// saver's goroutine: walking them here had been a fifth of a
		// first visit's start (BenchmarkFirstVisitStart).
		s.clear, s.whole = true, true
		s.dirty = map[string]bool{}
		s.marked++
		s.signal()
	}
}

// mark records that paths of the tree followed changed.
func (s *saver) mark(paths ...string) {
	if len(paths) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.markLocked(s.tree, paths...)
}

// changedPaths lists the paths whose entries differ between a tree as it
// was read (before) and as it is now: added, changed in kind or content,
// or gone. Times are not compared: only a message file's time means
// anything, and it does not change while its content stays.
func changedPaths(before, now []Entry) []string {
	was := make(map[string]Entry, len(before))
	for _, e := range before {
		was[e.Path] = e
	}
	var out []string
	for _, e := range now {
		w, ok := was[e.Path]
		delete(was, e.Path)
		if !ok || w.Dir != e.Dir || !bytes.Equal(w.Data, e.Data) {
			out = append(out, e.Path)
		}
	}
	for p := range was {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// mark records that paths of t changed; s.mu is held.
func (s *saver) markLocked(t *tree, paths ...string) {
	if t != s.tree {
		return
	}
	for _, p := range paths {
		if p != "." && p != "" {
			s.dirty[p] = true
		}
	}
	s.marked++
	s.signal()
}

func (s *saver) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *saver) run() {
	failing := false
	for range s.wake {
		for {
			b, upto, paths, ok := s.next()
			if !ok {
				break
			}
			err := s.disk.Save(b)
			s.mu.Lock()
			if err == nil {
				s.saved = upto
			} else {
				s.failed, s.err = s.started, err
				// Try again with these paths (and whatever changed since).
				for _, p := range paths {
					s.dirty[p] = true
				}
				s.clear = s.clear || b.Clear
			}
			s.idle.Broadcast()
			s.mu.Unlock()
			if err != nil {
				if !failing && s.warn != nil {
					s.warn("maillab: saving the mailboxes failed; trying again: " + err.Error())
				}
				failing = true
				time.Sleep(retryAfter)
				continue
			}
			failing = false
		}
	}
}

// next takes the marked paths and reads their state from the tree into a
// batch: present ones are put (passwd last), missing ones deleted.
func (s *saver) next() (b Batch, upto uint64, paths []string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.whole {
		s.whole = false
		_ = hackpadfs.WalkDir(s.tree.fs, ".", func(p string, _ fs.DirEntry, err error) error {
			if err == nil && p != "." {
				s.dirty[p] = true
			}
			return nil
		})
	}
	if len(s.dirty) == 0 && !s.clear {
		// Every change marked so far is in a batch that was saved.
		s.saved = s.marked
		s.idle.Broadcast()
		return Batch{}, 0, nil, false
	}
	s.started++
	for p := range s.dirty {
		paths = append(paths, p)
	}
	sort.Slice(paths, func(i, j int) bool {
		if (paths[i] == complete) != (paths[j] == complete) {
			return paths[j] == complete
		}
		return paths[i] < paths[j]
	})
	b.Clear = s.clear
	for _, p := range paths {
		e, exists, err := s.tree.entry(p)
		switch {
		case err != nil:
			continue // unreadable in memory: nothing sensible to save
		case exists:
			b.Put = append(b.Put, e)
		case !b.Clear:
			b.Delete = append(b.Delete, p)
		}
	}
	s.dirty, s.clear = map[string]bool{}, false
	return b, s.marked, paths, true
}

// flush waits until every change marked before it was called is saved,
// or an attempt to save started since then failed.
func (s *saver) flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	target, since := s.marked, s.started
	s.begin()
	s.signal()
	for s.saved < target && s.failed <= since {
		s.idle.Wait()
	}
	if s.saved >= target {
		return nil
	}
	return s.err
}

// tree is the in-memory Maildir++ tree (hackpadfs mem) the store reads
// and writes; it tells its saver which paths each operation changed.
type tree struct {
	fs *mem.FS
	s  *saver
}

// entry reads path's current state; exists is false when it is gone.
func (t *tree) entry(p string) (e Entry, exists bool, err error) {
	info, err := t.fs.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return Entry{}, false, nil
	}
	if err != nil {
		return Entry{}, false, err
	}
	e = Entry{Path: p, Dir: info.IsDir(), ModTime: info.ModTime()}
	if !e.Dir {
		if e.Data, err = hackpadfs.ReadFile(t.fs, p); err != nil {
			return Entry{}, false, err
		}
	}
	return e, true, nil
}

// below lists path and everything under it; s.mu is held.
func (t *tree) below(p string) []string {
	var out []string
	_ = hackpadfs.WalkDir(t.fs, p, func(q string, _ fs.DirEntry, err error) error {
		if err == nil {
			out = append(out, q)
		}
		return nil
	})
	return out
}

// change runs op on the tree with the saver's lock held and marks the
// paths it touched: those listed before it ran (a removed subtree is
// still there to list) and, with after, those listed once it ran.
func (t *tree) change(before func() []string, op func() error, after ...func() []string) error {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	ps := before()
	err := op()
	for _, f := range after {
		ps = append(ps, f()...)
	}
	t.s.markLocked(t, ps...)
	return err
}

func one(p string) func() []string { return func() []string { return []string{p} } }

// parents lists the directories above p that do not exist yet.
func (t *tree) parents(p string) []string {
	var out []string
	for d := path.Dir(p); d != "." && d != "/"; d = path.Dir(d) {
		if _, err := t.fs.Stat(d); err == nil {
			break
		}
		out = append(out, d)
	}
	return out
}

func (t *tree) Open(name string) (hackpadfs.File, error) {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	return t.fs.Open(name)
}

func (t *tree) Stat(name string) (hackpadfs.FileInfo, error) {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	return t.fs.Stat(name)
}

// OpenFile marks a file opened for writing when it is closed, with what
// was written.
func (t *tree) OpenFile(name string, flag int, perm hackpadfs.FileMode) (hackpadfs.File, error) {
	if flag&(hackpadfs.FlagWriteOnly|hackpadfs.FlagReadWrite|hackpadfs.FlagCreate|hackpadfs.FlagTruncate|hackpadfs.FlagAppend) == 0 {
		return t.Open(name)
	}
	var f hackpadfs.File
	err := t.change(one(name), func() (err error) {
		f, err = t.fs.OpenFile(name, flag, perm)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &writtenFile{File: f, t: t, name: name}, nil
}

func (t *tree) Mkdir(name string, perm hackpadfs.FileMode) error {
	return t.change(one(name), func() error { return t.fs.Mkdir(name, perm) })
}

func (t *tree) MkdirAll(p string, perm hackpadfs.FileMode) error {
	return t.change(func() []string { return append(t.parents(p), p) }, func() error { return t.fs.MkdirAll(p, perm) })
}

func (t *tree) Remove(name string) error {
	return t.change(one(name), func() error { return t.fs.Remove(name) })
}

func (t *tree) Rename(from, to string) error {
	return t.change(func() []string { return append(t.below(from), t.below(to)...) },
		func() error { return t.fs.Rename(from, to) },
		func() []string { return t.below(to) })
}

func (t *tree) Chtimes(name string, atime, mtime time.Time) error {
	return t.change(one(name), func() error { return t.fs.Chtimes(name, atime, mtime) })
}

func (t *tree) Chmod(name string, mode hackpadfs.FileMode) error {
	return t.change(one(name), func() error { return t.fs.Chmod(name, mode) })
}

// writtenFile is a file opened for writing; closing it marks it changed.
type writtenFile struct {
	hackpadfs.File
	t    *tree
	name string
}

func (f *writtenFile) Close() error {
	return f.t.change(one(f.name), f.File.Close)
}

func (f *writtenFile) Write(p []byte) (int, error) {
	if w, ok := f.File.(io.Writer); ok {
		return w.Write(p)
	}
	return 0, hackpadfs.ErrNotImplemented
}

func (f *writtenFile) Seek(offset int64, whence int) (int64, error) {
	if s, ok := f.File.(io.Seeker); ok {
		return s.Seek(offset, whence)
	}
	return 0, hackpadfs.ErrNotImplemented
}

func (f *writtenFile) Truncate(size int64) error {
	return hackpadfs.TruncateFile(f.File, size)
}

func (f *writtenFile) Sync() error { return hackpadfs.SyncFile(f.File) }
