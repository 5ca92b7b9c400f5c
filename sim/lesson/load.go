package lesson

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"
	"github.com/hack-pad/hackpadfs"
	"github.com/hack-pad/hackpadfs/mem"

	"maillab/sim/proto"
)

// Parse reads one lesson from src; file names it in errors. Loading is
// strict: an unknown key, a wrong type or a semantic mistake (an unknown
// transition, a missing translation, a step without a solution) is an
// error at its line and column. Maildir fixtures cannot be checked or
// loaded without a file system; use LoadFS for those.
func Parse(file string, src []byte) (*Lesson, error) {
	return parse(nil, file, src)
}

// ParseFiles reads one lesson from src with the files of its Maildir
// fixture (an Entry's Files), keyed by path relative to the lesson's
// folder: how the browser's YAML module (wasm/lessonyaml) reads a lesson
// file.
func ParseFiles(file string, src []byte, files map[string][]byte) (*Lesson, error) {
	if len(files) == 0 {
		return Parse(file, src)
	}
	file = treeName(file)
	fsys, err := fixtureTree(file, files)
	if err != nil {
		return nil, err
	}
	return parse(fsys, file, src)
}

// treeName is the name a lesson file has in its fixture tree: the name
// itself if it is a relative path, or its last element; a lesson without
// a name is lesson.yaml.
func treeName(file string) string {
	if !fs.ValidPath(file) {
		file = path.Base(file)
	}
	if file == "." || file == "/" {
		return "lesson.yaml"
	}
	return file
}

// fixtureTree puts the files of a lesson's Maildir fixture, keyed by path
// relative to the lesson's folder, into a file tree beside file.
func fixtureTree(file string, files map[string][]byte) (fs.FS, error) {
	fsys, err := mem.NewFS()
	if err != nil {
		return nil, err
	}
	dir := path.Dir(file)
	for name, b := range files {
		if !fs.ValidPath(name) {
			return nil, Errors{{File: file, Line: 1, Col: 1, Msg: fmt.Sprintf("fixture file %q is not a relative path", name)}}
		}
		p := path.Join(dir, name)
		err := hackpadfs.MkdirAll(fsys, path.Dir(p), 0o700)
		if err == nil {
			err = hackpadfs.WriteFullFile(fsys, p, b, 0o600)
		}
		if err != nil {
			return nil, Errors{{File: file, Line: 1, Col: 1, Msg: fmt.Sprintf("fixture file %q: %v", name, err)}}
		}
	}
	return fsys, nil
}

// LoadFS reads the lesson at name in fsys; Maildir fixtures are resolved
// relative to it and must stay inside its folder.
func LoadFS(fsys fs.FS, name string) (*Lesson, error) {
	if st, err := fs.Stat(fsys, name); err == nil && st.Size() > MaxLessonSize {
		return nil, tooBig(name)
	}
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, Errors{{File: name, Line: 1, Col: 1, Msg: err.Error()}}
	}
	return parse(fsys, name, src)
}

// MaxLessonSize bounds a lesson file. The course's lessons are a few
// kilobytes; big fixtures belong in a Maildir folder beside the lesson.
const MaxLessonSize = 1 << 20

func tooBig(file string) Errors {
	return Errors{{File: file, Line: 1, Col: 1, Msg: fmt.Sprintf("the file is larger than %d KiB; put large fixtures in a Maildir folder (fixture.maildir)", MaxLessonSize>>10)}}
}

func parse(fsys fs.FS, file string, src []byte) (*Lesson, error) {
	if len(src) > MaxLessonSize {
		return nil, tooBig(file)
	}
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")) // a byte-order mark some editors write
	if len(bytes.TrimSpace(src)) == 0 {
		return nil, Errors{{File: file, Line: 1, Col: 1, Msg: "empty lesson file"}}
	}
	f, err := parseAST(src)
	if err != nil {
		return nil, Errors{fromYAML(file, src, err)}
	}
	if errs := checkShape(file, f); len(errs) > 0 {
		return nil, errs.withExcerpts(src)
	}
	var l Lesson
	if err := yaml.UnmarshalWithOptions(src, &l, yaml.Strict()); err != nil {
		return nil, Errors{fromYAML(file, src, err)}
	}
	l.File = file
	l.Source = string(src)
	l.pos = positions{file: f}
	l.fsys = fsys
	if errs := l.validate(); len(errs) > 0 {
		return &l, errs
	}
	return &l, nil
}

