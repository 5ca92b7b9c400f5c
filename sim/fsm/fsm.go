// Package fsm declares protocol state machines as data. Each protocol
// declares its states, its transitions and which commands each state allows
// once, next to the code that takes them; sessions move only along declared
// transitions, and the browser draws its diagram from the same declaration,
// so the picture cannot drift from the code.
package fsm

import (
	"fmt"
	"slices"
	"strings"

	"maillab/sim/event"
)

// State names a protocol state, e.g. "authorization" or "selected".
type State string

// Start is the pseudo-state before the greeting: transitions from Start are
// the ways a connection can begin (IMAP's (1), (2) and (3)).
const Start State = ""

// StateInfo describes one state for the diagram.
type StateInfo struct {
	Name  State  `json:"name"`
	Title string `json:"title"` // as the RFC writes it, e.g. "AUTHORIZATION"
}

// Transition is one declared edge. Several edges may share an ID when the
// protocol's figure numbers them alike (IMAP's (7) leaves every state).
type Transition struct {
	ID    string `json:"id"`
	From  State  `json:"from"`
	To    State  `json:"to"`
	Label string `json:"label"` // what takes it, e.g. "successful LOGIN or AUTHENTICATE"
	// Labels is Label in the lab's other languages ("ru", "sk"), worded
	// as the lectures word them.
	Labels map[string]string `json:"labels,omitempty"`
}

// LabelIn returns the transition's label in lang, or in English.
func (t Transition) LabelIn(lang string) string {
	if s := t.Labels[lang]; s != "" {
		return s
	}
	return t.Label
}

// Machine is a protocol's declaration.
type Machine struct {
	Proto       string             `json:"proto"`
	States      []StateInfo        `json:"states"`
	Transitions []Transition       `json:"transitions"`
	Commands    map[State][]string `json:"commands"` // commands each state allows, in the order a learner meets them
}

// Validate reports a declaration error: an edge to or from an undeclared
// state, or a command list for an undeclared state.
func (m *Machine) Validate() error {
	known := map[State]bool{Start: true}
	for _, s := range m.States {
		known[s.Name] = true
	}
	for _, t := range m.Transitions {
		if !known[t.From] || !known[t.To] || t.To == Start {
			return fmt.Errorf("fsm %s: transition %s %q→%q names an undeclared state", m.Proto, t.ID, t.From, t.To)
		}
	}
	for s := range m.Commands {
		if !known[s] {
			return fmt.Errorf("fsm %s: commands declared for undeclared state %q", m.Proto, s)
		}
	}
	return nil
}

// Allowed reports whether state allows cmd (upper-case verb).
func (m *Machine) Allowed(state State, cmd string) bool {
	return slices.Contains(m.Commands[state], cmd)
}

// Where lists the states that allow cmd, in declaration order.
func (m *Machine) Where(cmd string) []State {
	var out []State
	for _, s := range m.States {
		if m.Allowed(s.Name, cmd) {
			out = append(out, s.Name)
		}
	}
	return out
}

// Known reports whether any state allows cmd.
func (m *Machine) Known(cmd string) bool { return len(m.Where(cmd)) > 0 }

// Title returns the display title of s.
func (m *Machine) Title(s State) string {
	for _, i := range m.States {
		if i.Name == s {
			return i.Title
		}
	}
	return string(s)
}

// WhereText names the states allowing cmd as a phrase for error texts:
// "the TRANSACTION state", "the AUTHENTICATED or SELECTED state".
func (m *Machine) WhereText(cmd string) string {
	var titles []string
	for _, s := range m.Where(cmd) {
		titles = append(titles, m.Title(s))
	}
	if len(titles) == 0 {
		return ""
	}
	return "the " + strings.Join(titles, " or ") + " state"
}

// edge finds the declared transition id leaving from.
func (m *Machine) edge(id string, from State) (Transition, bool) {
	for _, t := range m.Transitions {
		if t.ID == id && t.From == from {
			return t, true
		}
	}
	return Transition{}, false
}

// Tracker follows one session through a Machine and emits a Transition
// event for every move.
type Tracker struct {
	m    *Machine
	cur  State
	emit func(event.Event)
}

// NewTracker starts at Start. emit receives each Transition event with
// From, To, Transition and Trigger set; the caller fills in the rest.
func NewTracker(m *Machine, emit func(event.Event)) *Tracker {
	return &Tracker{m: m, cur: Start, emit: emit}
}

// State is the current state.
func (t *Tracker) State() State { return t.cur }

// Machine is the declaration being followed.
func (t *Tracker) Machine() *Machine { return t.m }

// Take moves along transition id from the current state. A move that is not
// declared is a bug in the protocol code, so Take panics rather than let the
// diagram and the code disagree.
func (t *Tracker) Take(id, trigger string) {
	e, ok := t.m.edge(id, t.cur)
	if !ok {
		panic(fmt.Sprintf("fsm %s: no transition %q from state %q", t.m.Proto, id, t.cur))
	}
	t.cur = e.To
	if t.emit != nil {
		t.emit(event.Event{Kind: event.Transition, From: string(e.From), To: string(e.To), Transition: e.ID, Trigger: trigger, State: string(e.To)})
	}
}

// Can reports whether transition id leaves the current state.
func (t *Tracker) Can(id string) bool {
	_, ok := t.m.edge(id, t.cur)
	return ok
}
