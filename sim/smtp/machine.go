package smtp

import (
	"slices"

	"maillab/sim/fsm"
)

// The states of an SMTP or LMTP session. RFC 5321 names no states; these
// follow its section 4.1.4 on command order and section 3.3's mail
// transaction, as the lecture's walkthrough goes through them.
const (
	// Connected: the server has greeted; the client has not said HELO
	// or EHLO (or has just started TLS and must say EHLO again).
	Connected fsm.State = "connected"
	// Greeted: HELO or EHLO accepted; no mail transaction is open.
	Greeted fsm.State = "greeted"
	// Mail: MAIL accepted; the envelope has its reverse-path.
	Mail fsm.State = "mail"
	// Rcpt: at least one RCPT accepted; DATA or BDAT may follow.
	Rcpt fsm.State = "rcpt"
	// Data: after 354, until the line "."; lines are message text, not
	// commands.
	Data fsm.State = "data"
	// Chunking: between BDAT chunks (RFC 3030), before the one marked
	// LAST.
	Chunking fsm.State = "chunking"
	// Closed: QUIT answered, or the server ended the session with 421.
	Closed fsm.State = "closed"
)

// Transition ids, numbered as the diagram and the lessons cite them. The
// LMTP machine uses the same numbers; its edges whose label differs carry
// an "L" ("3L": LHLO accepted), so each id names one label in the
// catalogue. A session takes EdgeID(machine, id).
const (
	TGreeting = "1"  // 220 greeting
	TRefused  = "2"  // 421 instead of a greeting
	THello    = "3"  // HELO or EHLO accepted (LMTP: LHLO, "3L")
	TMail     = "4"  // MAIL accepted
	TRcpt     = "5"  // the first RCPT accepted
	TRcptMore = "5r" // another RCPT accepted
	TData     = "6"  // DATA answered 354
	TDot      = "7"  // the final "." (LMTP: "7L")
	TBdat     = "8"  // BDAT without LAST accepted
	TBdatMore = "8r" // another BDAT without LAST
	TBdatLast = "9"  // BDAT ... LAST (LMTP: "9L")
	TReset    = "10" // RSET, or HELO/EHLO, ends a transaction (LMTP: "10L")
	TTLS      = "11" // STARTTLS: 220, the client must greet again
	TQuit     = "12" // QUIT, 421, or a dropped connection
)

// lmtpEdges are the edges whose LMTP label differs.
var lmtpEdges = []string{THello, TDot, TBdatLast, TReset}

// EdgeID is the id of transition id in machine m: the LMTP machine's own
// id where its label differs ("3L"), id itself otherwise.
func EdgeID(m *fsm.Machine, id string) string {
	if m.Proto == "lmtp" && slices.Contains(lmtpEdges, id) {
		return lmtpID(id)
	}
	return id
}

func lmtpID(id string) string { return id + "L" }

// anyTime are the commands RFC 5321 section 4.1.4 allows at any time,
// even before HELO: "The NOOP, HELP, EXPN, VRFY, and RSET commands can be
// used at any time during a session, or without previously initializing
// a session."
var anyTime = []string{"NOOP", "RSET", "HELP", "VRFY", "EXPN", "QUIT"}

// Machine declares the SMTP session (RFC 5321) and LMTPMachine the LMTP
// session (RFC 2033): the same states and moves, with LHLO instead of
// HELO and EHLO, and no STARTTLS edge (LMTP runs between hosts that trust
// each other's network).
var (
	Machine     = newMachine(false)
	LMTPMachine = newMachine(true)
)

