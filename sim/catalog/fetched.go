//go:build fetchtexts

package catalog

import "embed"

// The page's module carries only the languages' names: a page fetches the
// texts of the language it shows and gives them to Add, so a first visit
// does not download the others (site/build.mjs writes them to
// texts/<lang>.json).
//
//go:embed texts/*/language.json
var embedded embed.FS

// builtIn is true where Files holds every language's texts.
const builtIn = false
