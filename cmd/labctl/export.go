package main

import (
	"flag"
	"io"
	"os"

	"maillab/sim/lesson"
)

// runExport writes the lessons (checked first) as one JSON bundle, the
// form the browser lab loads its shipped lessons in.
func runExport(args []string, out io.Writer) error {
	fl := flag.NewFlagSet("export", flag.ContinueOnError)
	o := fl.String("o", "", "output file (default: standard output)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	ls, errs := loadPaths(fl.Args())
	if len(errs) > 0 {
		return errs
	}
	b, err := lesson.Bundle(ls)
	if err != nil {
		return err
	}
	if *o == "" {
		_, err = out.Write(b)
		return err
	}
	return os.WriteFile(*o, b, 0o644)
}
