package main

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/hack-pad/hackpadfs"

	"maillab/sim/demo"
	"maillab/sim/mailstore"
)

// buildStore is the one place a fresh store is made: the demo accounts, or
// the fixture when one is given.
func buildStore(fixture []byte) (*mailstore.Store, error) {
	if len(fixture) == 0 {
		return demo.Store()
	}
	return fixtureStore(fixture)
}

// load returns the store a complete saved tree holds, served from memory
// and written through to it from now on; nil when the tree is incomplete
// (first visit, or the page closed before the seed was saved). With
// resave, the tree replaces what the disk holds.
func (s *saver) load(saved []Entry, resave bool) (*mailstore.Store, error) {
	if !slices.ContainsFunc(saved, func(e Entry) bool { return e.Path == complete && !e.Dir }) {
		return nil, nil
	}
	t, err := s.newTree()
	if err != nil {
		return nil, err
	}
	slices.SortFunc(saved, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) })
	for _, e := range saved {
		if err := t.restore(e); err != nil {
			return nil, fmt.Errorf("loading the saved mailboxes: %s: %w", e.Path, err)
		}
	}
	st, err := mailstore.LoadMaildir(t, ".")
	if err != nil {
		return nil, fmt.Errorf("loading the saved mailboxes: %w", err)
	}
	s.follow(t, resave)
	st.SetPersister(mailstore.NewMaildirPersister(t, "."))
	return st, nil
}

// seed builds a fresh store (the fixture, or the demo accounts), writes it
// to a new tree in memory and has the saver replace the saved tree with
// it, in the background.
func (s *saver) seed(fixture []byte) (*mailstore.Store, error) {
	t, err := s.newTree()
	if err != nil {
		return nil, err
	}
	var st *mailstore.Store
	if len(fixture) == 0 {
		// The demo tree is a complete Maildir++ (UID lists and all): the
		// store is served from a copy of it, with no second tree to build
		// and write, which shortens a first visit's start.
		if err := demo.Write(t.fs); err != nil {
			return nil, err
		}
		if st, err = mailstore.LoadMaildir(t.fs, "."); err != nil {
			return nil, err
		}
	} else {
		if st, err = buildStore(fixture); err != nil {
			return nil, err
		}
		if err := mailstore.SaveMaildir(st, t, "."); err != nil {
			return nil, fmt.Errorf("saving the mailboxes: %w", err)
		}
	}
	st.SetPersister(mailstore.NewMaildirPersister(t, "."))
	s.follow(t, true)
	return st, nil
}

// restore puts a saved entry back into the tree without marking it.
func (t *tree) restore(e Entry) error {
	if !fs.ValidPath(e.Path) || e.Path == "." {
		return fmt.Errorf("%q is not a relative path inside the tree", e.Path)
	}
	if e.Dir {
		return t.fs.MkdirAll(e.Path, 0o700)
	}
	if err := t.fs.MkdirAll(path.Dir(e.Path), 0o700); err != nil {
		return err
	}
	if err := hackpadfs.WriteFullFile(t.fs, e.Path, e.Data, 0o600); err != nil {
		return err
	}
	return t.fs.Chtimes(e.Path, e.ModTime, e.ModTime)
}
