package main

import (
	"errors"
	"flag"
	"io"
	"os"

	"maillab/sim/lesson"
)

// runSchema regenerates the parts of a lesson schema the protocol registry
// knows (lesson.Schema) and prints the schema, or writes it back with -w.
func runSchema(args []string, out io.Writer) error {
	fl := flag.NewFlagSet("schema", flag.ContinueOnError)
	write := fl.Bool("w", false, "write the result back to FILE instead of printing it")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() != 1 {
		return errors.New("usage: labctl schema [-w] FILE (e.g. lessons/schema.json)")
	}
	file := fl.Arg(0)
	src, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	gen, err := lesson.Schema(src)
	if err != nil {
		return err
	}
	if *write {
		return os.WriteFile(file, gen, 0o644)
	}
	_, err = out.Write(gen)
	return err
}
