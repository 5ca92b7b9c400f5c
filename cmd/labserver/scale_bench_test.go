package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"maillab/sim/proto"
)

// BenchmarkScaleMaildir measures labserver as an instructor runs it: the
// real binary with -maildir on a generated Maildir of 10,000 and of
// 100,000 messages, one IMAP session over loopback, side by side with
// Debian's Dovecot (a private master with imap-login) serving the same
// directory. Rounds alternate which server goes first. Each round starts
// the server afresh and measures the time until its port answers, RSS
// after the start (of every process of the server), the first LOGIN and
// SELECT INBOX after it (labserver reads the folder after the port
// answers; Dovecot finds the index it wrote in an earlier round) and RSS
// after them, warm FETCH 1:*
// (FLAGS) and FETCH 1:* (FLAGS ENVELOPE), UID FETCH n BODY[] of random n
// per second, and RSS after the FETCH of every ENVELOPE. The medians are
// reported as metrics, "lab-" and "dovecot-" before each name, and as a
// table in the log.
//
// It generates about 0.5 GB of mail for the 100k case; `make bench` runs
// it, `make test` does not.
func BenchmarkScaleMaildir(b *testing.B) {
	bin := buildLabserver(b)
	for _, size := range []int{10_000, 100_000} {
		b.Run(strconv.Itoa(size/1000)+"k", func(b *testing.B) {
			dir := scaleMaildir(b, size)
			for b.Loop() {
				scaleRounds(b, dir, bin, 3)
			}
		})
	}
}

// scaleResult is one round's measurements of one server.
type scaleResult struct {
	startMS, rssStartMB, selectMS, rssSelectMB, flagsMS, envMS, bodyPerS, rssEnvMB float64
}

func scaleRounds(b *testing.B, dir, bin string, rounds int) {
	servers := [2]benchServer{
		{"lab", func(t testing.TB, dir string) (string, func() []int, func()) { return startLabserverProc(t, bin, dir) }},
		{"dovecot", startDovecotProc},
	}
	res := sideBySide(rounds, servers, func(r int, s benchServer) scaleResult {
		t0 := time.Now()
		addr, pids, stop := s.start(b, dir)
		var m scaleResult
		m.startMS = ms(time.Since(t0))
		m.rssStartMB = rssMB(pids())
		c := dialIMAP(b, addr)
		t1 := time.Now()
		c.do("LOGIN kim secret123")
		c.do("SELECT INBOX")
		m.selectMS = ms(time.Since(t1))
		m.rssSelectMB = rssMB(pids())
		c.do("FETCH 1:* (FLAGS)") // Dovecot's first look builds its cache
		m.flagsMS = medianTime(5, func() { c.do("FETCH 1:* (FLAGS)") })
		c.do("FETCH 1:* (FLAGS ENVELOPE)")
		m.envMS = medianTime(3, func() { c.do("FETCH 1:* (FLAGS ENVELOPE)") })
		m.rssEnvMB = rssMB(pids())
		rng := rand.New(rand.NewPCG(1, uint64(r)))
		n := 0
		t2 := time.Now()
		for time.Since(t2) < time.Second {
			c.do("UID FETCH " + strconv.Itoa(1+rng.IntN(c.exists)) + " BODY.PEEK[]")
			n++
		}
		m.bodyPerS = float64(n) / time.Since(t2).Seconds()
		c.do("LOGOUT")
		c.close()
		stop()
		return m
	})
	rows := []struct {
		name, unit string
		get        func(scaleResult) float64
		higher     bool
	}{
		{"start", "ms", func(r scaleResult) float64 { return r.startMS }, false},
		{"rss-start", "MB", func(r scaleResult) float64 { return r.rssStartMB }, false},
		{"login-select", "ms", func(r scaleResult) float64 { return r.selectMS }, false},
		{"rss-select", "MB", func(r scaleResult) float64 { return r.rssSelectMB }, false},
		{"fetch-flags", "ms", func(r scaleResult) float64 { return r.flagsMS }, false},
		{"fetch-envelope", "ms", func(r scaleResult) float64 { return r.envMS }, false},
		{"uid-fetch-body", "/s", func(r scaleResult) float64 { return r.bodyPerS }, true},
		{"rss-envelope", "MB", func(r scaleResult) float64 { return r.rssEnvMB }, false},
	}
	var tab strings.Builder
	fmt.Fprintf(&tab, "\n%-16s %12s %12s %8s\n", "", "labserver", "dovecot", "ratio")
	for _, row := range rows {
		l, d := medianOf(res["lab"], row.get), medianOf(res["dovecot"], row.get)
		b.ReportMetric(l, "lab-"+row.name+"-"+row.unit)
		b.ReportMetric(d, "dovecot-"+row.name+"-"+row.unit)
		ratio := d / l // above 1: labserver does better
		if row.higher {
			ratio = l / d
		}
		fmt.Fprintf(&tab, "%-16s %10.1f%-2s %10.1f%-2s %8.2f\n", row.name, l, row.unit, d, row.unit, ratio)
	}
	b.Log(tab.String())
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func medianTime(n int, f func()) float64 {
	var v []float64
	for range n {
		t := time.Now()
		f()
		v = append(v, ms(time.Since(t)))
	}
	slices.Sort(v)
	return v[len(v)/2]
}

// rssMB sums the resident memory of the processes.
func rssMB(pids []int) float64 {
	var kb int
	for _, p := range pids {
		data, err := os.ReadFile("/proc/" + strconv.Itoa(p) + "/status")
		if err != nil {
			continue
		}
		for _, l := range strings.Split(string(data), "\n") {
			if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
				n, _ := strconv.Atoi(f[1])
				kb += n
			}
		}
	}
	return float64(kb) / 1024
}

