package lesson

import "encoding/json"

// Entry is one lesson in a bundle: what a lesson picker shows, and the
// YAML source the engine parses when the lesson is opened.
type Entry struct {
	ID            string   `json:"id"`
	Title         Text     `json:"title"`
	Summary       Text     `json:"summary,omitempty"`
	Protocol      string   `json:"protocol"`
	Level         int      `json:"level"`
	Prerequisites []string `json:"prerequisites,omitempty"`
	Steps         int      `json:"steps"`
	File          string   `json:"file"`
	Source        string   `json:"source"`
}

// Bundle encodes lessons, in course order, as the JSON the browser lab
// lists and loads lessons from.
func Bundle(ls []*Lesson) ([]byte, error) {
	out := struct {
		Lessons []Entry `json:"lessons"`
	}{Lessons: []Entry{}}
	for _, l := range ls {
		out.Lessons = append(out.Lessons, Entry{ID: l.ID, Title: l.Title, Summary: l.Summary, Protocol: l.Protocol,
			Level: l.Level, Prerequisites: l.Prerequisites, Steps: len(l.Steps), File: l.File, Source: l.Source})
	}
	return json.MarshalIndent(out, "", " ")
}
