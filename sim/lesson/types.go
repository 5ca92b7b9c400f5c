package lesson

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"maillab/sim/mailpath"
)

// required lists the keys each part of a lesson must have, as
// lessons/schema.json's "required" lists them (a test keeps the two
// alike).
var required = map[reflect.Type][]string{
	reflect.TypeOf(Lesson{}):      {"id", "title", "protocol", "level", "fixture", "steps"},
	reflect.TypeOf(Account{}):     {"user", "password"},
	reflect.TypeOf(Folder{}):      {"name"},
	reflect.TypeOf(Actor{}):       {"name", "at_step", "script"},
	reflect.TypeOf(Greeting{}):    {"session"},
	reflect.TypeOf(Delivery{}):    {"at_step", "user", "message"},
	reflect.TypeOf(Step{}):        {"text"},
	reflect.TypeOf(CommandGoal{}): {"verb"},
	reflect.TypeOf(FlagGoal{}):    {"flag"},
	reflect.TypeOf(MailboxGoal{}): {"name"},
	reflect.TypeOf(CountGoal{}):   {"messages"},
	reflect.TypeOf(Question{}):    {"kind", "text"},
	reflect.TypeOf(Choice{}):      {"text"},
	// The mail path's, as labserver's -topology file has them.
	reflect.TypeOf(mailpath.Domain{}): {"name"},
	reflect.TypeOf(mailpath.MX{}):     {"host", "priority"},
	reflect.TypeOf(mailpath.Host{}):   {"name"},
	reflect.TypeOf(mailpath.Fault{}):  {"host", "command", "reply"},
}

// checkShape walks the YAML tree beside the Go types it decodes into and
// reports what the decoder would quietly convert or leave empty: a number
// where text belongs (`subject: 2024`), text or a fraction where a whole
// number belongs (`level: "1"`, `level: 1.5`), an empty value, a single
// value where a list belongs, and a missing required key. Unknown keys are
// the strict decoder's to report.
func checkShape(file string, f *ast.File) Errors {
	if f == nil || len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return nil
	}
	c := &shapeChecker{file: file}
	c.node(f.Docs[0].Body, reflect.TypeOf(Lesson{}), "")
	slices.SortStableFunc(c.errs, func(a, b *Error) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
	return c.errs
}

type shapeChecker struct {
	file string
	errs Errors
}

func (c *shapeChecker) add(n ast.Node, format string, args ...any) {
	e := &Error{File: c.file, Line: 1, Col: 1, Msg: fmt.Sprintf(format, args...)}
	if tk := n.GetToken(); tk != nil {
		e.Line, e.Col = tk.Position.Line, tk.Position.Column
	}
	c.errs = append(c.errs, e)
}

// unwrap looks through tags and anchors to the value.
func unwrap(n ast.Node) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.TagNode:
			n = v.Value
		case *ast.AnchorNode:
			n = v.Value
		default:
			return n
		}
	}
}

// found names what a node holds, for "expected X, found Y".
func found(n ast.Node) string {
	switch n.(type) {
	case *ast.NullNode:
		return "nothing"
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "the number " + n.String()
	case *ast.BoolNode:
		return "the value " + n.String()
	case *ast.StringNode, *ast.LiteralNode:
		return fmt.Sprintf("the text %s", n.String())
	case *ast.MappingNode, *ast.MappingValueNode:
		return "keys and values"
	case *ast.SequenceNode:
		return "a list"
	}
	return n.Type().String()
}

