package catalog

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

// tree is a small catalogue tree: English and a Czech translation with one
// problem of each kind.
func tree() fstest.MapFS {
	return fstest.MapFS{
		"texts/en/pop3.json": file(`{
  "greeting": "The server is ready.",
  "list": "%[1]v messages, %[2]v octets.",
  "retr": "Message %d follows, %d octets.",
  "rate": "100%% of %s"
}`),
		"texts/en/lesson.json": file(`{"done": "done", "state": "the %s state"}`),
		"texts/cs/pop3.json": file(`{
  "greeting": "Server je připraven.",
  "list": "%[2]v oktetů, %[1]v zpráv.",
  "retr": "Následuje zpráva %d.",
  "rate": "100 %% z %s",
  "capa": "Seznam schopností."
}`),
		// texts/cs/lesson.json is not there yet.
		"texts/cs/old.json": file(`{"gone": "pryč"}`),
	}
}

func TestCheckFindsEveryKindOfProblem(t *testing.T) {
	got, err := Check(tree())
	if err != nil {
		t.Fatal(err)
	}
	type p struct {
		lang, cat, key string
		kind           Kind
	}
	var short []p
	for _, g := range got {
		short = append(short, p{g.Lang, g.Catalogue, g.Key, g.Kind})
	}
	want := []p{
		{"cs", "lesson", "done", Missing},
		{"cs", "lesson", "state", Missing},
		{"cs", "old", "gone", Stale},
		{"cs", "pop3", "retr", Args},
		{"cs", "pop3", "capa", Stale},
	}
	if !slices.Equal(short, want) {
		t.Errorf("problems:\n got %v\nwant %v", short, want)
	}
	for _, g := range got {
		s := g.String()
		if !strings.HasPrefix(s, "texts/cs/"+g.Catalogue+".json: ") || !strings.Contains(s, g.Key) {
			t.Errorf("problem line %q", s)
		}
	}
	if s := got[3].String(); !strings.Contains(s, "%[1]") || !strings.Contains(s, "%[1] %[2]") {
		t.Errorf("arguments problem does not say which: %q", s)
	}
}

func TestCheckMissingKey(t *testing.T) {
	fsys := fstest.MapFS{
		"texts/en/a.json": file(`{"x": "X", "y": "Y"}`),
		"texts/sk/a.json": file(`{"x": "Iks"}`),
	}
	got, _ := Check(fsys)
	if len(got) != 1 || got[0].Kind != Missing || got[0].Key != "y" || got[0].Lang != "sk" {
		t.Errorf("got %v", got)
	}
	if s := got[0].String(); s != `texts/sk/a.json: missing "y" (English: "Y")` {
		t.Errorf("line %q", s)
	}
}

func TestCheckStaleKey(t *testing.T) {
	fsys := fstest.MapFS{
		"texts/en/a.json": file(`{"x": "X"}`),
		"texts/sk/a.json": file(`{"x": "Iks", "old": "Staré"}`),
	}
	got, _ := Check(fsys)
	if len(got) != 1 || got[0].Kind != Stale || got[0].Key != "old" {
		t.Errorf("got %v", got)
	}
}

