package lesson

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Answer is a learner's answer to a question: the chosen choice indexes
// (0-based) or the typed text.
type Answer struct {
	Choices []int  `json:"choices,omitempty"`
	Text    string `json:"text,omitempty"`
}

// Correct reports whether a answers q.
func (q *Question) Correct(a Answer) bool {
	switch q.Kind {
	case "single", "multiple":
		var want []int
		for i, c := range q.Choices {
			if c.Correct {
				want = append(want, i)
			}
		}
		got := slices.Clone(a.Choices)
		slices.Sort(got)
		got = slices.Compact(got)
		return slices.Equal(got, want)
	case "short":
		t := strings.Join(strings.Fields(a.Text), " ")
		for _, s := range q.Answers {
			if strings.EqualFold(t, strings.Join(strings.Fields(s), " ")) {
				return true
			}
		}
		return q.Pattern != "" && regexp.MustCompile(wholeAnswer(q.Pattern)).MatchString(t)
	}
	return false
}

// wholeAnswer makes a short answer's pattern match the whole answer,
// ignoring case, as the answers list does: "110" must not accept "1105".
func wholeAnswer(pattern string) string { return `(?i)^(?:` + pattern + `)$` }

// Key returns an answer that q accepts, for replaying a lesson: the
// first of a short question's answers (the validator requires one).
func (q *Question) Key() Answer {
	if q.Kind == "short" {
		if len(q.Answers) > 0 {
			return Answer{Text: q.Answers[0]}
		}
		return Answer{}
	}
	var a Answer
	for i, c := range q.Choices {
		if c.Correct {
			a.Choices = append(a.Choices, i)
		}
	}
	return a
}

// Answer records an answer to question qi of step i (both 0-based) and
// returns whether it is correct and the question's explanation. A step
// made only of questions is done when all are answered correctly.
func (e *Engine) Answer(i, qi int, a Answer) (bool, string, error) {
	e.mu.Lock()
	if i < 0 || i >= len(e.l.Steps) {
		e.mu.Unlock()
		return false, "", fmt.Errorf("step %d: the lesson has steps 1 to %d", i+1, len(e.l.Steps))
	}
	st := &e.l.Steps[i]
	if qi < 0 || qi >= len(st.Questions) {
		e.mu.Unlock()
		return false, "", fmt.Errorf("question %d: this step has %d questions", qi+1, len(st.Questions))
	}
	q := &st.Questions[qi]
	ok := q.Correct(a)
	p := &e.prog.Steps[i]
	if p.Answers == nil {
		p.Answers = map[int]bool{}
	}
	p.Answers[qi] = p.Answers[qi] || ok
	changed := false
	if len(st.Goals) == 0 && !p.Done && e.prog.Step == i {
		all := true
		for k := range st.Questions {
			all = all && p.Answers[k]
		}
		if all {
			e.completeLocked(i)
			changed = true
		}
	}
	expl := q.Explanation.In(e.lang)
	e.mu.Unlock()
	if changed && e.opt.OnChange != nil {
		e.opt.OnChange()
	}
	return ok, expl, nil
}
