//go:build js && wasm && boot

// The page's first module: the same Lab, serving POP3 alone, built with
// the tag boot. It greets the learner on the home page while the full
// simulator (every protocol, the lessons, the mail path) downloads; then
// it hands its mailboxes over (exportTree) and ends (exit), and the page
// replays each open session's input into the full simulator
// (site/src/bridge.js upgrade). It never writes IndexedDB: the tree the
// page read there is its starting point, and the full module saves what
// it hands over.

package main

import (
	"context"
	"errors"
	"io/fs"
	"slices"
	"sync"
	"syscall/js"

	"github.com/hack-pad/hackpadfs"

	"maillab/sim/mailstore"
	_ "maillab/sim/pop3"
	"maillab/sim/proto"
	"maillab/wasm/jsbridge"
)

// journey is the mail path of a lesson, which the first module never
// opens.
type journey struct{}

func (*journey) submission(*proto.Config) {}

// recordTapes: the sessions record their tapes, handed over with them
// (exportTree).
const recordTapes = true

// installLessons: the lessons open in the full module.
func installLessons(*bridge) {}

// read is the tree the page read from IndexedDB, to tell what changed.
var read []Entry

// openDisk serves the tree the page read from IndexedDB, never writing;
// unreadable: the page could not read it, nor will the full module keep
// the mailboxes.
func openDisk(_ context.Context, saved js.Value, _, unreadable bool) (Disk, error) {
	d := &presetDisk{}
	if saved.Type() == js.TypeObject && saved.Get("length").Type() == js.TypeNumber {
		d.entries = entriesOf(saved)
		read = d.entries
	}
	if unreadable {
		return pageOnly{d}, nil
	}
	return readOnly{d}, nil
}

func moreAPI(b *bridge, fn func(name string, f func(args []js.Value) any)) {
	// exportTree() ends every session and returns the mailboxes as they
	// are now, {entries: [{path, dir, mtime, data}], handed, tapes}: the
	// entries in the form the page reads from IndexedDB, and what the
	// full module is to save of them (Handover, as {reseed, changed:
	// [paths]}): all on a first visit, else the paths that differ from
	// what the page read; null when nothing does. tapes are the tapes of
	// the sessions that were open, by id (Lab.Tapes), for the full
	// module to replay them with.
	fn("exportTree", func([]js.Value) any {
		return jsbridge.Promise(func() (any, error) {
			tapes := b.lab.Tapes()
			b.lab.closeAll()
			entries, err := b.lab.saver.export()
			if err != nil {
				return nil, err
			}
			var h *Handover
			if !slices.ContainsFunc(read, func(e Entry) bool { return e.Path == complete && !e.Dir }) {
				h = &Handover{Reseed: true}
			} else if changed := changedPaths(read, entries); len(changed) > 0 {
				h = &Handover{Changed: changed}
			}
			list := js.Global().Get("Array").New(len(entries))
			for i, e := range entries {
				o := js.Global().Get("Object").New()
				o.Set("path", e.Path)
				o.Set("dir", e.Dir)
				o.Set("mtime", float64(e.ModTime.UnixNano()))
				if !e.Dir {
					arr := js.Global().Get("Uint8Array").New(len(e.Data))
					js.CopyBytesToJS(arr, e.Data)
					o.Set("data", arr)
				}
				list.SetIndex(i, o)
			}
			out := js.Global().Get("Object").New()
			out.Set("entries", list)
			to := js.Global().Get("Object").New()
			for id, t := range tapes {
				to.Set(id, t)
			}
			out.Set("tapes", to)
			out.Set("handed", js.Null())
			if h != nil {
				ho := js.Global().Get("Object").New()
				ho.Set("reseed", h.Reseed)
				paths := js.Global().Get("Array").New(len(h.Changed))
				for i, p := range h.Changed {
					paths.SetIndex(i, p)
				}
				ho.Set("changed", paths)
				out.Set("handed", ho)
			}
			return out, nil
		})
	})
	// exit ends the module; the page drops it.
	var once sync.Once
	fn("exit", func([]js.Value) any {
		once.Do(func() { close(b.quit) })
		return nil
	})
}

// export returns every entry of the tree the store writes through to.
func (s *saver) export() ([]Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tree
	var out []Entry
	err := hackpadfs.WalkDir(t.fs, ".", func(p string, _ fs.DirEntry, err error) error {
		if err != nil || p == "." {
			return err
		}
		e, _, err := t.entry(p)
		out = append(out, e)
		return err
	})
	return out, err
}

// fixtureStore: a lesson's own mailboxes open in the full module.
func fixtureStore([]byte) (*mailstore.Store, error) {
	return nil, errors.New("a lesson's mailboxes open in the full simulator")
}
