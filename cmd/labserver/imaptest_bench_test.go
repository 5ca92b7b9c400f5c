package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// stressSecs is how long each imaptest stress run lasts.
const stressSecs = 10

// BenchmarkImaptestStressPersist runs Dovecot's imaptest in its default
// stress mode (random LOGIN, SELECT, FETCH, STORE, EXPUNGE, APPEND,
// LOGOUT by many clients on one mailbox, checking every answer against
// what the other sessions were told) for a fixed time against the real
// labserver with -maildir DIR -persist and against Debian's Dovecot, each
// on its own fresh copy of the same empty Maildir, so both write every
// change to disk. Each profile (10 and 50 clients) runs in rounds that
// alternate which server goes first. It reports the medians of commands,
// commands per second, logins, server CPU seconds and imaptest's errors
// as metrics ("lab-" and "dovecot-" before each name) and as a table with
// the ratio labserver/Dovecot; any error imaptest reports against either
// server (a protocol or consistency error) fails the benchmark with its
// lines.
//
// imaptest is not a Debian package: it is built from its source. `make
// bench` runs this, `make test` does not.
func BenchmarkImaptestStressPersist(b *testing.B) {
	tool, err := exec.LookPath("imaptest")
	if err != nil {
		b.Fatalf("imaptest is not on the PATH (Dovecot's imaptest, branch release-2.3, built from its source): %v", err)
	}
	bin := buildLabserver(b)
	mbox := filepath.Join(b.TempDir(), "stress.mbox")
	if err := os.WriteFile(mbox, stressMbox(48), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, clients := range []int{10, 50} {
		b.Run("clients"+strconv.Itoa(clients), func(b *testing.B) {
			for b.Loop() {
				stressRounds(b, tool, bin, mbox, clients, 3)
			}
		})
	}
}

// stressResult is one imaptest run against one server.
type stressResult struct {
	commands, logins, errors int
	secs, cpuSecs            float64
	errLines                 []string
}

func stressRounds(b *testing.B, tool, bin, mbox string, clients, rounds int) {
	servers := [2]benchServer{
		{"lab", func(t testing.TB, dir string) (string, func() []int, func()) {
			return startLabserverProc(t, bin, dir, "-persist", "-max-conns", strconv.Itoa(2*clients))
		}},
		{"dovecot", func(t testing.TB, dir string) (string, func() []int, func()) {
			// Dovecot's default allows 10 sessions of one user from one address.
			return startDovecotProcConf(t, dir, fmt.Sprintf("mail_max_userip_connections = %d\n", 2*clients))
		}},
	}
	res := sideBySide(rounds, servers, func(r int, s benchServer) stressResult {
		dir := stressMaildir(b)
		addr, pids, stop := s.start(b, dir)
		cpu0 := cpuSecs(pids())
		m := runImaptest(b, tool, addr, mbox, clients)
		m.cpuSecs = cpuSecs(pids()) - cpu0
		stop()
		os.RemoveAll(dir)
		if m.errors > 0 {
			b.Errorf("imaptest reports %d errors against %s (round %d, %d clients):\n%s",
				m.errors, s.name, r+1, clients, strings.Join(m.errLines, "\n"))
		}
		return m
	})
	rows := []struct {
		name, unit string
		get        func(stressResult) float64
	}{
		{"commands", "", func(r stressResult) float64 { return float64(r.commands) }},
		{"commands/s", "", func(r stressResult) float64 { return float64(r.commands) / r.secs }},
		{"logins", "", func(r stressResult) float64 { return float64(r.logins) }},
		{"cpu", "s", func(r stressResult) float64 { return r.cpuSecs }},
		{"commands/cpu-s", "", func(r stressResult) float64 { return float64(r.commands) / max(r.cpuSecs, 0.01) }},
		{"errors", "", func(r stressResult) float64 { return float64(r.errors) }},
	}
	var tab strings.Builder
	fmt.Fprintf(&tab, "\nimaptest stress, %d clients, %d s, %d rounds (medians; errors: the most in a round)\n", clients, stressSecs, rounds)
	fmt.Fprintf(&tab, "%-16s %12s %12s %8s\n", "", "labserver", "dovecot", "lab/dov")
	for _, row := range rows {
		pick := func(name string) float64 {
			if row.name == "errors" { // the most in a round
				most := 0.0
				for _, r := range res[name] {
					most = max(most, row.get(r))
				}
				return most
			}
			return medianOf(res[name], row.get)
		}
		l, d := pick("lab"), pick("dovecot")
		metric := strings.ReplaceAll(row.name, "/", "-per-")
		if row.unit != "" {
			metric += "-" + row.unit
		}
		b.ReportMetric(l, "lab-"+metric)
		b.ReportMetric(d, "dovecot-"+metric)
		ratio := "-"
		if row.name != "errors" && d > 0 {
			ratio = fmt.Sprintf("%.2f", l/d)
		}
		fmt.Fprintf(&tab, "%-16s %11.1f%-1s %11.1f%-1s %8s\n", row.name, l, row.unit, d, row.unit, ratio)
	}
	b.Log(tab.String())
}

// runImaptest runs imaptest's default stress against addr and reads its
// totals and errors.
func runImaptest(b *testing.B, tool, addr, mbox string, clients int) stressResult {
	host, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command(tool, "host="+host, "port="+port, "user=kim", "pass=secret123",
		"mbox="+mbox, "clients="+strconv.Itoa(clients), "secs="+strconv.Itoa(stressSecs))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(stressSecs*time.Second + 2*time.Minute):
		cmd.Process.Kill()
		err = fmt.Errorf("imaptest did not finish: %w", <-done)
	}
	res := parseImaptest(out.String())
	res.secs = time.Since(t0).Seconds()
	if err != nil {
		res.errors++
		res.errLines = append(res.errLines, "imaptest: "+err.Error())
	}
	if res.commands == 0 {
		res.errors++
		res.errLines = append(res.errLines, "imaptest printed no totals:\n"+out.String())
	}
	return res
}

