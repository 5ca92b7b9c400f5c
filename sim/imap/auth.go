package imap

import (
	"errors"
	"strconv"
	"strings"

	"maillab/sim/imap/wire"
	"maillab/sim/lineio"
	"maillab/sim/mailstore"
	"maillab/sim/sasl"
	"maillab/sim/session"
)

// cmdLogin: LOGIN userid password (RFC 3501 6.2.3), transition (4).
func (s *Session) cmdLogin(d *wire.Decoder) {
	d.SP("user name")
	name := d.AString("user name")
	d.SP("password")
	pass := d.AString("password")
	d.End()
	s.login(name, pass)
}

func (s *Session) login(name, pass string) {
	u, err := s.o.Store.Authenticate(name, pass)
	if err != nil {
		s.logAuth(name, "LOGIN", false)
		last := s.AuthFailed(name)
		s.no("AUTHENTICATIONFAILED", "Invalid user name or password", "no.authfailed")
		s.tooManyFailures(last)
		return
	}
	s.loggedIn(u, "LOGIN")
}

// loggedIn takes transition (4) for u, whose credentials are checked.
func (s *Session) loggedIn(u *mailstore.User, mech string) {
	s.logAuth(u.Name(), mech, true)
	s.user = u
	s.LoggedIn()
	s.Take(tLogin, s.cmd)
	s.ok("CAPABILITY "+s.capabilities(), s.cmd+" completed")
}

// tooManyFailures ends the connection with BYE when last says the failed
// login just answered was the last one the host allows.
func (s *Session) tooManyFailures(last bool) {
	if !last {
		return
	}
	s.send("* BYE Too many failed logins; closing the connection")
	s.explain("bye.authfailures", s.Auth.MaxFailures)
	s.logout("BYE", session.Drop)
	s.flush()
}

func (s *Session) logAuth(name, mech string, ok bool) {
	if s.o.Log == nil {
		return
	}
	if ok {
		s.o.Log.Info("imap login", "user", name, "mechanism", mech, "session", s.o.SessionID)
	} else {
		s.o.Log.Warn("imap login failed", "user", name, "mechanism", mech, "session", s.o.SessionID)
	}
}

// cmdAuthenticate runs a SASL exchange (RFC 3501 6.2.2) with any of the
// mechanisms of sim/sasl, the first response on the command line when
// the client uses SASL-IR (RFC 4959). Every line of it is Secret: the
// command line is (startCommand), and so are the lines it reads.
func (s *Session) cmdAuthenticate(d *wire.Decoder) {
	d.SP("mechanism")
	mech := strings.ToUpper(d.Atom("mechanism"))
	var initial *string
	if d.Eat(' ') {
		ir := d.Rest()
		initial = &ir
	}
	d.End()
	srv, err := sasl.New(mech, s.saslConfig())
	if err != nil {
		// The mechanism is not repeated: a mistyped line may put the
		// password where the mechanism goes.
		s.no("", "Unsupported authentication mechanism; this server offers "+strings.Join(sasl.Mechanisms(), " "), "no.mechanism")
		return
	}
	var resp []byte // nil: no initial response
	if initial != nil {
		var ok bool
		if resp, ok = s.saslDecode(*initial); !ok {
			return
		}
	}
	for {
		challenge, done, err := srv.Next(resp)
		if s.Explaining() {
			s.saslParts = srv.Explain(s.o.Lang)
		}
		switch {
		case err != nil:
			s.saslFailed(srv, err)
			return
		case done:
			if u, ok := s.o.Store.User(srv.User()); ok {
				s.loggedIn(u, mech)
				return
			}
			s.saslFailed(srv, sasl.ErrAuthFailed) // removed during the exchange
			return
		}
		s.send("+ " + sasl.Encode(challenge))
		s.explain("auth.continue")
		if s.flush() != nil {
			return
		}
		line, ok := s.saslLine()
		if !ok {
			return
		}
		if resp, ok = s.saslDecode(line); !ok {
			return
		}
	}
}

