package lesson

import "strings"

// label says what a goal asks for, as a positive item of the step's
// checklist ("Reach the TRANSACTION state", "Get +OK to STAT"), in the
// engine's language. It names no response of the learner's: the reason
// beside an unmet goal says what is missing now. Called with mu held.
func (e *Engine) label(g *Goal) string {
	switch {
	case g.State != "":
		return tr(e.lang, "label_state", e.title(e.goalProto(g), g.State))
	case g.Transition != "":
		if m := Machine(e.goalProto(g)); m != nil {
			return tr(e.lang, "label_transition", g.Transition, m.LabelIn(e.lang, g.Transition))
		}
		return tr(e.lang, "label_transition", g.Transition, "")
	case g.Command != nil:
		verb := strings.ToUpper(g.Command.Verb)
		if g.Command.Args != "" {
			return tr(e.lang, "label_command_args", verb)
		}
		return tr(e.lang, "label_command", verb)
	case g.Response != nil:
		r := g.Response
		what := strings.ToUpper(r.Command)
		if what == "" {
			what = tr(e.lang, "any_command")
		}
		if r.Status != "" {
			return tr(e.lang, "label_response", r.Status, what)
		}
		return tr(e.lang, "label_response_any", what)
	case g.Deleted != nil:
		return tr(e.lang, "label_deleted", e.describe(g.Deleted), boxName(g.Deleted.Mailbox))
	case g.Present != nil:
		return tr(e.lang, "label_present", e.describe(g.Present), boxName(g.Present.Mailbox))
	case g.Flagged != nil:
		key := "label_flagged"
		if g.Flagged.Absent {
			key = "label_unflagged"
		}
		return tr(e.lang, key, e.describe(&g.Flagged.MessageRef), g.Flagged.Flag)
	case g.Mailbox != nil:
		m := g.Mailbox
		switch {
		case m.Absent:
			return tr(e.lang, "label_mailbox_absent", m.Name)
		case m.Subscribed != nil && *m.Subscribed:
			return tr(e.lang, "label_subscribed", m.Name)
		case m.Subscribed != nil:
			return tr(e.lang, "label_unsubscribed", m.Name)
		}
		return tr(e.lang, "label_mailbox", m.Name)
	case g.Count != nil:
		return tr(e.lang, "label_count", boxName(g.Count.Mailbox), g.Count.Messages)
	case g.Closed != nil:
		if g.Closed.By == "" {
			return tr(e.lang, "label_closed")
		}
		return tr(e.lang, "label_closed_by", causeText(e.lang, closeCause(g.Closed.By)))
	case g.Mail != nil:
		return e.mailLabel(g.Mail)
	case g.AllOf != nil:
		parts := make([]string, len(g.AllOf))
		for i := range g.AllOf {
			parts[i] = e.label(&g.AllOf[i])
		}
		return strings.Join(parts, tr(e.lang, "label_and"))
	case g.AnyOf != nil:
		parts := make([]string, len(g.AnyOf))
		for i := range g.AnyOf {
			parts[i] = e.label(&g.AnyOf[i])
		}
		return strings.Join(parts, tr(e.lang, "label_or"))
	}
	return ""
}

// goalProto is the protocol of the session a goal is about: a session
// the lesson opened in another protocol (":connect NAME PROTOCOL") is
// labelled in its own.
func (e *Engine) goalProto(g *Goal) string {
	if s, ok := e.sessions[g.Session]; ok && g.Session != "" && s.proto != "" {
		return s.proto
	}
	return e.l.Protocol
}

// mailLabel says what a mail path goal asks for; several fields of one
// goal are all asked for.
func (e *Engine) mailLabel(g *MailGoal) string {
	var parts []string
	if g.Queued {
		parts = append(parts, tr(e.lang, "label_mail_queued"))
	}
	if g.Bounced != "" {
		parts = append(parts, tr(e.lang, "label_mail_bounced", g.Bounced))
	}
	if g.Via != "" {
		parts = append(parts, tr(e.lang, "label_mail_via", g.Via))
	}
	if g.Delivered != "" {
		if g.Received > 0 {
			parts = append(parts, tr(e.lang, "label_mail_received", g.Delivered, g.Received))
		} else {
			parts = append(parts, tr(e.lang, "label_mail_delivered", g.Delivered))
		}
	}
	if g.Host != "" {
		cmd := strings.ToUpper(g.Command)
		if cmd == "" {
			cmd = tr(e.lang, "any_command")
		}
		if g.Code != 0 {
			parts = append(parts, tr(e.lang, "label_mail_hop", g.Host, cmd, g.Code))
		} else {
			parts = append(parts, tr(e.lang, "label_mail_hop_any", g.Host, cmd))
		}
	}
	return strings.Join(parts, tr(e.lang, "label_and"))
}
