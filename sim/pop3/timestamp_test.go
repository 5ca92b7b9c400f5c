package pop3

import (
	"strings"
	"testing"
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
