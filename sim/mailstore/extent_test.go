package mailstore

import (
	"bytes"
	"strconv"
	"testing"
	"time"
)

// Extent gives the size and the final line break Raw would show, without
// filling the cache: for a file whose name gives its size (read through
// its end, on a file system without ReadAt) and for one whose name does
// not (read once); a message in memory answers from its content.
func TestExtentAsRawShows(t *testing.T) {
	contents := []string{"Subject: a\n\nLF\n", "Subject: b\n\nnone", "Subject: c\r\n\r\nCR\r", "", "Subject: d\r\n\r\nCRLF\r\n"}
	fsys := newFS(t)
	put(t, fsys, "passwd", "kim:{PLAIN}pw::::::\n", time.Time{})
	for i, c := range contents {
		base := strconv.Itoa(1700000000+i) + ".M1P1.lab"
		if i%2 == 0 {
			base += ",W=" + strconv.Itoa(len(ToCRLF([]byte(c))))
		}
		put(t, fsys, "kim/cur/"+base+":2,", c, time.Unix(1700000000+int64(i), 0))
	}
	lazy, err := OpenMaildir(fsys, ".", 1000)
	if err != nil {
		t.Fatal(err)
	}
	eager, err := LoadMaildir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	lm, em := mailbox(t, lazy, "kim", Inbox).Messages(), mailbox(t, eager, "kim", Inbox).Messages()
	for i, m := range lm {
		n, ended := m.Extent()
		raw := em[i].Raw()
		if want := len(raw) == 0 || bytes.HasSuffix(raw, []byte("\r\n")); n != len(raw) || ended != want {
			t.Errorf("message %d: Extent %d, %v; Raw has %d octets, ends in CRLF: %v", i+1, n, ended, len(raw), want)
		}
		if n2, ended2 := em[i].Extent(); n2 != n || ended2 != ended {
			t.Errorf("message %d in memory: Extent %d, %v, want %d, %v", i+1, n2, ended2, n, ended)
		}
		c := m.body.(*onDisk).dir.cache
		c.mu.Lock()
		got := len(c.items)
		c.mu.Unlock()
		if got != 0 {
			t.Errorf("after Extent of message %d the cache holds %d messages", i+1, got)
		}
	}
}
