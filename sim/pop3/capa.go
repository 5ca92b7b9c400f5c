package pop3

import (
	"strings"

	"maillab/sim/sasl"
	"maillab/sim/session"
)

// Implementation is what CAPA's IMPLEMENTATION line names.
const Implementation = "maillab-pop3"

// capabilities lists what CAPA announces in the current state (RFC 2449
// section 6). They follow the session: STLS only before login and before
// TLS (RFC 2595 section 4), SASL only when AUTH is not hidden by the
// lesson, IMPLEMENTATION only to a logged-in user, as Qpopper does in the
// lecture's annotated session.
func (s *Session) capabilities() []string {
	var caps []string
	add := func(verb, capa string) {
		if verb == "" || !s.disabled(verb) {
			caps = append(caps, capa)
		}
	}
	add("TOP", "TOP")
	add("USER", "USER")
	add("UIDL", "UIDL")
	add("", "RESP-CODES")
	add("", "AUTH-RESP-CODE")
	add("", "PIPELINING")
	add("", "EXPIRE NEVER")
	add("AUTH", "SASL "+strings.Join(sasl.Mechanisms(), " "))
	if s.State() == Authorization && s.o.StartTLS != nil && !s.tlsOn {
		add("STLS", "STLS")
	}
	if s.State() == Transaction {
		add("", "IMPLEMENTATION "+Implementation)
	}
	return caps
}

// CAPA (RFC 2449 section 5): allowed in both states, answered with the
// capabilities of the current one.
func (s *Session) cmdCapa(command) {
	s.reply(statusOK, "", "Capability list follows")
	x := expl{key: exCapa}
	for _, c := range s.capabilities() {
		s.dataString(c)
		x.parts = append(x.parts, part{c, capaRole(c)})
	}
	s.end(x)
}

// QUIT (RFC 1939 sections 4 and 6). From AUTHORIZATION it only closes;
// from TRANSACTION it enters UPDATE, removes the marked messages and closes.
func (s *Session) cmdQuit(command) {
	s.EndWith(session.Quit)
	signOff := s.o.Hostname + " POP3 server signing off"
	if s.State() != Transaction {
		s.ok(signOff, expl{key: exQuitAuth})
		return
	}
	s.Take(tQuit, "QUIT")
	removed, seen, err := s.drop.commit()
	left := len(s.drop.mb.UIDs())
	// The lock goes before the answer (RFC 1939 section 8), so a client
	// that logs in again as soon as it reads +OK is not refused [IN-USE].
	s.unlock()
	if err != nil {
		// RFC 1939 section 6 and RFC 3206 section 5: the removal failed
		// for a reason that may pass.
		s.logWarn("pop3 update failed", "user", s.user.Name(), "err", err)
		s.fail("SYS/TEMP", "some deleted messages not removed", expl{key: exRemoveFailed})
		return
	}
	status := "maildrop empty"
	if left > 0 {
		status = messages(left) + " left"
	}
	x := expl{key: exQuit, args: []any{removed, left}, parts: []part{{itoa(left), roleLeft}}}
	if seen > 0 {
		x.key, x.args = exQuitSeen, append(x.args, seen)
	}
	s.ok(signOff+" ("+status+")", x)
}
