package lesson

import "maillab/sim/catalog"

// texts are the engine's own messages, the catalogue "lesson" (package
// catalog). Each "not yet" reason says what is missing in the learner's
// terms, with the protocol word the lectures use.
var texts = catalog.Get("lesson")

// tr formats the engine text key in lang.
func tr(lang, key string, args ...any) string {
	return texts.Text(lang, key, args...)
}
