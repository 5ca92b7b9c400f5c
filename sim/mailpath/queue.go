package mailpath

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"maillab/sim/smtp"
)

// entry is one message in the queue.
type entry struct {
	id, messageID string
	from          smtp.Path
	origin        *Domain // whose MTA sends it
	host          string  // the server that reports on it, when not origin's MTA (Bounce)
	msg           []byte
	arrival, next time.Time
	attempts      int
	warned        bool
	busy          bool // an attempt is under way
	rcpts         []*rcptState
	ret, envID    string // RFC 3461 RET and ENVID
}

// rcptState is one recipient's fate so far.
type rcptState struct {
	path   smtp.Path
	notify []string // RFC 3461 NOTIFY; none: the default, FAILURE and DELAY
	orcpt  string
	done   bool // delivered, relayed or bounced: nothing more to do
	last   outcome
}

// outcome is the last answer about a recipient: an SMTP reply from
// Remote in reply to Command, or a failure to connect (Code 0).
type outcome struct {
	code     int
	enhanced string
	text     string
	remote   string
	command  string
	expired  bool // the queue's lifetime passed; text is the last answer
}

// reporter is the server that writes e's delivery status notifications.
func (e *entry) reporter() string {
	if e.host != "" {
		return e.host
	}
	return e.origin.mta()
}

func (o outcome) temporary() bool { return o.code == 0 || o.code/100 == 4 }

func fromReply(r *smtp.Reply, remote, command string) outcome {
	return outcome{code: r.Code, enhanced: r.Enhanced, text: r.Text(), remote: remote, command: command}
}

func (e *entry) addrs() []string {
	var out []string
	for _, r := range e.rcpts {
		out = append(out, r.path.Mailbox())
	}
	return out
}

// pending are the recipients still to be tried.
func (e *entry) pending() []*rcptState {
	var out []*rcptState
	for _, r := range e.rcpts {
		if !r.done {
			out = append(out, r)
		}
	}
	return out
}

// attempt tries every pending recipient once: its own domain's over
// LMTP to the LDA, others' over SMTP to their MX hosts in order of
// preference; then settles what is left.
func (l *Lab) attempt(e *entry) {
	e.attempts++
	byDomain := map[string][]*rcptState{}
	var order []string
	for _, r := range e.pending() {
		d := strings.ToLower(r.path.Domain)
		if _, ok := byDomain[d]; !ok {
			order = append(order, d)
		}
		byDomain[d] = append(byDomain[d], r)
	}
	for _, d := range order {
		if strings.EqualFold(d, e.origin.Name) && len(e.origin.Users) > 0 {
			l.deliverLocal(e, byDomain[d])
			continue
		}
		l.sendRemote(e, d, byDomain[d])
	}
	l.settle(e)
}

// deliverLocal hands the sender's own domain's copies to its LDA
// (lecture step 3: mail for the system's own domain goes straight to
// local delivery).
func (l *Lab) deliverLocal(e *entry, rs []*rcptState) {
	var to []string
	for _, r := range rs {
		to = append(to, r.path.Mailbox())
	}
	replies := l.lmtp(e, e.origin.mta(), []*Domain{e.origin}, e.from, to, e.msg)
	for i, r := range rs {
		r.last = fromReply(replies[i], e.origin.lda(), "RCPT TO")
		r.done = replies[i].Positive() || !r.last.temporary()
	}
}

// sendRemote passes copies for domain to its MX hosts, trying the next
// one while a host cannot be reached or refuses the session at its
// greeting (RFC 5321 section 5.1).
func (l *Lab) sendRemote(e *entry, domain string, rs []*rcptState) {
	client := e.origin.mta()
	mxs, ok := l.dns.LookupMX(domain)
	l.emit(Event{Kind: Lookup, Queue: e.id, MessageID: e.messageID, Host: client, Domain: domain, Records: mxs})
	if !ok || len(mxs) == 0 {
		o := outcome{code: 550, enhanced: "5.4.4", text: fmt.Sprintf("Host or domain name not found. Name service error for name=%s type=MX: Host not found", domain)}
		for _, r := range rs {
			r.last, r.done = o, true
		}
		return
	}
	last := outcome{enhanced: "4.4.1"}
	for _, mx := range mxs {
		addr := l.dns.LookupA(mx.Host)
		if why := l.unreachable(mx.Host, addr, false); why != "" {
			l.emit(Event{Kind: Unreachable, Queue: e.id, MessageID: e.messageID, Host: client, Peer: mx.Host, Addr: addr, Text: why})
			last = outcome{enhanced: "4.4.1", text: why, remote: mx.Host}
			continue
		}
		if o, next := l.transfer(e, client, mx.Host, addr, rs); next {
			last = o
			continue
		}
		return
	}
	for _, r := range rs {
		r.last = last
	}
}

