package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"maillab/sim/event"
	"maillab/sim/lineio"
	"maillab/sim/proto"
	"maillab/sim/session"
)

// conn is one client connection and the session served on it.
type conn struct {
	srv *Server
	ln  *listener
	rwc *guardedConn // the socket, guarded by the server's deadlines
	// rw is what the session reads and writes: rwc, or the TLS connection
	// over it once TLS is on.
	rw    net.Conn
	id    string // session id: proto and a sequence number, "pop3-7"
	addr  string // the client's address without the port: what the limits count
	log   *slog.Logger
	start time.Time
	// ended is the Trigger of the session's Close event.
	ended session.End
	// tlsOn is set once the connection speaks TLS (implicitly or after
	// STLS/STARTTLS); only the session goroutine touches it.
	tlsOn bool
	// sess is the session once opened: the login timer asks it whether
	// the client has logged in.
	sess atomic.Pointer[loginState]
	// loginExpired: the login timeout ended the session.
	loginExpired atomic.Bool
}

// loginState is what a session tells of its login; sim/session.Base has
// it.
type loginState interface{ IsLoggedIn() bool }

func (s *Server) newConn(ln *listener, nc net.Conn) *conn {
	id := fmt.Sprintf("%s-%d", ln.proto.Name, s.seq.Add(1))
	return &conn{
		srv:   s,
		ln:    ln,
		rwc:   &guardedConn{Conn: nc, writeTimeout: s.WriteTimeout, done: make(chan struct{})},
		id:    id,
		addr:  host(nc.RemoteAddr()),
		log:   s.logger().With("proto", ln.proto.Name, "remote", nc.RemoteAddr().String(), "session", id),
		start: time.Now(),
	}
}

// sessionLog is the logger handed to a sim session, which adds the
// session id itself.
func (c *conn) sessionLog() *slog.Logger {
	return c.srv.logger().With("proto", c.ln.proto.Name, "remote", c.rwc.RemoteAddr().String())
}

// serve runs the session and logs how it ended.
func (c *conn) serve() {
	defer c.close()
	c.rw = c.rwc
	c.log.Info("connect", "tls", c.ln.implicitTLS)
	err := c.run()
	c.log.Info("disconnect", "duration", time.Since(c.start).Round(time.Millisecond), "reason", c.reason(err))
}

// close ends the connection. Over TLS it first ends the TLS layer with a
// close_notify alert (RFC 8446 section 6.1), which tls.Conn.Close sends
// before it closes the socket: without it a client cannot tell the end of
// the session from a cut connection.
func (c *conn) close() {
	if tc, ok := c.rw.(*tls.Conn); ok {
		tc.Close()
		return
	}
	c.rwc.Close()
}

