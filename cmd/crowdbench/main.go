// Command crowdbench measures labserver beside Dovecot under the crowds
// and brute force of the lab's hostile-input issue, in one run, in
// interleaved rounds (each measurement made on both servers, the order
// alternating from round to round), each server fresh for each
// measurement:
//
//   - failed logins per second a server answers, IMAP and POP3, on one
//     connection and by reconnecting (10 clients in parallel);
//   - memory with 100 and 1000 idle IMAP connections;
//   - the time a real login takes while 500 connections from another
//     address are open and never log in;
//   - memory after five 30 MiB APPENDs and LOGOUT (labserver keeps mail
//     in memory, Dovecot on disk).
//
// Both run with their defaults (labserver's -auth-delay 2s, -auth-failures
// 3, -max-conns 100, -max-conns-per-ip 20; Dovecot's auth_failure_delay
// 2s and login processes one per connection, at most 100), except for the
// idle-memory rounds, where both may hold every connection (labserver
// -max-conns 1100 -max-conns-per-ip 0, Dovecot default_process_limit
// 1100). Dovecot is Debian's, run as a private instance on loopback ports
// as the tests run it; nothing leaves the machine.
//
//	go run ./cmd/crowdbench            # builds labserver, two rounds
//	go test -run '^$' -bench BesideDovecot ./cmd/crowdbench
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"syscall"
	"time"
)

// Config sets what a round measures.
type Config struct {
	Labserver string        // the labserver binary
	Window    time.Duration // how long each brute-force measurement runs
	Idle      []int         // numbers of idle connections
	Crowd     int           // connections open during the login latency
	Samples   int           // logins timed
	Timeout   time.Duration // a login slower than this counts as this
}

// Metric is one measured number of one server.
type Metric struct {
	Server, Name, Unit string
	Value              float64
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "crowdbench:", err)
		os.Exit(1)
	}
}

func run() error {
	var cfg Config
	rounds := flag.Int("rounds", 2, "interleaved rounds")
	flag.StringVar(&cfg.Labserver, "labserver", "", "labserver binary (default: built from ./cmd/labserver)")
	flag.DurationVar(&cfg.Window, "window", 10*time.Second, "duration of each brute-force measurement")
	flag.Parse()
	cfg.defaults()
	if cfg.Labserver == "" {
		bin, err := buildLabserver()
		if err != nil {
			return err
		}
		cfg.Labserver = bin
		defer os.RemoveAll(filepath.Dir(bin))
	}
	all := map[string][]float64{}
	var order []string
	for r := range *rounds {
		ms, err := Round(cfg, r, os.Stderr)
		if err != nil {
			return err
		}
		for _, m := range ms {
			k := m.Name + "\t" + m.Unit + "\t" + m.Server
			if _, ok := all[k]; !ok {
				order = append(order, k)
			}
			all[k] = append(all[k], m.Value)
		}
	}
	fmt.Printf("median of %d rounds\n", *rounds)
	for _, k := range order {
		v := append([]float64(nil), all[k]...)
		sort.Float64s(v)
		fmt.Printf("%-48s %10.2f   (rounds: %v)\n", k, v[len(v)/2], all[k])
	}
	return nil
}

func (c *Config) defaults() {
	if c.Window == 0 {
		c.Window = 10 * time.Second
	}
	if c.Idle == nil {
		c.Idle = []int{100, 1000}
	}
	if c.Crowd == 0 {
		c.Crowd = 500
	}
	if c.Samples == 0 {
		c.Samples = 3
	}
	if c.Timeout == 0 {
		c.Timeout = 10 * time.Second
	}
}

// buildLabserver builds ./cmd/labserver into a temporary directory.
func buildLabserver() (string, error) {
	dir, err := os.MkdirTemp("", "crowdbench")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "labserver")
	out, err := exec.Command("go", "build", "-o", bin, "maillab/cmd/labserver").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("building labserver: %v\n%s", err, out)
	}
	return bin, nil
}

