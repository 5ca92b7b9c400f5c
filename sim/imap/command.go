package imap

import (
	"errors"
	"slices"
	"strings"

	"maillab/sim/event"
	"maillab/sim/imap/wire"
	"maillab/sim/sasl"
	"maillab/sim/session"
)

// handler parses a command's arguments with d, then runs it and completes
// it. A syntax error raised while parsing is answered with BAD by command.
type handler func(s *Session, d *wire.Decoder)

var handlers map[string]handler

func init() {
	handlers = map[string]handler{
		"CAPABILITY": (*Session).cmdCapability, "NOOP": (*Session).cmdNoop, "LOGOUT": (*Session).cmdLogout,
		"ID": (*Session).cmdID, "STARTTLS": (*Session).cmdStartTLS, "LOGIN": (*Session).cmdLogin,
		"AUTHENTICATE": (*Session).cmdAuthenticate, "SELECT": (*Session).cmdSelect, "EXAMINE": (*Session).cmdSelect,
		"CREATE": (*Session).cmdCreate, "DELETE": (*Session).cmdDelete, "RENAME": (*Session).cmdRename,
		"SUBSCRIBE": (*Session).cmdSubscribe, "UNSUBSCRIBE": (*Session).cmdSubscribe,
		"LIST": (*Session).cmdListExt, "LSUB": (*Session).cmdList, "STATUS": (*Session).cmdStatus,
		"APPEND": (*Session).cmdAppend, "NAMESPACE": (*Session).cmdNamespace, "ENABLE": (*Session).cmdEnable,
		"IDLE": (*Session).cmdIdle, "CHECK": (*Session).cmdNoop, "CLOSE": (*Session).cmdClose,
		"UNSELECT": (*Session).cmdClose, "EXPUNGE": (*Session).cmdExpunge, "UID EXPUNGE": (*Session).cmdExpunge,
		"SEARCH": (*Session).cmdSearch, "UID SEARCH": (*Session).cmdSearch,
		"FETCH": (*Session).cmdFetch, "UID FETCH": (*Session).cmdFetch,
		"STORE": (*Session).cmdStore, "UID STORE": (*Session).cmdStore,
		"COPY": (*Session).cmdCopy, "UID COPY": (*Session).cmdCopy,
		"MOVE": (*Session).cmdCopy, "UID MOVE": (*Session).cmdCopy,
		"GETQUOTA": (*Session).cmdGetQuota, "GETQUOTAROOT": (*Session).cmdGetQuotaRoot,
		"SORT": (*Session).cmdSort, "UID SORT": (*Session).cmdSort,
		"THREAD": (*Session).cmdThread, "UID THREAD": (*Session).cmdThread,
		"CANCELUPDATE": (*Session).cmdCancelUpdate,
	}
}

// command parses the tag and verb of the line just read, checks the verb
// against the state table, and runs its handler.
func (s *Session) command() {
	d := s.dec
	var verb string
	s.tag, s.cmd = "", ""
	err := d.Parse(func() {
		s.tag = d.Tag()
		d.SP("command name")
		verb = d.Keyword("command name")
		if verb == "UID" {
			d.SP("UID's command")
			verb += " " + d.Keyword("UID's command")
		}
		s.cmd = verb
	})
	_, known := handlers[verb]
	if s.secret && !known {
		// No command: the line may be a password, its words the tag.
		tag := s.tag
		s.tag, s.cmd = "", ""
		if err := d.Discard(); err != nil {
			s.rerr = err
			return
		}
		if err == nil && !s.octetsLine && s.State() == NotAuthenticated {
			s.badUnknownHidden(tag)
			return
		}
		s.badHidden()
		return
	}
	if err != nil {
		s.refuse(err)
		return
	}
	h := handlers[verb]
	switch {
	case !known || s.disabled(verb):
		if s.rerr = d.Discard(); s.rerr != nil {
			return
		}
		s.unknown(verb)
	case !Machine.Allowed(s.State(), verb):
		if s.rerr = d.Discard(); s.rerr != nil {
			return
		}
		s.wrongState(verb)
	default:
		if err := d.Parse(func() { h(s, d) }); err != nil {
			s.refuse(err)
		}
	}
	// A credential command refused before the octets of its literal
	// were asked for: the client may send them anyway, as the next line.
	s.nextSecret = s.secret && d.PendingLiteral()
}

