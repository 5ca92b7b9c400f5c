package pop3

import "maillab/sim/fsm"

// The POP3 states (RFC 1939 section 3).
const (
	Authorization fsm.State = "authorization"
	Transaction   fsm.State = "transaction"
	Update        fsm.State = "update"
)

// Transition ids; the labels the diagram draws are the pop3 catalogue's
// transition.<id>, the states' titles its state.<name>.
const (
	tGreeting = "greeting"
	tLogin    = "login"
	tQuit     = "quit"
)

// Machine declares the POP3 session: its states, the moves between them and
// the commands each state allows. The session moves only along these
// transitions and the browser draws its diagram from this value.
//
// A QUIT in the AUTHORIZATION state ends the session without entering
// UPDATE, and so does a dropped connection or an autologout in any state
// (RFC 1939 section 6): those are not transitions, they are the end.
var Machine = &fsm.Machine{
	Proto:     "pop3",
	Catalogue: "pop3",
	States:    []fsm.StateInfo{{Name: Authorization}, {Name: Transaction}, {Name: Update}},
	Transitions: []fsm.Transition{
		{ID: tGreeting, From: fsm.Start, To: Authorization},
		{ID: tLogin, From: Authorization, To: Transaction},
		{ID: tQuit, From: Transaction, To: Update},
	},
	Commands: map[fsm.State][]string{
		Authorization: {"USER", "PASS", "APOP", "AUTH", "CAPA", "STLS", "QUIT"},
		Transaction:   {"STAT", "LIST", "RETR", "DELE", "NOOP", "RSET", "TOP", "UIDL", "CAPA", "QUIT"},
		Update:        {},
	},
}

func init() {
	if err := Machine.Validate(); err != nil {
		panic(err)
	}
}
