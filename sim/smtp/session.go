package smtp

import (
	"bytes"
	"errors"
	"io"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"maillab/sim/event"
	"maillab/sim/fsm"
	"maillab/sim/lineio"
	"maillab/sim/mailstore"
	"maillab/sim/proto"
	"maillab/sim/sasl"
	"maillab/sim/session"
)

// Roles a listener gives its sessions (proto.Config.Role).
const (
	// RoleMTA is the server of port 25: it takes mail for the lab's own
	// domains from anyone and relays nothing (RFC 5321).
	RoleMTA = "mta"
	// RoleMSA is the submission server of port 587 (RFC 6409): the
	// client must authenticate first; the server completes a message's
	// missing Date and Message-ID.
	RoleMSA = "msa"
)

// DefaultDomains are the mail domains the lab receives for when none are
// configured: the demo's domain and localhost, so that both
// melanie@example.org and melanie@localhost reach melanie.
var DefaultDomains = []string{"example.org", "localhost"}

// DefaultAutologout is RFC 5321 section 4.5.3.2.7's server timeout: five
// minutes waiting for the next command.
const DefaultAutologout = 5 * time.Minute

// maxErrors is how many refused commands a connection may send before the
// server ends it with 421, as Postfix's smtpd_hard_error_limit does (its
// default is 20; the lab leaves a learner typing by hand more room).
const maxErrors = 100

// Options configure a session.
type Options struct {
	Store      *mailstore.Store
	Events     event.Sink // nil: no events
	Explain    bool       // Events reads explanations: Explain events carry them
	SessionID  string
	Hostname   string // default "localhost"
	Lang       string
	Log        *proto.Logger
	Now        func() time.Time
	Rand       io.Reader     // SASL's challenges and nonces; nil: crypto/rand
	Autologout time.Duration // 0: DefaultAutologout
	StartTLS   func(rw io.ReadWriter) (io.ReadWriter, error)
	TLS        bool     // the connection is already TLS (port 465)
	Disabled   []string // commands a lesson hides
	Role       string   // RoleMTA (default) or RoleMSA; ignored for LMTP
	LMTP       bool     // speak LMTP (RFC 2033)
	Domains    []string // nil: DefaultDomains and Hostname
	Aliases    string   // an aliases file's text; "": the store's
	Remote     string   // the client's address, "127.0.0.1:50522"; "" in the page
	// Auth is the host's throttle of failed AUTH; its MaxFailures 0: only
	// the limit on errors.
	Auth session.Throttle
	// Relay is the lab's mail path: an authenticated client's mail for
	// the lab's other domains goes into its queue. nil: refused.
	Relay Relay
	// Handoff passes local mail to the domain's delivery agent (see
	// Mailer.Handoff); nil: the session writes it into Store.
	Handoff func(from Path, to []string, msg []byte) []*Reply
	// Users limits local delivery to these store users: the users of
	// Domains when several domains share one store. nil: all.
	Users []string
	// RemoteName is the client's name as reverse DNS gives it, for the
	// Received header; "": "localhost" for a loopback address, else
	// "unknown".
	RemoteName string
	// Fault, when set, may answer in the session's place: the lab's
	// fault rules. verb is the command's verb, "CONNECT" for the
	// greeting, "." for the end of the message; a nil reply lets the
	// session answer.
	Fault func(verb string) *Reply
	// Config overrides what the server offers (limits, VRFY, extensions
	// switched off); its Hostname, Domains, LMTP, TLS and AuthMechanisms
	// are set from the options above.
	Config Config
}

// Session is one SMTP or LMTP connection.
type Session struct {
	session.Base
	o   Options
	cfg Config
	m   *fsm.Machine
	dir *Directory
	ml  *Mailer

	cs       ConnState
	helo     string    // the name the client gave in HELO, EHLO or LHLO
	env      *Envelope // the transaction, nil outside one
	tried    bool      // a RCPT was refused in this transaction
	msg      *Message  // BDAT's message so far
	user     string    // the authenticated user
	errors   int
	cmd      *Command     // the command being answered, for explanations
	saslPart []event.Part // what the SASL step just taken means
}

