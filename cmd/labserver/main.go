// Command labserver serves the lab's POP3 and IMAP sessions over real TCP
// (and TLS), so telnet, curl, Python's poplib and real mail clients can talk
// to the same simulator the browser lab runs, and serves the browser lab
// itself over HTTP. README.md describes every flag.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "labserver:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "labserver:", err)
		os.Exit(1)
	}
}

// run starts labserver with cfg, prints where to connect on out, logs to
// logw, and serves until ctx is done.
func run(ctx context.Context, cfg *config, out, logw io.Writer) error {
	log := slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: cfg.logLevel}))
	a, err := newApp(cfg, log)
	if err != nil {
		return err
	}
	a.banner(out)
	return a.run(ctx)
}
