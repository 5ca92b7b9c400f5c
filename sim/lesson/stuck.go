package lesson

import "strings"

// Stuck says why the current step can no longer be met, or "" while it
// still can: a goal wants a message that is gone from the store for good
// (its UID is below the mailbox's UIDNEXT, and UIDs are never given
// again), or more messages than a mailbox holds while nothing the learner
// may use adds one (a POP3 lesson: POP3 only reads and deletes). The
// host then offers Reset, which restores the step's starting mailboxes.
func (e *Engine) Stuck() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.prog.Finished || e.prog.Steps[e.prog.Step].Done || e.running.Load() > 0 {
		return ""
	}
	st := &e.l.Steps[e.prog.Step]
	for i := range st.Goals {
		if why := e.stuckGoal(&st.Goals[i]); why != "" {
			return why
		}
	}
	return ""
}

// stuckGoal is why goal g can never be met, or "". Called with mu held.
func (e *Engine) stuckGoal(g *Goal) string {
	if ok, _ := e.check(g); ok {
		return ""
	}
	switch {
	case g.Count != nil:
		return e.stuckCount(g.Count)
	case g.Present != nil:
		return e.stuckMessage(g.Present)
	case g.Flagged != nil && !g.Flagged.Absent:
		return e.stuckMessage(&g.Flagged.MessageRef)
	case g.AllOf != nil:
		for i := range g.AllOf {
			if why := e.stuckGoal(&g.AllOf[i]); why != "" {
				return why
			}
		}
	case g.AnyOf != nil:
		first := ""
		for i := range g.AnyOf {
			why := e.stuckGoal(&g.AnyOf[i])
			if why == "" {
				return ""
			}
			if first == "" {
				first = why
			}
		}
		return first
	}
	return ""
}

func (e *Engine) stuckCount(c *CountGoal) string {
	u, _ := e.user(c.User)
	if u == nil || e.canAddMail() {
		return ""
	}
	mb, err := u.Mailbox(boxName(c.Mailbox))
	if err != nil {
		return ""
	}
	if n := len(mb.UIDs()); n < c.Messages {
		return tr(e.lang, "stuck_count", boxName(c.Mailbox), n, c.Messages)
	}
	return ""
}

func (e *Engine) stuckMessage(r *MessageRef) string {
	mb, m, why := e.find(r)
	if why != "" || mb == nil || m != nil {
		return ""
	}
	if r.UID != 0 && r.UID < mb.UIDNext() || !e.canAddMail() {
		return tr(e.lang, "stuck_gone", e.describe(r), boxName(r.Mailbox))
	}
	return ""
}

// canAddMail reports whether anything the lesson lets the learner use can
// put a message into a mailbox: a mail path, or a session of a protocol
// other than POP3 (IMAP's APPEND and COPY, SMTP's and LMTP's delivery).
func (e *Engine) canAddMail() bool {
	if e.path != nil || e.l.Protocol != "pop3" {
		return true
	}
	for _, s := range e.sessions {
		if s.proto != "pop3" {
			return true
		}
	}
	for _, st := range e.l.Steps {
		for _, line := range st.Solution {
			if !strings.HasPrefix(line, ":") {
				continue
			}
			if _, _, p, err := parseAction(line); err == nil && p != "" && p != "pop3" {
				return true
			}
		}
	}
	return false
}
