package lesson

import (
	"io"
	"sync"
	"time"
)

// pipeEnd is one end of an in-memory full-duplex connection, like
// net.Pipe but without the net package (sim/ builds for the browser).
type pipeEnd struct {
	r    *io.PipeReader
	w    *io.PipeWriter
	once *sync.Once
	peer *pipeEnd

	// clock is the sessions' fixed time: a read deadline a session sets
	// is that time plus its autologout, which runs in real time here.
	clock time.Time
	mu    sync.Mutex
	timer *time.Timer
}

func newPipe(clock time.Time) (client, server *pipeEnd) {
	r1, w1 := io.Pipe() // client → server
	r2, w2 := io.Pipe() // server → client
	once := &sync.Once{}
	client = &pipeEnd{r: r2, w: w1, once: once, clock: clock}
	server = &pipeEnd{r: r1, w: w2, once: once, clock: clock}
	client.peer, server.peer = server, client
	return client, server
}

func (p *pipeEnd) Read(b []byte) (int, error)  { return p.r.Read(b) }
func (p *pipeEnd) Write(b []byte) (int, error) { return p.w.Write(b) }

// timeoutError is what a read past its deadline returns, as a net.Conn's
// does: sessions take it for an autologout.
type timeoutError struct{}

func (timeoutError) Error() string { return "read deadline exceeded" }
func (timeoutError) Timeout() bool { return true }

// SetReadDeadline makes a read that waits until t fail with a timeout.
// Sessions set it before each command, so an idle learner is logged out
// (RFC 1939 section 3, RFC 3501 section 5.4); the read side is then done.
func (p *pipeEnd) SetReadDeadline(t time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.timer != nil {
		p.timer.Stop()
		p.timer = nil
	}
	if t.IsZero() {
		return nil
	}
	// Ending the other side's writer with the error is what makes this
	// side's read return it.
	p.timer = time.AfterFunc(max(t.Sub(p.clock), 0), func() { p.peer.w.CloseWithError(timeoutError{}) })
	return nil
}

// Close ends both directions, as a dropped TCP connection does.
func (p *pipeEnd) Close() error {
	p.once.Do(func() {
		for _, e := range []*pipeEnd{p, p.peer} {
			e.mu.Lock()
			if e.timer != nil {
				e.timer.Stop()
			}
			e.mu.Unlock()
			e.w.Close()
			e.r.Close()
		}
	})
	return nil
}
