package smtp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Aliases is an alias table in the /etc/aliases format of sendmail and
// Postfix (aliases(5)):
//
//	# comment
//	postmaster: root
//	root:       melanie
//	staff:      melanie, alex,
//	            mrose
//
// A logical line is "name: target, target ..."; a line starting with
// white space continues the one before it; empty lines and lines whose
// first non-blank character is "#" are ignored. Names compare
// case-insensitively, as Postfix folds them to lower case.
//
// A target is a local name (itself looked up again), "\name" (the user
// name, not looked up again), or an address user@domain. The lab runs
// nothing and reads no other file, so ":include:/file", "|command" and
// "/file" targets are refused with a clear error.
type Aliases struct {
	names   []string            // in file order, lower-case
	targets map[string][]string // name → targets as written
}

// AliasError is one problem in an alias file.
type AliasError struct {
	Line   int
	Name   string
	Target string
	Reason string
}

func (e *AliasError) Error() string {
	s := fmt.Sprintf("aliases line %d", e.Line)
	if e.Name != "" {
		s += " (" + e.Name + ")"
	}
	if e.Target != "" {
		s += ": " + e.Target
	}
	return s + ": " + e.Reason
}

// ParseAliases reads an alias table. It returns every entry it could
// read, and an error joining one AliasError per refused line or target,
// so a teacher sees every mistake at once; the entries read are usable
// either way.
func ParseAliases(r io.Reader) (*Aliases, error) {
	a := &Aliases{targets: map[string][]string{}}
	var errs []error
	var logical string
	start, n := 0, 0
	flush := func() {
		if logical != "" {
			errs = append(errs, a.add(logical, start)...)
		}
		logical = ""
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64*1024)
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), " \t\r")
		trimmed := strings.TrimLeft(line, " \t")
		switch {
		case trimmed == "" || trimmed[0] == '#':
			continue
		case trimmed != line: // continuation
			if logical == "" {
				errs = append(errs, &AliasError{Line: n, Reason: "a continuation line (starting with white space) with no alias before it"})
				continue
			}
			logical += " " + trimmed
		default:
			flush()
			logical, start = line, n
		}
	}
	flush()
	if err := sc.Err(); err != nil {
		errs = append(errs, err)
	}
	return a, errors.Join(errs...)
}

// add reads one logical line "name: targets".
func (a *Aliases) add(line string, n int) []error {
	name, list, ok := strings.Cut(line, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.ContainsAny(name, " \t") {
		return []error{&AliasError{Line: n, Reason: `not "name: target, target ..."`}}
	}
	name = strings.Trim(name, `"`)
	key := strings.ToLower(name)
	if _, dup := a.targets[key]; dup {
		return []error{&AliasError{Line: n, Name: name, Reason: "the alias is defined twice"}}
	}
	var errs []error
	var targets []string
	for _, t := range splitTargets(list) {
		if reason := refusedTarget(t); reason != "" {
			errs = append(errs, &AliasError{Line: n, Name: name, Target: t, Reason: reason})
			continue
		}
		targets = append(targets, t)
	}
	if len(targets) == 0 && len(errs) == 0 {
		errs = append(errs, &AliasError{Line: n, Name: name, Reason: "the alias has no targets"})
	}
	if len(targets) > 0 {
		a.names = append(a.names, key)
		a.targets[key] = targets
	}
	return errs
}

// splitTargets splits at commas outside double quotes and strips quotes
// and angle brackets around a target.
func splitTargets(s string) []string {
	var out []string
	var cur strings.Builder
	inQuote := false
	emit := func() {
		t := strings.TrimSpace(cur.String())
		cur.Reset()
		if len(t) >= 2 && t[0] == '"' && t[len(t)-1] == '"' {
			t = t[1 : len(t)-1]
		}
		if len(t) >= 2 && t[0] == '<' && t[len(t)-1] == '>' {
			t = t[1 : len(t)-1]
		}
		if t != "" {
			out = append(out, t)
		}
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			inQuote = !inQuote
			cur.WriteByte(c)
		case c == ',' && !inQuote:
			emit()
		default:
			cur.WriteByte(c)
		}
	}
	emit()
	return out
}

