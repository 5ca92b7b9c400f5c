package pop3

import (
	"slices"
	"strings"

	"maillab/sim/event"
	"maillab/sim/fsm"
	"maillab/sim/lineio"
)

// Input limits.
const (
	// maxCommandLine is RFC 2449 section 4's limit on a command line, CRLF
	// included.
	maxCommandLine = 255
	// maxArg is RFC 1939 section 3's limit on one argument.
	maxArg = 40
	// maxSASLLine bounds a line read at all: SASL responses may be longer
	// than a command line (RFC 5034 section 4), nothing may be longer
	// than this.
	maxSASLLine = 4096
)

// command is one parsed command line.
type command struct {
	verb string   // upper-case keyword
	args []string // arguments split at spaces
	rest string   // everything after the keyword and its space: PASS's argument
}

// spec says how a command is called and which method answers it.
type spec struct {
	run      func(*Session, command)
	min, max int    // argument counts; max < 0: the rest of the line is one argument
	usage    string // syntax as RFC 1939 writes it, for error texts
}

// commands is the one table of every command this server knows. Which
// state allows each is Machine's business, not this table's.
var commands map[string]spec

func init() {
	commands = map[string]spec{
		"USER": {(*Session).cmdUser, 1, 1, "USER name"},
		"PASS": {(*Session).cmdPass, 1, -1, "PASS string"},
		"APOP": {(*Session).cmdAPOP, 2, 2, "APOP name digest"},
		"AUTH": {(*Session).cmdAuth, 0, 2, "AUTH mechanism [initial-response]"},
		"CAPA": {(*Session).cmdCapa, 0, 0, "CAPA"},
		"STLS": {(*Session).cmdSTLS, 0, 0, "STLS"},
		"QUIT": {(*Session).cmdQuit, 0, 0, "QUIT"},
		"STAT": {(*Session).cmdStat, 0, 0, "STAT"},
		"LIST": {(*Session).cmdList, 0, 1, "LIST [msg]"},
		"RETR": {(*Session).cmdRetr, 1, 1, "RETR msg"},
		"DELE": {(*Session).cmdDele, 1, 1, "DELE msg"},
		"NOOP": {(*Session).cmdNoop, 0, 0, "NOOP"},
		"RSET": {(*Session).cmdRset, 0, 0, "RSET"},
		"TOP":  {(*Session).cmdTop, 2, 2, "TOP msg n"},
		"UIDL": {(*Session).cmdUidl, 0, 1, "UIDL [msg]"},
	}
}

// credentialArg gives, for each command that carries credentials, the
// index of its first argument that does: PASS's password, APOP's name and
// digest (hidden together), AUTH's initial response.
var credentialArg = map[string]int{"PASS": 0, "APOP": 0, "AUTH": 1}

// secretLine reports whether a line may carry credentials. Its event is
// then marked Secret and names only a known verb, hosts log no more than
// that, and no answer repeats the line. Such a line is a credential
// command with its arguments, however they are spaced, and before login
// any line that is not a well-formed command carrying none (USER name,
// CAPA, STLS, QUIT, AUTH with a mechanism only, ...): a password after a
// tab or a leading space, after a mistyped PASS, or typed on a line of its
// own must not reach a log.
func (s *Session) secretLine(line []byte, c command) bool {
	words := blankFields(line)
	if len(words) > 0 {
		if i, ok := credentialArg[strings.ToUpper(words[0])]; ok && len(words)-1 > i {
			return true
		}
	}
	if s.State() != Authorization || len(line) == 0 {
		return false
	}
	sp, known := commands[c.verb]
	if !known || line[0] == ' ' {
		return true
	}
	_, badLine := lineProblem(line, c.verb)
	_, badArgs := argProblem(c, sp)
	return badLine || badArgs
}

// blankFields splits a line at spaces and tabs.
func blankFields(line []byte) []string {
	return strings.FieldsFunc(string(line), func(r rune) bool { return r == ' ' || r == '\t' })
}

// verbOf returns the upper-cased first word of a line, printable, as the
// Command of its events. A secret line names its verb only when that is a
// command: otherwise the word may be the password itself.
func verbOf(line []byte, secret bool) string {
	if secret {
		if words := blankFields(line); len(words) > 0 {
			v := strings.ToUpper(words[0])
			if _, ok := commands[v]; ok {
				return v
			}
		}
		return ""
	}
	s := string(line)
	if i := strings.IndexByte(s, ' '); i >= 0 {
		s = s[:i]
	}
	if len(s) > maxArg {
		s = s[:maxArg]
	}
	if hasControl([]byte(s)) {
		s = lineio.Printable(s)
	}
	return strings.ToUpper(s)
}

// handle answers one command line.
func (s *Session) handle(line []byte) {
	c := parse(string(line))
	secret := s.secretLine(line, c)
	s.Cmd = verbOf(line, secret)
	s.Client(line, event.Event{Secret: secret})
	if bad, ok := lineProblem(line, c.verb); ok {
		s.fail("", bad.text, bad.x)
		return
	}
	sp, known := commands[c.verb]
	switch {
	case strings.TrimLeft(string(line), " ") == "":
		s.fail("", "empty command line; type a command such as CAPA", expl{key: exEmpty})
	case c.verb == "":
		s.fail("", "a command line must start with the command, not with a space", expl{key: exLeadingSpace})
	case !known && secret:
		s.unknown("")
	case !known:
		s.unknown(c.verb)
	case s.disabled(c.verb):
		s.fail("", c.verb+" is not available in this lesson", expl{key: exDisabled, args: []any{c.verb}})
	case !Machine.Allowed(s.State(), c.verb):
		s.wrongState(c.verb)
	default:
		if bad, ok := argProblem(c, sp); ok {
			s.fail("", bad.text, bad.x)
			return
		}
		sp.run(s, c)
	}
}

