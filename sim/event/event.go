// Package event defines the one ordered stream a session emits: the lines
// the client sent, the lines the server answered, the state transitions taken
// and what each response means. The terminal, the state diagram, the explain
// pane and the lesson checker all read this stream; nothing re-parses terminal
// text to guess a session's state.
package event

// Kind says what an Event records.
type Kind string

const (
	// Open is the first event of a session: the connection was established.
	Open Kind = "open"
	// Client is one line the client sent, without its CRLF. A synchronizing
	// IMAP literal's octets follow as their own Client events.
	Client Kind = "client"
	// Server is one line the server sent, without its CRLF.
	Server Kind = "server"
	// Transition is a move along a declared state-machine transition.
	Transition Kind = "transition"
	// Explain ends a response and says what it means. Its Text, Parts
	// and Allowed are filled in only for a host that reads explanations
	// (proto.Config.Explain); other hosts get it without them, as the mark
	// that the response, and the transitions it took, are all out.
	Explain Kind = "explain"
	// Close is the last event of a session: the connection ended.
	Close Kind = "close"
)

// Part is one token of a response and what it means, for the explain pane:
// "+OK 2 320" is explained as "+OK" success, "2" messages, "320" octets.
type Part struct {
	Token   string `json:"token"`
	Meaning string `json:"meaning"`
}

// Event is one entry of a session's stream. Fields that do not apply to the
// Kind are left empty.
type Event struct {
	Kind    Kind   `json:"kind"`
	Session string `json:"session,omitempty"` // session id given by the host
	Proto   string `json:"proto"`             // "pop3" or "imap"
	State   string `json:"state"`             // the session's state after this event

	// Client and Server lines.
	Line string `json:"line,omitempty"`
	// Command is the upper-case command verb a Client line carries ("RETR",
	// "UID FETCH"), or, on Server and Explain events, the command answered.
	Command string `json:"command,omitempty"`
	// Tag is the IMAP tag of a Client line or of a tagged Server line.
	Tag string `json:"tag,omitempty"`
	// Status is the response status a Server line starts with: "+OK", "-ERR",
	// "OK", "NO", "BAD", "BYE", "PREAUTH", "+" (continuation), or "*" for
	// other untagged data, or "" for a line of a multi-line answer.
	Status string `json:"status,omitempty"`
	// Code is the response code in brackets, without them: "IN-USE", "AUTH",
	// "UIDVALIDITY 3857529045".
	Code string `json:"code,omitempty"`
	// Secret marks a Client line that carries a password; hosts that log
	// must not write it. On a Server line it marks an answer that repeats
	// the tag of such a line: hosts that log write it without its first
	// word.
	Secret bool `json:"secret,omitempty"`

	// Transition.
	From       string `json:"from,omitempty"`
	To         string `json:"to,omitempty"`
	Transition string `json:"transition,omitempty"` // the declared transition's id
	Trigger    string `json:"trigger,omitempty"`    // what caused it: a command verb or "connect", "drop", "timeout"

	// Explain, for a host that reads explanations.
	Text  string `json:"text,omitempty"`
	Parts []Part `json:"parts,omitempty"`
	// Allowed lists, for a command refused in the wrong state, the states
	// where it is allowed.
	Allowed []string `json:"allowed,omitempty"`
}

// Sink receives a session's events in order, on the session's goroutine.
// A Sink must not block for long: the session waits for it.
type Sink func(Event)

// Discard is a Sink that drops every event.
func Discard(Event) {}

// Tee returns a Sink that hands every event to each non-nil sink in order.
func Tee(sinks ...Sink) Sink {
	var live []Sink
	for _, s := range sinks {
		if s != nil {
			live = append(live, s)
		}
	}
	return func(e Event) {
		for _, s := range live {
			s(e)
		}
	}
}

// Recorder keeps every event it is given, for tests and the lesson engine.
// It is not safe for concurrent use; give each session its own.
type Recorder struct {
	Events []Event
}

// Sink returns the Sink that appends to r.
func (r *Recorder) Sink() Sink { return func(e Event) { r.Events = append(r.Events, e) } }

// Lines returns the Client and Server lines recorded, prefixed "C: " and
// "S: " as the lectures write transcripts.
func (r *Recorder) Lines() []string {
	var out []string
	for _, e := range r.Events {
		switch e.Kind {
		case Client:
			out = append(out, "C: "+e.Line)
		case Server:
			out = append(out, "S: "+e.Line)
		}
	}
	return out
}