// badHidden answers a line that is no command and may carry a password,
// without repeating any of it, untagged: its first word may be the
// password rather than a tag (RFC 3501 7.1.3 allows an untagged BAD when
// the command cannot be determined).
func (s *Session) badHidden() {
	s.send("* BAD Not a well-formed command: a tag, one space and the command name, e.g. a1 LOGIN user password. The line is not repeated, as it may hold a password")
	s.explain("bad.hidden")
	s.flush()
}

// badUnknownHidden answers, before login, a command with a tag and a verb
// that is no command: tagged, as Dovecot answers it, so that the client
// can match the answer, but repeating neither the verb nor the arguments
// (in "user password" the verb is the password). Its event is Secret, so
// hosts log it without the tag: a password typed with a word after it
// would be the tag.
func (s *Session) badUnknownHidden(tag string) {
	s.sendSecret(tag + " BAD Unknown command; before login the server repeats only the tag of a line it does not know, as the line may hold a password. CAPABILITY lists the commands")
	s.explain("bad.unknown.hidden")
	s.flush()
}

// refuse answers a syntax error with BAD and drops the rest of the command.
func (s *Session) refuse(err error) {
	var se *wire.SyntaxError
	if !errors.As(err, &se) {
		s.rerr = err // the connection failed mid-command
		return
	}
	if derr := s.dec.Discard(); derr != nil {
		s.rerr = derr
		return
	}
	text := se.Error()
	if s.cmd != "" {
		text = s.cmd + ": " + text
	}
	if se.Key != "" {
		s.bad(text, se.Key, se.Args...)
		return
	}
	// The grammar's own errors share one explanation: the server's text
	// says which argument is wrong and what it expected.
	s.bad(text, "bad.syntax")
}

func (s *Session) disabled(verb string) bool {
	return slices.ContainsFunc(s.o.Disabled, func(d string) bool { return strings.EqualFold(d, verb) })
}

func (s *Session) unknown(verb string) {
	if strings.HasPrefix(verb, "UID ") {
		s.bad(verb+" is not a command; UID goes before COPY, MOVE, FETCH, SEARCH, STORE or EXPUNGE", "bad.uid", verb)
		return
	}
	if s.disabled(verb) {
		s.bad(verb+" is not available in this lesson", "bad.disabled", verb)
		return
	}
	s.bad("Unknown command "+verb+"; CAPABILITY lists what this server supports", "bad.unknown", verb)
}

// wrongState names where the command belongs (the state table is data).
func (s *Session) wrongState(verb string) {
	where := Machine.WhereText(verb)
	hint := ""
	switch s.State() {
	case NotAuthenticated:
		hint = "; log in first with LOGIN user password"
	case Authenticated:
		if Machine.Allowed(Selected, verb) {
			hint = "; select a mailbox first, e.g. SELECT INBOX"
		}
	case Selected:
		hint = "; you are already logged in"
	}
	text := verb + " is not allowed in the " + Machine.Title(s.State()) + " state, only in " + where + hint
	s.send(s.tag + " BAD " + text)
	e := event.Event{Command: verb}
	if s.Explaining() {
		var allowed, titles []string
		for _, st := range Machine.Where(verb) {
			allowed = append(allowed, string(st))
			titles = append(titles, Machine.TitleIn(s.o.Lang, st))
		}
		e = s.explanation("wrongstate", verb, Machine.TitleIn(s.o.Lang, s.State()), strings.Join(titles, ", "))
		e.Command, e.Allowed = verb, allowed
	}
	s.Explain(e)
	s.flush()
}

