package mailpath

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"

	"maillab/sim/catalog"
)

// texts is the mail path's catalogue: texts/<lang>/mailpath.json.
var texts = catalog.Get("mailpath")

// dateFormat is RFC 5322's date-time, as the lab's servers write it.
const dateFormat = "Mon, 2 Jan 2006 15:04:05 -0700"

// dsn builds a delivery status notification (RFC 3464) about rs for e's
// sender: a multipart/report (RFC 6522) whose first part says in words
// what happened, in the lab's language; whose second, message/
// delivery-status, says it per recipient for programs; and whose third
// returns the message (message/rfc822), or only its header
// (text/rfc822-headers) when it is large.
func (l *Lab) dsn(e *entry, rs []*rcptState, failed bool) ([]byte, error) {
	lang, host, now := l.o.Lang, e.reporter(), l.clock.Now()
	// go-message writes a header's fields in the reverse order of
	// setting them: they are set from the last to the first.
	var h mail.Header
	h.SetContentType("multipart/report", map[string]string{"report-type": "delivery-status", "boundary": "=_report_" + e.id})
	h.Set("MIME-Version", "1.0")
	h.Set("Auto-Submitted", "auto-replied") // RFC 3834: not to be answered automatically
	h.SetMessageID(fmt.Sprintf("%s.%s@%s", now.UTC().Format("20060102150405"), l.newID(), host))
	h.SetDate(now)
	key := "dsn.subject.delayed"
	if failed {
		key = "dsn.subject.failed"
	}
	h.SetSubject(texts.Text(lang, key))
	h.SetAddressList("To", []*mail.Address{{Address: e.from.Mailbox()}})
	h.SetAddressList("From", []*mail.Address{{Name: texts.Text(lang, "dsn.from"), Address: "MAILER-DAEMON@" + host}})

	var b bytes.Buffer
	w, err := message.CreateWriter(&b, h.Header)
	if err != nil {
		return nil, err
	}
	var ph message.Header
	ph.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
	ph.Set("Content-Transfer-Encoding", "quoted-printable")
	ph.Set("Content-Description", "Notification")
	p, err := w.CreatePart(ph)
	if err != nil {
		return nil, err
	}
	if _, err := p.Write([]byte(l.dsnText(e, rs, failed))); err != nil {
		return nil, err
	}
	p.Close()

	var sh message.Header
	sh.SetContentType("message/delivery-status", nil)
	sh.Set("Content-Description", "Delivery report")
	if p, err = w.CreatePart(sh); err != nil {
		return nil, err
	}
	p.Write([]byte(l.dsnStatus(e, rs, failed)))
	p.Close()

	var mh message.Header
	quote := e.msg
	if len(quote) > maxBounceQuote || strings.EqualFold(e.ret, "HDRS") {
		// RET=HDRS (RFC 3461 section 4.3), or a message too large to
		// return whole: its header only.
		mh.SetContentType("text/rfc822-headers", nil)
		end := bytes.Index(quote, []byte("\r\n\r\n"))
		if end < 0 || end > maxBounceQuote {
			end = maxBounceQuote
		}
		quote = quote[:end+2]
	} else {
		mh.SetContentType("message/rfc822", nil)
	}
	mh.Set("Content-Description", "Undelivered Message")
	if p, err = w.CreatePart(mh); err != nil {
		return nil, err
	}
	p.Write(quote)
	p.Close()
	if err := w.Close(); err != nil {
		return nil, err
	}
	return crlf(b.Bytes()), nil
}

// dsnText is the human-readable part, in the lab's language: Postfix's
// words, one paragraph per recipient.
func (l *Lab) dsnText(e *entry, rs []*rcptState, failed bool) string {
	lang := l.o.Lang
	var b strings.Builder
	b.WriteString(texts.Text(lang, "dsn.intro", e.reporter()) + "\n\n")
	if failed {
		b.WriteString(texts.Text(lang, "dsn.failed") + "\n\n")
	} else {
		b.WriteString(texts.Text(lang, "dsn.delayed", e.next.Format(dateFormat), e.arrival.Add(l.times.lifetime).Format(dateFormat)) + "\n\n")
	}
	for _, r := range rs {
		o := r.last
		switch {
		case o.expired:
			b.WriteString(texts.Text(lang, "dsn.rcpt.expired", r.path.Mailbox(), oneLine(o.text)))
		case o.code != 0 && o.remote != "":
			b.WriteString(texts.Text(lang, "dsn.rcpt.said", r.path.Mailbox(), o.remote, fmt.Sprintf("%d %s %s", o.code, o.enhanced, oneLine(o.text)), when(lang, o.command)))
		default:
			b.WriteString(texts.Text(lang, "dsn.rcpt", r.path.Mailbox(), o.text))
		}
		b.WriteString("\n\n")
	}
	b.WriteString(texts.Text(lang, "dsn.signature") + "\n")
	return b.String()
}

// dsnStatus is the message/delivery-status part (RFC 3464 section 2):
// the per-message fields, then a block per recipient.
func (l *Lab) dsnStatus(e *entry, rs []*rcptState, failed bool) string {
	var b strings.Builder
	if e.envID != "" {
		fmt.Fprintf(&b, "Original-Envelope-Id: %s\r\n", xtext(e.envID))
	}
	fmt.Fprintf(&b, "Reporting-MTA: dns; %s\r\n", e.reporter())
	fmt.Fprintf(&b, "X-Queue-ID: %s\r\n", e.id)
	fmt.Fprintf(&b, "Arrival-Date: %s\r\n", e.arrival.Format(dateFormat))
	for _, r := range rs {
		o := r.last
		b.WriteString("\r\n")
		if r.orcpt != "" {
			fmt.Fprintf(&b, "Original-Recipient: rfc822; %s\r\n", xtext(r.orcpt))
		}
		fmt.Fprintf(&b, "Final-Recipient: rfc822; %s\r\n", r.path.Mailbox())
		if failed {
			b.WriteString("Action: failed\r\n")
		} else {
			b.WriteString("Action: delayed\r\n")
		}
		status := o.enhanced
		if !failed && (status == "" || status[0] != '4') {
			status = "4.0.0"
		}
		if status == "" {
			status = "5.0.0"
		}
		fmt.Fprintf(&b, "Status: %s\r\n", status)
		if o.remote != "" {
			fmt.Fprintf(&b, "Remote-MTA: dns; %s\r\n", o.remote)
		}
		if o.code != 0 {
			fmt.Fprintf(&b, "Diagnostic-Code: smtp; %d %s %s\r\n", o.code, o.enhanced, oneLine(o.text))
		} else if o.expired {
			fmt.Fprintf(&b, "Diagnostic-Code: X-Lab; delivery time expired; last: %s\r\n", oneLine(cmpOr(o.text, "no answer")))
		} else if o.text != "" {
			fmt.Fprintf(&b, "Diagnostic-Code: X-Lab; %s\r\n", oneLine(o.text))
		}
		fmt.Fprintf(&b, "Last-Attempt-Date: %s\r\n", l.clock.Now().Format(dateFormat))
		if !failed {
			fmt.Fprintf(&b, "Will-Retry-Until: %s\r\n", e.arrival.Add(l.times.lifetime).Format(dateFormat))
		}
	}
	return b.String()
}

// when says which command a reply answered: "in reply to RCPT TO
// command", as Postfix's bounces say it.
func when(lang, cmd string) string {
	switch cmd {
	case "CONNECT":
		return texts.Text(lang, "dsn.when.greeting")
	case "end of DATA":
		return texts.Text(lang, "dsn.when.data")
	}
	return texts.Text(lang, "dsn.when.cmd", cmd)
}

// xtext encodes s as RFC 3461 section 4 asks for ENVID and ORCPT in a
// report: "+" and hex for "+", "=", controls and non-ASCII.
func xtext(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '!' || c > '~' || c == '+' || c == '=' {
			fmt.Fprintf(&b, "+%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// crlf makes every line end in CRLF, as the store and SMTP want.
func crlf(b []byte) []byte {
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
}
