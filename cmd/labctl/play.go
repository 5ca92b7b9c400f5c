package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"maillab/sim/catalog"
	"maillab/sim/event"
	"maillab/sim/fsm"
	"maillab/sim/lesson"
	"maillab/sim/lineio"
	"maillab/sim/mailpath"
	"maillab/sim/proto"
)

// runPlay plays a lesson in the terminal: lines typed go to the session,
// lines starting with ":" are lab commands.
func runPlay(args []string, in io.Reader, out io.Writer) error {
	fl := flag.NewFlagSet("play", flag.ContinueOnError)
	lang := fl.String("lang", "en", "language: "+strings.Join(lesson.Languages, ", "))
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() != 1 {
		return errors.New("usage: labctl play [-lang " + strings.Join(lesson.Languages, "|") + "] FILE")
	}
	if !slices.Contains(lesson.Languages, *lang) {
		return fmt.Errorf("labctl play: language %q is not one of %s", *lang, strings.Join(lesson.Languages, ", "))
	}
	file := fl.Arg(0)
	l, err := lesson.LoadFS(os.DirFS(filepath.Dir(file)), filepath.Base(file))
	if err != nil {
		return err
	}
	changed := make(chan struct{}, 1)
	p, err := newPlayer(l, *lang, out, changed)
	if err != nil {
		return err
	}
	err = p.loop(in, changed)
	// Closing the sessions ends their output; wait for it, so that
	// nothing is written to out after play returns. The learner left:
	// the connections closing is no news.
	p.mu.Lock()
	p.leaving = true
	p.mu.Unlock()
	p.e.Close()
	p.copying.Wait()
	return err
}

// newPlayer starts lesson l in lang, writing to out; changed gets a value
// when progress changed.
func newPlayer(l *lesson.Lesson, lang string, out io.Writer, changed chan struct{}) (*player, error) {
	p := &player{l: l, lang: lang, out: &lockedWriter{w: out}, printed: -1}
	p.cond = sync.NewCond(&p.mu)
	e, err := lesson.New(l, lesson.Options{Lang: lang, Events: p.observe, Explain: true, OnChange: func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	}})
	if err != nil {
		return nil, err
	}
	p.e = e
	return p, nil
}

type player struct {
	e         *lesson.Engine
	l         *lesson.Lesson
	lang      string
	out       io.Writer
	printed   int   // the step whose text was printed last
	explained int   // steps whose explanation was printed
	ask       []int // questions to ask: step*1000 + question
	copying   sync.WaitGroup
	reasons   string // the "not yet" reasons printed last
	leaving   bool   // :quit or the end of input: sessions close silently
	pathSeq   int    // the last mail path event printed

	// What the sessions sent and what reached out, by session name, so
	// the lab's own lines come after the server's answer they are about.
	mu       sync.Mutex
	cond     *sync.Cond
	sent     map[string]int           // octets of server lines
	copied   map[string]int           // octets written to out
	ended    map[string]bool          // the session closed
	copyDone map[string]bool          // its output was copied to the end
	explains map[string][]event.Event // explanations since the last line typed
}

