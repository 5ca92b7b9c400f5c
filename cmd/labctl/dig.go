package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"maillab/sim/lesson"
	"maillab/sim/mailpath"
)

// runDig prints what the mail path's DNS answers for a name, as dig(1)
// prints it: the demo topology's, that of -topology FILE (labserver's
// file, or the same keys of a lesson's fixture), or that of the lesson
// -lesson FILE, as the lesson's mail path answers.
func runDig(args []string, out io.Writer) error {
	fl := flag.NewFlagSet("dig", flag.ContinueOnError)
	file := fl.String("topology", "", "a topology `FILE` (YAML); without it the demo topology")
	lessonFile := fl.String("lesson", "", "a lesson `FILE` whose fixture has mail domains")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() < 1 || fl.NArg() > 2 {
		return errors.New("usage: labctl dig [-topology FILE | -lesson FILE] NAME [MX|A|PTR]")
	}
	top := mailpath.Demo()
	if *lessonFile != "" {
		l, err := lesson.LoadFS(os.DirFS(filepath.Dir(*lessonFile)), filepath.Base(*lessonFile))
		if err != nil {
			return err
		}
		if len(l.Fixture.Domains) == 0 {
			return fmt.Errorf("%s: the lesson has no mail path (fixture.domains)", *lessonFile)
		}
		t := l.Fixture.Topology
		top = &t
	}
	if *file != "" {
		data, err := os.ReadFile(*file)
		if err != nil {
			return err
		}
		if top, err = mailpath.ParseTopology(data); err != nil {
			return err
		}
	}
	qtype := ""
	if fl.NArg() == 2 {
		qtype = fl.Arg(1)
	}
	_, err := io.WriteString(out, mailpath.NewDNS(top).Dig(fl.Arg(0), qtype))
	return err
}