// transfer runs one SMTP session with an MX host. next reports a session
// refused at its greeting: the next MX is tried.
func (l *Lab) transfer(e *entry, client, host, addr string, rs []*rcptState) (o outcome, next bool) {
	c := l.dial(e, client, host, addr, false)
	defer c.quit()
	if r := c.read("CONNECT"); !r.Positive() {
		return fromReply(r, host, "CONNECT"), true
	}
	fail := func(r *smtp.Reply, cmd string, which []*rcptState) {
		for _, rc := range which {
			rc.last = fromReply(r, host, cmd)
			rc.done = !rc.last.temporary()
		}
	}
	if r := c.cmd("EHLO " + client); !r.Positive() {
		fail(r, "EHLO", rs)
		return
	}
	mail := "MAIL FROM:" + e.from.String()
	utf8 := utf8Path(e.from)
	for _, r := range rs {
		utf8 = utf8 || utf8Path(r.path)
	}
	if utf8 {
		mail += " SMTPUTF8"
	}
	if r := c.cmd(mail); !r.Positive() {
		fail(r, "MAIL FROM", rs)
		return
	}
	var accepted []*rcptState
	for _, rc := range rs {
		r := c.cmd("RCPT TO:" + rc.path.String())
		if !r.Positive() {
			fail(r, "RCPT TO", []*rcptState{rc})
			continue
		}
		accepted = append(accepted, rc)
	}
	if len(accepted) == 0 {
		return
	}
	if r := c.cmd("DATA"); r.Code != 354 {
		fail(r, "DATA", accepted)
		return
	}
	if err := c.data(e.msg); err != nil {
		fail(broken("DATA"), "end of DATA", accepted)
		return
	}
	r := c.read(".")
	if !r.Positive() {
		fail(r, "end of DATA", accepted)
		return
	}
	for _, rc := range accepted {
		rc.last, rc.done = fromReply(r, host, "end of DATA"), true
		l.emit(Event{Kind: Relayed, Queue: e.id, MessageID: e.messageID, Host: client, Peer: host, Rcpt: rc.path.Mailbox(),
			Code: r.Code, Enhanced: r.Enhanced, Text: r.Text()})
	}
	return
}

// lmtp hands a message to the LDA of domains over LMTP, as client (an
// MX host, or the sending MTA for its own domain): one reply per address
// of to, in order (RFC 2033 section 4.2).
func (l *Lab) lmtp(e *entry, client string, domains []*Domain, from smtp.Path, to []string, msg []byte) []*smtp.Reply {
	replies := make([]*smtp.Reply, len(to))
	fill := func(r *smtp.Reply) {
		for i := range replies {
			if replies[i] == nil {
				replies[i] = r
			}
		}
	}
	if len(domains) == 0 || domains[0] == nil {
		fill(&smtp.Reply{Code: 451, Enhanced: "4.3.0", Lines: []string{"no delivery agent"}})
		return replies
	}
	host := domains[0].lda()
	addr := l.dns.LookupA(host)
	if why := l.unreachable(host, addr, true); why != "" {
		l.emit(Event{Kind: Unreachable, Queue: e.id, MessageID: e.messageID, Host: client, Peer: host, Addr: addr, Text: why})
		fill(&smtp.Reply{Code: 451, Enhanced: "4.4.1", Lines: []string{why}})
		return replies
	}
	c := l.dial(e, client, host, addr, true)
	defer c.quit()
	if r := c.read("CONNECT"); !r.Positive() {
		fill(r)
		return replies
	}
	if r := c.cmd("LHLO " + client); !r.Positive() {
		fill(r)
		return replies
	}
	if r := c.cmd("MAIL FROM:" + from.String()); !r.Positive() {
		fill(r)
		return replies
	}
	var accepted []int
	for i, a := range to {
		if r := c.cmd("RCPT TO:<" + a + ">"); !r.Positive() {
			replies[i] = r
			continue
		}
		accepted = append(accepted, i)
	}
	if len(accepted) == 0 {
		return replies
	}
	if r := c.cmd("DATA"); r.Code != 354 {
		fill(r)
		return replies
	}
	if err := c.data(msg); err != nil {
		fill(broken("DATA"))
		return replies
	}
	for _, i := range accepted {
		r := c.read(".")
		replies[i] = r
		if r.Positive() {
			user, _, _ := strings.Cut(to[i], "@")
			l.emit(Event{Kind: Delivered, Queue: e.id, MessageID: e.messageID, Host: host, Peer: client, Rcpt: to[i], User: user,
				Code: r.Code, Enhanced: r.Enhanced, Text: r.Text(), Header: header(msg)})
		}
	}
	return replies
}

