package main

import (
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
)

// runNew writes a lesson skeleton that passes check: one account, one
// message, a login step and a closing step, in English, Russian and
// Slovak, for the instructor to change.
func runNew(args []string, out io.Writer) error {
	fl := flag.NewFlagSet("new", flag.ContinueOnError)
	proto := fl.String("proto", "pop3", "protocol: pop3 or imap")
	id := fl.String("id", "", "lesson id (default: the file name)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() != 1 {
		return errors.New("usage: labctl new [-proto pop3|imap] [-id ID] FILE")
	}
	file := fl.Arg(0)
	if *id == "" {
		*id = idFromName(file)
	}
	if !lesson.ValidID(*id) {
		return fmt.Errorf("lesson id %q: use lower-case letters, digits and dashes, e.g. -id pop3-my-lesson", *id)
	}
	tmpl, ok := skeletons[*proto]
	if !ok {
		return fmt.Errorf("protocol %q is not one of pop3, imap", *proto)
	}
	if _, err := os.Stat(file); err == nil {
		return fmt.Errorf("%s already exists", file)
	}
	if err := os.WriteFile(file, []byte(strings.ReplaceAll(tmpl, "{{ID}}", *id)), 0o644); err != nil {
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

var skeletons = map[string]string{
	"pop3": `# yaml-language-server: $schema=schema.json
id: {{ID}}
protocol: pop3
level: 1
title:
  en: A new POP3 lesson
  ru: Новый урок по POP3
  sk: Nová lekcia o POP3
fixture:
  accounts:
    - user: melanie
      password: toybox
      messages:
        - from: alex@example.org
          to: melanie@example.org
          subject: Hello
          body: A first message.
steps:
  - text:
      en: Log in as **melanie** with the password **toybox**.
      ru: Войдите как **melanie** с паролем **toybox**.
      sk: Prihláste sa ako **melanie** s heslom **toybox**.
    goals:
      - state: transaction
    hints:
      - en: Send USER, then PASS.
        ru: Отправьте USER, затем PASS.
        sk: Pošlite USER a potom PASS.
    solution:
      - USER melanie
      - PASS toybox
  - text:
      en: End the session with QUIT.
      ru: Завершите сеанс командой QUIT.
      sk: Ukončite spojenie príkazom QUIT.
    goals:
      - state: update
    solution:
      - QUIT
`,
	"imap": `# yaml-language-server: $schema=schema.json
id: {{ID}}
protocol: imap
level: 1
title:
  en: A new IMAP lesson
  ru: Новый урок по IMAP
  sk: Nová lekcia o IMAP
fixture:
  accounts:
    - user: alex
      password: drums
      messages:
        - from: melanie@example.org
          to: alex@example.org
          subject: Hello
          body: A first message.
steps:
  - text:
      en: Log in as **alex** with the password **drums**.
      ru: Войдите как **alex** с паролем **drums**.
      sk: Prihláste sa ako **alex** s heslom **drums**.
    goals:
      - state: authenticated
    hints:
      - en: Every IMAP command starts with a tag, e.g. a1 LOGIN user password.
        ru: Каждая команда IMAP начинается с метки, например a1 LOGIN имя пароль.
        sk: Každý príkaz IMAP začína značkou, napr. a1 LOGIN meno heslo.
    solution:
      - a1 LOGIN alex drums
  - text:
      en: End the session with LOGOUT.
      ru: Завершите сеанс командой LOGOUT.
      sk: Ukončite spojenie príkazom LOGOUT.
    goals:
      - state: logout
    solution:
      - a2 LOGOUT
`,
}
