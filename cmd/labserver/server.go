package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"maillab/sim/mailpath"
	"maillab/sim/mailstore"
	"maillab/sim/proto"
	_ "maillab/sim/proto/all" // every protocol labserver can serve
	"maillab/sim/smtp"
)

// ErrServerClosed is returned by Serve after Shutdown or Close.
var ErrServerClosed = errors.New("labserver: server closed")

// Server serves mail protocol sessions on any number of listeners, in the
// shape of net/http's Server: it owns its listeners, runs one conn per
// connection with its own serve loop, keeps its limits as fields and shuts
// down gracefully.
type Server struct {
	Store         *mailstore.Store
	Lang          string // language of the sessions' explanations
	APOPTimestamp string // pins the POP3 APOP timestamp; "" makes one per connection
	UIDLFormat    string // POP3 UIDL ids, as Dovecot's pop3_uidl_format; "" for the default
	NoFlagUpdates bool   // POP3 RETR sets no \Seen, as Dovecot's pop3_no_flag_updates
	// Domains are the mail domains SMTP and LMTP deliver for; nil: the
	// lab's (example.org, localhost).
	Domains []string
	// MailPath carries an authenticated client's mail for the topology's
	// other domains through the simulated path; nil: refused.
	MailPath *mailpath.Lab
	// TLSConfig enables STLS/STARTTLS and implicit-TLS listeners; nil
	// offers neither.
	TLSConfig *tls.Config
	// MaxConns limits simultaneous connections per listener; 0 is no limit.
	MaxConns int
	// MaxConnsPerIP limits simultaneous connections from one client
	// address, over every listener, so one client cannot fill the server;
	// 0 is no limit.
	MaxConnsPerIP int
	// LoginTimeout bounds the time from accepting a connection to its
	// login (for SMTP's MTA and LMTP, where nobody logs in: to the
	// client's HELO, EHLO or LHLO), TLS handshake included; 0 is no bound.
	LoginTimeout time.Duration
	// AuthDelay is the wait before a failed login is answered, growing
	// for an address or user name that keeps failing (see throttle); 0
	// answers at once.
	AuthDelay time.Duration
	// AuthFailures is how many failed logins close a connection; 0 leaves
	// each protocol its own rule (POP3 10, IMAP and SMTP none).
	AuthFailures int
	// Idle is the autologout timeout; 0 leaves each protocol its RFC
	// minimum (10 minutes for POP3, 30 for IMAP).
	Idle time.Duration
	// WriteTimeout bounds each write, so a client that stops reading cannot
	// hold a session forever; 0 is no bound.
	WriteTimeout time.Duration
	// HandshakeTimeout bounds a TLS handshake; 0 means 10 seconds.
	HandshakeTimeout time.Duration
	Log              *slog.Logger // nil: slog.Default()

	mu        sync.Mutex
	listeners map[*listener]struct{}
	conns     map[*conn]struct{}
	perIP     map[string]int // connections being served, by client address
	throttle  throttle
	closing   atomic.Bool
	wg        sync.WaitGroup // every connection goroutine
	seq       atomic.Uint64  // session ids
}

// listener is one listening socket and the protocol it speaks.
type listener struct {
	net.Listener
	proto       *proto.Protocol
	implicitTLS bool
	role        string       // proto.Config.Role of its sessions
	active      atomic.Int64 // connections being served
}

