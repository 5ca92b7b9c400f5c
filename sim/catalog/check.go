//go:build !boot

package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Kind is what is wrong with a translated text.
type Kind string

const (
	// Missing: the English catalogue has the key, the translation has not
	// (a translation file that does not exist misses every key).
	Missing Kind = "missing"
	// Stale: the translation has a key English no longer has.
	Stale Kind = "stale"
	// Args: the text takes other fmt arguments than the English text.
	Args Kind = "arguments"
	// Unreadable: the file is not a JSON object of texts.
	Unreadable Kind = "unreadable"
)

// Problem is one thing a translator has to fix.
type Problem struct {
	Lang      string
	Catalogue string
	Key       string // "" for an unreadable file
	Kind      Kind
	Detail    string
}

// File is the catalogue file the problem is in, as a path of the tree.
func (p Problem) File() string { return path.Join("texts", p.Lang, p.Catalogue+".json") }

func (p Problem) String() string {
	switch p.Kind {
	case Missing:
		return fmt.Sprintf("%s: missing %q (English: %s)", p.File(), p.Key, p.Detail)
	case Stale:
		return fmt.Sprintf("%s: stale %q: English has no such text; delete it", p.File(), p.Key)
	case Args:
		return fmt.Sprintf("%s: %q: %s", p.File(), p.Key, p.Detail)
	default:
		return fmt.Sprintf("%s: %s", p.File(), p.Detail)
	}
}

// Check compares every translation of the tree fsys (texts/<lang>/<name>.json)
// with English: keys missing in the translation, keys English does not
// have, and texts whose fmt arguments differ from the English text's.
// Problems come by language and catalogue; in a file, the English keys'
// problems in key order, then the stale keys.
func Check(fsys fs.FS) ([]Problem, error) {
	langs, err := LanguagesIn(fsys)
	if err != nil {
		return nil, err
	}
	names, err := Names(fsys)
	if err != nil {
		return nil, err
	}
	var out []Problem
	for _, lang := range langs {
		// A file no English file matches is stale as a whole.
		all := names
		if lang != Source {
			extra, err := namesIn(fsys, lang)
			if err != nil {
				return nil, err
			}
			all = slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(names), extra...))))
		}
		for _, name := range all {
			out = append(out, checkFile(fsys, lang, name)...)
		}
	}
	return out, nil
}

// readFile reads one catalogue file; a file that does not exist is nil
// without an error.
func readFile(fsys fs.FS, lang, name string) (map[string]string, error) {
	b, err := fs.ReadFile(fsys, path.Join("texts", lang, name+".json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	// Strict where loading is lenient: the file must be UTF-8 and JSON.
	if !utf8.Valid(b) {
		return nil, errors.New("not UTF-8 text")
	}
	if !json.Valid(b) {
		var m map[string]string
		return nil, json.Unmarshal(b, &m)
	}
	return parse(b)
}

func checkFile(fsys fs.FS, lang, name string) []Problem {
	unreadable := func(err error) []Problem {
		return []Problem{{Lang: lang, Catalogue: name, Kind: Unreadable, Detail: err.Error()}}
	}
	en, err := readFile(fsys, Source, name)
	if lang == Source || err != nil {
		if lang == Source && err != nil {
			return unreadable(err) // said once, for English
		}
		return nil
	}
	tr, err := readFile(fsys, lang, name)
	if err != nil {
		return unreadable(err)
	}
	var out []Problem
	for _, k := range sortedKeys(en) {
		text, ok := tr[k]
		if !ok {
			out = append(out, Problem{Lang: lang, Catalogue: name, Key: k, Kind: Missing, Detail: strconv.Quote(en[k])})
			continue
		}
		if want, got := FormatArgs(en[k]), FormatArgs(text); !slices.Equal(want, got) {
			out = append(out, Problem{Lang: lang, Catalogue: name, Key: k, Kind: Args,
				Detail: fmt.Sprintf("takes arguments %s, English takes %s", argList(got), argList(want))})
		}
	}
	for _, k := range sortedKeys(tr) {
		if _, ok := en[k]; !ok {
			out = append(out, Problem{Lang: lang, Catalogue: name, Key: k, Kind: Stale})
		}
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func argList(args []int) string {
	if len(args) == 0 {
		return "none"
	}
	s := make([]string, len(args))
	for i, a := range args {
		s[i] = "%[" + strconv.Itoa(a) + "]"
	}
	return strings.Join(s, " ")
}

// FormatArgs lists the arguments a fmt format uses, numbered from 1,
// sorted, each once: "%s and %d" uses 1 and 2, "%[2]s %[1]d" uses 1 and 2
// too, "%[1]d %[1]d" uses 1; "%%" uses none. A * width or precision uses
// an argument as fmt does.
func FormatArgs(format string) []int {
	var used []int
	arg := 0 // the next argument, from 0
	use := func() {
		used = append(used, arg+1)
		arg++
	}
	s := format
	i := 0
	// index reads an explicit argument index [n] at i.
	index := func() {
		if i < len(s) && s[i] == '[' {
			if j := strings.IndexByte(s[i:], ']'); j > 0 {
				if n, err := strconv.Atoi(s[i+1 : i+j]); err == nil && n > 0 {
					arg = n - 1
				}
				i += j + 1
			}
		}
	}
	digits := func() {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	for i < len(s) {
		if s[i] != '%' {
			i++
			continue
		}
		i++
		if i < len(s) && s[i] == '%' {
			i++
			continue
		}
		for i < len(s) && strings.IndexByte("+-# 0", s[i]) >= 0 {
			i++
		}
		index()
		if i < len(s) && s[i] == '*' {
			use()
			i++
		} else {
			digits()
		}
		if i < len(s) && s[i] == '.' {
			i++
			index()
			if i < len(s) && s[i] == '*' {
				use()
				i++
			} else {
				digits()
			}
		}
		index()
		if i < len(s) {
			use()
			i++
		}
	}
	slices.Sort(used)
	return slices.Compact(used)
}