// settle decides what becomes of the recipients after an attempt:
// delivered ones leave the queue, permanent failures and those past the
// queue's lifetime bounce, the rest wait for the next try.
func (l *Lab) settle(e *entry) {
	now := l.clock.Now()
	var failed, waiting []*rcptState
	for _, r := range e.rcpts {
		switch {
		case r.done && r.last.code/100 == 2:
		case r.done:
			failed = append(failed, r)
		case now.Sub(e.arrival) >= l.times.lifetime:
			r.done = true
			r.last.code, r.last.enhanced, r.last.expired = 0, "4.4.7", true
			failed = append(failed, r)
		default:
			waiting = append(waiting, r)
		}
	}
	if len(waiting) > 0 {
		wait := l.times.retry << min(e.attempts-1, 20)
		e.next = now.Add(min(wait, l.times.maxRetry))
		for _, r := range waiting {
			l.emit(Event{Kind: Deferred, Queue: e.id, MessageID: e.messageID, Host: e.origin.mta(), Peer: r.last.remote,
				Rcpt: r.path.Mailbox(), Code: r.last.code, Enhanced: r.last.enhanced, Text: r.last.text, Next: e.next})
		}
		if !e.warned && l.times.warn > 0 && now.Sub(e.arrival) >= l.times.warn {
			e.warned = true
			warn := wanting(waiting, "DELAY")
			id := l.notify(e, warn, false)
			for _, r := range warn {
				l.emit(Event{Kind: Delayed, Queue: e.id, MessageID: e.messageID, Host: e.origin.mta(), Rcpt: r.path.Mailbox(), Bounce: id})
			}
		}
	}
	if len(failed) > 0 {
		for _, r := range failed {
			r.last.enhanced = cmpOr(r.last.enhanced, "5.0.0")
		}
		id := l.notify(e, wanting(failed, "FAILURE"), true)
		for _, r := range failed {
			l.emit(Event{Kind: Bounced, Queue: e.id, MessageID: e.messageID, Host: e.origin.mta(), Peer: r.last.remote,
				Rcpt: r.path.Mailbox(), Code: r.last.code, Enhanced: r.last.enhanced, Text: r.last.text, Command: r.last.command, Bounce: id})
		}
	}
	l.mu.Lock()
	e.busy = false
	if len(waiting) == 0 {
		l.queue = slices.DeleteFunc(l.queue, func(x *entry) bool { return x == e })
	}
	l.mu.Unlock()
}

// wanting are the recipients whose NOTIFY asks for a notice of kind
// (RFC 3461 section 4.1): all but NEVER when none was given.
func wanting(rs []*rcptState, kind string) []*rcptState {
	var out []*rcptState
	for _, r := range rs {
		if len(r.notify) == 0 || slices.ContainsFunc(r.notify, func(n string) bool { return strings.EqualFold(n, kind) }) {
			out = append(out, r)
		}
	}
	return out
}

// notify sends the sender a delivery status notification about rs:
// failed, or delayed; it returns the notice's queue ID, "" when none is
// sent (a bounce is never bounced, RFC 5321 section 4.5.5).
func (l *Lab) notify(e *entry, rs []*rcptState, failed bool) string {
	if e.from.Null || len(rs) == 0 {
		return ""
	}
	msg, err := l.dsn(e, rs, failed)
	if err != nil {
		if l.o.Log != nil {
			l.o.Log.Error("mailpath: building a delivery status notification", "err", err)
		}
		return ""
	}
	id := l.newID()
	b := &entry{id: id, from: smtp.Path{Null: true}, msg: msg, arrival: l.clock.Now(), busy: true, origin: e.origin,
		messageID: headerValue(msg, "Message-ID"), rcpts: []*rcptState{{path: e.from}}}
	if d := l.top.domain(e.from.Domain); d != nil && len(d.Users) > 0 {
		b.origin = d
	}
	l.mu.Lock()
	l.queue = append(l.queue, b)
	l.mu.Unlock()
	l.emit(Event{Kind: Submitted, Queue: id, MessageID: b.messageID, Host: b.origin.mta(), From: "<>", Rcpts: b.addrs()})
	l.attempt(b)
	return id
}

