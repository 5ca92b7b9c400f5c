package pop3

import (
	"errors"
	"strings"

	"maillab/sim/event"
	"maillab/sim/lineio"
	"maillab/sim/mailstore"
	"maillab/sim/sasl"
	"maillab/sim/session"
)

// USER name (RFC 1939 section 7). The answer is the same whether or not
// the name exists: the RFC's own example says "-ERR sorry, no mailbox for
// frated here", but section 13 lets a server hide which names are valid,
// and a lab on a shared network should not list its accounts. PASS fails
// for an unknown name exactly as for a wrong password.
func (s *Session) cmdUser(c command) {
	s.pendingUser, s.haveUser = c.args[0], true
	s.ok("User name accepted, password please", expl{key: exUser, args: []any{c.args[0]}, parts: []part{{"User name accepted, password please", roleUserText}}})
}

// PASS string: the whole rest of the line is the password, spaces included
// (RFC 1939 section 7).
func (s *Session) cmdPass(c command) {
	if !s.haveUser {
		s.fail("", "send USER first, then PASS", expl{key: exPassNoUser})
		return
	}
	name := s.pendingUser
	s.pendingUser, s.haveUser = "", false
	u, err := s.o.Store.Authenticate(name, c.rest)
	if err != nil {
		s.loginFailed(name, "USER/PASS", "invalid user name or password", expl{key: exPassFailed})
		return
	}
	s.enter(u, "USER/PASS", "PASS", name+"'s ")
}

// APOP name digest (RFC 1939 section 7): the digest is MD5 over the
// greeting's timestamp and the shared secret, so the secret never crosses
// the wire.
func (s *Session) cmdAPOP(c command) {
	name, digest := c.args[0], c.args[1]
	if !isDigest(digest) {
		s.fail("", "the digest must be 32 hexadecimal digits: MD5 of the greeting's timestamp followed by the secret",
			expl{key: exBadDigest})
		return
	}
	s.pendingUser, s.haveUser = "", false
	u, ok := s.o.Store.User(name)
	if !ok || !digestMatches(digest, apopDigest(s.timestamp, u.Secret())) {
		s.loginFailed(name, "APOP", "permission denied", expl{key: exAPOPFailed, args: []any{s.timestamp}})
		return
	}
	s.enter(u, "APOP", "APOP", "")
}