// raiseFileLimit lets this process and the servers it starts hold a
// thousand connections and more.
func raiseFileLimit() {
	var l syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l) == nil && l.Cur < l.Max {
		l.Cur = l.Max
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
	}
}

// Round measures everything once on both servers; round's parity picks
// which goes first.
func Round(cfg Config, round int, log io.Writer) ([]Metric, error) {
	cfg.defaults()
	raiseFileLimit()
	var out []Metric
	each := func(labArgs []string, dovecotConf string, f func(s *server) []Metric) error {
		starts := []func() (*server, error){
			func() (*server, error) { return startFresh(cfg, labArgs) },
			func() (*server, error) { return startFreshDovecot(dovecotConf) },
		}
		if round%2 == 1 {
			starts[0], starts[1] = starts[1], starts[0]
		}
		for _, start := range starts {
			s, err := start()
			if err != nil {
				return err
			}
			ms := f(s)
			s.stop()
			for _, m := range ms {
				fmt.Fprintf(log, "round %d  %-10s %-44s %10.2f %s\n", round+1, m.Server, m.Name, m.Value, m.Unit)
			}
			out = append(out, ms...)
		}
		return nil
	}
	for _, proto := range []string{"imap", "pop3"} {
		if err := each(nil, "", func(s *server) []Metric {
			rate, n := failuresOneConn(s, proto, cfg.Window)
			return []Metric{
				{s.name, proto + " failed logins, one connection", "per_s", rate},
				{s.name, proto + " failed logins answered before close", "logins", float64(n)},
			}
		}); err != nil {
			return nil, err
		}
		if err := each(nil, "", func(s *server) []Metric {
			return []Metric{{s.name, proto + " failed logins, reconnecting x10", "per_s", failuresReconnecting(s, proto, cfg.Window, 10)}}
		}); err != nil {
			return nil, err
		}
	}
	for _, n := range cfg.Idle {
		big := []string{"-max-conns", "1100", "-max-conns-per-ip", "0"}
		if err := each(big, "default_process_limit = 1100\ndefault_client_limit = 2200\n", func(s *server) []Metric {
			pss0, _, _, _ := s.memory()
			pss, rss, procs, open := idleMemory(s, n)
			name := fmt.Sprintf("memory with %d idle IMAP connections", n)
			return []Metric{
				{s.name, name + " (Pss)", "MiB", pss},
				{s.name, name + " (Rss summed)", "MiB", rss},
				{s.name, name + ", over none", "MiB", pss - pss0},
				{s.name, name + ": processes", "procs", float64(procs)},
				{s.name, name + ": greeted", "conns", float64(open)},
			}
		}); err != nil {
			return nil, err
		}
	}
	if err := each(nil, "", func(s *server) []Metric {
		pss0, _, _, _ := s.memory()
		pss, n := appendMemory(s, 5, 30<<20)
		return []Metric{
			{s.name, "memory after five 30 MiB APPENDs and LOGOUT, over none", "MiB", pss - pss0},
			{s.name, "30 MiB APPENDs stored", "msgs", float64(n)},
		}
	}); err != nil {
		return nil, err
	}
	if err := each(nil, "", func(s *server) []Metric {
		ds := loginLatency(s, cfg.Crowd, cfg.Samples, cfg.Timeout)
		return []Metric{{s.name, fmt.Sprintf("login with %d silent connections open", cfg.Crowd), "ms", float64(median(ds).Microseconds()) / 1000}}
	}); err != nil {
		return nil, err
	}
	return out, nil
}

func startFresh(cfg Config, extra []string) (*server, error) {
	dir, err := os.MkdirTemp("", "crowd-lab")
	if err != nil {
		return nil, err
	}
	if err := writeTree(dir); err != nil {
		return nil, err
	}
	return startLabserver(cfg.Labserver, dir, extra...)
}

func startFreshDovecot(conf string) (*server, error) {
	dir, err := os.MkdirTemp("", "crowd-mail")
	if err != nil {
		return nil, err
	}
	os.Chmod(dir, 0o755)
	if err := writeTree(dir); err != nil {
		return nil, err
	}
	return startDovecot(dir, conf)
}
