//go:build js && wasm

package main

import (
	"errors"
	"syscall/js"
	"time"
)

// jsDisk is the tree the page keeps in IndexedDB (site/src/idb.js): the
// page reads it while the simulator is still being compiled and hands it
// over at start, {entries, save(batch) → Promise}.
type jsDisk struct{ v js.Value }

func (d jsDisk) Load() ([]Entry, error) {
	list := d.v.Get("entries")
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
	d.v.Delete("entries") // read once; let the page's copy go
	return out, nil
}

// Save hands the batch to the page and waits for its transaction; it runs
// on the saver's goroutine, never in a callback from JS.
func (d jsDisk) Save(b Batch) error {
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
	batch := js.Global().Get("Object").New()
	batch.Set("clear", b.Clear)
	batch.Set("put", put)
	batch.Set("del", del)
	return await(d.v.Call("save", batch))
}

// await waits for a Promise to settle.
func await(p js.Value) error {
	done := make(chan error, 1)
	ok := js.FuncOf(func(js.Value, []js.Value) any { done <- nil; return nil })
	fail := js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "rejected"
		if len(args) > 0 {
			msg = args[0].Call("toString").String()
		}
		done <- errors.New(msg)
		return nil
	})
	defer ok.Release()
	defer fail.Release()
	p.Call("then", ok, fail)
	return <-done
}
