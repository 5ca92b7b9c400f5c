package lesson

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"maillab/sim/event"
	"maillab/sim/fsm"
	"maillab/sim/mailpath"
	"maillab/sim/mailstore"
	"maillab/sim/proto"
	"maillab/sim/smtp"
)

// Options configure an Engine.
type Options struct {
	Lang string // "en" (default), "ru", "sk"
	// OnChange is called after progress changes (a step done, a hint
	// shown). It runs on a session goroutine and must not block.
	OnChange func()
	// Events, when set, also receives every event of every session, tagged
	// with the session id, e.g. for a terminal or a diagram.
	Events event.Sink
	// Explain says Events reads explanations (an explain pane): the
	// sessions the engine opens build them. The goals never read them;
	// an Explain event without them still ends a response.
	Explain bool

	// until, when above 0, stops the fixture's clients and deliveries from
	// step until on: Reset's replay of the steps before it.
	until int
}

// StepProgress is what a learner did on one step.
type StepProgress struct {
	Done          bool         `json:"done"`
	HintsShown    int          `json:"hints_shown"`
	SolutionShown bool         `json:"solution_shown"`    // shown, not solved: Done only comes from goals
	Answers       map[int]bool `json:"answers,omitempty"` // question index → answered correctly
}

// Progress is a learner's progress through one lesson, kept by hosts
// (localStorage in the browser) and restored with Restore.
type Progress struct {
	Lesson   string         `json:"lesson"`
	Step     int            `json:"step"` // 0-based current step
	Steps    []StepProgress `json:"steps"`
	Finished bool           `json:"finished"`
}

// GoalStatus is one goal of the current step: what it asks for, as an
// item of a checklist, and why it is not met yet.
type GoalStatus struct {
	Label  string `json:"label"`
	Met    bool   `json:"met"`
	Reason string `json:"reason,omitempty"`
}

// Engine plays one lesson: it owns the fixture store, opens sessions,
// watches their events and checks the current step's goals as events
// arrive. Every method is safe for concurrent use.
type Engine struct {
	mu        sync.Mutex
	cond      *sync.Cond
	l         *Lesson
	lang      string
	opt       Options
	store     *mailstore.Store
	prog      Progress
	sessions  map[string]*session
	current   string
	conns     int
	events    []tagged // recent events of every session, oldest first
	seq       int      // number of the last event
	stepStart int      // the first event number of the current step
	path      MailPath
	pathTo    *pathOwner // the engine the path's events go to
	pathStart int        // the mail path's last event number before the step
	actors    sync.WaitGroup
	resetting bool         // Reset is closing the sessions: their ends complete nothing
	running   atomic.Int32 // the fixture's clients and deliveries still at work
}

type tagged struct {
	seq   int
	sess  *session
	name  string
	actor bool
	ev    event.Event
}

// session is what the engine knows of one connection.
type session struct {
	name, id, proto string
	actor           bool
	conn            *pipeEnd
	srv             Server
	state           string
	closed          bool
	user            string
	loginUIDs       []uint32     // POP3: the maildrop as numbered at login
	marked          map[int]bool // POP3: message numbers marked by DELE
	pendingArg      string
	readOnly        bool // IMAP: the selected mailbox was opened with EXAMINE
	lastSeq         int
	since           int // the event number when it connected
	literal         int // IMAP: octets of a literal still to send
}

// New builds the lesson's store and returns an engine at its first step.
func New(l *Lesson, o Options) (*Engine, error) {
	if o.Lang == "" {
		o.Lang = "en"
	}
	st, err := l.BuildStore()
	if err != nil {
		return nil, err
	}
	e := &Engine{l: l, lang: o.Lang, opt: o, store: st, sessions: map[string]*session{}, current: "main"}
	e.cond = sync.NewCond(&e.mu)
	if len(l.Fixture.Domains) > 0 {
		if OpenMailPath == nil {
			return nil, fmt.Errorf("lesson %s has mail domains, and this build has no mail path (import maillab/sim/lesson/withmailpath)", l.ID)
		}
		top := l.Fixture.Topology
		e.pathTo = &pathOwner{e: e}
		to := e.pathTo
		e.path, err = OpenMailPath(&top, st, l.clock(), o.Lang, func() { to.get().pathEvent() })
		if err != nil {
			return nil, err
		}
	}
	e.prog = Progress{Lesson: l.ID, Steps: make([]StepProgress, len(l.Steps))}
	e.startStep(0)
	return e, nil
}

