package main

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	osuser "os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is one running server under measurement: labserver or Dovecot.
type server struct {
	name       string
	imap, pop3 string // addresses
	pid        int    // labserver's process, Dovecot's master
	cmd        *exec.Cmd
	dir        string // Dovecot's run directory
	tree       string // the Maildir++ tree it serves
}

// The account both servers serve.
const (
	user     = "kim"
	password = "secret123"
)

// freePort asks the system for a free port of 127.0.0.1.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// writeTree makes a Maildir++ tree with kim's passwd line and an empty
// INBOX of a few messages, readable by the unprivileged user Dovecot's
// mail processes run as.
func writeTree(dir string) error {
	if err := os.WriteFile(filepath.Join(dir, "passwd"), []byte(user+":{PLAIN}"+password+"::::::\n"), 0o644); err != nil {
		return err
	}
	for _, sub := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, user, sub), 0o755); err != nil {
			return err
		}
	}
	for i := range 3 {
		msg := fmt.Sprintf("From: a@example.org\nSubject: message %d\n\nHello.\n", i)
		if err := os.WriteFile(filepath.Join(dir, user, "cur", fmt.Sprintf("17000000%02d.M%dP1.crowd:2,S", i, i)), []byte(msg), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// startLabserver runs the labserver binary at bin on dir with its default
// limits, plus extra flags.
func startLabserver(bin, dir string, extra ...string) (*server, error) {
	pi, err := freePort()
	if err != nil {
		return nil, err
	}
	pp, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &server{name: "labserver", imap: "127.0.0.1:" + strconv.Itoa(pi), pop3: "127.0.0.1:" + strconv.Itoa(pp), tree: dir}
	args := append([]string{"-maildir", dir, "-imap", s.imap, "-pop3", s.pop3, "-http", "off", "-smtp", "off", "-submission", "off"}, extra...)
	s.cmd = exec.Command(bin, args...)
	s.cmd.Stdout, s.cmd.Stderr = nil, nil
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	s.pid = s.cmd.Process.Pid
	return s, waitListening(s.imap, s.pop3)
}

// startDovecot runs a private Dovecot master (imap-login, pop3-login,
// auth, imap and pop3 processes) on dir with Debian's defaults but for
// the lines in extra, as the reference: nothing read from /etc/dovecot.
func startDovecot(dir, extra string) (*server, error) {
	pi, err := freePort()
	if err != nil {
		return nil, err
	}
	pp, err := freePort()
	if err != nil {
		return nil, err
	}
	run, err := os.MkdirTemp("", "crowd-dovecot")
	if err != nil {
		return nil, err
	}
	os.Chmod(run, 0o755)
	uid, gid := os.Getuid(), os.Getgid()
	conf := fmt.Sprintf(`base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
instance_name = crowd-%[2]d
listen = 127.0.0.1
ssl = no
protocols = imap pop3
disable_plaintext_auth = no
mail_location = maildir:%[4]s/%%u
first_valid_uid = 0
first_valid_gid = 0
passdb {
  driver = passwd-file
  args = scheme=PLAIN %[4]s/passwd
}
userdb {
  driver = static
  args = uid=%[5]d gid=%[6]d home=%[4]s/%%u
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = %[2]d
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  chroot =
  inet_listener pop3 {
    address = 127.0.0.1
    port = %[3]d
  }
  inet_listener pop3s {
    port = 0
  }
}
`, run, pi, pp, dir, uid, gid)
	if uid == 0 {
		// Dovecot serves no mail as root: the tree goes to nobody.
		conf = strings.Replace(conf, "uid=0 gid=0", "uid=65534 gid=65534", 1)
		if err := exec.Command("chown", "-R", "65534:65534", filepath.Join(dir, user)).Run(); err != nil {
			return nil, err
		}
	} else {
		// Without root, every Dovecot process runs as this user.
		u, err := osuser.Current()
		if err != nil {
			return nil, err
		}
		g, err := osuser.LookupGroupId(u.Gid)
		if err != nil {
			return nil, err
		}
		conf += fmt.Sprintf("default_internal_user = %[1]s\ndefault_login_user = %[1]s\ndefault_internal_group = %[2]s\n", u.Username, g.Name)
	}
	conf += extra
	if err := os.WriteFile(filepath.Join(run, "dovecot.conf"), []byte(conf), 0o644); err != nil {
		return nil, err
	}
	s := &server{name: "Dovecot", imap: "127.0.0.1:" + strconv.Itoa(pi), pop3: "127.0.0.1:" + strconv.Itoa(pp), dir: run, tree: dir}
	s.cmd = exec.Command("/usr/sbin/dovecot", "-F", "-c", filepath.Join(run, "dovecot.conf"))
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	s.pid = s.cmd.Process.Pid
	if err := waitListening(s.imap, s.pop3); err != nil {
		log, _ := os.ReadFile(filepath.Join(run, "dovecot.log"))
		s.stop()
		return nil, fmt.Errorf("%w\n%s", err, log)
	}
	return s, nil
}

func waitListening(addrs ...string) error {
	deadline := time.Now().Add(15 * time.Second)
	for _, a := range addrs {
		for {
			c, err := net.Dial("tcp", a)
			if err == nil {
				// Read the greeting, so the server is serving, not just
				// listening.
				c.SetDeadline(time.Now().Add(5 * time.Second))
				bufio.NewReader(c).ReadString('\n')
				c.Close()
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("nothing listens on %s: %w", a, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	return nil
}

func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
	if s.name == "Dovecot" {
		os.RemoveAll(s.dir)
	}
	os.RemoveAll(s.tree)
}

// memory is the server's resident memory in MiB: labserver's RSS; for
// Dovecot the proportional set size (Pss) of every process under its
// master, which counts shared pages once, and their plain RSS summed.
func (s *server) memory() (pss, rss float64, procs int, err error) {
	pids := []int{s.pid}
	if s.name == "Dovecot" {
		pids = descendants(s.pid)
	}
	for _, p := range pids {
		a, b, err := memOf(p)
		if err != nil {
			continue // a process that ended meanwhile
		}
		pss, rss = pss+a, rss+b
		procs++
	}
	if procs == 0 {
		return 0, 0, 0, errors.New("no process to measure")
	}
	return pss / 1024, rss / 1024, procs, nil
}

// memOf reads a process's Pss and Rss in KiB.
func memOf(pid int) (pss, rss float64, err error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		v, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "Pss:":
			pss = v
		case "Rss:":
			rss = v
		}
	}
	return pss, rss, nil
}

// descendants lists pid and every process below it.
func descendants(pid int) []int {
	parent := map[int]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so read after ')'.
		rest := string(data[strings.LastIndexByte(string(data), ')')+1:])
		f := strings.Fields(rest)
		if len(f) > 1 {
			parent[p], _ = strconv.Atoi(f[1])
		}
	}
	out := []int{pid}
	for changed := true; changed; {
		changed = false
		for p, pp := range parent {
			if containsInt(out, pp) && !containsInt(out, p) {
				out = append(out, p)
				changed = true
			}
		}
	}
	return out
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
