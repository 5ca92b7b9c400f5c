package imap

import (
	"strings"

	"maillab/sim/event"
	"maillab/sim/lineio"
)

// send writes one response (which may span lines when it carries a
// literal) and emits a Server event per line.
func (s *Session) send(resp string) {
	if s.WriteErr() != nil {
		return
	}
	s.RawString(resp)
	if !s.Listening() {
		return
	}
	if s.Explaining() {
		s.lastResp = resp
	}
	for i, rest := 0, resp; ; i++ {
		l, more, found := strings.Cut(rest, "\r\n")
		e := event.Event{Kind: event.Server, Line: lineio.Printable(l), Command: s.cmd}
		if i == 0 {
			e.Tag, e.Status, e.Code = parseResponse(l)
		}
		s.Emit(e)
		if !found {
			return
		}
		rest = more
	}
}

// sendSecret writes the one-line response resp, which repeats the tag of
// a secret line, and emits its Server event marked Secret, without the
// tag: hosts that log write the line without its first word. The event
// keeps the line itself, so its length is what went over the wire.
func (s *Session) sendSecret(resp string) {
	if s.WriteErr() != nil {
		return
	}
	s.RawString(resp)
	if !s.Listening() {
		return
	}
	if s.Explaining() {
		// The explanation's parts name the tag "…".
		_, rest, _ := strings.Cut(resp, " ")
		s.lastResp = "… " + rest
	}
	e := event.Event{Kind: event.Server, Line: lineio.Printable(resp), Command: s.cmd, Secret: true}
	_, e.Status, e.Code = parseResponse(resp)
	s.Emit(e)
}

// sendBytes writes a response built as bytes (FETCH with literals).
func (s *Session) sendBytes(resp []byte) {
	if s.Listening() {
		s.send(string(resp))
		return
	}
	s.Raw(resp)
	s.RawString("")
}

// parseResponse finds a response line's tag, status and code for events.
func parseResponse(l string) (tag, status, code string) {
	if strings.HasPrefix(l, "+") {
		return "", "+", ""
	}
	first, rest, _ := strings.Cut(l, " ")
	word, rest2, _ := strings.Cut(rest, " ")
	if first != "*" {
		tag = first
	}
	switch word {
	case "OK", "NO", "BAD", "BYE", "PREAUTH":
		status = word
		if strings.HasPrefix(rest2, "[") {
			if i := strings.Index(rest2, "]"); i > 0 {
				code = rest2[1:i]
			}
		}
	default:
		status = "*"
	}
	return tag, status, code
}

// untagged writes "* " + text.
func (s *Session) untagged(text string) { s.send("* " + text) }

// ok completes the command with OK, after the updates the command may
// carry; code may be "" or a response code without brackets.
func (s *Session) ok(code, text string) { s.complete("OK", code, text, "", nil) }

// no completes the command with NO. text is what the server says, in
// English as on any IMAP server; key names this failure's explanation in
// the imap catalogue ("no.<reason>"), whose first argument is the command
// and the others args.
func (s *Session) no(code, text, key string, args ...any) {
	s.complete("NO", code, text, key, append([]any{s.cmd}, args...))
}

// serverBug completes the command with NO [SERVERBUG] for an error of the
// server's own (a file it could not write): as Dovecot's "Internal
// error", the text is fixed and names no file, whose path is the host's
// business, not the client's; the error goes to the log.
func (s *Session) serverBug(err error) {
	if s.o.Log != nil {
		s.o.Log.Error("imap command failed", "command", s.cmd, "error", lineio.Printable(err.Error()), "session", s.o.SessionID)
	}
	s.no("SERVERBUG", "Internal error occurred; the server's log says what failed", "no.serverbug")
}

// complete writes the tagged completion. Its text may quote names from
// the client or the disk: control characters in it are written in caret
// notation (lineio.Printable), so no CR or LF in a name can end the line
// and add one of its own to the answer.
func (s *Session) complete(status, code, text, key string, args []any) {
	if s.cmd != "SELECT" && s.cmd != "EXAMINE" {
		// SELECT's answer describes the mailbox as it was selected,
		// FETCHes and VANISHED (EARLIER) of QRESYNC included: a change
		// since waits for the next command, as in Dovecot, so that no
		// update mixes into the resynchronization the client is reading.
		// VANISHED names UIDs: it may come during UID commands, as
		// RFC 3501 7.4.1 allows expunges there.
		s.sendUpdates(expungeAllowed(s.cmd) || s.qresync() && s.uidMode())
	}
	if status == "OK" && code == "" {
		code = s.completionModSeq()
	}
	s.sentModSeq = false
	s.sentVanished = false
	line := s.tag + " " + status + " "
	if code != "" {
		line += "[" + code + "] "
	}
	s.send(line + lineio.Printable(text))
	if key == "" {
		s.explainOK()
	} else {
		s.explain(key, args...)
	}
	s.flush()
}

// bad completes the command with BAD: no updates, nothing changed. text
// is what the server says; key names the reason's explanation in the imap
// catalogue ("bad.<reason>"), args its arguments.
func (s *Session) bad(text, key string, args ...any) {
	tag := s.tag
	if tag == "" {
		tag = "*"
	}
	s.send(tag + " BAD " + lineio.Printable(text))
	s.explain(key, args...)
	s.flush()
}

// expungeAllowed: RFC 3501 section 7.4.1 forbids EXPUNGE responses while
// answering FETCH, STORE or SEARCH (and their UID forms), where sequence
// numbers must not shift under the client; SORT and THREAD answer with
// sequence numbers as SEARCH does, and Dovecot holds expunges for them too.
func expungeAllowed(cmd string) bool {
	switch strings.TrimPrefix(cmd, "UID ") {
	case "FETCH", "STORE", "SEARCH", "SORT", "THREAD":
		return false
	}
	return true
}
