// Package pop3 is the lab's POP3 server session (RFC 1939 with the CAPA,
// RESP-CODES and line-length rules of RFC 2449, SASL AUTH of RFC 5034, STLS
// of RFC 2595 and the response codes of RFC 3206). A Session serves one
// connection over any io.ReadWriter and emits every client line, server
// line, state transition and an explanation of each response as events.
package pop3

import (
	"io"
	"slices"
	"time"

	"maillab/sim/event"
	"maillab/sim/mailstore"
	"maillab/sim/proto"
	"maillab/sim/session"
)

// DefaultAutologout is RFC 1939 section 3's minimum inactivity timer.
const DefaultAutologout = 10 * time.Minute

// maxFailures is how many failed logins a connection may make before the
// server closes it.
const maxFailures = 10

// Options configures a Session.
type Options struct {
	Store      *mailstore.Store
	Events     event.Sink                                    // nil: no events
	Explain    bool                                          // Events reads explanations: Explain events carry them
	SessionID  string                                        // copied into every Event.Session
	Hostname   string                                        // default "localhost"
	Lang       string                                        // language of Explain texts: "en" (default), "ru", "sk"
	Log        *proto.Logger                                 // nil: no log; logs logins with the user name, never a password
	Now        func() time.Time                              // nil: time.Now
	Rand       io.Reader                                     // SASL's challenges and nonces; nil: crypto/rand
	Autologout time.Duration                                 // 0: DefaultAutologout; armed via lineio.SetIdle
	StartTLS   func(rw io.ReadWriter) (io.ReadWriter, error) // nil: STLS not offered
	TLS        bool                                          // the connection is already TLS
	Disabled   []string                                      // commands a lesson hides

	// ProcessID is the host's process id, the first part of a fresh
	// greeting timestamp (sim code cannot ask for it). 0: a random number
	// drawn once per process. Connection, the second part, numbers the
	// connection; 0: the process's own count.
	ProcessID  int
	Connection uint64

	// APOPTimestamp pins the greeting's <pid.clock@host> timestamp, so a
	// lesson can reproduce RFC 1939's APOP example. Empty: a fresh one per
	// connection; so is one that CheckTimestamp refuses, which is logged.
	APOPTimestamp string

	// UIDLFormat makes UIDL's unique-ids, as Dovecot's pop3_uidl_format:
	// e.g. "%xv%08xu" for the lecture's "37cabbc00000009". Empty:
	// DefaultUIDLFormat; so is one ParseUIDLFormat refuses, which is logged.
	UIDLFormat string

	// NoFlagUpdates is Dovecot's pop3_no_flag_updates: RETR leaves the
	// message's flags alone. false (Dovecot's default): a message RETR
	// sent gets \Seen at QUIT, in the UPDATE state, so IMAP shows it read.
	NoFlagUpdates bool

	// Auth is the host's throttle of failed logins; its MaxFailures 0
	// means maxFailures.
	Auth session.Throttle

	// CRAMChallenge pins AUTH CRAM-MD5's challenge, as APOPTimestamp
	// pins APOP's: "<1896.697170952@postoffice.reston.mci.net>" gives
	// RFC 2195's example. SCRAMNonce pins the nonce SCRAM's server adds
	// to the client's. Empty: fresh ones per exchange.
	CRAMChallenge, SCRAMNonce string
}

