//go:build !js && !wasip1

package pop3

import (
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	osfs "github.com/hack-pad/hackpadfs/os"

	"maillab/sim/mailstore"
	"maillab/sim/mime/dovecottest"
)

// maildirFlags maps each message file of the Maildir at dir, by its base
// name (up to the ":"), to its flag letters: "" for a file in new/ or one
// with ":2," and nothing after it.
func maildirFlags(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, sub := range []string{"new", "cur"} {
		es, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			base, info, _ := strings.Cut(e.Name(), ":")
			out[base] = strings.TrimPrefix(info, "2,")
		}
	}
	return out
}

// TestSeenAsDovecot runs the same POP3 commands with Dovecot's POP3
// server and with the lab's on copies of one Maildir, then compares the
// flags in the file names. Dovecot 2.3 (pop3_no_flag_updates = no, its
// default) renames a message RETR sent to ":2,S" at QUIT, together with
// the deletions; not when the connection ends without QUIT, not after
// RSET, never for TOP. With pop3_no_flag_updates = yes nothing changes.
func TestSeenAsDovecot(t *testing.T) {
	if _, err := exec.LookPath(dovecottest.POP3Binary); err != nil {
		t.Fatalf("Dovecot's POP3 server (dovecot-pop3d) is not installed: %v", err)
	}
	st := mailstore.New()
	u, _ := st.AddUser("anna", "secret")
	mb, _ := u.Mailbox(mailstore.Inbox)
	for i, flags := range [][]string{nil, nil, nil, {mailstore.FlagFlagged}} {
		if _, err := mb.Append([]byte("Subject: "+string(rune('a'+i))+"\n\nbody\n"), flags, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	src := t.TempDir()
	fsys, err := osfs.NewFS().Sub(strings.TrimPrefix(src, "/"))
	if err != nil {
		t.Fatal(err)
	}
	if err := mailstore.SaveMaildir(st, fsys, "."); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, input string
		noFlags     bool
	}{
		{"RETR QUIT", "RETR 1\r\nQUIT\r\n", false},
		{"RETR dropped", "RETR 1\r\n", false},
		{"TOP QUIT", "TOP 1 0\r\nQUIT\r\n", false},
		{"RETR TOP DELE QUIT", "RETR 1\r\nTOP 2 0\r\nDELE 3\r\nQUIT\r\n", false},
		{"RETR DELE same", "RETR 1\r\nDELE 1\r\nQUIT\r\n", false},
		{"RETR RSET", "RETR 1\r\nRSET\r\nQUIT\r\n", false},
		{"RETR twice", "RETR 2\r\nRETR 2\r\nQUIT\r\n", false},
		{"RETR flagged", "RETR 4\r\nQUIT\r\n", false},
		{"RETR DELE dropped", "RETR 1\r\nDELE 2\r\n", false},
		{"no flag updates", "RETR 1\r\nDELE 2\r\nQUIT\r\n", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			settings := ""
			if c.noFlags {
				settings = "pop3_no_flag_updates = yes"
			}
			_, ddir := dovecottest.RunPOP3(t, filepath.Join(src, "anna"), settings, c.input)
			want := maildirFlags(t, filepath.Join(ddir, "Maildir"))

			dst := t.TempDir()
			if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
				t.Fatal(err)
			}
			dfs, err := osfs.NewFS().Sub(strings.TrimPrefix(dst, "/"))
			if err != nil {
				t.Fatal(err)
			}
			lab, err := mailstore.LoadMaildir(dfs, ".")
			if err != nil {
				t.Fatal(err)
			}
			lab.SetPersister(mailstore.NewMaildirPersister(dfs, "."))
			k := dial(t, Options{Store: lab, NoFlagUpdates: c.noFlags})
			k.line()
			k.cmd("USER anna")
			k.cmd("PASS secret")
			for _, l := range strings.Split(strings.TrimSuffix(c.input, "\r\n"), "\r\n") {
				k.do(l)
			}
			k.c.Close()
			k.wait()
			if got := maildirFlags(t, filepath.Join(dst, "anna")); !maps.Equal(got, want) {
				t.Errorf("after %q the lab's files have flags %v; Dovecot's %v", c.input, got, want)
			}
		})
	}
}
