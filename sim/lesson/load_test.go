package lesson

import (
	"strings"
	"testing"
)

const minimal = `id: t
protocol: pop3
level: 1
title: {en: T, ru: Т, sk: T}
fixture:
  accounts:
    - user: melanie
      password: toybox
steps:
  - text: {en: Log in, ru: Войдите, sk: Prihláste sa}
    goals:
      - state: transaction
    solution: [USER melanie, PASS toybox]
`

// loadErr parses src and returns the single error it must produce.
func loadErr(t *testing.T, src string) *Error {
	t.Helper()
	_, err := Parse("x.yaml", []byte(src))
	es, ok := err.(Errors)
	if !ok || len(es) == 0 {
		t.Fatalf("want errors, got %v", err)
	}
	return es[0]
}

func TestMinimalLessonLoads(t *testing.T) {
	l, err := Parse("x.yaml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if l.ID != "t" || len(l.Steps) != 1 || l.Steps[0].Goals[0].State != "transaction" {
		t.Fatalf("decoded %+v", l)
	}
}

func TestLoaderErrorsNameLineAndColumn(t *testing.T) {
	cases := []struct {
		name, from, to string
		line, col      int
		msg            string
	}{
		{"unknown key", "      password: toybox", "      pasword: toybox", 8, 7, `unknown key "pasword"; did you mean "password"?`},
		{"bad type", "level: 1", "level: [1]", 3, 8, "level: expected a whole number, found a list"},
		{"number for text", "password: toybox", "password: 1234", 8, 17, `password: expected text, found the number 1234; put it in quotes: "1234"`},
		{"text for a number", "level: 1", `level: "1"`, 3, 8, `level: expected a whole number, found the text "1"`},
		{"fraction", "level: 1", `level: 1.5`, 3, 8, `level: expected a whole number, found the number 1.5`},
		{"missing key", "protocol: pop3\n", "", 1, 1, `missing key "protocol"`},
		{"empty list", "    solution: [USER melanie, PASS toybox]", "    solution:", 13, 5, `solution: expected a list, found nothing`},
		{"bad transition", "      - state: transaction", "      - transition: logon", 12, 21, `pop3 has no transition "logon"`},
		{"unknown state", "      - state: transaction", "      - state: selected", 12, 16, `pop3 has no state "selected"`},
		{"unknown goal kind", "      - state: transaction", "      - stat: transaction", 12, 9, `unknown key "stat"; did you mean "state"?`},
		{"two kinds", "      - state: transaction", "      - {state: transaction, transition: login}", 12, 9, "exactly one of"},
		{"missing Slovak", "{en: Log in, ru: Войдите, sk: Prihláste sa}", "{en: Log in, ru: Войдите}", 10, 11, `missing "sk" text (the title is written in en, ru, sk)`},
		{"no title language", "title: {en: T, ru: Т, sk: T}", "title: {}", 4, 8, "at least one of en, ru, sk"},
		{"no solution", "    solution: [USER melanie, PASS toybox]\n", "", 10, 9, "needs a solution"},
		{"unknown command", "      - state: transaction", "      - command: {verb: FETCH}", 12, 25, `pop3 has no command "FETCH"`},
		{"bad regexp", "      - state: transaction", "      - response: {match: '(('}", 12, 27, "bad regular expression"},
		{"unknown protocol", "protocol: pop3", "protocol: smpt", 2, 11, `protocol "smpt" is not one of pop3, imap, smtp, lmtp`},
		{"bad action", "[USER melanie, PASS toybox]", "[':jump']", 13, 16, "unknown"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(minimal, c.from, c.to, 1)
			if src == minimal {
				t.Fatalf("replacement %q not found", c.from)
			}
			e := loadErr(t, src)
			if e.File != "x.yaml" || e.Line != c.line || e.Col != c.col || !strings.Contains(e.Msg, c.msg) {
				t.Errorf("got %s:%d:%d: %s\nwant x.yaml:%d:%d: …%s…", e.File, e.Line, e.Col, e.Msg, c.line, c.col, c.msg)
			}
			if !strings.Contains(e.Error(), "^") {
				t.Errorf("error has no source excerpt with a caret:\n%s", e)
			}
		})
	}
}

func TestPrerequisitesMustExist(t *testing.T) {
	src := strings.Replace(minimal, "level: 1", "level: 1\nprerequisites: [nope]", 1)
	l, err := Parse("x.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	es := CheckSet([]*Lesson{l}, nil)
	if len(es) != 1 || es[0].Line != 4 || !strings.Contains(es[0].Msg, `"nope"`) {
		t.Fatalf("got %v", es)
	}
	if es := CheckSet([]*Lesson{l}, map[string]string{"nope": "nope.yaml"}); len(es) != 0 {
		t.Fatalf("a known sibling id still fails: %v", es)
	}
	// A neighbour with the same id is a duplicate even when checked alone.
	if es := CheckSet([]*Lesson{l}, map[string]string{l.ID: "other.yaml", "nope": "nope.yaml"}); len(es) != 1 || !strings.Contains(es[0].Msg, "already used by other.yaml") {
		t.Fatalf("a neighbour's id: %v", es)
	}
	if id := PeekID([]byte("# c\ntitle: {en: x}\nid: \"my-id\" # comment\n")); id != "my-id" {
		t.Errorf("PeekID = %q", id)
	}
}

func TestMaildirMustStayInsideTheLessonFolder(t *testing.T) {
	src := strings.Replace(minimal, "fixture:\n", "fixture:\n  maildir: ../../etc\n", 1)
	e := loadErr(t, src)
	if e.Line != 6 || !strings.Contains(e.Msg, "inside the lesson's folder") {
		t.Fatalf("got %s", e)
	}
}

func TestLessonSizeIsBounded(t *testing.T) {
	big := minimal + "# " + strings.Repeat("x", MaxLessonSize) + "\n"
	if e := loadErr(t, big); !strings.Contains(e.Msg, "larger than 1024 KiB") {
		t.Errorf("got %s", e)
	}
	// A byte-order mark, as some editors write, is not an error.
	if _, err := Parse("x.yaml", []byte("\ufeff"+minimal)); err != nil {
		t.Errorf("with a byte-order mark: %v", err)
	}
}
