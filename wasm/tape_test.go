package main

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"maillab/sim/sasl/scramtest"
)

// challengeLine is a SASL challenge, "+ <base64>".
var challengeLine = regexp.MustCompile(`(?m)^\+ ([A-Za-z0-9+/=]+)\r$`)

// lastChallenge is the last challenge of out, decoded.
func lastChallenge(t *testing.T, out string) string {
	t.Helper()
	all := challengeLine.FindAllStringSubmatch(out, -1)
	if len(all) == 0 {
		t.Fatalf("no challenge in:\n%s", out)
	}
	b, err := base64.StdEncoding.DecodeString(all[len(all)-1][1])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// cramAnswer is CRAM-MD5's answer to challenge (RFC 2195).
func cramAnswer(user, pass, challenge string) string {
	mac := hmac.New(md5.New, []byte(pass))
	mac.Write([]byte(challenge))
	return b64(fmt.Sprintf("%s %x", user, mac.Sum(nil)))
}

// TestATapedSessionAnswersTheSameWhenReplayed: sessions of a Lab that
// records tapes (the first module) are replayed from their first byte in
// another Lab (the full module) with their tapes, as the page hands them
// over: greeted with the same APOP timestamp, a finished CRAM-MD5 login
// and a SCRAM exchange half done answer byte for byte the same, and the
// SCRAM exchange then finishes in the second Lab with the answer to what
// the first said. Without the tape the replay answers another challenge.
func TestATapedSessionAnswersTheSameWhenReplayed(t *testing.T) {
	// A clock that moves on a second at each reading: a reading given to
	// another caller than the first time changes what the session says.
	var mu sync.Mutex
	clock := time.Now()
	tick := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(time.Second)
		return clock
	}
	rec1 := newRecorder()
	h := rec1.host()
	h.RecordTapes = true
	h.Now = tick
	first, err := NewLab(nil, h)
	if err != nil {
		t.Fatal(err)
	}
	var opts SessionOptions
	typed := map[string][]string{}
	send := func(l *Lab, id, line string) {
		t.Helper()
		typed[id] = append(typed[id], line+"\r\n")
		if err := l.Write(id, []byte(line+"\r\n")); err != nil {
			t.Fatal(err)
		}
	}

	cram, err := first.Open("pop3", opts)
	if err != nil {
		t.Fatal(err)
	}
	rec1.waitFor(t, cram, "+OK")
	send(first, cram, "AUTH CRAM-MD5")
	ch := lastChallenge(t, rec1.waitFor(t, cram, "\r\n+ "))
	send(first, cram, cramAnswer("melanie", "toybox", ch))
	rec1.waitFor(t, cram, "maildrop")

	scram, err := first.Open("pop3", opts)
	if err != nil {
		t.Fatal(err)
	}
	rec1.waitFor(t, scram, "+OK")
	client := scramtest.New(sha256.New, "alex", "drums", "", "rOprNGfwEbeRWgbNEkqO")
	msg, _ := client.Step("")
	send(first, scram, "AUTH SCRAM-SHA-256 "+b64(msg))
	serverFirst := lastChallenge(t, rec1.waitFor(t, scram, "\r\n+ "))

	tapes := first.Tapes()
	if tapes[cram] == "" || tapes[scram] == "" {
		t.Fatalf("tapes %q: want one for sessions %s and %s", tapes, cram, scram)
	}
	first.closeAll()

	replay := func(withTape bool) (*recorder, *Lab) {
		rec := newRecorder()
		h := rec.host()
		h.Now = tick
		l, err := NewLab(nil, h)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{cram, scram} {
			o := SessionOptions{ID: id}
			if withTape {
				o.Tape = tapes[id]
			}
			if _, err := l.Open("pop3", o); err != nil {
				t.Fatal(err)
			}
			if err := l.Write(id, []byte(strings.Join(typed[id], ""))); err != nil {
				t.Fatal(err)
			}
		}
		return rec, l
	}

	rec2, full := replay(true)
	for _, id := range []string{cram, scram} {
		want := rec1.output(id)
		got := rec2.waitFor(t, id, want[len(want)-10:])
		if got != want {
			t.Errorf("session %s replayed with its tape answered\n%q\nthe first time\n%q", id, got, want)
		}
	}
	msg, err = client.Step(serverFirst)
	if err != nil {
		t.Fatal(err)
	}
	send(full, scram, b64(msg))
	last := lastChallenge(t, rec2.waitFor(t, scram, "\r\n+ dj")) // "v=..." in base64
	if _, err := client.Step(last); err != nil {
		t.Errorf("the server's last SCRAM message after the replay: %v", err)
	}
	send(full, scram, "")
	rec2.waitFor(t, scram, "maildrop")

	// Without the tape, the replayed CRAM-MD5 session gets a challenge of
	// its own, and the answer to the first fails.
	rec3, _ := replay(false)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(rec3.output(cram), "-ERR") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if lastChallenge(t, rec3.output(cram)) == ch || !strings.Contains(rec3.output(cram), "-ERR") {
		t.Errorf("replayed without its tape, the CRAM-MD5 session answered:\n%s", rec3.output(cram))
	}
}

func TestATapeRefusesWhatIsNotOne(t *testing.T) {
	for _, s := range []string{
		"not base64!",
		"AAAA 12 x3",
		strings.Repeat("A", 8<<10),
		"AAAA" + strings.Repeat(" 1", maxTapeTimes+1),
	} {
		if _, err := playTape(s); err == nil {
			t.Errorf("playTape(%.40q...) took it", s)
		}
	}
	if _, err := (&Lab{conns: map[string]*conn{}}).Open("pop3", SessionOptions{Tape: "@@"}); err == nil {
		t.Error("a session opened with a tape that is not one")
	}
	// One that recorded more than a tape holds is lost, not cut short.
	tp := &tape{recording: true, clock: time.Now}
	for range maxTapeTimes + 1 {
		tp.Now()
	}
	if s := tp.String(); s != "" {
		t.Errorf("an overrun tape: %.60q...", s)
	}
	tp = &tape{recording: true, clock: time.Now}
	tp.Read(make([]byte, 3))
	tp.Now()
	if got, err := playTape(tp.String()); err != nil || len(got.bytes) != 3 || len(got.times) != 1 {
		t.Errorf("a tape played back from its String: %+v, %v", got, err)
	}
}
