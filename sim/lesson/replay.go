package lesson

import (
	"fmt"
	"strings"
	"time"

	"maillab/sim/event"
	"maillab/sim/mailstore"
)

// WaitStep waits until step i (0-based) is done or timeout passes; store
// goals are re-checked while waiting, since another client or a delivery
// can meet them without an event of the learner's.
func (e *Engine) WaitStep(i int, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	e.mu.Lock()
	for !e.prog.Steps[i].Done && time.Now().Before(deadline) {
		if e.prog.Step == i && e.evaluateLocked() {
			break
		}
		e.timedWait()
	}
	done := e.prog.Steps[i].Done
	e.mu.Unlock()
	return done
}

// Reset restarts the current step: every session is closed, the mail
// store is put back as the step finds it after the steps before it were
// done by their reference solutions, and the fixture's clients and
// deliveries of the step run again. The learner's progress (hints,
// answers) is kept; sessions must be opened again.
func (e *Engine) Reset() error {
	e.mu.Lock()
	i := e.prog.Step
	e.mu.Unlock()
	e.mu.Lock()
	lang := e.lang
	e.mu.Unlock()
	st, path, err := e.l.storeAt(i, lang)
	if err != nil {
		return err
	}
	e.Settle()
	e.mu.Lock()
	e.resetting = true
	e.mu.Unlock()
	e.closeAndWait()
	e.mu.Lock()
	e.resetting = false
	e.store = st
	if path != nil && path.MailPath != nil {
		// The replay's mail path goes on from where the steps before
		// left it (its queue, its clock), over the new store.
		e.path, e.pathTo = path.MailPath, path.to
		e.pathTo.set(e)
		e.pathStart = e.path.LastSeq()
	}
	e.current = "main"
	e.prog.Finished = false
	e.prog.Steps[i].Done = false
	e.stepStart = e.seq + 1
	e.mu.Unlock()
	e.startStep(i)
	return nil
}

// closeAndWait closes every session and waits until each has ended.
func (e *Engine) closeAndWait() {
	e.Close()
	e.mu.Lock()
	var all []*session
	for _, s := range e.sessions {
		if s.conn != nil {
			all = append(all, s)
		}
	}
	e.mu.Unlock()
	for _, s := range all {
		e.waitClosed(s)
	}
}

// storeAt returns the mail store as step i (0-based) finds it when the
// steps before it are done by their reference solutions, and the
// lesson's mail path (nil without one) as they leave it, in lang.
func (l *Lesson) storeAt(i int, lang string) (*mailstore.Store, *heldPath, error) {
	if i == 0 {
		st, err := l.BuildStore()
		if err != nil || len(l.Fixture.Domains) == 0 {
			return st, nil, err
		}
		to := &pathOwner{}
		top := l.Fixture.Topology
		path, err := OpenMailPath(&top, st, l.clock(), lang, func() {
			if e := to.get(); e != nil {
				e.pathEvent()
			}
		})
		if err != nil {
			return nil, nil, err
		}
		return st, &heldPath{path, to}, nil
	}
	e, err := New(l, Options{until: i, Lang: lang})
	if err != nil {
		return nil, nil, err
	}
	held := &heldPath{e.path, e.pathTo}
	defer e.closeAndWait()
	if err := e.Run(":connect"); err != nil {
		return nil, nil, err
	}
	for j := 0; j < i; j++ {
		st := &l.Steps[j]
		e.Settle()
		for q := range st.Questions {
			e.Answer(j, q, st.Questions[q].Key())
		}
		for _, line := range st.Solution {
			if err := e.Run(line); err != nil {
				return nil, nil, fmt.Errorf("step %d: %q: %w", j+1, line, err)
			}
		}
		e.Settle()
		if !e.WaitStep(j, stepTimeout+l.autologout()) {
			return nil, nil, fmt.Errorf("step %d did not complete after its solution", j+1)
		}
	}
	e.Settle()
	e.closeAndWait()
	if held.MailPath == nil {
		held = nil
	}
	return e.store, held, nil
}

