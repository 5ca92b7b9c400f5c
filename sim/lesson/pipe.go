package lesson

import (
	"io"
	"sync"
)

// pipeEnd is one end of an in-memory full-duplex connection, like
// net.Pipe but without the net package (sim/ builds for the browser).
type pipeEnd struct {
	r    *io.PipeReader
	w    *io.PipeWriter
	once *sync.Once
	peer *pipeEnd
}

func newPipe() (client, server *pipeEnd) {
	r1, w1 := io.Pipe() // client → server
	r2, w2 := io.Pipe() // server → client
	once := &sync.Once{}
	client = &pipeEnd{r: r2, w: w1, once: once}
	server = &pipeEnd{r: r1, w: w2, once: once}
	client.peer, server.peer = server, client
	return client, server
}

func (p *pipeEnd) Read(b []byte) (int, error)  { return p.r.Read(b) }
func (p *pipeEnd) Write(b []byte) (int, error) { return p.w.Write(b) }

// Close ends both directions, as a dropped TCP connection does.
func (p *pipeEnd) Close() error {
	p.once.Do(func() {
		p.w.Close()
		p.r.Close()
		p.peer.w.Close()
		p.peer.r.Close()
	})
	return nil
}
