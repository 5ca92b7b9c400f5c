package lesson

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Warnings lists what is allowed but weakens a lesson: a choice question
// whose right answer gives itself away by being the longest by far; a
// `:command` in a text that the page cannot show as a button.
func (l *Lesson) Warnings() Errors {
	var out Errors
	for i := range l.Steps {
		s := &l.Steps[i]
		p := indexPath("$.steps", i)
		out = append(out, l.actionWarnings(p+".text", i, s.Text)...)
		for k, h := range s.Hints {
			out = append(out, l.actionWarnings(indexPath(p+".hints", k), i, h)...)
		}
		out = append(out, l.actionWarnings(p+".explanation", i, s.Explanation)...)
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

var mdCode = regexp.MustCompile("`([^`]+)`")

// actionWarnings reports each `:command` in a text (in any of its
// languages) that is no lab action of a solution line. A text is read in
// the page and in labctl play alike: the page shows a lab action as the
// button that does it, and labctl play as the line to type; play's own
// commands (`:goals`, `:hint`) have no button, and would leak as code.
func (l *Lesson) actionWarnings(p string, step int, t Text) Errors {
	var out Errors
	seen := map[string]bool{}
	for _, lang := range t.Languages() {
		for _, m := range mdCode.FindAllStringSubmatch(t[lang], -1) {
			line := strings.TrimSpace(m[1])
			if !strings.HasPrefix(line, ":") || seen[line] {
				continue
			}
			seen[line] = true
			verb, _, _, err := parseAction(line)
			if err != nil || (verb == "wait" || verb == "mailq") && len(l.Fixture.Domains) == 0 {
				out = append(out, l.errAt(p, "step %d: `%s` in its text (%s) is no lab action the page can do; write one as a solution line has it (:connect [NAME [PROTOCOL]], :drop [NAME], :use NAME, and :wait, :mailq on a mail path), which the page shows as its button and labctl play as the line to type, or leave it out", step+1, line, lang))
			}
		}
	}
	return out
}
