// Package prototest is the harness every protocol's tests share: it runs a
// registered protocol's session on given input and checks what any session
// must keep, whatever the protocol: the events match the bytes on the wire,
// the session moves only along its declared machine, and its stream opens
// and closes once.
package prototest

import (
	"bytes"
	"fmt"
	"strings"

	"maillab/sim/event"
	"maillab/sim/lineio"
	"maillab/sim/proto"
)

// conn plays its input, then reports the end of input, and keeps what the
// server wrote.
type conn struct {
	in  *bytes.Reader
	out bytes.Buffer
}

func (c *conn) Read(p []byte) (int, error)  { return c.in.Read(p) }
func (c *conn) Write(p []byte) (int, error) { return c.out.Write(p) }

// Run serves one session of the protocol name on input and returns what
// the server wrote and the events it emitted, explanations among them.
// cfg.Events and cfg.Explain are replaced.
func Run(name string, cfg proto.Config, input []byte) (wire []byte, events []event.Event, err error) {
	p, ok := proto.Get(name)
	if !ok {
		return nil, nil, fmt.Errorf("no protocol %q", name)
	}
	var rec event.Recorder
	cfg.Events, cfg.Explain = rec.Sink(), true
	c := &conn{in: bytes.NewReader(input)}
	err = p.Open(cfg).Serve(c)
	return c.out.Bytes(), rec.Events, err
}

// Check reports the first way the events of a session of name disagree
// with its wire bytes or its machine, or nil:
//   - every line on the wire ends in CRLF, and the Server events are the
//     wire's lines, in order, as a terminal shows them (control characters
//     in caret notation);
//   - the first event is Open and the last is Close, each once;
//   - every event names the protocol, and its State is the state the
//     session's transitions so far lead to;
//   - every Transition is declared in the protocol's machine.
func Check(name string, wire []byte, events []event.Event) error {
	p, ok := proto.Get(name)
	if !ok {
		return fmt.Errorf("no protocol %q", name)
	}
	if err := checkWire(wire, events); err != nil {
		return err
	}
	if len(events) == 0 || events[0].Kind != event.Open || events[len(events)-1].Kind != event.Close {
		return fmt.Errorf("the events do not start with open and end with close")
	}
	state := ""
	for i, e := range events {
		if e.Proto != name {
			return fmt.Errorf("event %d names protocol %q", i, e.Proto)
		}
		if (e.Kind == event.Open || e.Kind == event.Close) && i != 0 && i != len(events)-1 {
			return fmt.Errorf("event %d is a second %s", i, e.Kind)
		}
		if e.Kind == event.Transition {
			if e.From != state {
				return fmt.Errorf("transition %s from %q, but the session was in %q", e.Transition, e.From, state)
			}
			if !declared(p, e) {
				return fmt.Errorf("transition %s %q→%q is not declared", e.Transition, e.From, e.To)
			}
			state = e.To
		}
		if e.State != state {
			return fmt.Errorf("event %d (%s %q) says state %q, the transitions say %q", i, e.Kind, e.Line, e.State, state)
		}
	}
	return nil
}

func declared(p *proto.Protocol, e event.Event) bool {
	for _, t := range p.Machine.Transitions {
		if t.ID == e.Transition && string(t.From) == e.From && string(t.To) == e.To {
			return true
		}
	}
	return false
}

func checkWire(wire []byte, events []event.Event) error {
	if len(wire) > 0 && !bytes.HasSuffix(wire, []byte("\r\n")) {
		return fmt.Errorf("the output does not end in CRLF: …%q", tail(wire))
	}
	var lines []string
	if len(wire) > 0 {
		lines = strings.Split(strings.TrimSuffix(string(wire), "\r\n"), "\r\n")
	}
	var server []string
	for _, e := range events {
		if e.Kind == event.Server {
			server = append(server, e.Line)
		}
	}
	for i, l := range lines {
		if i >= len(server) {
			return fmt.Errorf("wire line %d %q has no Server event", i+1, l)
		}
		if want := lineio.Printable(l); server[i] != want {
			return fmt.Errorf("wire line %d is %q, its event says %q", i+1, want, server[i])
		}
	}
	if len(server) > len(lines) {
		return fmt.Errorf("Server event %q was never sent", server[len(lines)])
	}
	return nil
}

func tail(b []byte) []byte {
	if len(b) > 40 {
		return b[len(b)-40:]
	}
	return b
}
