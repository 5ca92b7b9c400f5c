package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"maillab/sim/mailpath"
	"maillab/sim/mailstore"
)

// maxTopology is the largest topology file read.
const maxTopology = 1 << 20

// openMailPath starts the mail path -topology asks for: the file's, the
// demo's when the demo accounts are served and no file is given, or none.
func openMailPath(cfg *config, store *mailstore.Store, log *slog.Logger) (*mailpath.Lab, error) {
	var top *mailpath.Topology
	switch {
	case strings.EqualFold(cfg.topology, off):
		return nil, nil
	case cfg.topology != "":
		data, err := readLimited(cfg.topology, maxTopology)
		if err != nil {
			return nil, fmt.Errorf("-topology: %w", err)
		}
		if top, err = mailpath.ParseTopology(data); err != nil {
			return nil, fmt.Errorf("-topology %s: %w", cfg.topology, err)
		}
	case cfg.maildir == "":
		top = mailpath.Demo()
	default:
		return nil, nil
	}
	l, err := mailpath.New(top, mailpath.Options{
		Store: store, Lang: cfg.lang, Log: log,
		// The hops' whole transcripts are kept, as the sessions' events
		// are, only for a debugging run.
		Record: cfg.logLevel <= slog.LevelDebug,
		Events: func(e mailpath.Event) { logJourney(log, e) },
	})
	if err != nil {
		return nil, fmt.Errorf("-topology: %w", err)
	}
	return l, nil
}

func readLimited(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err == nil && int64(len(data)) > limit {
		err = fmt.Errorf("%s is larger than %d octets", name, limit)
	}
	return data, err
}

// logJourney logs one step of a message on the mail path.
func logJourney(log *slog.Logger, e mailpath.Event) {
	attrs := []any{"kind", e.Kind, "queue", e.Queue}
	for _, kv := range [][2]string{{"host", e.Host}, {"peer", e.Peer}, {"addr", e.Addr}, {"proto", e.Proto}, {"domain", e.Domain},
		{"from", e.From}, {"rcpt", e.Rcpt}, {"to", strings.Join(e.Rcpts, ",")}, {"user", e.User}, {"enhanced", e.Enhanced}, {"reply", e.Text}, {"bounce", e.Bounce}} {
		if kv[1] != "" {
			attrs = append(attrs, kv[0], kv[1])
		}
	}
	if e.Code != 0 {
		attrs = append(attrs, "code", e.Code)
	}
	if !e.Next.IsZero() {
		attrs = append(attrs, "next", e.Next.Format(time.RFC3339))
	}
	for _, r := range e.Records {
		attrs = append(attrs, "mx", fmt.Sprintf("%d %s", r.Priority, r.Host))
	}
	log.Info("mail path", attrs...)
}

// runQueue retries the queued messages as their times come, until ctx
// ends.
func runQueue(ctx context.Context, l *mailpath.Lab) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			l.RunDue()
		}
	}
}