// capabilities lists exactly what this server implements (RFC 3501 7.2.1)
// in the current state: STARTTLS only before authentication, the only
// state that allows it (RFC 3501 6.2.1).
func (s *Session) capabilities() string {
	caps := []string{"IMAP4rev1", "LITERAL+", "SASL-IR", "ID", "ENABLE", "IDLE", "NAMESPACE", "UIDPLUS",
		"MOVE", "UNSELECT", "SPECIAL-USE", "CHILDREN", "BINARY", "MULTIAPPEND", "CATENATE",
		"LIST-EXTENDED", "LIST-STATUS", "CONDSTORE", "QRESYNC"}
	caps = append(caps, searchCapabilities...)
	for _, m := range sasl.Mechanisms() {
		caps = append(caps, "AUTH="+m)
	}
	if s.o.Store != nil && s.o.Store.HasQuota() {
		caps = append(caps, quotaCaps...)
	}
	if s.o.StartTLS != nil && !s.tls && s.user == nil {
		caps = append(caps, "STARTTLS")
	}
	return strings.Join(slices.DeleteFunc(caps, func(c string) bool {
		return s.disabled(c) || (c == "UIDPLUS" && s.disabled("UID EXPUNGE")) ||
			((c == "MULTIAPPEND" || c == "CATENATE") && s.disabled("APPEND")) ||
			(strings.HasPrefix(c, "LIST-") && s.disabled("LIST")) || (strings.HasPrefix(c, "AUTH=") && s.disabled("AUTHENTICATE")) ||
			s.disabled(extensionCommand[c])
	}), " ")
}

// greet sends the greeting and takes (1), (2) or (3). It reports whether
// the session continues.
func (s *Session) greet() bool {
	switch {
	case s.o.Reject != "":
		s.send("* BYE " + s.o.Reject)
		s.Take(tRejected, "connect")
		s.EndWith(session.Rejected)
		s.explain("greeting.bye")
		return false
	case s.o.Preauth != "":
		if u, ok := s.o.Store.User(s.o.Preauth); ok {
			s.user = u
			s.LoggedIn()
			s.send("* PREAUTH [CAPABILITY " + s.capabilities() + "] Logged in as " + u.Name())
			s.Take(tPreauth, "connect")
			s.explain("greeting.preauth", u.Name())
			return true
		}
	}
	s.send("* OK [CAPABILITY " + s.capabilities() + "] " + s.o.Hostname + " IMAP4rev1 server ready")
	s.Take(tGreeting, "connect")
	s.explain("greeting.ok")
	return true
}

func (s *Session) cmdCapability(d *wire.Decoder) {
	d.End()
	s.untagged("CAPABILITY " + s.capabilities())
	s.explain("capability")
	s.ok("", "CAPABILITY completed")
}

// cmdNoop serves NOOP and CHECK: both exist to let pending updates through
// (RFC 3501 6.1.2, 6.4.1).
func (s *Session) cmdNoop(d *wire.Decoder) {
	d.End()
	s.ok("", s.cmd+" completed")
}

func (s *Session) cmdLogout(d *wire.Decoder) {
	d.End()
	s.untagged("BYE " + s.o.Hostname + " IMAP4rev1 server terminating connection")
	s.explain("bye.logout")
	s.closeSelection()
	s.send(s.tag + " OK LOGOUT completed")
	s.explainOK()
	s.logout("LOGOUT", session.Logout)
	s.flush()
}

// cmdID answers RFC 2971 ID with the server's name.
func (s *Session) cmdID(d *wire.Decoder) {
	d.SP("ID parameters")
	if d.Peek() == '(' {
		d.List("ID parameters", func() { d.String("ID field"); d.SP("ID value"); s.nstring(d, "ID value") })
	} else if strings.ToUpper(d.Atom("ID parameters")) != "NIL" {
		wireFail("ID parameters", "expected NIL or a list of field-value pairs", "bad.id.params")
	}
	d.End()
	s.untagged(`ID ("name" "maillab" "vendor" "maillab")`)
	s.explain("id")
	s.ok("", "ID completed")
}

func (s *Session) nstring(d *wire.Decoder, arg string) {
	if d.Peek() == '"' || d.Peek() == '{' {
		d.String(arg)
		return
	}
	if strings.ToUpper(d.Atom(arg)) != "NIL" {
		wireFail(arg, "expected a string or NIL", "bad.id.string")
	}
}

// cmdNamespace: one personal namespace with "/" as delimiter (RFC 2342).
func (s *Session) cmdNamespace(d *wire.Decoder) {
	d.End()
	s.untagged(`NAMESPACE (("" "/")) NIL NIL`)
	s.explain("namespace")
	s.ok("", "NAMESPACE completed")
}

// wireFail raises a syntax error from a handler, as the decoder does;
// key and args name its explanation in the imap catalogue.
func wireFail(arg, msg, key string, args ...any) {
	panic(&wire.SyntaxError{Arg: arg, Msg: msg, Key: key, Args: args})
}
