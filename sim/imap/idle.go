package imap

import (
	"strings"

	"maillab/sim/event"
	"maillab/sim/imap/wire"
	"maillab/sim/lineio"
)

// cmdIdle serves IDLE (RFC 2177): updates go out as they happen until the
// client sends DONE. The line is read on another goroutine while this one
// waits on the mailbox's change signal; events stay on this goroutine. The
// autologout deadline armed before the command still applies.
func (s *Session) cmdIdle(d *wire.Decoder) {
	d.End()
	s.send("+ idling")
	s.explain("idle")
	s.idleUpdates()
	if s.flush() != nil || s.State() == Logout {
		return
	}
	type result struct {
		line []byte
		err  error
	}
	lines := make(chan result, 1)
	go func() {
		l, err := s.R.ReadLine()
		lines <- result{l, err}
	}()
	var signal <-chan struct{}
	if s.sel != nil {
		signal = s.sel.w.Signal()
	}
	for {
		select {
		case <-signal:
			s.idleUpdates()
			if s.State() == Logout {
				s.flush()
				return
			}
			if s.flush() != nil {
				<-lines
				return
			}
		case r := <-lines:
			if r.err != nil {
				s.rerr = r.err
				return
			}
			s.Emit(event.Event{Kind: event.Client, Line: lineio.Printable(string(r.line)), Tag: s.tag, Command: s.cmd})
			if !strings.EqualFold(strings.TrimSpace(string(r.line)), "DONE") {
				s.bad("IDLE ends with DONE, not "+lineio.Printable(string(r.line)), "bad.idle")
				return
			}
			s.ok("", "IDLE terminated")
			return
		}
	}
}

// idleUpdates sends what changed while idling. No tagged OK may carry
// HIGHESTMODSEQ after a VANISHED that IDLE sent, the client may wait long
// for DONE: an untagged OK tells it at once, as Dovecot does.
func (s *Session) idleUpdates() {
	s.sendUpdates(true)
	if s.sentVanished && s.sel != nil {
		s.sendHighestModSeq()
	}
	s.sentVanished = false
}
