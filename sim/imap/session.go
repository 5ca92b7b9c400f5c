// Package imap is an IMAP4rev1 server session (RFC 3501) with the
// extensions a modern client expects: IDLE, UIDPLUS, MOVE, NAMESPACE,
// UNSELECT, LITERAL+, SASL-IR, ID, ENABLE, SPECIAL-USE, CHILDREN, BINARY,
// MULTIAPPEND, CATENATE, LIST-EXTENDED, LIST-STATUS, CONDSTORE, QRESYNC,
// the SORT, THREAD and ESEARCH family and QUOTA. A
// session is served over any io.ReadWriter; it emits every line, state
// transition and an explanation of each response as events.
package imap

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"maillab/sim/event"
	"maillab/sim/imap/wire"
	"maillab/sim/lineio"
	"maillab/sim/mailstore"
	"maillab/sim/proto"
	"maillab/sim/session"
)

// Options configure a session.
type Options struct {
	Store      *mailstore.Store
	Events     event.Sink       // nil: no events
	Explain    bool             // Events reads explanations: Explain events carry them
	SessionID  string           // copied into every Event.Session
	Hostname   string           // default "localhost"
	Lang       string           // language of Explain texts: "en" (default), "ru", "sk"
	Log        *proto.Logger    // nil: no log; never logs a password
	Now        func() time.Time // nil: time.Now
	Rand       io.Reader        // SASL's challenges and nonces; nil: crypto/rand
	Autologout time.Duration    // 0: 30 minutes (RFC 3501 section 5.4)
	StartTLS   func(rw io.ReadWriter) (io.ReadWriter, error)
	TLS        bool     // the connection is already TLS
	Disabled   []string // commands a lesson hides

	Preauth    string // when set, greet with PREAUTH as this user: transition (2)
	Reject     string // when set, greet with BYE and this text (server full): transition (3)
	MaxLiteral int    // largest literal accepted, in octets; 0: mailstore.MaxMessageSize
	// MaxMailbox is the most messages APPEND, COPY and MOVE may put in one
	// mailbox (a quota: "COPY 1:* INBOX" repeated would double it each
	// time); beyond it they answer NO [OVERQUOTA]. 0: 100,000.
	MaxMailbox int

	// Auth is the host's throttle of failed logins; its MaxFailures 0:
	// no limit.
	Auth session.Throttle

	// CRAMChallenge pins AUTHENTICATE CRAM-MD5's challenge:
	// "<1896.697170952@postoffice.reston.mci.net>" gives RFC 2195's
	// example. SCRAMNonce pins the nonce SCRAM's server adds to the
	// client's. Empty: fresh ones per exchange.
	CRAMChallenge, SCRAMNonce string
}

const (
	defaultAutologout = 30 * time.Minute
	maxLineLength     = 64 << 10
	maxShown          = 200 // octets of an over-long line its event shows
)

// Session is one IMAP connection.
type Session struct {
	session.Base
	o Options

	dec  *wire.Decoder
	rerr error // the connection failed while a command was being read
	tls  bool

	user    *mailstore.User
	sel     *selection
	enabled map[string]bool // what ENABLE (or a CONDSTORE enabling command) turned on
	// sentVanished: this command sent VANISHED; its tagged OK carries
	// HIGHESTMODSEQ (RFC 7162 3.2.10).
	sentVanished bool
	// sentModSeq: this command's answer carried a MODSEQ.
	sentModSeq bool

	// The command being served: its tag and verb ("UID FETCH"), for events.
	inCmd  bool
	tag    string
	cmd    string
	secret bool
	// nextSecret: a credential command announced a literal it did not
	// wait for, so the next line may be its octets (a password).
	nextSecret bool
	// octetsLine: this line is the one nextSecret was set for.
	octetsLine bool
	// litTail is the end of a literal's octets that no line ending closed:
	// what follows it up to CRLF continues the line the client typed.
	// joinNext says the next line read continues a line already shown.
	litTail  []byte
	joinNext bool
	// lastResp is the response sent last, for its explanation's parts.
	lastResp string
	// fetchBuf is the buffer FETCH builds its responses in, reused.
	fetchBuf []byte
	// waiting is when the session began to wait for the next command.
	waiting time.Time
	// saslParts explain an AUTHENTICATE exchange's last step (the
	// client's response, the challenge sent): the next Explain event
	// carries them.
	saslParts []event.Part
}