// Serve accepts connections on l and serves the named protocol on each, as
// spec says: over TLS from the first byte when spec.TLS is set, in the role
// spec.Role. It returns ErrServerClosed after Shutdown or Close, or the
// accept error that ended it.
func (s *Server) Serve(l net.Listener, protoName string, spec proto.Listener) error {
	p, ok := proto.Get(protoName)
	if !ok {
		return fmt.Errorf("labserver: protocol %q is not in this build (have %v)", protoName, proto.Names())
	}
	if spec.TLS && s.TLSConfig == nil {
		return fmt.Errorf("labserver: %s over implicit TLS needs a TLS configuration", protoName)
	}
	ln := &listener{Listener: l, proto: p, implicitTLS: spec.TLS, role: spec.Role}
	if !s.track(ln) {
		l.Close()
		return ErrServerClosed
	}
	defer s.untrack(ln)
	var backoff time.Duration
	for {
		nc, err := l.Accept()
		if err != nil {
			if s.closing.Load() {
				return ErrServerClosed
			}
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				// Out of file descriptors and the like: wait and retry,
				// as net/http does, instead of spinning or giving up.
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				s.logger().Warn("accept failed; retrying", "proto", p.Name, "err", err, "retry_in", backoff)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		s.accept(ln, nc)
	}
}

// accept starts serving nc, or refuses it when its listener is full or
// its client has as many connections as one may.
func (s *Server) accept(ln *listener, nc net.Conn) {
	if s.MaxConns > 0 && ln.active.Load() >= int64(s.MaxConns) {
		s.wg.Go(func() { s.refuse(ln, nc, "too many connections", "max_conns", s.MaxConns) })
		return
	}
	c := s.newConn(ln, nc)
	switch s.trackConn(c) {
	case trackClosing:
		nc.Close()
		return
	case trackOverIP:
		s.wg.Go(func() {
			s.refuse(ln, nc, "too many connections from one address", "max_conns_per_ip", s.MaxConnsPerIP)
		})
		return
	}
	ln.active.Add(1)
	s.wg.Go(func() {
		defer ln.active.Add(-1)
		defer s.untrackConn(c)
		c.serve()
	})
}

// refuseTimeout bounds the whole refusal of a connection over the limit,
// TLS handshake included, so refusals cannot pile up.
const refuseTimeout = 5 * time.Second

// refuse tells a client over the limit to come back later, in its
// protocol's words, and hangs up. Over implicit TLS the words can only be
// read after a handshake, so it makes one first and ends with close_notify.
func (s *Server) refuse(ln *listener, nc net.Conn, why, limit string, n int) {
	defer nc.Close()
	s.logger().Warn("connection refused: "+why,
		"proto", ln.proto.Name, "remote", nc.RemoteAddr().String(), limit, n)
	nc.SetDeadline(time.Now().Add(refuseTimeout))
	var rw io.ReadWriter = nc
	if ln.implicitTLS {
		tc := tls.Server(nc, s.TLSConfig)
		if err := tc.Handshake(); err != nil {
			return
		}
		defer tc.Close()
		rw = tc
	}
	ln.proto.Reject(rw)
}

func (s *Server) logger() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

func (s *Server) handshakeTimeout() time.Duration {
	if s.HandshakeTimeout > 0 {
		return s.HandshakeTimeout
	}
	return 10 * time.Second
}

func (s *Server) track(ln *listener) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing.Load() {
		return false
	}
	if s.listeners == nil {
		s.listeners = map[*listener]struct{}{}
	}
	s.listeners[ln] = struct{}{}
	return true
}

func (s *Server) untrack(ln *listener) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.listeners, ln)
}

// Results of trackConn.
const (
	tracked      = iota
	trackClosing // the server is shutting down
	trackOverIP  // the client's address is at MaxConnsPerIP
)

func (s *Server) trackConn(c *conn) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing.Load() {
		return trackClosing
	}
	if s.MaxConnsPerIP > 0 && s.perIP[c.addr] >= s.MaxConnsPerIP {
		return trackOverIP
	}
	if s.conns == nil {
		s.conns = map[*conn]struct{}{}
		s.perIP = map[string]int{}
	}
	s.conns[c] = struct{}{}
	s.perIP[c.addr]++
	return tracked
}

func (s *Server) untrackConn(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c)
	if s.perIP[c.addr]--; s.perIP[c.addr] <= 0 {
		delete(s.perIP, c.addr)
	}
}

// Shutdown stops the server gracefully: it closes every listener, tells
// every session to end (its next read times out, so POP3 deletes nothing
// and IMAP says BYE), and waits for the sessions until ctx is done; then it
// closes the connections still open and returns ctx's error.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing.Store(true)
	s.closeListenersLocked()
	for c := range s.conns {
		c.rwc.stop()
	}
	s.mu.Unlock()

	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		s.closeConns()
		<-done
		return ctx.Err()
	}
}

// Close closes every listener and connection at once.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closing.Store(true)
	s.closeListenersLocked()
	s.mu.Unlock()
	s.closeConns()
	s.wg.Wait()
	return nil
}

func (s *Server) closeListenersLocked() {
	for ln := range s.listeners {
		ln.Close()
	}
}

func (s *Server) closeConns() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.rwc.Close()
	}
}

// relay is the mail path for a session's Config, nil (not a typed nil)
// when there is none.
// hostname is the name sessions of role give themselves: the MSA of the
// first of Domains the mail path has, as the page's MSA is its first
// domain's, so that its Received header names the host the next hop
// says the message came from; "" (localhost) otherwise.
func (s *Server) hostname(role string) string {
	if s.MailPath == nil || role != smtp.RoleMSA {
		return ""
	}
	domains := s.Domains
	if domains == nil {
		domains = smtp.DefaultDomains
	}
	for _, d := range domains {
		if h := s.MailPath.DomainMSAHost(d); h != "" {
			return h
		}
	}
	return ""
}

func (s *Server) relay() any {
	if s.MailPath == nil {
		return nil
	}
	return s.MailPath
}
