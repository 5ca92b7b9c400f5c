package pop3

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

// explanations are the English texts of the pop3 catalogue's explanation
// keys: every key but the roles and the state machine's texts.
func explanations(t *testing.T) map[key]string {
	t.Helper()
	out := map[key]string{}
	for _, k := range texts.Keys() {
		if !strings.HasPrefix(k, "role.") && !strings.HasPrefix(k, "state.") && !strings.HasPrefix(k, "transition.") {
			text, _ := texts.Lookup(catalog.Source, k)
			out[key(k)] = text
		}
	}
	if len(out) == 0 {
		t.Fatal("the pop3 catalogue has no explanations")
	}
	return out
}

// Every key and role constant of the package's code names a text of the
// English catalogue, so a misspelt key fails here rather than showing as
// [pop3:...] to a student.
func TestKeyConstantsInCatalogue(t *testing.T) {
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
		for _, d := range file.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				v := spec.(*ast.ValueSpec)
				typ, ok := v.Type.(*ast.Ident)
				if !ok || typ.Name != "key" && typ.Name != "role" {
					continue
				}
				for i, val := range v.Values {
					lit, ok := val.(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						t.Errorf("%s: %s is not a string constant", fset.Position(val.Pos()), v.Names[i].Name)
						continue
					}
					k, _ := strconv.Unquote(lit.Value)
					if typ.Name == "role" {
						k = "role." + k
					}
					n++
					if _, ok := texts.Lookup(catalog.Source, k); !ok {
						t.Errorf("%s: %s = %q: no text %q in texts/en/pop3.json", fset.Position(val.Pos()), v.Names[i].Name, lit.Value, k)
					}
				}
			}
		}
	}
	if n < 50 {
		t.Errorf("found only %d key constants", n)
	}
	if missing := Machine.MissingTexts(); len(missing) > 0 {
		t.Errorf("the state machine's texts missing from texts/en/pop3.json: %v", missing)
	}
}
