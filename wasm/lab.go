package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"maillab/sim/event"
	"maillab/sim/mailstore"
	"maillab/sim/proto"
)

// Lab is what the page talks to: one mail store shared by every terminal,
// and the sessions on it, one per terminal, each served over its own
// in-page connection (net.Pipe), so the bytes the page shows are exactly
// the bytes telnet would show.
//
// Nothing here may block a JavaScript callback: Open, Write and Close only
// start or signal goroutines; Deliver and Reset wait on the store (and so
// on IndexedDB) and the JS side runs them in a goroutine behind a Promise.
type Lab struct {
	mu        sync.Mutex
	store     *mailstore.Store
	users     []string // cached: Users is called from JS and must not wait for the store lock
	saver     *saver   // nil: the mailboxes live in memory only
	lang      string
	next      int
	conns     map[string]*conn
	resetting bool
	delivered int
	// path is the open lesson's mail path, nil without one: the page's
	// SMTP terminals are then its first domain's MSA (see journey.go).
	path *journey

	host Host
}

// Host is where a Lab's output goes: the page in the browser, a recorder
// in tests. Each func is called from a session's goroutines, in order for
// one session.
type Host struct {
	Output func(id string, b []byte)  // bytes the server sent
	Event  func(id string, ev []byte) // one event as JSON
	Closed func(id string)            // the connection ended; all its output was delivered
	Now    func() time.Time           // nil: time.Now
	Warn   func(message string)       // something the learner's console should say; nil: nothing
	// SaveAfter, when not nil, holds back writing to the disk until it is
	// closed (or Flush is called); the store serves from memory meanwhile.
	SaveAfter <-chan struct{}
	// Handed, when not nil, says that the tree the disk returns first is
	// not what is saved on it but what the first module handed over.
	Handed *Handover
	// RecordTapes: each session records its tape (tape.go), for Tapes to
	// hand over. The first module does.
	RecordTapes bool
}

// Handover is what the first module says of the tree it hands over
// (wasm/boot.go export): Reseed, that nothing complete was saved before
// (a first visit), so all of it is to be saved; else the paths Changed
// since the page read it, each saved as it is now or deleted.
type Handover struct {
	Reseed  bool
	Changed []string
}

// conn is one terminal's connection: the client end of the pipe, and the
// bytes typed but not yet taken by the server.
type conn struct {
	id     string
	proto  string
	client net.Conn
	typed  *queue
	done   chan struct{} // closed when the session has ended
	ended  chan struct{} // closed once the host was told the connection ended
	tape   *tape         // nil: the session draws from crypto/rand and reads the time
}

// ErrResetting is returned while the mailboxes are being reset.
var ErrResetting = errors.New("the mailboxes are being reset; try again in a moment")

// NewLab returns a Lab with no sessions on the store it serves from
// memory: the tree saved on disk when there is a complete one, otherwise
// the demo accounts, which are then saved in the background. The Lab
// never waits for the disk, except to say that a reset was saved.
func NewLab(disk Disk, host Host) (*Lab, error) {
	if host.Now == nil {
		host.Now = time.Now
	}
	if host.Warn == nil {
		host.Warn = func(string) {}
	}
	l := &Lab{host: host, lang: "en", conns: map[string]*conn{}}
	if disk == nil {
		st, err := buildStore(nil)
		if err != nil {
			return nil, err
		}
		l.setStore(st)
		return l, nil
	}
	l.saver = newSaver(disk, host.Warn, host.SaveAfter)
	saved, err := disk.Load()
	if err != nil {
		host.Warn("maillab: the saved mailboxes cannot be read; starting from the demo mailboxes: " + err.Error())
	}
	h := host.Handed
	st, err := l.saver.load(saved, h != nil && h.Reseed)
	if h != nil && st != nil {
		// What changed in the first module is saved, and at once: the
		// greeting was shown long ago.
		l.saver.mark(h.Changed...)
		l.saver.begin()
	}
	if err != nil {
		// A saved tree that no longer loads must not lock the learner out.
		host.Warn("maillab: starting from the demo mailboxes: " + err.Error())
	}
	if st == nil {
		if st, err = l.saver.seed(nil); err != nil {
			return nil, err
		}
	}
	l.setStore(st)
	return l, nil
}

// Flush waits until every change made so far is saved on disk.
func (l *Lab) Flush() error {
	if l.saver == nil {
		return nil
	}
	return l.saver.flush()
}

func (l *Lab) setStore(st *mailstore.Store) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.store = st
	l.users = st.Users()
	l.path = nil // a lesson's mail path comes with its store (setPath)
}

