// Package proto is the one registry of the lab's protocols. A protocol
// registers once, from its package's init: its name, its state machine, the
// listeners labserver opens for it, how to open a session and how to turn a
// connection away. labserver, the browser bridge, the lesson engine, labctl
// and the lesson schema all read this registry; nothing else lists the
// protocols. Importing maillab/sim/proto/all links every protocol in.
package proto

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"maillab/sim/event"
	"maillab/sim/fsm"
	"maillab/sim/mailstore"
	"maillab/sim/session"
)

// Session is one protocol session, ready to serve a connection.
type Session interface {
	// Serve runs the session on rw until it ends; how it ended is the
	// Trigger of its Close event.
	Serve(rw io.ReadWriter) error
	// State is the session's current state; safe from another goroutine.
	State() fsm.State
}

// Config is what a host sets on a session. Fields a protocol does not use
// are ignored by it.
type Config struct {
	Store     *mailstore.Store
	Events    event.Sink // nil: no events
	SessionID string     // copied into every Event.Session
	Hostname  string     // "": localhost
	Lang      string     // language of the explanations; "": English
	Log       *Logger
	Now       func() time.Time // nil: time.Now
	// Rand is where SASL's challenges and nonces come from (CRAM-MD5,
	// SCRAM); nil: crypto/rand.
	Rand io.Reader
	// Explain says Events reads explanations (the explain pane): the
	// Explain event after each response carries what it means. false:
	// the event comes without it and the session builds none, so a host
	// that logs or checks the lines pays nothing for the lab's teaching.
	Explain bool
	// Autologout is the inactivity timer; 0 leaves the protocol's RFC
	// minimum.
	Autologout time.Duration
	// StartTLS upgrades the connection after the session has answered
	// STLS/STARTTLS; nil: the command is not offered.
	StartTLS func(rw io.ReadWriter) (io.ReadWriter, error)
	TLS      bool     // the connection is already TLS
	Disabled []string // commands a lesson hides
	// Role is the listener's role for protocols that have several (SMTP:
	// "mta" on port 25, "msa" on 587); "": the protocol's first.
	Role string
	// ProcessID is the host's process id (sim code cannot ask for it); 0:
	// a random number drawn once per process.
	ProcessID int

	// Remote is the client's address as the host sees it,
	// "127.0.0.1:50522"; "" in the page. SMTP records it in Received.
	Remote string

	// Auth slows down and ends password guessing: a delay before each
	// failed login is answered, and how many failures close the
	// connection. Zero: no delay, the protocol's own limit.
	Auth session.Throttle

	// SMTP and LMTP.
	Domains []string // the mail domains delivered here; nil: the lab's
	Users   []string // the store users they reach; nil: every user
	// Relay is the lab's mail path (an smtp.Relay, a *mailpath.Lab): an
	// authenticated client's mail for the lab's other domains goes into
	// its queue. nil: refused, nothing leaves the lab.
	Relay any

	// POP3.
	APOPTimestamp string // pins the greeting's APOP timestamp
	UIDLFormat    string // as Dovecot's pop3_uidl_format; "": the default
	// Connection numbers the connection in a fresh APOP timestamp,
	// <process-ID.connection.clock@hostname>; 0: the process's own count.
	Connection uint64
	// NoFlagUpdates is Dovecot's pop3_no_flag_updates: RETR does not
	// mark a message \Seen. false: it does, at QUIT.
	NoFlagUpdates bool

	// IMAP.
	Preauth string // greet with PREAUTH as this user: transition (2)
	Reject  string // greet with BYE and this text: transition (3)
}

// Listener is one kind of listening socket labserver offers for a
// protocol, set by the flag -Flag.
type Listener struct {
	Flag string // the flag's name without the dash: "pop3s"
	// Addr is the default listen address; "" leaves the listener off
	// unless the flag turns it on.
	Addr string
	// TLS: TLS from the first byte (RFC 8314), not upgraded by a command.
	TLS  bool
	Role string // Config.Role of its sessions
	// Usage is the flag's help text; its first `quoted` word names the
	// flag's value, as flag.PrintDefaults shows it.
	Usage string
}