// NewSession prepares a session; Serve runs it.
func NewSession(o Options) *Session {
	if o.Hostname == "" {
		o.Hostname = "localhost"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Autologout <= 0 {
		o.Autologout = DefaultAutologout
	}
	if o.Store == nil {
		o.Store = mailstore.New()
	}
	if o.Role == "" {
		o.Role = RoleMTA
	}
	s := &Session{o: o, m: Machine, cfg: o.Config}
	s.cfg.Hostname, s.cfg.LMTP, s.cfg.TLS = o.Hostname, o.LMTP, o.StartTLS != nil
	s.cfg.Domains = o.Domains
	if len(s.cfg.Domains) == 0 {
		s.cfg.Domains = append(slices.Clone(DefaultDomains), o.Hostname)
	}
	s.cfg.Addresses = []string{"127.0.0.1", "IPv6:::1"}
	if o.Role == RoleMSA && !o.LMTP {
		s.cfg.AuthMechanisms = sasl.Mechanisms()
	}
	if o.LMTP {
		s.m = LMTPMachine
	}
	s.cs.TLS = o.TLS
	if o.Aliases == "" {
		o.Aliases = o.Store.Aliases()
	}
	aliases, err := parseAliases(o.Aliases)
	if err != nil && o.Log != nil {
		o.Log.Warn("smtp aliases: some entries are ignored", "err", err)
	}
	s.dir = &Directory{Store: o.Store, Aliases: aliases, Users: o.Users}
	s.ml = &Mailer{Store: o.Store, Now: o.Now, Relay: o.Relay, Handoff: o.Handoff, Host: o.Hostname, Bounce: !o.LMTP}
	if o.Relay != nil && !o.LMTP {
		s.cfg.Routes = o.Relay.Routes
	}
	s.Now, s.Idle, s.Auth = o.Now, o.Autologout, o.Auth
	s.Init(s.m.Proto, o.SessionID, s.m, o.Events, o.Explain)
	return s
}

// parsed keeps the aliases files sessions were given, parsed once: every
// connection of a labserver shares one text.
var parsed sync.Map // text → *Aliases

func parseAliases(text string) (*Aliases, error) {
	if text == "" {
		return nil, nil
	}
	if a, ok := parsed.Load(text); ok {
		return a.(*Aliases), nil
	}
	a, err := ParseAliases(strings.NewReader(text))
	if a != nil {
		parsed.Store(text, a)
	}
	return a, err
}

// Serve runs the session until QUIT, the end of the connection, or the
// server's timeout.
func (s *Session) Serve(rw io.ReadWriter) error {
	s.Attach(rw, MaxLine, 4096)
	s.Emit(event.Event{Kind: event.Open})
	defer s.finish()
	if r := s.fault("CONNECT"); r != nil {
		// RFC 5321 section 3.1: a server that will not serve answers 554
		// or 421 in place of the greeting, then waits for QUIT or closes.
		s.send(r)
		s.explain(r)
		s.EndWith(session.Drop)
		return s.Flush()
	}
	s.send(s.cfg.Greeting())
	s.Take(TGreeting, "connect")
	s.explain(s.cfg.Greeting())
	if err := s.Flush(); err != nil {
		return err
	}
	return s.Loop(s.handle, s.tooLong)
}

// finish ends the session: a dropped connection or a timeout takes the
// QUIT edge too, as the diagram says ("QUIT, 421, or the connection
// drops").
func (s *Session) finish() {
	if s.Ended() == session.Timeout && s.Can(TQuit) {
		r := reply("timeout", s.cfg.Hostname)
		s.Cmd, s.cmd = "", nil
		s.send(r)
		s.Take(TQuit, "timeout")
		s.explain(r)
		s.Flush()
	}
	if s.Can(TQuit) {
		s.Take(TQuit, string(session.Drop))
	}
	s.Close()
}

// tooLong answers a line longer than any command may be.
func (s *Session) tooLong() {
	start, n := s.R.Overlong()
	s.Cmd, s.cmd = "", nil
	secret := carriesResponse(string(start)) // in the start that is shown
	if len(start) > 80 {
		start = start[:80]
	}
	s.Client(append(append([]byte(nil), start...), "…"...), event.Event{Secret: secret})
	s.refuse(LineTooLong(n))
}

// carriesResponse reports whether a line is an AUTH command with a word
// after the mechanism, which may be a credential: an initial response,
// whether or not the line parses (a word too many, a control character
// typed at a telnet prompt), and the start of a line too long to read.
func carriesResponse(line string) bool {
	f := strings.Fields(line)
	return len(f) > 2 && strings.EqualFold(f[0], "AUTH")
}

// handle answers one command line.
func (s *Session) handle(line []byte) {
	cmd, err := ParseCommand(string(line))
	s.cmd = cmd
	s.Cmd = cmd.Verb
	s.Client(line, event.Event{Secret: carriesResponse(string(line))})
	var r *Reply
	switch {
	case errors.As(err, &r):
		s.refuse(r)
		return
	case slices.Contains(s.o.Disabled, cmd.Verb):
		s.skipChunk(cmd)
		s.refuse(reply("cmd.disabled", cmd.Verb))
		return
	case !s.m.Allowed(s.State(), cmd.Verb):
		s.skipChunk(cmd)
		s.refuse(s.outOfPlace(cmd.Verb))
		return
	}
	if r := s.fault(cmd.Verb); r != nil {
		s.skipChunk(cmd)
		s.answer(r)
		if r.Code == 421 {
			s.closeWith(r)
		}
		return
	}
	switch cmd.Verb {
	case "HELO", "EHLO", "LHLO":
		s.hello(cmd)
	case "MAIL":
		s.mail(cmd)
	case "RCPT":
		s.rcpt(cmd)
	case "DATA":
		s.data()
	case "BDAT":
		s.bdat(cmd)
	case "RSET":
		s.reset("RSET")
		s.answer(reply("rset"))
	case "NOOP":
		s.answer(reply("noop"))
	case "QUIT":
		r := reply("quit")
		s.send(r)
		s.Take(TQuit, "QUIT")
		s.explain(r)
		s.EndWith(session.Quit)
	case "VRFY":
		s.answer(s.cfg.Verify(s.dir, cmd))
	case "EXPN":
		s.answer(s.cfg.Expand(s.dir, cmd))
	case "HELP":
		s.answer(s.cfg.Help(s.m, cmd))
	case "STARTTLS":
		s.startTLS()
	case "AUTH":
		s.auth(cmd)
	default:
		s.refuse(s.outOfPlace(cmd.Verb))
	}
}

// outOfPlace is the reply to a command the state does not allow: 503
// saying what must come first, 554 for DATA after refused recipients.
func (s *Session) outOfPlace(verb string) *Reply {
	if verb == "DATA" && s.State() == Mail && s.tried {
		return NoValidRecipients()
	}
	if verb == "AUTH" && len(s.cfg.AuthMechanisms) == 0 {
		return reply("auth.disabled")
	}
	return Refuse(s.m, s.State(), verb)
}

// hello answers HELO, EHLO or LHLO: a new greeting ends any transaction
// (RFC 5321 section 4.1.4).
func (s *Session) hello(cmd *Command) {
	s.reset(cmd.Verb)
	s.helo = cmd.Domain
	if s.o.LMTP || s.o.Role != RoleMSA {
		// Where nobody logs in, the client's greeting is its login: it
		// has introduced itself.
		s.LoggedIn()
	}
	s.cs.Extended = cmd.Verb != "HELO"
	r := s.cfg.Hello(cmd, s.cs)
	s.send(r)
	if s.State() == Connected {
		s.Take(EdgeID(s.m, THello), cmd.Verb)
	}
	s.explain(r)
}

// reset ends the mail transaction, taking the reset edge from a state
// inside one.
func (s *Session) reset(verb string) {
	s.env, s.msg, s.tried = nil, nil, false
	if st := s.State(); st == Mail || st == Rcpt || st == Chunking {
		s.Take(EdgeID(s.m, TReset), verb)
	}
}

func (s *Session) mail(cmd *Command) {
	if !s.o.LMTP && s.o.Role == RoleMSA && !s.cs.Authenticated {
		s.refuse(reply("auth.required"))
		return
	}
	env, r := s.cfg.Mail(cmd, s.cs)
	if !r.Positive() {
		s.refuse(r)
		return
	}
	s.env, s.tried = env, false
	s.send(r)
	s.Take(TMail, "MAIL")
	s.explain(r)
}

func (s *Session) rcpt(cmd *Command) {
	r := s.cfg.Rcpt(s.env, s.dir, cmd, s.cs)
	if !r.Positive() {
		s.tried = true
		if r.Why.Key == "rcpt.toomany" {
			// Past the server's own limit a client is right to go on: it
			// sends the message to those accepted and the rest later
			// (RFC 5321 section 4.5.3.1.10). Not a mistake to count.
			s.send(r)
			s.explain(r)
			return
		}
		s.refuse(r)
		return
	}
	s.send(r)
	if s.State() == Mail {
		s.Take(TRcpt, "RCPT")
	} else {
		s.Take(TRcptMore, "RCPT")
	}
	s.explain(r)
}

// data answers DATA with 354, reads the message to its final dot and
// answers for it (RFC 5321 section 4.1.1.4).
func (s *Session) data() {
	if s.env.Chunked {
		s.refuse(reply("seq.afterbdat", "DATA", stateList(s.m.Where("DATA"))))
		return
	}
	r := s.env.StartData()
	if !r.Positive() {
		s.refuse(r)
		return
	}
	s.send(r)
	s.Take(TData, "DATA")
	s.explain(r)
	if s.Flush() != nil {
		return
	}
	msg := NewMessage(s.cfg.maxSize())
	err := ReadData(s.R.Buffered(), msg, s.dataLine)
	s.finishMessage(msg, err, EdgeID(s.m, TDot), ".")
}

// bdat takes one BDAT chunk (RFC 3030): its octets are read by count,
// with no dot-stuffing; LAST ends the message.
func (s *Session) bdat(cmd *Command) {
	if s.msg == nil {
		s.msg = NewMessage(s.cfg.maxSize())
	}
	s.env.Chunked = true
	err := ReadChunk(s.R.Buffered(), cmd.Size, s.msg, s.dataLine)
	if cmd.Last {
		s.finishMessage(s.msg, err, EdgeID(s.m, TBdatLast), "BDAT")
		return
	}
	var r *Reply
	switch {
	case errors.As(err, &r):
		// Too big: the chunk was read whole; the message is refused at
		// LAST, the transaction goes on so the client's next BDAT is
		// read as one.
		s.answer(r)
		return
	case err != nil:
		s.Broken(err)
		return
	}
	r = reply("bdat.ok", cmd.Size)
	s.send(r)
	if s.State() == Rcpt {
		s.Take(TBdat, "BDAT")
	} else {
		s.Take(TBdatMore, "BDAT")
	}
	s.explain(r)
}

// skipChunk reads and drops the octets of a BDAT that is refused (out
// of sequence, or hidden by a lesson). The client sends them right after
// the command line without waiting for the reply, and the server must
// "accept and discard" them (RFC 3030 section 2): read as command lines,
// the chunk's text would be run as commands.
func (s *Session) skipChunk(cmd *Command) {
	if cmd.Verb != "BDAT" || cmd.Size == 0 {
		return
	}
	var tooBig *Reply // a message of at most 0 octets keeps nothing
	if err := ReadChunk(s.R.Buffered(), cmd.Size, NewMessage(0), s.dataLine); err != nil && !errors.As(err, &tooBig) {
		s.ReadFailed(err)
	}
}

// dataLine shows one line of the message as the client sent it.
func (s *Session) dataLine(l DataLine) {
	// The autologout waits for the client: one that is sending text is
	// not idle, however long the message takes.
	lineio.SetIdle(s.Conn(), s.Idle, s.Now())
	text := l.Text
	if l.Len > len(text) {
		text = append(append([]byte(nil), text...), "…"...)
	}
	s.Client(text, event.Event{Command: s.Cmd})
}

// finishMessage answers for a message read to its end: delivered, or
// refused with the reply the reader gave; edge leads back to GREETED.
func (s *Session) finishMessage(msg *Message, err error, edge, trigger string) {
	env := s.env
	s.env, s.msg, s.tried = nil, nil, false
	var refused *Reply
	switch {
	case errors.As(err, &refused):
		// LMTP answers a message refused as a whole once per accepted
		// recipient too: the client reads that many replies (RFC 2033
		// section 4.2).
		n := 1
		if s.o.LMTP {
			n = len(env.Rcpts)
		}
		for i := range n {
			s.send(refused)
			if i == 0 {
				s.Take(edge, trigger)
			}
			s.explain(refused)
		}
		s.errors++
		return
	case err != nil:
		s.ReadFailed(err)
		return
	}
	if r := s.fault("."); r != nil {
		n := 1
		if s.o.LMTP {
			n = len(env.Rcpts)
		}
		for i := range n {
			s.send(r)
			if i == 0 {
				s.Take(edge, trigger)
			}
			s.explain(r)
		}
		return
	}
	raw := msg.Bytes()
	if s.o.Role == RoleMSA && !s.o.LMTP {
		raw = completeHeader(raw, s.o.Now(), s.host())
	}
	d := s.ml.Deliver(env, raw, s.trace())
	for _, res := range d.Results {
		if res.Err == nil && s.o.Log != nil {
			s.o.Log.Info(s.m.Proto+" delivered", "session", s.o.SessionID, "id", d.ID, "to", res.Recipient.Path.Mailbox(), "users", res.Delivered)
		}
	}
	if !s.o.LMTP {
		r := d.Reply(env).With(msg.Notes()...)
		s.send(r)
		s.Take(edge, trigger)
		s.explain(r)
		return
	}
	// LMTP: one reply per accepted recipient, in RCPT order (RFC 2033
	// section 4.2); the edge is taken with the first.
	for i, r := range d.Replies() {
		if i == 0 {
			r = r.With(msg.Notes()...)
		}
		s.send(r)
		if i == 0 {
			s.Take(edge, trigger)
		}
		s.explain(r)
	}
}

// host is the server's name for the mail of the logged-in user: an MSA
// serving several domains' users calls itself as the user's domain's
// own MSA does (MSANamer), in the Received header and the Message-ID it
// adds; otherwise, and before a login, Hostname.
func (s *Session) host() string {
	if n, ok := s.o.Relay.(MSANamer); ok && s.user != "" && s.o.Role == RoleMSA && !s.o.LMTP {
		if h := n.MSAHost(s.user); h != "" {
			return h
		}
	}
	return s.cfg.Hostname
}

// trace is what the Received header records of this connection.
func (s *Session) trace() Trace {
	t := Trace{Helo: s.helo, Hostname: s.host(),
		Protocol: Protocol(s.o.LMTP, s.cs.Extended, s.cs.TLS, s.cs.Authenticated)}
	ap, err := netip.ParseAddrPort(s.o.Remote)
	switch addr := ap.Addr().Unmap(); {
	case err != nil:
		// In the page the client is the learner's own terminal.
		t.ClientHost, t.ClientIP = "localhost", "127.0.0.1"
	case addr.Is6():
		t.ClientIP = "IPv6:" + addr.String()
	default:
		t.ClientIP = addr.String()
	}
	if err == nil && ap.Addr().IsLoopback() {
		t.ClientHost = "localhost"
	}
	if s.o.RemoteName != "" {
		t.ClientHost = s.o.RemoteName
	}
	return t
}

// startTLS answers STARTTLS (RFC 3207): 220, the handshake, then the
// session starts afresh: the client must say EHLO again, and nothing it
// sent in clear after STARTTLS is read as a command.
func (s *Session) startTLS() {
	switch {
	case s.cs.TLS:
		s.refuse(reply("starttls.active"))
		return
	case s.o.StartTLS == nil:
		s.refuse(reply("starttls.none"))
		return
	}
	r := reply("starttls")
	s.send(r)
	s.explain(r)
	if s.Flush() != nil {
		return
	}
	rw, err := s.o.StartTLS(s.Conn())
	if err != nil {
		if s.o.Log != nil {
			s.o.Log.Warn("smtp TLS handshake failed", "session", s.o.SessionID, "err", err)
		}
		s.Broken(err)
		return
	}
	s.reset("STARTTLS")
	s.Take(TTLS, "STARTTLS")
	s.cs = ConnState{TLS: true}
	s.helo, s.user = "", ""
	s.Attach(rw, MaxLine, 4096)
}

// auth runs a SASL exchange (RFC 4954): 334 with a base64 challenge, the
// client's base64 response on a line of its own, "*" to cancel; 235 on
// success, 535 on failure.
func (s *Session) auth(cmd *Command) {
	switch {
	case len(s.cfg.AuthMechanisms) == 0 || slices.Contains(s.cfg.Off, ExtAuth):
		// The MTA of port 25 (Postfix without smtpd_sasl_auth_enable).
		s.refuse(reply("auth.disabled"))
		return
	case s.cs.Authenticated:
		s.refuse(reply("auth.already"))
		return
	case !s.cfg.Offers(ExtAuth, s.cs):
		s.refuse(reply("auth.encrypt", cmd.Mechanism))
		return
	case s.env != nil:
		s.refuse(reply("seq.transaction", "AUTH", stateList(s.m.Where("AUTH"))))
		return
	}
	srv, err := sasl.New(cmd.Mechanism, s.saslConfig())
	if err != nil || !slices.Contains(s.cfg.AuthMechanisms, cmd.Mechanism) {
		s.refuse(reply("auth.mech", cmd.Mechanism))
		return
	}
	var resp []byte // nil: no initial response
	if cmd.HasInitial {
		var ok bool
		if resp, ok = s.saslDecode(cmd.Initial); !ok {
			return
		}
	}
	for {
		challenge, done, err := srv.Next(resp)
		if s.Explaining() {
			s.saslPart = srv.Explain(s.o.Lang)
		}
		if err != nil {
			s.logAuth(srv, false)
			last := s.AuthFailed(srv.User())
			s.refuse(reply("auth.failed"))
			if last {
				s.closeForErrors()
			}
			return
		}
		if done {
			break
		}
		r := reply("auth.continue", sasl.Encode(challenge))
		s.send(r)
		s.explain(r)
		if s.Flush() != nil {
			return
		}
		line, err := s.ReadLine()
		if err != nil {
			if errors.Is(err, lineio.ErrTooLong) {
				s.Client([]byte("…"), event.Event{Secret: true})
				s.refuse(reply("auth.base64"))
				return
			}
			s.ReadFailed(err)
			return
		}
		s.Client(line, event.Event{Secret: true})
		var ok bool
		if resp, ok = s.saslDecode(string(line)); !ok {
			return
		}
	}
	s.logAuth(srv, true)
	s.cs.Authenticated, s.user = true, srv.User()
	s.ml.User, s.ml.Host = s.user, s.host()
	s.LoggedIn()
	s.answer(reply("auth.ok"))
}

func (s *Session) saslDecode(text string) ([]byte, bool) {
	b, err := sasl.Decode(text)
	switch {
	case errors.Is(err, sasl.ErrCancelled):
		s.refuse(reply("auth.aborted"))
		return nil, false
	case err != nil:
		s.refuse(reply("auth.base64"))
		return nil, false
	}
	return b, true
}

func (s *Session) saslConfig() sasl.Config {
	return sasl.Config{
		Hostname: s.o.Hostname,
		Now:      s.o.Now,
		Rand:     s.o.Rand,
		Lookup:   sasl.Passwords(s.o.Store),
	}
}

func (s *Session) logAuth(srv sasl.Server, ok bool) {
	if s.o.Log == nil {
		return
	}
	if ok {
		s.o.Log.Info("smtp login", "session", s.o.SessionID, "user", srv.User(), "mechanism", srv.Mechanism())
		return
	}
	s.o.Log.Warn("smtp login failed", "session", s.o.SessionID, "user", srv.User(), "mechanism", srv.Mechanism())
}

// answer sends a reply and its explanation.
func (s *Session) answer(r *Reply) {
	s.send(r)
	s.explain(r)
	if !r.Positive() {
		s.countError()
	}
}

// refuse answers a command that failed: the session goes on, unless the
// client has made too many mistakes.
func (s *Session) refuse(r *Reply) { s.answer(r) }

// countError ends a connection that keeps sending refused commands, with
// 421 (RFC 5321 section 4.2.2), as Postfix's hard error limit does.
func (s *Session) countError() {
	s.errors++
	if s.errors < maxErrors {
		return
	}
	s.closeForErrors()
}

// fault is the reply a fault rule gives in place of the session's own.
func (s *Session) fault(verb string) *Reply {
	if s.o.Fault == nil {
		return nil
	}
	return s.o.Fault(verb)
}

// closeWith ends the session after a 421 already sent (RFC 5321 section
// 3.8: the server closes the transmission channel).
func (s *Session) closeWith(*Reply) {
	if s.Can(TQuit) {
		s.Take(TQuit, "421")
	}
	s.EndWith(session.Drop)
}

// closeForErrors says 421 and ends the connection, once.
func (s *Session) closeForErrors() {
	if s.Ended() != "" {
		return
	}
	r := reply("toomanyerrors", s.cfg.Hostname)
	s.send(r)
	s.Take(TQuit, "421")
	s.explain(r)
	s.EndWith(session.Drop)
}

// lmtpCodes are the codes Dovecot's LMTP server, the delivery agent the
// lab stands for in LMTP, gives where they differ from Postfix's.
var lmtpCodes = map[string]struct {
	code     int
	enhanced string
}{
	"seq.mail":      {503, "5.5.0"}, // MAIL needed first
	"seq.rcpt":      {503, "5.5.0"}, // No valid recipients
	"data.norcpt":   {503, "5.5.0"},
	"seq.nested":    {503, "5.5.0"}, // MAIL already given
	"cmd.unknown":   {500, "5.5.1"}, // Unknown command
	"cmd.helo.lmtp": {500, "5.5.1"},
	"rcpt.relay":    {550, "5.1.1"}, // a delivery agent has no relaying: the user does not exist
	"vrfy.cannot":   {252, "2.3.3"}, // Try RCPT instead
}

// spoken is r as this session sends it: in LMTP with Dovecot's codes.
func (s *Session) spoken(r *Reply) *Reply {
	if c, ok := lmtpCodes[r.Why.Key]; ok && s.o.LMTP {
		dup := *r
		dup.Code, dup.Enhanced = c.code, c.enhanced
		return &dup
	}
	return r
}

// send writes a reply's lines, each with its Server event.
func (s *Session) send(r *Reply) {
	r = s.spoken(r)
	enhanced := s.cfg.Enhanced(s.cs)
	lines := r.Format(enhanced)
	for i, l := range lines {
		e := event.Event{}
		if i == len(lines)-1 {
			e.Status = l[:3]
			if enhanced {
				e.Code = r.Enhanced
			}
		}
		s.Line(l, e)
	}
}

// explain emits the reply's explanation, with the SASL step's fields
// after the reply's own parts, when the host reads explanations.
func (s *Session) explain(r *Reply) {
	if !s.Explaining() {
		s.Explain(event.Event{Command: s.Cmd})
		return
	}
	e := Explain(s.spoken(r), s.cmd, s.cfg.Enhanced(s.cs), s.o.Lang).Event(s.Cmd)
	if s.saslPart != nil {
		e.Parts = append(e.Parts, s.saslPart...)
		s.saslPart = nil
	}
	s.Explain(e)
}

// messageIDs numbers the Message-IDs completeHeader makes.
var messageIDs atomic.Uint64

// completeHeader adds what a submission server adds to a message that
// lacks it (RFC 6409 section 8): Date and Message-ID, at the end of the
// header.
func completeHeader(msg []byte, now time.Time, host string) []byte {
	end := len(msg) // a message without a body is all header
	switch i := bytes.Index(msg, []byte("\r\n\r\n")); {
	case bytes.HasPrefix(msg, []byte("\r\n")):
		end = 0
	case i >= 0:
		end = i + 2
	case len(msg) > 0 && !bytes.HasSuffix(msg, []byte("\r\n")):
		msg = append(msg, '\r', '\n')
		end = len(msg)
	}
	var add []byte
	if !hasField(msg[:end], "Date") {
		add = append(add, "Date: "+now.Format("Mon, 2 Jan 2006 15:04:05 -0700 (MST)")+"\r\n"...)
	}
	if !hasField(msg[:end], "Message-ID") {
		// The clock alone does not make it unique: the browser's counts
		// milliseconds.
		n := strconv.FormatUint(messageIDs.Add(1), 10)
		add = append(add, "Message-ID: <"+now.UTC().Format("20060102150405.000000000")+"."+n+"@"+host+">\r\n"...)
	}
	if add == nil {
		return msg
	}
	out := make([]byte, 0, len(msg)+len(add))
	out = append(out, msg[:end]...)
	out = append(out, add...)
	return append(out, msg[end:]...)
}

// hasField reports whether header has a field named name (case-insensitive,
// RFC 5322 section 1.2.2).
func hasField(header []byte, name string) bool {
	for _, line := range bytes.Split(header, []byte("\r\n")) {
		k, _, ok := bytes.Cut(line, []byte(":"))
		if ok && len(line) > 0 && line[0] != ' ' && line[0] != '\t' && strings.EqualFold(strings.TrimSpace(string(k)), name) {
			return true
		}
	}
	return false
}
