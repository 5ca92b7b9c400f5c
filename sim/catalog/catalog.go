// Package catalog holds every text a learner or a teacher reads, one file per
// language per catalogue: texts/<lang>/<catalogue>.json, a flat JSON object of
// key → text. English is the source; a teacher adds a language by copying
// texts/en to texts/<lang> and translating the values, with no Go edits: the
// files are embedded and the languages are the folders found.
//
// A text takes fmt arguments. A translation may reorder them with explicit
// indexes ("%[2]s … %[1]d"); Check reports a translation whose arguments do
// not match the English text's.
package catalog

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Source is the language every catalogue is written in first, and the one a
// missing translation falls back to.
const Source = "en"

// Files is the tree catalogues are read from: texts/<lang>/<name>.json.
// Programs have every language's files built in; the page's module (built
// with the tag fetchtexts) has only each language's language.json, and
// the page hands it the texts of the languages it shows (Add).
var Files fs.FS = embedded

// Catalogue is one named set of texts in every language.
type Catalogue struct {
	name string
	mu   sync.Mutex
	read atomic.Pointer[read] // nil until first use, then renewed when Add adds texts
}

// read is what a catalogue's files held when it was last read.
type read struct {
	gen uint64                       // of added when read
	by  map[string]map[string]string // lang → key → text
	err error
}

var (
	mu    sync.Mutex
	named = map[string]*Catalogue{}
	// added holds the files given by Add, lang → catalogue → JSON, read
	// when the catalogue is first used.
	added = map[string]map[string][]byte{}
	// gen counts the calls of Add: a catalogue read before the last one
	// is read again.
	gen atomic.Uint64
)

// Add gives the catalogue name's texts in lang, file being its JSON (as
// texts/<lang>/<name>.json holds it), in place of what Files has of it.
// The page's module is given the languages it shows this way. The file is
// read when the catalogue is first used (a POP3 greeting reads no IMAP
// texts); Err then says what is wrong with it.
func Add(lang, name string, file []byte) error {
	if lang == "" || strings.ContainsAny(lang, "/.") {
		return fmt.Errorf("catalogue %s: bad language %q", name, lang)
	}
	mu.Lock()
	defer mu.Unlock()
	if added[lang] == nil {
		added[lang] = map[string][]byte{}
	}
	added[lang][name] = file
	gen.Add(1)
	return nil
}

// Get returns the catalogue name (the base name of its files). Its files are
// read on first use, so a page that never shows a protocol does not pay for
// that protocol's texts.
func Get(name string) *Catalogue {
	mu.Lock()
	defer mu.Unlock()
	c := named[name]
	if c == nil {
		c = &Catalogue{name: name}
		named[name] = c
	}
	return c
}

// Name is the catalogue's name.
func (c *Catalogue) Name() string { return c.name }

// load reads the catalogue's files on first use, and again after Add.
func (c *Catalogue) load() *read {
	g := gen.Load()
	if r := c.read.Load(); r != nil && r.gen == g {
		return r
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if r := c.read.Load(); r != nil && r.gen == g {
		return r
	}
	by, err := Load(Files, c.name)
	if errors.Is(err, fs.ErrNotExist) {
		// No English file: the page's module, which is given its texts
		// (Add), reads none; elsewhere it is an error unless added.
		by = map[string]map[string]string{}
		if !builtIn {
			err = nil
		}
	}
	mu.Lock()
	for lang, cats := range added {
		file, ok := cats[c.name]
		if !ok {
			continue
		}
		m, perr := parse(file)
		if perr != nil {
			err = fmt.Errorf("catalogue %s/%s.json: %w", lang, c.name, perr)
			break
		}
		by[lang] = m
		if lang == Source && err != nil && errors.Is(err, fs.ErrNotExist) {
			err = nil
		}
	}
	mu.Unlock()
	r := &read{gen: g, by: by, err: err}
	c.read.Store(r)
	return r
}

// Err reports why the catalogue could not be read; nil when it was.
func (c *Catalogue) Err() error {
	return c.load().err
}

// Lookup returns the text of key in lang, falling back to English, and
// whether the key exists at all.
func (c *Catalogue) Lookup(lang, key string) (string, bool) {
	r := c.load()
	if t, ok := r.by[lang][key]; ok {
		return t, true
	}
	t, ok := r.by[Source][key]
	return t, ok
}

// Text formats key in lang with args. A key that no file holds is a bug; it
// comes back as the key itself in brackets, so it shows without breaking a
// session.
func (c *Catalogue) Text(lang, key string, args ...any) string {
	t, ok := c.Lookup(lang, key)
	if !ok {
		return "[" + c.name + ":" + key + "]"
	}
	if len(args) == 0 {
		return t
	}
	return fmt.Sprintf(t, args...)
}

// Keys lists the catalogue's English keys, sorted.
func (c *Catalogue) Keys() []string {
	r := c.load()
	keys := make([]string, 0, len(r.by[Source]))
	for k := range r.by[Source] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Load reads every language's file of the catalogue name from fsys.
func Load(fsys fs.FS, name string) (map[string]map[string]string, error) {
	langs, err := LanguagesIn(fsys)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]string{}
	for _, lang := range langs {
		b, err := fs.ReadFile(fsys, path.Join("texts", lang, name+".json"))
		if err != nil {
			if lang == Source {
				return nil, fmt.Errorf("catalogue %s: %w", name, err)
			}
			continue // not translated yet: English serves
		}
		m, err := parse(b)
		if err != nil {
			return nil, fmt.Errorf("catalogue %s/%s.json: %w", lang, name, err)
		}
		out[lang] = m
	}
	return out, nil
}

// Languages lists the languages the embedded catalogues are written in,
// English first.
func Languages() []string {
	l, _ := LanguagesIn(Files)
	return l
}

// LanguagesIn lists the language folders of fsys's texts/, English first.
func LanguagesIn(fsys fs.FS) ([]string, error) {
	ents, err := fs.ReadDir(fsys, "texts")
	if err != nil {
		return nil, err
	}
	out := []string{Source}
	for _, e := range ents {
		if e.IsDir() && e.Name() != Source && !strings.HasPrefix(e.Name(), ".") {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// Names lists the catalogues: the English files' base names, sorted.
func Names(fsys fs.FS) ([]string, error) { return namesIn(fsys, Source) }

// namesIn lists the base names of lang's catalogue files.
func namesIn(fsys fs.FS, lang string) ([]string, error) {
	ents, err := fs.ReadDir(fsys, path.Join("texts", lang))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if n, ok := strings.CutSuffix(e.Name(), ".json"); ok && !e.IsDir() {
			out = append(out, n)
		}
	}
	return out, nil
}
