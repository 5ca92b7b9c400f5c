package pop3

import (
	"io"
	"maps"
	"slices"

	"maillab/sim/proto"
)

func init() {
	proto.Register(&proto.Protocol{
		Name:       "pop3",
		Title:      "POP3",
		Port:       110,
		Machine:    Machine,
		DotStuffed: "server",
		Order:      0,
		Statuses:   []string{statusOK, statusErr, statusCont},
		Commands:   slices.Sorted(maps.Keys(commands)),
		Listeners: []proto.Listener{
			{Flag: "pop3", Addr: "127.0.0.1:1110", Usage: "POP3 listen `ADDR` (plain text; STLS upgrades to TLS); \"off\" disables"},
			{Flag: "pop3s", TLS: true, Usage: "POP3 over implicit TLS (RFC 8314) listen `ADDR`, e.g. 127.0.0.1:1995; \"off\" disables"},
		},
		Open: func(c proto.Config) proto.Session {
			return NewSession(Options{
				Store: c.Store, Events: c.Events, Explain: c.Explain, SessionID: c.SessionID, Hostname: c.Hostname,
				Lang: c.Lang, Log: c.Log, Now: c.Now, Rand: c.Rand, Autologout: c.Autologout,
				StartTLS: c.StartTLS, TLS: c.TLS, Disabled: c.Disabled, ProcessID: c.ProcessID,
				APOPTimestamp: c.APOPTimestamp, Connection: c.Connection, UIDLFormat: c.UIDLFormat, Auth: c.Auth,
				NoFlagUpdates: c.NoFlagUpdates,
			})
		},
		Reject: reject,
	})
}

// reject refuses a connection over the limit with a negative greeting;
// RFC 2449 section 8.1.2 defines SYS/TEMP for a problem that may go away.
func reject(w io.ReadWriter) error {
	_, err := io.WriteString(w, "-ERR [SYS/TEMP] too many connections; try again in a minute\r\n")
	return err
}