// Bounce returns a message a session took to its sender for the
// recipients whose copies failed for good after the 250 (a full
// mailbox), why holding each refusal (smtp.Bouncer): Postfix answers
// 250 and then bounces what Dovecot's LMTP refuses at the end of DATA,
// and so does the lab's MTA. It returns the bounce's queue ID, "" when
// none is sent.
func (l *Lab) Bounce(m smtp.Outgoing, why []*smtp.Reply) string {
	// The server that took the message reports on it, by the name it
	// gave itself (Postfix's Reporting-MTA is its myhostname).
	e := &entry{id: m.ID, from: m.From, msg: m.Msg, arrival: l.clock.Now(), ret: m.Ret, envID: m.EnvID,
		messageID: headerValue(m.Msg, "Message-ID"), host: strings.ToLower(m.Host)}
	if e.id == "" {
		e.id = l.newID()
	}
	// The bounce goes out from the domain of that server: the MSA's
	// user's, the MX's, or the recipient's.
	e.origin = l.top.userDomain(m.User)
	if ds := l.mx[m.Host]; e.origin == nil && len(ds) > 0 {
		e.origin = ds[0]
	}
	for i, p := range m.Rcpts {
		if e.origin == nil {
			e.origin = l.top.domain(p.Domain)
		}
		r := &rcptState{path: p, done: true, last: outcome{code: 451, enhanced: "4.3.0", command: "end of DATA", remote: m.Host}}
		if i < len(why) && why[i] != nil {
			r.last.code, r.last.enhanced, r.last.text = why[i].Code, why[i].Enhanced, why[i].Text()
		}
		// The copy was refused by the domain's LDA.
		if d := l.top.domain(p.Domain); d != nil && len(d.Users) > 0 {
			r.last.remote = d.lda()
		}
		if i < len(m.Notify) {
			r.notify = m.Notify[i]
		}
		if i < len(m.ORcpt) {
			r.orcpt = m.ORcpt[i]
		}
		e.rcpts = append(e.rcpts, r)
	}
	if e.origin == nil {
		e.origin = l.top.domain(m.From.Domain)
	}
	if e.origin == nil {
		e.origin = &l.top.Domains[0]
	}
	id := l.notify(e, wanting(e.rcpts, "FAILURE"), true)
	for _, r := range e.rcpts {
		l.emit(Event{Kind: Bounced, Queue: e.id, MessageID: e.messageID, Host: e.reporter(), Peer: r.last.remote,
			Rcpt: r.path.Mailbox(), Code: r.last.code, Enhanced: r.last.enhanced, Text: r.last.text, Command: r.last.command, Bounce: id})
	}
	return id
}

// RunDue makes an attempt for every queued message whose retry time has
// come in lab time; it returns how many it tried. A host calls it as
// time passes (labserver every second; the page after stepping the
// clock).
func (l *Lab) RunDue() int {
	now := l.clock.Now()
	l.mu.Lock()
	var due []*entry
	for _, e := range l.queue {
		if !e.busy && !e.next.After(now) {
			e.busy = true
			due = append(due, e)
		}
	}
	l.mu.Unlock()
	for _, e := range due {
		l.attempt(e)
	}
	return len(due)
}

// Step moves lab time on by d and runs what has come due, as often as
// retries fall within d, so a test or the page can jump hours ahead.
func (l *Lab) Step(d time.Duration) {
	end := l.clock.Now().Add(d)
	for {
		next, ok := l.nextTry()
		if !ok || next.After(end) {
			break
		}
		if now := l.clock.Now(); next.After(now) {
			l.clock.Advance(next.Sub(now))
		}
		l.RunDue()
	}
	if now := l.clock.Now(); end.After(now) {
		l.clock.Advance(end.Sub(now))
	}
}

func (l *Lab) nextTry() (time.Time, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var t time.Time
	for _, e := range l.queue {
		if !e.busy && (t.IsZero() || e.next.Before(t)) {
			t = e.next
		}
	}
	return t, !t.IsZero()
}

// Queued is one message waiting in the queue, as mailq lists it.
type Queued struct {
	ID       string    `json:"id"`
	From     string    `json:"from"`
	Rcpts    []string  `json:"rcpts"`
	Arrival  time.Time `json:"arrival"`
	Next     time.Time `json:"next"`
	Attempts int       `json:"attempts"`
	Reason   string    `json:"reason"` // the last answer
}

// Queued lists the messages waiting, oldest first. A message being
// tried right now is listed with its ID and sender only: the attempt
// owns the rest until it is over.
func (l *Lab) Queued() []Queued {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []Queued
	for _, e := range l.queue {
		q := Queued{ID: e.id, From: e.from.String(), Arrival: e.arrival}
		if e.busy {
			out = append(out, q)
			continue
		}
		q.Next, q.Attempts = e.next, e.attempts
		for _, r := range e.pending() {
			q.Rcpts = append(q.Rcpts, r.path.Mailbox())
			q.Reason = cmpOr(q.Reason, r.last.text)
		}
		out = append(out, q)
	}
	return out
}
