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
	"LIST", "LSUB", "STATUS", "APPEND", "NAMESPACE", "ENABLE", "IDLE"}

// selectedCommands are allowed only with a mailbox selected (section 6.4,
// RFC 3691 UNSELECT, RFC 6851 MOVE, RFC 4315 UID EXPUNGE).
var selectedCommands = []string{"CHECK", "CLOSE", "UNSELECT", "EXPUNGE", "SEARCH", "FETCH", "STORE", "COPY", "MOVE",
	"UID SEARCH", "UID FETCH", "UID STORE", "UID COPY", "UID MOVE", "UID EXPUNGE"}

func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// The transitions' labels in Russian as the lecture lists them under its
// figure, and in Slovak.
var (
	labels1  = map[string]string{"ru": "соединение без предварительной аутентификации (отклик OK)", "sk": "spojenie bez predchádzajúcej autentifikácie (odpoveď OK)"}
	labels2  = map[string]string{"ru": "соединение с предварительной аутентификацией (отклик PREAUTH)", "sk": "spojenie s predchádzajúcou autentifikáciou (odpoveď PREAUTH)"}
	labels3  = map[string]string{"ru": "соединение отвергнуто (отклик BYE)", "sk": "spojenie odmietnuté (odpoveď BYE)"}
	labels4  = map[string]string{"ru": "успешное завершение команды LOGIN или AUTHENTICATE", "sk": "úspešný príkaz LOGIN alebo AUTHENTICATE"}
	labels5  = map[string]string{"ru": "успешное завершение команды SELECT или EXAMINE", "sk": "úspešný príkaz SELECT alebo EXAMINE"}
	labels5r = map[string]string{"ru": "успешная команда SELECT или EXAMINE для другого ящика", "sk": "úspešný príkaz SELECT alebo EXAMINE inej schránky"}
	labels6  = map[string]string{"ru": "выполнение команды CLOSE или UNSELECT, или неудачная команда SELECT или EXAMINE", "sk": "príkaz CLOSE alebo UNSELECT, alebo neúspešný SELECT či EXAMINE"}
	label7   = "LOGOUT, server shutdown, or closed connection"
	labels7  = map[string]string{"ru": "выполнение команды LOGOUT, закрытие сервера или прерывание соединения", "sk": "príkaz LOGOUT, vypnutie servera alebo prerušenie spojenia"}
)

// Machine declares the IMAP4rev1 session states, the figure's transitions
// and the commands each state allows.
var Machine = &fsm.Machine{
	Proto: "imap",
	States: []fsm.StateInfo{
		{Name: NotAuthenticated, Title: "NOT AUTHENTICATED"},
		{Name: Authenticated, Title: "AUTHENTICATED"},
		{Name: Selected, Title: "SELECTED"},
		{Name: Logout, Title: "LOGOUT"},
	},
	Transitions: []fsm.Transition{
		{ID: tGreeting, From: fsm.Start, To: NotAuthenticated, Label: "connection without pre-authentication (OK greeting)", Labels: labels1},
		{ID: tPreauth, From: fsm.Start, To: Authenticated, Label: "pre-authenticated connection (PREAUTH greeting)", Labels: labels2},
		{ID: tRejected, From: fsm.Start, To: Logout, Label: "rejected connection (BYE greeting)", Labels: labels3},
		{ID: tLogin, From: NotAuthenticated, To: Authenticated, Label: "successful LOGIN or AUTHENTICATE", Labels: labels4},
		{ID: tSelect, From: Authenticated, To: Selected, Label: "successful SELECT or EXAMINE", Labels: labels5},
		{ID: tReselect, From: Selected, To: Selected, Label: "successful SELECT or EXAMINE of another mailbox", Labels: labels5r},
		{ID: tUnselect, From: Selected, To: Authenticated, Label: "CLOSE, UNSELECT, or failed SELECT or EXAMINE", Labels: labels6},
		{ID: tLogoutAll, From: NotAuthenticated, To: Logout, Label: label7, Labels: labels7},
		{ID: tLogoutAll, From: Authenticated, To: Logout, Label: label7, Labels: labels7},
		{ID: tLogoutAll, From: Selected, To: Logout, Label: label7, Labels: labels7},
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
