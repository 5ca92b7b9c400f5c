package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"maillab/sim/catalog"
)

const catalogUsage = "usage: labctl catalog check [DIR]"

// runCatalog checks translations: every language's catalogues against
// English, one line per text missing, stale or taking other arguments.
// With DIR it checks the tree DIR/texts/<lang>/<name>.json on disk, where a
// teacher copies texts/en to a new language and translates it; without,
// the catalogues built into labctl.
func runCatalog(args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "check" || len(args) > 2 {
		return errors.New(catalogUsage)
	}
	fsys, where, prefix := catalog.Files, "the built-in catalogues", ""
	if len(args) == 2 {
		dir := args[1]
		if st, err := os.Stat(filepath.Join(dir, "texts")); err != nil || !st.IsDir() {
			return fmt.Errorf("labctl catalog check: %s has no texts/ folder; give the folder that holds texts/<lang>/<name>.json (in the source tree: sim/catalog)", dir)
		}
		fsys, where, prefix = os.DirFS(dir), dir, dir+string(filepath.Separator)
	}
	problems, err := catalog.Check(fsys)
	if err != nil {
		return fmt.Errorf("labctl catalog check: %s: %w", where, err)
	}
	for _, p := range problems {
		fmt.Fprintln(out, prefix+filepath.FromSlash(p.String()))
	}
	langs, _ := catalog.LanguagesIn(fsys)
	names, _ := catalog.Names(fsys)
	if len(problems) > 0 {
		return fmt.Errorf("labctl catalog check: %d problems in %s", len(problems), where)
	}
	fmt.Fprintf(out, "%s: %d catalogues (%s) in %d languages (%s), nothing missing\n",
		where, len(names), strings.Join(names, ", "), len(langs), strings.Join(langs, ", "))
	return nil
}
