package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"maillab/sim/lesson"
)

// loadPaths reads lessons from files and folders given on the command
// line, naming each file as the user wrote it in errors, and checks them
// as one set (ids unique, prerequisites present).
func loadPaths(paths []string) ([]*lesson.Lesson, error) {
	if len(paths) == 0 {
		paths = []string{"lessons"}
	}
	var all []*lesson.Lesson
	var errs lesson.Errors
	var siblings []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			errs = append(errs, &lesson.Error{File: p, Line: 1, Col: 1, Msg: err.Error()})
			continue
		}
		root, names := filepath.Dir(p), []string{filepath.Base(p)}
		if !st.IsDir() {
			siblings = append(siblings, siblingIDs(root)...)
		}
		if st.IsDir() {
			root, names = p, nil
			fs.WalkDir(os.DirFS(p), ".", func(n string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() && (strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")) {
					names = append(names, n)
				}
				return nil
			})
		}
		fsys := os.DirFS(root)
		for _, n := range names {
			l, err := lesson.LoadFS(fsys, n)
			for _, e := range asErrors(err) {
				e.File = filepath.Join(root, e.File)
				errs = append(errs, e)
			}
			if err == nil {
				l.File = filepath.Join(root, n)
				all = append(all, l)
			}
		}
	}
	errs = append(errs, lesson.CheckSet(all, siblings...)...)
	lesson.Sort(all)
	if len(errs) > 0 {
		return all, errs
	}
	return all, nil
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

// siblingIDs lists the ids of the lessons in dir, so a file checked alone
// may name its neighbours as prerequisites.
func siblingIDs(dir string) []string {
	var ids []string
	ms, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	for _, m := range ms {
		if l, err := lesson.LoadFS(os.DirFS(dir), filepath.Base(m)); err == nil {
			ids = append(ids, l.ID)
		}
	}
	return ids
}
