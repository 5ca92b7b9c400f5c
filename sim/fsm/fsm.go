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
	"unicode/utf8"

	"maillab/sim/catalog"
	"maillab/sim/event"
)

// State names a protocol state, e.g. "authorization" or "selected".
type State string

// Start is the pseudo-state before the greeting: transitions from Start are
// the ways a connection can begin (IMAP's (1), (2) and (3)).
const Start State = ""

// StateInfo declares one state. Its title, as the RFC writes it (e.g.
// "AUTHORIZATION"), is the text state.<name> of the machine's catalogue.
type StateInfo struct {
	Name State
	// Quiet marks a state in which the client's lines are not answered
	// one by one: SMTP's DATA, whose lines are answered together after
	// the final dot. A lesson replaying a solution does not wait for an
	// answer to each.
	Quiet bool
}

// Transition is one declared edge. Several edges may share an ID when the
// protocol's figure numbers them alike (IMAP's (7) leaves every state);
// they share the label too, the text transition.<id> of the machine's
// catalogue: what takes the edge, e.g. "successful LOGIN or AUTHENTICATE".
type Transition struct {
	ID   string
	From State
	To   State
}

// Machine is a protocol's declaration.
type Machine struct {
	Proto string
	// Catalogue names the catalogue (see package catalog) that holds the
	// states' titles and the transitions' labels.
	Catalogue   string
	States      []StateInfo
	Transitions []Transition
	Commands    map[State][]string // commands each state allows, in the order a learner meets them
}

func (m *Machine) texts() *catalog.Catalogue { return catalog.Get(m.Catalogue) }

// TitleIn is the title of s in lang; the name itself when the catalogue
// has no title for it.
func (m *Machine) TitleIn(lang string, s State) string {
	if t, ok := m.texts().Lookup(lang, "state."+string(s)); ok {
		return t
	}
	return string(s)
}

// Title is the title of s in English, as texts on the wire write it.
func (m *Machine) Title(s State) string { return m.TitleIn(catalog.Source, s) }

// LabelIn is the label of transition id in lang, falling back to English.
func (m *Machine) LabelIn(lang, id string) string {
	return m.texts().Text(lang, "transition."+id)
}

// Label is the label of transition id in English.
func (m *Machine) Label(id string) string { return m.LabelIn(catalog.Source, id) }

// MarshalJSON writes the declaration for the page to draw, with the name
// of its "catalogue" and the texts in every language the catalogue has: a state's "title" and a
// transition's "label" in English, "titles" and "labels" by language. It
// is written by hand: the page asks for it as it starts, and encoding/json
// takes its time the first time it meets a type.
func (m *Machine) MarshalJSON() ([]byte, error) {
	if err := m.texts().Err(); err != nil {
		return nil, err
	}
	langs := catalog.Languages()
	b := []byte(`{"proto":`)
	b = appendString(b, m.Proto)
	b = append(b, `,"catalogue":`...)
	b = appendString(b, m.Catalogue)
	b = append(b, `,"states":[`...)
	for i, s := range m.States {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = appendString(b, string(s.Name))
		b = append(b, `,"title":`...)
		b = appendString(b, m.Title(s.Name))
		b = append(b, `,"titles":`...)
		b = appendByLang(b, langs, func(l string) string { return m.TitleIn(l, s.Name) })
		if s.Quiet {
			b = append(b, `,"quiet":true`...)
		}
		b = append(b, '}')
	}
	b = append(b, `],"transitions":[`...)
	for i, t := range m.Transitions {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendString(b, t.ID)
		b = append(b, `,"from":`...)
		b = appendString(b, string(t.From))
		b = append(b, `,"to":`...)
		b = appendString(b, string(t.To))
		b = append(b, `,"label":`...)
		b = appendString(b, m.Label(t.ID))
		b = append(b, `,"labels":`...)
		b = appendByLang(b, langs, func(l string) string { return m.LabelIn(l, t.ID) })
		b = append(b, '}')
	}
	b = append(b, `],"commands":{`...)
	first := true
	for _, s := range append([]StateInfo{{Name: Start}}, m.States...) {
		cmds, ok := m.Commands[s.Name]
		if !ok {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendString(b, string(s.Name))
		b = append(b, ':')
		if cmds == nil {
			b = append(b, "null"...)
			continue
		}
		b = append(b, '[')
		for j, c := range cmds {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendString(b, c)
		}
		b = append(b, ']')
	}
	return append(b, "}}"...), nil
}

func appendByLang(b []byte, langs []string, text func(lang string) string) []byte {
	b = append(b, '{')
	for i, l := range langs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, l)
		b = append(b, ':')
		b = appendString(b, text(l))
	}
	return append(b, '}')
}

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r < 0x20 || r == 0x2028 || r == 0x2029 || r == utf8.RuneError:
			if r == utf8.RuneError {
				r = 0xfffd
			}
			b = append(b, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return append(b, '"')
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

// IsQuiet reports whether s is a Quiet state.
func (m *Machine) IsQuiet(s State) bool {
	for _, i := range m.States {
		if i.Name == s {
			return i.Quiet
		}
	}
	return false
}

// Known reports whether any state allows cmd.
func (m *Machine) Known(cmd string) bool { return len(m.Where(cmd)) > 0 }

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

// MissingTexts lists the catalogue keys the declaration needs that the
// English catalogue does not have: a state without a title, a transition
// without a label.
func (m *Machine) MissingTexts() []string {
	var out []string
	need := func(key string) {
		if _, ok := m.texts().Lookup(catalog.Source, key); !ok && !slices.Contains(out, key) {
			out = append(out, key)
		}
	}
	for _, s := range m.States {
		need("state." + string(s.Name))
	}
	for _, t := range m.Transitions {
		need("transition." + t.ID)
	}
	return out
}
