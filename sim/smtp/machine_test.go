package smtp

import (
	"slices"
	"testing"

	"maillab/sim/event"
	"maillab/sim/fsm"
)

// The lecture's walkthrough, and a BDAT transaction, as moves along the
// declared transitions; a move that is not declared panics in Take.
func TestMachineWalk(t *testing.T) {
	for _, m := range []*fsm.Machine{Machine, LMTPMachine} {
		var rec event.Recorder
		tr := fsm.NewTracker(m, rec.Sink())
		for _, id := range []string{TGreeting, THello, TMail, TRcpt, TRcptMore, TData, TDot, TMail, TRcpt, TBdat, TBdatMore, TBdatLast,
			TMail, TRcpt, TBdatLast, TMail, TReset, TQuit} {
			tr.Take(EdgeID(m, id), id)
		}
		if tr.State() != Closed {
			t.Errorf("%s: ended in %q", m.Proto, tr.State())
		}
		if len(rec.Events) != 18 {
			t.Errorf("%s: %d transition events", m.Proto, len(rec.Events))
		}
	}
	tr := fsm.NewTracker(Machine, nil)
	for _, id := range []string{TGreeting, THello, TTLS, THello, TQuit} {
		tr.Take(id, id)
	}
	if tr.Can(TRefused) || fsm.NewTracker(LMTPMachine, nil).Can(TTLS) {
		t.Error("unexpected edges")
	}
	if EdgeID(LMTPMachine, THello) != "3L" || EdgeID(Machine, THello) != "3" || EdgeID(LMTPMachine, TMail) != "4" {
		t.Error("EdgeID")
	}
}

// Which commands each state allows (RFC 5321 section 4.1.4): HELO and
// EHLO exist only in SMTP, LHLO only in LMTP; NOOP, RSET, HELP, VRFY,
// EXPN and QUIT before any greeting; nothing but text in DATA.
func TestMachineCommands(t *testing.T) {
	tests := []struct {
		m     *fsm.Machine
		state fsm.State
		yes   []string
		no    []string
	}{
		{Machine, Connected, []string{"EHLO", "HELO", "NOOP", "RSET", "HELP", "VRFY", "EXPN", "QUIT"}, []string{"MAIL", "RCPT", "DATA", "STARTTLS", "AUTH", "LHLO"}},
		{Machine, Greeted, []string{"MAIL", "STARTTLS", "AUTH", "EHLO"}, []string{"RCPT", "DATA", "BDAT"}},
		{Machine, Mail, []string{"RCPT", "RSET"}, []string{"MAIL", "DATA", "STARTTLS", "AUTH"}},
		{Machine, Rcpt, []string{"RCPT", "DATA", "BDAT"}, []string{"MAIL", "STARTTLS"}},
		{Machine, Data, nil, []string{"QUIT", "RSET", "DATA"}},
		{Machine, Chunking, []string{"BDAT", "RSET", "QUIT", "NOOP"}, []string{"DATA", "MAIL", "RCPT"}},
		{Machine, Closed, nil, []string{"QUIT"}},
		{LMTPMachine, Connected, []string{"LHLO"}, []string{"EHLO", "HELO"}},
		{LMTPMachine, Greeted, []string{"MAIL"}, []string{"STARTTLS"}},
	}
	for _, tt := range tests {
		for _, c := range tt.yes {
			if !tt.m.Allowed(tt.state, c) {
				t.Errorf("%s %s: %s not allowed", tt.m.Proto, tt.state, c)
			}
		}
		for _, c := range tt.no {
			if tt.m.Allowed(tt.state, c) {
				t.Errorf("%s %s: %s allowed", tt.m.Proto, tt.state, c)
			}
		}
	}
	// Every command a state allows is one the parser knows.
	for _, m := range []*fsm.Machine{Machine, LMTPMachine} {
		for s, cmds := range m.Commands {
			for _, c := range cmds {
				if !Known(c) {
					t.Errorf("%s %s: %s is not parsed", m.Proto, s, c)
				}
			}
		}
	}
}

