//go:build !js && !wasip1

// Package smtpref runs the reference servers the lab's SMTP and LMTP
// servers are compared with: a private Postfix instance (the MTA a learner
// meets on Debian) and a private Dovecot LMTP server (the LDA), each on a
// loopback port chosen free at start, with its own configuration, queue
// and Maildirs in a fresh temporary directory, stopped when the test ends.
// It is meant for _test.go files only (it starts processes), hence the
// build constraint that keeps it out of the WebAssembly build.
//
// Typical use in a test:
//
//	pf := smtpref.StartPostfix(t, smtpref.Options{HeloRequired: true})
//	replies := smtpref.Dialogue(t, pf.Addr, []string{
//		"EHLO client.example.org",
//		"MAIL FROM:<alex@example.org>",
//		"RCPT TO:<melanie@example.org>",
//		"DATA",
//		"Subject: hi", "", "hello", ".",
//		"QUIT",
//	})
//	msgs := pf.WaitMessages(t, "melanie", 1) // Postfix delivers after the 250
//
// Transcript gives the same exchange as "C:"/"S:" text, and Normalize
// blanks what changes from run to run (queue IDs, dates), so that the
// lab's server and a reference can be compared line by line.
// testdata/replies.txt records what Postfix and Dovecot answer to many
// sessions, mistakes and limits, as TestGolden checks.
//
// The servers need the Debian packages postfix and dovecot-lmtpd (make
// deps installs them). Postfix only runs as root; StartPostfix skips the
// test otherwise.
package smtpref

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Options describes the mail domain a reference server serves. The zero
// value is the lab's demo domain: example.org with melanie and alex.
type Options struct {
	Domain   string // the one local domain (Postfix's mydomain and mydestination); default "example.org"
	Hostname string // the server's name in its greeting (myhostname); default "mail." + Domain
	Users    []User // the mailboxes; default melanie/toybox and alex/drums

	// Aliases maps a local part to the local parts or addresses it
	// forwards to, comma-separated (Postfix virtual_alias_maps). The
	// default maps postmaster to the first user, as every Postfix install
	// has a postmaster alias. Postfix only.
	Aliases map[string]string

	// The remaining fields are Postfix's only.
	VRFY             bool  // answer VRFY (disable_vrfy_command = no)
	HeloRequired     bool  // smtpd_helo_required
	MessageSizeLimit int64 // message_size_limit in octets; default Postfix's 10240000
	RecipientLimit   int   // smtpd_recipient_limit; default Postfix's 1000

	// Submission also runs Postfix's submission service (port 587's
	// role) on SubmissionAddr: AUTH PLAIN and LOGIN against the users,
	// checked by a private Dovecot auth server, and relaying for
	// authenticated clients only.
	Submission bool

	// LMTP, when set, is the address of a delivery agent (StartLMTP's
	// Dovecot) Postfix hands local mail to over LMTP, as Debian's
	// Postfix with Dovecot is set up (local_transport = lmtp:...), in
	// place of its own virtual(8) delivery into Maildirs under Dir.
	LMTP string

	// Main sets more main.cf parameters, after all others. The harness
	// sets smtpd_error_sleep_time = 0 and the error and junk command
	// limits high so that long differential dialogues are not cut off;
	// PostfixDefaults puts Postfix's own values back.
	Main map[string]string

	// Dovecot adds dovecot.conf lines after all others (a plugin's
	// settings, such as a quota). Dovecot's LMTP only.
	Dovecot string
}

// User is one mailbox and its password.
type User struct {
	Name, Password string
	// Fields are Dovecot's userdb extra fields for the user, such as
	// "userdb_quota_rule=*:storage=1K". Dovecot only.
	Fields string
}

// PostfixDefaults are Postfix's defaults for the parameters the harness
// changes so that differential tests are not slowed down or cut off, and
// for the relay restriction (Debian's main.cf has the same one), whose
// refusal is a temporary 454 where the harness's is a 554. Pass it, or
// part of it, as Options.Main to see Postfix as installed.
var PostfixDefaults = map[string]string{
	"smtpd_error_sleep_time":   "1s",
	"smtpd_soft_error_limit":   "10",
	"smtpd_hard_error_limit":   "20",
	"smtpd_junk_command_limit": "100",
	"smtpd_relay_restrictions": "permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination",
}

// DemoUsers are the lab's demo accounts, the default Options.Users.
var DemoUsers = []User{{Name: "melanie", Password: "toybox"}, {Name: "alex", Password: "drums"}}

func (o Options) withDefaults() Options {
	if o.Domain == "" {
		o.Domain = "example.org"
	}
	if o.Hostname == "" {
		o.Hostname = "mail." + o.Domain
	}
	if len(o.Users) == 0 {
		o.Users = DemoUsers
	}
	if o.Aliases == nil {
		o.Aliases = map[string]string{"postmaster": o.Users[0].Name}
	}
	if o.MessageSizeLimit == 0 {
		o.MessageSizeLimit = 10240000
	}
	if o.RecipientLimit == 0 {
		o.RecipientLimit = 1000
	}
	return o
}

// Server is a running reference server.
type Server struct {
	Addr           string  // host:port of Postfix's smtpd or Dovecot's LMTP listener
	SubmissionAddr string  // Postfix's submission service, with Options.Submission
	Dir            string  // the private directory: configuration, queue, logs, mail/
	Options        Options // as given, with the defaults filled in
	StartTime      time.Duration

	logs []string // log files, for failure messages
}

