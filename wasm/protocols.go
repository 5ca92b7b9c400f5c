package main

import (
	"io"
	"maps"
	"slices"
	"strconv"

	"maillab/sim/event"
	"maillab/sim/fsm"
	"maillab/sim/imap"
	"maillab/sim/mailstore"
	"maillab/sim/pop3"
)

// sessionConfig is what every protocol's session is built from.
type sessionConfig struct {
	SessionOptions
	ID     string
	Store  *mailstore.Store
	Events event.Sink
}

// server is a session ready to serve one connection.
type server interface {
	Serve(rw io.ReadWriter) error
}

// protocol is one protocol the page can open a terminal to.
type protocol struct {
	machine *fsm.Machine
	open    func(c sessionConfig) server
}

// protocols lists what the lab serves, by the name the page uses.
var protocols = map[string]protocol{
	"pop3": {machine: pop3.Machine, open: openPOP3},
	"imap": {machine: imap.Machine, open: openIMAP},
}

func openPOP3(c sessionConfig) server {
	return pop3.NewSession(pop3.Options{
		Store:         c.Store,
		Events:        c.Events,
		SessionID:     c.ID,
		Hostname:      c.Hostname,
		Lang:          c.Lang,
		Disabled:      c.Disabled,
		APOPTimestamp: c.APOPTimestamp,
		Autologout:    c.autologout(),
		UIDLFormat:    c.UIDLFormat,
	})
}

// openIMAP gives a lesson's greeting (PREAUTH or BYE) and hidden commands
// to the session, as the lesson engine does for its own sessions.
func openIMAP(c sessionConfig) server {
	return imap.NewSession(imap.Options{
		Store:      c.Store,
		Events:     c.Events,
		SessionID:  c.ID,
		Hostname:   c.Hostname,
		Lang:       c.Lang,
		Disabled:   c.Disabled,
		Preauth:    c.Preauth,
		Reject:     c.Reject,
		Autologout: c.autologout(),
	})
}

// machinesJSON is every protocol's state machine, for the page to draw:
// {"pop3": {...}, "imap": {...}}, put together by hand, as the page waits
// for it at its start (see fsm.Machine.MarshalJSON).
func machinesJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, name := range slices.Sorted(maps.Keys(protocols)) {
		m, err := protocols[name].machine.MarshalJSON()
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, name)
		b = append(b, ':')
		b = append(b, m...)
	}
	return append(b, '}'), nil
}