// AUTH mechanism [initial-response] (RFC 5034). Without an argument the
// server lists its mechanisms, as RFC 1734 servers did and Dovecot still
// does. Every mechanism is offered with and without TLS, as the lab always
// offered PLAIN: a learner should see that PLAIN's base64 hides nothing.
func (s *Session) cmdAuth(c command) {
	if len(c.args) == 0 {
		s.reply(statusOK, "", "SASL mechanisms follow")
		for _, m := range sasl.Mechanisms() {
			s.dataString(m)
		}
		if s.Explaining() {
			var parts []event.Part
			for _, m := range sasl.Mechanisms() {
				parts = append(parts, event.Part{Token: m, Meaning: sasl.Describe(s.o.Lang, m)})
			}
			s.saslParts = parts
		}
		s.end(expl{key: exAuthList})
		return
	}
	mech := strings.ToUpper(c.args[0])
	srv, err := sasl.New(mech, s.saslConfig())
	if err != nil {
		s.fail("", "unsupported SASL mechanism "+mech+"; this server offers "+strings.Join(sasl.Mechanisms(), " "),
			expl{key: exAuthMech, args: []any{mech}})
		return
	}
	s.pendingUser, s.haveUser = "", false
	var resp []byte // nil: no initial response
	if len(c.args) == 2 {
		var ok bool
		if resp, ok = s.saslDecode(c.args[1]); !ok {
			return
		}
	}
	for {
		challenge, done, err := srv.Next(resp)
		if s.Explaining() {
			s.saslParts = srv.Explain(s.o.Lang)
		}
		if err != nil {
			// A malformed response, wrong credentials and an
			// authorization identity other than the user all fail
			// alike: RFC 5034 has no reply that tells them apart.
			s.loginFailed(srv.User(), mech, "authentication failed", expl{key: exAuthFailed})
			return
		}
		if done {
			break
		}
		var ok bool
		if resp, ok = s.saslRound(challenge); !ok {
			return
		}
	}
	u, ok := s.o.Store.User(srv.User())
	if !ok { // removed during the exchange
		s.loginFailed(srv.User(), mech, "authentication failed", expl{key: exAuthFailed})
		return
	}
	s.enter(u, mech, "AUTH", u.Name()+"'s ")
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

// saslRound sends a continuation with the challenge and reads the client's
// answer (RFC 5034 section 4). "*" cancels. The answer is a credential:
// its event is Secret.
func (s *Session) saslRound(challenge []byte) ([]byte, bool) {
	line := "+ " + sasl.Encode(challenge)
	s.status, s.code = statusCont, ""
	s.Line(line, event.Event{Status: statusCont})
	s.explain(expl{key: exContinue})
	if err := s.Flush(); err != nil {
		return nil, false
	}
	in, err := s.ReadLine()
	switch {
	case errors.Is(err, lineio.ErrTooLong):
		// A response is bounded by the SASL line limit, not by RFC
		// 2449's 255 octets of a command line.
		s.Emit(event.Event{Kind: event.Client, Command: s.Cmd, Secret: true})
		s.fail("", "SASL response too long: at most "+itoa(maxSASLLine)+" octets; authentication cancelled",
			expl{key: exAuthTooLong, args: []any{maxSASLLine}})
		return nil, false
	case err != nil:
		s.ReadFailed(err)
		return nil, false
	}
	s.Client(in, event.Event{Secret: true})
	return s.saslDecode(string(in))
}

// saslDecode decodes a base64 response; "=" is an empty one and "*"
// cancels (RFC 5034 section 4). A response that is not base64 ends the
// exchange.
func (s *Session) saslDecode(text string) ([]byte, bool) {
	b, err := sasl.Decode(text)
	switch {
	case errors.Is(err, sasl.ErrCancelled):
		s.fail("", "authentication cancelled", expl{key: exAuthCancelled})
		return nil, false
	case err != nil:
		s.fail("", "the SASL response is not valid base64; authentication cancelled", expl{key: exAuthBase64})
		return nil, false
	}
	return b, true
}

// enter completes a login: open the INBOX, take the exclusive maildrop
// lock (RFC 1939 section 4; [IN-USE] from RFC 2449 section 8.1.1), number
// the messages for this session and move to TRANSACTION. whose prefixes
// the maildrop in the answer ("mrose's " for PASS, as RFC 1939's PASS
// example; nothing for APOP, as its APOP example).
func (s *Session) enter(u *mailstore.User, mech, verb, whose string) {
	mb, err := u.Mailbox(mailstore.Inbox)
	if err != nil {
		s.fail("SYS/PERM", "the maildrop cannot be opened", expl{key: exNoInbox})
		return
	}
	release, err := u.LockMaildrop()
	if err != nil {
		s.logWarn("pop3 login refused: maildrop in use", "user", u.Name(), "mechanism", mech)
		s.fail("IN-USE", "maildrop already locked", expl{key: exInUse})
		return
	}
	s.user, s.release = u, release
	s.LoggedIn()
	s.drop = newMaildrop(mb, s.uidl)
	s.logInfo("pop3 login", "user", u.Name(), "mechanism", mech)
	n, octets := s.drop.totals()
	s.reply(statusOK, "", whose+"maildrop has "+messages(n)+" ("+itoa(octets)+" octets)")
	s.Take(tLogin, verb)
	s.explain(expl{key: exLogin, args: []any{n, octets}, parts: []part{{itoa(n), roleCount}, {itoa(octets), roleOctets}}})
}

// loginFailed answers a failed login with [AUTH] (RFC 3206 section 4),
// after the host's delay, and closes the connection after Auth.MaxFailures
// of them.
func (s *Session) loginFailed(name, mech, text string, x expl) {
	s.logWarn("pop3 login failed", "user", name, "mechanism", mech)
	if s.AuthFailed(name) {
		s.fail("AUTH", "too many failed logins; closing the connection", expl{key: exTooManyFailures, args: []any{s.Auth.MaxFailures}})
		s.EndWith(session.Drop) // the server cuts the connection
		return
	}
	s.fail("AUTH", text, x)
}

// STLS (RFC 2595 section 4): only in AUTHORIZATION, only when offered, once.
// After the handshake the reader starts afresh, so nothing a client sent
// in plain text after STLS is taken as a command.
func (s *Session) cmdSTLS(command) {
	if s.tlsOn {
		s.fail("", "the connection already uses TLS", expl{key: exAlreadyTLS})
		return
	}
	if s.o.StartTLS == nil {
		s.fail("", "STLS is not offered: this server has no TLS configured", expl{key: exNoTLS})
		return
	}
	s.ok("Begin TLS negotiation", expl{key: exSTLS})
	if err := s.Flush(); err != nil {
		return
	}
	rw, err := s.o.StartTLS(s.Conn())
	if err != nil {
		s.logWarn("pop3 TLS handshake failed", "err", err)
		s.Broken(err)
		return
	}
	s.tlsOn = true
	s.pendingUser, s.haveUser = "", false
	s.setConn(rw)
}

func messages(n int) string {
	if n == 1 {
		return "1 message"
	}
	return itoa(n) + " messages"
}
