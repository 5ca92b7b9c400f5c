// Package lessons holds the course's lessons (one YAML file each), their
// JSON Schema and fixtures, embedded so the browser lab and labserver ship
// them. `labctl check lessons` validates and replays every one.
package lessons

import (
	"embed"
	"io/fs"
)

//go:embed *.yaml schema.json
var files embed.FS

// FS is the lessons folder.
func FS() fs.FS { return files }
