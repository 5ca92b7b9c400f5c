//go:build !js && !wasip1

// Package dovecottest runs Dovecot's IMAP server as a reference for
// differential tests: a pre-authenticated session over stdio on a private
// copy of a Maildir, and a reader for its responses. It is meant for _test.go
// files only (it starts processes), hence the build constraint that keeps it
// out of the WebAssembly build of the simulator.
//
// Typical use in a test:
//
//	md := dovecottest.WriteMaildir(t, t.TempDir(), msgs) // or any Maildir++ tree
//	c := dovecottest.Start(t, md)                        // PREAUTH session, stopped by t.Cleanup
//	c.Do("SELECT INBOX")
//	resp, err := c.Do(`SEARCH CHARSET UTF-8 SUBJECT "grüße"`)
//	// resp[0].Fields: [Atom("SEARCH") Atom("1") ...]; the last element is the tagged OK.
//
// For a raw transcript, write commands to c and read from it directly.
package dovecottest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Binary is Debian's dovecot-imapd IMAP process.
const Binary = "/usr/lib/dovecot/imap"

// Conn is a pre-authenticated IMAP session with Dovecot. Read and Write
// give the raw byte stream (it is an io.ReadWriter); Do sends one command
// and parses the answer.
type Conn struct {
	r    *bufio.Reader
	w    io.WriteCloser
	cmd  *exec.Cmd
	tags int

	Dir string // the private directory holding Maildir/, dovecot.conf, dovecot.log
}

func (c *Conn) Read(p []byte) (int, error)  { return c.r.Read(p) }
func (c *Conn) Write(p []byte) (int, error) { return c.w.Write(p) }

