package smtp

import (
	"bytes"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"sync/atomic"
	"time"

	"maillab/sim/mailstore"
)

// Protocol is the Received header's "with" keyword (RFC 5321 section
// 4.4, RFC 3848): SMTP after HELO, ESMTP after EHLO, LMTP; an "S" when TLS
// protected the transfer, an "A" when the client authenticated: ESMTPS,
// ESMTPA, ESMTPSA, LMTPS, LMTPA, LMTPSA.
func Protocol(lmtp, extended, tls, auth bool) string {
	p := "SMTP"
	switch {
	case lmtp:
		p = "LMTP"
	case extended:
		p = "ESMTP"
	}
	if p == "SMTP" {
		return p // RFC 3848 defines no SMTPS or SMTPA: they need EHLO
	}
	if tls {
		p += "S"
	}
	if auth {
		p += "A"
	}
	return p
}

// Trace is what a server records about one transfer in the Received
// header it puts at the top of the message (RFC 5321 section 4.4).
type Trace struct {
	Helo       string // the name the client gave in HELO, EHLO or LHLO
	ClientHost string // the client's name found by reverse DNS; "" writes "unknown"
	ClientIP   string // "192.0.2.1", or "IPv6:2001:db8::1"
	Hostname   string // this server
	Protocol   string // see Protocol
	ID         string // the queue ID the 250 reply names
	For        string // the one recipient of this copy, or ""
	Date       time.Time
}

// maxHeaderLine is RFC 5322 section 2.1.1's recommended line length; the
// header is folded before a clause that would pass it.
const maxHeaderLine = 78

// Received renders the header with its CRLF, folded at clause
// boundaries as Postfix folds it:
//
//	Received: from client.example (client.example [192.0.2.1])
//		by mx.example.org with ESMTP id 4A1B2C3D4E
//		for <melanie@example.org>; Tue, 9 Jul 1996 11:13:57 +0200 (CEST)
//
// The "for" clause names one recipient only: naming them all would show
// every recipient the Bcc of others (RFC 5321 section 7.2).
func (t Trace) Received() string {
	host := t.ClientHost
	if host == "" {
		host = "unknown"
	}
	clauses := []string{
		fmt.Sprintf("from %s (%s [%s])", t.Helo, host, t.ClientIP),
		"by " + t.Hostname,
		"with " + t.Protocol,
		"id " + t.ID,
	}
	if t.For != "" {
		clauses = append(clauses, "for <"+t.For+">;")
	} else {
		clauses[len(clauses)-1] += ";"
	}
	clauses = append(clauses, t.Date.Format("Mon, 2 Jan 2006 15:04:05 -0700 (MST)"))
	return fold("Received:", clauses)
}

// fold joins clauses after name on lines of at most maxHeaderLine
// characters where it can, each continuation line starting with a tab
// (RFC 5322 section 2.2.3).
func fold(name string, clauses []string) string {
	var b strings.Builder
	line := name
	for i, c := range clauses {
		switch {
		case i == 0:
			line += " " + c
		case len(line)+1+len(c) > maxHeaderLine || strings.HasPrefix(c, "by ") || strings.HasPrefix(c, "for "):
			// "by" and "for" start a line, as in Postfix's header
			b.WriteString(line + "\r\n")
			line = "\t" + c
		default:
			line += " " + c
		}
	}
	b.WriteString(line + "\r\n")
	return b.String()
}

// ReturnPath is the header the final delivery adds with the envelope's
// reverse-path (RFC 5321 section 4.4): "Return-Path: <sender>", or
// "Return-Path: <>" for a bounce.
func ReturnPath(p Path) string { return "Return-Path: " + p.String() + "\r\n" }

// Mailer delivers accepted messages into the store.
type Mailer struct {
	Store *mailstore.Store
	// Now is the clock for the Received header; nil means time.Now.
	Now func() time.Time
	// NewID returns a queue ID; nil means a Postfix-like one.
	NewID func() string
	// Relay takes the copies for recipients in the lab's other domains
	// (Recipient.Relayed); nil: there are none.
	Relay Relay
	// Handoff, when set, passes local copies to the domain's delivery
	// agent instead of writing them into the store: an MTA handing mail
	// to its LDA over LMTP (RFC 2033). It gets the message with this
	// hop's Received on top and the addresses of the users it reaches,
	// and returns one reply per address, in order.
	Handoff func(from Path, to []string, msg []byte) []*Reply
	// Host is this server's name, for Outgoing.Host; User the
	// authenticated client, for Outgoing.User.
	Host, User string
	// Bounce returns the copies that fail for good after the message
	// was taken (a full mailbox) to the sender through Relay, when it
	// is a Bouncer: an MTA in front of its LDA answers 250 and bounces
	// what the LDA refuses, as Postfix does with Dovecot's LMTP. Off
	// for LMTP, whose client gets each refusal itself.
	Bounce bool
}

