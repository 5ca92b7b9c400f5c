package pop3

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hack-pad/hackpadfs"
	osfs "github.com/hack-pad/hackpadfs/os"

	"maillab/sim/mailstore"
)

// countingFS is a real directory that counts the octets read from its
// files.
type countingFS struct {
	*osfs.FS
	read atomic.Int64
}

func (c *countingFS) Open(name string) (hackpadfs.File, error) {
	f, err := c.FS.Open(name)
	if err != nil {
		return nil, err
	}
	return &countingFile{File: f, fs: c}, nil
}

type countingFile struct {
	hackpadfs.File
	fs *countingFS
}

func (f *countingFile) Read(p []byte) (int, error) {
	n, err := f.File.Read(p)
	f.fs.read.Add(int64(n))
	return n, err
}

func (f *countingFile) ReadAt(p []byte, off int64) (int, error) {
	n, err := hackpadfs.ReadAtFile(f.File, p, off)
	f.fs.read.Add(int64(n))
	return n, err
}

func (f *countingFile) ReadDir(n int) ([]hackpadfs.DirEntry, error) {
	return hackpadfs.ReadDirFile(f.File, n)
}

// openDiskStore writes a Maildir of the user melanie (password toybox)
// holding files, by base name and content, and opens it as labserver does.
func openDiskStore(t testing.TB, files map[string]string) (*mailstore.Store, *countingFS) {
	t.Helper()
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(dir, "passwd"), []byte("melanie:{PLAIN}toybox::::::\n"), 0o600))
	for _, sub := range []string{"cur", "new", "tmp"} {
		must(os.MkdirAll(filepath.Join(dir, "melanie", sub), 0o700))
	}
	for name, content := range files {
		must(os.WriteFile(filepath.Join(dir, "melanie", "cur", name+":2,"), []byte(content), 0o600))
	}
	sub, err := osfs.NewFS().Sub(strings.TrimPrefix(dir, "/"))
	must(err)
	fsys := &countingFS{FS: sub.(*osfs.FS)}
	st, err := mailstore.OpenMaildir(fsys, ".", 0)
	must(err)
	return st, fsys
}

// withSize names a file with its CRLF size, as Dovecot and this store do.
func withSize(base, content string) string {
	return base + ",W=" + strconv.Itoa(len(mailstore.ToCRLF([]byte(content))))
}

// LIST and STAT count the line ending RETR adds after a last line without
// one, for files in a Maildir as for messages in memory; and a login
// reads no message: of a file whose name gives its size it reads the
// last octet, of one whose name does not, the file once.
func TestMaildropSizesFromDisk(t *testing.T) {
	msgs := []string{
		"Subject: lf\n\nends in LF\n",
		"Subject: none\n\nno line ending",
		"Subject: cr\r\n\r\nends in a lone CR\r",
		"",
		"Subject: crlf\r\n\r\nends in CRLF\r\n",
	}
	files := map[string]string{}
	for i, m := range msgs {
		base := "170000000" + strconv.Itoa(i) + ".M" + strconv.Itoa(i) + "P1.lab"
		if i != 1 {
			base = withSize(base, m) // message 2's name says nothing of its size
		}
		files[base] = m
	}
	st, fsys := openDiskStore(t, files)
	k := dial(t, Options{Store: st})
	k.line()
	k.cmd("USER melanie")
	k.cmd("PASS toybox")
	stat := k.cmd("STAT")
	k.cmd("LIST")
	listing := k.multi()
	if got, limit := fsys.read.Load(), int64(len(msgs[1])+len(msgs)); got > limit {
		t.Errorf("login, STAT and LIST read %d octets of messages, want at most %d", got, limit)
	}
	total := 0
	for n := 1; n <= len(msgs); n++ {
		k.cmd("RETR " + itoa(n))
		sent := 0
		for _, l := range k.multi() {
			sent += len(strings.TrimPrefix(l, ".")) + 2
		}
		total += sent
		if want := itoa(n) + " " + itoa(sent); listing[n-1] != want {
			t.Errorf("LIST: %q, but RETR sent %d octets", listing[n-1], sent)
		}
	}
	if want := "+OK " + itoa(len(msgs)) + " " + itoa(total); stat != want {
		t.Errorf("STAT: %q, want %q", stat, want)
	}
}

// A login to a maildrop of 10,000 messages of 2 KB in a Maildir on the
// disk, whose files' names give their sizes: USER, PASS, STAT and QUIT,
// on a store just opened (First: nothing known of the messages yet) or
// on one that served a login before (Again), as labserver's does.
func BenchmarkLoginMaildir10kFirst(b *testing.B) { benchLoginMaildir(b, false) }
func BenchmarkLoginMaildir10kAgain(b *testing.B) { benchLoginMaildir(b, true) }

func benchLoginMaildir(b *testing.B, again bool) {
	files := map[string]string{}
	for i := range 10000 {
		m := string(sized(2000, "From: alex@example.org", "Subject: message "+strconv.Itoa(i+1)))
		files[withSize(strconv.Itoa(1700000000+i)+".M"+strconv.Itoa(i)+"P1.lab", m)] = m
	}
	st, fsys := openDiskStore(b, files)
	login := func() {
		k, done := benchLogin(b, Options{Store: st})
		k.send("STAT\r\n")
		k.status()
		k.send("QUIT\r\n")
		k.status()
		<-done
		k.c.Close()
	}
	if again {
		login()
	}
	for b.Loop() {
		if !again {
			b.StopTimer()
			var err error
			if st, err = mailstore.OpenMaildir(fsys, ".", 0); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		login()
	}
}
