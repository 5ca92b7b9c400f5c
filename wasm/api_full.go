//go:build js && wasm && !boot

package main

import (
	"encoding/json"
	"syscall/js"

	"maillab/wasm/jsbridge"
)

// recordTapes: the full module hands its sessions to none.
const recordTapes = false

// moreAPI adds what the full module does beyond the first one's.
func moreAPI(b *bridge, fn func(name string, f func(args []js.Value) any)) {
	fn("reset", func(args []js.Value) any {
		var fixture []byte
		if len(args) > 0 && args[0].Type() == js.TypeString {
			fixture = []byte(args[0].String())
		}
		return jsbridge.Promise(func() (any, error) { return nil, b.lab.Reset(fixture) })
	})
	// decodeMessage(bytes): a fetched message's encoded words and text,
	// decoded, as JSON (DecodedMessage), for the explain pane.
	fn("decodeMessage", func(args []js.Value) any {
		if len(args) < 1 || args[0].Get("length").Type() != js.TypeNumber {
			return "{}"
		}
		p := make([]byte, min(args[0].Get("length").Int(), maxDecodeInput))
		js.CopyBytesToGo(p, args[0])
		data, _ := json.Marshal(DecodeMessage(p))
		return string(data)
	})
}