// Protocol is one registered protocol.
type Protocol struct {
	Name  string // "pop3": the page's ?proto=, a lesson's protocol:, event.Proto
	Title string // "POP3", as people write it
	// Port is the protocol's well-known port (POP3 110), which the page
	// shows beside the title, as `telnet localhost 110` would be typed.
	Port    int
	Machine *fsm.Machine
	// Tagged: the client puts a tag before each command and the server's
	// final answer repeats it (IMAP, RFC 3501 section 2.2.1); the page
	// numbers the commands it puts into the input line.
	Tagged bool
	// DotStuffed names the side that sends text ending with a line of one
	// "." and doubles a line's leading "." ("server": POP3's multi-line
	// answers, RFC 1939 section 3; "client": the message after SMTP's
	// DATA, RFC 5321 section 4.5.2; "": neither); the page's raw byte
	// view marks those dots.
	DotStuffed string
	// Commands lists every verb the session's command table knows.
	Commands []string
	// Refused lists verbs the session recognises only to refuse them in
	// every state (SMTP's SEND, SOML, SAML, TURN: the lecture teaches
	// them, today's servers answer 502).
	Refused []string
	// Statuses are the words a response starts with, as event.Status
	// carries them ("+OK", "-ERR"; "OK", "NO"...), and StatusPattern a
	// regular expression for those a list cannot hold (SMTP's codes): what
	// a lesson's response goal may name.
	Statuses      []string
	StatusPattern string
	// Listeners labserver offers, in the order its help lists them.
	Listeners []Listener
	// Open prepares a session; Serve runs it.
	Open func(Config) Session
	// Reject turns away a connection over labserver's -max-conns limit in
	// the protocol's own words ("try again later").
	Reject func(w io.ReadWriter) error
	// Order places the protocol in lists: POP3, IMAP, then the rest.
	Order int
}

var (
	mu       sync.RWMutex
	registry = map[string]*Protocol{}
)

// Register adds p to the registry; a protocol's init calls it. A second
// protocol of one name, or one without a machine or an Open, is a
// programming error and panics.
func Register(p *Protocol) {
	if p.Name == "" || p.Machine == nil || p.Open == nil {
		panic(fmt.Sprintf("proto: %q registered without a name, a machine or an Open", p.Name))
	}
	if p.Machine.Proto != p.Name {
		panic(fmt.Sprintf("proto: %s registered with the machine of %s", p.Name, p.Machine.Proto))
	}
	if err := p.Machine.Validate(); err != nil {
		panic(err)
	}
	if p.DotStuffed != "" && p.DotStuffed != "server" && p.DotStuffed != "client" {
		panic(fmt.Sprintf("proto: %s: DotStuffed is %q, not \"server\", \"client\" or \"\"", p.Name, p.DotStuffed))
	}
	mu.Lock()
	defer mu.Unlock()
	if _, dup := registry[p.Name]; dup {
		panic("proto: " + p.Name + " registered twice")
	}
	registry[p.Name] = p
}

// Get returns the protocol name.
func Get(name string) (*Protocol, bool) {
	mu.RLock()
	defer mu.RUnlock()
	p, ok := registry[name]
	return p, ok
}

// All lists the registered protocols in their Order, then by name.
func All() []*Protocol {
	mu.RLock()
	out := make([]*Protocol, 0, len(registry))
	for _, p := range registry {
		out = append(out, p)
	}
	mu.RUnlock()
	slices.SortFunc(out, func(a, b *Protocol) int {
		if a.Order != b.Order {
			return a.Order - b.Order
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return out
}

// Names lists the registered protocols' names, in All's order.
func Names() []string {
	var out []string
	for _, p := range All() {
		out = append(out, p.Name)
	}
	return out
}

// Machine returns the state machine of name, or nil.
func Machine(name string) *fsm.Machine {
	if p, ok := Get(name); ok {
		return p.Machine
	}
	return nil
}
