package imap

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

// catalogue is the imap catalogue in every language: lang → key → text.
func catalogue(t *testing.T) map[string]map[string]string {
	t.Helper()
	by, err := catalog.Load(catalog.Files, "imap")
	if err != nil {
		t.Fatal(err)
	}
	return by
}

// keyArgs are the functions that take an explanation key, and where.
var keyArgs = map[string]int{"explain": 0, "explanation": 0, "no": 2, "bad": 1, "wireFail": 2}

// Every key the package's code names with a constant (an explanation
// passed to explain, no, bad or wireFail; a role in a part, a role list or
// a role conversion) is a text of the English catalogue, so a misspelt key
// fails here rather than showing as [imap:...] to a student.
func TestKeysInCatalogue(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	keys, roles := 0, 0
	check := func(e ast.Expr, prefix string) {
		lit, ok := e.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return // made at run time, e.g. "ok." + the command
		}
		k, _ := strconv.Unquote(lit.Value)
		if prefix == "" {
			keys++
		} else {
			roles++
		}
		if _, ok := texts.Lookup(catalog.Source, prefix+k); !ok {
			t.Errorf("%s: no text %q in texts/en/imap.json", fset.Position(lit.Pos()), prefix+k)
		}
	}
	isRoleType := func(e ast.Expr) bool {
		id, ok := e.(*ast.Ident)
		return ok && id.Name == "role"
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				name := ""
				switch fn := n.Fun.(type) {
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				case *ast.Ident:
					name = fn.Name
				}
				if i, ok := keyArgs[name]; ok && i < len(n.Args) {
					check(n.Args[i], "")
				}
				if isRoleType(n.Fun) && len(n.Args) == 1 {
					check(n.Args[0], "role.")
				}
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok && id.Name == "role" {
					check(n.Value, "role.")
				}
			case *ast.CompositeLit:
				if at, ok := n.Type.(*ast.ArrayType); ok && isRoleType(at.Elt) {
					for _, e := range n.Elts {
						check(e, "role.")
					}
				}
			}
			return true
		})
	}
	if keys < 60 || roles < 40 {
		t.Errorf("found only %d explanation keys and %d roles", keys, roles)
	}
	if missing := Machine.MissingTexts(); len(missing) > 0 {
		t.Errorf("the state machine's texts missing from texts/en/imap.json: %v", missing)
	}
}
