package main

import (
	"context"
	"io"

	"maillab/sim/imap"
)

func init() {
	register(&protocol{name: "imap", serve: serveIMAP, reject: rejectIMAP, machine: imap.Machine})
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
