package main

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/hack-pad/hackpadfs"
	osfs "github.com/hack-pad/hackpadfs/os"

	"maillab/sim/demo"
	"maillab/sim/mailstore"
)

// openStore loads the accounts: the Maildir++ tree in dir, its messages
// read from their files when asked, or the demo accounts when dir is "".
// With persist every change is written back to dir. The folders are read
// after the listeners open (mailstore.ServeMaildir); what that reading
// worked around (a dovecot-uidlist it could not read) is logged as a
// warning, a folder it could not read as an error, and sessions get NO or
// -ERR for that mailbox.
func openStore(dir string, persist bool, log *slog.Logger) (*mailstore.Store, error) {
	if dir == "" {
		return demo.Store()
	}
	if err := checkFolder(dir); err != nil {
		return nil, err
	}
	fsys, err := dirFS(dir, log)
	if err != nil {
		return nil, err
	}
	fix := "the file on disk is left as it is; with -persist it would be written again"
	if persist {
		fix = "the file is written again from the folder (-persist)"
	}
	// Mail other programs deliver into the folder, or files they rename
	// or remove, show at the sessions' next updates (NOOP, IDLE, STATUS,
	// a POP3 login), as Dovecot shows them.
	store, err := mailstore.ServeMaildir(fsys, ".", mailstore.ServeOptions{
		Persist: persist,
		Loaded: func(problems []error) {
			for _, p := range problems {
				if errors.Is(p, mailstore.ErrUnreadable) {
					log.Error("maildir folder cannot be read", "maildir", dir, "problem", p.Error(),
						"action", "sessions are refused that mailbox until labserver is restarted with the folder readable")
					continue
				}
				log.Warn("maildir problem worked around", "maildir", dir, "problem", p.Error(), "action", fix)
			}
			// Reading a large folder's listings leaves garbage more
			// than the index kept: give it back to the system before
			// the first session uses the index, which costs that
			// session a collection's time (tens of ms at 100,000
			// messages).
			debug.FreeOSMemory()
		},
	})
	if err != nil {
		return nil, fmt.Errorf("-maildir %s: %w", dir, err)
	}
	return store, nil
}

// checkFolder reports a -maildir that is not there, with its full path,
// before the file system rooted in it would report only "passwd".
func checkFolder(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("-maildir %s: %w", dir, err)
	}
	info, err := os.Stat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("-maildir %s: the folder %s does not exist; make it with a passwd file of name:{PLAIN}password lines and a Maildir per user (see README.md)", dir, abs)
	case err != nil:
		return fmt.Errorf("-maildir %s: %w", dir, err)
	case !info.IsDir():
		return fmt.Errorf("-maildir %s: %s is a file, not a folder", dir, abs)
	}
	return nil
}

// dirFS is the OS directory dir as a hackpadfs file system rooted there,
// its failures logged to log (loggedFS).
// hackpadfs paths are slash-separated and relative to the file system's
// root (the OS root), so the absolute path loses its leading "/".
func dirFS(dir string, log *slog.Logger) (hackpadfs.FS, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("-maildir %s: %w", dir, err)
	}
	root := osfs.NewFS()
	rel, err := root.FromOSPath(abs)
	if err != nil {
		return nil, fmt.Errorf("-maildir %s: not a usable path: %w", dir, err)
	}
	if rel != "." {
		sub, err := root.Sub(rel)
		if err != nil {
			return nil, err
		}
		root = sub.(*osfs.FS)
	}
	return &loggedFS{FS: root, log: log, dir: dir}, nil
}