// Relay is the lab's mail path as a session sees it (package mailpath
// implements it): it carries mail to the lab's other domains, over
// SMTP sessions of the lab's own MTAs.
type Relay interface {
	// Routes reports whether the path carries mail for domain (lower
	// case).
	Routes(domain string) bool
	// Queue takes a message into the path's queue; the error refuses it
	// (the client is answered 451 and tries again).
	Queue(m Outgoing) error
}

// Bouncer is a Relay that returns mail to its sender: the mail path
// sends the delivery status notification (RFC 3464) for m's Rcpts, why
// holding the reply that refused each, and returns the notice's queue
// ID ("" when none is sent: the null sender, NOTIFY=NEVER).
type Bouncer interface {
	Bounce(m Outgoing, why []*Reply) string
}

// MSANamer is a Relay that knows each user's MSA: the mail path names
// the MSA of the user's domain, "" for a user of none of its domains.
type MSANamer interface {
	MSAHost(user string) string
}

// Outgoing is a message a session hands to the mail path.
type Outgoing struct {
	ID    string // the queue ID the session's 250 reply names
	From  Path   // the reverse-path; Null for a bounce
	Rcpts []Path
	Msg   []byte // the message with this hop's Received header on top
	Host  string // the server that accepted it
	User  string // the authenticated client, "" for none
	// What the client asked of delivery status notifications (RFC 3461):
	// RET and ENVID from MAIL; NOTIFY and ORCPT for each of Rcpts.
	Ret, EnvID string
	Notify     [][]string
	ORcpt      []string
}

// Result is the fate of one recipient.
type Result struct {
	Recipient Recipient
	// Delivered lists the store users that got a copy, Forwarded the
	// addresses elsewhere (the lab does not send mail out; it notes them).
	Delivered []string
	Forwarded []string
	// UIDs are the new messages' UIDs in the users' INBOXes.
	UIDs []uint32
	// Queued says the mail path took the copy for another domain.
	Queued bool
	// Err is why a copy could not be stored.
	Err error
	// Reply is this recipient's LMTP reply (RFC 2033 section 4.2).
	Reply *Reply
	// Bounced says the copy failed for good (Err) after the message was
	// taken, and a bounce went back to the sender (Mailer.Bounce).
	Bounced bool
}

// Delivery is the outcome of one message.
type Delivery struct {
	ID string
	// BounceID is the queue ID of the bounce about the Bounced
	// recipients, "" when none was sent.
	BounceID string
	Results  []Result // one per recipient, in RCPT order
	// HeaderFrom is the address of the message's From: field, "" if it
	// has none that parses.
	HeaderFrom string
}

var idCounter atomic.Uint32

// newID makes a queue ID in the style of Postfix's short IDs:
// upper-case hexadecimal, from the clock and a counter.
func (m *Mailer) newID(now time.Time) string {
	if m.NewID != nil {
		return m.NewID()
	}
	return QueueID(now)
}

// QueueID makes a new queue ID, unique in the process whatever made it
// (a session, or the mail path's queue for a bounce).
func QueueID(now time.Time) string {
	return fmt.Sprintf("%08X%02X", uint32(now.UnixMicro()), idCounter.Add(1)&0xff)
}

