package lesson

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
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
