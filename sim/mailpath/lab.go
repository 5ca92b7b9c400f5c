package mailpath

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"maillab/sim/event"
	"maillab/sim/mailstore"
	"maillab/sim/proto"
	"maillab/sim/smtp"
)

// Options configure a Lab.
type Options struct {
	// Store holds every domain's mailboxes; users' names are unique in
	// the lab.
	Store *mailstore.Store
	Clock *Clock // nil: RealClock
	Lang  string // the language of bounces and explanations; "": English
	// Record keeps each hop's whole session transcript (Transcript.Events)
	// for the page to show; without it only the commands and replies.
	Record bool
	// Explain keeps, with Record, the server's explanations in the
	// transcripts too; without it the servers build none.
	Explain bool
	// Events, when set, is told every journey event as it happens. It
	// must not block, and must not call back into the Lab.
	Events func(Event)
	Log    *proto.Logger
	Seed   uint64 // for faults with a probability
}

// Lab is the running mail path of a topology.
type Lab struct {
	top    *Topology
	dns    *DNS
	store  *mailstore.Store
	clock  *Clock
	o      Options
	times  times
	faults *faults

	// mx lists, for each host, the domains with users it is an MX of
	// (from the topology: changing the DNS does not change what a host
	// accepts); lda the domain whose delivery agent a host is.
	mx  map[string][]*Domain
	lda map[string]*Domain

	mu    sync.Mutex // the queue and the hosts taken down
	down  map[string]bool
	queue []*entry

	logMu  sync.Mutex // what happened: events and transcripts
	events []Event
	seq    int
	hops   []*hop
	hopSeq int
}

