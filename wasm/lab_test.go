package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"maillab/sim/event"
	"maillab/sim/lesson"
	"maillab/sim/proto"
)

// recorder is a Host that keeps what each session sent.
type recorder struct {
	mu     sync.Mutex
	out    map[string]*strings.Builder
	events map[string][]event.Event
	closed map[string]chan struct{}
}

func newRecorder() *recorder {
	return &recorder{out: map[string]*strings.Builder{}, events: map[string][]event.Event{}, closed: map[string]chan struct{}{}}
}

func (r *recorder) host() Host {
	return Host{
		Output: func(id string, b []byte) {
			r.mu.Lock()
			defer r.mu.Unlock()
			if r.out[id] == nil {
				r.out[id] = &strings.Builder{}
			}
			r.out[id].Write(b)
		},
		Event: func(id string, b []byte) {
			var e event.Event
			if err := json.Unmarshal(b, &e); err != nil {
				panic(err)
			}
			r.mu.Lock()
			defer r.mu.Unlock()
			r.events[id] = append(r.events[id], e)
		},
		Closed: func(id string) { close(r.closedChan(id)) },
	}
}

func (r *recorder) closedChan(id string) chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed[id] == nil {
		r.closed[id] = make(chan struct{})
	}
	return r.closed[id]
}

func (r *recorder) output(id string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.out[id] == nil {
		return ""
	}
	return r.out[id].String()
}

