package lesson

import "maillab/sim/event"

// Feed hands the engine one event of a session the host opened itself,
// as the browser does for its terminals; name is the learner's name for
// the terminal ("main", "phone"). A new session id under a known name is
// a new connection of that terminal.
func (e *Engine) Feed(name string, ev event.Event) {
	e.mu.Lock()
	s, ok := e.sessions[name]
	if !ok || s.id != ev.Session {
		proto := ev.Proto
		if proto == "" {
			proto = e.l.Protocol
		}
		s = &session{name: name, id: ev.Session, proto: proto, marked: map[int]bool{}, since: e.seq}
		e.sessions[name] = s
	}
	if ev.Kind == event.Client {
		e.current = name
	}
	e.mu.Unlock()
	e.observe(s, ev)
}

// HostOptions are the settings a host gives a session it opens for this
// lesson: a pinned APOP timestamp, hidden commands, the server name and,
// for IMAP, a PREAUTH or BYE greeting for the named terminal.
type HostOptions struct {
	APOPTimestamp string   `json:"apopTimestamp,omitempty"`
	Disabled      []string `json:"disabled,omitempty"`
	Hostname      string   `json:"hostname,omitempty"`
	Preauth       string   `json:"preauth,omitempty"`
	Reject        string   `json:"reject,omitempty"`
	// AutologoutMS is the fixture's autologout in milliseconds, 0 for the
	// protocol's own.
	AutologoutMS int64 `json:"autologoutMs,omitempty"`
	// UIDLFormat is the fixture's POP3 UIDL format, "" for the default.
	UIDLFormat string `json:"uidlFormat,omitempty"`
}

// HostOptions returns the options for the host's terminal name.
func (l *Lesson) HostOptions(name string) HostOptions {
	o := HostOptions{APOPTimestamp: l.Fixture.APOPTimestamp, Hostname: l.Fixture.Hostname, AutologoutMS: l.autologout().Milliseconds(), UIDLFormat: l.Fixture.POP3UIDLFormat}
	if l.Commands != nil {
		o.Disabled = l.Commands.Hide
	}
	for _, g := range l.Fixture.Greetings {
		if g.Session == name {
			o.Preauth, o.Reject = g.Preauth, g.Reject
		}
	}
	return o
}