// MailPath is a lesson's running mail path, as the engine uses it.
type MailPath interface {
	// Relay is what the learner's SMTP session queues mail for other
	// domains into (an smtp.Relay).
	Relay() any
	// LastSeq, Events, Hop, Step and Queued are mailpath.Lab's.
	LastSeq() int
	// Now is the path's lab time.
	Now() time.Time
	Step(d time.Duration)
	Queued() []mailpath.Queued
	Events(queue string) []mailpath.Event
	Hop(id int) (mailpath.Transcript, bool)
}

// OpenMailPath starts the mail path of a lesson's fixture over its
// store, on a clock stopped at start, telling onEvent of every step a
// message takes. A build links it in by importing
// maillab/sim/lesson/withmailpath (labctl, labserver and the page do); without it a lesson with
// domains does not open, and the simulator is smaller by the mail path.
var OpenMailPath func(top *mailpath.Topology, store *mailstore.Store, start time.Time, lang string, onEvent func()) (MailPath, error)

// MailPath is the lesson's mail path, nil when its fixture has no
// domains: the page shows its journey and steps its clock.
func (e *Engine) MailPath() MailPath { return e.path }

// pathOwner is the engine a mail path reports to: the one that opened
// it, or the one whose Reset took it over from the replay of the steps
// before.
type pathOwner struct {
	mu sync.Mutex
	e  *Engine
}

func (o *pathOwner) get() *Engine {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.e
}

func (o *pathOwner) set(e *Engine) {
	o.mu.Lock()
	o.e = e
	o.mu.Unlock()
}

// pathEvent checks the current step when something happens on the mail
// path.
func (e *Engine) pathEvent() {
	e.mu.Lock()
	changed := e.evaluateLocked()
	e.cond.Broadcast()
	e.mu.Unlock()
	if changed && e.opt.OnChange != nil {
		e.opt.OnChange()
	}
}

// markStep notes where the step's events start.
func (e *Engine) markStep() {
	e.stepStart = e.seq + 1
	if e.path != nil {
		e.pathStart = e.path.LastSeq()
	}
}

// Lesson is the lesson being played.
func (e *Engine) Lesson() *Lesson { return e.l }

// Store is the lesson's mail store; hosts give it to sessions they open.
func (e *Engine) Store() *mailstore.Store { return e.store }

// SetLang switches the language of reasons and explanations.
func (e *Engine) SetLang(lang string) {
	e.mu.Lock()
	e.lang = lang
	e.mu.Unlock()
}