// Maildir is the path of user's Maildir (user is a local part).
func (s *Server) Maildir(user string) string {
	return filepath.Join(s.Dir, "mail", user, "Maildir")
}

// Messages returns the messages in user's Maildir (new/ and cur/), oldest
// first, as the server stored them (LF line ends).
func (s *Server) Messages(user string) ([][]byte, error) {
	type file struct {
		path string
		mod  time.Time
	}
	var files []file
	for _, sub := range []string{"new", "cur"} {
		dir := filepath.Join(s.Maildir(user), sub)
		entries, err := os.ReadDir(dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			info, err := e.Info()
			if err != nil {
				return nil, err
			}
			files = append(files, file{filepath.Join(dir, e.Name()), info.ModTime()})
		}
	}
	slices.SortFunc(files, func(a, b file) int {
		if c := a.mod.Compare(b.mod); c != 0 {
			return c
		}
		return strings.Compare(a.path, b.path)
	})
	var out [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f.path)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// WaitMessages waits until user's Maildir holds at least n messages and
// returns them all, oldest first. Postfix delivers after it has answered
// the end of DATA, so a test reading the Maildir must wait.
func (s *Server) WaitMessages(t testing.TB, user string, n int) [][]byte {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		msgs, err := s.Messages(user)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) >= n {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s has %d messages after 10s, want %d; server log:\n%s", user, len(msgs), n, s.Log())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Log returns the server's log files, for failure messages.
func (s *Server) Log() string {
	var b strings.Builder
	for _, name := range s.logs {
		data, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(&b, "(%v)\n", err)
			continue
		}
		fmt.Fprintf(&b, "--- %s\n%s", filepath.Base(name), data)
	}
	return b.String()
}

// tempDir makes the server's private directory. It is not t.TempDir():
// the daemons' own users (postfix, nobody, dovecot) must be able to walk
// into it, and Unix socket paths under it must stay well below the
// 108-byte limit whatever the test's name.
func tempDir(t testing.TB, prefix string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// freePorts returns n TCP ports on 127.0.0.1 that were free a moment ago.
// A daemon may still lose one to another process before it binds it: the
// Start functions then try again with other ports.
func freePorts(n int) ([]int, error) {
	var ports []int
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// mailOwner is the user and group that own the delivered mail. Both
// Postfix's virtual(8) and Dovecot refuse to deliver as root.
func mailOwner() (uid, gid int) {
	if os.Geteuid() == 0 {
		return 65534, 65534 // nobody, nogroup
	}
	return os.Geteuid(), os.Getegid()
}

// makeMaildirs creates dir/mail/<user>/Maildir/{cur,new,tmp} for every
// user, owned by the mail owner.
func makeMaildirs(dir string, users []User) error {
	uid, gid := mailOwner()
	mail := filepath.Join(dir, "mail")
	for _, u := range users {
		for _, sub := range []string{"cur", "new", "tmp"} {
			if err := os.MkdirAll(filepath.Join(mail, u.Name, "Maildir", sub), 0o700); err != nil {
				return err
			}
		}
	}
	return filepath.WalkDir(mail, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if os.Geteuid() != 0 {
			return nil
		}
		return os.Chown(p, uid, gid)
	})
}

// daemon is a server process started in the foreground, so that the test
// owns it.
type daemon struct {
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	err  error         // its exit status, once done is closed
}

// startDaemon runs name with args; its output goes to logfile. ownGroup
// puts it in a process group of its own, for daemons that do not do so
// themselves.
func startDaemon(name string, args []string, logfile string, ownGroup bool) (*daemon, error) {
	out, err := os.OpenFile(logfile, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	defer out.Close()
	cmd := exec.Command(name, args...)
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C"}
	cmd.Stdout = out
	cmd.Stderr = out
	cmd.SysProcAttr = sysProcAttr(ownGroup)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	d := &daemon{cmd: cmd, done: make(chan struct{})}
	go func() {
		d.err = cmd.Wait()
		close(d.done)
	}()
	return d, nil
}

// stop ends the daemon with SIGTERM (both Postfix's and Dovecot's master
// then stop their children), SIGKILL if it lingers, and then kills
// whatever is left in its process group. The grace is short: Dovecot
// takes a second to stop gracefully, and nothing of a test's instance
// needs to survive it.
func (d *daemon) stop() {
	terminate(d.cmd.Process)
	select {
	case <-d.done:
	case <-time.After(250 * time.Millisecond):
		d.cmd.Process.Kill()
		<-d.done
	}
	killGroup(d.cmd.Process.Pid)
}

// waitGreeting waits until a connection to addr gets a 220 greeting,
// or the daemon has exited, or the timeout has passed. A greeting, not
// just a listening port: a master may bind its ports and then fail to
// start the service behind them.
func (d *daemon) waitGreeting(addr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		select {
		case <-d.done:
			return fmt.Errorf("exited before greeting on %s: %v", addr, d.err)
		default:
		}
		line, err := greeting(addr, deadline)
		if err == nil && strings.HasPrefix(line, "220 ") {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no greeting on %s after %v: %q, %v", addr, timeout, line, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// greeting reads the first line a server at addr sends.
func greeting(addr string, deadline time.Time) (string, error) {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	c.SetReadDeadline(deadline)
	return bufio.NewReader(c).ReadString('\n')
}

// needBinaries fails the test when a Debian package is missing.
func needBinaries(t testing.TB, pkg string, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("%s is missing (Debian package %s; make deps installs it): %v", p, pkg, err)
		}
	}
}

func addr(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }
