package mailpath

import (
	"fmt"
	"strings"
)

// Explain says in lang what a journey event means, for the page's
// journey view and a lesson's feedback.
func Explain(lang string, e Event) string {
	reply := strings.TrimSpace(fmt.Sprintf("%d %s %s", e.Code, e.Enhanced, e.Text))
	if e.Code == 0 {
		reply = strings.TrimSpace(e.Enhanced + " " + e.Text)
	}
	switch e.Kind {
	case Submitted:
		return texts.Text(lang, "event.submitted", e.Host, e.Queue, e.From, strings.Join(e.Rcpts, ", "))
	case Lookup:
		if len(e.Records) == 0 {
			return texts.Text(lang, "event.lookup.none", e.Host, e.Domain)
		}
		var rs []string
		for _, r := range e.Records {
			rs = append(rs, fmt.Sprintf("%d %s", r.Priority, r.Host))
		}
		return texts.Text(lang, "event.lookup", e.Host, e.Domain, strings.Join(rs, ", "))
	case Unreachable:
		return texts.Text(lang, "event.unreachable", e.Host, e.Peer, e.Text)
	case Hop:
		return texts.Text(lang, "event.hop."+e.Proto, e.Host, e.Peer, e.Addr)
	case Relayed:
		return texts.Text(lang, "event.relayed", e.Host, e.Peer, e.Rcpt, reply)
	case Delivered:
		return texts.Text(lang, "event.delivered", e.Host, e.Rcpt, e.User)
	case Deferred:
		return texts.Text(lang, "event.deferred", e.Rcpt, reply, e.Next.Format(dateFormat))
	case Bounced:
		return texts.Text(lang, "event.bounced", e.Rcpt, reply)
	case Delayed:
		return texts.Text(lang, "event.delayed", e.Rcpt)
	}
	return ""
}
