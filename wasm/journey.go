//go:build !boot

package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"maillab/sim/event"
	"maillab/sim/lesson"
	// Lessons whose fixture declares mail domains open in the page too.
	_ "maillab/sim/lesson/withmailpath"
	"maillab/sim/mailpath"
	"maillab/sim/proto"
	"maillab/sim/smtp"
)

// journey is an open lesson's mail path as the page's journey view uses
// it: the path's events, each hop's transcript (read-only), the DNS, the
// queue with its retry times, the lab clock and the fault rules.
type journey struct {
	gen int // a new number for every lesson opened: the page starts its picture afresh
	lab *mailpath.Lab

	mu     sync.Mutex
	faults []mailpath.Fault // the rules on: the fixture's, then those the page added
}

// gens numbers the journeys.
var gens struct {
	sync.Mutex
	n int
}

// newJourney is e's mail path, nil when its lesson has none.
func newJourney(e *lesson.Engine) *journey {
	mp := e.MailPath()
	if mp == nil {
		return nil
	}
	lab, ok := mp.Relay().(*mailpath.Lab)
	if !ok {
		return nil
	}
	gens.Lock()
	gens.n++
	n := gens.n
	gens.Unlock()
	return &journey{gen: n, lab: lab, faults: slices.Clone(lab.Topology().Faults)}
}

// submission makes an SMTP session the first domain's MSA, as the lesson
// engine makes its own (lesson.Engine.Options): mail for the other
// domains goes into the path's queue.
func (j *journey) submission(c *proto.Config) {
	d := j.lab.Topology().Domains[0]
	c.Role, c.Domains, c.Users, c.Relay = smtp.RoleMSA, []string{d.Name}, slices.Clone(d.Users), j.lab
	if c.Hostname == "" {
		c.Hostname = d.MTAHost()
	}
}

// journeyState is what the view draws. Events are those after the seq
// the page asked from, at most maxStateEvents of them.
type journeyState struct {
	Gen     int               `json:"gen"`
	Now     time.Time         `json:"now"`
	Speed   float64           `json:"speed"`
	Domains []mailpath.Domain `json:"domains"`
	Hosts   []mailpath.Host   `json:"hosts"`
	Events  []journeyEvent    `json:"events"`
	Queue   []mailpath.Queued `json:"queue"`
	Faults  []mailpath.Fault  `json:"faults"`
}

// journeyEvent is an event with what it means, in the page's language.
type journeyEvent struct {
	mailpath.Event
	Explain string `json:"explain,omitempty"`
}

const maxStateEvents = 200

func (j *journey) state(since int, lang string) journeyState {
	top := j.lab.Topology()
	s := journeyState{Gen: j.gen, Now: j.lab.Clock().Now(), Speed: j.lab.Clock().Speed(),
		Domains: top.Domains, Hosts: top.Hosts, Queue: j.lab.Queued(), Events: []journeyEvent{}}
	for _, ev := range j.lab.Events("") {
		if ev.Seq > since && len(s.Events) < maxStateEvents {
			s.Events = append(s.Events, journeyEvent{ev, mailpath.Explain(lang, ev)})
		}
	}
	j.mu.Lock()
	s.Faults = append([]mailpath.Fault{}, j.faults...)
	j.mu.Unlock()
	// Lists are [] rather than null for the page.
	s.Queue = append([]mailpath.Queued{}, s.Queue...)
	s.Hosts = append([]mailpath.Host{}, s.Hosts...)
	return s
}

// hopLine is one line of a hop's transcript: "c" the client's, "s" the
// server's.
type hopLine struct {
	Dir  string `json:"dir"`
	Line string `json:"line"`
}

type hopView struct {
	ID     int       `json:"id"`
	Proto  string    `json:"proto"`
	Client string    `json:"client"`
	Server string    `json:"server"`
	Addr   string    `json:"addr"`
	Lines  []hopLine `json:"lines"`
}

// hop is hop id's transcript as the terminal would show it: the server
// session's own lines, or, when the lab kept none, each command and the
// reply it got.
func (j *journey) hop(id int) (hopView, error) {
	t, ok := j.lab.Hop(id)
	if !ok {
		return hopView{}, fmt.Errorf("no hop %d", id)
	}
	v := hopView{ID: t.ID, Proto: t.Proto, Client: t.Client, Server: t.Server, Addr: t.Addr, Lines: []hopLine{}}
	for _, ev := range t.Events {
		switch {
		case ev.Kind == event.Client && ev.Secret:
			v.Lines = append(v.Lines, hopLine{"c", ev.Command + " ********"})
		case ev.Kind == event.Client:
			v.Lines = append(v.Lines, hopLine{"c", ev.Line})
		case ev.Kind == event.Server:
			v.Lines = append(v.Lines, hopLine{"s", ev.Line})
		}
	}
	if len(t.Events) == 0 {
		for _, s := range t.Steps {
			v.Lines = append(v.Lines, hopLine{"c", s.Command}, hopLine{"s", strings.TrimSpace(fmt.Sprintf("%d %s %s", s.Code, s.Enhanced, s.Text))})
		}
	}
	return v, nil
}

// maxStep is the longest jump of the lab clock one step makes.
const maxStep = 30 * 24 * time.Hour

// step moves lab time on and makes the attempts that come due.
func (j *journey) step(d time.Duration) error {
	if d <= 0 || d > maxStep {
		return fmt.Errorf("a step of lab time is between 1s and %v", maxStep)
	}
	j.lab.Step(d)
	return nil
}

// maxSpeed is how many times faster than real time lab time may run.
const maxSpeed = 100000

func (j *journey) setSpeed(x float64) error {
	if !(x >= 0 && x <= maxSpeed) {
		return fmt.Errorf("lab time runs between 0 and %d times real time", maxSpeed)
	}
	j.lab.Clock().SetSpeed(x)
	return nil
}

// tick makes the attempts whose time has come (the clock may be running).
func (j *journey) tick() int { return j.lab.RunDue() }

// maxFaults is how many rules the page may switch on.
const maxPageFaults = 32

// addFault switches a rule on, given as JSON ({host, command, reply, times}).
func (j *journey) addFault(data string) error {
	var f mailpath.Fault
	if len(data) > 4096 {
		return fmt.Errorf("a fault rule is a short JSON object")
	}
	if err := json.Unmarshal([]byte(data), &f); err != nil {
		return fmt.Errorf("fault rule: %w", err)
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if len(j.faults) >= maxPageFaults {
		return fmt.Errorf("at most %d fault rules", maxPageFaults)
	}
	if err := j.lab.AddFault(f); err != nil {
		return err
	}
	j.faults = append(j.faults, f)
	return nil
}

// clearFaults switches every rule off, the fixture's too.
func (j *journey) clearFaults() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.lab.ClearFaults()
	j.faults = nil
}

// dig answers a query as dig(1) prints it.
func (j *journey) dig(name, qtype string) string {
	if len(name) > 300 || len(qtype) > 16 {
		return j.lab.DNS().Dig("?", "A")
	}
	return j.lab.DNS().Dig(name, qtype)
}

// setPath gives the Lab the open lesson's mail path (nil: none).
func (l *Lab) setPath(j *journey) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.path = j
}

// journey is the open lesson's mail path, nil when it has none.
func (l *Lab) journey() *journey {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.path
}
