package main

import (
	"errors"
	"fmt"
	"io"

	"maillab/sim/lesson"
)

// runCheck validates every lesson and replays each one's reference
// solutions through the real sessions.
func runCheck(args []string, out io.Writer) error {
	ls, err := loadPaths(args)
	failed := 0
	if err != nil {
		fmt.Fprintln(out, err)
		failed += len(asErrors(err))
	}
	for _, l := range ls {
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
