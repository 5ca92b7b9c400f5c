package site

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"maillab/sim/catalog"
)

// The page's own words are two catalogues of the lab's texts, which the
// build puts into the bundle: page.json (src/*.js, index.html) and
// lessonpanel.json (src/lesson/panel.js).

// pageVerb is what the page's formatter (format in src/i18n.js) fills in:
// %s, %d, %v, %q, numbered or not, and %% for a percent sign.
var pageVerb = regexp.MustCompile(`%(?:%|(?:\[[1-9][0-9]*\])?[sdvq])`)

// Every text of the page's catalogues, in every language, takes only
// arguments the page's formatter knows, so that what catalog.Check
// compares is what the page fills in.
func TestPageTextsTakeArgumentsThePageFills(t *testing.T) {
	for _, name := range []string{"page", "lessonpanel"} {
		by, err := catalog.Load(catalog.Files, name)
		if err != nil {
			t.Fatal(err)
		}
		for lang, texts := range by {
			for key, text := range texts {
				if rest := pageVerb.ReplaceAllString(text, ""); strings.Contains(rest, "%") {
					t.Errorf("texts/%s/%s.json: %q: %q has a %% the page does not fill in (it knows %%s, %%d, %%v, %%q, %%[n]s ... and %%%%)", lang, name, key, text)
				}
			}
		}
	}
}

// Every key the page's scripts and index.html name is an English text of
// its catalogue, and every English text is named somewhere: none missing,
// none left over.
func TestThePageNamesEveryTextOfItsCatalogues(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("src", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	quoted := regexp.MustCompile(`'([A-Za-z]+(?:\.[A-Za-z]+)?)'`)
	literals := func(src string) []string {
		var out []string
		for _, m := range quoted.FindAllStringSubmatch(src, -1) {
			out = append(out, m[1])
		}
		return out
	}

	// page.json: the keys are "area.name"; a quoted "area.name" of an area
	// the catalogue has is a key, as is every data-i18n* attribute.
	scripts, err := filepath.Glob("src/*.js")
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	var named []string
	for _, s := range scripts {
		named = append(named, literals(read(filepath.Base(s)))...)
	}
	var attrs []string
	for _, m := range regexp.MustCompile(`data-i18n(?:-aria|-title)?="([^"]+)"`).FindAllStringSubmatch(read("index.html"), -1) {
		attrs = append(attrs, m[1])
	}
	checkNamed(t, "page", named, attrs)

	// lessonpanel.json: the keys are single words, named in quotes in
	// lesson/panel.js (this.t('hint'), or a choice between keys) and
	// lesson/texts.js (tr(lang, 'connect', name)).
	var panel, called []string
	calls := regexp.MustCompile(`\b(?:t\(|tr\(lang, )'([A-Za-z]+)'`)
	for _, f := range []string{"lesson/panel.js", "lesson/texts.js"} {
		for _, l := range literals(read(f)) {
			if !strings.Contains(l, ".") {
				panel = append(panel, l)
			}
		}
		for _, m := range calls.FindAllStringSubmatch(read(f), -1) {
			called = append(called, m[1])
		}
	}
	checkNamed(t, "lessonpanel", panel, called)
}

// checkNamed checks catalogue name against what the page names: every
// English key is among mentioned, and every key of must is one, as is
// every mentioned "area.key" of an area the catalogue has.
func checkNamed(t *testing.T, name string, mentioned, must []string) {
	t.Helper()
	by, err := catalog.Load(catalog.Files, name)
	if err != nil {
		t.Fatal(err)
	}
	en := by[catalog.Source]
	areas := map[string]bool{}
	for key := range en {
		if area, _, ok := strings.Cut(key, "."); ok {
			areas[area] = true
		}
	}
	for _, m := range mentioned {
		if area, _, ok := strings.Cut(m, "."); ok && areas[area] {
			must = append(must, m)
		}
	}
	for _, key := range slices.Compact(slices.Sorted(slices.Values(must))) {
		if _, ok := en[key]; !ok {
			t.Errorf("the page names %q, which texts/en/%s.json does not have", key, name)
		}
	}
	for key := range en {
		if !slices.Contains(mentioned, key) && !slices.Contains(must, key) {
			t.Errorf("texts/en/%s.json has %q, which the page never names", name, key)
		}
	}
	if len(en) == 0 {
		t.Errorf("texts/en/%s.json has no texts", name)
	}
}

// The page's own words come from the catalogues: in each language the
// lab's texts are written in, none of the English texts of page.json and
// lessonpanel.json that the language translates shows on the page (as
// text, accessible name, tooltip or title).
func TestThePageSpeaksEachLanguageOfTheCatalogues(t *testing.T) {
	english := map[string]map[string]string{}
	by := map[string]map[string]map[string]string{}
	for _, name := range []string{"page", "lessonpanel"} {
		texts, err := catalog.Load(catalog.Files, name)
		if err != nil {
			t.Fatal(err)
		}
		english[name] = texts[catalog.Source]
		by[name] = texts
	}
	p := newPage(t)
	for _, lang := range catalog.Languages() {
		if lang == catalog.Source {
			continue
		}
		p.open("?lang=" + lang)
		p.waitJS(`document.getElementById('lesson-pick') !== null`)
		shown := map[string]bool{}
		var strs []string
		js := `JSON.stringify((() => {
			const out = [document.title];
			const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
			for (let n = walk.nextNode(); n; n = walk.nextNode()) out.push(n.data.trim());
			for (const el of document.querySelectorAll('[aria-label], [title], optgroup[label]')) {
				out.push(el.getAttribute('aria-label') || '', el.getAttribute('title') || '', el.tagName === 'OPTGROUP' ? el.label : '');
			}
			return out.filter(Boolean);
		})())`
		if err := json.Unmarshal([]byte(eval[string](p, js)), &strs); err != nil {
			t.Fatal(err)
		}
		for _, s := range strs {
			shown[s] = true
		}
		if got := eval[string](p, `document.documentElement.lang`); got != lang {
			t.Errorf("?lang=%s: the page's lang is %q", lang, got)
		}
		checked := 0
		for name, en := range english {
			for key, text := range en {
				tr, ok := by[name][lang][key]
				if !ok || tr == text || strings.Contains(text, "%") {
					continue // not translated, the same in both, or filled in
				}
				checked++
				if shown[text] {
					t.Errorf("?lang=%s shows the English text of %s.json %q: %q", lang, name, key, text)
				}
			}
		}
		if checked == 0 {
			t.Errorf("?lang=%s: no translated text to look for", lang)
		}
		// And the page shows translated texts, from both catalogues.
		for _, k := range []struct{ name, key string }{{"page", "term.new"}, {"page", "explain.title"}, {"lessonpanel", "open"}} {
			if want := by[k.name][lang][k.key]; want != "" && !shown[want] {
				t.Errorf("?lang=%s does not show %s.json %q, %q", lang, k.name, k.key, want)
			}
		}
	}
}