// Deliver puts one message into the mailbox of every recipient's
// targets, each copy with its own Return-Path and Received header (the
// "for" clause names that recipient). A user reached through several
// recipients (an alias and the user's own address) gets one copy, as
// Postfix removes duplicates. msg is the message as received, lines ended
// by CRLF.
func (m *Mailer) Deliver(env *Envelope, msg []byte, t Trace) *Delivery {
	now := time.Now()
	if m.Now != nil {
		now = m.Now()
	}
	d := &Delivery{ID: m.newID(now), HeaderFrom: headerFrom(msg)}
	t.ID, t.Date = d.ID, now
	done := map[string]uint32{}
	var relayed, handed []int // indexes into d.Results
	for _, rc := range env.Rcpts {
		res := Result{Recipient: rc}
		switch {
		case rc.Relayed:
			relayed = append(relayed, len(d.Results))
			d.Results = append(d.Results, res)
			continue
		case m.Handoff != nil:
			handed = append(handed, len(d.Results))
			d.Results = append(d.Results, res)
			continue
		}
		for _, tg := range rc.Targets {
			if tg.Address != "" {
				res.Forwarded = append(res.Forwarded, tg.Address)
				continue
			}
			if uid, ok := done[tg.User]; ok {
				res.Delivered, res.UIDs = append(res.Delivered, tg.User), append(res.UIDs, uid)
				continue
			}
			t.For = rc.Path.Mailbox()
			uid, err := m.deliverOne(tg.User, env.From, t, msg)
			if err != nil {
				res.Err = err
				continue
			}
			done[tg.User] = uid
			res.Delivered, res.UIDs = append(res.Delivered, tg.User), append(res.UIDs, uid)
		}
		res.Reply = lmtpReply(rc, res)
		d.Results = append(d.Results, res)
	}
	if m.Relay != nil && len(handed) == 0 {
		var local []int
		for i, r := range d.Results {
			if !r.Recipient.Relayed && len(r.Forwarded) > 0 {
				local = append(local, i)
			}
		}
		if len(local) > 0 {
			ft := t
			ft.For = ""
			m.forward(d, local, env.From, prepend(ft.Received(), msg))
		}
	}
	if len(handed) > 0 {
		m.handoff(d, handed, env.From, t, msg)
	}
	if len(relayed) > 0 {
		m.relay(d, relayed, env, t, msg)
	}
	if m.Bounce {
		m.bounce(d, env, t, msg)
	}
	return d
}

// bounce returns to the sender the local copies that failed for good:
// each such recipient counts as taken, as Postfix's 250 comes before its
// LDA refuses the copy, and the refusal goes into a bounce.
func (m *Mailer) bounce(d *Delivery, env *Envelope, t Trace, msg []byte) {
	b, ok := m.Relay.(Bouncer)
	if !ok {
		return
	}
	out := Outgoing{ID: d.ID, From: env.From, Host: m.Host, User: m.User, Ret: env.Params.Ret, EnvID: env.Params.EnvID}
	var why []*Reply
	var idx []int
	for i, res := range d.Results {
		if res.Err == nil || res.Recipient.Relayed || len(res.Delivered) > 0 {
			continue
		}
		r := lmtpReply(res.Recipient, res)
		if r.Code < 500 {
			continue // a temporary failure is the client's to retry
		}
		idx, why = append(idx, i), append(why, r)
		out.Rcpts = append(out.Rcpts, res.Recipient.Path)
		out.Notify, out.ORcpt = append(out.Notify, res.Recipient.Notify), append(out.ORcpt, res.Recipient.ORcpt)
	}
	if len(idx) == 0 {
		return
	}
	t.For = ""
	if len(idx) == 1 {
		t.For = out.Rcpts[0].Mailbox()
	}
	out.Msg = prepend(ReturnPath(env.From)+t.Received(), msg)
	d.BounceID = b.Bounce(out, why)
	for _, i := range idx {
		d.Results[i].Bounced = true
	}
}

// handoff passes the local copies to the delivery agent: one
// transaction for every user the recipients reach, each user once.
func (m *Mailer) handoff(d *Delivery, idx []int, from Path, t Trace, msg []byte) {
	var to []string
	seen := map[string]int{}
	for _, i := range idx {
		rc := d.Results[i].Recipient
		for _, tg := range rc.Targets {
			if tg.Address != "" {
				d.Results[i].Forwarded = append(d.Results[i].Forwarded, tg.Address)
				continue
			}
			a := address(tg.User, strings.ToLower(rc.Path.Domain))
			if _, ok := seen[a]; !ok {
				seen[a] = len(to)
				to = append(to, a)
			}
		}
	}
	t.For = ""
	if len(idx) == 1 {
		t.For = d.Results[idx[0]].Recipient.Path.Mailbox()
	}
	msg = prepend(t.Received(), msg)
	replies := m.Handoff(from, to, msg)
	m.forward(d, idx, from, msg)
	for _, i := range idx {
		res := &d.Results[i]
		for _, tg := range res.Recipient.Targets {
			if tg.Address != "" {
				continue
			}
			j := seen[address(tg.User, strings.ToLower(res.Recipient.Path.Domain))]
			switch r := replyAt(replies, j); {
			case r.Positive():
				res.Delivered = append(res.Delivered, tg.User)
			default:
				res.Err = r
			}
		}
		res.Reply = lmtpReply(res.Recipient, *res)
	}
}

