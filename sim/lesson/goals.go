package lesson

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"maillab/sim/event"
	"maillab/sim/fsm"
	"maillab/sim/mailpath"
	"maillab/sim/mailstore"
	psession "maillab/sim/session"
)

// check evaluates one goal against the current step's events and the
// store. It returns whether the goal holds and, if not, why, in the
// learner's language. Called with mu held.
func (e *Engine) check(g *Goal) (bool, string) {
	switch {
	case g.State != "":
		return e.checkState(g)
	case g.Transition != "":
		return e.checkTransition(g)
	case g.Command != nil:
		return e.checkCommand(g)
	case g.Response != nil:
		return e.checkResponse(g)
	case g.Deleted != nil:
		return e.checkDeleted(g.Deleted)
	case g.Present != nil:
		return e.checkPresent(g.Present)
	case g.Flagged != nil:
		return e.checkFlag(g.Flagged)
	case g.Mailbox != nil:
		return e.checkMailbox(g.Mailbox)
	case g.Count != nil:
		return e.checkCount(g.Count)
	case g.Closed != nil:
		return e.checkClosed(g)
	case g.Mail != nil && e.path != nil:
		return e.checkMail(g.Mail)
	case g.AllOf != nil:
		for i := range g.AllOf {
			if ok, why := e.check(&g.AllOf[i]); !ok {
				return false, why
			}
		}
		return true, ""
	case g.AnyOf != nil:
		var first string
		for i := range g.AnyOf {
			ok, why := e.check(&g.AnyOf[i])
			if ok {
				return true, ""
			}
			if first == "" {
				first = why
			}
		}
		return false, first
	}
	return false, ""
}

// learnerEvents yields the step's events of the learner's sessions (or of
// the one session the goal names).
func (e *Engine) learnerEvents(g *Goal, f func(event.Event) bool) {
	for _, t := range e.events {
		if t.seq < e.stepStart {
			continue
		}
		if g.Session != "" && t.name != g.Session {
			continue
		}
		if g.Session == "" && t.actor {
			continue
		}
		if f(t.ev) {
			return
		}
	}
}

// learnerSession returns the session a goal is about: the named one, or
// the current one, or any open learner session.
func (e *Engine) learnerSession(g *Goal) *session {
	name := g.Session
	if name == "" {
		name = e.current
	}
	if s, ok := e.sessions[name]; ok {
		return s
	}
	if g.Session != "" {
		return nil
	}
	for _, s := range e.sessions {
		if !s.actor {
			return s
		}
	}
	return nil
}

func (e *Engine) title(protoName, state string) string {
	if m := Machine(protoName); m != nil {
		return m.TitleIn(e.lang, fsm.State(state))
	}
	return strings.ToUpper(state)
}

func (e *Engine) checkState(g *Goal) (bool, string) {
	reached := false
	e.learnerEvents(g, func(ev event.Event) bool {
		reached = ev.Kind == event.Transition && ev.To == g.State
		return reached
	})
	if reached {
		return true, ""
	}
	s := e.learnerSession(g)
	if s == nil || s.conn == nil && s.state == "" {
		return false, tr(e.lang, "no_session")
	}
	if s.state == g.State && !s.closed {
		return true, ""
	}
	return false, tr(e.lang, "state", e.title(s.proto, s.state), e.title(s.proto, g.State))
}

func (e *Engine) checkTransition(g *Goal) (bool, string) {
	taken := false
	e.learnerEvents(g, func(ev event.Event) bool {
		taken = ev.Kind == event.Transition && ev.Transition == g.Transition
		return taken
	})
	if taken {
		return true, ""
	}
	label := ""
	if m := Machine(e.l.Protocol); m != nil {
		for _, t := range m.Transitions {
			if t.ID == g.Transition {
				label = m.LabelIn(e.lang, t.ID)
				break
			}
		}
	}
	return false, tr(e.lang, "transition", g.Transition, label)
}

// args is the text of a client line after its tag and command words.
func args(ev event.Event) string {
	words := strings.Fields(ev.Line)
	if ev.Tag != "" && len(words) > 0 {
		words = words[1:]
	}
	n := len(strings.Fields(ev.Command))
	if n > len(words) {
		n = len(words)
	}
	return strings.Join(words[n:], " ")
}

