//go:build js && wasm

package main

import (
	"context"
	"time"

	"github.com/hack-pad/hackpadfs"
	"github.com/hack-pad/hackpadfs/indexeddb"
)

// dbName is the IndexedDB database holding the learner's Maildir++ tree.
const dbName = "maillab-maildir"

// idbDisk keeps the mailboxes in the browser's IndexedDB.
type idbDisk struct{ fs *indexeddb.FS }

func openDisk() (Disk, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	fsys, err := indexeddb.NewFS(ctx, dbName, indexeddb.Options{})
	if err != nil {
		return nil, err
	}
	return idbDisk{fsys}, nil
}

func (d idbDisk) FS() hackpadfs.FS { return d.fs }

func (d idbDisk) Clear() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return d.fs.Clear(ctx)
}