// waitFor polls until the session's output contains want.
func (r *recorder) waitFor(t *testing.T, id, want string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if out := r.output(id); strings.Contains(out, want) {
			return out
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("session %s: %q never arrived; got:\n%s", id, want, r.output(id))
	return ""
}

func (r *recorder) waitClosed(t *testing.T, id string) {
	t.Helper()
	select {
	case <-r.closedChan(id):
	case <-time.After(5 * time.Second):
		t.Fatalf("session %s did not close", id)
	}
}

func open(t *testing.T, l *Lab, proto string) string {
	t.Helper()
	id, err := l.Open(proto, SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// statAnswer is a STAT reply: "+OK nn mm" (RFC 1939 section 5).
var statAnswer = regexp.MustCompile(`\r\n\+OK \d+ \d+\r\n`)

func TestPOP3SessionThroughTheBridge(t *testing.T) {
	rec := newRecorder()
	l, err := NewLab(nil, rec.host())
	if err != nil {
		t.Fatal(err)
	}
	id := open(t, l, "pop3")
	rec.waitFor(t, id, "+OK")
	for _, line := range []string{"USER melanie\r\n", "PASS toybox\r\n", "STAT\r\n", "QUIT\r\n"} {
		if err := l.Write(id, []byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	rec.waitClosed(t, id)
	out := rec.output(id)
	if !strings.HasPrefix(out, "+OK") || !statAnswer.MatchString(out) {
		t.Errorf("output is not a POP3 login and STAT:\n%s", out)
	}
	evs := rec.events[id]
	if evs[0].Kind != event.Open || evs[len(evs)-1].Kind != event.Close {
		t.Errorf("events do not start with open and end with close: %+v", evs)
	}
	var moves []string
	for _, e := range evs {
		if e.Kind == event.Transition {
			moves = append(moves, e.Transition)
		}
	}
	if strings.Join(moves, ",") != "greeting,login,quit" {
		t.Errorf("transitions = %v, want greeting, login, quit", moves)
	}
	if err := l.Write(id, []byte("NOOP\r\n")); err == nil {
		t.Error("writing to a closed session succeeded")
	}
}

// The page's explain pane reads the explanations: every protocol's
// greeting comes to it explained, text and parts, after its line.
func TestThePageGetsExplanations(t *testing.T) {
	rec := newRecorder()
	l, err := NewLab(nil, rec.host())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range proto.Names() {
		id := open(t, l, name)
		rec.waitFor(t, id, "\r\n")
		l.Close(id)
		rec.waitClosed(t, id)
		rec.mu.Lock()
		var kinds []event.Kind
		explained := false
		for _, e := range rec.events[id] {
			kinds = append(kinds, e.Kind)
			if e.Kind == event.Explain {
				explained = e.Text != "" && len(e.Parts) > 0 && slices.Contains(kinds, event.Server)
				break
			}
		}
		rec.mu.Unlock()
		if !explained {
			t.Errorf("%s: the greeting is not explained after its line: %v", name, kinds)
		}
	}
}

func TestTwoPOP3TerminalsShareTheMaildropLock(t *testing.T) {
	rec := newRecorder()
	l, err := NewLab(nil, rec.host())
	if err != nil {
		t.Fatal(err)
	}
	a, b := open(t, l, "pop3"), open(t, l, "pop3")
	rec.waitFor(t, a, "\r\n")
	rec.waitFor(t, b, "\r\n")
	l.Write(a, []byte("USER melanie\r\nPASS toybox\r\n"))
	rec.waitFor(t, a, "maildrop")
	l.Write(b, []byte("USER melanie\r\nPASS toybox\r\n"))
	rec.waitFor(t, b, "[IN-USE]")
	l.Close(a)
	l.Close(b)
	rec.waitClosed(t, a)
	rec.waitClosed(t, b)
}

// memDisk is a Disk in memory, standing in for IndexedDB: it applies a
// batch entirely or not at all, like one IndexedDB transaction.
type memDisk struct {
	mu      sync.Mutex
	files   map[string]Entry
	batches []Batch
	gate    chan struct{} // when set, each Save waits for a value (or close) on it
	fail    error         // when set, Save fails
}

func newMemDisk(t *testing.T) *memDisk {
	return &memDisk{files: map[string]Entry{}}
}

func (d *memDisk) Load() ([]Entry, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []Entry
	for _, e := range d.files {
		e.Data = append([]byte(nil), e.Data...)
		out = append(out, e)
	}
	return out, nil
}

func (d *memDisk) Save(b Batch) error {
	d.mu.Lock()
	gate := d.gate
	d.mu.Unlock()
	if gate != nil {
		<-gate
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.fail != nil {
		return d.fail
	}
	next := map[string]Entry{}
	if !b.Clear {
		maps.Copy(next, d.files)
	}
	for _, p := range b.Delete {
		delete(next, p)
	}
	for _, e := range b.Put {
		next[e.Path] = e
	}
	d.files = next
	d.batches = append(d.batches, b)
	return nil
}

func (d *memDisk) paths() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Sorted(maps.Keys(d.files))
}

// stat logs melanie in on a new connection and returns her STAT answer.
func stat(t *testing.T, l *Lab, rec *recorder) string {
	t.Helper()
	id := open(t, l, "pop3")
	l.Write(id, []byte("USER melanie\r\nPASS toybox\r\nSTAT\r\nQUIT\r\n"))
	rec.waitClosed(t, id)
	for _, line := range strings.Split(rec.output(id), "\r\n") {
		if strings.HasPrefix(line, "+OK ") && len(strings.Fields(line)) == 3 {
			return line
		}
	}
	t.Fatalf("no STAT answer in:\n%s", rec.output(id))
	return ""
}

func TestMailboxesSurviveAReloadAndResetClearsThem(t *testing.T) {
	disk := newMemDisk(t)
	rec := newRecorder()
	l, err := NewLab(disk, rec.host())
	if err != nil {
		t.Fatal(err)
	}
	before := stat(t, l, rec)
	if _, err := l.Deliver("melanie"); err != nil {
		t.Fatal(err)
	}
	after := stat(t, l, rec)
	if after == before {
		t.Fatalf("STAT did not change after a delivery: %s", after)
	}

	if err := l.Flush(); err != nil {
		t.Fatal(err)
	}
	rec2 := newRecorder()
	reloaded, err := NewLab(disk, rec2.host())
	if err != nil {
		t.Fatal(err)
	}
	if got := stat(t, reloaded, rec2); got != after {
		t.Errorf("after a reload STAT = %q, want %q", got, after)
	}
	if err := reloaded.Reset(nil); err != nil {
		t.Fatal(err)
	}
	if got := stat(t, reloaded, rec2); got != before {
		t.Errorf("after a reset STAT = %q, want the demo's %q", got, before)
	}
	// Reset returns once the demo mailboxes are saved.
	rec3 := newRecorder()
	if got := stat(t, mustLab(t, disk, rec3), rec3); got != before {
		t.Errorf("after a reset and a reload STAT = %q, want the demo's %q", got, before)
	}
}

func mustLab(t *testing.T, disk Disk, rec *recorder) *Lab {
	t.Helper()
	l, err := NewLab(disk, rec.host())
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestResetWithAFixture(t *testing.T) {
	rec := newRecorder()
	l, err := NewLab(nil, rec.host())
	if err != nil {
		t.Fatal(err)
	}
	idle := open(t, l, "pop3")
	fx, _ := json.Marshal(Fixture{Files: map[string]string{
		"passwd":                             "melanie:{PLAIN}toybox\n",
		"melanie/cur/1700000000.M1P1.lab:2,": "Subject: one\n\nhello\n",
		"melanie/cur/1700000001.M2P1.lab:2,": "Subject: two\n\nworld\n",
	}})
	if err := l.Reset(fx); err != nil {
		t.Fatal(err)
	}
	rec.waitClosed(t, idle) // a reset drops open connections
	if got := stat(t, l, rec); !strings.HasPrefix(got, "+OK 2 ") {
		t.Errorf("STAT on the fixture = %q, want 2 messages", got)
	}
	if users := l.Users(); len(users) != 1 || users[0] != "melanie" {
		t.Errorf("users = %v, want [melanie]", users)
	}
	if err := l.Reset([]byte(`{"files":{"../passwd":"x"}}`)); err == nil {
		t.Error("a fixture path leaving the tree was accepted")
	}
}

func TestMachinesJSON(t *testing.T) {
	data, err := machinesJSON()
	if err != nil {
		t.Fatal(err)
	}
	type machine struct {
		Proto      string                  `json:"proto"`
		Title      string                  `json:"title"`
		Port       int                     `json:"port"`
		Tagged     bool                    `json:"tagged"`
		DotStuffed string                  `json:"dotStuffed"`
		States     []struct{ Name string } `json:"states"`
		Commands   map[string][]string     `json:"commands"`
	}
	var m map[string]machine
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if len(m["pop3"].States) != 3 {
		t.Errorf("pop3 machine: %s", data)
	}
	// The page offers the protocols in the order the object lists them:
	// the registry's.
	dec := json.NewDecoder(strings.NewReader(string(data)))
	var order []string
	if _, err := dec.Token(); err != nil { // {
		t.Fatal(err)
	}
	for dec.More() {
		name, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		order = append(order, name.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	if want := proto.Names(); !slices.Equal(order, want) {
		t.Errorf("machines in the order %v, the registry's is %v", order, want)
	}
	for _, p := range proto.All() {
		got := m[p.Name]
		if got.Proto != p.Name || got.Title != p.Title || got.Port != p.Port || got.Tagged != p.Tagged || got.DotStuffed != p.DotStuffed {
			t.Errorf("%s: proto %q, title %q, port %d, tagged %v, dotStuffed %q; the registry says %q, %d, %v, %q",
				p.Name, got.Proto, got.Title, got.Port, got.Tagged, got.DotStuffed, p.Title, p.Port, p.Tagged, p.DotStuffed)
		}
	}
	if p := m["pop3"]; p.Title != "POP3" || p.Port != 110 || p.Tagged || p.DotStuffed != "server" {
		t.Errorf("pop3: %+v", p)
	}
	if p := m["imap"]; p.Title != "IMAP" || p.Port != 143 || !p.Tagged || p.DotStuffed != "" {
		t.Errorf("imap: %+v", p)
	}
}

func TestIMAPSessionThroughTheBridge(t *testing.T) {
	rec := newRecorder()
	l, err := NewLab(nil, rec.host())
	if err != nil {
		t.Fatal(err)
	}
	id := open(t, l, "imap")
	rec.waitFor(t, id, "* OK ")
	l.Write(id, []byte("a1 LOGIN SMITH SESAME\r\na2 SELECT INBOX\r\na3 CLOSE\r\na4 LOGOUT\r\n"))
	rec.waitClosed(t, id)
	out := rec.output(id)
	for _, want := range []string{"a1 OK ", "* 4 EXISTS", "a2 OK [READ-WRITE]", "a3 OK ", "* BYE ", "a4 OK "} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
	var moves []string
	for _, e := range rec.events[id] {
		if e.Kind == event.Transition {
			moves = append(moves, e.Transition)
		}
	}
	if got := strings.Join(moves, ","); got != "1,4,5,6,7" {
		t.Errorf("transitions = %s, want 1,4,5,6,7", got)
	}
}

// Every option a lesson gives the page for a session
// (lesson.HostOptions, which maillabLesson.hostOptions returns as JSON) is
// one the page's sessions take, and it reaches the IMAP session.
func TestLessonHostOptionsReachIMAPSessions(t *testing.T) {
	want := reflect.TypeFor[lesson.HostOptions]()
	have := map[string]reflect.Type{}
	for f := range reflect.TypeFor[SessionOptions]().Fields() {
		have[f.Tag.Get("json")] = f.Type
	}
	for f := range want.Fields() {
		if tag := f.Tag.Get("json"); have[tag] != f.Type {
			t.Errorf("SessionOptions has no field %q of type %v for lesson.HostOptions.%s", tag, f.Type, f.Name)
		}
	}
	hostOpts := func(o lesson.HostOptions) SessionOptions {
		b, _ := json.Marshal(o)
		var so SessionOptions
		if err := json.Unmarshal(b, &so); err != nil {
			t.Fatal(err)
		}
		return so
	}
	rec := newRecorder()
	l, err := NewLab(nil, rec.host())
	if err != nil {
		t.Fatal(err)
	}
	pre, err := l.Open("imap", hostOpts(lesson.HostOptions{Preauth: "smith", Disabled: []string{"EXAMINE"}, Hostname: "mail.example.org"}))
	if err != nil {
		t.Fatal(err)
	}
	rec.waitFor(t, pre, "\r\n")
	if out := rec.output(pre); !strings.HasPrefix(out, "* PREAUTH ") || !strings.Contains(out, "smith") {
		t.Errorf("PREAUTH greeting = %q", out)
	}
	l.Write(pre, []byte("a1 EXAMINE INBOX\r\na2 LOGOUT\r\n"))
	rec.waitClosed(t, pre)
	out := rec.output(pre)
	if strings.Contains(out, "a1 OK") {
		t.Errorf("a hidden command was served:\n%s", out)
	}
	if !strings.Contains(out, "mail.example.org") {
		t.Errorf("the lesson's host name is not used:\n%s", out)
	}

	rej, err := l.Open("imap", hostOpts(lesson.HostOptions{Reject: "Too many users, try later"}))
	if err != nil {
		t.Fatal(err)
	}
	rec.waitClosed(t, rej)
	if out := rec.output(rej); out != "* BYE Too many users, try later\r\n" {
		t.Errorf("rejected greeting = %q", out)
	}

	pop, err := l.Open("pop3", hostOpts(lesson.HostOptions{UIDLFormat: "uid-%u"}))
	if err != nil {
		t.Fatal(err)
	}
	l.Write(pop, []byte("USER melanie\r\nPASS toybox\r\nUIDL 1\r\nQUIT\r\n"))
	rec.waitClosed(t, pop)
	if out := rec.output(pop); !regexp.MustCompile(`\r\n\+OK 1 uid-\d+\r\n`).MatchString(out) {
		t.Errorf("the lesson's UIDL format is not used:\n%s", out)
	}

	idle, err := l.Open("imap", hostOpts(lesson.HostOptions{AutologoutMS: 50}))
	if err != nil {
		t.Fatal(err)
	}
	rec.waitClosed(t, idle)
	if out := rec.output(idle); !strings.Contains(out, "* BYE Autologout") {
		t.Errorf("the lesson's autologout did not end the session:\n%s", out)
	}
}

// The lab serves from memory at once; the demo mailboxes are saved in the
// background, and a change made before that save ended is saved after it.
func TestTheLabServesWhileTheSeedIsBeingSaved(t *testing.T) {
	disk := newMemDisk(t)
	gate := make(chan struct{})
	disk.gate = gate
	rec := newRecorder()
	l := mustLab(t, disk, rec)
	before := stat(t, l, rec) // answered while the seed waits at the gate
	id := open(t, l, "pop3")
	l.Write(id, []byte("USER melanie\r\nPASS toybox\r\nDELE 1\r\nQUIT\r\n"))
	rec.waitClosed(t, id)
	if n := len(disk.paths()); n != 0 {
		t.Fatalf("the disk holds %d entries before the seed was let through", n)
	}
	close(gate)
	if err := l.Flush(); err != nil {
		t.Fatal(err)
	}
	if b := disk.batches[0]; !b.Clear || len(b.Put) == 0 || b.Put[len(b.Put)-1].Path != complete {
		t.Errorf("the first batch does not seed the disk with passwd last: clear=%v, %d entries", b.Clear, len(b.Put))
	}
	rec2 := newRecorder()
	after := stat(t, mustLab(t, disk, rec2), rec2)
	if after == before {
		t.Errorf("after a reload STAT = %q: the DELE made during the seed was lost", after)
	}
}

// A page closed before the seed was saved leaves the disk without passwd
// (here: left over from a save that never ended); the next load seeds
// again and keeps nothing of the incomplete tree.
func TestAnIncompleteSavedTreeIsSeededAgain(t *testing.T) {
	disk := newMemDisk(t)
	disk.files["melanie"] = Entry{Path: "melanie", Dir: true}
	disk.files["melanie/cur"] = Entry{Path: "melanie/cur", Dir: true}
	disk.files["melanie/cur/1.M1P1.lab:2,"] = Entry{Path: "melanie/cur/1.M1P1.lab:2,", Data: []byte("Subject: half\n\nsaved\n")}
	rec := newRecorder()
	l := mustLab(t, disk, rec)
	if got := stat(t, l, rec); got != "+OK 5 2528" {
		t.Errorf("STAT = %q, want the demo's", got)
	}
	if err := l.Flush(); err != nil {
		t.Fatal(err)
	}
	paths := disk.paths()
	if slices.Contains(paths, "melanie/cur/1.M1P1.lab:2,") || !slices.Contains(paths, complete) {
		t.Errorf("after seeding the disk holds %v", paths)
	}
}

// Every batch leaves a tree that loads, whatever the sessions do, and the
// last one holds what they did.
func TestEverySavedBatchLoads(t *testing.T) {
	disk := newMemDisk(t)
	var bad []string
	check := func() {
		entries, _ := disk.Load()
		s, err := newSaver(newMemDisk(t), nil, nil).load(entries, false)
		if err != nil || s == nil {
			bad = append(bad, fmt.Sprintf("batch %d: store %v, error %v", len(disk.batches), s != nil, err))
		}
	}
	rec := newRecorder()
	l := mustLab(t, disk, rec)
	id := open(t, l, "imap")
	steps := []string{
		"a1 LOGIN smith sesame", "a2 CREATE work/2024", "a3 APPEND work/2024 {11+}\r\nSubject: x", "a4 SELECT INBOX",
		`a5 STORE 1:2 +FLAGS (\Deleted \Flagged $Later)`, "a6 EXPUNGE", "a7 COPY 1 work/2024", "a8 RENAME work archive",
		"a9 SUBSCRIBE archive/2024", "a10 DELETE archive/2024", "a11 LOGOUT",
	}
	for _, line := range steps {
		l.Write(id, []byte(line+"\r\n"))
		tag := strings.Fields(line)[0]
		rec.waitFor(t, id, "\r\n"+tag+" ")
		if err := l.Flush(); err != nil {
			t.Fatal(err)
		}
		check()
	}
	if _, err := l.Deliver("smith"); err != nil {
		t.Fatal(err)
	}
	l.Flush()
	check()
	for _, b := range bad {
		t.Error(b)
	}
	out := rec.output(id)
	for _, want := range []string{"a2 OK", "a3 OK", "a6 OK", "a7 OK", "a8 OK", "a10 OK"} {
		if !strings.Contains(out, want) {
			t.Fatalf("no %q in:\n%s", want, out)
		}
	}
	status := func(l *Lab, rec *recorder) string {
		id := open(t, l, "imap")
		l.Write(id, []byte("b1 LOGIN smith sesame\r\nb2 LIST \"\" *\r\nb3 STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY)\r\nb4 STATUS archive (MESSAGES)\r\nb5 EXAMINE INBOX\r\nb6 FETCH 1:* (UID FLAGS)\r\nb7 LOGOUT\r\n"))
		rec.waitClosed(t, id)
		var keep []string
		for _, line := range strings.Split(rec.output(id), "\r\n") {
			if strings.HasPrefix(line, "* LIST") || strings.HasPrefix(line, "* STATUS") || strings.Contains(line, "FETCH (") {
				keep = append(keep, line)
			}
		}
		return strings.Join(keep, "\n")
	}
	want := status(l, rec)
	rec2 := newRecorder()
	if got := status(mustLab(t, disk, rec2), rec2); got != want {
		t.Errorf("after a reload:\n%s\nwant:\n%s", got, want)
	}
}

// A save that fails is tried again with everything not yet saved.
func TestAFailedSaveIsRetried(t *testing.T) {
	disk := newMemDisk(t)
	rec := newRecorder()
	l := mustLab(t, disk, rec)
	if err := l.Flush(); err != nil {
		t.Fatal(err)
	}
	disk.mu.Lock()
	disk.fail = errors.New("QuotaExceededError")
	disk.mu.Unlock()
	if _, err := l.Deliver("melanie"); err != nil {
		t.Fatal(err)
	}
	if err := l.Flush(); err == nil {
		t.Fatal("Flush succeeded while the disk fails")
	}
	disk.mu.Lock()
	disk.fail = nil
	disk.mu.Unlock()
	if err := l.Flush(); err != nil {
		t.Fatal(err)
	}
	rec2 := newRecorder()
	if got := stat(t, mustLab(t, disk, rec2), rec2); got == "+OK 5 2528" {
		t.Errorf("after a reload STAT = %q: the delivery was lost", got)
	}
}

func TestSavingWaitsForTheHostUntilAFlush(t *testing.T) {
	for _, how := range []string{"released", "flushed"} {
		t.Run(how, func(t *testing.T) {
			disk := newMemDisk(t)
			rec := newRecorder()
			host := rec.host()
			after := make(chan struct{})
			host.SaveAfter = after
			l, err := NewLab(disk, host)
			if err != nil {
				t.Fatal(err)
			}
			// The store serves at once while the seed is held back.
			before := stat(t, l, rec)
			if _, err := l.Deliver("melanie"); err != nil {
				t.Fatal(err)
			}
			time.Sleep(50 * time.Millisecond)
			if got := disk.paths(); len(got) != 0 {
				t.Fatalf("written before the host let the saver start: %v", got)
			}
			if how == "released" {
				close(after)
				deadline := time.Now().Add(10 * time.Second)
				for !slices.Contains(disk.paths(), complete) {
					if time.Now().After(deadline) {
						t.Fatal("nothing saved after the host let the saver start")
					}
					time.Sleep(5 * time.Millisecond)
				}
			}
			if err := l.Flush(); err != nil {
				t.Fatal(err)
			}
			rec2 := newRecorder()
			if got := stat(t, mustLab(t, disk, rec2), rec2); got == before {
				t.Errorf("after a reload STAT = %q, the demo's: the delivery was not kept", got)
			}
		})
	}
}

// The full module saves what the first module handed over at once (the
// page's "shown" went to the first module): on a first visit all of it,
// replacing what an interrupted visit may have left; on a later one only
// what changed, never clearing the saved tree, which a tab closed in the
// middle of that would leave without its passwd (and the next visit with
// the demo's mailboxes instead of the learner's).
func TestAHandedOverTreeIsSavedAtOnce(t *testing.T) {
	for _, c := range []struct {
		name string
		h    Handover
	}{{"first visit", Handover{Reseed: true}}, {"later visit", Handover{Changed: []string{"melanie/cur/gone", "mrose/new/1.M1P1.maillab"}}}} {
		t.Run(c.name, func(t *testing.T) {
			disk := newMemDisk(t)
			if err := mustLab(t, disk, newRecorder()).Flush(); err != nil {
				t.Fatal(err)
			}
			handed, _ := disk.Load()
			handed = append(handed, Entry{Path: "mrose/new/1.M1P1.maillab", Data: []byte("Subject: new\r\n\r\nhi\r\n"), ModTime: time.Unix(1700000000, 0)})
			disk.mu.Lock()
			before := len(disk.batches)
			disk.files["melanie/cur/gone"] = Entry{Path: "melanie/cur/gone", Data: []byte("x")}
			disk.mu.Unlock()
			host := newRecorder().host()
			host.SaveAfter = make(chan struct{}) // never closed
			h := c.h
			host.Handed = &h
			if _, err := NewLab(handedDisk{handed, disk}, host); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(10 * time.Second)
			for {
				disk.mu.Lock()
				_, put := disk.files["mrose/new/1.M1P1.maillab"]
				_, kept := disk.files["melanie/cur/gone"]
				var clears int
				for _, b := range disk.batches[before:] {
					if b.Clear {
						clears++
					}
				}
				disk.mu.Unlock()
				if put && !kept {
					if want := map[bool]int{true: 1, false: 0}[h.Reseed]; clears != want {
						t.Errorf("%d batches cleared the saved tree, want %d", clears, want)
					}
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the tree handed over is not saved until the page says it has shown the greeting (put %v, stale file kept %v)", put, kept)
				}
				time.Sleep(5 * time.Millisecond)
			}
		})
	}
}

// handedDisk loads the tree the first module handed over and saves to
// the disk under it, as the full module's IndexedDB does.
type handedDisk struct {
	handed []Entry
	*memDisk
}

func (d handedDisk) Load() ([]Entry, error) { return d.handed, nil }

func TestChangedPaths(t *testing.T) {
	before := []Entry{{Path: "a", Dir: true}, {Path: "a/x", Data: []byte("1")}, {Path: "a/y", Data: []byte("2")}, {Path: "a/z", Data: []byte("3")}}
	now := []Entry{{Path: "a", Dir: true}, {Path: "a/x", Data: []byte("1"), ModTime: time.Unix(5, 0)}, {Path: "a/y", Data: []byte("two")}, {Path: "a/w", Data: []byte("4")}}
	if got, want := changedPaths(before, now), []string{"a/w", "a/y", "a/z"}; !slices.Equal(got, want) {
		t.Errorf("changedPaths = %v, want %v", got, want)
	}
	if got := changedPaths(before, before); len(got) != 0 {
		t.Errorf("changedPaths of a tree and itself = %v", got)
	}
}

// A first visit serves the demo from a copy of its tree: that store, and
// the one a reload reads back from the disk, show what the demo store
// itself shows.
func TestTheSeededDemoIsTheDemo(t *testing.T) {
	view := func(l *Lab, rec *recorder) string {
		var out []string
		for _, login := range []string{"smith sesame", "melanie toybox", "alex drums"} {
			id := open(t, l, "imap")
			l.Write(id, []byte("b1 LOGIN "+login+"\r\nb2 LIST \"\" *\r\nb3 STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN)\r\n"+
				"b4 EXAMINE INBOX\r\nb5 FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE)\r\nb6 LOGOUT\r\n"))
			rec.waitClosed(t, id)
			for _, line := range strings.Split(rec.output(id), "\r\n") {
				if strings.HasPrefix(line, "* ") && !strings.HasPrefix(line, "* OK") && !strings.HasPrefix(line, "* BYE") {
					out = append(out, line)
				}
			}
		}
		return strings.Join(out, "\n")
	}
	rec := newRecorder()
	want := view(mustLab(t, nil, rec), rec)
	if !strings.Contains(want, "FETCH (UID") || !strings.Contains(want, "UIDVALIDITY") {
		t.Fatalf("the demo store shows no messages:\n%s", want)
	}
	disk := newMemDisk(t)
	rec1 := newRecorder()
	first := mustLab(t, disk, rec1)
	if got := view(first, rec1); got != want {
		t.Errorf("first visit:\n%s\nwant:\n%s", got, want)
	}
	if err := first.Flush(); err != nil {
		t.Fatal(err)
	}
	rec2 := newRecorder()
	if got := view(mustLab(t, disk, rec2), rec2); got != want {
		t.Errorf("after a reload:\n%s\nwant:\n%s", got, want)
	}
}

// A second tab's lab reads the tree the first one saved and writes nothing.
func TestAReadOnlyDiskServesTheSavedTreeAndKeepsNothing(t *testing.T) {
	disk := newMemDisk(t)
	rec := newRecorder()
	l := mustLab(t, disk, rec)
	if _, err := l.Deliver("melanie"); err != nil {
		t.Fatal(err)
	}
	if err := l.Flush(); err != nil {
		t.Fatal(err)
	}
	saved := stat(t, l, rec)
	batches := len(disk.batches)

	rec2 := newRecorder()
	second := mustLab(t, readOnly{disk}, rec2)
	if got := stat(t, second, rec2); got != saved {
		t.Errorf("the read-only lab starts with STAT %q, want the saved %q", got, saved)
	}
	if _, err := second.Deliver("melanie"); err != nil {
		t.Fatal(err)
	}
	if err := second.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := second.Reset(nil); err != nil {
		t.Fatal(err)
	}
	if len(disk.batches) != batches {
		t.Errorf("the read-only lab wrote %d batches", len(disk.batches)-batches)
	}
	rec3 := newRecorder()
	if got := stat(t, mustLab(t, disk, rec3), rec3); got != saved {
		t.Errorf("after the read-only lab's changes the disk loads with STAT %q, want %q", got, saved)
	}
}

// A lesson with mail domains opens in the page: the page's SMTP session
// is the first domain's MSA and queues mail for the other domain into
// the lesson's mail path, which the engine's goals watch.
func TestASMTPSessionSubmitsIntoTheLessonsMailPath(t *testing.T) {
	const src = `id: page-path
protocol: smtp
level: 2
title: {en: The journey}
fixture:
  accounts:
    - {user: melanie, password: toybox}
    - {user: mrose, password: tanstaaf}
  domains:
    - name: example.org
      users: [melanie]
      mx: [{host: mx.example.org, priority: 10}]
    - name: example.net
      users: [mrose]
      mx: [{host: mx.example.net, priority: 10}]
steps:
  - text: {en: Send mrose a message.}
    goals:
      - mail: {delivered: mrose@example.net}
    solution:
      - EHLO client.example
      - AUTH PLAIN AG1lbGFuaWUAdG95Ym94
      - MAIL FROM:<melanie@example.org>
      - RCPT TO:<mrose@example.net>
      - DATA
      - "Subject: hi"
      - ""
      - hi
      - .
`
	l, err := lesson.Parse("page-path.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	e, err := lesson.New(l, lesson.Options{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	j := newJourney(e)
	if j == nil {
		t.Fatal("no mail path for a lesson with mail domains")
	}
	rec := newRecorder()
	lab, err := NewLab(nil, rec.host())
	if err != nil {
		t.Fatal(err)
	}
	lab.setStore(e.Store())
	lab.setPath(j)
	id := open(t, lab, "smtp")
	rec.waitFor(t, id, "220 ")
	for _, line := range []string{"EHLO client.example", "AUTH PLAIN AG1lbGFuaWUAdG95Ym94", "MAIL FROM:<melanie@example.org>",
		"RCPT TO:<mrose@example.net>", "DATA", "Subject: hi", "", "hi", ".", "QUIT"} {
		if err := lab.Write(id, []byte(line+"\r\n")); err != nil {
			t.Fatal(err)
		}
	}
	rec.waitClosed(t, id)
	out := rec.output(id)
	if !regexp.MustCompile(`(?m)^250 2\.1\.5 .*\r\n354 `).MatchString(out) {
		t.Errorf("mail for example.net was not accepted for the mail path:\n%s", out)
	}
	var kinds []string
	for _, ev := range e.MailPath().Events("") {
		kinds = append(kinds, string(ev.Kind))
	}
	if !slices.Contains(kinds, "submitted") {
		t.Errorf("the mail path saw %v, no submission", kinds)
	}
	// Back in the free lab, nothing leaves the lab again.
	lab.setStore(e.Store())
	id = open(t, lab, "smtp")
	rec.waitFor(t, id, "220 ")
	lab.Write(id, []byte("EHLO client.example\r\nAUTH PLAIN AG1lbGFuaWUAdG95Ym94\r\nMAIL FROM:<melanie@example.org>\r\nRCPT TO:<mrose@example.net>\r\nQUIT\r\n"))
	rec.waitClosed(t, id)
	if out := rec.output(id); regexp.MustCompile(`(?m)^250 2\.1\.5 `).MatchString(out) {
		t.Errorf("the free lab accepted mail for another domain:\n%s", out)
	}
}

// BenchmarkFirstVisitStart measures the simulator's start on a first
// visit, until it serves: the demo mailboxes seeded into memory, their
// saving held back until the greeting is shown (Host.SaveAfter), as in
// the page.
//
//	go test ./wasm -run '^$' -bench FirstVisitStart
func BenchmarkFirstVisitStart(b *testing.B) {
	never := make(chan struct{})
	for b.Loop() {
		if _, err := NewLab(&memDisk{files: map[string]Entry{}}, Host{SaveAfter: never}); err != nil {
			b.Fatal(err)
		}
	}
}
