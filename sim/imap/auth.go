package imap

import (
	"encoding/base64"
	"strings"

	"github.com/emersion/go-sasl"

	"maillab/sim/imap/wire"
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
		s.logAuth(name, false)
		s.no("AUTHENTICATIONFAILED", "Invalid user name or password", "no.authfailed")
		return
	}
	s.logAuth(name, true)
	s.user = u
	s.tr.Take(tLogin, s.cmd)
	s.ok("CAPABILITY "+s.capabilities(), s.cmd+" completed")
}

func (s *Session) logAuth(name string, ok bool) {
	if s.o.Log == nil {
		return
	}
	if ok {
		s.o.Log.Info("imap login", "user", name, "session", s.o.SessionID)
	} else {
		s.o.Log.Warn("imap login failed", "user", name, "session", s.o.SessionID)
	}
}

// cmdAuthenticate runs SASL PLAIN (RFC 4616), with the initial response on
// the command line when the client uses SASL-IR (RFC 4959).
func (s *Session) cmdAuthenticate(d *wire.Decoder) {
	d.SP("mechanism")
	mech := strings.ToUpper(d.Atom("mechanism"))
	var initial *string
	if d.Eat(' ') {
		ir := d.Rest()
		initial = &ir
	}
	d.End()
	if mech != "PLAIN" {
		// The mechanism is not repeated: a mistyped line may put the
		// password where the mechanism goes.
		s.no("", "This server supports only the PLAIN mechanism; use AUTHENTICATE PLAIN or LOGIN", "no.mechanism")
		return
	}
	var authz, user, pass string
	srv := sasl.NewPlainServer(func(identity, username, password string) error {
		authz, user, pass = identity, username, password
		return nil
	})
	resp, ok := s.saslResponse(initial)
	if !ok {
		return
	}
	if _, _, err := srv.Next(resp); err != nil {
		s.bad("AUTHENTICATE: the PLAIN response must be base64 of authzid NUL user NUL password", "bad.auth.plain")
		return
	}
	if authz != "" && authz != user {
		s.refuseAuthorization(authz, user, pass)
		return
	}
	s.login(user, pass)
}

// refuseAuthorization answers a PLAIN exchange that asks to act as another
// user: nobody may here. With the right password that is RFC 5530's
// AUTHORIZATIONFAILED; with a wrong one the credentials fail first.
func (s *Session) refuseAuthorization(authz, user, pass string) {
	s.logAuth(user, false)
	if _, err := s.o.Store.Authenticate(user, pass); err != nil {
		s.no("AUTHENTICATIONFAILED", "Invalid user name or password", "no.authfailed")
		return
	}
	s.no("AUTHORIZATIONFAILED", user+" may not act as "+authz+"; leave the authorization identity (before the first NUL) empty", "no.authz", user, authz)
}

// saslResponse decodes the initial response or asks for one with "+ ".
// "=" is an empty initial response; "*" cancels (RFC 4959, RFC 3501 6.2.2).
func (s *Session) saslResponse(initial *string) ([]byte, bool) {
	var line string
	if initial != nil {
		line = *initial
	} else {
		s.send("+ ")
		s.explain("auth.continue")
		s.flush()
		b, err := s.dec.ReadRawLine()
		if err != nil {
			s.rerr = err
			return nil, false
		}
		line = string(b)
	}
	switch line {
	case "*":
		s.bad("AUTHENTICATE cancelled", "bad.auth.cancelled")
		return nil, false
	case "=":
		return []byte{}, true
	}
	b, err := base64.StdEncoding.DecodeString(line)
	if err != nil {
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
	if s.werr != nil {
		return
	}
	rw, err := s.o.StartTLS(s.rw)
	if err != nil {
		s.werr = err
		return
	}
	s.tls = true
	s.attach(rw)
}
