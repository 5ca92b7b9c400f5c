package pop3

import (
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
	"strconv"
	"sync/atomic"
	"time"
)

// connections numbers the greetings this process has sent. It takes the
// place of the process id in RFC 1939's <process-ID.clock@hostname>: many
// sessions share one process here, and the browser has no process id.
var connections atomic.Uint64

// newTimestamp makes a greeting timestamp unique per connection (RFC 1939
// section 7): the connection counter and the clock.
func newTimestamp(now time.Time, host string) string {
	n := connections.Add(1)
	return "<" + strconv.FormatUint(n, 10) + "." + strconv.FormatInt(now.Unix(), 10) + "@" + host + ">"
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