func newMachine(lmtp bool) *fsm.Machine {
	proto, hello := "smtp", []string{"EHLO", "HELO"}
	id := func(s string) string { return s }
	if lmtp {
		proto, hello = "lmtp", []string{"LHLO"}
		id = lmtpID
	}
	states := []fsm.State{Connected, Greeted, Mail, Rcpt, Data, Chunking, Closed}
	m := &fsm.Machine{Proto: proto, Catalogue: "smtp"}
	for _, s := range states {
		m.States = append(m.States, fsm.StateInfo{Name: s, Quiet: s == Data})
	}
	edge := func(i string, from, to fsm.State) {
		m.Transitions = append(m.Transitions, fsm.Transition{ID: i, From: from, To: to})
	}
	edge(TGreeting, fsm.Start, Connected)
	edge(TRefused, fsm.Start, Closed)
	edge(id(THello), Connected, Greeted)
	edge(TMail, Greeted, Mail)
	edge(TRcpt, Mail, Rcpt)
	edge(TRcptMore, Rcpt, Rcpt)
	edge(TData, Rcpt, Data)
	edge(id(TDot), Data, Greeted)
	edge(TBdat, Rcpt, Chunking)
	edge(TBdatMore, Chunking, Chunking)
	edge(id(TBdatLast), Rcpt, Greeted)
	edge(id(TBdatLast), Chunking, Greeted)
	for _, s := range []fsm.State{Mail, Rcpt, Chunking} {
		edge(id(TReset), s, Greeted)
	}
	if !lmtp {
		edge(TTLS, Greeted, Connected)
	}
	for _, s := range []fsm.State{Connected, Greeted, Mail, Rcpt, Data, Chunking} {
		edge(TQuit, s, Closed)
	}
	tls := []string{"STARTTLS"}
	if lmtp {
		tls = nil
	}
	m.Commands = map[fsm.State][]string{
		Connected: concat(hello, anyTime),
		Greeted:   concat(hello, []string{"MAIL", "AUTH"}, tls, anyTime),
		Mail:      concat([]string{"RCPT"}, hello, anyTime),
		Rcpt:      concat([]string{"RCPT", "DATA", "BDAT"}, hello, anyTime),
		Data:      nil,
		Chunking:  concat([]string{"BDAT"}, []string{"NOOP", "RSET", "QUIT"}),
		Closed:    nil,
	}
	if err := m.Validate(); err != nil {
		panic(err)
	}
	return m
}

func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// Refuse is the reply to a command the state does not allow: the 503 of
// Postfix's wording that says what must come first, or 502 for a
// command this protocol does not have. Where the command belongs goes in
// the explanation. An SMTP server answers DATA after refused recipients
// with 554 "no valid recipients" (Postfix); a session that tracks that
// asks NoValidRecipients instead.
func Refuse(m *fsm.Machine, state fsm.State, verb string) *Reply {
	where := stateList(m.Where(verb))
	lmtp := m.Proto == "lmtp"
	switch {
	case lmtp && (verb == "HELO" || verb == "EHLO"):
		return reply("cmd.helo.lmtp", verb)
	case !lmtp && verb == "LHLO":
		return reply("cmd.lhlo.smtp")
	case !m.Known(verb):
		if Known(verb) {
			return reply("cmd.unknown", verb)
		}
		return reply("cmd.unknown", printable(verb))
	case state == Chunking && (verb == "MAIL" || verb == "RCPT" || verb == "DATA"):
		return reply("seq.afterbdat", verb, where)
	case state == Connected && lmtp:
		return reply("seq.lhlo", verb, where)
	case state == Connected:
		return reply("seq.helo", verb, where)
	case verb == "MAIL":
		return reply("seq.nested", verb, where)
	case verb == "RCPT":
		return reply("seq.mail", verb, where)
	case verb == "DATA" || verb == "BDAT":
		if state == Greeted {
			return reply("seq.mail", verb, where)
		}
		return reply("seq.rcpt", verb, where)
	case verb == "STARTTLS" || verb == "AUTH":
		return reply("seq.transaction", verb, where)
	}
	return reply("seq.state", verb, where)
}

// NoValidRecipients is DATA's reply when RCPTs were sent but none was
// accepted (Postfix: "554 5.5.1 Error: no valid recipients").
func NoValidRecipients() *Reply { return reply("data.norcpt") }

// stateList is a list of states as an explanation argument: rendered
// with each state's title in the learner's language.
type stateList []fsm.State