// LoadDir reads every *.yaml lesson under dir in fsys (not descending into
// fixture folders that hold no lessons) and checks the set: ids unique and
// prerequisites present. It returns the lessons it could read, sorted by
// protocol, level and id, and every error found.
func LoadDir(fsys fs.FS, dir string) ([]*Lesson, error) {
	var names []string
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return nil, Errors{{File: dir, Line: 1, Col: 1, Msg: err.Error()}}
	}
	return LoadFiles(fsys, names)
}

// LoadFiles reads the named lessons and checks them as a set.
func LoadFiles(fsys fs.FS, names []string) ([]*Lesson, error) {
	var all Errors
	var out []*Lesson
	for _, n := range names {
		l, err := LoadFS(fsys, n)
		if err != nil {
			all = append(all, asErrors(err)...)
		}
		if l != nil && err == nil {
			out = append(out, l)
		}
	}
	all = append(all, CheckSet(out, nil)...)
	Sort(out)
	if len(all) > 0 {
		return out, all
	}
	return out, nil
}

// Sort orders lessons as the course goes: by their protocol's place in the
// registry (POP3 before IMAP before SMTP), then by level and id.
func Sort(ls []*Lesson) {
	rank := map[string]int{}
	for _, p := range proto.All() {
		rank[p.Name] = p.Order
	}
	sort.SliceStable(ls, func(i, j int) bool {
		a, b := ls[i], ls[j]
		if rank[a.Protocol] != rank[b.Protocol] {
			return rank[a.Protocol] < rank[b.Protocol]
		}
		if a.Level != b.Level {
			return a.Level < b.Level
		}
		return a.ID < b.ID
	})
}

// CheckSet reports duplicate ids and prerequisites no lesson provides.
// others maps the ids of lessons not loaded (the neighbours of a file
// checked alone) to their files: they count as provided, and as taken.
func CheckSet(ls []*Lesson, others map[string]string) Errors {
	var errs Errors
	seen := map[string]string{}
	for id, file := range others {
		seen[id] = file
	}
	for _, l := range ls {
		if prev, ok := seen[l.ID]; ok {
			errs = append(errs, l.errAt("$.id", "lesson id %q is already used by %s", l.ID, prev))
			continue
		}
		seen[l.ID] = l.File
	}
	for _, l := range ls {
		for i, p := range l.Prerequisites {
			if _, ok := seen[p]; !ok {
				errs = append(errs, l.errAt(indexPath("$.prerequisites", i), "prerequisite %q is not a known lesson id", p))
			}
		}
	}
	return errs
}

var topID = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^id:[ \t]*["']?([^"'#\s]+)`) })

// PeekID returns the id a lesson file declares, read without parsing the
// whole file: for naming the neighbours of a file checked alone.
func PeekID(src []byte) string {
	if m := topID().FindSubmatch(src); m != nil {
		return string(m[1])
	}
	return ""
}

func asErrors(err error) Errors {
	if es, ok := err.(Errors); ok {
		return es
	}
	return Errors{{Line: 1, Col: 1, Msg: err.Error()}}
}

// resolve returns the fs path of a fixture folder named relative to the
// lesson file, refusing paths that leave the lesson's folder.
func (l *Lesson) resolve(rel string) (string, bool) {
	if rel == "" || path.IsAbs(rel) || strings.Contains(rel, "\\") {
		return "", false
	}
	clean := path.Clean(rel)
	if clean == ".." || strings.HasPrefix(clean, "../") {
		return "", false
	}
	p := path.Join(path.Dir(l.File), clean)
	return p, fs.ValidPath(p)
}
