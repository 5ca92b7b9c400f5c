package lesson

import "unicode/utf8"

// Warnings lists what is allowed but weakens a lesson: a choice question
// whose right answer gives itself away by being the longest by far.
func (l *Lesson) Warnings() Errors {
	var out Errors
	for i := range l.Steps {
		for k := range l.Steps[i].Questions {
			q := &l.Steps[i].Questions[k]
			if lang, ok := longestIsCorrect(q); ok {
				p := indexPath(indexPath("$.steps", i)+".questions", k)
				out = append(out, l.errAt(p, "step %d, question %d: the right choice is the longest by far (%s); learners guess it without reading, so make the wrong choices as full", i+1, k+1, lang))
			}
		}
	}
	return out
}

// longestIsCorrect reports the first language in which every right choice
// of q is half as long again as the longest wrong one, and at least 20
// characters longer.
func longestIsCorrect(q *Question) (string, bool) {
	if q.Kind != "single" && q.Kind != "multiple" || len(q.Choices) < 2 {
		return "", false
	}
	for _, lang := range Languages {
		shortestRight, longestWrong, wrong := -1, 0, false
		for _, c := range q.Choices {
			n := utf8.RuneCountInString(c.Text[lang])
			if n == 0 {
				continue
			}
			if c.Correct {
				if shortestRight < 0 || n < shortestRight {
					shortestRight = n
				}
			} else {
				wrong = true
				longestWrong = max(longestWrong, n)
			}
		}
		if wrong && shortestRight > 0 && shortestRight*2 >= longestWrong*3 && shortestRight-longestWrong >= 20 {
			return lang, true
		}
	}
	return "", false
}
