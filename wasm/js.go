//go:build js && wasm

// Command wasm is the simulator in the browser: the mail store and the
// sessions of sim/, bridged to the page through the global object
// `maillab`. It runs in a Web Worker of its own (site/src/worker.js),
// which relays the page's calls to these objects and their answers and
// callbacks back, by message. A js.FuncOf callback must never wait for anything JS
// has to deliver (IndexedDB, the pipe's other end): the functions below
// either return at once or hand the work to a goroutine and return a
// Promise.
package main

import (
	"context"
	"fmt"
	"sync"
	"syscall/js"
	"time"

	"maillab/sim/catalog"
	"maillab/wasm/jsbridge"
)

func main() {
	// {ready(api), fail(message), saved, keep, handed} set by the page;
	// saved is the tree of mailboxes it read from IndexedDB, or null; keep
	// is false when another tab of the lab keeps them (saved.js
	// holdMailboxes); handed, {reseed, changed}, says that saved is what
	// the first module handed over (see Handover), not what IndexedDB
	// holds.
	boot := js.Global().Get("maillabBoot")
	saved, keep := js.Null(), true
	if boot.Truthy() {
		saved = boot.Get("saved")
		k := boot.Get("keep")
		keep = k.Type() != js.TypeBoolean || k.Bool()
		boot.Delete("saved") // read once; let the page's copy go
	}
	var disk Disk
	// unreadable: the page could not read IndexedDB; saved, if given, is
	// what the first module handed over.
	unreadable := boot.Truthy() && boot.Get("unreadable").Truthy()
	if d, err := openDisk(context.Background(), saved, keep, unreadable); err == nil {
		disk = d
	} else {
		js.Global().Get("console").Call("warn", "maillab: mailboxes will not be kept across reloads:", err.Error())
	}
	b := bridge{quit: make(chan struct{})}
	host := b.host()
	host.Warn = func(msg string) { js.Global().Get("console").Call("warn", msg) }
	host.RecordTapes = recordTapes
	// A first visit seeds IndexedDB with the demo accounts, a burst of
	// work that would slow the first greeting down: the page says when
	// it has shown the greeting (api.shown), and at the latest the saver
	// starts a few seconds in.
	shown := make(chan struct{})
	b.shown = sync.OnceFunc(func() { close(shown) })
	time.AfterFunc(saveAtTheLatest, b.shown)
	host.SaveAfter = shown
	if boot.Truthy() {
		if h := boot.Get("handed"); h.Type() == js.TypeObject {
			host.Handed = &Handover{Reseed: h.Get("reseed").Truthy()}
			if list := h.Get("changed"); list.Type() == js.TypeObject {
				for i := range list.Length() {
					host.Handed.Changed = append(host.Handed.Changed, list.Index(i).String())
				}
			}
		}
	}
	lab, err := NewLab(disk, host)
	if err != nil {
		if boot.Truthy() {
			boot.Call("fail", err.Error())
		}
		return
	}
	b.lab = lab
	installLessons(&b)
	api := b.api(disk != nil && keep && kept(disk))
	js.Global().Set("maillab", api)
	if boot.Truthy() {
		boot.Call("ready", api)
	}
	<-b.quit // keep serving callbacks; the first module ends (boot.go)
}

// saveAtTheLatest is how long after the start the mailboxes are saved
// even if the page never said it had shown the greeting.
const saveAtTheLatest = 3 * time.Second

// bridge holds the page's callbacks.
type bridge struct {
	lab                         *Lab
	onOutput, onEvent, onClosed js.Value
	shown                       func() // the page has shown its first greeting
	quit                        chan struct{}
}

func (b *bridge) host() Host {
	return Host{
		Output: func(id string, p []byte) {
			if b.onOutput.Type() != js.TypeFunction {
				return
			}
			arr := js.Global().Get("Uint8Array").New(len(p))
			js.CopyBytesToJS(arr, p)
			b.onOutput.Invoke(id, arr)
		},
		Event: func(id string, ev []byte) {
			if b.onEvent.Type() == js.TypeFunction {
				b.onEvent.Invoke(id, string(ev))
			}
		},
		Closed: func(id string) {
			if b.onClosed.Type() == js.TypeFunction {
				b.onClosed.Invoke(id)
			}
		},
	}
}

