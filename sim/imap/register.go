package imap

import (
	"io"
	"maps"
	"slices"

	"maillab/sim/proto"
)

func init() {
	proto.Register(&proto.Protocol{
		Name:     "imap",
		Title:    "IMAP",
		Port:     143,
		Machine:  Machine,
		Tagged:   true,
		Order:    1,
		Statuses: []string{"OK", "NO", "BAD", "BYE", "PREAUTH", "+", "*"},
		Commands: slices.Sorted(maps.Keys(handlers)),
		Listeners: []proto.Listener{
			{Flag: "imap", Addr: "127.0.0.1:1143", Usage: "IMAP listen `ADDR` (plain text; STARTTLS upgrades to TLS); \"off\" disables"},
			{Flag: "imaps", TLS: true, Usage: "IMAP over implicit TLS listen `ADDR`, e.g. 127.0.0.1:1993; \"off\" disables"},
		},
		Open: func(c proto.Config) proto.Session {
			return NewSession(Options{
				Store: c.Store, Events: c.Events, Explain: c.Explain, SessionID: c.SessionID, Hostname: c.Hostname,
				Lang: c.Lang, Log: c.Log, Now: c.Now, Rand: c.Rand, Autologout: c.Autologout,
				StartTLS: c.StartTLS, TLS: c.TLS, Disabled: c.Disabled,
				Preauth: c.Preauth, Reject: c.Reject, Auth: c.Auth,
			})
		},
		Reject: reject,
	})
}

// reject greets a connection over the limit with BYE: transition (3) of
// RFC 3501's state diagram, "connection rejected".
func reject(w io.ReadWriter) error {
	return NewSession(Options{Reject: "Too many connections; try again in a minute"}).Serve(w)
}
