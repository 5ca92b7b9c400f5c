package lesson

import (
	"maillab/sim/fsm"
	"maillab/sim/proto"
	_ "maillab/sim/proto/all" // every protocol a lesson may name
)

// Server is one protocol session as the engine drives it.
type Server = proto.Session

// SessionOptions are what the engine sets on every session it opens.
type SessionOptions = proto.Config

// Machine returns the state machine of the protocol named proto, or nil.
func Machine(name string) *fsm.Machine { return proto.Machine(name) }