// Users lists the store's accounts.
func (l *Lab) Users() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.users...)
}

// SetLang sets the language of Explain texts for sessions opened from now on.
func (l *Lab) SetLang(lang string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lang = lang
}

// SessionOptions are what the page (and a lesson) may set for one session.
type SessionOptions struct {
	Lang          string   `json:"lang,omitempty"`          // "" : the Lab's language
	APOPTimestamp string   `json:"apopTimestamp,omitempty"` // POP3: pin the greeting's timestamp
	Disabled      []string `json:"disabled,omitempty"`      // commands hidden in a lesson
	Hostname      string   `json:"hostname,omitempty"`
	Preauth       string   `json:"preauth,omitempty"`      // IMAP: greet with PREAUTH as this user
	Reject        string   `json:"reject,omitempty"`       // IMAP: greet with BYE and this text
	AutologoutMS  int64    `json:"autologoutMs,omitempty"` // 0: the protocol's own timer
	UIDLFormat    string   `json:"uidlFormat,omitempty"`   // POP3: Dovecot's pop3_uidl_format; "": the default
	// ID names the session, "" for the next number: the page replays the
	// first module's sessions under their own ids (wasm/boot.go), Tape
	// what each drew there (Lab.Tapes).
	ID   string `json:"id,omitempty"`
	Tape string `json:"tape,omitempty"`
}

// autologout is the session's inactivity timer; 0 leaves the protocol's.
func (o SessionOptions) autologout() time.Duration {
	return time.Duration(o.AutologoutMS) * time.Millisecond
}

// Open connects a new session of the protocol named protoName ("pop3",
// "imap", ...) and returns its id.
func (l *Lab) Open(protoName string, o SessionOptions) (string, error) {
	p, ok := proto.Get(protoName)
	if !ok {
		return "", fmt.Errorf("unknown protocol %q: use %s", protoName, strings.Join(proto.Names(), ", "))
	}
	var tp *tape
	if o.Tape != "" {
		var err error
		if tp, err = playTape(o.Tape); err != nil {
			return "", err
		}
	} else if l.host.RecordTapes {
		tp = &tape{recording: true}
	}
	if tp != nil {
		tp.clock = l.host.Now
	}
	l.mu.Lock()
	if l.resetting {
		l.mu.Unlock()
		return "", ErrResetting
	}
	id := o.ID
	if id == "" {
		l.next++
		id = strconv.Itoa(l.next)
	} else if _, taken := l.conns[id]; taken {
		l.mu.Unlock()
		return "", fmt.Errorf("session %s is open already", id)
	} else if n, err := strconv.Atoi(id); err == nil && n > l.next {
		l.next = n
	}
	if o.Lang == "" {
		o.Lang = l.lang
	}
	store, path := l.store, l.path
	server, client := net.Pipe()
	c := &conn{id: id, proto: protoName, client: client, typed: newQueue(), done: make(chan struct{}), ended: make(chan struct{}), tape: tp}
	l.conns[id] = c
	l.mu.Unlock()

	// The page's explain pane reads the explanations.
	c0 := o.config(id, proto.Config{Store: store, Events: l.sink(id), Explain: true})
	if tp != nil {
		c0.Now, c0.Rand = tp.Now, tp
		// What a fresh APOP timestamp holds is the session's own as well:
		// a process id drawn from its tape, its number its id.
		var pid [4]byte
		tp.Read(pid[:])
		c0.ProcessID = 1 + int(binary.BigEndian.Uint32(pid[:])>>2)
		c0.Connection, _ = strconv.ParseUint(id, 10, 64)
	}
	if path != nil && protoName == "smtp" {
		path.submission(&c0)
	}
	sess := p.Open(c0)
	go func() {
		defer close(c.done)
		_ = sess.Serve(server) // how it ended is in the Close event
		server.Close()
	}()
	go l.pump(c)
	go c.feed()
	return id, nil
}

// sink hands each event to the host as JSON.
func (l *Lab) sink(id string) event.Sink {
	return func(e event.Event) {
		if l.host.Event != nil {
			l.host.Event(id, e.AppendJSON(nil))
		}
	}
}

// pump copies what the server writes to the host until the connection
// ends, then reports the end.
func (l *Lab) pump(c *conn) {
	buf := make([]byte, 32*1024)
	for {
		n, err := c.client.Read(buf)
		if n > 0 && l.host.Output != nil {
			l.host.Output(c.id, append([]byte(nil), buf[:n]...))
		}
		if err != nil {
			break
		}
	}
	c.client.Close()
	c.typed.close()
	<-c.done
	l.mu.Lock()
	delete(l.conns, c.id)
	l.mu.Unlock()
	if l.host.Closed != nil {
		l.host.Closed(c.id)
	}
	close(c.ended)
}