// Close drops every session.
func (e *Engine) Close() {
	e.mu.Lock()
	var conns []*pipeEnd
	for _, s := range e.sessions {
		if s.conn != nil {
			conns = append(conns, s.conn)
		}
	}
	e.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

// Options returns the options for a session named name that a host opens
// itself; its events then reach the engine through the returned Sink.
func (e *Engine) Options(name string, actor bool, proto string) SessionOptions {
	e.mu.Lock()
	defer e.mu.Unlock()
	if proto == "" {
		proto = e.l.Protocol
	}
	e.conns++
	id := fmt.Sprintf("%s#%d", name, e.conns)
	s := &session{name: name, id: id, proto: proto, actor: actor, marked: map[int]bool{}}
	e.sessions[name] = s
	var hide []string
	if e.l.Commands != nil {
		hide = e.l.Commands.Hide
	}
	now := e.l.clock()
	var preauth, reject, role string
	for _, g := range e.l.Fixture.Greetings {
		if g.Session == name {
			preauth, reject = g.Preauth, g.Reject
		}
	}
	if slices.Contains(e.l.Fixture.Submission, name) && !actor {
		role = smtp.RoleMSA
	}
	o := SessionOptions{
		Preauth: preauth, Reject: reject, Role: role,
		Store: e.store, SessionID: id, Hostname: e.l.Fixture.Hostname, Lang: e.lang,
		Now: func() time.Time { return now }, Disabled: hide,
		APOPTimestamp: e.l.Fixture.APOPTimestamp,
		UIDLFormat:    e.l.Fixture.POP3UIDLFormat,
		Autologout:    e.l.autologout(),
		Events:        func(ev event.Event) { e.observe(s, ev) },
		Explain:       e.opt.Events != nil && e.opt.Explain,
	}
	if e.path != nil && proto == "smtp" {
		// The learner submits to the first domain's MSA; mail for the
		// other domains goes into the path's queue.
		d := &e.l.Fixture.Domains[0]
		o.Role, o.Domains, o.Users, o.Relay = smtp.RoleMSA, []string{d.Name}, d.Users, e.path.Relay()
		if o.Hostname == "" {
			o.Hostname = d.MTAHost()
		}
	}
	return o
}

// Connect opens a session named name (replacing a closed one of that name)
// and returns the client's end of its connection: what is written to it
// is what the learner typed, what is read is what telnet would show.
func (e *Engine) Connect(name string) (io.ReadWriteCloser, error) {
	return e.connect(name, false, "")
}

// ConnectProto is Connect to a server of another protocol than the
// lesson's, e.g. POP3 beside an SMTP lesson to fetch what was sent.
func (e *Engine) ConnectProto(name, protoName string) (io.ReadWriteCloser, error) {
	return e.connect(name, false, protoName)
}

func (e *Engine) connect(name string, actor bool, protoName string) (*pipeEnd, error) {
	e.mu.Lock()
	if s, ok := e.sessions[name]; ok && !s.closed {
		e.mu.Unlock()
		return nil, fmt.Errorf("session %q is already connected", name)
	}
	e.mu.Unlock()
	o := e.Options(name, actor, protoName)
	if protoName == "" {
		protoName = e.l.Protocol
	}
	p, ok := proto.Get(protoName)
	if !ok {
		return nil, fmt.Errorf("no protocol %q", protoName)
	}
	client, server := newPipe(e.l.clock())
	srv := p.Open(o)
	e.mu.Lock()
	s := e.sessions[name]
	s.since = e.seq
	s.conn, s.srv = client, srv
	e.current = name
	if actor {
		e.current = "main"
	}
	e.mu.Unlock()
	go func() {
		srv.Serve(server)
		server.Close()
		e.mu.Lock()
		if !s.closed {
			s.closed = true
			e.cond.Broadcast()
		}
		e.mu.Unlock()
	}()
	return client, nil
}

// Drop cuts session name's connection without QUIT or LOGOUT, as a broken
// network would.
func (e *Engine) Drop(name string) error {
	e.mu.Lock()
	s, ok := e.sessions[name]
	var conn *pipeEnd
	if ok {
		conn = s.conn
	}
	e.mu.Unlock()
	if conn == nil {
		return fmt.Errorf("no session %q", name)
	}
	conn.Close()
	return e.waitClosed(s)
}

func (e *Engine) waitClosed(s *session) error {
	deadline := time.Now().Add(replyTimeout)
	e.mu.Lock()
	defer e.mu.Unlock()
	for !s.closed {
		if time.Now().After(deadline) {
			return errors.New("the session did not end")
		}
		e.timedWait()
	}
	return nil
}

// maxEvents bounds the events kept; a step's goals look at its own.
const maxEvents = 20000

// replyTimeout bounds how long a scripted client waits for an answer.
var replyTimeout = 5 * time.Second

// timedWait waits on cond but wakes at least every 50ms, so deadlines are
// noticed. Called with mu held.
func (e *Engine) timedWait() {
	t := time.AfterFunc(50*time.Millisecond, func() {
		e.mu.Lock()
		e.cond.Broadcast()
		e.mu.Unlock()
	})
	e.cond.Wait()
	t.Stop()
}

// Current is the name of the session lines go to by default.
func (e *Engine) Current() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.current
}

// Use makes name the current session.
func (e *Engine) Use(name string) {
	e.mu.Lock()
	e.current = name
	e.mu.Unlock()
}

// Conn returns session name's client end, or nil.
func (e *Engine) Conn(name string) io.ReadWriteCloser {
	e.mu.Lock()
	defer e.mu.Unlock()
	if s, ok := e.sessions[name]; ok && s.conn != nil && !s.closed {
		return s.conn
	}
	return nil
}

// Connected reports whether session name is open.
func (e *Engine) Connected(name string) bool { return e.Conn(name) != nil }

// observe takes one event of session s: it updates what the engine knows
// of the session and checks the current step.
func (e *Engine) observe(s *session, ev event.Event) {
	if ev.Session == "" {
		ev.Session = s.id
	}
	if ev.Proto == "" {
		ev.Proto = s.proto
	}
	if e.opt.Events != nil {
		e.opt.Events(ev)
	}
	e.mu.Lock()
	e.seq++
	s.lastSeq = e.seq
	if ev.State != "" {
		s.state = ev.State
	}
	e.track(s, ev)
	e.events = append(e.events, tagged{seq: e.seq, sess: s, name: s.name, actor: s.actor, ev: ev})
	if len(e.events) > maxEvents {
		e.events = append(e.events[:0:0], e.events[len(e.events)-maxEvents/2:]...)
	}
	if ev.Kind == event.Close {
		s.closed = true
	}
	changed := e.evaluateLocked()
	e.cond.Broadcast()
	e.mu.Unlock()
	if changed && e.opt.OnChange != nil {
		e.opt.OnChange()
	}
}