// NewSession prepares a session; Serve runs it.
func NewSession(o Options) *Session {
	if o.Hostname == "" {
		o.Hostname = "localhost"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Autologout == 0 {
		o.Autologout = defaultAutologout
	}
	if o.MaxMailbox <= 0 {
		o.MaxMailbox = 100_000
	}
	if o.MaxLiteral <= 0 {
		o.MaxLiteral = mailstore.MaxMessageSize
	}
	s := &Session{o: o, tls: o.TLS, enabled: map[string]bool{}}
	s.Now, s.Idle, s.Auth = o.Now, o.Autologout, o.Auth
	s.Init("imap", o.SessionID, Machine, o.Events, o.Explain)
	return s
}

func (s *Session) attach(rw io.ReadWriter) {
	s.Attach(rw, maxLineLength, 16<<10)
	s.dec = wire.NewDecoder(s.R, int64(s.o.MaxLiteral))
	s.dec.Continue = func() error {
		s.send("+ Ready for literal data")
		s.explain("continue")
		return s.flush()
	}
	s.dec.OnLine = s.onLine
	s.dec.OnLiteral = s.onLiteral
	s.dec.OnSkip = s.onSkip
}

// Serve runs the session until LOGOUT, end of input or autologout.
func (s *Session) Serve(rw io.ReadWriter) error {
	s.attach(rw)
	s.Emit(event.Event{Kind: event.Open})
	defer s.closeSelection()
	defer func() {
		s.flushLiteralTail()
		s.Close()
	}()
	if !s.greet() {
		return s.flush()
	}
	for s.State() != Logout {
		if err := s.flush(); err != nil {
			s.drop("drop")
			return err
		}
		if err := s.next(); err != nil {
			return s.ended(err)
		}
	}
	return s.flush()
}

// next reads and serves one command.
func (s *Session) next() error {
	// The wait starts before the deadline is set, so a wait the
	// autologout ends is never measured as shorter than it.
	s.waiting = time.Now()
	lineio.SetIdle(s.Conn(), s.o.Autologout, s.o.Now())
	s.inCmd = false
	s.dec.MaxLiteral = s.literalLimit()
	err := s.dec.Next()
	if errors.Is(err, lineio.ErrTooLong) {
		s.tooLong()
		return nil
	}
	if err != nil {
		return err
	}
	s.command()
	var big *wire.LiteralTooLarge
	if errors.As(s.rerr, &big) {
		s.rerr = nil
		s.literalTooLarge(big)
	}
	if s.rerr != nil {
		return s.rerr
	}
	return s.WriteErr()
}

// preauthLiteral bounds a literal before login: a user name, a password or
// an ID value needs no more, and a client that has not logged in may not
// make the server read (or skip) more. Dovecot's imap-login has a like
// limit (8 KiB: its longest line).
const preauthLiteral = 8 << 10

// literalLimit is the largest literal the next command may carry.
func (s *Session) literalLimit() int64 {
	if s.State() == NotAuthenticated {
		return min(preauthLiteral, int64(s.o.MaxLiteral))
	}
	return int64(s.o.MaxLiteral)
}

// literalTooLarge ends the connection after a non-synchronizing literal
// over the limit: its octets are already coming, unasked, and the server
// will neither store them nor read them only to skip them, so no tagged
// answer could come next. Like Dovecot, it says BYE and closes.
func (s *Session) literalTooLarge(e *wire.LiteralTooLarge) {
	s.send("* BYE Literal of " + e.Size + " octets is larger than this server accepts (" +
		strconv.FormatInt(e.Max, 10) + "); closing the connection")
	s.explain("bye.literal.toobig", e.Size, e.Max)
	s.logout("BYE", session.Drop)
	s.flush()
}

// ended takes transition (7) for a connection that ends without LOGOUT.
func (s *Session) ended(err error) error {
	switch {
	case lineio.IsTimeout(err):
		// The host may end the wait sooner than the autologout (a login
		// timeout, a shutdown): say how long the session really waited.
		idle := s.o.Autologout
		if d := time.Since(s.waiting); d < idle {
			idle = d.Round(time.Second)
		}
		s.send("* BYE Autologout: no command for " + idle.String())
		s.explain("bye.timeout")
		s.flush()
		s.drop("timeout")
		return err
	case errors.Is(err, io.EOF), s.WriteErr() != nil:
		s.drop("drop")
		return nil
	}
	s.drop("drop")
	return err
}

func (s *Session) drop(trigger string) {
	if s.Can(tLogoutAll) {
		s.logout(trigger, session.End(trigger))
	}
}

// logout takes transition (7); by is how the session ended, for the
// Close event.
func (s *Session) logout(trigger string, by session.End) {
	s.EndWith(by)
	s.Take(tLogoutAll, trigger)
}

func (s *Session) flush() error { return s.Flush() }

// onLine emits each line the client sent; the first line of a command
// names its tag and verb for the later lines and literals. A line that
// follows a literal's octets on the same typed line is shown with them.
func (s *Session) onLine(line []byte) {
	if !s.inCmd {
		s.startCommand(line)
	}
	if s.joinNext {
		line = append(s.litTail, line...)
		s.litTail, s.joinNext = nil, false
		if len(line) == 0 {
			return // the CRLF that ended a literal typed on a line of its own
		}
	}
	s.emitClient(line)
}

func (s *Session) emitClient(line []byte) {
	if !s.Listening() {
		return
	}
	l := strings.TrimSuffix(string(line), "\r")
	s.Emit(event.Event{Kind: event.Client, Line: lineio.Printable(l), Tag: s.tag, Command: s.cmd, Secret: s.secret})
}

// onLiteral emits a literal's octets as the lines the client typed, one
// event per line. The last line, when no line ending closes it, is held
// until the rest of the command line comes.
func (s *Session) onLiteral(b []byte) {
	for {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			break
		}
		s.emitClient(b[:i])
		b = b[i+1:]
	}
	s.litTail = append([]byte(nil), b...)
	s.joinNext = len(b) > 0
}

