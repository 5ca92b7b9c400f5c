package main

import (
	"context"
	"io"
	"strings"

	"maillab/sim/event"

	"maillab/sim/imap"
)

func init() {
	register(&protocol{name: "imap", serve: serveIMAP, reject: rejectIMAP, machine: imap.Machine, suspect: imapSuspect, echoes: true})
}

// imapOpen are the commands that carry no credentials before login.
var imapOpen = map[string]bool{"CAPABILITY": true, "NOOP": true, "LOGOUT": true, "STARTTLS": true, "ID": true}

// imapSuspect: the IMAP session marks the lines of LOGIN and AUTHENTICATE
// Secret, however spaced. Before login every other line is suspected but
// "tag COMMAND" of a command in imapOpen (ID with its arguments): a
// mistyped LOGIN, a control character in the verb, or a password sent as
// a literal after a refused command would otherwise be logged whole.
func imapSuspect(e event.Event) bool {
	if e.State != string(imap.NotAuthenticated) {
		return false
	}
	words := strings.Split(e.Line, " ")
	plain := len(words) >= 2 && words[0] == e.Tag && strings.EqualFold(words[1], e.Command) && (len(words) == 2 || e.Command == "ID")
	return !plain || !imapOpen[e.Command]
}

func serveIMAP(ctx context.Context, c *conn) error {
	return imap.NewSession(imap.Options{
		Store:      c.srv.Store,
		Events:     c.events(),
		SessionID:  c.id,
		Lang:       c.srv.Lang,
		Log:        c.sessionLog(),
		Autologout: c.idle(),
		StartTLS:   c.startTLS(ctx),
		TLS:        c.tlsOn,
	}).Serve(c.rw)
}

// rejectIMAP greets a connection over the limit with BYE: transition (3)
// of RFC 3501's state diagram, "connection rejected".
func rejectIMAP(w io.ReadWriter) error {
	return imap.NewSession(imap.Options{Reject: "Too many connections; try again in a minute"}).Serve(w)
}