// heldPath is a mail path that Reset takes over from a replay.
type heldPath struct {
	MailPath
	to *pathOwner
}

// stepTimeout bounds how long Replay waits for a step to complete after
// its solution was sent.
var stepTimeout = 2 * time.Second

// Replay plays every step's reference solution against a fresh store and
// the real sessions, answers the questions with their keys, and returns an
// Error at the first step that does not complete, saying why, with the end
// of the transcript.
func Replay(l *Lesson) error {
	var tr transcript
	e, err := New(l, Options{Events: tr.sink()})
	if err != nil {
		return l.errAt("$.fixture", "fixture: %v", err)
	}
	defer e.Close()
	// The learner starts with the main terminal connected.
	if err := e.Run(":connect"); err != nil {
		return l.errAt("$", "connecting: %v", err)
	}
	for i := range l.Steps {
		st := &l.Steps[i]
		p := indexPath("$.steps", i)
		e.Settle()
		if e.Progress().Steps[i].Done {
			// Its goals held before the learner did anything for it: they
			// check nothing this step teaches.
			return l.errAt(p, "step %d was complete before its solution ran; its goals must check something this step does%s", i+1, tr.tail())
		}
		if why := e.Stuck(); why != "" {
			// The learner would meet a dead end before typing anything.
			return l.errAt(p, "step %d cannot be met from its start: %s%s", i+1, why, tr.tail())
		}
		for q := range st.Questions {
			if _, _, err := e.Answer(i, q, st.Questions[q].Key()); err != nil {
				return l.errAt(indexPath(p+".questions", q), "step %d: %v", i+1, err)
			}
		}
		for j, line := range st.Solution {
			if err := e.Run(line); err != nil {
				return l.errAt(indexPath(p+".solution", j), "step %d: %q: %v%s", i+1, line, err, tr.tail())
			}
		}
		e.Settle()
		// A step may wait for the fixture's autologout.
		if !e.WaitStep(i, stepTimeout+l.autologout()) {
			var why []string
			for _, g := range e.Goals() {
				if !g.Met {
					why = append(why, g.Reason)
				}
			}
			answers := e.Progress().Steps[i].Answers
			for q := range st.Questions {
				if len(st.Goals) == 0 && !answers[q] {
					why = append(why, fmt.Sprintf("question %d was not answered correctly by its key", q+1))
				}
			}
			return l.errAt(p, "step %d did not complete after its solution: %s%s", i+1, strings.Join(why, "; "), tr.tail())
		}
	}
	if !e.Progress().Finished {
		return l.errAt("$.steps", "the lesson did not finish after the last step")
	}
	return nil
}

// transcript keeps the lines of every session for error messages.
type transcript struct {
	lines []string
	mu    chan struct{}
}

func (t *transcript) sink() event.Sink {
	t.mu = make(chan struct{}, 1)
	return func(ev event.Event) {
		t.mu <- struct{}{}
		defer func() { <-t.mu }()
		switch ev.Kind {
		case event.Client:
			line := ev.Line
			if ev.Secret {
				line = secretLine(ev)
			}
			t.lines = append(t.lines, fmt.Sprintf("[%s] C: %s", ev.Session, line))
		case event.Server:
			t.lines = append(t.lines, fmt.Sprintf("[%s] S: %s", ev.Session, ev.Line))
		}
	}
}

// tail is the last lines of the transcript, indented, for an error.
func (t *transcript) tail() string {
	t.mu <- struct{}{}
	defer func() { <-t.mu }()
	from := max(0, len(t.lines)-12)
	if len(t.lines) == 0 {
		return ""
	}
	return "\n  transcript (last lines):\n    " + strings.Join(t.lines[from:], "\n    ")
}

// secretLine shows a line that carries a password as its command word
// only, or as an ellipsis when it has none.
func secretLine(ev event.Event) string {
	if ev.Command == "" {
		return "…"
	}
	return ev.Command + " …"
}
