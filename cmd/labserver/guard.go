package main

import (
	"net"
	"sync"
	"time"
)

// aLongTimeAgo is a deadline already passed: setting it wakes a blocked
// read at once with a timeout error.
var aLongTimeAgo = time.Unix(1, 0)

// guardedConn is the net.Conn a session sees. It bounds every write with
// writeTimeout, so a client that stops reading cannot hold a session
// forever, and once stopped it keeps every read deadline in the past: the
// session's autologout timer (lineio.SetIdle) can no longer push it out, so
// the session's next read ends it the way an autologout does.
type guardedConn struct {
	net.Conn
	writeTimeout time.Duration

	mu      sync.Mutex
	stopped bool
	done    chan struct{} // closed by stop and Close
	once    sync.Once
}

// Close closes the connection and ends a sleep.
func (g *guardedConn) Close() error {
	g.end()
	return g.Conn.Close()
}

func (g *guardedConn) end() {
	if g.done != nil {
		g.once.Do(func() { close(g.done) })
	}
}

// sleep waits d, or until the connection is stopped or closed: a session
// waiting to answer a failed login does not hold up a shutdown.
func (g *guardedConn) sleep(d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-g.done:
	}
}

func (g *guardedConn) Write(p []byte) (int, error) {
	if g.writeTimeout > 0 {
		if err := g.Conn.SetWriteDeadline(time.Now().Add(g.writeTimeout)); err != nil {
			return 0, err
		}
	}
	return g.Conn.Write(p)
}

func (g *guardedConn) SetReadDeadline(t time.Time) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.stopped {
		t = aLongTimeAgo
	}
	return g.Conn.SetReadDeadline(t)
}

func (g *guardedConn) SetDeadline(t time.Time) error {
	if err := g.SetReadDeadline(t); err != nil {
		return err
	}
	return g.Conn.SetWriteDeadline(t)
}

// stop asks the session to end: its pending or next read times out.
func (g *guardedConn) stop() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.stopped = true
	g.Conn.SetReadDeadline(aLongTimeAgo)
	g.end()
}

func (g *guardedConn) isStopped() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.stopped
}