// run serves the protocol, after the TLS handshake on an implicit-TLS
// listener. A panic in a session ends that session only.
func (c *conn) run() (err error) {
	defer func() {
		if p := recover(); p != nil {
			c.log.Error("session panicked", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			err = fmt.Errorf("internal error: %v", p)
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if t := c.srv.LoginTimeout; t > 0 {
		timer := time.AfterFunc(t, c.loginTimeout)
		defer timer.Stop()
	}
	if c.ln.implicitTLS {
		if err := c.handshake(ctx); err != nil {
			return err
		}
	}
	sess := c.ln.proto.Open(proto.Config{
		Store:         c.srv.Store,
		Events:        c.events(),
		SessionID:     c.id,
		Lang:          c.srv.Lang,
		Log:           c.sessionLog(),
		Autologout:    c.idle(),
		StartTLS:      c.startTLS(ctx),
		TLS:           c.tlsOn,
		Role:          c.ln.role,
		Hostname:      c.srv.hostname(c.ln.role),
		Remote:        c.rwc.RemoteAddr().String(),
		Domains:       c.srv.Domains,
		Relay:         c.srv.relay(),
		ProcessID:     os.Getpid(),
		APOPTimestamp: c.srv.APOPTimestamp,
		UIDLFormat:    c.srv.UIDLFormat,
		NoFlagUpdates: c.srv.NoFlagUpdates,
		Auth: session.Throttle{
			Delay:       c.authDelay,
			MaxFailures: c.srv.AuthFailures,
			Sleep:       c.rwc.sleep,
		},
	})
	if ls, ok := sess.(loginState); ok {
		c.sess.Store(&ls)
	}
	err = sess.Serve(c.rw)
	if e, ok := sess.(interface{ Ended() session.End }); ok {
		c.ended = e.Ended()
	}
	return err
}

// loginTimeout ends a connection whose client has not logged in within
// the server's LoginTimeout: its next read times out, as at an
// autologout. A session that does not tell its login is left alone once
// it is open.
func (c *conn) loginTimeout() {
	if p := c.sess.Load(); p != nil && (*p).IsLoggedIn() {
		return
	}
	c.loginExpired.Store(true)
	c.log.Warn("login timeout: no login in time; closing", "login_timeout", c.srv.LoginTimeout)
	c.rwc.stop()
}

// authDelay is the sessions' throttle hook: the wait before a failed
// login of user is answered, logged when there is one. The password is
// not given to it.
func (c *conn) authDelay(user string) time.Duration {
	d, n := c.srv.throttle.failed(c.srv.AuthDelay, c.addr, user, time.Now())
	if d > 0 {
		c.log.Warn("login throttled", "user", user, "failures", n, "delay", d)
	}
	return d
}

// handshake turns c.rw into a TLS server connection, within the server's
// handshake timeout.
func (c *conn) handshake(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, c.srv.handshakeTimeout())
	defer cancel()
	tc := tls.Server(c.rwc, c.srv.TLSConfig)
	if err := tc.HandshakeContext(ctx); err != nil {
		return fmt.Errorf("TLS handshake: %w", err)
	}
	c.tlsOn = true
	c.rw = tc
	st := tc.ConnectionState()
	c.log.Info("tls", "version", tls.VersionName(st.Version), "cipher", tls.CipherSuiteName(st.CipherSuite))
	return nil
}

// startTLS is the session's STLS/STARTTLS hook (RFC 2595): nil, so the
// command is not offered, when the server has no TLS configuration or the
// connection already speaks TLS. The session has already sent its "+OK" or
// "OK"; the hook returns the connection to go on with.
func (c *conn) startTLS(ctx context.Context) func(io.ReadWriter) (io.ReadWriter, error) {
	if c.srv.TLSConfig == nil || c.tlsOn {
		return nil
	}
	return func(io.ReadWriter) (io.ReadWriter, error) {
		if err := c.handshake(ctx); err != nil {
			return nil, err
		}
		return c.rw, nil
	}
}

// events is the session's event sink: at debug level it logs every
// protocol line, with the lines that may carry credentials hidden. It
// reads no explanation, so the sessions build none (Config.Explain stays
// false). Below debug there is no sink, so a session serving a real
// client builds no event at all; how the session ended comes from the
// session itself.
func (c *conn) events() event.Sink {
	if !c.log.Enabled(context.Background(), slog.LevelDebug) {
		return nil
	}
	t := transcript{proto: c.ln.proto}
	return func(e event.Event) {
		switch e.Kind {
		case event.Client:
			c.log.Debug("C: " + t.client(e))
		case event.Server:
			c.log.Debug("S: " + t.server(e))
		case event.Transition:
			c.log.Debug("transition", "from", e.From, "to", e.To, "id", e.Transition, "trigger", e.Trigger)
		}
	}
}

// transcript decides what of each protocol line the debug log may show. A
// password must never reach it. A client line the session marks Secret is
// written as its verb and "…", the verb only when it is one of the
// protocol's commands: an unknown first word may be the password itself.
// The sessions mark every line that may carry credentials, however it is
// typed, every line of a SASL exchange among them, and never quote one
// back; server lines are written as they are.
type transcript struct {
	proto *proto.Protocol
}

func (t *transcript) client(e event.Event) string {
	if !e.Secret {
		return lineio.Printable(e.Line)
	}
	if !t.proto.Machine.Known(e.Command) {
		return "…"
	}
	verb := e.Command
	if e.Tag != "" {
		verb = e.Tag + " " + verb
	}
	return lineio.Printable(verb) + " …"
}

func (t *transcript) server(e event.Event) string {
	if e.Secret {
		// An answer repeating the tag of a line that may be a password.
		_, rest, _ := strings.Cut(e.Line, " ")
		return "… " + lineio.Printable(rest)
	}
	return lineio.Printable(e.Line)
}

// idle is the autologout the session arms.
func (c *conn) idle() time.Duration { return c.srv.Idle }

// reason says in a few words why a session ended, for the disconnect log.
func (c *conn) reason(err error) string {
	stopped := c.rwc.isStopped()
	switch {
	case c.loginExpired.Load():
		return "login timeout: no login in time"
	case stopped && (err == nil && c.ended == session.Timeout || lineio.IsTimeout(err) || errors.Is(err, net.ErrClosed)):
		return "server shutdown"
	case err == nil && c.ended == session.Timeout, lineio.IsTimeout(err):
		return "autologout: idle too long"
	case err == nil && c.ended == session.Drop, errors.Is(err, io.EOF):
		return "client closed the connection"
	case err == nil && c.ended != "":
		return string(c.ended)
	case err == nil:
		return "session ended"
	case errors.Is(err, net.ErrClosed):
		return "connection closed"
	}
	return lineio.Printable(err.Error())
}
