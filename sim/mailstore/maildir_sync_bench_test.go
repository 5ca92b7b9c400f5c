//go:build !js && !wasip1

package mailstore

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkRefresh10k is what a session's update point costs on a
// watched Maildir of 10,000 messages with -persist: a look at an
// unchanged folder (two stats), a flag stored by a session and then the
// look (the store's own change: read at most once a second), and a look
// at a folder another program just changed (read whole).
func BenchmarkRefresh10k(b *testing.B) {
	fsys, dir := osDir(&testing.T{})
	b.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.WriteFile(filepath.Join(dir, "passwd"), []byte("kim:{PLAIN}pw\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	for _, sub := range []string{"cur", "new", "tmp"} {
		os.MkdirAll(filepath.Join(dir, "kim", sub), 0o700)
	}
	for i := range 10_000 {
		name := fmt.Sprintf("17000%05d.M%dP1.bench:2,S", i, i)
		os.WriteFile(filepath.Join(dir, "kim", "cur", name), []byte("Subject: x\n\nbody\n"), 0o600)
	}
	st, err := LoadMaildir(fsys, ".")
	if err != nil {
		b.Fatal(err)
	}
	st.SetPersister(NewMaildirPersister(fsys, "."))
	if err := st.SyncMaildir(fsys, "."); err != nil {
		b.Fatal(err)
	}
	u, _ := st.User("kim")
	mb, _ := u.Mailbox(Inbox)
	w, _, _ := mb.Watch(true)
	old := time.Now().Add(-time.Hour)
	b.Run("unchanged", func(b *testing.B) {
		os.Chtimes(filepath.Join(dir, "kim", "cur"), old, old)
		os.Chtimes(filepath.Join(dir, "kim", "new"), old, old)
		w.Changes()
		for b.Loop() {
			w.Changes()
		}
	})
	b.Run("own-store", func(b *testing.B) {
		uid := mb.UIDs()[0]
		for i := 0; b.Loop(); i++ {
			op := FlagsAdd
			if i%2 == 1 {
				op = FlagsRemove
			}
			if _, err := mb.StoreFlags([]uint32{uid}, op, []string{FlagFlagged}, w); err != nil {
				b.Fatal(err)
			}
			w.Changes()
		}
	})
	b.Run("changed", func(b *testing.B) {
		for b.Loop() {
			os.Chtimes(filepath.Join(dir, "kim", "cur"), time.Now(), time.Now())
			w.Changes()
		}
	})
}