func (e *Engine) checkCommand(g *Goal) (bool, string) {
	verb := strings.ToUpper(g.Command.Verb)
	var re *regexp.Regexp
	if g.Command.Args != "" {
		re = regexp.MustCompile(g.Command.Args)
	}
	sent, last := false, ""
	e.learnerEvents(g, func(ev event.Event) bool {
		if ev.Kind != event.Client || ev.Command != verb {
			return false
		}
		last = ev.Line
		if ev.Secret {
			last = secretLine(ev)
		}
		sent = re == nil || re.MatchString(args(ev))
		return sent
	})
	switch {
	case sent:
		return true, ""
	case last != "":
		return false, tr(e.lang, "command_args", verb, last)
	}
	return false, tr(e.lang, "command", verb)
}

func (e *Engine) checkResponse(g *Goal) (bool, string) {
	r := g.Response
	cmd := strings.ToUpper(r.Command)
	var code, match *regexp.Regexp
	if r.Code != "" {
		code = regexp.MustCompile(r.Code)
	}
	if r.Match != "" {
		match = regexp.MustCompile(r.Match)
	}
	found, other, otherStatus := false, "", ""
	e.learnerEvents(g, func(ev event.Event) bool {
		if ev.Kind != event.Server || cmd != "" && ev.Command != cmd {
			return false
		}
		if (r.Status == "" || ev.Status == r.Status) &&
			(code == nil || code.MatchString(ev.Code)) &&
			(match == nil || match.MatchString(ev.Line)) {
			found = true
			return true
		}
		// Named by its command and status, never quoted: the line may
		// be long, and says more than this step asks about.
		if ev.Status != "" && ev.Status != "*" && ev.Command != "" {
			other, otherStatus = ev.Command, ev.Status
		}
		return false
	})
	switch {
	case found:
		return true, ""
	case other != "":
		return false, tr(e.lang, "response_other", other, otherStatus)
	}
	what := cmd
	if what == "" {
		what = tr(e.lang, "any_command")
	}
	return false, tr(e.lang, "response_none", what)
}

// user returns the account a goal names, by default the first one.
func (e *Engine) user(name string) (*mailstore.User, string) {
	if name == "" {
		name = e.l.firstUser()
	}
	if all := e.store.Users(); name == "" && len(all) > 0 {
		name = all[0]
	}
	u, ok := e.store.User(name)
	if !ok {
		return nil, tr(e.lang, "no_user", name)
	}
	return u, ""
}

func boxName(name string) string {
	if name == "" {
		return mailstore.Inbox
	}
	return name
}

// find looks a message up; it returns the message or nil.
func (e *Engine) find(r *MessageRef) (*mailstore.Mailbox, *mailstore.Message, string) {
	u, why := e.user(r.User)
	if u == nil {
		return nil, nil, why
	}
	mb, err := u.Mailbox(boxName(r.Mailbox))
	if err != nil {
		return nil, nil, tr(e.lang, "mailbox_missing", boxName(r.Mailbox))
	}
	for _, m := range mb.Messages() {
		if r.UID != 0 && m.UID() == r.UID || r.UID == 0 && strings.EqualFold(subject(m.Raw()), r.Subject) {
			return mb, m, ""
		}
	}
	return mb, nil, ""
}

// subject is the Subject header of raw, unfolded.
func subject(raw []byte) string {
	head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	lines := strings.Split(string(head), "\r\n")
	for i, l := range lines {
		if len(l) > 8 && strings.EqualFold(l[:8], "subject:") {
			s := l[8:]
			for j := i + 1; j < len(lines) && (strings.HasPrefix(lines[j], " ") || strings.HasPrefix(lines[j], "\t")); j++ {
				s += lines[j]
			}
			return strings.TrimSpace(s)
		}
	}
	return ""
}

func (e *Engine) describe(r *MessageRef) string {
	if r.UID == 0 {
		return fmt.Sprintf("%q", r.Subject)
	}
	if e.l.Protocol == "pop3" {
		return fmt.Sprint(r.UID)
	}
	return fmt.Sprintf("UID %d", r.UID)
}

