package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"

	"github.com/hack-pad/hackpadfs"
	"github.com/hack-pad/hackpadfs/mem"

	"maillab/sim/demo"
	"maillab/sim/mailstore"
)

// Disk keeps the mailboxes across page loads: a Maildir++ tree at the
// root of FS (IndexedDB in the browser).
type Disk interface {
	FS() hackpadfs.FS
	Clear() error
}

// Fixture is a Maildir++ tree given as JSON, for lessons that need their
// own mailboxes: file paths relative to the tree's root ("passwd",
// "melanie/cur/1.eml:2,S", "melanie/.Sent/cur/...") mapped to contents.
type Fixture struct {
	Files map[string]string `json:"files"`
}

// buildStore is the one place a fresh store is made: the demo accounts, or
// the fixture when one is given.
func buildStore(fixture []byte) (*mailstore.Store, error) {
	if len(fixture) == 0 {
		return demo.Store()
	}
	var fx Fixture
	if err := json.Unmarshal(fixture, &fx); err != nil {
		return nil, fmt.Errorf("fixture: %w", err)
	}
	fsys, err := fx.tree()
	if err != nil {
		return nil, err
	}
	return mailstore.LoadMaildir(fsys, ".")
}

// tree writes the fixture's files into an in-memory file system.
func (fx Fixture) tree() (hackpadfs.FS, error) {
	fsys, err := mem.NewFS()
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(fx.Files))
	for name := range fx.Files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !fs.ValidPath(name) || name == "." {
			return nil, fmt.Errorf("fixture: %q is not a relative path inside the tree", name)
		}
		if err := hackpadfs.MkdirAll(fsys, path.Dir(name), 0o700); err != nil {
			return nil, fmt.Errorf("fixture: %s: %w", name, err)
		}
		if err := hackpadfs.WriteFullFile(fsys, name, []byte(fx.Files[name]), 0o600); err != nil {
			return nil, fmt.Errorf("fixture: %s: %w", name, err)
		}
	}
	return fsys, nil
}

// openStore returns the store to serve. Without a disk it is built fresh.
// With one, a tree saved earlier is loaded; a disk without a complete tree
// (first visit, after a reset, or a save that did not finish: SaveMaildir
// writes passwd last) is cleared and seeded. Either way every change is
// then written through to the disk.
func openStore(disk Disk, fixture []byte) (*mailstore.Store, error) {
	if disk == nil {
		return buildStore(fixture)
	}
	fsys := disk.FS()
	_, err := hackpadfs.Stat(fsys, "passwd")
	switch {
	case err == nil:
		st, err := mailstore.LoadMaildir(fsys, ".")
		if err != nil {
			return nil, fmt.Errorf("loading the saved mailboxes: %w", err)
		}
		st.SetPersister(mailstore.NewMaildirPersister(fsys, "."))
		return st, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	st, err := buildStore(fixture)
	if err != nil {
		return nil, err
	}
	if err := disk.Clear(); err != nil {
		return nil, err
	}
	if err := mailstore.SaveMaildir(st, fsys, "."); err != nil {
		return nil, fmt.Errorf("saving the mailboxes: %w", err)
	}
	st.SetPersister(mailstore.NewMaildirPersister(fsys, "."))
	return st, nil
}