// feed writes what the learner typed into the pipe. A write on net.Pipe
// waits for the server to read, so it happens here, never in a callback.
func (c *conn) feed() {
	for {
		b, ok := c.typed.pop()
		if !ok {
			return
		}
		if _, err := c.client.Write(b); err != nil {
			return
		}
	}
}

func (l *Lab) conn(id string) (*conn, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, ok := l.conns[id]
	return c, ok
}

// Write sends bytes typed in terminal id to its server; it never blocks.
func (l *Lab) Write(id string, b []byte) error {
	c, ok := l.conn(id)
	if !ok {
		return fmt.Errorf("session %s is not connected", id)
	}
	c.typed.push(b)
	return nil
}

// Close drops session id's connection, as closing telnet would.
func (l *Lab) Close(id string) {
	if c, ok := l.conn(id); ok {
		c.client.Close()
	}
}

// Tapes gives the tape of each session open (Host.RecordTapes), by its
// id; a session whose tape was lost has none.
func (l *Lab) Tapes() map[string]string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]string{}
	for id, c := range l.conns {
		if c.tape == nil || !c.tape.recording {
			continue
		}
		if s := c.tape.String(); s != "" {
			out[id] = s
		}
	}
	return out
}

// closeAll drops every connection and waits until the host was told.
func (l *Lab) closeAll() {
	l.mu.Lock()
	var all []*conn
	for _, c := range l.conns {
		all = append(all, c)
	}
	l.mu.Unlock()
	for _, c := range all {
		c.client.Close()
		<-c.ended
	}
}

// Deliver puts a new message into user's INBOX, as a mail transfer agent
// would while sessions are open; it returns the message's UID.
func (l *Lab) Deliver(user string) (uint32, error) {
	l.mu.Lock()
	st := l.store
	l.delivered++
	n := l.delivered
	l.mu.Unlock()
	return st.Deliver(user, newMessage(user, n, l.host.Now()))
}

// Reset drops every connection and replaces the mailboxes with fixture
// (nil: the demo accounts), on disk too: it returns once that is saved.
func (l *Lab) Reset(fixture []byte) error {
	l.mu.Lock()
	if l.resetting {
		l.mu.Unlock()
		return ErrResetting
	}
	l.resetting = true
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		l.resetting = false
		l.mu.Unlock()
	}()
	l.closeAll()
	if l.saver == nil {
		st, err := buildStore(fixture)
		if err != nil {
			return err
		}
		l.setStore(st)
		return nil
	}
	st, err := l.saver.seed(fixture)
	if err != nil {
		return err
	}
	l.setStore(st)
	if err := l.saver.flush(); err != nil {
		return fmt.Errorf("saving the reset mailboxes: %w", err)
	}
	return nil
}

// newMessage writes the message "deliver" puts into a mailbox.
func newMessage(user string, n int, now time.Time) []byte {
	return []byte(fmt.Sprintf("Return-Path: <lab@localhost>\r\n"+
		"From: Mail Lab <lab@localhost>\r\n"+
		"To: %s@localhost\r\n"+
		"Subject: New message %d\r\n"+
		"Date: %s\r\n"+
		"Message-ID: <%d.%d@localhost>\r\n"+
		"MIME-Version: 1.0\r\n"+
		"Content-Type: text/plain; charset=us-ascii\r\n"+
		"\r\n"+
		"This message arrived while you were connected.\r\n"+
		"Look for it with STAT or LIST in POP3, or NOOP in IMAP.\r\n",
		user, n, now.Format(time.RFC1123Z), now.UnixNano(), n))
}

// queue holds bytes typed into one terminal until the pipe takes them;
// push never blocks.
type queue struct {
	mu     sync.Mutex
	items  [][]byte
	closed bool
	wake   chan struct{}
}

func newQueue() *queue { return &queue{wake: make(chan struct{}, 1)} }

func (q *queue) push(b []byte) {
	q.mu.Lock()
	if !q.closed {
		q.items = append(q.items, b)
	}
	q.mu.Unlock()
	q.signal()
}

func (q *queue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.signal()
}

// pop waits for the next item; ok is false once the queue is closed.
func (q *queue) pop() ([]byte, bool) {
	for {
		q.mu.Lock()
		if q.closed {
			q.mu.Unlock()
			return nil, false
		}
		if len(q.items) > 0 {
			b := q.items[0]
			q.items = q.items[1:]
			q.mu.Unlock()
			return b, true
		}
		q.mu.Unlock()
		<-q.wake
	}
}
