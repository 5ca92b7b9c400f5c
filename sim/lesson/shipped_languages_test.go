package lesson_test

import (
	"io/fs"
	"slices"
	"testing"

	"maillab/lessons"
	"maillab/sim/lesson"
)

// Every shipped lesson is written in every language the lab ships: its
// title in each, and so (the validator sees to it) every other text. A
// learner who picks Slovak never falls back to English without a word.
func TestShippedLessonsInEveryLanguage(t *testing.T) {
	names, err := fs.Glob(lessons.FS(), "*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no lessons: %v", err)
	}
	for _, name := range names {
		l, err := lesson.LoadFS(lessons.FS(), name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for _, lang := range lesson.Languages {
			if !slices.Contains(l.Title.Languages(), lang) {
				t.Errorf("%s: no %s text", name, lang)
			}
		}
	}
}
