package mailstore

import (
	"strings"
	"testing"
	"time"

	"github.com/hack-pad/hackpadfs"

	"maillab/sim/mime"
)

// The Maildir tests once more on a store that reads every message from
// its file when asked (OpenMaildir), with a cache too small to keep more
// than one: what clients see, what is written back and how renamed files
// are followed stay the same.
func TestMaildirTestsOnDisk(t *testing.T) {
	openForTests = func(fsys hackpadfs.FS, dir string) (*Store, error) { return OpenMaildir(fsys, dir, 1) }
	defer func() { openForTests = nil }()
	for name, f := range map[string]func(*testing.T){
		"LoadMaildir":                      TestLoadMaildir,
		"UIDListAssignsNewFilesAfterKnown": TestUIDListAssignsNewFilesAfterKnownOnes,
		"SaveLoadRoundTrip":                TestSaveLoadRoundTrip,
		"WriteThrough":                     TestWriteThrough,
		"WriteThroughWithoutUIDList":       TestWriteThroughWithoutUIDList,
		"SaveThenPersist":                  TestSaveThenPersist,
		"NothingEscapesTheTree":            TestNothingEscapesTheTree,
		"RemoveFindsARenamedFile":          TestRemoveFindsARenamedFile,
		"FlagsFollowARenamedFile":          TestFlagsFollowARenamedFile,
		"DemoInfoSeparator":                TestDemoInfoSeparator,
		"UIDValidityWithoutUIDList":        TestUIDValidityWithoutUIDList,
		"CorruptUIDListIsRebuilt":          TestCorruptUIDListIsRebuilt,
		"UIDListAppendedAndTorn":           TestUIDListAppendedAndTorn,
		"RecentClaimMovesToCur":            TestRecentClaimMovesToCur,
		"ModSeqPersist":                    TestModSeqPersist,
		"ModSeqFileTorn":                   TestModSeqFileTorn,
	} {
		t.Run(name, f)
	}
}

// A message read from its file: its content, size, ENVELOPE and
// BODYSTRUCTURE are those of the same message loaded whole; after
// another program renames its file (new flags) it is found under the new
// name; the cache keeps no more than it may.
func TestOpenMaildirReadsFilesWhenAsked(t *testing.T) {
	fsys := newFS(t)
	put(t, fsys, "passwd", "kim:{PLAIN}pw::::::\n", time.Time{})
	var want []string
	for i := range 20 {
		body := strings.Repeat("line of message "+string(rune('a'+i))+"\n", 10+i)
		msg := "From: A <a@example.org>\nTo: kim@example.org\nSubject: s" + string(rune('a'+i)) + "\n\n" + body
		want = append(want, strings.ReplaceAll(msg, "\n", "\r\n"))
		put(t, fsys, "kim/cur/"+string(rune('a'+i))+".M1P1.lab:2,S", msg, time.Unix(1700000000+int64(i), 0))
	}
	eager, err := LoadMaildir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	lazy, err := OpenMaildir(fsys, ".", 1000)
	if err != nil {
		t.Fatal(err)
	}
	em, lm := mailbox(t, eager, "kim", Inbox).Messages(), mailbox(t, lazy, "kim", Inbox).Messages()
	if len(lm) != len(want) {
		t.Fatalf("%d messages, want %d", len(lm), len(want))
	}
	for i, m := range lm {
		if _, inFile := m.body.(*onDisk); !inFile {
			t.Fatalf("message %d was read at start", i+1)
		}
		if got := string(m.Raw()); got != want[i] {
			t.Errorf("message %d: %q, want %q", i+1, got, want[i])
		}
		e := em[i]
		if m.Size() != e.Size() || m.Envelope() != e.Envelope() || m.BodyStructure(true) != e.BodyStructure(true) ||
			!m.InternalDate().Equal(e.InternalDate()) || m.UID() != e.UID() {
			t.Errorf("message %d differs from the one loaded whole", i+1)
		}
	}
	if c := lm[0].body.(*onDisk).dir.cache; c.used > c.max+len(want[len(want)-1])*3 || len(c.items) > 2 {
		t.Errorf("cache holds %d octets in %d messages, over its %d", c.used, len(c.items), c.max)
	}
	if err := fsys.Rename("kim/cur/c.M1P1.lab:2,S", "kim/cur/c.M1P1.lab:2,FS"); err != nil {
		t.Fatal(err)
	}
	if got := string(lm[2].Raw()); got != want[2] {
		t.Errorf("after the rename: %q, want %q", got, want[2])
	}
}

// ENVELOPE of a message in its file is made from its header section
// alone, and its size counted without converting it: both as from the
// whole message with CRLF line endings.
func TestEnvelopeFromTheHeaderAlone(t *testing.T) {
	for _, msg := range []string{
		"From: a@example.org\nTo: b@example.org\nSubject: lf\n\nbody\n",
		"From: a@example.org\r\nSubject: crlf\r\n\r\nbody\r\n",
		"From: a@example.org\nSubject: mixed\r\n\nbody\rwith a bare CR\n",
		"Subject: no body\n",
		"Subject: folded\n\tline\nCc: c@example.org\n\n\nbody after an empty line\n",
		"",
	} {
		whole, _ := mime.Parse(ToCRLF([]byte(msg)))
		head, _ := mime.Parse(crlfCopy(headerOf([]byte(msg))))
		if whole.Envelope() != head.Envelope() {
			t.Errorf("%q: %s from the header, %s from the whole", msg, head.Envelope(), whole.Envelope())
		}
		if n := crlfSize([]byte(msg)); n != len(ToCRLF([]byte(msg))) {
			t.Errorf("%q: size %d, want %d", msg, n, len(ToCRLF([]byte(msg))))
		}
	}
}
