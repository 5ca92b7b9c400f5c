//go:build !boot

package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"

	"github.com/hack-pad/hackpadfs"
	"github.com/hack-pad/hackpadfs/mem"

	"maillab/sim/mailstore"
)

// Fixture is a Maildir++ tree given as JSON, for lessons that need their
// own mailboxes: file paths relative to the tree's root ("passwd",
// "melanie/cur/1.eml:2,S", "melanie/.Sent/cur/...") mapped to contents.
type Fixture struct {
	Files map[string]string `json:"files"`
}

// fixtureStore is the store a fixture holds.
func fixtureStore(fixture []byte) (*mailstore.Store, error) {
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
