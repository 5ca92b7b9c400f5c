// Package demo holds the lab's built-in accounts: the people of the
// lectures and of RFC 1939 and RFC 3501, each with a small Maildir++ of
// messages that show what the lessons teach (an RFC 2047 subject in KOI8-R,
// a multipart message with an attachment, a line starting with ".", a
// forwarded message/rfc822, a folder hierarchy, a Cyrillic folder).
//
// The tree lives in maildir/ in the standard layout, files in LF form,
// each mailbox with the maillab-modseq file the store keeps beside
// Dovecot's (Write adds the empty new/ and tmp/ a module cannot hold), so
// that a store starting to keep it writes nothing. The only departure
// from Maildir: file names carry their flags after "!2," instead of
// ":2,", because ":" cannot be part of a file name in a Go module or on
// Windows. FS and Store put the ":" back. For the same
// reason, SMITH (RFC 3501's example login) is made from smith's tree when
// copied: a module cannot hold two directories differing only in case.
// SMITH lacks the owatagusiam folders, so RFC 3501's "CREATE
// owatagusiam/blurdybloop" succeeds as in the example.
package demo

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/hack-pad/hackpadfs"
	"github.com/hack-pad/hackpadfs/mem"

	"maillab/sim/mailstore"
)

//go:embed all:maildir
var tree embed.FS

// Accounts lists the demo users and their passwords, as in maildir/passwd.
var Accounts = []struct{ User, Password string }{
	{"melanie", "toybox"},
	{"mrose", "tanstaaf"},
	{"alex", "drums"},
	{"smith", "sesame"},
	{"SMITH", "SESAME"},
}

// Store returns a new in-memory store with the demo accounts; every call
// gives a fresh, independent copy.
func Store() (*mailstore.Store, error) {
	fsys, err := memTree()
	if err != nil {
		return nil, err
	}
	return mailstore.LoadMaildir(fsys, ".")
}

// FS returns the demo accounts as a standard Maildir++ tree (passwd at its
// root) in a new in-memory file system, to seed another one from.
func FS() fs.FS {
	fsys, err := memTree()
	if err != nil {
		// The tree is compiled in and checked by the tests.
		panic(fmt.Sprintf("demo: copying the embedded Maildir: %v", err))
	}
	return fsys
}

// memTree copies the embedded tree into a new mem FS (Write).
func memTree() (*mem.FS, error) {
	fsys, err := mem.NewFS()
	if err != nil {
		return nil, err
	}
	if err := Write(fsys); err != nil {
		return nil, err
	}
	return fsys, nil
}

// Write copies the demo accounts into the empty file system fsys, as
// Store reads them: a Maildir++ tree with passwd at its root, Maildir
// file names, each message file's modification time set to the Unix time
// its name starts with (Maildir keeps the internal date in the file's
// mtime). A host that keeps its store in a file system of its own can
// seed it with Write and load the store from it.
func Write(fsys hackpadfs.FS) error {
	root, err := fs.Sub(tree, "maildir")
	if err != nil {
		return err
	}
	if err := copyTree(fsys, root, ".", func(p string) string { return p }); err != nil {
		return err
	}
	upper := func(p string) string { return "SMITH" + strings.TrimPrefix(p, "smith") }
	return copyTree(fsys, root, "smith", upper)
}

// copyTree copies src's tree below dir into fsys, naming each path with
// rename and dropping the owatagusiam folders and subscriptions from
// renamed copies.
func copyTree(fsys hackpadfs.FS, src fs.FS, dir string, rename func(string) string) error {
	copied := dir != "."
	return fs.WalkDir(src, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == "." {
			return err
		}
		if copied && strings.Contains(p, ".owatagusiam") {
			return nil
		}
		if d.IsDir() {
			return hackpadfs.MkdirAll(fsys, rename(p), 0o700)
		}
		data, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		if copied && d.Name() == "subscriptions" {
			data = dropLines(data, "owatagusiam")
		}
		dst := strings.Replace(rename(p), "!2,", ":2,", 1)
		if err := hackpadfs.WriteFullFile(fsys, dst, data, 0o600); err != nil {
			return err
		}
		if d.Name() == "dovecot-uidlist" {
			// A Maildir's three directories, which a module cannot hold
			// empty.
			for _, sub := range []string{"cur", "new", "tmp"} {
				if err := hackpadfs.MkdirAll(fsys, path.Join(path.Dir(dst), sub), 0o700); err != nil {
					return err
				}
			}
		}
		if t, ok := nameTime(d.Name()); ok {
			return hackpadfs.Chtimes(fsys, dst, t, t)
		}
		return nil
	})
}

func dropLines(data []byte, substr string) []byte {
	var out []string
	for _, l := range strings.SplitAfter(string(data), "\n") {
		if !strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return []byte(strings.Join(out, ""))
}

func nameTime(name string) (time.Time, bool) {
	digits, _, ok := strings.Cut(name, ".")
	sec, err := strconv.ParseInt(digits, 10, 64)
	if !ok || err != nil {
		return time.Time{}, false
	}
	return time.Unix(sec, 0), true
}