func (c *shapeChecker) node(n ast.Node, t reflect.Type, key string) {
	n = unwrap(n)
	if n == nil {
		return
	}
	if _, ok := n.(*ast.AliasNode); ok {
		return // an alias repeats a value checked where it was defined
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	what := key
	if what != "" {
		what += ": "
	}
	switch {
	case t == reflect.TypeOf(Text{}):
		c.text(n, what)
	case t.Kind() == reflect.Struct:
		c.mapping(n, t, what)
	case t.Kind() == reflect.Slice:
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			c.add(n, "%sexpected a list, found %s (a list is [a, b] or lines starting with \"- \")", what, found(n))
			return
		}
		for _, v := range seq.Values {
			c.node(v, t.Elem(), key)
		}
	case t.Kind() == reflect.String:
		switch n.(type) {
		case *ast.StringNode, *ast.LiteralNode:
		case *ast.IntegerNode:
			if key != "transition" { // IMAP's transitions are numbers: transition: 5
				c.add(n, `%sexpected text, found %s; put it in quotes: "%s"`, what, found(n), n.String())
			}
		case *ast.NullNode:
			c.add(n, `%sexpected text, found nothing (write "" for an empty text)`, what)
		case *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
			c.add(n, `%sexpected text, found %s; put it in quotes: "%s"`, what, found(n), n.String())
		default:
			c.add(n, "%sexpected text, found %s", what, found(n))
		}
	case t.Kind() == reflect.Int || t.Kind() == reflect.Uint32:
		if _, ok := n.(*ast.IntegerNode); !ok {
			c.add(n, "%sexpected a whole number, found %s", what, found(n))
		}
	case t.Kind() == reflect.Bool:
		if _, ok := n.(*ast.BoolNode); !ok {
			c.add(n, "%sexpected true or false, found %s", what, found(n))
		}
	}
}

// pairs returns a mapping's key/value pairs; a mapping of one pair is a
// MappingValueNode of its own.
func pairs(n ast.Node) ([]*ast.MappingValueNode, bool) {
	switch m := n.(type) {
	case *ast.MappingNode:
		return m.Values, true
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}, true
	}
	return nil, false
}

func keyName(mv *ast.MappingValueNode) string {
	if mv.Key == nil {
		return ""
	}
	return strings.Trim(mv.Key.String(), `"'`)
}

func (c *shapeChecker) text(n ast.Node, what string) {
	ps, ok := pairs(n)
	if !ok {
		c.add(n, "%sexpected a text in each language (en: ..., ru: ..., sk: ...), found %s", what, found(n))
		return
	}
	for _, mv := range ps {
		c.node(mv.Value, reflect.TypeOf(""), keyName(mv))
	}
}

func (c *shapeChecker) mapping(n ast.Node, t reflect.Type, what string) {
	ps, ok := pairs(n)
	if !ok {
		c.add(n, "%sexpected keys and values, found %s", what, found(n))
		return
	}
	fields := yamlFields(t)
	have := map[string]bool{}
	unknown := false
	for _, mv := range ps {
		k := keyName(mv)
		have[k] = true
		ft, ok := fields[k]
		if !ok {
			unknown = true
			c.add(mv.Key, "%s", unknownKey(k, fields))
			continue
		}
		before := len(c.errs)
		c.node(mv.Value, ft, k)
		if _, empty := unwrap(mv.Value).(*ast.NullNode); empty && len(c.errs) > before {
			// An empty value has no place of its own: point at its key.
			if tk := mv.Key.GetToken(); tk != nil {
				c.errs[before].Line, c.errs[before].Col = tk.Position.Line, tk.Position.Column
			}
		}
	}
	if unknown {
		return // a misspelt key is the likelier mistake than a missing one
	}
	for _, k := range required[t] {
		if !have[k] {
			c.add(ps[0].Key, "%smissing key %q", what, k)
		}
	}
}

// unknownKey says a key is not part of the format, suggesting the key
// it is probably a misspelling of.
func unknownKey(k string, fields map[string]reflect.Type) string {
	best, dist := "", 3
	for f := range fields {
		if d := editDistance(strings.ToLower(k), f); d < dist || d == dist && f < best {
			best, dist = f, d
		}
	}
	if best != "" {
		return fmt.Sprintf("unknown key %q; did you mean %q?", k, best)
	}
	keys := make([]string, 0, len(fields))
	for f := range fields {
		keys = append(keys, f)
	}
	slices.Sort(keys)
	return fmt.Sprintf("unknown key %q; the keys here are %s", k, strings.Join(keys, ", "))
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

// yamlFields maps a struct's YAML keys to their types, inline fields
// included.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if strings.Contains(opts, "inline") {
			for k, v := range yamlFields(f.Type) {
				out[k] = v
			}
			continue
		}
		out[name] = f.Type
	}
	return out
}
