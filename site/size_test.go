package site

import (
	"bytes"
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// firstGreetingBudget is what a first visit of the home page transfers,
// compressed, before the simulator greets: the page, its script and
// stylesheet, Go's wasm runtime, the simulator's first module (boot.wasm:
// POP3 alone) and its texts in the page's language.
const firstGreetingBudget = 1_200_000

// coldLoadBudget is all a first visit transfers: the above, then, once the
// greeting is shown, the full simulator (lab.wasm), which takes the
// sessions over, and the shipped lessons.
const coldLoadBudget = 3_000_000

// wasmBudget is the full simulator's share, brotli-compressed: POP3,
// IMAP (with its extensions), SMTP, LMTP, the mail path and its journey
// view's bridge, the lesson engine with its step restart, and the
// store's Maildir on hackpadfs (IndexedDB in the page) came to 1,685,564
// bytes, built without inlining outside the runtime, without
// log/slog (see the Makefile's wasm target and sim/proto/log_js.go) and
// without the catalogues' texts, which the page fetches in its language
// (texts/<lang>.json, about 25 KB for English).
const wasmBudget = 1_700_000

// assetRef finds what the page loads: src and href attributes, and the
// versioned URLs of the modules in the head's inlined, minified script.
var assetRef = regexp.MustCompile(`(?:src|href)="([^"?#]+)(?:\?[^"]*)?"|["'\x60]([^"'\x60?\s]+\.wasm)\?v=`)

// TestColdLoadSize keeps the bytes of a first visit within budget, as the
// built site serves them to a browser that accepts brotli: each asset the
// page loads, by its .br sibling where the build wrote one.
func TestColdLoadSize(t *testing.T) {
	dist := builtSite(t)
	html, err := fs.ReadFile(dist, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	// The simulator's texts in the page's language (English here) come
	// beside the module.
	first := []string{"index.html", "texts/en.json"}
	seen := map[string]bool{}
	for _, m := range assetRef.FindAllStringSubmatch(string(html), -1) {
		ref := m[1] + m[2]
		if strings.Contains(ref, ":") || strings.HasPrefix(ref, "#") || seen[ref] {
			continue // data: icons, links to other sites, anchors
		}
		seen[ref] = true
		if ref != "lab.wasm" {
			first = append(first, strings.TrimPrefix(ref, "/"))
		}
	}
	if !seen["boot.wasm"] || !seen["lab.wasm"] {
		t.Fatalf("index.html does not load boot.wasm and lab.wasm: %v", seen)
	}
	total := 0
	for _, name := range first {
		n := compressedSize(t, dist, name)
		t.Logf("%-32s %9d", name, n)
		total += n
	}
	t.Logf("%-32s %9d", "= to the first greeting", total)
	if total > firstGreetingBudget {
		t.Errorf("a cold load transfers %d bytes compressed before the first greeting, over the budget of %d", total, firstGreetingBudget)
	}
	for _, name := range []string{"lab.wasm", "lessons.json"} {
		n := compressedSize(t, dist, name)
		t.Logf("%-32s %9d", name, n)
		total += n
		if name == "lab.wasm" && n > wasmBudget {
			t.Errorf("lab.wasm is %d bytes compressed, over its budget of %d", n, wasmBudget)
		}
	}
	t.Logf("%-32s %9d", "= in all", total)
	if total > coldLoadBudget {
		t.Errorf("a cold load transfers %d bytes compressed, over the budget of %d", total, coldLoadBudget)
	}
}

// compressedSize is the size of name's .br sibling, or of name itself
// when the build left it uncompressed (small files).
func compressedSize(t *testing.T, dist fs.FS, name string) int {
	t.Helper()
	for _, n := range []string{name + ".br", name} {
		if st, err := fs.Stat(dist, n); err == nil {
			return int(st.Size())
		}
	}
	t.Fatalf("the page loads %s, which the build did not write", name)
	return 0
}

// TestTheLabModuleCarriesNoYAMLParser: the lab opens lessons in their
// compiled form; the YAML parser is lessonyaml.wasm's alone, fetched only
// for a learner's own lesson file. Go keeps function names in a stripped
// module too, so the parser's functions would be seen.
func TestTheLabModuleCarriesNoYAMLParser(t *testing.T) {
	dist := builtSite(t)
	parser := [][]byte{[]byte("goccy/go-yaml/scanner.(*Scanner)"), []byte("goccy/go-yaml.(*Decoder)")}
	for name, want := range map[string]bool{"lab.wasm": false, "lessonyaml.wasm": true} {
		b, err := fs.ReadFile(dist, name)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range parser {
			if got := bytes.Contains(b, p); got != want {
				t.Errorf("%s has %s: %v, want %v", name, p, got, want)
			}
		}
	}
}

// TestTheScriptsAskToBeCompiledWhileTheyLoad: every script of the bundle
// starts with V8's compile hint (Chromium 136 and later), so that its
// functions are compiled on a background thread while it streams in,
// not one by one on the page's thread when first called. Without it,
// building the first terminal (xterm's constructor above all) had held
// the lesson page for tens of milliseconds of lazy compiling.
func TestTheScriptsAskToBeCompiledWhileTheyLoad(t *testing.T) {
	dist := builtSite(t)
	scripts, err := fs.Glob(dist, "assets/*.js")
	if err != nil {
		t.Fatal(err)
	}
	if len(scripts) < 2 {
		t.Fatalf("the bundle has %d scripts: %v", len(scripts), scripts)
	}
	for _, name := range scripts {
		b, err := fs.ReadFile(dist, name)
		if err != nil {
			t.Fatal(err)
		}
		if first, _, _ := bytes.Cut(b, []byte("\n")); string(first) != "//# allFunctionsCalledOnLoad" {
			t.Errorf("%s starts with %.60q, not with the compile hint", name, first)
		}
	}
}
