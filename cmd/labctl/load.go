package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"maillab/sim/lesson"
)

// loadPaths reads lessons from files and folders given on the command
// line, naming each file as the user wrote it in errors, and checks them
// as one set (ids unique, prerequisites present). It returns the lessons
// that loaded and every error.
func loadPaths(paths []string) ([]*lesson.Lesson, lesson.Errors) {
	if len(paths) == 0 {
		paths = []string{"lessons"}
	}
	var all []*lesson.Lesson
	var errs lesson.Errors
	loaded := map[string]bool{} // absolute paths, so a file named twice is read once
	var alone []string          // files checked without their folder
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			errs = append(errs, &lesson.Error{File: p, Line: 1, Col: 1, Msg: err.Error()})
			continue
		}
		root, names := filepath.Dir(p), []string{filepath.Base(p)}
		if st.IsDir() {
			root, names = p, lessonFiles(p)
			if len(names) == 0 {
				errs = append(errs, &lesson.Error{File: p, Line: 1, Col: 1, Msg: "no lesson files (*.yaml, *.yml) in this folder"})
			}
		} else {
			alone = append(alone, p)
		}
		fsys := os.DirFS(root)
		for _, n := range names {
			file := filepath.Join(root, n)
			if abs, err := filepath.Abs(file); err == nil {
				if loaded[abs] {
					continue
				}
				loaded[abs] = true
			}
			l, err := lesson.LoadFS(fsys, n)
			for _, e := range asErrors(err) {
				e.File = filepath.Join(root, e.File)
				errs = append(errs, e)
			}
			if err == nil {
				l.File = file
				all = append(all, l)
			}
		}
	}
	errs = append(errs, lesson.CheckSet(all, neighbours(alone, loaded))...)
	lesson.Sort(all)
	return all, errs
}

func lessonFiles(dir string) []string {
	var names []string
	fs.WalkDir(os.DirFS(dir), ".", func(n string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && isLessonFile(n) {
			names = append(names, n)
		}
		return nil
	})
	return names
}

func isLessonFile(n string) bool {
	return strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")
}

// neighbours maps the ids of the lessons beside files checked alone to
// their files, so such a file may name them as prerequisites and may not
// take their ids. Only each file's id line is read.
func neighbours(files []string, loaded map[string]bool) map[string]string {
	ids := map[string]string{}
	dirs := map[string]bool{}
	for _, f := range files {
		dir := filepath.Dir(f)
		if dirs[dir] {
			continue
		}
		dirs[dir] = true
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			n := filepath.Join(dir, e.Name())
			abs, _ := filepath.Abs(n)
			if e.IsDir() || !isLessonFile(n) || loaded[abs] {
				continue
			}
			if src, err := readLimited(n); err == nil {
				if id := lesson.PeekID(src); id != "" {
					ids[id] = n
				}
			}
		}
	}
	return ids
}

func readLimited(name string) ([]byte, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if st.Size() > lesson.MaxLessonSize {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, lesson.MaxLessonSize)
	}
	return os.ReadFile(name)
}

func asErrors(err error) lesson.Errors {
	if err == nil {
		return nil
	}
	if es, ok := err.(lesson.Errors); ok {
		return es
	}
	return lesson.Errors{{Line: 1, Col: 1, Msg: err.Error()}}
}
