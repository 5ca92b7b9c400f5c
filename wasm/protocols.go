package main

import (
	"strconv"

	"maillab/sim/proto"
	_ "maillab/sim/proto/all" // every protocol the page can open
)

// config is what a page's session is built from: the page's options over
// the Lab's store and event sink.
func (o SessionOptions) config(id string, c proto.Config) proto.Config {
	c.SessionID = id
	c.Hostname = o.Hostname
	c.Lang = o.Lang
	c.Disabled = o.Disabled
	c.APOPTimestamp = o.APOPTimestamp
	c.UIDLFormat = o.UIDLFormat
	c.Preauth = o.Preauth
	c.Reject = o.Reject
	c.Autologout = o.autologout()
	return c
}

// machinesJSON is every protocol's state machine, for the page to draw:
// {"pop3": {...}, "imap": {...}} in the registry's order, put together by
// hand, as the page waits for it at its start (see fsm.Machine.MarshalJSON).
func machinesJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, p := range proto.All() {
		m, err := p.Machine.MarshalJSON()
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, p.Name)
		b = append(b, ':')
		b = append(b, m...)
	}
	return append(b, '}'), nil
}