// forward queues on the mail path the copies an alias sends to the
// lab's other domains (a list with members elsewhere); addresses the
// path does not reach stay noted as Forwarded, as before.
func (m *Mailer) forward(d *Delivery, idx []int, from Path, msg []byte) {
	if m.Relay == nil {
		return
	}
	var to []Path
	for _, i := range idx {
		for _, a := range d.Results[i].Forwarded {
			p, rest, why := parsePath("<"+a+">", false)
			if why == nil && rest == "" && m.Relay.Routes(strings.ToLower(p.Domain)) {
				to = append(to, p)
			}
		}
	}
	if len(to) > 0 {
		now := time.Now()
		if m.Now != nil {
			now = m.Now()
		}
		m.Relay.Queue(Outgoing{ID: m.newID(now), From: from, Rcpts: to, Msg: msg, Host: m.Host})
	}
}

// replyAt is the i-th reply, or 451 when the delivery agent gave fewer.
func replyAt(rs []*Reply, i int) *Reply {
	if i < len(rs) && rs[i] != nil {
		return rs[i]
	}
	return reply("data.failed", "the delivery agent gave no reply for this recipient")
}

// relay hands the copies for the lab's other domains to the mail path.
func (m *Mailer) relay(d *Delivery, idx []int, env *Envelope, t Trace, msg []byte) {
	out := Outgoing{ID: d.ID, From: env.From, Host: m.Host, User: m.User, Ret: env.Params.Ret, EnvID: env.Params.EnvID}
	var to []Path
	for _, i := range idx {
		rc := d.Results[i].Recipient
		to = append(to, rc.Path)
		out.Notify, out.ORcpt = append(out.Notify, rc.Notify), append(out.ORcpt, rc.ORcpt)
	}
	t.For = ""
	if len(to) == 1 {
		t.For = to[0].Mailbox()
	}
	var err error
	if m.Relay == nil {
		err = errors.New("no mail path")
	} else {
		out.Rcpts, out.Msg = to, prepend(t.Received(), msg)
		err = m.Relay.Queue(out)
	}
	for _, i := range idx {
		res := &d.Results[i]
		res.Queued, res.Err = err == nil, err
		res.Reply = lmtpReply(res.Recipient, *res)
	}
}

// prepend returns a new message: the header line h, then msg.
func prepend(h string, msg []byte) []byte {
	out := make([]byte, 0, len(h)+len(msg))
	return append(append(out, h...), msg...)
}

func (m *Mailer) deliverOne(user string, from Path, t Trace, msg []byte) (uint32, error) {
	if m.Store == nil {
		return 0, errNoStore
	}
	var b bytes.Buffer
	b.Grow(len(msg) + 256)
	b.WriteString(ReturnPath(from))
	b.WriteString(t.Received())
	b.Write(msg)
	return m.Store.Deliver(user, b.Bytes())
}

// lmtpReply is one recipient's reply after the message in LMTP.
func lmtpReply(rc Recipient, res Result) *Reply {
	addr := rc.Path.Mailbox()
	switch {
	case res.Err == nil:
		return reply("lmtp.ok", addr, strings.Join(append(res.Delivered, res.Forwarded...), ", "))
	case isReply(res.Err):
		return res.Err.(*Reply)
	case errors.Is(res.Err, mailstore.ErrTooBig):
		return reply("lmtp.toobig", addr)
	case errors.Is(res.Err, mailstore.ErrOverQuota):
		return reply("lmtp.overquota", addr)
	case errors.Is(res.Err, mailstore.ErrNoUser):
		return reply("lmtp.gone", addr)
	}
	return reply("lmtp.failed", addr, failure(rc, res.Err))
}

// errNoStore: a Mailer without a mail store was asked to store a copy.
var errNoStore = errors.New("no mail store")

// failure names, for the explain pane, the kind of error err that kept a
// copy for rc from being stored, never the error's own words: those of
// a Maildir on the disk hold the folder's path on the host. A reply of
// a delivery agent is quoted, as it went over the wire.
func failure(rc Recipient, err error) Text {
	var r *Reply
	switch {
	case errors.As(err, &r):
		return T("fail.reply", r.Error())
	case errors.Is(err, mailstore.ErrTooBig):
		return T("fail.toobig")
	case errors.Is(err, mailstore.ErrOverQuota):
		return T("fail.overquota")
	case errors.Is(err, mailstore.ErrNoUser):
		return T("fail.nouser")
	case errors.Is(err, errNoStore):
		return T("fail.nostore")
	case rc.Relayed:
		return T("fail.queue")
	}
	return T("fail.write")
}