// New starts the mail path of t over the store's accounts.
func New(t *Topology, o Options) (*Lab, error) {
	if o.Store == nil {
		return nil, fmt.Errorf("mailpath: no store")
	}
	if err := t.Check(o.Store); err != nil {
		return nil, err
	}
	if o.Clock == nil {
		o.Clock = RealClock()
	}
	tm, _ := t.Queue.times()
	l := &Lab{top: t, dns: NewDNS(t), store: o.Store, clock: o.Clock, o: o, times: tm,
		faults: newFaults(o.Seed), mx: map[string][]*Domain{}, lda: map[string]*Domain{}, down: map[string]bool{}}
	for i := range t.Domains {
		d := &t.Domains[i]
		if len(d.Users) == 0 {
			continue
		}
		for _, r := range d.MX {
			h := strings.ToLower(r.Host)
			l.mx[h] = append(l.mx[h], d)
		}
		l.lda[d.lda()] = d
	}
	for _, h := range t.Hosts {
		if h.Down {
			l.down[strings.ToLower(h.Name)] = true
		}
	}
	for _, f := range t.Faults {
		if err := l.faults.add(f); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// DNS is the lab's name service.
func (l *Lab) DNS() *DNS { return l.dns }

// Clock is the lab's time.
func (l *Lab) Clock() *Clock { return l.clock }

// Topology is what the lab was started with.
func (l *Lab) Topology() *Topology { return l.top }

// AddFault switches a fault rule on.
func (l *Lab) AddFault(f Fault) error { return l.faults.add(f) }

// ClearFaults switches every fault rule off.
func (l *Lab) ClearFaults() { l.faults.clear() }

// SetDown takes host down (connections to it time out) or up again.
func (l *Lab) SetDown(host string, down bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.down[strings.ToLower(host)] = down
}

func (l *Lab) isDown(host string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.down[host]
}

// Routes reports whether domain is one of the topology's: the path
// carries mail to it (an outside domain's mail waits in the queue).
func (l *Lab) Routes(domain string) bool { return l.top.domain(domain) != nil }

// Domain returns the names of the domain user belongs to, "" for none.
func (l *Lab) Domain(user string) string {
	if d := l.top.userDomain(user); d != nil {
		return d.Name
	}
	return ""
}

// MSAHost is the name of the MSA of user's domain (its MTA host), ""
// when user belongs to none of the topology's domains: an MSA serving
// several domains' users (labserver's submission port) calls itself so
// in the Received header of a user's mail (smtp.MSANamer).
func (l *Lab) MSAHost(user string) string {
	if d := l.top.userDomain(user); d != nil {
		return d.mta()
	}
	return ""
}

// DomainMSAHost is the name of domain's MSA, "" for a domain not in the
// topology.
func (l *Lab) DomainMSAHost(domain string) string {
	if d := l.top.domain(domain); d != nil {
		return d.mta()
	}
	return ""
}

// Submission is the options of domain's MSA (RFC 6409): the server a
// user of the domain submits to, which delivers mail for the domain's
// own users and queues the rest on the mail path. A host sets the
// session's connection fields (Events, SessionID, Remote, TLS...) and
// its Now: a session's clock also sets its connection's deadlines, so it
// must be real time where the connection has them.
func (l *Lab) Submission(domain string) (smtp.Options, error) {
	d := l.top.domain(domain)
	if d == nil {
		return smtp.Options{}, fmt.Errorf("mailpath: no domain %q", domain)
	}
	return smtp.Options{
		Store: l.store, Hostname: d.mta(), Lang: l.o.Lang, Role: smtp.RoleMSA,
		Domains: []string{d.Name}, Users: slices.Clone(d.Users), Aliases: aliasText(d), Relay: l,
	}, nil
}

// aliasText is d's alias table for a session: never "", which would mean
// the store's own.
func aliasText(d *Domain) string {
	if d.Aliases == "" {
		return "# no aliases\n"
	}
	return d.Aliases
}

// Queue takes a message a session accepted for the lab's other domains
// (smtp.Relay) and makes the first attempt to pass it on before
// returning, so the submitting client's 250 comes once the first attempt
// is over and a test sees its outcome at once.
func (l *Lab) Queue(m smtp.Outgoing) error {
	e := &entry{id: m.ID, from: m.From, msg: m.Msg, arrival: l.clock.Now(), busy: true,
		messageID: headerValue(m.Msg, "Message-ID"), ret: m.Ret, envID: m.EnvID}
	e.origin = l.top.domain(m.From.Domain)
	if ds := l.mx[m.Host]; len(ds) > 0 && m.User == "" {
		// An MX (or an LDA) forwarding what an alias sends elsewhere
		// sends it as its own domain's MTA.
		e.origin = ds[0]
	} else if d := l.lda[m.Host]; d != nil && m.User == "" {
		e.origin = d
	}
	if e.origin == nil || len(e.origin.Users) == 0 {
		e.origin = l.top.userDomain(m.User)
	}
	if e.origin == nil {
		e.origin = &l.top.Domains[0]
	}
	for i, p := range m.Rcpts {
		r := &rcptState{path: p}
		if i < len(m.Notify) {
			r.notify = m.Notify[i]
		}
		if i < len(m.ORcpt) {
			r.orcpt = m.ORcpt[i]
		}
		e.rcpts = append(e.rcpts, r)
	}
	if e.id == "" {
		e.id = l.newID()
	}
	l.mu.Lock()
	if len(l.queue) >= maxQueued {
		l.mu.Unlock()
		return fmt.Errorf("the queue is full (%d messages)", maxQueued)
	}
	l.queue = append(l.queue, e)
	l.mu.Unlock()
	l.emit(Event{Kind: Submitted, Queue: e.id, MessageID: e.messageID, Host: cmpOr(m.Host, e.origin.mta()),
		From: m.From.String(), Rcpts: e.addrs(), Header: header(m.Msg)})
	if n := countReceived(m.Msg); n > maxHopCount {
		// A forwarding loop (two domains' aliases naming each other):
		// bounced, as Postfix does past its hopcount_limit.
		for _, r := range e.rcpts {
			r.done, r.last = true, outcome{code: 554, enhanced: "5.4.6", text: fmt.Sprintf("too many hops (%d Received: headers): a mail forwarding loop", n)}
		}
		l.settle(e)
		return nil
	}
	l.attempt(e)
	return nil
}

// maxHopCount is how many Received: headers a message may carry before
// the path takes it for a loop (Postfix: hopcount_limit, 50).
const maxHopCount = 30

// countReceived counts the Received: fields of msg's header.
func countReceived(msg []byte) int {
	n := 0
	for _, line := range strings.Split(header(msg), "\r\n") {
		if len(line) > 9 && strings.EqualFold(line[:9], "received:") {
			n++
		}
	}
	return n
}

// maxHeaderShown is how much of a message's header an event carries.
const maxHeaderShown = 8 << 10

// header is msg's header, without the blank line, cut to maxHeaderShown.
func header(msg []byte) string {
	end := bytes.Index(msg, []byte("\r\n\r\n"))
	if end < 0 {
		end = len(msg)
	}
	return string(msg[:min(end, maxHeaderShown)])
}

func (l *Lab) newID() string { return smtp.QueueID(l.clock.Now()) }

// emit records a journey event and tells the host's sink.
func (l *Lab) emit(e Event) {
	l.logMu.Lock()
	l.seq++
	e.Seq = l.seq
	if e.At.IsZero() {
		e.At = l.clock.Now()
	}
	l.events = trim(append(l.events, e), maxEvents)
	sink := l.o.Events
	l.logMu.Unlock()
	if sink != nil {
		sink(e)
	}
}

// trim keeps the latest n to 2n elements of s: it drops the older half
// once s has grown to twice n, so keeping them costs no copy per element.
func trim[T any](s []T, n int) []T {
	if len(s) <= 2*n {
		return s
	}
	return append(make([]T, 0, 2*n), s[len(s)-n:]...)
}

// Events returns the journey events kept, oldest first; with queue set,
// only that message's (its bounce's events name it in Bounce).
func (l *Lab) Events(queue string) []Event {
	l.logMu.Lock()
	defer l.logMu.Unlock()
	var out []Event
	for _, e := range l.events {
		if queue == "" || e.Queue == queue {
			out = append(out, e)
		}
	}
	return out
}

// Hop returns the transcript of hop id.
func (l *Lab) Hop(id int) (Transcript, bool) {
	l.logMu.Lock()
	defer l.logMu.Unlock()
	for _, h := range l.hops {
		if h.t.ID == id {
			h.mu.Lock()
			defer h.mu.Unlock()
			c := h.t
			c.Steps, c.Events = slices.Clone(h.t.Steps), slices.Clone(h.t.Events)
			return c, true
		}
	}
	return Transcript{}, false
}

// newHop starts a transcript.
func (l *Lab) newHop(queue, proto, client, server, addr string) *hop {
	l.logMu.Lock()
	defer l.logMu.Unlock()
	l.hopSeq++
	h := &hop{t: Transcript{ID: l.hopSeq, Queue: queue, Proto: proto, Client: client, Server: server, Addr: addr, Start: l.clock.Now()}}
	l.hops = trim(append(l.hops, h), maxHops)
	return h
}

// record adds a step to a transcript.
func (l *Lab) record(h *hop, s Step) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.t.Steps = append(h.t.Steps, s)
}

// unreachable is why host cannot be connected to, "" when it can: its
// A record, whether it is up, whether a mail server runs there. A
// domain's LDA needs no A record: its MTAs know where it is, as an MTA
// knows its lmtp socket, without asking the DNS.
func (l *Lab) unreachable(host, addr string, lmtp bool) string {
	switch {
	case addr == "" && !lmtp:
		return fmt.Sprintf("Host or domain name not found. Name service error for name=%s type=A: Host not found", host)
	case l.isDown(host):
		return fmt.Sprintf("connect to %s[%s]:%d: Connection timed out", host, addr, port(lmtp))
	case lmtp && l.lda[host] == nil, !lmtp && len(l.mx[host]) == 0:
		return fmt.Sprintf("connect to %s[%s]:%d: Connection timed out", host, addr, port(lmtp))
	}
	return ""
}

func port(lmtp bool) int {
	if lmtp {
		return 24
	}
	return 25
}

// dial opens a session of server, as client, over an in-memory pipe:
// the lab's own SMTP (or LMTP) server, configured as that host, whose
// event stream is the hop's transcript.
func (l *Lab) dial(e *entry, client, server, addr string, lmtp bool) *conn {
	proto := "smtp"
	domains := l.mx[server]
	if lmtp {
		proto, domains = "lmtp", []*Domain{l.lda[server]}
	}
	t := l.newHop(e.id, proto, client, server, addr)
	l.emit(Event{Kind: Hop, Queue: e.id, MessageID: e.messageID, Host: client, Peer: server, Addr: addr, Proto: proto, Hop: t.t.ID})
	o := smtp.Options{Store: l.store, SessionID: fmt.Sprintf("hop-%d", t.t.ID), Hostname: server, Lang: l.o.Lang,
		Now: l.clock.Now, Role: smtp.RoleMTA, LMTP: lmtp, Fault: l.faults.forHost(server)}
	var aliases []string
	for _, d := range domains {
		o.Domains = append(o.Domains, d.Name)
		o.Users = append(o.Users, d.Users...)
		if d.Aliases != "" {
			aliases = append(aliases, d.Aliases)
		}
	}
	o.Aliases = aliasText(&Domain{Aliases: strings.Join(aliases, "\n")})
	if a := l.dns.LookupA(client); a != "" {
		if ip, err := netip.ParseAddr(a); err == nil {
			o.Remote = netip.AddrPortFrom(ip, 25).String()
		}
		o.RemoteName = l.dns.LookupPTR(a)
	} else {
		// A host without an A record: the Received header names it as
		// it said EHLO, on this machine.
		o.RemoteName = client
	}
	if l.o.Record {
		o.Explain = l.o.Explain
		o.Events = func(ev event.Event) {
			t.mu.Lock()
			defer t.mu.Unlock()
			if len(t.t.Events) < maxHopEvents {
				t.t.Events = append(t.t.Events, ev)
			}
		}
	}
	// An alias of the domain may name addresses in the lab's other
	// domains: those copies go back into the queue.
	o.Relay = l
	if !lmtp {
		o.Handoff = func(from smtp.Path, to []string, msg []byte) []*smtp.Reply {
			return l.lmtp(e, server, domains, from, to, msg)
		}
	}
	c1, c2 := net.Pipe()
	sess := smtp.NewSession(o)
	go func() {
		sess.Serve(noDeadline{c2})
		c2.Close()
	}()
	return newConn(c1, l, t)
}

// noDeadline hides the pipe's deadlines from the session: its autologout
// is set from the lab clock, which may be far from real time, and the
// lab's own client always ends the session.
type noDeadline struct{ io.ReadWriter }

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// LastSeq is the number of the latest event, 0 before the first: a
// lesson step looks at the events after it.
func (l *Lab) LastSeq() int {
	l.logMu.Lock()
	defer l.logMu.Unlock()
	return l.seq
}