func (e *Engine) checkDeleted(r *MessageRef) (bool, string) {
	mb, m, why := e.find(r)
	if why != "" {
		return false, why
	}
	if m == nil {
		return true, ""
	}
	// POP3: DELE only marks; the store changes at QUIT (RFC 1939 section 6).
	for _, s := range e.sessions {
		if s.actor || s.closed || s.proto != "pop3" {
			continue
		}
		for n, uid := range s.loginUIDs {
			if uid == m.UID() && s.marked[n+1] {
				return false, tr(e.lang, "marked_pop3", n+1)
			}
		}
	}
	if flags, _ := mb.Flags(m.UID()); mailstore.HasFlag(flags, mailstore.FlagDeleted) {
		return false, tr(e.lang, "marked_imap", m.UID())
	}
	return false, tr(e.lang, "still_there", e.describe(r), boxName(r.Mailbox))
}

func (e *Engine) checkPresent(r *MessageRef) (bool, string) {
	_, m, why := e.find(r)
	if why != "" {
		return false, why
	}
	if m == nil {
		return false, tr(e.lang, "not_there", e.describe(r), boxName(r.Mailbox))
	}
	return true, ""
}

func (e *Engine) checkFlag(f *FlagGoal) (bool, string) {
	mb, m, why := e.find(&f.MessageRef)
	if why != "" {
		return false, why
	}
	if m == nil {
		return false, tr(e.lang, "not_there", e.describe(&f.MessageRef), boxName(f.Mailbox))
	}
	flags, _ := mb.Flags(m.UID())
	has := mailstore.HasFlag(flags, f.Flag)
	switch {
	case has != f.Absent:
		return true, ""
	case f.Absent:
		return false, tr(e.lang, "flag_present", e.describe(&f.MessageRef), f.Flag)
	}
	for _, s := range e.sessions {
		if !s.actor && !s.closed && s.readOnly {
			return false, tr(e.lang, "flag_readonly", e.describe(&f.MessageRef), f.Flag)
		}
	}
	return false, tr(e.lang, "flag_missing", e.describe(&f.MessageRef), f.Flag)
}

func (e *Engine) checkMailbox(g *MailboxGoal) (bool, string) {
	u, why := e.user(g.User)
	if u == nil {
		return false, why
	}
	_, err := u.Mailbox(g.Name)
	exists := err == nil
	switch {
	case exists && g.Absent:
		return false, tr(e.lang, "mailbox_exists", g.Name)
	case !exists && !g.Absent:
		return false, tr(e.lang, "mailbox_missing", g.Name)
	}
	if g.Subscribed != nil {
		canon, _ := mailstore.CanonicalName(g.Name)
		sub := false
		for _, n := range u.Subscriptions() {
			if n == canon {
				sub = true
			}
		}
		if sub != *g.Subscribed {
			if sub {
				return false, tr(e.lang, "subscribed", g.Name)
			}
			return false, tr(e.lang, "not_subscribed", g.Name)
		}
	}
	return true, ""
}

func (e *Engine) checkCount(c *CountGoal) (bool, string) {
	u, why := e.user(c.User)
	if u == nil {
		return false, why
	}
	mb, err := u.Mailbox(boxName(c.Mailbox))
	if err != nil {
		return false, tr(e.lang, "mailbox_missing", boxName(c.Mailbox))
	}
	n := len(mb.UIDs())
	if n == c.Messages {
		return true, ""
	}
	return false, tr(e.lang, "count", boxName(c.Mailbox), n, c.Messages)
}

func (e *Engine) checkClosed(g *Goal) (bool, string) {
	ended, how := false, ""
	e.learnerEvents(g, func(ev event.Event) bool {
		if ev.Kind != event.Close {
			return false
		}
		ended, how = true, closeCause(ev.Trigger)
		return g.Closed.By == "" || how == closeCause(g.Closed.By)
	})
	switch {
	case ended && (g.Closed.By == "" || how == closeCause(g.Closed.By)):
		return true, ""
	case ended:
		return false, tr(e.lang, "closed_other", causeText(e.lang, how), causeText(e.lang, closeCause(g.Closed.By)))
	}
	return false, tr(e.lang, "not_closed")
}

