package smtp

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

const aliasFile = `# The lab's aliases, in the format of /etc/aliases.
postmaster:   root
root:         melanie
MAILER-DAEMON: postmaster

staff:        melanie, alex,
              mrose
	# a comment inside a continuation is skipped
all:          staff, \smith, "SMITH"
melanie:      melanie, melanie@backup.example
forward:      <vanja@three.example>
local-addr:   alex@example.org
`

func mustAliases(t *testing.T, text string) *Aliases {
	t.Helper()
	a, err := ParseAliases(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func isLocal(d string) bool { return strings.EqualFold(d, "example.org") }

func TestParseAliases(t *testing.T) {
	a := mustAliases(t, aliasFile)
	want := []string{"postmaster", "root", "mailer-daemon", "staff", "all", "melanie", "forward", "local-addr"}
	if !slices.Equal(a.Names(), want) {
		t.Errorf("names %v", a.Names())
	}
	for name, targets := range map[string][]string{
		"Staff":         {"melanie", "alex", "mrose"},
		"all":           {"staff", `\smith`, "SMITH"},
		"forward":       {"vanja@three.example"},
		"mailer-daemon": {"postmaster"},
	} {
		if got, ok := a.Lookup(name); !ok || !slices.Equal(got, targets) {
			t.Errorf("%s: %v", name, got)
		}
	}
	if _, ok := a.Lookup("nobody"); ok {
		t.Error("nobody is an alias")
	}
	var none *Aliases
	if _, ok := none.Lookup("x"); ok || none.Names() != nil {
		t.Error("a nil table has entries")
	}
}

// Targets that would run a program or read or write a file are refused,
// each with the line it is on; the rest of the file is still read.
func TestParseAliasesRefuses(t *testing.T) {
	text := `ok: melanie
list: :include:/etc/mail/list
pipe: "|/usr/bin/vacation melanie"
file: /var/mail/archive
mixed: alex, |/bin/sh, mrose
  continued-without-colon
no colon here
dup: alex
dup: mrose
: alex
empty:
bad: a b
`
	a, err := ParseAliases(strings.NewReader(text))
	if err == nil {
		t.Fatal("no error")
	}
	var lines []int
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ae *AliasError
		if !errors.As(e, &ae) {
			t.Fatalf("%v is not an AliasError", e)
		}
		lines = append(lines, ae.Line)
	}
	if want := []int{2, 3, 4, 5, 5, 7, 9, 10, 11, 12}; !slices.Equal(lines, want) {
		t.Errorf("errors on lines %v, want %v:\n%v", lines, want, err)
	}
	for _, s := range []string{":include:", "runs commands", "into mailboxes", "defined twice", "separate targets with commas"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("the errors do not say %q:\n%v", s, err)
		}
	}
	// The continuation lacks the comma before it: "mrose continued-without-colon" is one target, refused.
	if got, _ := a.Lookup("mixed"); !slices.Equal(got, []string{"alex"}) {
		t.Errorf("mixed: %v", got)
	}
	if got, _ := a.Lookup("ok"); !slices.Equal(got, []string{"melanie"}) {
		t.Errorf("ok: %v", got)
	}
	if _, err := ParseAliases(strings.NewReader("  indented: first\n")); err == nil {
		t.Error("a continuation before any alias was accepted")
	}
}

func TestExpandAliases(t *testing.T) {
	a := mustAliases(t, aliasFile)
	tests := []struct {
		name    string
		users   []string
		remote  []string
		isAlias bool
	}{
		{"postmaster", []string{"melanie"}, []string{"melanie@backup.example"}, true},
		{"MAILER-DAEMON", []string{"melanie"}, []string{"melanie@backup.example"}, true},
		{"staff", []string{"melanie", "alex", "mrose"}, []string{"melanie@backup.example"}, true},
		{"all", []string{"melanie", "alex", "mrose", "smith"}, []string{"melanie@backup.example"}, true}, // "SMITH" folds onto smith
		{"melanie", []string{"melanie"}, []string{"melanie@backup.example"}, true},                       // names itself: the user
		{"forward", nil, []string{"vanja@three.example"}, true},
		{"local-addr", []string{"alex"}, nil, true},
		{"alex", []string{"alex"}, nil, false},
	}
	for _, tt := range tests {
		x, err := a.expand(tt.name, isLocal)
		if err != nil || !slices.Equal(x.users, tt.users) || !slices.Equal(x.remote, tt.remote) || x.isAlias != tt.isAlias {
			t.Errorf("%s: %+v %v", tt.name, x, err)
		}
	}
}

func TestAliasLoops(t *testing.T) {
	a := mustAliases(t, "a: b\nb: c\nc: a, melanie\nself: self\nback: x@example.org\nx: back\n")
	for name, chain := range map[string]string{
		"a":    "a → b → c → a",
		"b":    "b → c → a → b",
		"back": "back → x → back",
	} {
		_, err := a.expand(name, isLocal)
		var loop *LoopError
		if !errors.As(err, &loop) || !errors.Is(err, ErrAliasLoop) || strings.Join(loop.Chain, " → ") != chain {
			t.Errorf("%s: %v, want the chain %s", name, err, chain)
		}
	}
	if x, err := a.expand("self", isLocal); err != nil || !slices.Equal(x.users, []string{"self"}) {
		t.Errorf("self: %+v %v", x, err)
	}
	// A chain deeper than sendmail's limit of 10 is treated as a loop.
	var b strings.Builder
	for i := range 12 {
		b.WriteString(string(rune('a'+i)) + "x: " + string(rune('a'+i+1)) + "x\n")
	}
	deep := mustAliases(t, b.String())
	if _, err := deep.expand("ax", isLocal); !errors.Is(err, ErrAliasLoop) {
		t.Errorf("a chain of 12: %v", err)
	}
	if x, err := deep.expand("dx", isLocal); err != nil || !slices.Equal(x.users, []string{"mx"}) {
		t.Errorf("a chain of 9: %+v %v", x, err)
	}
}
