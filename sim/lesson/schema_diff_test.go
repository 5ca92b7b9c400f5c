package lesson

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// compileSchema compiles lessons/schema.json with an independent JSON
// Schema validator, the way an editor's YAML plug-in reads it.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("../../lessons/schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// schemaErr validates a YAML lesson against the schema.
func schemaErr(t *testing.T, sch *jsonschema.Schema, src []byte) error {
	t.Helper()
	js, err := yaml.YAMLToJSON(bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")))
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

// TestSchemaAcceptsEveryShippedLesson: an editor must not underline a
// lesson that labctl check passes.
func TestSchemaAcceptsEveryShippedLesson(t *testing.T) {
	sch := compileSchema(t)
	files, _ := filepath.Glob("../../lessons/*.yaml")
	if len(files) < 19 {
		t.Fatalf("found %d lessons", len(files))
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := schemaErr(t, sch, src); err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
		}
	}
}

// TestSchemaAgreesWithTheLoader plays mutations of a valid lesson through
// both the loader and the schema. Whatever the loader accepts, the schema
// must accept (or editors underline valid lessons); what the schema can
// express, it must reject as the loader does. Rules only labctl check can
// know (every text in the title's languages, transitions of the lesson's
// own protocol) are marked loaderOnly.
func TestSchemaAgreesWithTheLoader(t *testing.T) {
	sch := compileSchema(t)
	base := `id: agree
protocol: pop3
level: 1
title: {en: T, ru: Т}
fixture:
  accounts:
    - user: melanie
      password: toybox
      messages:
        - {from: a@example.org, subject: Hi, body: "first"}
steps:
  - text: {en: Log in, ru: Войдите}
    goals:
      - state: transaction
      - flagged: {uid: 1, flag: '\Seen', absent: true}
    solution: [USER melanie, PASS toybox]
  - text: {en: Answer, ru: Ответьте}
    questions:
      - kind: short
        text: {en: Port?, ru: Порт?}
        answers: ["110"]
      - kind: single
        text: {en: Q, ru: В}
        choices:
          - {text: {en: a, ru: а}, correct: true}
          - {text: {en: b, ru: б}}
`
	cases := []struct {
		name, from, to string
		ok             bool // the loader accepts it
		loaderOnly     bool // a rejection the schema cannot express
	}{
		{name: "base", ok: true},
		{name: "English title, texts in more languages", from: "{en: T, ru: Т}", to: "{en: T}", ok: true},
		{name: "every text English only", from: "ru: Т}", to: "ru: Т}\nsummary: {en: S, ru: С}", ok: true},
		{name: "Slovak title and texts", from: "title: {en: T, ru: Т}", to: "title: {en: T, ru: Т, sk: T}", ok: false, loaderOnly: true},
		{name: "empty text", from: "{en: Log in, ru: Войдите}", to: `{en: Log in, ru: ""}`},
		{name: "unknown language", from: "{en: T, ru: Т}", to: "{en: T, ru: Т, de: T}"},
		{name: "unknown key", from: "      password: toybox", to: "      pasword: toybox"},
		{name: "no password", from: "      password: toybox\n", to: ""},
		{name: "empty password", from: "      password: toybox", to: `      password: ""`},
		{name: "level as text", from: "level: 1", to: `level: "1"`},
		{name: "level fraction", from: "level: 1", to: "level: 1.5"},
		{name: "level zero", from: "level: 1", to: "level: 0"},
		{name: "subject a number", from: "subject: Hi", to: "subject: 2024"},
		{name: "subject quoted number", from: "subject: Hi", to: `subject: "2024"`, ok: true},
		{name: "empty body", from: `body: "first"`, to: "body: "},
		{name: "date alone", from: `{from: a@example.org, subject: Hi, body: "first"}`, to: "{date: 2024-03-01T10:00:00Z}"},
		{name: "raw and short", from: `{from: a@example.org, subject: Hi, body: "first"}`, to: `{raw: "Subject: x\n\nbody\n", subject: x}`},
		{name: "unknown state", from: "state: transaction", to: "state: TRANSACTION"},
		{name: "IMAP state in POP3", from: "state: transaction", to: "state: selected", loaderOnly: true},
		{name: "POP3 state in an IMAP lesson", from: "protocol: pop3", to: "protocol: imap", loaderOnly: true},
		{name: "transition", from: "- state: transaction", to: "- transition: login", ok: true},
		{name: "IMAP transition in POP3", from: "- state: transaction", to: "- transition: 4", loaderOnly: true},
		{name: "flagged without message", from: "flagged: {uid: 1, flag: '\\Seen', absent: true}", to: "flagged: {flag: '\\Seen'}"},
		{name: "two goal kinds", from: "- state: transaction", to: "- {state: transaction, command: {verb: STAT}}"},
		{name: "no goals nor questions", from: "    goals:\n      - state: transaction\n      - flagged: {uid: 1, flag: '\\Seen', absent: true}\n    solution: [USER melanie, PASS toybox]\n", to: ""},
		{name: "goals without solution", from: "    solution: [USER melanie, PASS toybox]\n", to: ""},
		{name: "bad action", from: "[USER melanie, PASS toybox]", to: "[':kill', PASS toybox]"},
		{name: "action", from: "[USER melanie, PASS toybox]", to: "[':connect other', ':use main', USER melanie, PASS toybox]", ok: true},
		{name: "short without answers", from: `        answers: ["110"]` + "\n", to: ""},
		{name: "short with pattern only", from: `        answers: ["110"]`, to: `        pattern: '1\d0'`},
		{name: "short with pattern", from: `        answers: ["110"]`, to: `        answers: ["110"]` + "\n" + `        pattern: '1\d0'`, ok: true},
		{name: "short with choices", from: `        answers: ["110"]`, to: `        answers: ["110"]` + "\n        choices: [{text: {en: a, ru: а}}, {text: {en: b, ru: б}, correct: true}]"},
		{name: "single with two correct", from: "          - {text: {en: b, ru: б}}", to: "          - {text: {en: b, ru: б}, correct: true}"},
		{name: "single with none correct", from: "          - {text: {en: a, ru: а}, correct: true}", to: "          - {text: {en: a, ru: а}}"},
		{name: "multiple with two correct", from: "      - kind: single\n        text: {en: Q, ru: В}\n        choices:\n          - {text: {en: a, ru: а}, correct: true}\n          - {text: {en: b, ru: б}}",
			to: "      - kind: multiple\n        text: {en: Q, ru: В}\n        choices:\n          - {text: {en: a, ru: а}, correct: true}\n          - {text: {en: b, ru: б}, correct: true}", ok: true},
		{name: "unknown question kind", from: "      - kind: single", to: "      - kind: essay"},
		{name: "maildir escapes", from: "fixture:\n", to: "fixture:\n  maildir: ../../etc\n"},
		{name: "maildir absolute", from: "fixture:\n", to: "fixture:\n  maildir: /etc\n"},
		{name: "bad APOP timestamp", from: "fixture:\n", to: "fixture:\n  apop_timestamp: nope\n"},
		{name: "bad clock", from: "fixture:\n", to: "fixture:\n  clock: yesterday\n"},
		{name: "byte-order mark", from: "id: agree", to: "\ufeffid: agree", ok: true},
		{name: "bad id", from: "id: agree", to: "id: Agree_1"},
		{name: "closed by logout", from: "- state: transaction", to: "- closed: {by: logout}", ok: true},
		{name: "closed by accident", from: "- state: transaction", to: "- closed: {by: accident}"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(base, c.from, c.to, 1)
			if c.from != "" && src == base {
				t.Fatalf("%q is not in the base lesson", c.from)
			}
			_, lerr := Parse("agree.yaml", []byte(src))
			serr := schemaErr(t, sch, []byte(src))
			switch {
			case c.ok && lerr != nil:
				t.Fatalf("the loader rejects it: %v", lerr)
			case !c.ok && lerr == nil:
				t.Fatalf("the loader accepts it")
			case lerr == nil && serr != nil:
				t.Errorf("the loader accepts it, the schema rejects it: %v", serr)
			case lerr != nil && serr == nil && !c.loaderOnly:
				t.Errorf("the loader rejects it (%v), the schema accepts it", lerr)
			}
		})
	}
}

