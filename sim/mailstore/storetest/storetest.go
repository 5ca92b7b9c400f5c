// Package storetest gives tests Maildir trees in memory, and a file
// system whose folders can be opened but turn out unreadable, or slow,
// once read whole: what a server meets when a disk fails under a folder
// it has started with.
package storetest

import (
	"errors"
	"io/fs"
	"path"
	"strings"
	"testing"

	"github.com/hack-pad/hackpadfs"
	"github.com/hack-pad/hackpadfs/mem"
)

// Tree writes files, path to content, into a new in-memory file system,
// making their folders.
func Tree(t testing.TB, files map[string]string) *mem.FS {
	t.Helper()
	fsys, err := mem.NewFS()
	if err != nil {
		t.Fatal(err)
	}
	for p, data := range files {
		if err := hackpadfs.MkdirAll(fsys, path.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := hackpadfs.WriteFullFile(fsys, p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return fsys
}

// ErrIO is what a ListingFS's failing listing wraps.
var ErrIO = errors.New("input/output error")

// ListingFS opens the directories below Broken and reads their first
// entries, but lists one whole only once Gate is closed, or never (Gate
// nil: the listing fails with ErrIO).
type ListingFS struct {
	*mem.FS
	Broken string
	Gate   chan struct{}
}

func (f ListingFS) Open(name string) (hackpadfs.File, error) {
	file, err := f.FS.Open(name)
	if err != nil || !strings.HasPrefix(name, f.Broken) {
		return file, err
	}
	return listingFile{File: file, gate: f.Gate, name: name}, nil
}

type listingFile struct {
	hackpadfs.File
	gate chan struct{}
	name string
}

func (f listingFile) ReadDir(n int) ([]fs.DirEntry, error) {
	if n <= 0 {
		if f.gate == nil {
			return nil, &fs.PathError{Op: "readdir", Path: f.name, Err: ErrIO}
		}
		<-f.gate
	}
	return hackpadfs.ReadDirFile(f.File, n)
}
