package main

import (
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"sync"
	"time"

	"github.com/hack-pad/hackpadfs"
	osfs "github.com/hack-pad/hackpadfs/os"
)

// loggedFS is the -maildir tree as the store reads and writes it, each
// failure of the disk logged as an error for the administrator: a client
// is told only that its command failed (IMAP NO [SERVERBUG], POP3 -ERR,
// LMTP 451), as Dovecot tells it, and the log says which file and why, as
// Dovecot's log does. A file that is not there, or already is, is no
// failure: the store looks for files other programs may have moved. The
// same operation on the same file is logged at most once a minute, so a
// folder that stays unreadable does not fill the log each time the
// change watcher looks at it.
type loggedFS struct {
	*osfs.FS
	log *slog.Logger
	dir string

	mu   sync.Mutex
	last map[string]time.Time // op and path: when last logged
}

// logEvery is how often the same failure is logged again.
const logEvery = time.Minute

func (f *loggedFS) failed(op, name string, err error) error {
	if err == nil || errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrExist) {
		return err
	}
	key := op + "\x00" + name
	now := time.Now()
	f.mu.Lock()
	if f.last == nil || len(f.last) > 1000 {
		f.last = map[string]time.Time{}
	}
	when, seen := f.last[key]
	logIt := !seen || now.Sub(when) >= logEvery
	if logIt {
		f.last[key] = now
	}
	f.mu.Unlock()
	if logIt {
		f.log.Error("maildir file operation failed", "maildir", f.dir, "op", op, "path", name, "err", err.Error())
	}
	return err
}

func (f *loggedFS) Open(name string) (hackpadfs.File, error) {
	file, err := f.FS.Open(name)
	if err != nil {
		return nil, f.failed("open", name, err)
	}
	return &loggedFile{File: file, fs: f, name: name}, nil
}

func (f *loggedFS) OpenFile(name string, flag int, perm hackpadfs.FileMode) (hackpadfs.File, error) {
	file, err := f.FS.OpenFile(name, flag, perm)
	if err != nil {
		return nil, f.failed("open", name, err)
	}
	return &loggedFile{File: file, fs: f, name: name}, nil
}

func (f *loggedFS) Mkdir(name string, perm hackpadfs.FileMode) error {
	return f.failed("mkdir", name, f.FS.Mkdir(name, perm))
}

func (f *loggedFS) MkdirAll(name string, perm hackpadfs.FileMode) error {
	return f.failed("mkdir", name, f.FS.MkdirAll(name, perm))
}

func (f *loggedFS) Remove(name string) error {
	return f.failed("remove", name, f.FS.Remove(name))
}

func (f *loggedFS) RemoveAll(name string) error {
	return f.failed("remove", name, f.FS.RemoveAll(name))
}

func (f *loggedFS) Rename(from, to string) error {
	return f.failed("rename", from+" -> "+to, f.FS.Rename(from, to))
}

func (f *loggedFS) Stat(name string) (hackpadfs.FileInfo, error) {
	info, err := f.FS.Stat(name)
	return info, f.failed("stat", name, err)
}

func (f *loggedFS) ReadDir(name string) ([]hackpadfs.DirEntry, error) {
	entries, err := f.FS.ReadDir(name)
	return entries, f.failed("list", name, err)
}

func (f *loggedFS) ReadFile(name string) ([]byte, error) {
	data, err := f.FS.ReadFile(name)
	return data, f.failed("read", name, err)
}

func (f *loggedFS) WriteFile(name string, data []byte, perm hackpadfs.FileMode) error {
	return f.failed("write", name, f.FS.WriteFile(name, data, perm))
}

// loggedFile logs the failures of reading, listing, writing and flushing
// an open file (a message file that is a directory, a full disk); it has
// the methods of the files the store uses (hackpadfs.ReadDirFile,
// WriteFile and SyncFile look for them).
type loggedFile struct {
	hackpadfs.File
	fs   *loggedFS
	name string
}

func (f *loggedFile) Read(p []byte) (int, error) {
	n, err := f.File.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		f.fs.failed("read", f.name, err)
	}
	return n, err
}

func (f *loggedFile) ReadAt(p []byte, off int64) (int, error) {
	n, err := hackpadfs.ReadAtFile(f.File, p, off)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, hackpadfs.ErrNotImplemented) {
		f.fs.failed("read", f.name, err)
	}
	return n, err
}

func (f *loggedFile) ReadDir(n int) ([]hackpadfs.DirEntry, error) {
	entries, err := hackpadfs.ReadDirFile(f.File, n)
	if err != nil && !errors.Is(err, io.EOF) {
		f.fs.failed("list", f.name, err)
	}
	return entries, err
}

func (f *loggedFile) Write(p []byte) (int, error) {
	n, err := hackpadfs.WriteFile(f.File, p)
	return n, f.fs.failed("write", f.name, err)
}

func (f *loggedFile) Sync() error {
	err := hackpadfs.SyncFile(f.File)
	if errors.Is(err, hackpadfs.ErrNotImplemented) {
		return err
	}
	return f.fs.failed("flush", f.name, err)
}
