package imap

import "maillab/sim/fsm"

// IMAP states (RFC 3501 section 3).
const (
	NotAuthenticated fsm.State = "not-authenticated"
	Authenticated    fsm.State = "authenticated"
	Selected         fsm.State = "selected"
	Logout           fsm.State = "logout"
)

// Transition ids: (1)-(7) as in RFC 3501's figure in section 3.5, which the
// lecture draws. "5r" is a SELECT or EXAMINE that succeeds while a mailbox
// is already selected: the session stays in SELECTED with another mailbox,
// an edge the RFC's figure leaves out.
const (
	tGreeting  = "1"
	tPreauth   = "2"
	tRejected  = "3"
	tLogin     = "4"
	tSelect    = "5"
	tReselect  = "5r"
	tUnselect  = "6"
	tLogoutAll = "7"
)

// anyState are the commands RFC 3501 section 6.1 allows in every state,
// with ID (RFC 2971), which may also come before login.
var anyState = []string{"CAPABILITY", "NOOP", "LOGOUT", "ID"}

// authCommands are allowed once authenticated (section 6.3), also in SELECTED.
var authCommands = []string{"SELECT", "EXAMINE", "CREATE", "DELETE", "RENAME", "SUBSCRIBE", "UNSUBSCRIBE",
	"LIST", "LSUB", "STATUS", "APPEND", "NAMESPACE", "ENABLE", "IDLE", "GETQUOTA", "GETQUOTAROOT"}

// CONDSTORE and QRESYNC (RFC 7162) add no command: they give ENABLE,
// SELECT, EXAMINE, FETCH, STORE, SEARCH and STATUS parameters and
// modifiers in the states those commands already have (condstore.go).

// selectedCommands are allowed only with a mailbox selected (section 6.4,
// RFC 3691 UNSELECT, RFC 6851 MOVE, RFC 4315 UID EXPUNGE, RFC 5256 SORT
// and THREAD, RFC 5267 CANCELUPDATE).
var selectedCommands = []string{"CHECK", "CLOSE", "UNSELECT", "EXPUNGE", "SEARCH", "FETCH", "STORE", "COPY", "MOVE",
	"UID SEARCH", "UID FETCH", "UID STORE", "UID COPY", "UID MOVE", "UID EXPUNGE",
	"SORT", "UID SORT", "THREAD", "UID THREAD", "CANCELUPDATE"}

func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// Machine declares the IMAP4rev1 session states, the figure's transitions
// and the commands each state allows. The labels the diagram draws are the
// imap catalogue's transition.<id> (one for the three (7) edges), the
// states' titles its state.<name>.
var Machine = &fsm.Machine{
	Proto:     "imap",
	Catalogue: "imap",
	States:    []fsm.StateInfo{{Name: NotAuthenticated}, {Name: Authenticated}, {Name: Selected}, {Name: Logout}},
	Transitions: []fsm.Transition{
		{ID: tGreeting, From: fsm.Start, To: NotAuthenticated},
		{ID: tPreauth, From: fsm.Start, To: Authenticated},
		{ID: tRejected, From: fsm.Start, To: Logout},
		{ID: tLogin, From: NotAuthenticated, To: Authenticated},
		{ID: tSelect, From: Authenticated, To: Selected},
		{ID: tReselect, From: Selected, To: Selected},
		{ID: tUnselect, From: Selected, To: Authenticated},
		{ID: tLogoutAll, From: NotAuthenticated, To: Logout},
		{ID: tLogoutAll, From: Authenticated, To: Logout},
		{ID: tLogoutAll, From: Selected, To: Logout},
	},
	Commands: map[fsm.State][]string{
		NotAuthenticated: concat(anyState, []string{"STARTTLS", "AUTHENTICATE", "LOGIN"}),
		Authenticated:    concat(anyState, authCommands),
		Selected:         concat(anyState, authCommands, selectedCommands),
		Logout:           nil,
	},
}

func init() {
	if err := Machine.Validate(); err != nil {
		panic(err)
	}
}
