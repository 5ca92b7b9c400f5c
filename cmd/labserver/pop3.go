package main

import (
	"context"
	"io"
	"os"

	"maillab/sim/pop3"
)

func init() {
	// The POP3 session marks every line that may carry credentials Secret.
	register(&protocol{name: "pop3", serve: servePOP3, reject: rejectPOP3, machine: pop3.Machine})
}

func servePOP3(ctx context.Context, c *conn) error {
	return pop3.NewSession(pop3.Options{
		Store:         c.srv.Store,
		Events:        c.events(),
		SessionID:     c.id,
		Lang:          c.srv.Lang,
		Log:           c.sessionLog(),
		Autologout:    c.idle(),
		StartTLS:      c.startTLS(ctx),
		TLS:           c.tlsOn,
		APOPTimestamp: c.srv.APOPTimestamp,
		UIDLFormat:    c.srv.UIDLFormat,
		ProcessID:     os.Getpid(),
	}).Serve(c.rw)
}

// rejectPOP3 refuses a connection over the limit with a negative greeting;
// RFC 2449 section 8.1.2 defines SYS/TEMP for a problem that may go away.
func rejectPOP3(w io.ReadWriter) error {
	_, err := io.WriteString(w, "-ERR [SYS/TEMP] too many connections; try again in a minute\r\n")
	return err
}
