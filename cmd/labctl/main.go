// Command labctl is the instructor's tool for lessons: it validates them
// and replays their reference solutions through the simulator (check),
// scaffolds a new lesson (new), plays one in the terminal (play) and
// bundles lessons for the browser lab (export).
package main

import (
	"fmt"
	"os"
)

const usage = `usage:
  labctl check [files|dirs...]          validate lessons and replay their solutions (default: lessons)
  labctl new [-proto pop3|imap] [-id ID] FILE
                                        write a lesson skeleton that passes check
                                        (and schema.json beside it, when there is none)
  labctl play [-lang en|ru|sk] FILE     play a lesson in this terminal, as a student would
  labctl export [-o FILE] [dirs...]     write the lessons as one JSON bundle for the browser
  labctl schema [-w] FILE               regenerate a lesson schema's protocols, states and
                                        transitions from the lab's protocols (-w: in place)
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	args := os.Args[2:]
	switch os.Args[1] {
	case "check":
		err = runCheck(args, os.Stdout)
	case "new":
		err = runNew(args, os.Stdout)
	case "play":
		err = runPlay(args, os.Stdin, os.Stdout)
	case "export":
		err = runExport(args, os.Stdout)
	case "schema":
		err = runSchema(args, os.Stdout)
	case "help", "-h", "--help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "labctl: unknown command %q\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
