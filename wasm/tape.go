package main

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A tape is what one session drew from chance and read from the clock, in
// order. The first module records one for each session; at the hand-over
// the full one replays each session still open from its first byte
// (site/src/bridge.js upgrade), and plays its tape back as it does: the
// replayed session draws the APOP timestamp's process id, the CRAM-MD5
// challenge and the SCRAM nonce the learner saw, reads the clock as it
// was read, answers the same bytes, and goes on with fresh draws once the
// tape has run out.
type tape struct {
	mu        sync.Mutex
	clock     func() time.Time // the clock read once the tape has run out
	recording bool
	drawn     []byte  // recorded: the bytes drawn
	read      []int64 // recorded: the clock's readings, Unix nanoseconds
	overrun   bool    // more than a tape holds was recorded: it is lost
	bytes     []byte  // played back: the bytes still to draw
	times     []int64 // played back: the readings still to give
}

// What a tape records at most: a session of the first module lives for
// a few seconds, in which a learner types a few lines (each line read is
// a clock reading).
const (
	maxTapeBytes = 4 << 10
	maxTapeTimes = 1 << 10
)

// Read draws len(p) bytes: the tape's, then fresh ones.
func (t *tape) Read(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := copy(p, t.bytes)
	t.bytes = t.bytes[n:]
	if n < len(p) {
		if _, err := rand.Read(p[n:]); err != nil {
			return n, err
		}
	}
	if t.recording {
		t.overrun = t.overrun || len(t.drawn)+len(p) > maxTapeBytes
		if !t.overrun {
			t.drawn = append(t.drawn, p...)
		}
	}
	return len(p), nil
}

// Now reads the clock: the tape's reading, then the clock's.
func (t *tape) Now() time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	var now time.Time
	if len(t.times) > 0 {
		now = time.Unix(0, t.times[0])
		t.times = t.times[1:]
	} else {
		now = t.clock()
	}
	if t.recording {
		t.overrun = t.overrun || len(t.read) >= maxTapeTimes
		if !t.overrun {
			t.read = append(t.read, now.UnixNano())
		}
	}
	return now
}

// String is what was recorded, for the page to hand over as it is
// (SessionOptions.Tape): "<drawn in base64> <reading> <reading>...", ""
// for a tape lost.
func (t *tape) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.overrun {
		return ""
	}
	var b strings.Builder
	b.WriteString(base64.StdEncoding.EncodeToString(t.drawn))
	for _, r := range t.read {
		b.WriteByte(' ')
		b.WriteString(strconv.FormatInt(r, 10))
	}
	return b.String()
}

// playTape makes a tape that plays back s, a recorded tape's String.
func playTape(s string) (*tape, error) {
	fields := strings.Split(s, " ")
	if len(fields)-1 > maxTapeTimes {
		return nil, errors.New("the session's tape holds too many clock readings")
	}
	bytes, err := base64.StdEncoding.DecodeString(fields[0])
	if err != nil || len(bytes) > maxTapeBytes {
		return nil, errors.New("the session's tape does not hold the bytes of a tape")
	}
	t := &tape{bytes: bytes}
	for _, f := range fields[1:] {
		r, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, errors.New("the session's tape holds a clock reading that is not one")
		}
		t.times = append(t.times, r)
	}
	return t, nil
}
