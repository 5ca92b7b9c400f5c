package lesson

import (
	"errors"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Error is one problem in a lesson file, at a line and column, so an
// instructor can jump straight to it.
type Error struct {
	File    string
	Line    int
	Col     int
	Msg     string
	Excerpt string // the source lines around the problem, with a caret
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	if e.Excerpt != "" {
		s += "\n" + e.Excerpt
	}
	return s
}

// Errors is every problem found in one or more files.
type Errors []*Error

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// fromYAML turns a go-yaml error ("[4:5] unknown field "pasword"") into
// an Error naming the file, with the source around it.
func fromYAML(file string, src []byte, err error) *Error {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		tk := ye.GetToken()
		return &Error{File: file, Line: tk.Position.Line, Col: tk.Position.Column, Msg: ye.GetMessage(),
			Excerpt: sourceExcerpt(src, tk.Position.Line, tk.Position.Column)}
	}
	return &Error{File: file, Line: 1, Col: 1, Msg: err.Error()}
}

// withExcerpts gives each error the source lines around it.
func (es Errors) withExcerpts(src []byte) Errors {
	for _, e := range es {
		e.Excerpt = sourceExcerpt(src, e.Line, e.Col)
	}
	return es
}

// sourceExcerpt shows the lines up to line (1-based) of src, numbered,
// with a caret under column col: what an editor would show at the error.
func sourceExcerpt(src []byte, line, col int) string {
	lines := strings.Split(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	width := len(fmt.Sprint(line))
	var b strings.Builder
	for n := max(1, line-2); n <= line; n++ {
		mark := " "
		if n == line {
			mark = ">"
		}
		fmt.Fprintf(&b, "%s %*d | %s\n", mark, width, n, strings.ReplaceAll(lines[n-1], "\t", " "))
	}
	// The caret goes under the column, counted in characters.
	pre := []rune(lines[line-1])
	pad := min(max(col-1, 0), len(pre))
	fmt.Fprintf(&b, "  %s | %s^", strings.Repeat(" ", width), strings.Repeat(" ", pad))
	return b.String()
}

// locator finds where a path ("$.steps[0].goals[1]") is in the source a
// lesson was read from, for errors found after decoding. A lesson read
// from YAML has one; a lesson decoded from its compiled JSON has none.
type locator interface {
	locate(path string) (line, col int, ok bool)
}

// positions locates paths in a YAML syntax tree.
type positions struct {
	file *ast.File
}

func parseAST(src []byte) (*ast.File, error) { return parser.ParseBytes(src, 0) }

// locate finds path, or its nearest existing ancestor.
func (p positions) locate(path string) (line, col int, ok bool) {
	for p.file != nil && path != "" {
		if yp, err := yaml.PathString(path); err == nil {
			if n, err := yp.FilterFile(p.file); err == nil && n != nil {
				if tk := n.GetToken(); tk != nil {
					return tk.Position.Line, tk.Position.Column, true
				}
				return 0, 0, false
			}
		}
		i := strings.LastIndexAny(path, ".[")
		if i <= 0 {
			break
		}
		path = path[:i]
	}
	return 0, 0, false
}

// errAt builds an Error at path. Without a source to point into, the
// message names the path.
func (l *Lesson) errAt(path, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	if l.pos == nil {
		return &Error{File: l.File, Line: 1, Col: 1, Msg: msg + " (at " + path + ")"}
	}
	line, col, ok := l.pos.locate(path)
	if !ok {
		return &Error{File: l.File, Line: 1, Col: 1, Msg: msg}
	}
	return &Error{File: l.File, Line: line, Col: col, Msg: msg, Excerpt: sourceExcerpt([]byte(l.Source), line, col)}
}
