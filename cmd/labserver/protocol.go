package main

import (
	"context"
	"fmt"
	"io"
	"sort"

	"maillab/sim/fsm"
)

// protocol is one mail protocol the server speaks. Each protocol's file
// registers itself from init, so adding a protocol is one small file.
type protocol struct {
	name string // "pop3", "imap": the log's proto attribute and the session id prefix
	// serve runs one session on c until it ends.
	serve func(ctx context.Context, c *conn) error
	// reject answers a connection over the -max-conns limit before it is
	// closed: the protocol's own way to say "try again later".
	reject func(rw io.ReadWriter) error
	// machine is the protocol's state machine: which verbs are commands.
	machine *fsm.Machine
}

var protocols = map[string]*protocol{}

func register(p *protocol) {
	if _, dup := protocols[p.name]; dup {
		panic(fmt.Sprintf("labserver: protocol %s registered twice", p.name))
	}
	protocols[p.name] = p
}

// protocolNames lists the registered protocols, sorted.
func protocolNames() []string {
	var out []string
	for n := range protocols {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