// parseImaptest reads imaptest's output: the row of numbers under
// "Totals:" and its column names give commands and logins; every line
// naming an error, a panic or a fatal failure is an error.
func parseImaptest(out string) stressResult {
	var r stressResult
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if strings.Contains(l, "Error: ") || strings.Contains(l, "Panic: ") || strings.Contains(l, "Fatal: ") {
			r.errors++
			if len(r.errLines) < 20 {
				r.errLines = append(r.errLines, l)
			}
		}
		if strings.TrimSpace(l) != "Totals:" || i+1 >= len(lines) {
			continue
		}
		names := strings.Fields(lines[i+1])
		for _, l := range lines[i+2:] {
			f := strings.Fields(l)
			if len(f) != len(names) {
				continue
			}
			nums := make([]int, len(f))
			ok := true
			for k, s := range f {
				n, err := strconv.Atoi(s)
				ok = ok && err == nil
				nums[k] = n
			}
			if !ok {
				continue
			}
			r.commands, r.logins = 0, 0
			for k, n := range nums {
				r.commands += n
				if names[k] == "Logi" {
					r.logins = n
				}
			}
			break
		}
	}
	return r
}

// cpuSecs sums the user and system CPU time of the processes and of the
// children they have waited for.
func cpuSecs(pids []int) float64 {
	var ticks int
	for _, p := range pids {
		data, err := os.ReadFile("/proc/" + strconv.Itoa(p) + "/stat")
		if err != nil {
			continue
		}
		s := string(data)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		// After the name: state is field 3; utime..cstime are 14..17.
		f := strings.Fields(s[i+1:])
		if len(f) < 15 {
			continue
		}
		for _, v := range f[11:15] {
			n, _ := strconv.Atoi(v)
			ticks += n
		}
	}
	return float64(ticks) / 100 // USER_HZ
}

// stressMaildir makes an empty Maildir tree for one run: DIR/passwd
// (kim/secret123) and DIR/kim, owned by a user Dovecot may serve.
func stressMaildir(b *testing.B) string {
	dir, err := os.MkdirTemp("", "maillab-stress")
	if err != nil {
		b.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	for _, sub := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, "kim", sub), 0o700); err != nil {
			b.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "passwd"), []byte("kim:{PLAIN}secret123::::::\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	if os.Getuid() == 0 {
		if err := chownAll(dir, 65534, 65534); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// stressMbox makes an mbox of n messages for imaptest to APPEND: plain
// and multipart, encoded words, attachments, replies, each with its own
// Message-ID.
func stressMbox(n int) []byte {
	rng := rand.New(rand.NewPCG(uint64(n), 11))
	var b bytes.Buffer
	for i := range n {
		date := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * 97 * time.Minute)
		fmt.Fprintf(&b, "From s%d@example.org %s\n", i%7, date.Format("Mon Jan _2 15:04:05 2006"))
		fmt.Fprintf(&b, "From: Student %d <s%d@example.org>\nTo: teacher@example.org\n", i%7, i%7)
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "Subject: %s %d\n", benchWords[i%len(benchWords)], i)
		case 1:
			fmt.Fprintf(&b, "Subject: Re: %s %d\nIn-Reply-To: <stress.%d@example.org>\nReferences: <stress.%d@example.org>\n", benchWords[i%len(benchWords)], i-1, i-1, i-1)
		case 2:
			fmt.Fprintf(&b, "Subject: =?UTF-8?Q?=C3=BAloha_%d?=\nCc: \"Assistants\" <ta@example.org>, group@example.org\n", i)
		case 3:
			fmt.Fprintf(&b, "Subject: =?KOI8-R?B?5M/NwdvO0dEg0sHCz9TB?= %d\n", i)
		}
		fmt.Fprintf(&b, "Date: %s\nMessage-ID: <stress.%d@example.org>\nMIME-Version: 1.0\n", date.Format(time.RFC1123Z), i)
		if i%3 == 0 {
			writeBenchBody(&b, benchText(rng, 40+rng.IntN(200), 11), 2+rng.IntN(20), "bm90ZXMgb24gdGhlIG1haWwgcHJvdG9jb2xzLCBwYXJ0IG9uZSBhbmQgdHdvLg==")
		} else {
			writeBenchBody(&b, benchText(rng, 20+rng.IntN(400), 11), 0, "")
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}