// TestSchemaRequiredKeysMatchTheLoader keeps the loader's table of
// required keys and the schema's "required" lists alike.
func TestSchemaRequiredKeysMatchTheLoader(t *testing.T) {
	sch := compileSchema(t)
	byType := map[reflect.Type]*jsonschema.Schema{
		reflect.TypeOf(Lesson{}): sch,
	}
	// Walk the schema beside the Go types, as TestSchemaMatchesTheFormat
	// does for keys.
	var walk func(typ reflect.Type, s *jsonschema.Schema)
	walk = func(typ reflect.Type, s *jsonschema.Schema) {
		for s.Ref != nil {
			s = s.Ref
		}
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
			if s.Items2020 != nil {
				s = s.Items2020
				for s.Ref != nil {
					s = s.Ref
				}
			}
		}
		if typ.Kind() != reflect.Struct || typ == reflect.TypeOf(Text{}) {
			return
		}
		if _, seen := byType[typ]; seen && typ != reflect.TypeOf(Lesson{}) {
			return
		}
		byType[typ] = s
		for name, ft := range yamlFields(typ) {
			if p, ok := s.Properties[name]; ok {
				walk(ft, p)
			}
		}
	}
	walk(reflect.TypeOf(Lesson{}), sch)
	for typ, s := range byType {
		want := slices.Clone(s.Required)
		got := slices.Clone(required[typ])
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: the loader requires %v, the schema %v", typ.Name(), got, want)
		}
	}
}
