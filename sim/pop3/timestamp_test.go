package pop3

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// A pinned timestamp that is not a msg-id is refused: the greeting gets a
// fresh one instead of text a client would take for something else, or a
// CRLF that would start a second greeting line.
func TestPinnedTimestampChecked(t *testing.T) {
	for _, bad := range []string{"foo", "<a b>", "<1.2@x>\r\n+OK <3.4@y>", "<no-host>", "<1.2@>", "<<1.2@x>>"} {
		k := dial(t, Options{Store: newStore(t), APOPTimestamp: bad})
		greeting := k.line()
		ts := strings.TrimPrefix(greeting, "+OK POP3 server ready ")
		if strings.Contains(greeting, bad) || CheckTimestamp(ts) != nil {
			t.Errorf("pinned %q: greeting %q", bad, greeting)
		}
		k.cmd("QUIT")
		k.wait()
	}
	const rfc = "<1896.697170952@dbc.mtview.ca.us>"
	k := dial(t, Options{Store: newStore(t), APOPTimestamp: rfc})
	if got := k.line(); got != "+OK POP3 server ready "+rfc {
		t.Errorf("RFC 1939's timestamp: %q", got)
	}
}

// Fresh timestamps have RFC 1939's <process-ID.clock@hostname> form with a
// connection counter: two labs started in the same second differ by their
// process ids, two connections of one lab by the counter.
func TestTimestampNamesTheProcess(t *testing.T) {
	start := time.Now() // every greeting in the same second
	now := func() time.Time { return start }
	clock := strconv.FormatInt(start.Unix(), 10) + "@localhost"
	seen := map[string]bool{}
	for _, pid := range []int{4711, 4711, 4712, 0, 0} {
		k := dial(t, Options{Store: newStore(t), ProcessID: pid, Now: now})
		ts := strings.TrimPrefix(k.line(), "+OK POP3 server ready ")
		parts := strings.Split(strings.Trim(ts, "<>"), ".")
		switch {
		case CheckTimestamp(ts) != nil || seen[ts] || len(parts) != 3 || parts[2] != clock:
			t.Errorf("ProcessID %d: timestamp %q (seen before: %v)", pid, ts, seen[ts])
		case pid > 0 && parts[0] != itoa(pid), pid == 0 && parts[0] != itoa(processTag):
			t.Errorf("ProcessID %d: timestamp %q does not start with the process", pid, ts)
		}
		seen[ts] = true
		k.cmd("QUIT")
		k.wait()
	}
}
