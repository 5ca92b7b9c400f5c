package lesson

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// Entry is one lesson in a bundle: what a lesson picker shows, and the
// lesson itself in its compiled form (read by Decode when the lesson is
// opened), with the files of its Maildir fixture, if it has one.
type Entry struct {
	ID            string   `json:"id"`
	Title         Text     `json:"title"`
	Summary       Text     `json:"summary,omitempty"`
	Protocol      string   `json:"protocol"`
	Level         int      `json:"level"`
	Prerequisites []string `json:"prerequisites,omitempty"`
	Steps         int      `json:"steps"`
	File          string   `json:"file"`
	// Lesson is the lesson, checked, as JSON: no YAML parser is needed
	// to open it.
	Lesson json.RawMessage `json:"lesson"`
	// Files are the fixture Maildir's files, by their path relative to
	// the lesson file's folder; Decode reads the lesson with them.
	Files map[string][]byte `json:"files,omitempty"`
}

// MaxFixtureSize bounds the Maildir files one lesson carries to the
// browser.
const MaxFixtureSize = 16 << 20

// Bundle encodes lessons, in course order, as the JSON the browser lab
// lists and loads lessons from.
func Bundle(ls []*Lesson) ([]byte, error) {
	out := struct {
		Lessons []Entry `json:"lessons"`
	}{Lessons: []Entry{}}
	for _, l := range ls {
		files, err := l.fixtureFiles()
		if err != nil {
			return nil, err
		}
		compiled, err := json.Marshal(l)
		if err != nil {
			return nil, err
		}
		out.Lessons = append(out.Lessons, Entry{ID: l.ID, Title: l.Title, Summary: l.Summary, Protocol: l.Protocol,
			Level: l.Level, Prerequisites: l.Prerequisites, Steps: len(l.Steps), File: l.File, Lesson: compiled, Files: files})
	}
	return json.MarshalIndent(out, "", " ")
}

// fixtureFiles reads the lesson's Maildir fixture, keyed by path relative
// to the lesson's folder.
func (l *Lesson) fixtureFiles() (map[string][]byte, error) {
	if l.Fixture.Maildir == "" || l.fsys == nil {
		return nil, nil
	}
	dir, ok := l.resolve(l.Fixture.Maildir)
	if !ok {
		return nil, fmt.Errorf("%s: maildir %q is outside the lesson's folder", l.File, l.Fixture.Maildir)
	}
	base := path.Dir(l.File)
	files := map[string][]byte{}
	total := 0
	err := fs.WalkDir(l.fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := fs.ReadFile(l.fsys, p)
		if err != nil {
			return err
		}
		if total += len(b); total > MaxFixtureSize {
			return fmt.Errorf("%s: the Maildir fixture is larger than %d MiB", l.File, MaxFixtureSize>>20)
		}
		files[strings.TrimPrefix(p, base+"/")] = b
		return nil
	})
	return files, err
}
