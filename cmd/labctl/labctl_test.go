package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"maillab/sim/catalog"
	"maillab/sim/proto"
)

func TestCheckShippedLessons(t *testing.T) {
	var out bytes.Buffer
	if err := runCheck([]string{"../../lessons"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if n := strings.Count(out.String(), "ok   "); n < 19 {
		t.Errorf("only %d lessons checked:\n%s", n, out.String())
	}
}

func TestCheckNamesFileLineAndStep(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := runNew([]string{"-id", "bad", bad}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	src, _ := os.ReadFile(bad)
	// A solution that does not reach its goal: the wrong password.
	os.WriteFile(bad, bytes.Replace(src, []byte("- PASS toybox"), []byte("- PASS wrong"), 1), 0o644)
	var out bytes.Buffer
	if err := runCheck([]string{dir}, &out); err == nil {
		t.Fatalf("check passed a lesson whose solution fails:\n%s", out.String())
	}
	want := bad + ":19:9: step 1 did not complete after its solution: not yet: the session is in the AUTHORIZATION state; this step needs the TRANSACTION state"
	if !strings.Contains(out.String(), want) {
		t.Errorf("output:\n%s\nwant a line:\n%s", out.String(), want)
	}
	if !strings.Contains(out.String(), "-ERR") {
		t.Errorf("the transcript of the failed step is missing:\n%s", out.String())
	}
}

func TestNewScaffoldsLessonsThatPassCheck(t *testing.T) {
	dir := t.TempDir()
	// Every registered protocol has its skeleton.
	for _, proto := range proto.Names() {
		f := filepath.Join(dir, proto+"-new.yaml")
		if err := runNew([]string{"-proto", proto, f}, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := runCheck([]string{f}, &out); err != nil {
			t.Fatalf("%s: %v\n%s", proto, err, out.String())
		}
	}
	if err := runNew([]string{filepath.Join(dir, "pop3-new.yaml")}, &bytes.Buffer{}); err == nil {
		t.Error("new overwrote an existing file")
	}
}

// TestPlayInTheTerminal plays the first POP3 lesson with typed input:
// hints and the solution on request, the protocol lines, the questions.
func TestPlayInTheTerminal(t *testing.T) {
	in := strings.Join([]string{
		":hint",
		"USER melanie",
		":solution",
		"PASS toybox",
		"STAT",
		"2", "1", // a wrong answer, then the right one
		"LIST", "LIST 1",
		"LIST 3",
		"QUIT",
		"2", "110",
	}, "\n") + "\n"
	var out bytes.Buffer
	if err := runPlay([]string{"../../lessons/pop3-01-first-session.yaml"}, strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	o := out.String()
	for _, want := range []string{
		"-- step 1 of 7 --",
		"hint: A POP3 command is a keyword",
		"solution (type it yourself",
		"+OK 2 820",
		"not quite; try again",
		"correct.",
		"-ERR",
		"== lesson complete ==",
	} {
		if !strings.Contains(o, want) {
			t.Errorf("play output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(o)
	}
}

// TestPlaySpeaksTheLessonLanguage: with -lang ru the player's own words
// are Russian, a question can be skipped (showing its answer), lab
// commands are not taken as answers, and a line that completes a step is
// followed by the step's announcement, not by the next step's reasons.
func TestPlaySpeaksTheLessonLanguage(t *testing.T) {
	in := "USER melanie\nPASS toybox\nSTAT\n:hint\n:skip\n:quit\n"
	var out bytes.Buffer
	if err := runPlay([]string{"-lang", "ru", "../../lessons/pop3-01-first-session.yaml"}, strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	o := out.String()
	for _, want := range []string{"-- шаг 1 из 7 --", "✓ шаг 1 выполнен.", "введите номер ответа", "сначала ответьте на вопрос", "ответ: 1", "-- шаг 4 из 7 --"} {
		if !strings.Contains(o, want) {
			t.Errorf("play output lacks %q", want)
		}
	}
	if i := strings.Index(o, "✓ шаг 1 выполнен."); i > 0 && strings.Contains(o[:i], "ещё не выполнено") {
		t.Errorf("a 'not yet' reason came before step 1 was announced done")
	}
	if strings.Contains(o, "**") || strings.Contains(o, "`") {
		t.Errorf("Markdown marks reached the terminal")
	}
	if t.Failed() {
		t.Log(o)
	}
}

// TestNewMakesAValidIDAndTheSchema: a file name that is not an id gives
// one that is, an id given that is not valid is refused before anything is
// written, and the schema the skeleton's first line names is beside it.
func TestNewMakesAValidIDAndTheSchema(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "My_Lesson 2.yaml")
	if err := runNew([]string{f}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	src, _ := os.ReadFile(f)
	if !strings.Contains(string(src), "id: my-lesson-2\n") {
		t.Errorf("the skeleton's id:\n%s", src)
	}
	if _, err := os.Stat(filepath.Join(dir, "schema.json")); err != nil {
		t.Errorf("no schema.json beside the skeleton: %v", err)
	}
	var out bytes.Buffer
	if err := runCheck([]string{f}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := runNew([]string{"-id", "Bad Id", bad}, &bytes.Buffer{}); err == nil {
		t.Error("an invalid -id was taken")
	}
	if _, err := os.Stat(bad); err == nil {
		t.Error("a file was written for an invalid -id")
	}
}

// TestCheckSetProblems: duplicate ids are problems of both files, which
// are then not reported ok, a file checked alone may not take its
// neighbour's id, and a folder without lessons is an error.
func TestCheckSetProblems(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.yaml", "b.yaml"} {
		if err := runNew([]string{"-id", "same", filepath.Join(dir, n)}, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	if err := runCheck([]string{dir}, &out); err == nil || strings.Contains(out.String(), "ok   ") {
		t.Errorf("duplicate ids:\n%s", out.String())
	}
	out.Reset()
	if err := runCheck([]string{filepath.Join(dir, "a.yaml")}, &out); err == nil || !strings.Contains(out.String(), `lesson id "same" is already used by `+filepath.Join(dir, "b.yaml")) {
		t.Errorf("a file checked alone with its neighbour's id:\n%s", out.String())
	}
	out.Reset()
	runCheck([]string{dir, filepath.Join(dir, "a.yaml")}, &out)
	if n := strings.Count(out.String(), "is already used by"); n != 1 {
		t.Errorf("a file named twice: %d duplicate reports, want 1 (b.yaml's):\n%s", n, out.String())
	}
	out.Reset()
	empty := t.TempDir()
	if err := runCheck([]string{empty}, &out); err == nil || !strings.Contains(out.String(), "no lesson files") {
		t.Errorf("an empty folder:\n%s", out.String())
	}
}

// labctl schema -w rewrites a schema whose generated parts are stale and
// leaves the hand-written rest alone.
func TestSchemaRewritesTheGeneratedParts(t *testing.T) {
	src, err := os.ReadFile("../../lessons/schema.json")
	if err != nil {
		t.Fatal(err)
	}
	stale := strings.Replace(string(src), `"5r",`, ``, 1)
	file := filepath.Join(t.TempDir(), "schema.json")
	os.WriteFile(file, []byte(stale), 0o644)
	if err := runSchema([]string{"-w", file}, io.Discard); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(file)
	if string(got) != string(src) {
		t.Error("labctl schema -w did not restore the committed schema")
	}
}

// The shipped translations are complete: catalog check without DIR says so.
func TestCatalogCheckBuiltIn(t *testing.T) {
	var out bytes.Buffer
	if err := runCatalog([]string{"check"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "nothing missing") || !strings.Contains(out.String(), "en, ru, sk") ||
		!strings.Contains(out.String(), "lessonpanel") || !strings.Contains(out.String(), "page") {
		t.Errorf("output: %s", out.String())
	}
}

// A teacher copies texts/en to texts/cs and translates: catalog check DIR
// names, one line each, what is missing, stale or takes other arguments,
// and fails.
func TestCatalogCheckDir(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(dir, "texts", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("en/pop3.json", `{"greeting": "Ready.", "list": "%[1]v messages, %[2]v octets.", "stat": "%d messages"}`)
	write("en/lesson.json", `{"done": "done"}`)
	write("cs/pop3.json", `{"list": "%[2]v oktetů, %[1]v zpráv.", "stat": "zprávy", "old": "staré"}`)
	var out bytes.Buffer
	err := runCatalog([]string{"check", dir}, &out)
	if err == nil || !strings.Contains(err.Error(), "4 problems") {
		t.Errorf("err = %v", err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []string{
		filepath.Join(dir, "texts", "cs", "lesson.json") + `: missing "done"`,
		filepath.Join(dir, "texts", "cs", "pop3.json") + `: missing "greeting"`,
		filepath.Join(dir, "texts", "cs", "pop3.json") + `: "stat": takes arguments none`,
		filepath.Join(dir, "texts", "cs", "pop3.json") + `: stale "old"`,
	}
	if len(lines) != len(want) {
		t.Fatalf("output:\n%s", out.String())
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d: %q, want it to start %q", i, lines[i], w)
		}
	}

	// Translated in full: no problems.
	write("cs/pop3.json", `{"greeting": "Připraven.", "list": "%[2]v oktetů, %[1]v zpráv.", "stat": "%d zpráv"}`)
	write("cs/lesson.json", `{"done": "hotovo"}`)
	out.Reset()
	if err := runCatalog([]string{"check", dir}, &out); err != nil {
		t.Errorf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "2 languages (en, cs)") {
		t.Errorf("output: %s", out.String())
	}
}

func TestCatalogUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"keys"}, {"check", "a", "b"}} {
		if err := runCatalog(args, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "usage") {
			t.Errorf("%q: %v", args, err)
		}
	}
	if err := runCatalog([]string{"check", t.TempDir()}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "no texts/") {
		t.Errorf("a folder without texts/: %v", err)
	}
	if !strings.Contains(usage, "labctl catalog check [DIR]") {
		t.Error("the help does not name catalog check")
	}
}

// Every player text play.go names exists in English.
func TestPlayerTextsInCatalogue(t *testing.T) {
	src, err := os.ReadFile("play.go")
	if err != nil {
		t.Fatal(err)
	}
	keys := regexp.MustCompile(`p\.t\("([^"]+)"`).FindAllStringSubmatch(string(src), -1)
	if len(keys) < 15 {
		t.Fatalf("found only %d keys", len(keys))
	}
	for _, k := range keys {
		if _, ok := playTexts.Lookup(catalog.Source, k[1]); !ok {
			t.Errorf("no text %q in texts/en/labctl.json", k[1])
		}
	}
}

// A choice question whose right answer is the longest by far is warned
// about; the shipped lessons have none.
func TestCheckWarnsWhenTheLongestChoiceIsRight(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "q.yaml")
	if err := runNew([]string{"-id", "q", f}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	src, _ := os.ReadFile(f)
	quiz := `    questions:
      - kind: single
        text: {en: "Why?", ru: "Почему?", sk: "Prečo?"}
        choices:
          - text: {en: "because the protocol says so in its section on the states, as the lecture shows", ru: "так сказано в разделе протокола о состояниях, как показано в лекции", sk: "tak to hovorí časť protokolu o stavoch, ako ukazuje prednáška"}
            correct: true
          - text: {en: "no", ru: "нет", sk: "nie"}
`
	src = bytes.Replace(src, []byte("    solution:"), []byte(quiz+"    solution:"), 1)
	os.WriteFile(f, src, 0o644)
	var out bytes.Buffer
	if err := runCheck([]string{f}, &out); err != nil {
		t.Fatalf("a warning failed the check: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "warning: "+f+":") || !strings.Contains(out.String(), "the right choice is the longest by far") {
		t.Errorf("no warning:\n%s", out.String())
	}
	out.Reset()
	if err := runCheck([]string{"../../lessons"}, &out); err != nil || strings.Contains(out.String(), "warning:") {
		t.Errorf("shipped lessons: %v\n%s", err, out.String())
	}
}

func TestDig(t *testing.T) {
	var out strings.Builder
	if err := runDig([]string{"example.net", "MX"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "example.net.\t\t3600\tIN\tMX\t10 mx.example.net.") {
		t.Errorf("dig:\n%s", out.String())
	}
	if err := runDig(nil, &out); err == nil {
		t.Error("no name accepted")
	}
	// A lesson's own DNS: mail-mx-fallback's two MX hosts, as its text
	// shows them.
	out.Reset()
	if err := runDig([]string{"-lesson", "../../lessons/mail-03-mx-fallback.yaml", "example.net", "MX"}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"IN\tMX\t10 mx1.example.net.", "IN\tMX\t20 mx2.example.net.", "mx2.example.net.\t\t3600\tIN\tA\t198.51.100.12"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dig -lesson lacks %q:\n%s", want, out.String())
		}
	}
	if err := runDig([]string{"-lesson", "../../lessons/pop3-01-first-session.yaml", "example.net"}, &out); err == nil || !strings.Contains(err.Error(), "no mail path") {
		t.Errorf("a lesson without domains: %v", err)
	}
}
