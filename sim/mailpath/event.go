package mailpath

import (
	"sync"
	"time"

	"maillab/sim/event"
)

// Kind says what an Event records. The journey view draws a message's
// way from them: Submitted at the MSA, then for each attempt the DNS
// answer, each connection and session (Hop), and the fate of each
// recipient: Relayed to an MX, Delivered into a mailbox, Deferred with
// the next try, Bounced with a notification to the sender.
type Kind string

const (
	// Submitted: a server (Host) took the message into the queue (Queue
	// ID, From, Rcpts: the envelope); MessageID is its Message-ID header,
	// Header its whole header then (From:, To:, the Received: chain so
	// far), so envelope and header can be shown side by side.
	Submitted Kind = "submitted"
	// Lookup: the sending MTA (Host) asked the DNS for Domain's MX
	// records (Records, by priority; none and Code 0 for NXDOMAIN).
	Lookup Kind = "lookup"
	// Unreachable: Host could not connect to Peer (Addr): down, no A
	// record, or no mail server there (Text says which).
	Unreachable Kind = "unreachable"
	// Hop: Host opened a session to Peer over Proto (smtp or lmtp);
	// Hop is its number for Lab.Hop. Code is its last reply.
	Hop Kind = "hop"
	// Relayed: Peer, an MTA of the recipient's domain, accepted Rcpt
	// from Host (Code, the reply after the message).
	Relayed Kind = "relayed"
	// Delivered: the LDA (Host) put Rcpt's copy into User's INBOX;
	// Header is the header the LDA was given (its own Return-Path and
	// Received come on top).
	Delivered Kind = "delivered"
	// Deferred: Rcpt stays queued after a temporary failure (Code, Text);
	// Next is the next attempt, in lab time.
	Deferred Kind = "deferred"
	// Bounced: Rcpt failed for good (Code, Text); a delivery status
	// notification goes to From, Queue being the bounce's own ID in
	// Bounce.
	Bounced Kind = "bounced"
	// Delayed: the sender is told Rcpt is still queued after the warning
	// time (Bounce is the notice's queue ID).
	Delayed Kind = "delayed"
)

// Event is one step of a message's journey.
type Event struct {
	Seq       int       `json:"seq"`
	At        time.Time `json:"at"` // lab time
	Kind      Kind      `json:"kind"`
	Queue     string    `json:"queue"` // the queue ID of the message
	MessageID string    `json:"messageId,omitempty"`
	Host      string    `json:"host,omitempty"` // the host acting
	Peer      string    `json:"peer,omitempty"` // the host it talks to
	Addr      string    `json:"addr,omitempty"` // Peer's address
	Proto     string    `json:"proto,omitempty"`
	Hop       int       `json:"hop,omitempty"`
	Domain    string    `json:"domain,omitempty"`
	Records   []MX      `json:"records,omitempty"`
	From      string    `json:"from,omitempty"` // the envelope's reverse-path, "<>" for a bounce
	Rcpts     []string  `json:"rcpts,omitempty"`
	Rcpt      string    `json:"rcpt,omitempty"`
	User      string    `json:"user,omitempty"`
	Code      int       `json:"code,omitempty"`
	Enhanced  string    `json:"enhanced,omitempty"`
	Text      string    `json:"text,omitempty"` // the reply's text, or why
	Command   string    `json:"command,omitempty"`
	Next      time.Time `json:"next,omitzero"`
	Bounce    string    `json:"bounce,omitempty"`
	Header    string    `json:"header,omitempty"`
}

// Transcript is one hop's session: who talked to whom, over which
// protocol, each command with the reply it got, and, when the lab
// records, the server session's whole event stream, as the terminal
// would show it (read-only).
type Transcript struct {
	ID     int           `json:"id"`
	Queue  string        `json:"queue"`
	Proto  string        `json:"proto"` // "smtp" or "lmtp"
	Client string        `json:"client"`
	Server string        `json:"server"`
	Addr   string        `json:"addr"`
	Start  time.Time     `json:"start"`
	Steps  []Step        `json:"steps"`
	Events []event.Event `json:"events,omitempty"`
}

// hop is a transcript being written: Steps and Events grow while the
// hop runs.
type hop struct {
	mu sync.Mutex
	t  Transcript
}

// Step is one command of a hop and its reply.
type Step struct {
	Command  string `json:"command"` // "EHLO smtp.example.org", "." for the message's end
	Code     int    `json:"code"`
	Enhanced string `json:"enhanced,omitempty"`
	Text     string `json:"text"`
}

// Limits on what the lab keeps: the latest events and hops, so a
// long-running labserver does not grow.
const (
	maxEvents      = 4096
	maxHops        = 512
	maxHopEvents   = 2048
	maxQueued      = 10000
	maxBounceQuote = 64 << 10
)
