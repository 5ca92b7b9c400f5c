package pop3

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
// entry, but cannot list them whole: a Maildir labserver can start with
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

// A maildrop whose folder could not be read refuses the login with
// [SYS/PERM]; the session stays in AUTHORIZATION.
func TestUnreadableMaildrop(t *testing.T) {
	fsys, err := mem.NewFS()
	if err != nil {
		t.Fatal(err)
	}
	for p, data := range map[string]string{
		"passwd":                        "melanie:{PLAIN}toybox\n",
		"melanie/cur/1000.M1P1.lab:2,S": "Subject: one\n\nx\n",
	} {
		if err := hackpadfs.MkdirAll(fsys, path.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := hackpadfs.WriteFullFile(fsys, p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	st, err := mailstore.ServeMaildir(unlistableFS{FS: fsys, broken: "melanie/cur"}, ".", mailstore.ServeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	k := dial(t, Options{Store: st})
	k.line()
	k.cmd("USER melanie")
	if got := k.cmd("PASS toybox"); got != "-ERR [SYS/PERM] the maildrop cannot be opened" {
		t.Errorf("login: %q", got)
	}
	if got := k.cmd("STAT"); !strings.HasPrefix(got, "-ERR STAT is not allowed in the AUTHORIZATION state") {
		t.Errorf("after the refused login: %q", got)
	}
	k.cmd("QUIT")
	k.wait()
}
