package lesson

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"maillab/sim/catalog"
)

// Every engine text the code names exists in English: tr's literal keys,
// and the close causes causeText names.
func TestEngineTextsInCatalogue(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(node ast.Node) bool {
			call, ok := node.(*ast.CallExpr)
			if !ok {
				return true
			}
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "tr" || len(call.Args) < 2 {
				return true
			}
			if lit, ok := call.Args[1].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				k, _ := strconv.Unquote(lit.Value)
				n++
				if _, ok := texts.Lookup(catalog.Source, k); !ok {
					t.Errorf("%s: no text %q in texts/en/lesson.json", fset.Position(lit.Pos()), k)
				}
			}
			return true
		})
	}
	if n < 15 {
		t.Errorf("found only %d keys", n)
	}
	for _, cause := range []string{"quit", "drop", "timeout", "server"} {
		if _, ok := texts.Lookup(catalog.Source, "closed_by_"+cause); !ok {
			t.Errorf("no text closed_by_%s", cause)
		}
	}
}

// The languages are the catalogues' languages, English first.
func TestLanguagesFromTheCatalogues(t *testing.T) {
	if len(Languages) < 2 || Languages[0] != "en" || strings.Join(Languages, ",") != strings.Join(catalog.Languages(), ",") {
		t.Errorf("Languages = %v, catalog.Languages() = %v", Languages, catalog.Languages())
	}
}

// lessons/schema.json, which editors complete lesson files from, offers
// a text in exactly the lab's languages: a language added to the
// catalogues is added there too.
func TestSchemaTextLanguages(t *testing.T) {
	raw, err := os.ReadFile("../../lessons/schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Defs struct {
			Text struct {
				Properties map[string]any `json:"properties"`
			} `json:"text"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	got := slices.Sorted(maps.Keys(schema.Defs.Text.Properties))
	if want := slices.Sorted(slices.Values(Languages)); !slices.Equal(got, want) {
		t.Errorf("lessons/schema.json: a text's languages are %v, the catalogues' %v", got, want)
	}
}
