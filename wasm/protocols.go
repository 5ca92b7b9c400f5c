package main

import (
	"strconv"

	"maillab/sim/proto"
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

// machinesJSON is every protocol as the page offers it, in the registry's
// order: {"pop3": {...}, "imap": {...}}, each its state machine for the
// page to draw (see fsm.Machine.MarshalJSON) with what the registry
// declares about the protocol in front: its "title", its usual "port",
// whether it is "tagged" and which side, if any, sends "dotStuffed" text.
// It is put together by hand, as the page waits for it at its start.
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
		b = append(b, `:{"title":`...)
		b = strconv.AppendQuote(b, p.Title)
		b = append(b, `,"port":`...)
		b = strconv.AppendInt(b, int64(p.Port), 10)
		b = append(b, `,"tagged":`...)
		b = strconv.AppendBool(b, p.Tagged)
		b = append(b, `,"dotStuffed":`...)
		b = strconv.AppendQuote(b, p.DotStuffed)
		b = append(b, ',')
		b = append(b, m[1:]...) // the machine's own fields, after its '{'
	}
	return append(b, '}'), nil
}
