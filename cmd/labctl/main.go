// Command labctl is the instructor's tool for lessons: it validates them
// and replays their reference solutions through the simulator (check),
// scaffolds a new lesson (new), plays one in the terminal (play), bundles
// lessons for the browser lab (export) and checks the translations of the
// lab's texts (catalog check).
package main

import (
	"fmt"
	"os"
	"strings"

	"maillab/sim/lesson"
	_ "maillab/sim/lesson/withmailpath" // lessons with mail domains
)

// usage is the help; the languages are those of the catalogues.
var usage = `usage:
  labctl check [files|dirs...]          validate lessons and replay their solutions (default: lessons)
  labctl new [-proto PROTOCOL] [-id ID] FILE
                                        write a lesson skeleton that passes check
                                        (and schema.json beside it, when there is none)
  labctl play [-lang LANG] FILE         play a lesson in this terminal, as a student would
                                        (LANG: ` + strings.Join(lesson.Languages, ", ") + `)
  labctl export [-o FILE] [dirs...]     write the lessons as one JSON bundle for the browser
  labctl schema [-w] FILE               regenerate a lesson schema's protocols, states and
                                        transitions from the lab's protocols (-w: in place)
  labctl dig [-topology FILE | -lesson FILE] NAME [MX|A|PTR]
                                        what the mail path's DNS answers, as dig prints it
                                        (the demo topology, labserver's -topology FILE, or a
                                        lesson's fixture)
  labctl catalog check [DIR]            check the translations of the lab's texts against English:
                                        missing, stale, other fmt arguments; with DIR, the tree
                                        DIR/texts/<lang>/*.json on disk (a new language: copy
                                        texts/en to texts/<lang> and translate the values)
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
	case "catalog":
		err = runCatalog(args, os.Stdout)
	case "dig":
		err = runDig(args, os.Stdout)
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