// WriteMaildir makes a fresh Maildir under dir holding msgs, in order (so
// that Dovecot gives message i sequence number i+1), and returns its path.
// The messages are written as given; Maildir files usually use LF.
func WriteMaildir(t testing.TB, dir string, msgs [][]byte) string {
	t.Helper()
	md := filepath.Join(dir, "Maildir")
	for _, sub := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(md, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for i, m := range msgs {
		name := fmt.Sprintf("%d.M%dP1.test:2,", 1000000000+i, i)
		if err := os.WriteFile(filepath.Join(md, "cur", name), m, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return md
}

// Start runs Dovecot on a private copy of the Maildir at maildir (made with
// WriteMaildir or any Maildir++ tree) and waits for its PREAUTH greeting.
// The process is stopped when the test ends. Folders use "/" as the
// hierarchy delimiter, as the lab does.
func Start(t testing.TB, maildir string) *Conn {
	t.Helper()
	dir, _ := privateCopy(t, maildir, "")
	return spawn(t, dir)
}

// StartWith is Start with settings (dovecot.conf lines, such as a plugin's)
// added to the configuration.
func StartWith(t testing.TB, maildir, settings string) *Conn {
	t.Helper()
	dir, _ := privateCopy(t, maildir, settings+"\n")
	return spawn(t, dir)
}

// privateCopy copies the Maildir at maildir into a new directory removed
// when the test ends, owned by a user Dovecot may serve, and writes there
// the configuration with settings (dovecot.conf lines) added. It returns
// the directory and the configuration file.
func privateCopy(t testing.TB, maildir, settings string) (dir, conf string) {
	t.Helper()
	dir, err := os.MkdirTemp("", "dovecottest")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.CopyFS(filepath.Join(dir, "Maildir"), os.DirFS(maildir)); err != nil {
		t.Fatal(err)
	}
	uid, gid := os.Getuid(), os.Getgid()
	if uid == 0 {
		// Dovecot refuses to access mail as root: hand the copy to nobody.
		uid, gid = 65534, 65534
		if err := chownTree(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	conf = filepath.Join(dir, "dovecot.conf")
	if err := os.WriteFile(conf, []byte(config(dir, uid, gid)+settings), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, conf
}

// Open starts another session of the same user on the same Maildir, as a
// second client would: the two see each other's changes at the points
// IMAP allows. It is stopped when the test ends.
func (c *Conn) Open(t testing.TB) *Conn {
	t.Helper()
	return spawn(t, c.Dir)
}

// spawn runs one Dovecot IMAP process on the tree and configuration in dir
// and waits for its PREAUTH greeting.
func spawn(t testing.TB, dir string) *Conn {
	t.Helper()
	cmd := exec.Command(Binary, "-c", filepath.Join(dir, "dovecot.conf"))
	cmd.Dir = dir
	cmd.Env = []string{"USER=test", "HOME=" + dir, "PATH=/usr/bin:/bin"}
	logf, err := os.CreateTemp(dir, "stderr*.log")
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = logf
	w, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	r, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", Binary, err)
	}
	c := &Conn{r: bufio.NewReader(r), w: w, cmd: cmd, Dir: dir}
	t.Cleanup(func() {
		w.Close()
		cmd.Wait()
		logf.Close()
	})
	greeting, err := c.r.ReadString('\n')
	if !strings.HasPrefix(greeting, "* PREAUTH") {
		log, _ := os.ReadFile(logf.Name())
		t.Fatalf("dovecot greeting %q, %v; its log: %s", greeting, err, log)
	}
	return c
}

func config(dir string, uid, gid int) string {
	return fmt.Sprintf(`mail_location = maildir:%s/Maildir
log_path = %s/dovecot.log
ssl = no
mail_uid = %d
mail_gid = %d
first_valid_uid = %d
first_valid_gid = %d
namespace inbox {
  inbox = yes
  separator = /
}
`, dir, dir, uid, gid, uid, gid)
}

func chownTree(dir string, uid, gid int) error {
	return filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Chown(p, uid, gid)
	})
}

// Do sends command with a fresh tag and returns every response up to and
// including the tagged one (last).
func (c *Conn) Do(command string) ([]Response, error) {
	tag, err := c.send(command)
	if err != nil {
		return nil, err
	}
	var out []Response
	for {
		r, err := ReadResponse(c.r)
		if err != nil {
			return out, err
		}
		out = append(out, r)
		if r.Tag == tag {
			return out, nil
		}
	}
}

// send writes command with a fresh tag and returns the tag.
func (c *Conn) send(command string) (string, error) {
	c.tags++
	tag := "d" + strconv.Itoa(c.tags)
	_, err := fmt.Fprintf(c.w, "%s %s\r\n", tag, command)
	return tag, err
}

// Lines sends command with a fresh tag and returns the response lines as
// Dovecot wrote them, without CRLF, up to and including the tagged one.
// It is for answers without literals (a literal's lines come back as
// lines of their own).
func (c *Conn) Lines(command string) ([]string, error) {
	tag, err := c.send(command)
	if err != nil {
		return nil, err
	}
	var out []string
	for {
		l, err := c.r.ReadString('\n')
		if err != nil {
			return out, err
		}
		l = strings.TrimRight(l, "\r\n")
		out = append(out, l)
		if strings.HasPrefix(l, tag+" ") {
			return out, nil
		}
	}
}

// POP3Binary is Debian's dovecot-pop3d POP3 process.
const POP3Binary = "/usr/lib/dovecot/pop3"

// RunPOP3 runs Dovecot's POP3 server, logged in, on a private copy of the
// Maildir at maildir, with settings (dovecot.conf lines such as
// "pop3_uidl_format = %u") added to the configuration. It reads input
// (commands with CRLF) to its end, as a client that sends them and then
// closes the connection, and returns everything Dovecot wrote (logged in
// this way, it sends no greeting: the first line answers the first
// command) and the private directory, whose Maildir/ holds the mailbox
// as Dovecot left it.
func RunPOP3(t testing.TB, maildir, settings, input string) (out, dir string) {
	t.Helper()
	dir, conf := privateCopy(t, maildir, settings+"\n")
	cmd := exec.Command(POP3Binary, "-c", conf)
	cmd.Dir = dir
	cmd.Env = []string{"USER=test", "HOME=" + dir, "PATH=/usr/bin:/bin"}
	cmd.Stdin = strings.NewReader(input)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "dovecot.log"))
		t.Fatalf("%s: %v; output %q; stderr %s; log %s", POP3Binary, err, b, stderr.String(), log)
	}
	return string(b), dir
}
