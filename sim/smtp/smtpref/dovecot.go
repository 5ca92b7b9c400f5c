//go:build !js && !wasip1

package smtpref

import (
	"fmt"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// DovecotBinary is Debian's dovecot-core master; the LMTP server itself
// comes with dovecot-lmtpd.
const (
	DovecotBinary = "/usr/sbin/dovecot"
	DovecotLMTP   = "/usr/lib/dovecot/lmtp"
)

// StartLMTP runs a private Dovecot with its LMTP server on a free port of
// 127.0.0.1: recipients are opts.Users at opts.Domain (a passwd-file user
// database), and each user's mail goes to Dir/mail/<user>/Maildir. It is
// stopped when the test ends. Of opts, only Domain, Hostname and Users
// matter.
func StartLMTP(t testing.TB, opts Options) *Server {
	t.Helper()
	began := time.Now()
	opts = opts.withDefaults()
	dir := tempDir(t, "smtpref-lmtp")
	dc := startDovecot(t, dir, opts, true)
	return &Server{Addr: dc.addr, Dir: dir, Options: opts, logs: dc.logs, StartTime: time.Since(began)}
}

// dovecot is a running private Dovecot.
type dovecot struct {
	addr       string // the LMTP listener, if any
	saslSocket string // the authentication socket for Postfix
	logs       []string
}

// startDovecot runs Dovecot from dir: with an LMTP listener if lmtp is
// set, otherwise only as the authentication server of Postfix's
// submission service.
func startDovecot(t testing.TB, dir string, opts Options, lmtp bool) *dovecot {
	t.Helper()
	needBinaries(t, "dovecot-core", DovecotBinary)
	if lmtp {
		needBinaries(t, "dovecot-lmtpd", DovecotLMTP)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := makeMaildirs(dir, opts.Users); err != nil {
		t.Fatal(err)
	}
	if err := writePasswd(dir, opts); err != nil {
		t.Fatal(err)
	}
	dc := &dovecot{
		saslSocket: filepath.Join(dir, "run", "auth-postfix"),
		logs:       []string{filepath.Join(dir, "dovecot.log"), filepath.Join(dir, "dovecot.out")},
	}
	conf := filepath.Join(dir, "dovecot.conf")
	var lastErr error
	for range 3 {
		port := 0
		if lmtp {
			ports, err := freePorts(1)
			if err != nil {
				t.Fatal(err)
			}
			port = ports[0]
			dc.addr = addr(port)
		}
		text, err := dovecotConfig(dir, opts, port)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		d, err := startDaemon(DovecotBinary, []string{"-F", "-c", conf}, filepath.Join(dir, "dovecot.out"), true)
		if err != nil {
			t.Fatal(err)
		}
		if lmtp {
			lastErr = d.waitGreeting(dc.addr, 10*time.Second)
		} else {
			lastErr = waitUnixSocket(d, dc.saslSocket, 10*time.Second)
		}
		if lastErr == nil {
			t.Cleanup(d.stop)
			return dc
		}
		d.stop()
	}
	var log strings.Builder
	for _, name := range dc.logs {
		b, _ := os.ReadFile(name)
		log.Write(b)
	}
	t.Fatalf("dovecot: %v\n%s", lastErr, log.String())
	return nil
}

// dovecotConfig is a complete dovecot.conf: nothing is read from
// /etc/dovecot. port 0 means no LMTP listener.
func dovecotConfig(dir string, o Options, port int) (string, error) {
	uid, gid := mailOwner()
	var b strings.Builder
	fmt.Fprintf(&b, `base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
instance_name = smtpref-%[2]d
listen = 127.0.0.1
ssl = no
hostname = %[3]s
mail_location = maildir:~/Maildir
mail_uid = %[4]d
mail_gid = %[5]d
first_valid_uid = %[4]d
first_valid_gid = %[5]d
# Login names without a domain (SASL from Postfix) are the domain's users.
auth_default_realm = %[6]s
# Plain-text passwords over plain TCP on loopback, as in the lab.
disable_plaintext_auth = no
auth_mechanisms = plain login
# Dovecot waits 2 s before it answers a failed authentication (0 leaves
# half a second: it looks at its failures twice a second)...
auth_failure_delay = 0
passdb {
  driver = passwd-file
  args = %[1]s/passwd
}
userdb {
  driver = passwd-file
  args = %[1]s/passwd
}
service auth {
  unix_listener auth-postfix {
    mode = 0666
  }
}
# ...and then delays every authentication from the same address, by up to
# 15 s; without this socket, auth cannot ask anvil for the penalty. Not
# chrooted, so that it starts without root too.
service anvil {
  chroot =
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
`, dir, port, o.Hostname, uid, gid, o.Domain)
	if os.Geteuid() != 0 {
		// Without root, every Dovecot process runs as the test's user.
		u, err := user.Current()
		if err != nil {
			return "", err
		}
		g, err := user.LookupGroupId(u.Gid)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "default_internal_user = %[1]s\ndefault_login_user = %[1]s\ndefault_internal_group = %[2]s\n", u.Username, g.Name)
	}
	if port == 0 {
		b.WriteString("protocols = none\n")
		return b.String(), nil
	}
	fmt.Fprintf(&b, `protocols = lmtp
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = %d
  }
}
`, port)
	b.WriteString(o.Dovecot)
	return b.String(), nil
}

// writePasswd writes the passwd-file that is both Dovecot's password and
// user database: users are full addresses, their homes hold Maildir/.
func writePasswd(dir string, o Options) error {
	uid, gid := mailOwner()
	var b strings.Builder
	for _, u := range o.Users {
		fmt.Fprintf(&b, "%s@%s:{PLAIN}%s:%d:%d::%s::%s\n", u.Name, o.Domain, u.Password, uid, gid, filepath.Join(dir, "mail", u.Name), u.Fields)
	}
	return os.WriteFile(filepath.Join(dir, "passwd"), []byte(b.String()), 0o644)
}

// waitUnixSocket waits until the Unix socket path accepts connections.
func waitUnixSocket(d *daemon, path string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		select {
		case <-d.done:
			return fmt.Errorf("exited before listening on %s: %v", path, d.err)
		default:
		}
		c, err := net.Dial("unix", path)
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not listening on %s after %v: %v", path, timeout, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
