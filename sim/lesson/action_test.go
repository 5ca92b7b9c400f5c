package lesson

import (
	"strings"
	"testing"
)

// :connect NAME PROTOCOL opens a terminal of another protocol, and goals
// of that session are checked in its protocol; an unknown protocol is
// refused when the lesson loads.
func TestConnectAnotherProtocol(t *testing.T) {
	src := `id: x
protocol: smtp
level: 1
title: {en: x}
fixture:
  accounts: [{user: melanie, password: toybox}]
steps:
  - text: {en: Fetch.}
    goals:
      - {session: pop, response: {command: STAT, status: "+OK"}}
    solution: [":connect pop pop3", USER melanie, PASS toybox, STAT]
`
	l, err := Parse("x.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if err := Replay(l); err != nil {
		t.Fatal(err)
	}
	_, err = Parse("x.yaml", []byte(strings.Replace(src, ":connect pop pop3", ":connect pop nosuch", 1)))
	if err == nil || !strings.Contains(err.Error(), `no protocol "nosuch"`) {
		t.Errorf("an unknown protocol: %v", err)
	}
	// STAT is a POP3 command: without the protocol the goal is refused.
	_, err = Parse("x.yaml", []byte(strings.Replace(src, ":connect pop pop3", ":connect pop", 1)))
	if err == nil || !strings.Contains(err.Error(), `smtp has no command "STAT"`) {
		t.Errorf("a POP3 goal on an SMTP session: %v", err)
	}
}
