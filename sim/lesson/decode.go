package lesson

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Decode reads a lesson in its compiled form: the JSON that Bundle (an
// Entry's Lesson) and json.Marshal write of a lesson read from YAML, with
// the files of its Maildir fixture keyed by path relative to the lesson's
// folder. It needs no YAML parser, which is why the browser lab opens
// lessons this way. The lesson is checked again as Parse checks it; with
// no source to point into, its errors name the path of the problem.
func Decode(b []byte, files map[string][]byte) (*Lesson, error) {
	if len(b) > MaxCompiledSize {
		return nil, Errors{{Line: 1, Col: 1, Msg: fmt.Sprintf("the compiled lesson is larger than %d KiB", MaxCompiledSize>>10)}}
	}
	var l Lesson
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&l); err != nil {
		return nil, Errors{{Line: 1, Col: 1, Msg: "not a compiled lesson: " + err.Error()}}
	}
	if d.More() {
		return nil, Errors{{Line: 1, Col: 1, Msg: "not a compiled lesson: data after the lesson"}}
	}
	l.File = treeName(l.File)
	if len(files) > 0 {
		fsys, err := fixtureTree(l.File, files)
		if err != nil {
			return nil, err
		}
		l.fsys = fsys
	}
	if errs := l.validate(); len(errs) > 0 {
		return &l, errs
	}
	return &l, nil
}

// MaxCompiledSize bounds a compiled lesson: its JSON says what a lesson
// file of MaxLessonSize says, with quoting to spare.
const MaxCompiledSize = 4 * MaxLessonSize
