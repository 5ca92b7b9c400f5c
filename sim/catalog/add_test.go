package catalog

import (
	"testing"
	"testing/fstest"
)

// The page's module is given the texts of the language it shows once it
// runs, and another language's when the learner picks it: a catalogue
// read before that serves the new texts from then on.
func TestAddGivesALanguageToACatalogueAlreadyRead(t *testing.T) {
	saved := Files
	defer func() { Files = saved }()
	Files = fstest.MapFS{
		"texts/en/added.json":    file(`{"a": "A %d"}`),
		"texts/ru/language.json": file(`{"name": "Русский"}`),
		"texts/sk/language.json": file(`{"name": "Slovenčina"}`),
	}
	c := Get("added")
	if got := c.Text("ru", "a", 1); got != "A 1" {
		t.Fatalf("before Add: %q, want English", got)
	}
	if err := Add("ru", "added", []byte(`{"a": "Б %d"}`)); err != nil {
		t.Fatal(err)
	}
	if got := c.Text("ru", "a", 2); got != "Б 2" {
		t.Errorf("after Add: %q, want the Russian text", got)
	}
	if got := c.Text("sk", "a", 3); got != "A 3" {
		t.Errorf("a language not added: %q, want English", got)
	}
	if err := Add("ru", "added", []byte(`{"a": `)); err != nil {
		t.Fatal(err)
	}
	if c.Err() == nil {
		t.Error("a file given that is not JSON reads without an error")
	}
	if err := Add("../en", "added", []byte(`{}`)); err == nil {
		t.Error("Add took a language that is a path")
	}
}

// A catalogue no file holds is an error until its English texts are
// added.
func TestAddedEnglishMakesACatalogue(t *testing.T) {
	c := Get("onlyadded")
	if c.Err() == nil {
		t.Fatal("a catalogue without files reads without an error")
	}
	if err := Add(Source, "onlyadded", []byte(`{"k": "v"}`)); err != nil {
		t.Fatal(err)
	}
	if err := c.Err(); err != nil {
		t.Fatal(err)
	}
	if got := c.Text("sk", "k"); got != "v" {
		t.Errorf("Text = %q", got)
	}
}
