package main

import (
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"maillab/lessons"
	"maillab/sim/lesson"
	"maillab/sim/proto"
)

// templates are the lesson skeletons, one per protocol: one account, one
// message, a login step and a closing step, in the lab's languages, for
// the instructor to change. Each names its id {{ID}}.
//
//go:embed templates/*.yaml
var templates embed.FS

// runNew writes a lesson skeleton that passes check.
func runNew(args []string, out io.Writer) error {
	fl := flag.NewFlagSet("new", flag.ContinueOnError)
	proto := fl.String("proto", "pop3", "protocol: "+strings.Join(templateProtocols(), ", "))
	id := fl.String("id", "", "lesson id (default: the file name)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() != 1 {
		return errors.New("usage: labctl new [-proto " + strings.Join(templateProtocols(), "|") + "] [-id ID] FILE")
	}
	file := fl.Arg(0)
	if *id == "" {
		*id = idFromName(file)
	}
	if !lesson.ValidID(*id) {
		return fmt.Errorf("lesson id %q: use lower-case letters, digits and dashes, e.g. -id pop3-my-lesson", *id)
	}
	tmpl, err := fs.ReadFile(templates, "templates/"+*proto+".yaml")
	if err != nil {
		return fmt.Errorf("protocol %q is not one of %s", *proto, strings.Join(templateProtocols(), ", "))
	}
	if _, err := os.Stat(file); err == nil {
		return fmt.Errorf("%s already exists", file)
	}
	if err := os.WriteFile(file, []byte(strings.ReplaceAll(string(tmpl), "{{ID}}", *id)), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %s; check it with: labctl check %s\n", file, file)
	// The skeleton's first line points editors at schema.json beside it.
	schema := filepath.Join(filepath.Dir(file), "schema.json")
	if _, err := os.Stat(schema); errors.Is(err, fs.ErrNotExist) {
		b, err := fs.ReadFile(lessons.FS(), "schema.json")
		if err == nil {
			err = os.WriteFile(schema, b, 0o644)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "wrote %s, the lesson format for your editor's YAML plug-in\n", schema)
	}
	return nil
}

// idFromName makes a lesson id of a file name: "My_Lesson 2.yaml" gives
// "my-lesson-2".
func idFromName(file string) string {
	base := strings.ToLower(strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)))
	var b strings.Builder
	dash := false
	for _, r := range base {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
	}
	if b.Len() == 0 {
		return "lesson"
	}
	return b.String()
}

// templateProtocols are the protocols a skeleton exists for, in the
// registry's order.
func templateProtocols() []string {
	var out []string
	for _, p := range proto.Names() {
		if _, err := fs.Stat(templates, "templates/"+p+".yaml"); err == nil {
			out = append(out, p)
		}
	}
	return out
}
