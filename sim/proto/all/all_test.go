package all

import (
	"slices"
	"testing"

	"maillab/sim/demo"
	"maillab/sim/proto"
	"maillab/sim/proto/prototest"
)

// Every registered protocol's command table and its declared machine must
// agree: what a state allows is a command the session knows, and every
// command the session knows is allowed somewhere or declared as refused
// everywhere.
func TestCommandsAgreeWithTheMachine(t *testing.T) {
	for _, p := range proto.All() {
		if len(p.Commands) == 0 {
			t.Errorf("%s registers no command table", p.Name)
		}
		for state, cmds := range p.Machine.Commands {
			for _, c := range cmds {
				if !slices.Contains(p.Commands, c) {
					t.Errorf("%s: state %s allows %s, which the session does not know", p.Name, state, c)
				}
			}
		}
		for _, c := range p.Commands {
			if !p.Machine.Known(c) && !slices.Contains(p.Refused, c) {
				t.Errorf("%s: the session knows %s, but no state allows it and it is not declared refused", p.Name, c)
			}
		}
	}
}

// seeds are inputs that reach each protocol's states; the fuzzer mixes them.
var seeds = []string{
	"CAPA\r\nUSER melanie\r\nPASS toybox\r\nSTAT\r\nRETR 1\r\nTOP 1 0\r\nDELE 1\r\nQUIT\r\n",
	"a CAPABILITY\r\nb LOGIN melanie toybox\r\nc SELECT INBOX\r\nd FETCH 1:* (FLAGS ENVELOPE)\r\ne LOGOUT\r\n",
	"EHLO client.example\r\nMAIL FROM:<alex@example.org>\r\nRCPT TO:<melanie@example.org>\r\nDATA\r\nSubject: hi\r\n\r\n.dot\r\n.\r\nQUIT\r\n",
	"LHLO client\r\nMAIL FROM:<>\r\nRCPT TO:<melanie@example.org>\r\nDATA\r\nx\r\n.\r\nQUIT\r\n",
	"\x00\xff\xfb\x01\r\n\n\r\n" + "x",
}

// FuzzEveryProtocol runs every registered protocol on the same raw input:
// none may panic, and each session's events must match its wire bytes and
// its machine.
func FuzzEveryProtocol(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, input []byte) {
		for _, p := range proto.All() {
			st, err := demo.Store()
			if err != nil {
				t.Fatal(err)
			}
			cfg := proto.Config{Store: st, SessionID: "f", APOPTimestamp: "<1.2@localhost>"}
			wire, events, _ := prototest.Run(p.Name, cfg, input)
			if err := prototest.Check(p.Name, wire, events); err != nil {
				t.Fatalf("%s on %q: %v", p.Name, input, err)
			}
		}
	})
}

// Every registered protocol says what the page shows of it: its title and
// the port its menu names beside it.
func TestEveryProtocolDeclaresWhatThePageShows(t *testing.T) {
	for _, p := range proto.All() {
		if p.Title == "" {
			t.Errorf("%s registers no Title", p.Name)
		}
		if p.Port <= 0 || p.Port > 65535 {
			t.Errorf("%s registers Port %d; give its well-known port", p.Name, p.Port)
		}
	}
}
