package smtp

import (
	"io"
	"maps"
	"slices"

	"maillab/sim/fsm"
	"maillab/sim/proto"
)

func init() {
	commands := slices.Sorted(maps.Keys(verbs))
	// What the parser knows and a machine allows nowhere is answered 502
	// there: RFC 821's SEND, SOML, SAML and TURN, ETRN, and in LMTP HELO,
	// EHLO and STARTTLS.
	refused := func(m *fsm.Machine) []string {
		var out []string
		for _, v := range commands {
			if !m.Known(v) {
				out = append(out, v)
			}
		}
		return out
	}
	open := func(lmtp bool) func(proto.Config) proto.Session {
		return func(c proto.Config) proto.Session {
			relay, _ := c.Relay.(Relay)
			return NewSession(Options{Relay: relay,
				Store: c.Store, Events: c.Events, Explain: c.Explain, SessionID: c.SessionID, Hostname: c.Hostname,
				Lang: c.Lang, Log: c.Log, Now: c.Now, Rand: c.Rand, Autologout: c.Autologout,
				StartTLS: c.StartTLS, TLS: c.TLS, Disabled: c.Disabled, Role: c.Role,
				LMTP: lmtp, Domains: c.Domains, Users: c.Users, Remote: c.Remote, Auth: c.Auth,
			})
		}
	}
	proto.Register(&proto.Protocol{
		Name:       "smtp",
		Title:      "SMTP",
		Port:       25,
		DotStuffed: "client", // DATA
		Machine:    Machine,
		Order:      2,
		// A reply's three digits (RFC 5321 section 4.2).
		StatusPattern: statusPattern,
		Commands:      commands,
		Refused:       refused(Machine),
		Listeners: []proto.Listener{
			{Flag: "smtp", Addr: "127.0.0.1:1025", Role: RoleMTA,
				Usage: "SMTP listen `ADDR`, the MTA of port 25: mail for the lab's domains from anyone, no relaying (STARTTLS upgrades); \"off\" disables"},
			{Flag: "submission", Addr: "127.0.0.1:1587", Role: RoleMSA,
				Usage: "SMTP submission listen `ADDR`, the MSA of port 587 (RFC 6409): AUTH required, Date and Message-ID completed; \"off\" disables"},
			{Flag: "smtps", TLS: true, Role: RoleMSA,
				Usage: "SMTP submission over implicit TLS (RFC 8314, port 465) listen `ADDR`, e.g. 127.0.0.1:1465; \"off\" disables"},
		},
		Open:   open(false),
		Reject: reject,
	})
	proto.Register(&proto.Protocol{
		Name:          "lmtp",
		Title:         "LMTP",
		Port:          24, // none is assigned; Dovecot's and Cyrus's examples use 24
		DotStuffed:    "client",
		Machine:       LMTPMachine,
		Order:         3,
		StatusPattern: statusPattern,
		Commands:      commands,
		Refused:       refused(LMTPMachine),
		Listeners: []proto.Listener{
			{Flag: "lmtp", Usage: "LMTP listen `ADDR` (RFC 2033: delivery into the mailboxes, one reply per recipient), e.g. 127.0.0.1:1024; \"off\" disables"},
		},
		Open:   open(true),
		Reject: reject,
	})
}

const statusPattern = "^[2-5][0-5][0-9]$"

// reject turns away a connection over the limit with 421 in place of the
// greeting (RFC 5321 section 3.1).
func reject(w io.ReadWriter) error {
	_, err := reply("shutdown", "localhost").WriteTo(w, false)
	return err
}
