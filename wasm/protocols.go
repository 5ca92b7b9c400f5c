package main

import (
	"encoding/json"

	"maillab/sim/fsm"
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

// machinesJSON is every protocol's state machine, for the page to draw.
func machinesJSON() ([]byte, error) {
	out := map[string]*fsm.Machine{}
	for _, p := range proto.All() {
		out[p.Name] = p.Machine
	}
	return json.Marshal(out)
}