func TestCheckArguments(t *testing.T) {
	for _, tc := range []struct {
		en, tr string
		ok     bool
	}{
		{"%s and %d", "%s a %d", true},
		{"%[1]s and %[2]d", "%[2]d a %[1]s", true},
		{"%s and %d", "%[2]d a %[1]s", true},
		{"%q", "«%s»", true},
		{"100%%", "100 %%", true},
		{"%d%%", "%d %%", true},
		{"%s and %d", "%s", false},
		{"%s", "%s %s", false},
		{"%s", "100%% hotovo", false},
		{"no arguments", "%s", false},
		{"%[1]d then %[1]d", "%d", true},
		{"%*d", "%d", false},
	} {
		fsys := fstest.MapFS{
			"texts/en/a.json": file(`{"k": ` + quote(tc.en) + `}`),
			"texts/sk/a.json": file(`{"k": ` + quote(tc.tr) + `}`),
		}
		got, _ := Check(fsys)
		if ok := len(got) == 0; ok != tc.ok {
			t.Errorf("en %q, sk %q: problems %v, want ok=%v", tc.en, tc.tr, got, tc.ok)
		}
		if !tc.ok && len(got) == 1 && got[0].Kind != Args {
			t.Errorf("en %q, sk %q: %v", tc.en, tc.tr, got)
		}
	}
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

func TestCheckMissingFile(t *testing.T) {
	fsys := fstest.MapFS{
		"texts/en/a.json": file(`{"x": "X", "y": "Y"}`),
		"texts/en/b.json": file(`{"z": "Z"}`),
		"texts/de/a.json": file(`{"x": "X", "y": "Y"}`),
	}
	got, _ := Check(fsys)
	if len(got) != 1 || got[0].Kind != Missing || got[0].Catalogue != "b" || got[0].Key != "z" || got[0].Lang != "de" {
		t.Errorf("got %v", got)
	}
}

func TestCheckUnreadableFile(t *testing.T) {
	fsys := fstest.MapFS{
		"texts/en/a.json": file(`{"x": "X"}`),
		"texts/de/a.json": file(`{"x": "X",}`),
	}
	got, _ := Check(fsys)
	if len(got) != 1 || got[0].Kind != Unreadable || got[0].Lang != "de" {
		t.Errorf("got %v", got)
	}
}

func TestCheckNoTexts(t *testing.T) {
	if _, err := Check(fstest.MapFS{"README": file("x")}); err == nil {
		t.Error("a tree without texts/ was checked")
	}
}

func TestFormatArgs(t *testing.T) {
	for _, tc := range []struct {
		f    string
		want []int
	}{
		{"plain", nil},
		{"%%", nil},
		{"%s", []int{1}},
		{"%v %q %d", []int{1, 2, 3}},
		{"%[2]s %[1]s", []int{1, 2}},
		{"%[2]s %s", []int{2, 3}},
		{"%-5d|%05.2f", []int{1, 2}},
		{"%*d", []int{1, 2}},
		{"%.*d", []int{1, 2}},
		{"%[3]*.[2]*[1]f", []int{1, 2, 3}},
		{"[UNSEEN %d]: message %[1]d", []int{1}},
	} {
		if got := FormatArgs(tc.f); !slices.Equal(got, tc.want) {
			t.Errorf("FormatArgs(%q) = %v, want %v", tc.f, got, tc.want)
		}
	}
}

// The languages shipped with the lab have every text, no stale ones, and
// the arguments English takes.
func TestShippedCatalogues(t *testing.T) {
	got, err := Check(Files)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range got {
		t.Error(p)
	}
	names, err := Names(Files)
	if err != nil || len(names) == 0 {
		t.Fatalf("catalogues %v, %v", names, err)
	}
	// The page's own words are catalogues too, checked as the others are.
	for _, n := range []string{"page", "lessonpanel"} {
		if !slices.Contains(names, n) {
			t.Errorf("no catalogue %s among %v", n, names)
		}
	}
	for _, n := range names {
		if err := Get(n).Err(); err != nil {
			t.Error(err)
		}
	}
}

func TestTextFallsBackToEnglish(t *testing.T) {
	saved := Files
	defer func() { Files = saved }()
	Files = fstest.MapFS{
		"texts/en/t.json": file(`{"a": "A %[1]d", "b": "B"}`),
		"texts/sk/t.json": file(`{"a": "Á %[1]d"}`),
	}
	c := &Catalogue{name: "t"}
	for _, tc := range []struct{ lang, key, want string }{
		{"sk", "a", "Á 7"}, {"sk", "b", "B"}, {"en", "a", "A 7"}, {"xx", "a", "A 7"}, {"sk", "c", "[t:c]"},
	} {
		var got string
		if tc.key == "a" {
			got = c.Text(tc.lang, tc.key, 7)
		} else {
			got = c.Text(tc.lang, tc.key)
		}
		if got != tc.want {
			t.Errorf("Text(%s, %s) = %q, want %q", tc.lang, tc.key, got, tc.want)
		}
	}
}

func TestCheckStrictWhereLoadingIsLenient(t *testing.T) {
	for _, bad := range []string{"{\"x\": \"a\nb\"}", "{\"x\": \"\xff\"}"} {
		fsys := fstest.MapFS{
			"texts/en/a.json": file(`{"x": "X"}`),
			"texts/sk/a.json": file(bad),
		}
		got, _ := Check(fsys)
		if len(got) != 1 || got[0].Kind != Unreadable {
			t.Errorf("%q: %v", bad, got)
		}
	}
}
