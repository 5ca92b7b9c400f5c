//go:build js && wasm && !boot

package main

import (
	"cmp"
	"context"
	"errors"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"
	"syscall/js"

	"github.com/hack-pad/go-indexeddb/idb"
	"github.com/hack-pad/hackpadfs"
	"github.com/hack-pad/hackpadfs/indexeddb"
)

// dbName is the IndexedDB database the mailboxes are kept in.
const dbName = "maillab-maildir"

// idbDisk keeps the Maildir++ tree in hackpadfs's IndexedDB file system.
// It is only ever used from the main goroutine (Load) and the saver's
// goroutine (Save), never from a callback JS is waiting on, since every
// operation waits for IndexedDB.
type idbDisk struct {
	open   func() (*indexeddb.FS, error) // opens the file system the first time
	preset []Entry                       // the tree the page read at start (site/src/saved.js)
}

// openDisk opens the file system. saved is the tree the page read from
// the same database while the module compiled, [{path, dir, mtime, data}],
// or null. With the tree read, the database works, and the file system is
// only opened when it is first written to, after the greeting: opening it
// costs a start its time. Without it, the file system is opened now, and
// Load reads the tree through it, a transaction per entry. Unless keep,
// the tree is read and never written: another tab keeps it. unreadable
// says that the page could not read the database: saved is then what the
// first module handed over, served for as long as the page lives if the
// file system does not open either.
func openDisk(ctx context.Context, saved js.Value, keep, unreadable bool) (Disk, error) {
	d := &idbDisk{open: sync.OnceValues(func() (*indexeddb.FS, error) {
		return indexeddb.NewFS(ctx, dbName, indexeddb.Options{TransactionDurability: idb.DurabilityRelaxed})
	})}
	if saved.Type() == js.TypeObject && saved.Get("length").Type() == js.TypeNumber {
		d.preset = entriesOf(saved)
	}
	if d.preset == nil || unreadable {
		if _, err := d.open(); err != nil {
			if d.preset != nil {
				// Handed over by the first module: served, not kept.
				return pageOnly{&presetDisk{entries: d.preset}}, nil
			}
			return nil, err
		}
	}
	if !keep {
		return readOnly{d}, nil
	}
	return d, nil
}

// Load returns the saved tree: the page's reading of it the first time,
// else read through the file system.
func (d *idbDisk) Load() ([]Entry, error) {
	if d.preset != nil {
		out := d.preset
		d.preset = nil
		return out, nil
	}
	fsys, err := d.open()
	if err != nil {
		return nil, err
	}
	var out []Entry
	err = hackpadfs.WalkDir(fsys, ".", func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			if p == "." && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll // a new database: nothing saved yet
			}
			return err
		}
		if p == "." {
			return nil
		}
		info, err := de.Info()
		if err != nil {
			return err
		}
		e := Entry{Path: p, Dir: de.IsDir(), ModTime: info.ModTime()}
		if !e.Dir {
			if e.Data, err = hackpadfs.ReadFile(fsys, p); err != nil {
				return err
			}
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

// Save applies a batch: puts in order (a seeding batch puts passwd last,
// so a tree interrupted while being seeded has none and is seeded again),
// then deletes, so a renamed message is never missing in between: at
// worst a page closed mid-batch leaves it under both names, which Maildir
// readers survive. A clearing batch empties the file system first, in one
// transaction, which takes passwd with it.
func (d *idbDisk) Save(b Batch) error {
	fsys, err := d.open()
	if err != nil {
		return err
	}
	if b.Clear {
		if err := fsys.Clear(context.Background()); err != nil {
			return err
		}
		if err := seed(fsys, b.Put); err != nil {
			return err
		}
	} else {
		for _, e := range b.Put {
			if err := put(fsys, e); err != nil {
				return err
			}
		}
	}
	for _, p := range b.Delete {
		if err := hackpadfs.RemoveAll(fsys, p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// seedWorkers is how many files of a seeding batch are written at once.
const seedWorkers = 8

// seed writes a whole tree into the emptied file system. Every file
// system operation is an IndexedDB transaction of its own; written one
// after the other, the demo tree takes seconds. So the tree goes in
// waves, one per depth, a directory's wave before what it holds, and the
// entries of a wave are written concurrently, which lets IndexedDB queue
// their transactions. passwd, which marks the tree complete, goes alone
// and last.
func seed(fsys *indexeddb.FS, put []Entry) error {
	var last []Entry
	waves := map[int][]Entry{}
	for _, e := range put {
		if e.Path == complete {
			last = append(last, e)
			continue
		}
		n := strings.Count(e.Path, "/")
		waves[n] = append(waves[n], e)
	}
	for _, n := range slices.Sorted(maps.Keys(waves)) {
		if err := writeAll(fsys, waves[n]); err != nil {
			return err
		}
	}
	return writeAll(fsys, last)
}

// writeAll writes entries whose parents exist, seedWorkers at a time,
// and returns the first error.
func writeAll(fsys *indexeddb.FS, es []Entry) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	slots := make(chan struct{}, seedWorkers)
	for _, e := range es {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			if err := write(fsys, e); err != nil {
				mu.Lock()
				first = cmp.Or(first, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return first
}

// put writes e into a tree that may already hold it, or hold a file
// where e is a directory (or the other way round), or lack its parents.
func put(fsys *indexeddb.FS, e Entry) error {
	if info, err := fsys.Stat(e.Path); err == nil && info.IsDir() != e.Dir {
		if err := hackpadfs.RemoveAll(fsys, e.Path); err != nil {
			return err
		}
	}
	if e.Dir {
		return hackpadfs.MkdirAll(fsys, e.Path, 0o700)
	}
	if err := hackpadfs.MkdirAll(fsys, path.Dir(e.Path), 0o700); err != nil {
		return err
	}
	return write(fsys, e)
}

// write writes e, whose parent exists.
func write(fsys *indexeddb.FS, e Entry) error {
	if e.Dir {
		if err := fsys.Mkdir(e.Path, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
		return nil
	}
	if err := hackpadfs.WriteFullFile(fsys, e.Path, e.Data, 0o600); err != nil {
		return err
	}
	return fsys.Chtimes(e.Path, e.ModTime, e.ModTime)
}
