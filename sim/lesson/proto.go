package lesson

import (
	"io"
	"time"

	"maillab/sim/event"
	"maillab/sim/fsm"
	"maillab/sim/mailstore"
)

// Server is one protocol session as the engine drives it.
type Server interface {
	Serve(rw io.ReadWriter) error
	State() fsm.State
}

// SessionOptions are what the engine sets on every session it opens.
type SessionOptions struct {
	Store         *mailstore.Store
	Events        event.Sink
	SessionID     string
	Hostname      string
	Lang          string
	Now           func() time.Time
	Disabled      []string
	APOPTimestamp string
	UIDLFormat    string        // POP3: as Dovecot's pop3_uidl_format; "" for the default
	Autologout    time.Duration // 0: the protocol's default
	Preauth       string        // IMAP: greet with PREAUTH as this user
	Reject        string        // IMAP: greet with BYE and this text
}

// Protocol binds a protocol name to its state machine and sessions.
type Protocol struct {
	Machine *fsm.Machine
	Open    func(SessionOptions) Server
}

var protocols = map[string]Protocol{}

// register is called by the protocol bindings at init.
func register(name string, p Protocol) { protocols[name] = p }

// Machine returns the state machine of proto, or nil.
func Machine(proto string) *fsm.Machine { return protocols[proto].Machine }
