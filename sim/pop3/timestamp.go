package pop3

import (
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"maillab/sim/lineio"
)

// connections numbers the greetings this process has sent: many sessions
// share one process here, so the process id alone does not tell them apart.
var connections atomic.Uint64

// processTag stands in for the process id where the host gives none (the
// browser has none): drawn at random once, so two labs started in the same
// second still greet differently.
var processTag = 1 + rand.IntN(1<<30)

// newTimestamp makes a greeting timestamp unique per connection (RFC 1939
// section 7): <process-ID.connection.clock@hostname>, RFC 1939's form with
// the connection's number added: n, or the next of this process's count.
func newTimestamp(pid int, n uint64, now time.Time, host string) string {
	if pid <= 0 {
		pid = processTag
	}
	if n == 0 {
		n = connections.Add(1)
	}
	return "<" + strconv.Itoa(pid) + "." + strconv.FormatUint(n, 10) + "." + strconv.FormatInt(now.Unix(), 10) + "@" + host + ">"
}

// maxTimestamp bounds a pinned timestamp, so the greeting stays well
// within RFC 2449's 512 octets of a response line.
const maxTimestamp = 255

// CheckTimestamp reports why ts cannot be a greeting's APOP timestamp. RFC
// 1939 section 7 gives it the form of a msg-id, <process-ID.clock@hostname>:
// angle brackets around a local part, "@" and a host, printable ASCII
// without spaces; a CR or LF would end the greeting and start another line.
func CheckTimestamp(ts string) error {
	const form = "want the form <process-ID.clock@hostname>, e.g. <1896.697170952@dbc.mtview.ca.us>"
	if len(ts) > maxTimestamp {
		return fmt.Errorf("timestamp longer than %d characters; %s", maxTimestamp, form)
	}
	if len(ts) < 2 || ts[0] != '<' || ts[len(ts)-1] != '>' {
		return fmt.Errorf("%q is not in angle brackets; %s", ts, form)
	}
	inner := ts[1 : len(ts)-1]
	for i := 0; i < len(inner); i++ {
		if c := inner[i]; c <= ' ' || c >= 0x7f || c == '<' || c == '>' {
			return fmt.Errorf("%q holds %q; only printable ASCII without spaces or angle brackets may stand between < and >; %s",
				ts, lineio.Printable(string([]byte{c})), form)
		}
	}
	if at := strings.LastIndexByte(inner, '@'); at <= 0 || at == len(inner)-1 {
		return fmt.Errorf("%q has no local part@host inside the brackets; %s", ts, form)
	}
	return nil
}

// apopDigest is MD5 over the timestamp followed by the shared secret, in
// lower-case hex (RFC 1939 section 7).
func apopDigest(timestamp, secret string) string {
	sum := md5.Sum([]byte(timestamp + secret))
	return hex.EncodeToString(sum[:])
}

// digestMatches compares a client's digest with the expected one in
// constant time; RFC 1939 writes digests in lower case, accept either case.
func digestMatches(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(lowerHex(got)), []byte(want)) == 1
}

func lowerHex(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'F' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// isDigest reports whether s has the form of an MD5 digest: 32 hex digits.
func isDigest(s string) bool {
	if len(s) != 32 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