// descendants lists root and every process below it.
func descendants(root int) []int {
	parent := map[int]int{}
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		s := string(data)
		if i := strings.LastIndexByte(s, ')'); i >= 0 {
			if f := strings.Fields(s[i+1:]); len(f) > 2 {
				parent[pid], _ = strconv.Atoi(f[1])
			}
		}
	}
	out := []int{root}
	for i := 0; i < len(out); i++ {
		for pid, pp := range parent {
			if pp == out[i] {
				out = append(out, pid)
			}
		}
	}
	return out
}

// scaleMaildir generates, once per run of the benchmarks, a one-user tree
// as -maildir reads it: DIR/passwd (kim/secret123) and DIR/kim holding n
// messages of varied size and structure in cur/, owned by a user Dovecot
// may serve.
func scaleMaildir(b *testing.B, n int) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("maillab-scale-%d-%d", os.Getpid(), n))
	if _, err := os.Stat(filepath.Join(dir, "passwd")); err == nil {
		return dir
	}
	b.Cleanup(func() { os.RemoveAll(dir) })
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	for _, sub := range []string{"cur", "new", "tmp"} {
		must(os.MkdirAll(filepath.Join(dir, "kim", sub), 0o700))
	}
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	flags := []string{"", "S", "S", "RS", "FS", "S", "T"}
	for i := range n {
		date := time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * 7 * time.Minute)
		var m strings.Builder
		fmt.Fprintf(&m, "Return-Path: <s%d@example.org>\nReceived: from mx.example.org by lab.example.org; %s\n", i%97, date.Format(time.RFC1123Z))
		fmt.Fprintf(&m, "From: Student %d <s%d@example.org>\nTo: kim@example.org\n", i%97, i%97)
		if i%3 == 0 {
			m.WriteString("Cc: \"Teaching assistants\" <ta@example.org>, group@example.org\n")
		}
		fmt.Fprintf(&m, "Subject: %s %d\nDate: %s\nMessage-ID: <%d.%d@example.org>\n", benchWords[i%len(benchWords)], i, date.Format(time.RFC1123Z), i, n)
		m.WriteString("MIME-Version: 1.0\n")
		if i%4 == 0 {
			writeBenchBody(&m, benchText(rng, 100+rng.IntN(400), 12), 10+rng.IntN(30), "bGVjdHVyZSBub3RlcyBvbiB0aGUgbWFpbCBwcm90b2NvbHMsIHBhcnQgb25lIGFuZCB0d28u")
		} else {
			writeBenchBody(&m, benchText(rng, 50+rng.IntN(600), 12), 0, "")
		}
		name := fmt.Sprintf("%d.M%dP%d.lab:2,%s", date.Unix(), i, n, flags[i%len(flags)])
		must(os.WriteFile(filepath.Join(dir, "kim", "cur", name), []byte(m.String()), 0o600))
	}
	must(os.WriteFile(filepath.Join(dir, "passwd"), []byte("kim:{PLAIN}secret123::::::\n"), 0o600))
	if os.Getuid() == 0 {
		must(chownAll(dir, 65534, 65534)) // Dovecot serves no mail as root
	}
	return dir
}

func chownAll(dir string, uid, gid int) error {
	return filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Chown(p, uid, gid)
	})
}

// buildLabserver builds the labserver binary, removed when b ends.
func buildLabserver(b *testing.B) string {
	b.Helper()
	out := filepath.Join(b.TempDir(), "labserver")
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", out, ".")
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, msg)
	}
	return out
}

func freePort(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// waitGreeting waits until addr answers with a greeting.
func waitGreeting(t testing.TB, addr string, deadline time.Duration) {
	for end := time.Now().Add(deadline); ; time.Sleep(2 * time.Millisecond) {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.SetReadDeadline(time.Now().Add(deadline))
			_, err = bufio.NewReader(c).ReadString('\n')
			c.Close()
			if err == nil {
				return
			}
		}
		if time.Now().After(end) {
			t.Fatalf("%s does not answer: %v", addr, err)
		}
	}
}

