package lesson

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestDecodeReadsWhatParseRead: every shipped lesson, compiled to JSON as
// a bundle carries it, decodes to the very lesson its YAML is, and its
// reference solution plays.
func TestDecodeReadsWhatParseRead(t *testing.T) {
	ls, err := LoadDir(osDirFS("../../lessons"), ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) < 10 {
		t.Fatalf("found %d lessons", len(ls))
	}
	for _, l := range ls {
		b, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		d, err := Decode(b, nil)
		if err != nil {
			t.Errorf("%s: %v", l.File, err)
			continue
		}
		want := *l
		want.Source, want.pos, want.fsys = "", nil, nil
		if got := *d; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: decoded lesson differs from the parsed one:\n%+v\n%+v", l.File, got, want)
		}
		if err := Replay(d); err != nil {
			t.Errorf("%s: replaying the decoded lesson: %v", l.File, err)
		}
	}
}

// TestDecodeRefusesWhatIsNotALesson: bad JSON, unknown keys and a lesson
// that fails its checks are errors that say what is wrong, and where.
func TestDecodeRefusesWhatIsNotALesson(t *testing.T) {
	l, err := Parse("pop3-x.yaml", []byte(`id: pop3-x
protocol: pop3
level: 1
title: {en: T, ru: Т}
fixture:
  accounts: [{user: kim, password: secret}]
steps:
  - text: {en: Log in, ru: Войдите}
    goals: [{command: {verb: STAT}}]
    solution: [USER kim, PASS secret, STAT]
`))
	if err != nil {
		t.Fatal(err)
	}
	good, _ := json.Marshal(l)
	for _, c := range []struct{ name, json, want string }{
		{"not JSON", `id: pop3-x`, "not a compiled lesson"},
		{"an unknown key", strings.Replace(string(good), `"level":1`, `"level":1,"lvl":2`, 1), `unknown field "lvl"`},
		{"data after it", string(good) + `{}`, "data after the lesson"},
		{"an unknown verb", strings.Replace(string(good), `"verb":"STAT"`, `"verb":"STATUS"`, 1), "$.steps[0].goals[0]"},
		{"too big", `"` + strings.Repeat("x", MaxCompiledSize) + `"`, "larger than"},
	} {
		_, err := Decode([]byte(c.json), nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", c.name, err, c.want)
		}
	}
}
