package imap

import (
	"errors"
	"io/fs"
	"path"
	"strings"
	"testing"

	"github.com/hack-pad/hackpadfs"
	"github.com/hack-pad/hackpadfs/mem"

	"maillab/sim/mailstore"
)

// unlistableFS opens the directories below broken and shows their first
// entry, but cannot list them whole: a folder labserver can start with
// and then cannot read.
type unlistableFS struct {
	*mem.FS
	broken string
}

func (f unlistableFS) Open(name string) (hackpadfs.File, error) {
	file, err := f.FS.Open(name)
	if err != nil || !strings.HasPrefix(name, f.broken) {
		return file, err
	}
	return unlistableDir{file}, nil
}

type unlistableDir struct{ hackpadfs.File }

func (d unlistableDir) ReadDir(n int) ([]fs.DirEntry, error) {
	if n <= 0 {
		return nil, errors.New("input/output error")
	}
	return hackpadfs.ReadDirFile(d.File, n)
}

// A mailbox whose folder could not be read when the Maildir was opened
// answers NO [UNAVAILABLE] to whatever opens it; it is still listed
// (without the special use, which is the mailbox's), and the other
// mailboxes serve.
func TestUnreadableMailbox(t *testing.T) {
	c := login(t, unreadableStore(t), "kim", "secret123")
	c.run(`
		C: a0 LIST "" *
		S: * LIST (\HasNoChildren) "/" INBOX
		S: * LIST (\HasNoChildren \Drafts) "/" Drafts
		S: * LIST (\HasNoChildren) "/" Sent
		S: a0 OK LIST completed
		C: a1 SELECT Sent
		S: a1 NO [UNAVAILABLE] Mailbox Sent cannot be read from the disk; the server's log says why
		C: a2 STATUS Sent (MESSAGES)
		S: a2 NO [UNAVAILABLE] Mailbox Sent cannot be read from the disk; the server's log says why
		C: a3 STATUS Drafts (MESSAGES)
		S: * STATUS Drafts (MESSAGES 1)
		S: a3 OK STATUS completed
	`)
}

// unreadableStore serves kim/secret123 from a Maildir whose Sent folder
// cannot be listed, beside INBOX and Drafts.
func unreadableStore(t *testing.T) *mailstore.Store {
	t.Helper()
	fsys, err := mem.NewFS()
	if err != nil {
		t.Fatal(err)
	}
	for p, data := range map[string]string{
		"passwd":                            "kim:{PLAIN}secret123\n",
		"kim/cur/1000.M1P1.lab:2,S":         "Subject: one\n\nx\n",
		"kim/.Sent/cur/1001.M1P1.lab:2,S":   "Subject: sent\n\ny\n",
		"kim/.Sent/maildirfolder":           "",
		"kim/.Drafts/cur/1002.M1P1.lab:2,D": "Subject: draft\n\nz\n",
	} {
		if err := hackpadfs.MkdirAll(fsys, path.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := hackpadfs.WriteFullFile(fsys, p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	st, err := mailstore.ServeMaildir(unlistableFS{FS: fsys, broken: "kim/.Sent/"}, ".", mailstore.ServeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return st
}
