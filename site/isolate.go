package site

import "net/http"

// Isolate sets the headers that make the lab's page cross-origin isolated
// (a document of its own origin only, which loads nothing from another):
// the browser then lets the page share memory with the simulator's
// thread, and a line typed is answered within the task of the key that
// sent it, painted in the frame that key asks for (src/remote.js
// callNow). A host that does not send them serves a page that works the
// same, each answer a frame later.
func Isolate(h http.Header) {
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Embedder-Policy", "require-corp")
}