// onSkip shows a literal dropped unread: its octets are not repeated.
func (s *Session) onSkip(n int64) {
	s.emitClient([]byte("… (" + strconv.FormatInt(n, 10) + " octets of a literal, not read)"))
	s.litTail, s.joinNext = nil, true
}

// flushLiteralTail emits the end of a literal whose command line never
// ended: the connection closed first.
func (s *Session) flushLiteralTail() {
	if len(s.litTail) > 0 {
		s.emitClient(s.litTail)
	}
	s.litTail, s.joinNext = nil, false
}

// tooLong answers a line over the limit and shows how it began.
//
// The answer carries the command's tag, as Dovecot's does ("a1 BAD Error
// in IMAP command UID FETCH: Too long argument"): a client waits for its
// tagged reply, and an untagged BAD would leave it waiting for ever. The
// tag is the first word of the line, or of the command whose later line
// (after a literal) was too long; "*" when that word is no tag.
func (s *Session) tooLong() {
	start, n := s.R.Overlong()
	tag := s.tag
	if !s.inCmd {
		s.startCommand(start)
		tag = s.tag
	}
	if !wire.IsTag(tag) {
		tag = "*"
	}
	if len(start) > maxShown {
		cut := maxShown
		for cut > 0 && !utf8.RuneStart(start[cut]) {
			cut--
		}
		start = start[:cut]
	}
	s.emitClient([]byte(string(start) + "… (" + strconv.Itoa(n) + " octets)"))
	s.send(tag + " BAD Command line longer than 65536 octets; send long arguments as literals {n}")
	s.explain("toolong")
	s.flush()
}

// startCommand classifies the first line of a command for its events:
// its tag and verb, and whether it may carry credentials.
func (s *Session) startCommand(line []byte) {
	s.inCmd = true
	s.secret = s.secretLine(line)
	s.octetsLine = s.nextSecret
	s.nextSecret = false
	s.tag, s.cmd = peekCommand(line)
	if s.secret && handlers[s.cmd] == nil {
		// The words may be the password itself, typed without LOGIN.
		s.tag, s.cmd = "", ""
	}
	s.dec.Quiet = s.secret
}

// openCommands carry no credentials; before login every other line may.
var openCommands = map[string]bool{"CAPABILITY": true, "NOOP": true, "LOGOUT": true, "STARTTLS": true}

// secretLine reports whether a command line may carry credentials. Its
// events are then marked Secret, hosts log no more than its verb, and no
// answer repeats it. Such a line is LOGIN or AUTHENTICATE however spaced
// and in any state (their literals and SASL lines inherit it), the line
// after such a command that announced a literal it did not wait for, and,
// before login, every line but a well-formed CAPABILITY, NOOP, LOGOUT,
// STARTTLS or ID: a password typed on a line of its own, after a mistyped
// LOGIN, or as a literal of a refused command must not reach a log.
func (s *Session) secretLine(line []byte) bool {
	if _, cmd := peekCommand(line); cmd == "LOGIN" || cmd == "AUTHENTICATE" || s.nextSecret {
		return true
	}
	if s.State() != NotAuthenticated || len(bytes.TrimSpace(line)) == 0 {
		return false
	}
	tag, rest, _ := strings.Cut(string(line), " ")
	verb, args, hasArgs := strings.Cut(rest, " ")
	verb = strings.ToUpper(verb)
	switch {
	case !wire.IsTag(tag):
		return true
	case openCommands[verb]:
		return hasArgs
	case verb == "ID":
		return !idParams().MatchString(args)
	}
	return true
}

// idParams is ID's argument when well formed: NIL or field-value pairs of
// quoted strings (RFC 2971).
var idParams = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(?i:NIL)$|^\(("[^"\\]*" ("[^"\\]*"|(?i:NIL))( "[^"\\]*" ("[^"\\]*"|(?i:NIL)))*)?\)$`)
})

// peekCommand finds a line's tag and verb for events, before parsing:
// words separated by any blanks, the verb up to the first character an
// atom cannot hold ("LOGIN{5}" is LOGIN).
func peekCommand(line []byte) (tag, cmd string) {
	f := strings.FieldsFunc(string(line), func(r rune) bool { return r == ' ' || r == '\t' })
	if len(f) > 0 {
		tag = f[0]
	}
	if len(f) > 1 {
		cmd = strings.ToUpper(wire.AtomPrefix(f[1]))
	}
	if cmd == "UID" && len(f) > 2 {
		cmd += " " + strings.ToUpper(wire.AtomPrefix(f[2]))
	}
	return tag, cmd
}
