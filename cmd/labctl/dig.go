package main

import (
	"errors"
	"flag"
	"io"
	"os"

	"maillab/sim/mailpath"
)

// runDig prints what the mail path's DNS answers for a name, as dig(1)
// prints it: the demo topology's, or that of -topology FILE (labserver's
// file, or the same keys of a lesson's fixture).
func runDig(args []string, out io.Writer) error {
	fl := flag.NewFlagSet("dig", flag.ContinueOnError)
	file := fl.String("topology", "", "a topology `FILE` (YAML); without it the demo topology")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() < 1 || fl.NArg() > 2 {
		return errors.New("usage: labctl dig [-topology FILE] NAME [MX|A|PTR]")
	}
	top := mailpath.Demo()
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