// refusedTarget says why a target cannot be used, or "".
func refusedTarget(t string) string {
	switch {
	case strings.HasPrefix(strings.ToLower(t), ":include:"):
		return ":include: reads another file of addresses; the lab reads no other files, so list the members here"
	case strings.HasPrefix(t, "|"):
		return "a pipe to a command; nothing in the lab runs commands"
	case strings.HasPrefix(t, "/"):
		return "delivery to a file; the lab delivers only into mailboxes"
	case strings.ContainsAny(t, " \t") && !strings.HasPrefix(t, `"`):
		return "a target with white space in it; separate targets with commas"
	}
	local, domain, hasAt := strings.Cut(strings.TrimPrefix(t, `\`), "@")
	if local == "" || hasAt && checkDomain(domain) != nil && checkLiteral(domain) != nil {
		return "not a user name or an address"
	}
	return ""
}

// Lookup returns the targets of the alias name (any case) as written.
func (a *Aliases) Lookup(name string) ([]string, bool) {
	if a == nil {
		return nil, false
	}
	t, ok := a.targets[strings.ToLower(name)]
	return t, ok
}

// Names lists the aliases in file order, lower-case.
func (a *Aliases) Names() []string {
	if a == nil {
		return nil
	}
	return append([]string(nil), a.names...)
}

// maxAliasDepth bounds alias expansion, as sendmail's MaxAliasRecursion
// (10) does: a longer chain is treated as a loop.
const maxAliasDepth = 10

// ErrAliasLoop reports an alias that leads back to itself (RFC 3463
// X.4.6, "routing loop detected").
var ErrAliasLoop = errors.New("mail forwarding loop")

// LoopError is an alias loop: the chain of names that closes it.
type LoopError struct{ Chain []string }

func (e *LoopError) Error() string {
	return ErrAliasLoop.Error() + ": " + strings.Join(e.Chain, " → ")
}

func (e *LoopError) Unwrap() error { return ErrAliasLoop }

// expansion is the result of expanding a name through the alias table.
type expansion struct {
	users   []string // local names to look up as users, in order, without repeats
	remote  []string // addresses elsewhere, in order, without repeats
	isAlias bool     // the name itself was an alias
}

// expand follows name through the aliases. An alias that names itself
// ("melanie: melanie, melanie@backup.example") means the user of that
// name, as in sendmail and Postfix; any longer way back is a loop. local
// says whether a domain is delivered here, so "user@local.domain" targets
// are expanded again like "user".
func (a *Aliases) expand(name string, local func(string) bool) (expansion, error) {
	var x expansion
	var walk func(name string, chain []string) error
	walk = func(name string, chain []string) error {
		key := strings.ToLower(name)
		targets, ok := a.Lookup(key)
		if !ok {
			if !contains(x.users, key) {
				x.users = append(x.users, name)
			}
			return nil
		}
		if len(chain) >= maxAliasDepth || contains(chain, key) {
			return &LoopError{Chain: append(append([]string(nil), chain...), key)}
		}
		chain = append(chain, key)
		for _, t := range targets {
			if user, ok := strings.CutPrefix(t, `\`); ok {
				if !contains(x.users, user) {
					x.users = append(x.users, user)
				}
				continue
			}
			if lp, domain, hasAt := strings.Cut(t, "@"); hasAt {
				if !local(domain) {
					if !contains(x.remote, t) {
						x.remote = append(x.remote, t)
					}
					continue
				}
				t = lp
			}
			if strings.EqualFold(t, key) { // the alias names itself: its user
				if !contains(x.users, t) {
					x.users = append(x.users, t)
				}
				continue
			}
			if err := walk(t, chain); err != nil {
				return err
			}
		}
		return nil
	}
	_, x.isAlias = a.Lookup(name)
	err := walk(name, nil)
	return x, err
}

// contains reports whether list holds s, ignoring case.
func contains(list []string, s string) bool {
	for _, l := range list {
		if strings.EqualFold(l, s) {
			return true
		}
	}
	return false
}
