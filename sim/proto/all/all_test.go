package all

import (
	"bytes"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"maillab/sim/demo"
	"maillab/sim/event"
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

// A host that does not ask for explanations gets every protocol's stream
// as one that does, Explain events in the same places, only without their
// text, parts and allowed states; the wire bytes are the same.
func TestExplanationsOnlyWhenAsked(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for _, p := range proto.All() {
		for _, input := range append(seeds[:4:4], sasl...) {
			run := func(explain bool) ([]byte, []event.Event) {
				st, err := demo.Store()
				if err != nil {
					t.Fatal(err)
				}
				var rec event.Recorder
				cfg := proto.Config{Store: st, SessionID: "s", APOPTimestamp: "<1.2@localhost>", ProcessID: 1,
					Now: func() time.Time { return now }, Events: rec.Sink(), Explain: explain}
				c := &script{in: strings.NewReader(input)}
				p.Open(cfg).Serve(c)
				// A queue id is new on every run.
				for i := range rec.Events {
					rec.Events[i].Line = queueID.ReplaceAllString(rec.Events[i].Line, "queued as Q")
				}
				return queueID.ReplaceAll(c.out.Bytes(), []byte("queued as Q")), rec.Events
			}
			wire, explained := run(true)
			bareWire, bare := run(false)
			if !bytes.Equal(wire, bareWire) {
				t.Errorf("%s on %q: the wire differs without explanations:\n%s\n%s", p.Name, input, wire, bareWire)
			}
			texts := 0
			for i, e := range explained {
				if e.Kind == event.Explain && e.Text != "" {
					texts++
				}
				// Every text got the arguments it quotes.
				for _, text := range append([]string{e.Text}, meanings(e.Parts)...) {
					if strings.Contains(text, "%!") || strings.Contains(text, "%[") {
						t.Errorf("%s on %q: an explanation misses an argument: %q", p.Name, input, text)
					}
				}
				if e.Kind == event.Explain {
					explained[i].Text, explained[i].Parts, explained[i].Allowed = "", nil, nil
				}
			}
			if texts == 0 {
				t.Errorf("%s on %q: no explanation when asked", p.Name, input)
			}
			if !reflect.DeepEqual(explained, bare) {
				t.Errorf("%s on %q: the streams differ beyond the explanations:\n%v\n%v", p.Name, input, explained, bare)
			}
		}
	}
}

func meanings(parts []event.Part) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p.Meaning)
	}
	return out
}

// sasl are exchanges whose explanations carry the SASL steps' fields, and
// mistakes that each protocol explains.
var sasl = []string{
	"STAT\r\nUSER\r\nPASS x\r\nUSER melanie\r\nPASS nope\r\nAPOP a b\r\nAUTH XX\r\nUSER melanie\r\nPASS toybox\r\nRETR x\r\nLIST 3x\r\nLIST 9\r\nTOP 1\r\nDELE 1\r\nRETR 1\r\nRSET\r\nUIDL 9\r\nQUIT\r\n",
	"a SELECT INBOX\r\nb LOGIN melanie nope\r\nc LOGIN melanie toybox\r\nd FETCH 1 FLAGS\r\ne SELECT Nope\r\nf EXAMINE INBOX\r\ng STORE 1 +FLAGS (\\Deleted)\r\nh FETCH 99 BODY[]\r\ni UID FETCH 1:* (FLAGS\r\nj SEARCH FROM\r\nk LOGOUT\r\n",
	"MAIL FROM:<a@example.org>\r\nEHLO x\r\nRCPT TO:<melanie@example.org>\r\nDATA\r\nMAIL FROM:<a@example.org>\r\nAUTH PLAIN\r\nSTARTTLS\r\nMAIL FROM:<b@example.org>\r\nRCPT TO:<nobody@example.org>\r\nRCPT TO:<x@elsewhere.example>\r\nDATA\r\nBDAT 3\r\nVRFY melanie\r\nRSET\r\nQUIT\r\n",
	"AUTH\r\nAUTH PLAIN\r\nAG1lbGFuaWUAdG95Ym94\r\nLIST\r\nQUIT\r\n",
	"a AUTHENTICATE PLAIN\r\nAG1lbGFuaWUAdG95Ym94\r\nb LOGOUT\r\n",
	"EHLO client.example\r\nAUTH PLAIN AG1lbGFuaWUAdG95Ym94\r\nQUIT\r\n",
}

var queueID = regexp.MustCompile(`queued as [0-9A-F]+`)

// script plays its input, then reports the end of input, and keeps what
// the server wrote.
type script struct {
	in  io.Reader
	out bytes.Buffer
}

func (c *script) Read(p []byte) (int, error)  { return c.in.Read(p) }
func (c *script) Write(p []byte) (int, error) { return c.out.Write(p) }
