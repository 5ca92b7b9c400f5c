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

	"maillab/sim/catalog"
	"maillab/sim/lesson"
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
	e, err := lesson.New(l, lesson.Options{Lang: *lang, OnChange: func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	}})
	if err != nil {
		return err
	}
	p := &player{e: e, l: l, lang: *lang, out: &lockedWriter{w: out}, printed: -1}
	err = p.loop(in, changed)
	// Closing the sessions ends their output; wait for it, so that
	// nothing is written to out after play returns.
	e.Close()
	p.copying.Wait()
	return err
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
}

// playTexts are the player's own words, the catalogue "labctl" (package
// catalog).
var playTexts = catalog.Get("labctl")

// t is the player's text key in the lesson's language, formatted with
// args.
func (p *player) t(key string, args ...any) string { return playTexts.Text(p.lang, key, args...) }

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
			p.showStep()
		case line, ok := <-lines:
			if !ok || strings.TrimSpace(line) == ":quit" {
				return nil
			}
			p.handle(line)
			p.showStep()
		}
		if p.e.Progress().Finished && len(p.ask) == 0 {
			fmt.Fprintln(p.out, p.t("complete"))
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
	p.copying.Add(1)
	go func() {
		defer p.copying.Done()
		io.Copy(p.out, c)
		fmt.Fprintln(p.out, p.t("closed", name))
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
			fmt.Fprintln(p.out, p.t("hint"), plain(h))
		} else {
			fmt.Fprintln(p.out, p.t("no_hints"))
		}
	case ":solution":
		fmt.Fprintln(p.out, p.t("solution"))
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
		before := p.e.Progress()
		if err := p.e.Send(p.e.Current(), line); err != nil {
			fmt.Fprintln(p.out, "lab:", err, p.t("reconnect"))
		}
		// Say what is missing only while the learner is still on the
		// step the line was for: a step just done is announced instead.
		if after := p.e.Progress(); after.Step == before.Step && !after.Finished && !after.Steps[after.Step].Done {
			p.goals()
		}
	}
}

// goals prints why the current step is not done yet, each reason once.
func (p *player) goals() {
	var seen []string
	for _, g := range p.e.Goals() {
		if !g.Met && g.Reason != "" && !slices.Contains(seen, g.Reason) {
			seen = append(seen, g.Reason)
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
		fmt.Fprintln(p.out, p.t("answer_is", p.key(q)))
		p.explain(q)
		p.ask = p.ask[1:]
		p.askNext()
		return
	case ":hint", ":solution", ":goals", ":next":
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
		fmt.Fprintln(p.out, "lab:", err)
		return
	}
	if !ok {
		fmt.Fprintln(p.out, p.t("not_quite"))
		return
	}
	fmt.Fprintln(p.out, p.t("correct"))
	p.explain(q)
	p.ask = p.ask[1:]
	p.askNext()
}

func (p *player) explain(q *lesson.Question) {
	if ex := q.Explanation.In(p.lang); ex != "" {
		fmt.Fprintln(p.out, "  "+plain(ex))
	}
}

// key is the answer to q as the learner would type it.
func (p *player) key(q *lesson.Question) string {
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