// observe takes every event of every session (on the session's
// goroutine): it counts the octets a server sent and keeps the
// explanations of the answer to the last line typed, for :explain.
func (p *player) observe(ev event.Event) {
	name := ev.Session
	if i := strings.LastIndex(name, "#"); i >= 0 {
		name = name[:i]
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.sent == nil {
		p.sent, p.ended, p.explains = map[string]int{}, map[string]bool{}, map[string][]event.Event{}
	}
	switch ev.Kind {
	case event.Server:
		p.sent[name] += len(ev.Line) + 2
	case event.Client:
		if ev.Tag != "" || len(p.explains[name]) > 0 {
			p.explains[name] = nil
		}
	case event.Explain:
		p.explains[name] = append(p.explains[name], ev)
	case event.Close:
		p.ended[name] = true
	}
	p.cond.Broadcast()
}

// waitCopied waits until the output of session name's last connection
// was copied to its end.
func (p *player) waitCopied(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.copyDone != nil {
		if done, ok := p.copyDone[name]; !ok || done {
			return
		}
		p.cond.Wait()
	}
}

// drain waits until what session name sent has been written to out (and,
// for a session that ended, the line saying so), so the lab's lines never
// come before the answer they follow.
func (p *player) drain(name string) {
	deadline := time.Now().Add(2 * time.Second)
	t := time.AfterFunc(2*time.Second, func() {
		p.mu.Lock()
		p.cond.Broadcast()
		p.mu.Unlock()
	})
	defer t.Stop()
	p.mu.Lock()
	defer p.mu.Unlock()
	for time.Now().Before(deadline) {
		if p.copied[name] >= p.sent[name] && (!p.ended[name] || p.copyDone[name]) {
			return
		}
		p.cond.Wait()
	}
}

// playTexts are the player's own words, the catalogue "labctl" (package
// catalog).
var playTexts = catalog.Get("labctl")

// t is the player's text key in the lesson's language, formatted with
// args.
func (p *player) t(key string, args ...any) string { return playTexts.Text(p.lang, key, args...) }

// say prints a message of the lab's own, with the lab's prefix.
func (p *player) say(key string, args ...any) {
	fmt.Fprintln(p.out, p.t("lab"), p.t(key, args...))
}

func (p *player) loop(in io.Reader, changed <-chan struct{}) error {
	fmt.Fprintf(p.out, "== %s ==\n%s\n", p.l.Title.In(p.lang), p.t("help"))
	p.connect("main")
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(in)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	p.showStep()
	for {
		select {
		case <-changed:
			p.drain(p.e.Current())
			p.showStep()
		case line, ok := <-lines:
			if !ok || strings.TrimSpace(line) == ":quit" {
				return nil
			}
			p.handle(line)
			p.showStep()
		}
		if p.complete() {
			return nil
		}
	}
}

// complete reports whether the lesson is done, saying so once.
func (p *player) complete() bool {
	if p.e.Progress().Finished && len(p.ask) == 0 {
		fmt.Fprintln(p.out, p.t("complete"))
		return true
	}
	return false
}

func (p *player) connect(name string) { p.connectProto(name, "") }

// connectProto opens session name to a server of protoName ("" for the
// lesson's protocol) and copies what it sends to the terminal.
func (p *player) connectProto(name, protoName string) {
	if p.e.Connected(name) {
		p.e.Use(name)
		return
	}
	// The session's earlier connection has ended; its output too.
	p.waitCopied(name)
	p.mu.Lock()
	if p.sent == nil {
		p.sent, p.ended, p.explains = map[string]int{}, map[string]bool{}, map[string][]event.Event{}
	}
	if p.copied == nil {
		p.copied, p.copyDone = map[string]int{}, map[string]bool{}
	}
	p.sent[name], p.copied[name], p.ended[name] = 0, 0, false
	p.explains[name] = nil
	p.mu.Unlock()
	c, err := p.e.ConnectProto(name, protoName)
	if err != nil {
		p.say("cannot_connect", name)
		return
	}
	p.mu.Lock()
	p.copyDone[name] = false
	p.mu.Unlock()
	p.copying.Add(1)
	go func() {
		defer p.copying.Done()
		buf := make([]byte, 4096)
		for {
			n, err := c.Read(buf)
			if n > 0 {
				p.out.Write(buf[:n])
				p.mu.Lock()
				p.copied[name] += n
				p.cond.Broadcast()
				p.mu.Unlock()
			}
			if err != nil {
				break
			}
		}
		p.mu.Lock()
		leaving := p.leaving
		p.mu.Unlock()
		if !leaving {
			p.say("closed", name)
		}
		p.mu.Lock()
		p.copyDone[name] = true
		p.cond.Broadcast()
		p.mu.Unlock()
	}()
	p.e.AwaitReply(name, 0)
	p.drain(name)
}

func (p *player) handle(line string) {
	if len(p.ask) > 0 {
		p.answer(line)
		return
	}
	if !strings.HasPrefix(line, ":") {
		p.send(line)
		return
	}
	f := strings.Fields(line)
	cmd := ""
	if len(f) > 0 {
		cmd = f[0]
	}
	switch cmd {
	case ":hint":
		if len(p.l.Steps[p.e.Progress().Step].Hints) == 0 {
			p.say("no_hints_step")
		} else if h, ok := p.e.Hint(); ok {
			fmt.Fprintln(p.out, p.t("hint"), plain(h))
		} else {
			p.say("no_hints")
		}
	case ":solution":
		fmt.Fprintln(p.out, p.t("solution"))
		for _, s := range p.e.Solution() {
			fmt.Fprintln(p.out, "  ", s)
		}
	case ":goals":
		p.reasons = ""
		if !p.goals() {
			p.say("goals_none")
		}
	case ":explain":
		p.explainAnswer()
	case ":next":
		pr := p.e.Progress()
		if pr.Step+1 >= len(p.l.Steps) {
			p.say("last_step")
			return
		}
		p.e.GoTo(pr.Step + 1)
	case ":reset":
		p.reset()
	case ":wait":
		d, err := lesson.ParseWait(strings.Join(f[1:], " "))
		if err != nil {
			p.say("wait_usage")
			return
		}
		before := p.e.Progress()
		if p.e.Wait(d) != nil {
			p.say("no_mail_path")
			return
		}
		p.say("waited", d, p.e.Now().UTC().Format("2006-01-02 15:04:05"))
		p.journey()
		if after := p.e.Progress(); after.Step == before.Step && !after.Finished && !after.Steps[after.Step].Done {
			p.goals()
		}
	case ":mailq":
		p.mailq()
	case ":connect":
		name, protoName := "main", ""
		if len(f) > 1 {
			name = f[1]
		}
		if len(f) > 2 {
			protoName = strings.ToLower(f[2])
			if _, ok := proto.Get(protoName); !ok {
				p.say("no_protocol", f[2], strings.Join(proto.Names(), ", "))
				return
			}
		}
		p.connectProto(name, protoName)
	case ":drop", ":use":
		name := "main"
		if len(f) > 1 {
			name = f[1]
		}
		if cmd == ":use" {
			if len(f) != 2 {
				p.say("use_needs_name")
				return
			}
			p.e.Use(name)
			return
		}
		if !p.e.Connected(name) {
			p.say("not_connected", name)
			return
		}
		p.e.Drop(name)
		p.drain(name)
	default:
		p.say("unknown_command", line)
	}
}

// send writes a line typed to the current session and says what the step
// still needs, when that changed.
func (p *player) send(line string) {
	name := p.e.Current()
	if !p.e.Connected(name) {
		p.say("not_connected", name)
		return
	}
	before := p.e.Progress()
	if err := p.e.Send(name, line); err != nil && p.e.Connected(name) {
		p.say("no_answer", name)
	}
	p.drain(name)
	p.journey()
	// Say what is missing only while the learner is still on the
	// step the line was for: a step just done is announced instead.
	if after := p.e.Progress(); after.Step == before.Step && !after.Finished && !after.Steps[after.Step].Done {
		p.goals()
	}
}

// journey prints what happened on the mail path since it last looked,
// as the page's journey view tells it: lookups, relays, deliveries,
// deferrals and bounces (a hop's transcript is the page's to show).
func (p *player) journey() {
	path := p.e.MailPath()
	if path == nil {
		return
	}
	for _, ev := range path.Events("") {
		if ev.Seq <= p.pathSeq {
			continue
		}
		p.pathSeq = ev.Seq
		if ev.Kind != mailpath.Hop {
			fmt.Fprintln(p.out, "  ✉", lineio.Printable(mailpath.Explain(p.lang, ev)))
		}
	}
}

// mailq lists the mail path's queue, as Postfix's mailq does: each
// message with its recipients, the next try and the last answer.
func (p *player) mailq() {
	if p.e.MailPath() == nil {
		p.say("no_mail_path")
		return
	}
	q := p.e.Queue()
	if len(q) == 0 {
		p.say("queue_empty", p.e.Now().UTC().Format("2006-01-02 15:04:05"))
		return
	}
	p.say("queue_head", len(q), p.e.Now().UTC().Format("2006-01-02 15:04:05"))
	for _, m := range q {
		fmt.Fprintf(p.out, "  %s  %s → %s\n", m.ID, lineio.Printable(m.From), lineio.Printable(strings.Join(m.Rcpts, ", ")))
		if !m.Next.IsZero() {
			fmt.Fprintln(p.out, "   ", p.t("queue_entry", m.Attempts, m.Next.UTC().Format("15:04:05"), lineio.Printable(m.Reason)))
		}
	}
}

// reset restarts the current step with the mailboxes it started with.
func (p *player) reset() {
	if err := p.e.Reset(); err != nil {
		p.say("reset_failed")
		return
	}
	p.mu.Lock()
	var names []string
	for name := range p.copyDone {
		names = append(names, name)
	}
	p.mu.Unlock()
	for _, name := range names {
		p.waitCopied(name)
	}
	if path := p.e.MailPath(); path != nil {
		// The replay of the steps before is no news.
		p.pathSeq = path.LastSeq()
	}
	p.say("reset", p.e.Progress().Step+1)
	p.printed = -1
	p.reasons = ""
	p.connect("main")
}

// explainAnswer prints what the page's explain pane shows for the answer
// to the last line typed in the current session.
func (p *player) explainAnswer() {
	p.mu.Lock()
	exs := slices.Clone(p.explains[p.e.Current()])
	p.mu.Unlock()
	if len(exs) == 0 {
		p.say("no_explanation")
		return
	}
	for _, ex := range exs {
		if ex.Text != "" {
			fmt.Fprintln(p.out, "  "+lineio.Printable(ex.Text))
		}
		for _, part := range ex.Parts {
			fmt.Fprintf(p.out, "    %s: %s\n", lineio.Printable(part.Token), lineio.Printable(part.Meaning))
		}
		if len(ex.Allowed) > 0 {
			var states []string
			for _, st := range ex.Allowed {
				if m := lesson.Machine(ex.Proto); m != nil {
					st = m.TitleIn(p.lang, fsm.State(st))
				}
				states = append(states, st)
			}
			fmt.Fprintln(p.out, "  "+p.t("allowed_in", strings.Join(states, ", ")))
		}
	}
}

// goals prints why the current step is not done yet, each reason once,
// unless the same reasons were printed last; it reports whether the step
// has any reason left.
func (p *player) goals() bool {
	var seen []string
	for _, g := range p.e.Goals() {
		if !g.Met && g.Reason != "" && !slices.Contains(seen, g.Reason) {
			seen = append(seen, g.Reason)
		}
	}
	// A step that can no longer be met says so, with the way out.
	if why := p.e.Stuck(); why != "" {
		seen = append(seen, why+" (:reset)")
	}
	all := strings.Join(seen, "\n")
	if all != p.reasons {
		for _, r := range seen {
			fmt.Fprintln(p.out, "  ·", r)
		}
	}
	p.reasons = all
	return len(seen) > 0
}

// showStep prints the explanation of steps just done, asks their
// questions, and prints the new current step.
func (p *player) showStep() {
	pr := p.e.Progress()
	cur := pr.Step
	if pr.Finished {
		cur = len(p.l.Steps)
	}
	for p.explained < cur && len(p.ask) == 0 {
		i := p.explained
		p.explained++
		p.reasons = ""
		if !pr.Steps[i].Done {
			// :next passed it by: nothing was done to explain.
			fmt.Fprintln(p.out, p.t("skipped", i+1))
			continue
		}
		msg := p.t("done", i+1)
		if ex := p.l.Steps[i].Explanation.In(p.lang); ex != "" {
			msg += " " + plain(ex)
		}
		fmt.Fprintln(p.out, msg)
		p.queueQuestions(i)
	}
	if len(p.ask) > 0 || cur >= len(p.l.Steps) || p.printed == cur {
		return
	}
	// What the fixture does as the step starts (another client, a
	// delivery) is done before the learner reads the step.
	p.e.Settle()
	st := &p.l.Steps[cur]
	fmt.Fprintf(p.out, "\n%s\n%s\n", p.t("step", cur+1, len(p.l.Steps)), plain(st.Text.In(p.lang)))
	p.printed = cur
	if len(st.Goals) == 0 {
		p.queueQuestions(cur)
	}
}

func (p *player) queueQuestions(i int) {
	for k := range p.l.Steps[i].Questions {
		if !p.e.Progress().Steps[i].Answers[k] {
			p.ask = append(p.ask, i*1000+k)
		}
	}
	p.askNext()
}

func (p *player) question() (int, int, *lesson.Question) {
	step, k := p.ask[0]/1000, p.ask[0]%1000
	return step, k, &p.l.Steps[step].Questions[k]
}

func (p *player) askNext() {
	if len(p.ask) == 0 {
		return
	}
	_, _, q := p.question()
	fmt.Fprintf(p.out, "? %s\n", plain(q.Text.In(p.lang)))
	for i, c := range q.Choices {
		fmt.Fprintf(p.out, "   %d) %s\n", i+1, plain(c.Text.In(p.lang)))
	}
	switch q.Kind {
	case "single":
		fmt.Fprintln(p.out, p.t("choose"))
	case "multiple":
		fmt.Fprintln(p.out, p.t("choose_many"))
	default:
		fmt.Fprintln(p.out, p.t("type_answer"))
	}
}

func (p *player) answer(line string) {
	step, k, q := p.question()
	switch strings.TrimSpace(line) {
	case ":skip":
		fmt.Fprintln(p.out, p.t("answer_is", p.keyOf(q)))
		p.explain(q, q.Key())
		if len(p.l.Steps[step].Goals) == 0 {
			// A step of questions only is passed by its answers: the one
			// shown counts, or the step could never be left.
			p.e.Answer(step, k, q.Key())
		}
		p.ask = p.ask[1:]
		p.askNext()
		return
	case "":
		return
	case ":hint", ":solution", ":goals", ":next", ":reset", ":explain":
		fmt.Fprintln(p.out, p.t("question_first"))
		return
	}
	a := lesson.Answer{Text: line}
	if q.Kind != "short" {
		for _, f := range strings.Fields(strings.ReplaceAll(line, ",", " ")) {
			if n, err := strconv.Atoi(f); err == nil {
				a.Choices = append(a.Choices, n-1)
			}
		}
	}
	ok, _, err := p.e.Answer(step, k, a)
	if err != nil {
		p.say("no_such_question")
		return
	}
	if !ok {
		fmt.Fprintln(p.out, p.t("not_quite"))
		p.explainChoices(q, a)
		return
	}
	fmt.Fprintln(p.out, p.t("correct"))
	p.explain(q, a)
	p.ask = p.ask[1:]
	p.askNext()
}

// explain prints a question's explanation after its answer a, and what
// the choices a picked explain of themselves.
func (p *player) explain(q *lesson.Question, a lesson.Answer) {
	p.explainChoices(q, a)
	if ex := q.Explanation.In(p.lang); ex != "" {
		fmt.Fprintln(p.out, "  "+plain(ex))
	}
}

// explainChoices prints the explanations of the choices in a.
func (p *player) explainChoices(q *lesson.Question, a lesson.Answer) {
	for _, c := range a.Choices {
		if c >= 0 && c < len(q.Choices) {
			if ex := q.Choices[c].Explanation.In(p.lang); ex != "" {
				fmt.Fprintf(p.out, "   %d) %s\n", c+1, plain(ex))
			}
		}
	}
}

// keyOf is the answer to q as the learner would type it.
func (p *player) keyOf(q *lesson.Question) string {
	a := q.Key()
	if q.Kind == "short" {
		return a.Text
	}
	var nums []string
	for _, c := range a.Choices {
		nums = append(nums, strconv.Itoa(c+1))
	}
	return strings.Join(nums, " ")
}

var (
	mdStrong = regexp.MustCompile(`\*\*([^*]+)\*\*`)
	mdEm     = regexp.MustCompile(`(^|[^*\w])\*([^*\s][^*]*)\*`)
	mdCode   = regexp.MustCompile("`([^`]+)`")
)

// plain renders a lesson's Markdown for a text terminal: emphasis marks
// and code backticks dropped, paragraphs and lists kept as lines.
func plain(md string) string {
	s := mdStrong.ReplaceAllString(md, "$1")
	s = mdEm.ReplaceAllString(s, "$1$2")
	s = mdCode.ReplaceAllString(s, "$1")
	s = strings.ReplaceAll(s, "```", "")
	return strings.TrimRight(s, "\n")
}

// lockedWriter lets the sessions' output and the lab's messages share one
// terminal.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}
