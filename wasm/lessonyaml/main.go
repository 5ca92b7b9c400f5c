//go:build js && wasm

// Command lessonyaml reads lesson files in YAML for the browser lab. The
// lab's own module (../) carries no YAML parser: it opens lessons in
// their compiled form (lesson.Decode), as the shipped lessons and those
// labserver -lessons DIR offers arrive. The page fetches and starts this
// module only when a learner opens a lesson file of their own, and hands
// what it makes of it to the lab.
//
// It registers globalThis.maillabLessonYAML = {compile(source, file,
// files)}, which returns a Promise of the lesson's compiled JSON, or
// rejects with every problem found, each at its line and column; files
// is the JSON of the lesson's Maildir fixture files, if any. It then calls
// globalThis.maillabLessonYAMLReady, if the page set it.
package main

import (
	"encoding/json"
	"fmt"
	"syscall/js"

	"maillab/sim/lesson"
	"maillab/wasm/jsbridge"
)

func main() {
	api := js.Global().Get("Object").New()
	api.Set("compile", js.FuncOf(func(_ js.Value, args []js.Value) any {
		src, file, files := jsbridge.Arg(args, 0), jsbridge.Arg(args, 1), jsbridge.Arg(args, 2)
		return jsbridge.Promise(func() (any, error) { return compile(src, file, files) })
	}))
	js.Global().Set("maillabLessonYAML", api)
	if ready := js.Global().Get("maillabLessonYAMLReady"); ready.Type() == js.TypeFunction {
		ready.Invoke(api)
	}
	select {} // keep serving callbacks
}

// compile reads and checks a lesson file and returns its compiled JSON.
func compile(src, file, filesJSON string) (string, error) {
	var files map[string][]byte
	if filesJSON != "" {
		if err := json.Unmarshal([]byte(filesJSON), &files); err != nil {
			return "", fmt.Errorf("the lesson's fixture files: %w", err)
		}
	}
	if file == "" {
		file = "lesson.yaml"
	}
	l, err := lesson.ParseFiles(file, []byte(src), files)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(l)
	return string(b), err
}