// Session is one POP3 connection.
type Session struct {
	session.Base
	o Options

	timestamp   string     // APOP timestamp of the greeting, "" when APOP is off
	uidl        uidlFormat // nil: DefaultUIDLFormat
	tlsOn       bool
	pendingUser string // name given by USER, waiting for PASS
	haveUser    bool

	user    *mailstore.User
	release func()
	drop    *maildrop

	// saslParts explain the SASL exchange's last step (the client's
	// response, the challenge sent): the next Explain event carries them.
	saslParts []event.Part

	status string // status of the last status line written
	code   string
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
	if o.Lang == "" {
		o.Lang = "en"
	}
	if o.Store == nil {
		o.Store = mailstore.New()
	}
	s := &Session{o: o, tlsOn: o.TLS}
	if err := CheckTimestamp(o.APOPTimestamp); o.APOPTimestamp != "" && err != nil {
		s.logWarn("pop3 APOP timestamp refused; greeting with a fresh one", "err", err)
		s.o.APOPTimestamp = ""
	}
	if o.UIDLFormat != "" && o.UIDLFormat != DefaultUIDLFormat {
		f, err := ParseUIDLFormat(o.UIDLFormat)
		if err != nil {
			s.logWarn("pop3 UIDL format refused; using the default "+DefaultUIDLFormat, "err", err)
		}
		s.uidl = f
	}
	s.Now, s.Idle, s.Auth = o.Now, o.Autologout, o.Auth
	if s.Auth.MaxFailures <= 0 {
		s.Auth.MaxFailures = maxFailures
	}
	s.Init("pop3", o.SessionID, Machine, o.Events, o.Explain)
	return s
}

// Serve runs the session on rw until QUIT, end of input, autologout or an
// I/O error. A session that ends any other way than by QUIT in the
// TRANSACTION state deletes nothing (RFC 1939 section 6).
//
// On autologout the server closes the connection without removing
// messages or sending a response (RFC 1939 section 3).
func (s *Session) Serve(rw io.ReadWriter) (err error) {
	s.setConn(rw)
	s.Emit(event.Event{Kind: event.Open})
	defer s.finish()
	s.greet()
	if err := s.Flush(); err != nil {
		return err
	}
	return s.Loop(s.handle, s.overLong)
}

// setConn (re)binds the reader and writer, as after the STLS handshake,
// which must also discard anything buffered in plain text (RFC 2595 3.1).
func (s *Session) setConn(rw io.ReadWriter) { s.Attach(rw, maxSASLLine, 4096) }

// overLong answers a line lineio discarded for its length; the session
// goes on with the next line.
func (s *Session) overLong() {
	s.Cmd = ""
	s.Emit(event.Event{Kind: event.Client})
	p := tooLong()
	s.fail("", p.text, p.x)
}

// unlock releases the maildrop lock, if the session holds it.
func (s *Session) unlock() {
	if s.release != nil {
		s.release()
		s.release = nil
	}
}

// finish releases the maildrop lock and closes the event stream.
func (s *Session) finish() {
	s.unlock()
	s.Close()
}

// greet sends the greeting with the APOP timestamp (RFC 1939 section 4)
// and enters the AUTHORIZATION state.
func (s *Session) greet() {
	text := "POP3 server ready"
	x := expl{key: exGreeting}
	if !s.disabled("APOP") {
		s.timestamp = s.o.APOPTimestamp
		if s.timestamp == "" {
			s.timestamp = newTimestamp(s.o.ProcessID, s.o.Connection, s.o.Now(), s.o.Hostname)
		}
		text += " " + s.timestamp
		x = expl{key: exGreetingAPOP, parts: []part{{s.timestamp, roleTimestamp}}}
	}
	s.reply(statusOK, "", text)
	s.Take(tGreeting, "connect")
	s.explain(x)
}

// withSASLParts adds the parts the sasl package made for an exchange's
// step to a response's own: after them, and before the "." that ends a
// multi-line answer (AUTH's list of mechanisms).
func withSASLParts(parts, more []event.Part) []event.Part {
	n := len(parts)
	if n > 0 && parts[n-1].Token == "." {
		return slices.Concat(parts[:n-1], more, parts[n-1:])
	}
	return slices.Concat(parts, more)
}

func (s *Session) logInfo(msg string, args ...any) {
	if s.o.Log != nil {
		s.o.Log.Info(msg, append(args, "session", s.o.SessionID)...)
	}
}

func (s *Session) logWarn(msg string, args ...any) {
	if s.o.Log != nil {
		s.o.Log.Warn(msg, append(args, "session", s.o.SessionID)...)
	}
}
