package main

import (
	"errors"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"maillab/sim/lesson"
	_ "maillab/sim/lesson/withmailpath" // extra lessons with mail domains replay too
)

// extraLessons serves an instructor's lesson folder (-lessons DIR) at
// /lessons/extra/: the files as they are, and index.json, the checked
// lessons as the bundle the page's lesson picker reads. Lessons are
// validated when the server starts and again when the folder changes;
// every problem is logged with file:line:column, and a lesson with errors
// is left out of the index.
type extraLessons struct {
	dir   string
	log   *slog.Logger
	files http.Handler

	mu      sync.Mutex
	checked time.Time // newest modification time seen at the last check
	index   []byte
}

func newExtraLessons(dir string, log *slog.Logger) *extraLessons {
	x := &extraLessons{dir: dir, log: log, files: http.FileServer(http.Dir(dir))}
	x.checked = x.newest()
	x.index = x.reload()
	return x
}

// reload checks the folder's lessons as labctl check does, validating
// each and replaying its reference solutions, and rebuilds the index of
// those that pass.
func (x *extraLessons) reload() []byte {
	loaded, err := lesson.LoadDir(os.DirFS(x.dir), ".")
	for _, e := range asLessonErrors(err) {
		x.logProblem(e)
	}
	var ls []*lesson.Lesson
	for _, l := range loaded {
		if err := lesson.Replay(l); err != nil {
			x.logProblem(asLessonError(err, l.File))
			continue
		}
		ls = append(ls, l)
	}
	b, berr := lesson.Bundle(ls)
	if berr != nil {
		x.log.Error("lesson index", "error", berr)
		b = []byte(`{"lessons":[]}`)
	}
	x.log.Info("extra lessons", "dir", x.dir, "lessons", len(ls))
	return b
}

func (x *extraLessons) logProblem(e *lesson.Error) {
	x.log.Warn("lesson problem", "file", filepath.Join(x.dir, e.File), "line", e.Line, "col", e.Col, "error", e.Msg)
}

// asLessonError is err as a lesson error in file.
func asLessonError(err error, file string) *lesson.Error {
	var le *lesson.Error
	if errors.As(err, &le) {
		return le
	}
	return &lesson.Error{File: file, Line: 1, Col: 1, Msg: err.Error()}
}

func asLessonErrors(err error) lesson.Errors {
	if es, ok := err.(lesson.Errors); ok {
		return es
	}
	if err != nil {
		return lesson.Errors{{File: ".", Line: 1, Col: 1, Msg: err.Error()}}
	}
	return nil
}

// newest is the latest modification time in the folder's top level, so an
// instructor's edit shows up on the next request.
func (x *extraLessons) newest() time.Time {
	var t time.Time
	ents, _ := os.ReadDir(x.dir)
	for _, e := range ents {
		if info, err := e.Info(); err == nil && info.ModTime().After(t) {
			t = info.ModTime()
		}
	}
	return t
}

func (x *extraLessons) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "index.json" {
		x.files.ServeHTTP(w, r)
		return
	}
	x.mu.Lock()
	if n := x.newest(); x.index == nil || n.After(x.checked) {
		x.checked = n
		x.index = x.reload()
	}
	b := x.index
	x.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}