// saslFailed answers a failed exchange: BAD for a response the mechanism
// cannot read, NO [AUTHENTICATIONFAILED] for wrong credentials, NO
// [AUTHORIZATIONFAILED] (RFC 5530) for right ones that ask to act as
// another user, which nobody may here.
func (s *Session) saslFailed(srv sasl.Server, err error) {
	switch {
	case errors.Is(err, sasl.ErrAuthorization):
		s.logAuth(srv.User(), srv.Mechanism(), false)
		defer s.tooManyFailures(s.AuthFailed(srv.User()))
		where := ""
		if srv.Mechanism() == sasl.Plain {
			where = " (before the first NUL)"
		}
		s.no("AUTHORIZATIONFAILED", srv.User()+" may not act as "+srv.Authzid()+"; leave the authorization identity"+where+" empty", "no.authz", srv.User(), srv.Authzid())
	case errors.Is(err, sasl.ErrAuthFailed):
		s.logAuth(srv.User(), srv.Mechanism(), false)
		defer s.tooManyFailures(s.AuthFailed(srv.User()))
		s.no("AUTHENTICATIONFAILED", "Invalid user name or password", "no.authfailed")
	default:
		s.bad("AUTHENTICATE: "+err.Error(), "bad.auth.malformed")
	}
}

// saslConfig gives the SASL mechanisms the store's passwords and the
// session's host name and clock (CRAM-MD5's challenge).
func (s *Session) saslConfig() sasl.Config {
	return sasl.Config{
		Hostname:  s.o.Hostname,
		Now:       s.o.Now,
		Rand:      s.o.Rand,
		Challenge: s.o.CRAMChallenge,
		Nonce:     s.o.SCRAMNonce,
		Lookup:    sasl.Passwords(s.o.Store),
	}
}

// saslLine reads the client's answer to a "+" continuation. Its event is
// Secret, as the command's, since it is a credential; one too long to
// read is shown only by its size.
func (s *Session) saslLine() (string, bool) {
	lineio.SetIdle(s.Conn(), s.o.Autologout, s.o.Now())
	b, err := s.dec.ReadRawLine()
	switch {
	case errors.Is(err, lineio.ErrTooLong):
		_, n := s.R.Overlong()
		s.emitClient([]byte("… (" + strconv.Itoa(n) + " octets)"))
		s.bad("AUTHENTICATE: the response is longer than 65536 octets; authentication cancelled", "bad.auth.toolong")
		return "", false
	case err != nil:
		s.rerr = err
		return "", false
	}
	return string(b), true
}

// saslDecode decodes a response: "=" is an empty initial response, "*"
// cancels (RFC 4959, RFC 3501 6.2.2).
func (s *Session) saslDecode(line string) ([]byte, bool) {
	b, err := sasl.Decode(line)
	switch {
	case errors.Is(err, sasl.ErrCancelled):
		s.bad("AUTHENTICATE cancelled", "bad.auth.cancelled")
		return nil, false
	case err != nil:
		s.bad("AUTHENTICATE: the response is not valid base64", "bad.auth.base64")
		return nil, false
	}
	return b, true
}

// cmdStartTLS upgrades the connection (RFC 3501 6.2.1): the OK goes out in
// clear, then the TLS handshake, then a fresh reader so no plaintext
// pipelined after STARTTLS is ever read as protected.
func (s *Session) cmdStartTLS(d *wire.Decoder) {
	d.End()
	if s.o.StartTLS == nil || s.tls {
		s.bad("STARTTLS is not available here; CAPABILITY says what is", "bad.starttls")
		return
	}
	s.ok("", "Begin TLS negotiation now")
	if s.WriteErr() != nil {
		return
	}
	rw, err := s.o.StartTLS(s.Conn())
	if err != nil {
		s.Broken(err)
		return
	}
	s.tls = true
	s.attach(rw)
}