// parse splits a line into keyword and arguments. Arguments are separated
// by single spaces (RFC 1939 section 3); repeated spaces are forgiven, as
// people type them in telnet, except in PASS's argument: it is the rest of
// the line after the one space, kept exactly, so a password may start or
// end with a space.
func parse(line string) command {
	verb, rest, _ := strings.Cut(line, " ")
	c := command{verb: strings.ToUpper(verb), rest: rest}
	for _, f := range strings.Split(rest, " ") {
		if f != "" {
			c.args = append(c.args, f)
		}
	}
	return c
}

// problem is an input error: its wire text and its explanation.
type problem struct {
	text string
	x    expl
}

// lineProblem checks what RFC 1939 section 3 and RFC 2449 section 4 ask
// of a whole line: its length, and printable ASCII only (a password may
// hold any byte but a control character).
func lineProblem(line []byte, verb string) (problem, bool) {
	if len(line)+2 > maxCommandLine {
		return tooLong(), true
	}
	for _, c := range line {
		if c < 0x20 || c == 0x7f {
			p := "^I" // Printable keeps tabs, which are still not allowed here
			if c != '\t' {
				p = lineio.Printable(string([]byte{c}))
			}
			return problem{"the line contains the control character " + p + "; commands are printable ASCII",
				expl{key: exControl, args: []any{p}}}, true
		}
	}
	if verb == "PASS" {
		return problem{}, false
	}
	for _, c := range line {
		if c >= 0x80 {
			return problem{"the line contains non-ASCII bytes; POP3 commands and arguments are ASCII",
				expl{key: exNonASCII}}, true
		}
	}
	return problem{}, false
}

func tooLong() problem {
	return problem{"line too long: a command line is at most 255 octets with its CRLF (RFC 2449)", expl{key: exTooLong}}
}

// argProblem checks the argument count and RFC 1939's 40-character limit
// on an argument. AUTH's initial response is exempt: RFC 5034 section 4
// bounds it only by the line.
func argProblem(c command, sp spec) (problem, bool) {
	n := len(c.args)
	if sp.max < 0 && c.rest != "" {
		n = max(n, 1) // the rest of the line is the argument, even all spaces
	}
	if n < sp.min {
		return problem{"missing argument; usage: " + sp.usage, expl{key: exMissingArg, args: []any{sp.usage}}}, true
	}
	if sp.max >= 0 && n > sp.max {
		return problem{"too many arguments; usage: " + sp.usage, expl{key: exExtraArg, args: []any{sp.usage}}}, true
	}
	for i, a := range c.args {
		if sp.max < 0 || c.verb == "AUTH" && i == 1 {
			break
		}
		if len(a) > maxArg {
			return problem{"argument too long: at most 40 characters (RFC 1939)", expl{key: exArgTooLong}}, true
		}
	}
	return problem{}, false
}

// unknown answers a keyword no state allows, listing what this state
// does. An empty verb is a line before login that is answered without
// being repeated: it may be a password typed on its own line, and answers
// are logged.
func (s *Session) unknown(verb string) {
	here, state := strings.Join(s.available(s.State()), " "), Machine.Title(s.State())
	// The wire says the state's title in English, the explanation in the
	// session's language.
	title := Machine.TitleIn(s.o.Lang, s.State())
	if verb == "" {
		s.fail("", "unknown command; in the "+state+" state you can use "+here,
			expl{key: exUnknownHidden, args: []any{title, here}})
		return
	}
	s.fail("", "unknown command "+verb+"; in the "+state+" state you can use "+here,
		expl{key: exUnknown, args: []any{verb, title, here}})
}

// wrongState answers a command the current state does not allow, naming
// where it belongs and what to do to get there.
func (s *Session) wrongState(verb string) {
	where := Machine.WhereText(verb)
	var titles []string
	for _, st := range Machine.Where(verb) {
		titles = append(titles, Machine.TitleIn(s.o.Lang, st))
	}
	hint, hk := "log in with USER and PASS first", exWrongStateLogin
	if s.State() == Transaction {
		hint, hk = "you are already logged in", exWrongStateLoggedIn
	}
	var allowed []string
	for _, st := range Machine.Where(verb) {
		allowed = append(allowed, string(st))
	}
	s.fail("", verb+" is not allowed in the "+Machine.Title(s.State())+" state; it is allowed in "+where+": "+hint,
		expl{key: hk, args: []any{verb, Machine.TitleIn(s.o.Lang, s.State()), strings.Join(titles, ", ")}, allowed: allowed})
}

// available lists the commands a state allows that the lesson has not
// hidden.
func (s *Session) available(st fsm.State) []string {
	var out []string
	for _, c := range Machine.Commands[st] {
		if !s.disabled(c) {
			out = append(out, c)
		}
	}
	return out
}

// disabled reports whether the lesson hides verb.
func (s *Session) disabled(verb string) bool {
	return slices.ContainsFunc(s.o.Disabled, func(d string) bool { return strings.EqualFold(d, verb) })
}
