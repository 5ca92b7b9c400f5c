//go:build !fetchtexts

package catalog

import "embed"

// Every language's texts are built in.
//
//go:embed texts
var embedded embed.FS

// builtIn is true where Files holds every language's texts.
const builtIn = true
