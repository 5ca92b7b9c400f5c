package main

import (
	"errors"
	"fmt"
	"io"

	"maillab/sim/lesson"
)

// runCheck validates every lesson and replays each one's reference
// solutions through the real sessions. A lesson with any problem, its
// own or the set's (a duplicate id, a missing prerequisite), is not
// reported ok.
func runCheck(args []string, out io.Writer) error {
	ls, errs := loadPaths(args)
	failed := len(errs)
	if failed > 0 {
		fmt.Fprintln(out, errs)
	}
	bad := map[string]bool{}
	for _, e := range errs {
		bad[e.File] = true
	}
	for _, l := range ls {
		if bad[l.File] {
			continue
		}
		if err := lesson.Replay(l); err != nil {
			var le *lesson.Error
			if errors.As(err, &le) {
				le.File = l.File
			}
			fmt.Fprintln(out, err)
			failed++
			continue
		}
		fmt.Fprintf(out, "ok   %s (%s, %d steps)\n", l.File, l.ID, len(l.Steps))
	}
	if failed > 0 {
		return fmt.Errorf("labctl check: %d problem(s)", failed)
	}
	return nil
}
