//go:build js && wasm

package main

import (
	"errors"
	"syscall/js"
	"time"
)

// jsDisk keeps the Maildir++ tree in IndexedDB through the page
// (site/src/saved.js): the page reads the whole tree in one transaction
// while the module compiles, and writes each batch in one transaction,
// laid out as hackpadfs's indexeddb file system lays out a tree (object
// store "info": a path's {ModTime, Mode, Size, Parent}; "contents": a
// file's bytes), so a tree saved by earlier versions of the lab reads
// as it was. Its methods wait for IndexedDB: they are only ever called
// from the main goroutine (Load) and the saver's goroutine (Save), never
// from a callback JS is waiting on.
type jsDisk struct {
	read, save js.Value // the page's readSaved() and saveBatch(clear, put, del)
	preset     []Entry  // the tree the page read at start
	loaded     bool
}

// openDisk returns the disk. saved is the tree the page read from the
// database while the module compiled, [{path, dir, mtime, data}], or null
// when it could not be read; page holds the page's functions that read
// and write the database (read, save), and it is read again when saved is
// null; an error says IndexedDB cannot be used. Unless keep, the tree is
// read and never written: another tab keeps it.
func openDisk(saved, page js.Value, keep bool) (Disk, error) {
	if page.Type() != js.TypeObject || page.Get("save").Type() != js.TypeFunction {
		return nil, errors.New("the page gives no way to save the mailboxes")
	}
	d := &jsDisk{read: page.Get("read"), save: page.Get("save")}
	if !isList(saved) {
		// Read again: where IndexedDB is refused, the mailboxes last as
		// long as the page.
		var err error
		if saved, err = d.readAll(); err != nil {
			return nil, err
		}
	}
	d.preset, d.loaded = entriesOf(saved), true
	if !keep {
		return readOnly{d}, nil
	}
	return d, nil
}

func isList(v js.Value) bool {
	return v.Type() == js.TypeObject && v.Get("length").Type() == js.TypeNumber
}

func entriesOf(list js.Value) []Entry {
	n := list.Length()
	out := make([]Entry, 0, n)
	for i := range n {
		e := list.Index(i)
		entry := Entry{Path: e.Get("path").String(), Dir: e.Get("dir").Bool(), ModTime: time.Unix(0, int64(e.Get("mtime").Float()))}
		if data := e.Get("data"); !entry.Dir && data.Truthy() {
			entry.Data = make([]byte, data.Length())
			js.CopyBytesToGo(entry.Data, data)
		}
		out = append(out, entry)
	}
	return out
}

// Load returns the saved tree: the page's reading of it the first time,
// else the page reads it again.
func (d *jsDisk) Load() ([]Entry, error) {
	if d.loaded {
		out := d.preset
		d.preset, d.loaded = nil, false
		return out, nil
	}
	v, err := d.readAll()
	if err != nil {
		return nil, err
	}
	return entriesOf(v), nil
}

// readAll has the page read the saved tree.
func (d *jsDisk) readAll() (js.Value, error) {
	if d.read.Type() != js.TypeFunction {
		return js.Null(), errors.New("the page gives no way to read the mailboxes")
	}
	v, err := await(d.read.Invoke())
	if err == nil && !isList(v) {
		err = errors.New("IndexedDB cannot be read")
	}
	return v, err
}

// Save writes one batch in one transaction.
func (d *jsDisk) Save(b Batch) error {
	put := js.Global().Get("Array").New(len(b.Put))
	for i, e := range b.Put {
		o := js.Global().Get("Object").New()
		o.Set("path", e.Path)
		o.Set("dir", e.Dir)
		o.Set("mtime", float64(e.ModTime.UnixNano()))
		if !e.Dir {
			data := js.Global().Get("Uint8Array").New(len(e.Data))
			js.CopyBytesToJS(data, e.Data)
			o.Set("data", data)
		}
		put.SetIndex(i, o)
	}
	del := js.Global().Get("Array").New(len(b.Delete))
	for i, p := range b.Delete {
		del.SetIndex(i, p)
	}
	_, err := await(d.save.Invoke(b.Clear, put, del))
	return err
}

// await waits for the promise p, from a goroutine JS is not waiting on.
func await(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	done := make(chan result, 1)
	var then, catch js.Func
	then = js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- result{v: arg0(args)}
		return nil
	})
	catch = js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "IndexedDB failed"
		if e := arg0(args); e.Type() == js.TypeObject && e.Get("message").Type() == js.TypeString {
			msg = e.Get("message").String()
		} else if e.Type() == js.TypeString {
			msg = e.String()
		}
		done <- result{err: errors.New(msg)}
		return nil
	})
	p.Call("then", then, catch)
	r := <-done
	then.Release()
	catch.Release()
	return r.v, r.err
}