// closeCause folds the ways a session ends into the causes a goal names:
// QUIT and LOGOUT are both "quit", the client's orderly goodbye.
func closeCause(trigger string) string {
	switch t := psession.End(strings.ToLower(trigger)); t {
	case psession.Quit, psession.Logout:
		return string(psession.Quit)
	case psession.Drop, psession.Timeout:
		return string(t)
	default:
		return "server"
	}
}

// causeText names a close cause in the learner's language.
func causeText(lang, cause string) string {
	return tr(lang, "closed_by_"+cause)
}

// checkMail tests a mail goal against the mail path's events of the
// step, the hops' transcripts and the delivered copy.
func (e *Engine) checkMail(g *MailGoal) (bool, string) {
	var evs []mailpath.Event
	for _, ev := range e.path.Events("") {
		if ev.Seq > e.pathStart {
			evs = append(evs, ev)
		}
	}
	has := func(kind mailpath.Kind, ok func(mailpath.Event) bool) (mailpath.Event, bool) {
		for _, ev := range evs {
			if ev.Kind == kind && ok(ev) {
				return ev, true
			}
		}
		return mailpath.Event{}, false
	}
	if g.Queued {
		if _, ok := has(mailpath.Deferred, func(mailpath.Event) bool { return true }); !ok {
			return false, tr(e.lang, "mail_queued")
		}
	}
	if g.Bounced != "" {
		if _, ok := has(mailpath.Bounced, func(ev mailpath.Event) bool { return strings.EqualFold(ev.Rcpt, g.Bounced) }); !ok {
			return false, tr(e.lang, "mail_bounced", g.Bounced)
		}
	}
	if g.Via != "" {
		if _, ok := has(mailpath.Relayed, func(ev mailpath.Event) bool { return strings.EqualFold(ev.Peer, g.Via) }); !ok {
			return false, tr(e.lang, "mail_via", g.Via)
		}
	}
	if g.Delivered != "" {
		ev, ok := has(mailpath.Delivered, func(ev mailpath.Event) bool { return strings.EqualFold(ev.Rcpt, g.Delivered) })
		if !ok {
			return false, tr(e.lang, "mail_delivered", g.Delivered)
		}
		if g.Received != 0 {
			if n := e.receivedLines(ev); n != g.Received {
				return false, tr(e.lang, "mail_received", g.Delivered, n, g.Received)
			}
		}
	}
	if g.Host != "" && !e.hopAnswered(evs, g) {
		cmd := g.Command
		if cmd == "" {
			cmd = "*"
		}
		if g.Code == 0 {
			return false, tr(e.lang, "mail_hop_any", g.Host, cmd)
		}
		return false, tr(e.lang, "mail_hop", g.Host, cmd, g.Code)
	}
	return true, ""
}

// hopAnswered reports whether a hop of the step to g.Host answered
// g.Command (any if empty) with g.Code (any if 0).
func (e *Engine) hopAnswered(evs []mailpath.Event, g *MailGoal) bool {
	for _, ev := range evs {
		if ev.Kind != mailpath.Hop || !strings.EqualFold(ev.Peer, g.Host) {
			continue
		}
		t, ok := e.path.Hop(ev.Hop)
		if !ok {
			continue
		}
		for _, st := range t.Steps {
			verb, _, _ := strings.Cut(st.Command, " ")
			if (g.Command == "" || strings.EqualFold(verb, g.Command)) && (g.Code == 0 || st.Code == g.Code) {
				return true
			}
		}
	}
	return false
}

// receivedLines counts the Received: fields of the copy a Delivered
// event put into its user's INBOX, found by its Message-ID.
func (e *Engine) receivedLines(ev mailpath.Event) int {
	u, ok := e.store.User(ev.User)
	if !ok {
		return 0
	}
	mb, err := u.Mailbox(mailstore.Inbox)
	if err != nil {
		return 0
	}
	msgs := mb.Messages()
	for i := len(msgs) - 1; i >= 0; i-- {
		raw := msgs[i].Raw()
		header, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
		if ev.MessageID != "" && !bytes.Contains(header, []byte(ev.MessageID)) {
			continue
		}
		n := 0
		for _, line := range bytes.Split(header, []byte("\r\n")) {
			if len(line) > 9 && strings.EqualFold(string(line[:9]), "received:") {
				n++
			}
		}
		return n
	}
	return 0
}
