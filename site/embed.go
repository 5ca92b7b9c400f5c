// Package site holds the browser lab: its sources, its npm build, and the
// built assets that labserver embeds so that one binary serves everything.
package site

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist is the built site (`make site` fills site/dist).
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory
	}
	return sub
}
