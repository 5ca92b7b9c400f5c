package mailstore

// Serving a large Maildir: the port answers before the folders are read.
// Dovecot reads no mailbox at start either; it reads a folder when a
// session opens it. Here the folders are read in the background right
// after the start, and a session that needs a mailbox before they are
// waits for them (User.Mailbox and the other calls that look at a user's
// mailboxes). Logging in needs only passwd, which is read before.

import (
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/hack-pad/hackpadfs"
)

// ErrUnreadable is a mailbox whose folder could not be read when the
// store was opened (ServeMaildir): it has no messages the store knows
// of, and nothing is written to it.
var ErrUnreadable = errors.New("the mailbox's folder could not be read")

// ServeOptions say how ServeMaildir serves a tree.
type ServeOptions struct {
	// CacheBytes is how much message content is kept in memory
	// (0: DefaultBodyCache).
	CacheBytes int
	// Persist writes every change back to the tree
	// (NewMaildirPersister).
	Persist bool
	// Loaded, if set, is told what the reading of the folders found
	// wrong, before any session sees a mailbox: problems worked around
	// (a dovecot-uidlist rebuilt), as Store.Warnings lists them, and
	// folders that could not be read (ErrUnreadable).
	Loaded func(problems []error)
}

// ServeMaildir opens the Maildir++ tree at dir as labserver serves it:
// messages stay in their files (OpenMaildir), changes are written back
// when opt.Persist says so, and changes other programs make are noticed
// (SyncMaildir). Before it returns it reads passwd, the aliases, each
// user's folder names and subscriptions, and checks that each folder can
// be listed, so a tree that cannot be served is refused at once, with the
// file that stops it. The folders' listings and dovecot-uidlist are read
// after it returns; a folder that cannot be read then becomes a mailbox
// that answers ErrUnreadable.
func ServeMaildir(fsys hackpadfs.FS, dir string, opt ServeOptions) (*Store, error) {
	s, folders, err := openTree(fsys, dir)
	if err != nil {
		return nil, err
	}
	for _, f := range folders {
		if err := checkListable(fsys, f.mdir); err != nil {
			return nil, err
		}
	}
	loading := make(chan struct{})
	s.loading = loading
	inFile := inFiles(fsys, opt.CacheBytes)
	go func() {
		defer close(loading)
		var unreadable []error
		boxes := make([]*Mailbox, len(folders))
		for i, f := range folders {
			mb, err := loadMailbox(fsys, f.mdir, f.user, f.name, inFile)
			if err != nil {
				err = fmt.Errorf("%w: %w", ErrUnreadable, err)
				unreadable = append(unreadable, err)
				s.mu.Lock()
				mb = f.user.newMailbox(f.name)
				s.mu.Unlock()
				mb.unreadable = err
			}
			boxes[i] = mb
		}
		s.mu.Lock()
		s.installLocked(folders, boxes)
		if opt.Persist {
			s.setPersisterLocked(NewMaildirPersister(fsys, dir))
		}
		s.syncMaildirLocked(fsys, dir)
		problems := append(append([]error(nil), s.warnings...), unreadable...)
		s.mu.Unlock()
		if opt.Loaded != nil {
			opt.Loaded(problems)
		}
	}()
	return s, nil
}

// checkListable opens a folder's cur/ and new/ and its dovecot-uidlist,
// and reads a first entry of each directory: what keeps a folder from
// being read (permissions, a file where a directory should be) shows
// there, without reading a large folder whole.
func checkListable(fsys hackpadfs.FS, mdir string) error {
	for _, sub := range []string{"new", "cur"} {
		p := join(mdir, sub)
		f, err := fsys.Open(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err == nil {
			_, err = hackpadfs.ReadDirFile(f, 1)
			f.Close()
			if errors.Is(err, io.EOF) {
				err = nil
			}
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", p, err)
		}
	}
	f, err := fsys.Open(join(mdir, uidlistFile))
	switch {
	case err == nil:
		f.Close()
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("reading %s: %w", join(mdir, uidlistFile), err)
	}
	return nil
}

// waitLoaded waits until the folders ServeMaildir reads are read.
func (s *Store) waitLoaded() {
	if s.loading != nil {
		<-s.loading
	}
}

// loaded reports whether they are.
func (s *Store) loaded() bool {
	if s.loading == nil {
		return true
	}
	select {
	case <-s.loading:
		return true
	default:
		return false
	}
}
