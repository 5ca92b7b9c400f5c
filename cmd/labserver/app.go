package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"

	"maillab/sim/mailstore"
	"maillab/sim/proto"
)

// shutdownGrace is how long sessions get to end after SIGINT/SIGTERM
// before their connections are closed.
const shutdownGrace = 5 * time.Second

// app is a configured labserver: its store, its mail server and its open
// listeners, ready to serve.
type app struct {
	cfg         *config
	log         *slog.Logger
	srv         *Server
	web         *http.Server
	listens     []*listenSpec
	webListener net.Listener
	fingerprint string
	demo        bool
}

// listenSpec is one listener the flags ask for.
type listenSpec struct {
	proto *proto.Protocol
	spec  proto.Listener
	addr  string
	ln    net.Listener
}

// newApp loads the store, prepares TLS and opens every listener, so that
// an address in use is reported before anything is served.
func newApp(cfg *config, log *slog.Logger) (*app, error) {
	store, err := openStore(cfg.maildir, cfg.persist, log)
	if err != nil {
		return nil, err
	}
	store.SetQuota(mailstore.Quota{Storage: cfg.quota, Messages: cfg.quotaMessages})
	tlsCfg, fp, err := tlsConfig(cfg.tlsCert, cfg.tlsKey)
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, log: log, fingerprint: fp, demo: cfg.maildir == ""}
	path, err := openMailPath(cfg, store, log)
	if err != nil {
		return nil, err
	}
	a.srv = &Server{
		Store:         store,
		Lang:          cfg.lang,
		APOPTimestamp: cfg.apopTimestamp,
		UIDLFormat:    cfg.uidlFormat,
		NoFlagUpdates: cfg.noFlagUpdates,
		Domains:       cfg.domainList(),
		MailPath:      path,
		TLSConfig:     tlsCfg,
		MaxConns:      cfg.maxConns,
		MaxConnsPerIP: cfg.maxConnsPerIP,
		LoginTimeout:  cfg.loginTimeout,
		AuthDelay:     cfg.authDelay,
		AuthFailures:  cfg.authFailures,
		Idle:          cfg.idle,
		WriteTimeout:  time.Minute,
		Log:           log,
	}
	if err := a.listen(); err != nil {
		a.closeListeners()
		return nil, err
	}
	return a, nil
}

// specs are the registered protocols' listeners, with the addresses the
// flags gave them.
func (a *app) specs() []*listenSpec {
	var out []*listenSpec
	for _, p := range proto.All() {
		for _, l := range p.Listeners {
			out = append(out, &listenSpec{proto: p, spec: l, addr: a.cfg.listen[l.Flag]})
		}
	}
	return out
}

func (a *app) listen() error {
	for _, sp := range a.specs() {
		if !enabled(sp.addr) {
			continue
		}
		ln, err := listenTCP("-"+sp.spec.Flag, sp.addr)
		if err != nil {
			return err
		}
		sp.ln = ln
		a.listens = append(a.listens, sp)
	}
	if enabled(a.cfg.http) {
		ln, err := listenTCP("-http", a.cfg.http)
		if err != nil {
			return err
		}
		a.webListener = ln
	}
	if len(a.listens) == 0 && a.webListener == nil {
		return errors.New("every listener is off: nothing to serve")
	}
	return nil
}

func listenTCP(flagName, addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	switch {
	case err == nil:
		return ln, nil
	case errors.Is(err, syscall.EADDRINUSE):
		return nil, fmt.Errorf("cannot listen on %s (%s): %w; is another labserver running? choose another address with %s ADDR or turn it off with %s off",
			addr, flagName, err, flagName, flagName)
	}
	return nil, fmt.Errorf("cannot listen on %s (%s): %w; give %s HOST:PORT (an address of this machine, a colon, a port 1-65535) or %s off",
		addr, flagName, err, flagName, flagName)
}

func (a *app) closeListeners() {
	for _, sp := range a.listens {
		sp.ln.Close()
	}
	if a.webListener != nil {
		a.webListener.Close()
	}
}

// run serves until ctx is done, then shuts down gracefully. It returns the
// first error that stopped a listener other than the shutdown itself.
func (a *app) run(ctx context.Context) error {
	errc := make(chan error, len(a.listens)+1)
	var wg sync.WaitGroup
	for _, sp := range a.listens {
		a.log.Info("listening", "proto", sp.proto.Name, "flag", "-"+sp.spec.Flag, "tls", sp.spec.TLS, "addr", sp.ln.Addr().String())
		wg.Go(func() {
			if err := a.srv.Serve(sp.ln, sp.proto.Name, sp.spec); !errors.Is(err, ErrServerClosed) {
				errc <- fmt.Errorf("%s listener on %s: %w", sp.proto.Name, sp.ln.Addr(), err)
			}
		})
	}
	if a.webListener != nil {
		a.web = newWebServer(a.cfg.lessons, a.log)
		a.log.Info("listening", "proto", "http", "addr", a.webListener.Addr().String())
		wg.Go(func() {
			if err := a.web.Serve(a.webListener); !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("http listener on %s: %w", a.webListener.Addr(), err)
			}
		})
	}
	stopRefresh := make(chan struct{})
	wg.Go(func() { a.refreshWatched(stopRefresh) })
	runCtx, stopQueue := context.WithCancel(ctx)
	if a.srv.MailPath != nil {
		wg.Go(func() { runQueue(runCtx, a.srv.MailPath) })
	}
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	close(stopRefresh)
	stopQueue()
	a.shutdown()
	wg.Wait()
	return err
}

// refreshWatched looks every second at the folders of the mailboxes
// sessions watch, so a session in IDLE hears of mail another program
// dropped into the Maildir without a command of its own (the store looks
// at every other update point by itself).
func (a *app) refreshWatched(stop <-chan struct{}) {
	if a.demo {
		return
	}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			a.srv.Store.RefreshWatched()
		}
	}
}

// shutdown stops accepting, tells the sessions to end, waits up to
// shutdownGrace and then closes whatever is left.
func (a *app) shutdown() {
	a.log.Info("shutting down", "grace", shutdownGrace)
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	var wg sync.WaitGroup
	if a.web != nil {
		wg.Go(func() {
			if err := a.web.Shutdown(ctx); err != nil {
				a.web.Close()
			}
		})
	}
	if err := a.srv.Shutdown(ctx); err != nil {
		a.log.Warn("sessions still open at the end of the grace period were closed", "err", err)
	}
	wg.Wait()
	a.log.Info("stopped")
}

// addr is the address the listener its flag names got ("" when off), for
// the banner and tests: addr("pop3s").
func (a *app) addr(flag string) string {
	for _, sp := range a.listens {
		if sp.spec.Flag == flag {
			return sp.ln.Addr().String()
		}
	}
	return ""
}

func (a *app) webAddr() string {
	if a.webListener == nil {
		return ""
	}
	return a.webListener.Addr().String()
}