// startLabserverProc runs the labserver binary as an instructor does: the
// Maildir, IMAP on loopback, every other listener off, and extra flags.
func startLabserverProc(t testing.TB, bin, dir string, extra ...string) (string, func() []int, func()) {
	addr := freePort(t)
	args := append([]string{"-maildir", dir, "-http", "off", "-imap", addr, "-max-conns-per-ip", "0"}, extra...)
	for _, p := range proto.All() {
		for _, l := range p.Listeners {
			if l.Flag != "imap" {
				args = append(args, "-"+l.Flag, "off")
			}
		}
	}
	cmd := exec.Command(bin, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitGreeting(t, addr, 60*time.Second)
	pid := cmd.Process.Pid
	return addr, func() []int { return []int{pid} }, func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}
}

// startDovecotProc runs a private Dovecot master with imap-login on a
// free loopback port, kim/secret123 served from dir/kim.
func startDovecotProc(t testing.TB, dir string) (string, func() []int, func()) {
	return startDovecotProcConf(t, dir, "")
}

// startDovecotProcConf is startDovecotProc with settings (dovecot.conf
// lines) added to the configuration.
func startDovecotProcConf(t testing.TB, dir, settings string) (string, func() []int, func()) {
	run, err := os.MkdirTemp("", "dovecot-scale")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(run, 0o755)
	addr := freePort(t)
	host, port, _ := net.SplitHostPort(addr)
	uid, gid := os.Getuid(), os.Getgid()
	if uid == 0 {
		uid, gid = 65534, 65534
	}
	conf := fmt.Sprintf(`base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
instance_name = scale-%[3]s
listen = %[2]s
ssl = no
protocols = imap
disable_plaintext_auth = no
mail_location = maildir:%[4]s/kim
first_valid_uid = %[5]d
first_valid_gid = %[6]d
namespace inbox {
  inbox = yes
  separator = /
}
passdb {
  driver = static
  args = password=secret123
}
userdb {
  driver = static
  args = uid=%[5]d gid=%[6]d home=%[4]s/kim
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
  inet_listener imap {
    address = %[2]s
    port = %[3]s
  }
  inet_listener imaps {
    port = 0
  }
}
`, run, host, port, dir, uid, gid)
	if os.Geteuid() != 0 {
		conf += "default_internal_user = " + os.Getenv("USER") + "\ndefault_login_user = " + os.Getenv("USER") + "\n"
	}
	conf += settings
	if err := os.WriteFile(filepath.Join(run, "dovecot.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/usr/sbin/dovecot", "-F", "-c", filepath.Join(run, "dovecot.conf"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitGreeting(t, addr, 20*time.Second)
	pid := cmd.Process.Pid
	return addr, func() []int { return descendants(pid) }, func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		os.RemoveAll(run)
	}
}

// scaleClient is a minimal IMAP client: one command at a time, literals
// read past, the EXISTS count kept.
type scaleClient struct {
	t      testing.TB
	nc     net.Conn
	br     *bufio.Reader
	tag    int
	exists int
}

func dialIMAP(t testing.TB, addr string) *scaleClient {
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c := &scaleClient{t: t, nc: nc, br: bufio.NewReaderSize(nc, 64<<10)}
	if _, err := c.br.ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *scaleClient) close() { c.nc.Close() }

// do sends cmd and reads up to its tagged answer, which must be OK.
func (c *scaleClient) do(cmd string) {
	c.tag++
	tag := "s" + strconv.Itoa(c.tag)
	if _, err := c.nc.Write([]byte(tag + " " + cmd + "\r\n")); err != nil {
		c.t.Fatal(err)
	}
	for {
		s, err := c.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			rest, err2 := c.br.ReadString('\n')
			s, err = append(s[:len(s):len(s)], rest...), err2
		}
		if err != nil {
			c.t.Fatalf("%s: %v", cmd, err)
		}
		if len(s) > len(tag) && string(s[:len(tag)+1]) == tag+" " {
			if !strings.HasPrefix(string(s[len(tag)+1:]), "OK") {
				c.t.Fatalf("%s: %q", cmd, s)
			}
			return
		}
		if i := strings.Index(string(s), " EXISTS"); i > 2 && s[0] == '*' {
			c.exists, _ = strconv.Atoi(string(s[2:i]))
		}
		if len(s) > 3 && s[len(s)-3] == '}' {
			if i := strings.LastIndexByte(string(s), '{'); i >= 0 {
				n, _ := strconv.Atoi(string(s[i+1 : len(s)-3]))
				if _, err := c.br.Discard(n); err != nil {
					c.t.Fatal(err)
				}
			}
		}
	}
}
