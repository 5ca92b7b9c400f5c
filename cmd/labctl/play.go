package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"maillab/sim/lesson"
)

// runPlay plays a lesson in the terminal: lines typed go to the session,
// lines starting with ":" are lab commands.
func runPlay(args []string, in io.Reader, out io.Writer) error {
	fl := flag.NewFlagSet("play", flag.ContinueOnError)
	lang := fl.String("lang", "en", "language: en, ru or sk")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() != 1 {
		return errors.New("usage: labctl play [-lang en|ru|sk] FILE")
	}
	file := fl.Arg(0)
	l, err := lesson.LoadFS(os.DirFS(filepath.Dir(file)), filepath.Base(file))
	if err != nil {
		return err
	}
	changed := make(chan struct{}, 1)
	e, err := lesson.New(l, lesson.Options{Lang: *lang, OnChange: func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	}})
	if err != nil {
		return err
	}
	defer e.Close()
	p := &player{e: e, l: l, lang: *lang, out: &lockedWriter{w: out}, printed: -1}
	return p.loop(in, changed)
}

type player struct {
	e         *lesson.Engine
	l         *lesson.Lesson
	lang      string
	out       io.Writer
	printed   int   // the step whose text was printed last
	explained int   // steps whose explanation was printed
	ask       []int // questions to ask: step*1000 + question
}

const playHelp = `lab commands: :hint  :solution  :goals  :next  :connect [NAME]  :drop [NAME]  :use NAME  :quit`

func (p *player) loop(in io.Reader, changed <-chan struct{}) error {
	fmt.Fprintf(p.out, "== %s ==\n%s\n", p.l.Title.In(p.lang), playHelp)
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
			p.showStep()
		case line, ok := <-lines:
			if !ok || line == ":quit" {
				return nil
			}
			p.handle(line)
			p.showStep()
		}
		if p.e.Progress().Finished && len(p.ask) == 0 {
			fmt.Fprintln(p.out, "== lesson complete ==")
			return nil
		}
	}
}

func (p *player) connect(name string) {
	c, err := p.e.Connect(name)
	if err != nil {
		fmt.Fprintln(p.out, "lab:", err)
		return
	}
	go func() {
		io.Copy(p.out, c)
		fmt.Fprintf(p.out, "lab: connection %s closed\n", name)
	}()
	p.e.AwaitReply(name, 0)
}

func (p *player) handle(line string) {
	if len(p.ask) > 0 {
		p.answer(line)
		return
	}
	switch strings.Fields(line + " ")[0] {
	case ":hint":
		if h, ok := p.e.Hint(); ok {
			fmt.Fprintln(p.out, "hint:", h)
		} else {
			fmt.Fprintln(p.out, "lab: no more hints; :solution shows the answer")
		}
	case ":solution":
		fmt.Fprintln(p.out, "solution (type it yourself; showing it does not solve the step):")
		for _, s := range p.e.Solution() {
			fmt.Fprintln(p.out, "  ", s)
		}
	case ":goals":
		p.goals()
	case ":next":
		if err := p.e.GoTo(p.e.Progress().Step + 1); err != nil {
			fmt.Fprintln(p.out, "lab:", err)
		}
	case ":connect":
		f := strings.Fields(line)
		name := "main"
		if len(f) > 1 {
			name = f[1]
		}
		p.connect(name)
	default:
		if strings.HasPrefix(line, ":") {
			if err := p.e.Run(line); err != nil {
				fmt.Fprintln(p.out, "lab:", err)
			}
			return
		}
		if err := p.e.Send(p.e.Current(), line); err != nil {
			fmt.Fprintln(p.out, "lab:", err, "(:connect opens a new session)")
		}
		p.goals()
	}
}

// goals prints why the current step is not done yet.
func (p *player) goals() {
	for _, g := range p.e.Goals() {
		if !g.Met && g.Reason != "" {
			fmt.Fprintln(p.out, "  ·", g.Reason)
		}
	}
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
		if ex := p.l.Steps[i].Explanation.In(p.lang); ex != "" {
			fmt.Fprintf(p.out, "✓ step %d done. %s\n", i+1, ex)
		} else {
			fmt.Fprintf(p.out, "✓ step %d done.\n", i+1)
		}
		p.queueQuestions(i)
	}
	if len(p.ask) > 0 || cur >= len(p.l.Steps) || p.printed == cur {
		return
	}
	st := &p.l.Steps[cur]
	fmt.Fprintf(p.out, "\n-- step %d of %d --\n%s\n", cur+1, len(p.l.Steps), st.Text.In(p.lang))
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

func (p *player) askNext() {
	if len(p.ask) == 0 {
		return
	}
	q := &p.l.Steps[p.ask[0]/1000].Questions[p.ask[0]%1000]
	fmt.Fprintf(p.out, "? %s\n", q.Text.In(p.lang))
	for i, c := range q.Choices {
		fmt.Fprintf(p.out, "   %d) %s\n", i+1, c.Text.In(p.lang))
	}
	if q.Kind == "multiple" {
		fmt.Fprintln(p.out, "  (numbers separated by spaces)")
	}
}

func (p *player) answer(line string) {
	step, k := p.ask[0]/1000, p.ask[0]%1000
	q := &p.l.Steps[step].Questions[k]
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
		fmt.Fprintln(p.out, "lab:", err)
		return
	}
	if !ok {
		fmt.Fprintln(p.out, "  not quite; try again")
		return
	}
	fmt.Fprintln(p.out, "  correct.", q.Explanation.In(p.lang))
	p.ask = p.ask[1:]
	p.askNext()
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