func (d *Delivery) allFailedPermanently() bool {
	for _, r := range d.Results {
		if rp, ok := r.Err.(*Reply); !ok || rp.Code < 500 {
			return false
		}
	}
	return true
}

func isReply(err error) bool {
	_, ok := err.(*Reply)
	return ok
}

// Replies are LMTP's replies after the message: one per accepted
// recipient, in the order of the RCPT commands (RFC 2033 section 4.2).
func (d *Delivery) Replies() []*Reply {
	out := make([]*Reply, len(d.Results))
	for i, r := range d.Results {
		out[i] = r.Reply
	}
	return out
}

// Reply is SMTP's one reply after the message: 250 with the queue ID when
// any recipient got it. A real server that accepted the message would
// report a later failure for some recipient in a bounce (RFC 5321 section
// 6.1); the lab has nobody to bounce to, so the reply notes the failures.
// When no copy could be stored, the reply is 451: try again later.
func (d *Delivery) Reply(env *Envelope) *Reply {
	var to, full, bounced []string
	var failed textList
	for _, r := range d.Results {
		if r.Bounced {
			bounced = append(bounced, r.Recipient.Path.Mailbox()+": "+lmtpReply(r.Recipient, r).Error())
			continue
		}
		if r.Err != nil {
			failed = append(failed, T("fail.item", r.Recipient.Path.Mailbox(), failure(r.Recipient, r.Err)))
		}
		if errors.Is(r.Err, mailstore.ErrOverQuota) {
			full = append(full, r.Recipient.Path.Mailbox())
		}
		to = append(to, r.Delivered...)
		to = append(to, r.Forwarded...)
		if r.Queued {
			to = append(to, r.Recipient.Path.Mailbox())
		}
	}
	if len(to) == 0 && len(bounced) == 0 && len(full) == len(failed) && len(full) > 0 {
		return reply("data.overquota", strings.Join(full, ">, <"))
	}
	if len(to) == 0 && len(bounced) == 0 {
		// A delivery agent's permanent refusal of every copy is passed
		// on, so the client bounces the message rather than retrying.
		if r, ok := d.Results[0].Err.(*Reply); ok && r.Code >= 500 && d.allFailedPermanently() {
			return r
		}
		return reply("data.failed", failed)
	}
	r := reply("data.ok", d.ID, strings.Join(to, ", "), env.From.String())
	if len(failed) > 0 {
		r = r.With(T("data.somefailed", failed))
	}
	switch {
	case len(bounced) > 0 && d.BounceID != "":
		r = r.With(T("data.bounced", strings.Join(bounced, "; "), env.From.String(), d.BounceID))
	case len(bounced) > 0:
		r = r.With(T("data.bounced.none", strings.Join(bounced, "; "), env.From.String()))
	}
	var fwd []string
	for _, res := range d.Results {
		fwd = append(fwd, res.Forwarded...)
	}
	if len(fwd) > 0 {
		r = r.With(T("data.forwarded", strings.Join(fwd, ", ")))
	}
	var queued []string
	for _, res := range d.Results {
		if res.Queued {
			queued = append(queued, res.Recipient.Path.Mailbox())
		}
	}
	if len(queued) > 0 {
		r = r.With(T("data.relayed", strings.Join(queued, ", "), d.ID))
	}
	switch {
	case d.HeaderFrom == "":
		r = r.With(T("envelope.nofrom", env.From.String()))
	case env.From.Null || !strings.EqualFold(d.HeaderFrom, env.From.Mailbox()):
		r = r.With(T("envelope.differs", env.From.String(), d.HeaderFrom))
	}
	return r
}

// headerFrom returns the address of the message's From: field.
func headerFrom(msg []byte) string {
	end := bytes.Index(msg, []byte("\r\n\r\n"))
	if end < 0 {
		end = len(msg)
	}
	var value []byte
	in := false
	for _, line := range bytes.Split(msg[:end], []byte("\r\n")) {
		switch {
		case in && len(line) > 0 && (line[0] == ' ' || line[0] == '\t'):
			value = append(value, line...)
		case in:
			in = false
		case len(line) > 5 && strings.EqualFold(string(line[:5]), "from:"):
			value, in = append([]byte(nil), line[5:]...), true
		}
	}
	if value == nil {
		return ""
	}
	list, err := mail.ParseAddressList(string(value))
	if err != nil || len(list) == 0 {
		return ""
	}
	return list[0].Address
}