// track follows login, DELE/RSET and SELECT/EXAMINE so "not yet" reasons
// can say what the learner's session holds that the store does not show.
func (e *Engine) track(s *session, ev event.Event) {
	switch ev.Kind {
	case event.Client:
		words := strings.Fields(ev.Line)
		if ev.Tag != "" && len(words) > 0 {
			words = words[1:]
		}
		switch ev.Command {
		case "USER", "APOP", "LOGIN":
			if len(words) > 1 {
				s.user = strings.Trim(words[1], `"`)
			}
		case "DELE":
			if len(words) > 1 {
				s.pendingArg = words[1]
			}
		}
	case event.Server:
		switch {
		case ev.Command == "DELE" && ev.Status == "+OK":
			if n, err := strconv.Atoi(s.pendingArg); err == nil {
				s.marked[n] = true
			}
		case ev.Command == "RSET" && ev.Status == "+OK":
			s.marked = map[int]bool{}
		case ev.Command == "EXAMINE" && ev.Status == "OK":
			s.readOnly = true
		case ev.Command == "SELECT" && ev.Status == "OK":
			s.readOnly = false
		}
	case event.Transition:
		if s.proto == "pop3" && ev.To == "transaction" {
			s.marked = map[int]bool{}
			s.loginUIDs = nil
			if u, ok := e.store.User(s.user); ok {
				if mb, err := u.Mailbox(mailstore.Inbox); err == nil {
					s.loginUIDs = mb.UIDs()
				}
			}
		}
	}
}

// evaluateLocked checks the current step and advances when it is done.
// It reports whether progress changed.
func (e *Engine) evaluateLocked() bool {
	if e.prog.Finished || e.resetting {
		return false
	}
	i := e.prog.Step
	st := &e.l.Steps[i]
	if len(st.Goals) == 0 || !e.allMetLocked(st.Goals) {
		return false
	}
	e.completeLocked(i)
	return true
}

func (e *Engine) allMetLocked(goals []Goal) bool {
	for i := range goals {
		if ok, _ := e.check(&goals[i]); !ok {
			return false
		}
	}
	return true
}

// completeLocked marks step i done and moves to the next step.
func (e *Engine) completeLocked(i int) {
	e.prog.Steps[i].Done = true
	if i+1 >= len(e.l.Steps) {
		e.prog.Finished = true
		return
	}
	e.prog.Step = i + 1
	e.markStep()
	e.startStep(i + 1)
}

// startStep runs what the fixture schedules for step i: other clients
// connecting and messages arriving. It runs them in the background; Settle
// waits for them.
func (e *Engine) startStep(i int) {
	if e.opt.until > 0 && i >= e.opt.until {
		return
	}
	for _, a := range e.l.Fixture.Sessions {
		if a.AtStep == i+1 {
			e.actors.Add(1)
			e.running.Add(1)
			go func() {
				defer e.actors.Done()
				defer e.running.Add(-1)
				e.runActor(a)
			}()
		}
	}
	for _, d := range e.l.Fixture.Deliveries {
		if d.AtStep == i+1 {
			e.actors.Add(1)
			e.running.Add(1)
			go func() {
				defer e.actors.Done()
				defer e.running.Add(-1)
				e.store.Deliver(d.User, d.Message.bytes(e.l.clock()))
			}()
		}
	}
}

// runActor plays another client's script. An actor already connected
// (named again at a later step) goes on in its open session.
func (e *Engine) runActor(a Actor) {
	if !e.Connected(a.Name) {
		c, err := e.connect(a.Name, true, a.Protocol)
		if err != nil {
			return
		}
		go io.Copy(io.Discard, c)
		if e.AwaitReply(a.Name, 0) != nil {
			return
		}
	}
	for _, line := range a.Script {
		if strings.HasPrefix(line, ":drop") {
			e.Drop(a.Name)
			return
		}
		if e.Send(a.Name, line) != nil {
			return
		}
	}
}

// Settle waits until the other clients the fixture scheduled have done
// their scripts.
func (e *Engine) Settle() { e.actors.Wait() }