// api builds the object the page calls.
func (b *bridge) api(persistent bool) js.Value {
	api := js.Global().Get("Object").New()
	fn := func(name string, f func(args []js.Value) any) {
		api.Set(name, js.FuncOf(func(_ js.Value, args []js.Value) any { return f(args) }))
	}
	api.Set("persistent", persistent)
	fn("machines", func([]js.Value) any {
		data, err := machinesJSON()
		if err != nil {
			return result("", err)
		}
		return string(data)
	})
	fn("users", func([]js.Value) any {
		out := []any{}
		for _, u := range b.lab.Users() {
			out = append(out, u)
		}
		return out
	})
	// open(proto, options): options is an object of SessionOptions' JSON
	// names, or absent.
	fn("open", func(args []js.Value) any {
		var o SessionOptions
		if len(args) > 1 && args[1].Type() == js.TypeObject {
			o = sessionOptions(args[1])
		}
		return result(b.lab.Open(jsbridge.Arg(args, 0), o))
	})
	fn("write", func(args []js.Value) any {
		if len(args) < 2 {
			return result("", fmt.Errorf("write(id, data)"))
		}
		var p []byte
		if args[1].Type() == js.TypeString {
			p = []byte(args[1].String())
		} else {
			p = make([]byte, args[1].Get("length").Int())
			js.CopyBytesToGo(p, args[1])
		}
		return result("", b.lab.Write(jsbridge.Arg(args, 0), p))
	})
	fn("close", func(args []js.Value) any {
		b.lab.Close(jsbridge.Arg(args, 0))
		return nil
	})
	// addTexts(lang, catalogue, json): the simulator's texts in lang,
	// which the page fetches (texts/<lang>.json) for the language it
	// shows, before the sessions explain anything in it.
	fn("addTexts", func(args []js.Value) any {
		return result("", catalog.Add(jsbridge.Arg(args, 0), jsbridge.Arg(args, 1), []byte(jsbridge.Arg(args, 2))))
	})
	fn("setLang", func(args []js.Value) any {
		b.lab.SetLang(jsbridge.Arg(args, 0))
		return nil
	})
	fn("deliver", func(args []js.Value) any {
		user := jsbridge.Arg(args, 0)
		return jsbridge.Promise(func() (any, error) {
			uid, err := b.lab.Deliver(user)
			if err != nil {
				return nil, err
			}
			// "Delivered" means kept: a reload right after still has it.
			return int(uid), b.lab.Flush()
		})
	})
	// What only one of the two modules does (api_full.go, boot.go).
	moreAPI(b, fn)
	// shown: the page has painted its first greeting; saving may begin.
	fn("shown", func([]js.Value) any { b.shown(); return nil })
	// flush resolves once every change so far is saved.
	fn("flush", func([]js.Value) any {
		return jsbridge.Promise(func() (any, error) { return nil, b.lab.Flush() })
	})
	fn("onOutput", func(args []js.Value) any { b.onOutput = arg0(args); return nil })
	fn("onEvent", func(args []js.Value) any { b.onEvent = arg0(args); return nil })
	fn("onClosed", func(args []js.Value) any { b.onClosed = arg0(args); return nil })
	return api
}

func arg0(args []js.Value) js.Value {
	if len(args) > 0 {
		return args[0]
	}
	return js.Undefined()
}

// entriesOf reads a tree the page gives, [{path, dir, mtime, data}]:
// what it read from IndexedDB, or what the first module handed over.
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

// sessionOptions reads the options the page gives open().
func sessionOptions(v js.Value) SessionOptions {
	str := func(name string) string {
		if f := v.Get(name); f.Type() == js.TypeString {
			return f.String()
		}
		return ""
	}
	o := SessionOptions{
		Lang:          str("lang"),
		APOPTimestamp: str("apopTimestamp"),
		Hostname:      str("hostname"),
		Preauth:       str("preauth"),
		Reject:        str("reject"),
		UIDLFormat:    str("uidlFormat"),
		ID:            str("id"),
		Tape:          str("tape"),
	}
	if ms := v.Get("autologoutMs"); ms.Type() == js.TypeNumber {
		o.AutologoutMS = int64(ms.Float())
	}
	if d := v.Get("disabled"); d.Type() == js.TypeObject && d.Get("length").Type() == js.TypeNumber {
		for i := range d.Length() {
			if c := d.Index(i); c.Type() == js.TypeString {
				o.Disabled = append(o.Disabled, c.String())
			}
		}
	}
	return o
}

// result is what a synchronous call returns: {id} or {error}.
func result(id string, err error) any {
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	return map[string]any{"id": id}
}
