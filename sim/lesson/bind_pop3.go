package lesson

import "maillab/sim/pop3"

func init() {
	register("pop3", Protocol{Machine: pop3.Machine, Open: func(o SessionOptions) Server {
		return pop3.NewSession(pop3.Options{
			Store: o.Store, Events: o.Events, SessionID: o.SessionID, Hostname: o.Hostname,
			Lang: o.Lang, Now: o.Now, Disabled: o.Disabled, APOPTimestamp: o.APOPTimestamp, Autologout: o.Autologout, UIDLFormat: o.UIDLFormat,
		})
	}})
}
