package pop3

import "maillab/sim/fsm"

// The POP3 states (RFC 1939 section 3).
const (
	Authorization fsm.State = "authorization"
	Transaction   fsm.State = "transaction"
	Update        fsm.State = "update"
)

// Transition ids, as the diagram labels them.
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
	Proto: "pop3",
	States: []fsm.StateInfo{
		{Name: Authorization, Title: "AUTHORIZATION"},
		{Name: Transaction, Title: "TRANSACTION"},
		{Name: Update, Title: "UPDATE"},
	},
	Transitions: []fsm.Transition{
		{ID: tGreeting, From: fsm.Start, To: Authorization, Label: "greeting +OK",
			Labels: map[string]string{"ru": "приветствие +OK", "sk": "pozdrav +OK"}},
		{ID: tLogin, From: Authorization, To: Transaction, Label: "USER and PASS, APOP or AUTH accepted",
			Labels: map[string]string{"ru": "приняты USER и PASS, APOP или AUTH", "sk": "prijaté USER a PASS, APOP alebo AUTH"}},
		{ID: tQuit, From: Transaction, To: Update, Label: "QUIT"},
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
