//go:build js && wasm

// Package jsbridge holds what the lab's wasm modules share to answer the
// page: reading a string argument, and running work off the JS callback
// that asked for it, settling a Promise.
package jsbridge

import "syscall/js"

// Arg is the string argument i, or "" when it is missing or not a string.
func Arg(args []js.Value, i int) string {
	if i < len(args) && args[i].Type() == js.TypeString {
		return args[i].String()
	}
	return ""
}

// Promise runs work in a goroutine and settles a Promise with its result;
// the callback that calls it returns at once, as a js.FuncOf callback
// must never wait for anything JS has to deliver.
func Promise(work func() (any, error)) js.Value {
	var executor js.Func
	executor = js.FuncOf(func(_ js.Value, args []js.Value) any {
		resolve, reject := args[0], args[1]
		go func() {
			defer executor.Release()
			v, err := work()
			if err != nil {
				reject.Invoke(js.Global().Get("Error").New(err.Error()))
				return
			}
			resolve.Invoke(v)
		}()
		return nil
	})
	return js.Global().Get("Promise").New(executor)
}
