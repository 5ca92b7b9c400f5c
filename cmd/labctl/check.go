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
	// Lessons sharing an id are all in question, not only the later ones.
	byID := map[string][]string{}
	for _, l := range ls {
		byID[l.ID] = append(byID[l.ID], l.File)
	}
	for _, files := range byID {
		for _, f := range files {
			bad[f] = bad[f] || len(files) > 1
		}
	}
	for _, l := range ls {
		for _, w := range l.Warnings() {
			fmt.Fprintln(out, "warning:", w)
		}
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
		steps := "steps"
		if len(l.Steps) == 1 {
			steps = "step"
		}
		fmt.Fprintf(out, "ok   %s (%s, %d %s)\n", l.File, l.ID, len(l.Steps), steps)
	}
	if failed > 0 {
		return fmt.Errorf("labctl check: %d problem(s)", failed)
	}
	return nil
}