// A command in the wrong state gets the 503 that says what must come
// first, with the states that allow it; a command of the other protocol
// or of RFC 821 gets 502.
func TestRefuse(t *testing.T) {
	tests := []struct {
		m       *fsm.Machine
		state   fsm.State
		verb    string
		reply   string
		allowed []fsm.State
	}{
		{Machine, Connected, "MAIL", "503 5.5.1 Error: send HELO/EHLO first", []fsm.State{Greeted}},
		{LMTPMachine, Connected, "MAIL", "503 5.5.1 Error: send LHLO first", []fsm.State{Greeted}},
		{Machine, Greeted, "RCPT", "503 5.5.1 Error: need MAIL command", []fsm.State{Mail, Rcpt}},
		{Machine, Greeted, "DATA", "503 5.5.1 Error: need MAIL command", []fsm.State{Rcpt}},
		{Machine, Mail, "DATA", "503 5.5.1 Error: need RCPT command", []fsm.State{Rcpt}},
		{Machine, Mail, "BDAT", "503 5.5.1 Error: need RCPT command", []fsm.State{Rcpt, Chunking}},
		{Machine, Rcpt, "MAIL", "503 5.5.1 Error: nested MAIL command", []fsm.State{Greeted}},
		{Machine, Chunking, "DATA", "503 5.5.1 Error: DATA after BDAT", []fsm.State{Rcpt}},
		{Machine, Chunking, "MAIL", "503 5.5.1 Error: MAIL after BDAT", []fsm.State{Greeted}},
		{Machine, Rcpt, "STARTTLS", "503 5.5.1 Error: MAIL transaction in progress", []fsm.State{Greeted}},
		{Machine, Connected, "STARTTLS", "503 5.5.1 Error: send HELO/EHLO first", []fsm.State{Greeted}},
		{Machine, Chunking, "HELP", "503 5.5.1 Error: bad sequence of commands", []fsm.State{Connected, Greeted, Mail, Rcpt}},
		{LMTPMachine, Connected, "EHLO", "500 5.5.2 Error: command not recognized", nil},
		{Machine, Connected, "LHLO", "500 5.5.2 Error: command not recognized", nil},
		{Machine, Greeted, "TURN", "500 5.5.2 Error: command not recognized", nil},
	}
	for _, tt := range tests {
		r := Refuse(tt.m, tt.state, tt.verb)
		if got := r.Format(true)[0]; got != tt.reply {
			t.Errorf("%s %s %s: %q, want %q", tt.m.Proto, tt.state, tt.verb, got, tt.reply)
		}
		x := Explain(r, nil, true, "en")
		var want []string
		for _, s := range tt.allowed {
			want = append(want, string(s))
		}
		if !slices.Equal(x.Allowed, want) {
			t.Errorf("%s %s %s: allowed %v, want %v", tt.m.Proto, tt.state, tt.verb, x.Allowed, want)
		}
	}
	if got := NoValidRecipients().Format(true)[0]; got != "554 5.5.1 Error: no valid recipients" {
		t.Errorf("NoValidRecipients: %q", got)
	}
}

// The diagram's titles and labels are the catalogue's state.<name> and
// transition.<id> texts, in every language.
func TestMachineTexts(t *testing.T) {
	for _, m := range []*fsm.Machine{Machine, LMTPMachine} {
		for _, s := range m.States {
			if got := StateTitle("en", s.Name); got != m.Title(s.Name) || got == "" {
				t.Errorf("state.%s: catalogue %q, machine %q", s.Name, got, m.Title(s.Name))
			}
			for _, lang := range []string{"ru", "sk"} {
				if _, ok := texts.Lookup(lang, "state."+string(s.Name)); !ok {
					t.Errorf("state.%s has no %s title", s.Name, lang)
				}
			}
		}
		for _, tr := range m.Transitions {
			if got := TransitionLabel("en", tr.ID); got != m.Label(tr.ID) || got == "" {
				t.Errorf("transition.%s: catalogue %q, machine %q", tr.ID, got, m.Label(tr.ID))
			}
			for _, lang := range []string{"ru", "sk"} {
				if got := TransitionLabel(lang, tr.ID); got == m.Label(tr.ID) {
					t.Errorf("transition.%s is not translated to %s", tr.ID, lang)
				}
			}
		}
	}
}
