package lesson

import "maillab/sim/imap"

func init() {
	register("imap", Protocol{Machine: imap.Machine, Open: func(o SessionOptions) Server {
		return imap.NewSession(imap.Options{
			Store: o.Store, Events: o.Events, SessionID: o.SessionID, Hostname: o.Hostname,
			Lang: o.Lang, Now: o.Now, Disabled: o.Disabled, Preauth: o.Preauth, Reject: o.Reject, Autologout: o.Autologout,
		})
	}})
}
