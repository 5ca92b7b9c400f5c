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
//	resp, err := c.Do(`SEARCH CHARSET UTF-8 SUBJECT "привет"`)
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
	conf := filepath.Join(dir, "dovecot.conf")
	if err := os.WriteFile(conf, []byte(config(dir, uid, gid)), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(Binary, "-c", conf)
	cmd.Dir = dir
	cmd.Env = []string{"USER=test", "HOME=" + dir, "PATH=/usr/bin:/bin"}
	logf, err := os.Create(filepath.Join(dir, "stderr.log"))
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
		log, _ := os.ReadFile(filepath.Join(dir, "stderr.log"))
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

// Response is one response line: Tag is "*" for untagged ones. For status
// responses (OK, NO, BAD, BYE, PREAUTH) Text is the rest of the line;
// otherwise Fields holds the parsed values after the tag.
type Response struct {
	Tag    string
	Fields []any
	Text   string
}

// Atom is an IMAP atom or number; quoted strings and literals are string;
// NIL is nil; parenthesized lists are []any.
type Atom string

// Do sends command with a fresh tag and returns every response up to and
// including the tagged one (last).
func (c *Conn) Do(command string) ([]Response, error) {
	c.tags++
	tag := "d" + strconv.Itoa(c.tags)
	if _, err := fmt.Fprintf(c.w, "%s %s\r\n", tag, command); err != nil {
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

// ReadResponse reads one response, literals included.
func ReadResponse(r *bufio.Reader) (Response, error) {
	p := &reader{r: r}
	tag, err := p.atom()
	if err != nil {
		return Response{}, err
	}
	resp := Response{Tag: string(tag)}
	for {
		c, err := p.peek()
		if err != nil {
			return resp, err
		}
		if c == '\r' || c == '\n' {
			p.line()
			return resp, nil
		}
		if len(resp.Fields) <= 1 && c != '(' && c != '"' && c != '{' {
			a, err := p.atom()
			if err != nil {
				return resp, err
			}
			if isStatus(a) && (resp.Tag != "*" || len(resp.Fields) == 0) {
				resp.Fields = append(resp.Fields, a)
				resp.Text = strings.TrimSpace(p.line())
				return resp, nil
			}
			resp.Fields = append(resp.Fields, value(a))
			continue
		}
		v, err := p.value()
		if err != nil {
			return resp, err
		}
		resp.Fields = append(resp.Fields, v)
	}
}

func isStatus(a Atom) bool {
	switch strings.ToUpper(string(a)) {
	case "OK", "NO", "BAD", "BYE", "PREAUTH":
		return true
	}
	return false
}

// ParseValue parses one IMAP value written as a string (for comparing a
// locally built ENVELOPE or BODYSTRUCTURE with Dovecot's).
func ParseValue(s string) (any, error) {
	p := &reader{r: bufio.NewReader(strings.NewReader(s + "\r\n"))}
	return p.value()
}

type reader struct{ r *bufio.Reader }

func (p *reader) peek() (byte, error) {
	for {
		b, err := p.r.Peek(1)
		if err != nil {
			return 0, err
		}
		if b[0] != ' ' {
			return b[0], nil
		}
		p.r.ReadByte()
	}
}

func (p *reader) line() string {
	s, _ := p.r.ReadString('\n')
	return strings.TrimRight(s, "\r\n")
}

func value(a Atom) any {
	if strings.EqualFold(string(a), "NIL") {
		return nil
	}
	return a
}

// value reads NIL, an atom or number, a quoted string, a literal or a list.
func (p *reader) value() (any, error) {
	c, err := p.peek()
	if err != nil {
		return nil, err
	}
	switch c {
	case '(':
		p.r.ReadByte()
		list := []any{}
		for {
			c, err := p.peek()
			if err != nil {
				return nil, err
			}
			if c == ')' {
				p.r.ReadByte()
				return list, nil
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
	case '"':
		p.r.ReadByte()
		var b strings.Builder
		for {
			c, err := p.r.ReadByte()
			if err != nil {
				return nil, err
			}
			if c == '"' {
				return b.String(), nil
			}
			if c == '\\' {
				if c, err = p.r.ReadByte(); err != nil {
					return nil, err
				}
			}
			b.WriteByte(c)
		}
	case '{':
		p.r.ReadByte()
		n, err := p.r.ReadString('}')
		if err != nil {
			return nil, err
		}
		size, err := strconv.Atoi(strings.TrimSuffix(n, "}"))
		if err != nil {
			return nil, fmt.Errorf("bad literal size %q", n)
		}
		if crlf := p.line(); crlf != "" {
			return nil, fmt.Errorf("junk after literal size: %q", crlf)
		}
		buf := make([]byte, size)
		if _, err := io.ReadFull(p.r, buf); err != nil {
			return nil, err
		}
		return string(buf), nil
	}
	a, err := p.atom()
	return value(a), err
}

// atom reads an atom; a "[...]" inside it (BODY[HEADER.FIELDS (A B)]) and
// a following "<n>" are part of it.
func (p *reader) atom() (Atom, error) {
	var b strings.Builder
	depth := 0
	for {
		c, err := p.r.ReadByte()
		if err != nil {
			if b.Len() > 0 {
				return Atom(b.String()), nil
			}
			return "", err
		}
		switch {
		case c == '[':
			depth++
		case c == ']':
			depth--
		case depth == 0 && (c == ' ' || c == '(' || c == ')' || c == '\r' || c == '\n'):
			p.r.UnreadByte()
			if b.Len() == 0 {
				return "", fmt.Errorf("expected an atom, found %q", c)
			}
			return Atom(b.String()), nil
		}
		b.WriteByte(c)
	}
}
