package site

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"maillab/sim/catalog"
)

// The journey view's words are the catalogue journey.json: every key is
// named in quotes in src/journey/*.js, every text takes only arguments
// the page's formatter fills in.
func TestTheJourneyViewNamesEveryTextOfItsCatalogue(t *testing.T) {
	files, err := filepath.Glob("src/journey/*.js")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	quoted := regexp.MustCompile(`'([A-Za-z]+)'`)
	called := regexp.MustCompile(`\bt\('([A-Za-z]+)'`)
	var named, must []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range quoted.FindAllStringSubmatch(string(b), -1) {
			named = append(named, m[1])
		}
		for _, m := range called.FindAllStringSubmatch(string(b), -1) {
			must = append(must, m[1])
		}
	}
	checkNamed(t, "journey", named, must)
	by, err := catalog.Load(catalog.Files, "journey")
	if err != nil {
		t.Fatal(err)
	}
	for lang, texts := range by {
		for key, text := range texts {
			if rest := pageVerb.ReplaceAllString(text, ""); strings.Contains(rest, "%") {
				t.Errorf("texts/%s/journey.json: %q: %q has a %% the page does not fill in", lang, key, text)
			}
		}
	}
}