// Send writes line to session name and waits for its answer.
func (e *Engine) Send(name, line string) error {
	e.mu.Lock()
	s, ok := e.sessions[name]
	var since int
	var conn *pipeEnd
	if ok && !s.closed {
		since, conn = e.seq, s.conn
	}
	e.mu.Unlock()
	if conn == nil {
		return fmt.Errorf("session %q is not connected", name)
	}
	if _, err := io.WriteString(conn, line+"\r\n"); err != nil {
		return fmt.Errorf("session %q: %w", name, err)
	}
	if e.inLiteral(s, line) {
		return nil
	}
	return e.AwaitReply(name, since)
}

var literalRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{(\d+)(\+?)\}$`) })

// inLiteral follows IMAP literals (RFC 3501 section 4.3) in the lines a
// scripted client sends: the octets of a literal get no answer, so the
// client must not wait for one; a line announcing a synchronizing literal
// {n} waits for the continuation request, {n+} does not.
func (e *Engine) inLiteral(s *session, line string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if s.literal > 0 {
		rest := s.literal - len(line)
		s.literal = 0
		if rest < 2 {
			// The literal ended within this line; its CRLF ends the
			// command, which will be answered.
			return false
		}
		s.literal = rest - 2
		return true
	}
	m := literalRE().FindStringSubmatch(line)
	if s.proto != "imap" || m == nil {
		return false
	}
	s.literal, _ = strconv.Atoi(m[1])
	return m[2] == "+"
}

// AwaitReply waits until session name has answered after event number
// since: an explanation (a complete response), a continuation request or
// the end of the session. since 0 waits for the greeting.
func (e *Engine) AwaitReply(name string, since int) error {
	deadline := time.Now().Add(replyTimeout)
	e.mu.Lock()
	defer e.mu.Unlock()
	for {
		s := e.sessions[name]
		if s == nil {
			return fmt.Errorf("no session %q", name)
		}
		if e.replied(s, max(since, s.since)) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("session %q: no answer within %v", name, replyTimeout)
		}
		e.timedWait()
	}
}

func (e *Engine) replied(s *session, since int) bool {
	if s.closed {
		return true
	}
	// After QUIT or LOGOUT the session's last word is its closing; wait
	// for it, so a following :connect does not find it still open. Such a
	// state is one that allows no command and is not quiet.
	m := Machine(s.proto)
	if st := fsm.State(s.state); m != nil && st != fsm.Start && len(m.Commands[st]) == 0 && !m.IsQuiet(st) {
		return false
	}
	if s.proto == "imap" {
		return e.imapReplied(s, since)
	}
	for i := len(e.events) - 1; i >= 0 && e.events[i].seq > since; i-- {
		t := e.events[i]
		if t.sess != s {
			continue
		}
		switch {
		case t.ev.Kind == event.Explain, t.ev.Kind == event.Close:
			return true
		case t.ev.Kind == event.Server && t.ev.Status == "+":
			return true
		case t.ev.Kind == event.Client && m != nil && m.IsQuiet(fsm.State(t.ev.State)) && t.ev.Line != ".":
			// A line of SMTP's DATA: nothing answers it until the dot,
			// which is answered once the message is taken.
			return true
		}
	}
	return false
}

// imapReplied: an IMAP command is answered by its tagged response, a
// continuation request, or an untagged BAD for a line without a tag
// (RFC 3501 section 7.1.3). Untagged data before it (an unsolicited FETCH
// after STORE, say) is explained on its own, so an Explain event does not
// end the answer; the previous command's explanation may even arrive after
// this command was written. The greeting is an untagged OK, PREAUTH or BYE
// before any command.
func (e *Engine) imapReplied(s *session, since int) bool {
	sent := false
	for i := len(e.events) - 1; i >= 0 && e.events[i].seq > since; i-- {
		if t := e.events[i]; t.sess == s && t.ev.Kind == event.Client {
			sent = true
			break
		}
	}
	for i := len(e.events) - 1; i >= 0 && e.events[i].seq > since; i-- {
		t := e.events[i]
		if t.sess != s {
			continue
		}
		ev := t.ev
		switch {
		case ev.Kind == event.Close:
			return true
		case ev.Kind == event.Server && !sent && ev.Tag == "" && (ev.Status == "OK" || ev.Status == "PREAUTH" || ev.Status == "BYE"):
			return true // the greeting
		case ev.Kind == event.Server && (ev.Tag != "" || ev.Status == "+" || ev.Status == "BAD"):
			return true
		}
	}
	return false
}

// Run performs one line of a solution: a lab action (":connect",
// ":drop", ":use") or a client line sent to the current session.
func (e *Engine) Run(line string) error {
	if strings.HasPrefix(line, ":") {
		verb, name, protoName, err := parseAction(line)
		if err != nil {
			return err
		}
		switch verb {
		case "connect":
			if e.Connected(name) {
				e.Use(name)
				return nil
			}
			c, err := e.connect(name, false, protoName)
			if err != nil {
				return err
			}
			go io.Copy(io.Discard, c)
			return e.AwaitReply(name, 0)
		case "drop":
			return e.Drop(name)
		case "use":
			e.Use(name)
		case "wait":
			d, _ := ParseWait(name)
			return e.Wait(d)
		}
		return nil
	}
	return e.Send(e.Current(), line)
}

// Wait lets d of lab time pass on the lesson's mail path: the queue
// retries what falls due in it, in order, before Wait returns.
func (e *Engine) Wait(d time.Duration) error {
	if e.path == nil {
		return errors.New("this lesson has no mail path: :wait lets its queue's time pass")
	}
	e.path.Step(d)
	return nil
}

// Queue lists the messages waiting in the mail path's queue, as mailq
// does; nil without a mail path.
func (e *Engine) Queue() []mailpath.Queued {
	if e.path == nil {
		return nil
	}
	return e.path.Queued()
}

// Now is the lesson's time: the mail path's clock, which :wait moves
// on, or the fixture's clock.
func (e *Engine) Now() time.Time {
	if e.path != nil {
		return e.path.Now()
	}
	return e.l.clock()
}

// Progress returns a copy of the learner's progress.
func (e *Engine) Progress() Progress {
	e.mu.Lock()
	defer e.mu.Unlock()
	p := e.prog
	p.Steps = make([]StepProgress, len(e.prog.Steps))
	for i, s := range e.prog.Steps {
		p.Steps[i] = s
		if s.Answers != nil {
			p.Steps[i].Answers = map[int]bool{}
			for k, v := range s.Answers {
				p.Steps[i].Answers[k] = v
			}
		}
	}
	return p
}

// Restore puts back saved progress (for the same lesson); the current
// step's goals are then checked against what happens from now on.
func (e *Engine) Restore(p Progress) error {
	if p.Lesson != e.l.ID || len(p.Steps) != len(e.l.Steps) || p.Step < 0 || p.Step >= len(e.l.Steps) {
		return errors.New("saved progress does not belong to this lesson")
	}
	e.mu.Lock()
	e.prog = p
	e.markStep()
	e.mu.Unlock()
	return nil
}

// GoTo makes step i (0-based) the current one, for links that open a
// lesson at a given step.
func (e *Engine) GoTo(i int) error {
	if i < 0 || i >= len(e.l.Steps) {
		return fmt.Errorf("step %d: the lesson has steps 1 to %d", i+1, len(e.l.Steps))
	}
	e.mu.Lock()
	e.prog.Step = i
	e.prog.Finished = false
	e.markStep()
	e.mu.Unlock()
	e.startStep(i)
	return nil
}

// Goals reports each goal of the current step, with a reason for the
// unmet ones in the engine's language.
func (e *Engine) Goals() []GoalStatus {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := &e.l.Steps[e.prog.Step]
	out := make([]GoalStatus, len(st.Goals))
	for i := range st.Goals {
		ok, why := e.check(&st.Goals[i])
		out[i] = GoalStatus{Label: e.label(&st.Goals[i]), Met: ok || e.prog.Steps[e.prog.Step].Done, Reason: why}
		if out[i].Met {
			out[i].Reason = ""
		}
	}
	return out
}

// Hint returns the next hint of the current step and counts it shown; ok
// is false when every hint has been shown.
func (e *Engine) Hint() (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	i := e.prog.Step
	st := &e.l.Steps[i]
	n := e.prog.Steps[i].HintsShown
	if n >= len(st.Hints) {
		return "", false
	}
	e.prog.Steps[i].HintsShown++
	return st.Hints[n].In(e.lang), true
}

// Solution returns the current step's reference solution and records that
// it was shown. Showing it does not mark the step done.
func (e *Engine) Solution() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	i := e.prog.Step
	e.prog.Steps[i].SolutionShown = true
	return append([]string(nil), e.l.Steps[i].Solution...)
}
