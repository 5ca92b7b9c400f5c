package lesson

import (
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"maillab/sim/catalog"
	"maillab/sim/fsm"
	"maillab/sim/mailpath"
	"maillab/sim/mailstore"
	"maillab/sim/pop3"
	"maillab/sim/proto"
	psession "maillab/sim/session"
	"maillab/sim/smtp"
)

// Languages the lab speaks: those its catalogues are written in (package
// catalog), English first. A lesson's texts may be in any of them.
var Languages = catalog.Languages()

var idRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`) })

// ValidID reports whether id can name a lesson: lower-case letters,
// digits and dashes, as links and saved progress use it.
func ValidID(id string) bool { return idRE().MatchString(id) }

// validator collects semantic errors with their YAML paths.
type validator struct {
	l    *Lesson
	m    *fsm.Machine
	errs Errors
}

func (v *validator) add(p, format string, args ...any) {
	v.errs = append(v.errs, v.l.errAt(p, format, args...))
}

func indexPath(p string, i int) string { return fmt.Sprintf("%s[%d]", p, i) }

func (l *Lesson) validate() Errors {
	v := &validator{l: l}
	if !idRE().MatchString(l.ID) {
		v.add("$.id", "id %q must be lower-case letters, digits and dashes", l.ID)
	}
	v.m = proto.Machine(l.Protocol)
	if v.m == nil {
		v.add("$.protocol", "protocol %q is not one of %s", l.Protocol, strings.Join(proto.Names(), ", "))
	}
	if l.Level < 1 {
		v.add("$.level", "level must be 1 or more")
	}
	v.text("$.title", l.Title, true)
	v.text("$.summary", l.Summary, false)
	for i, id := range l.Prerequisites {
		if id == l.ID {
			v.add(indexPath("$.prerequisites", i), "a lesson cannot be its own prerequisite")
		}
	}
	if l.Commands != nil && v.m != nil {
		for i, c := range l.Commands.Hide {
			if !v.m.Known(strings.ToUpper(c)) {
				v.add(indexPath("$.commands.hide", i), "%s has no command %q", l.Protocol, c)
			}
		}
	}
	v.fixture()
	if len(l.Steps) == 0 {
		v.add("$.steps", "a lesson needs at least one step")
	}
	for i := range l.Steps {
		v.step(indexPath("$.steps", i), &l.Steps[i])
	}
	return v.errs
}

// text checks a translated text: known languages only, and every language
// the title is written in, so no part of a lesson is left untranslated.
// Which languages a lesson offers is the author's choice; the shipped
// lessons' rule (en and ru always, sk for POP3) is checked by their tests.
func (v *validator) text(p string, t Text, required bool) {
	if t == nil {
		if required {
			v.add(p, "missing text")
		}
		return
	}
	for k, s := range t {
		if !slices.Contains(Languages, k) {
			v.add(p+"."+k, "unknown language %q (use %s)", k, strings.Join(Languages, ", "))
		} else if strings.TrimSpace(s) == "" {
			v.add(p+"."+k, "the %q text is empty: write it, or leave the language out", k)
		}
	}
	if p == "$.title" {
		if len(t.Languages()) == 0 {
			v.add(p, "the title needs a text in at least one of %s", strings.Join(Languages, ", "))
		}
		return
	}
	for _, k := range v.l.Title.Languages() {
		if strings.TrimSpace(t[k]) == "" {
			v.add(p, "missing %q text (the title is written in %s)", k, strings.Join(v.l.Title.Languages(), ", "))
		}
	}
}

// mailGoal checks a mail goal: something to test, on a lesson that has
// a mail path.
func (v *validator) mailGoal(p string, g *MailGoal) {
	if len(v.l.Fixture.Domains) == 0 {
		v.add(p, "a mail goal needs the mail path: fixture.domains")
	}
	if *g == (MailGoal{}) {
		v.add(p, "a mail goal needs at least one of queued, bounced, via, delivered, host")
	}
	if g.Received != 0 && g.Delivered == "" {
		v.add(p+".received", "received counts the Received: lines of the copy delivered: give delivered too")
	}
	if (g.Code != 0 || g.Command != "") && g.Host == "" {
		v.add(p+".host", "code and command are a hop's: give the host that answered")
	}
	if g.Code != 0 && (g.Code < 200 || g.Code > 599) {
		v.add(p+".code", "a reply code is 200 to 599")
	}
	for _, a := range []struct{ key, addr string }{{"bounced", g.Bounced}, {"delivered", g.Delivered}} {
		if a.addr != "" && !strings.Contains(a.addr, "@") {
			v.add(p+"."+a.key, "%q: give the address, user@domain", a.addr)
		}
	}
}

// topology checks the mail path's keys: what labserver checks of a
// -topology file, and that every user of a domain is a fixture account.
func (v *validator) topology(users map[string]bool) {
	t := &v.l.Fixture.Topology
	if len(t.Domains) == 0 {
		if len(t.Hosts) > 0 || len(t.Faults) > 0 || t.Queue != (mailpath.Queue{}) {
			v.add("$.fixture.domains", "hosts, faults and queue belong to the mail path: give its domains")
		}
		return
	}
	if err := t.Check(nil); err != nil {
		v.add("$.fixture.domains", "%v", err)
	}
	for i, d := range t.Domains {
		for _, u := range d.Users {
			if !users[u] {
				v.add(indexPath("$.fixture.domains", i)+".users", "user %q is not a fixture account", u)
			}
		}
	}
}

func (v *validator) fixture() {
	f := &v.l.Fixture
	if len(f.Accounts) == 0 && f.Maildir == "" {
		v.add("$.fixture", "the fixture needs accounts or a maildir")
	}
	if f.Maildir != "" {
		v.maildir("$.fixture.maildir", f.Maildir)
	}
	if f.Aliases != "" {
		if _, err := smtp.ParseAliases(strings.NewReader(f.Aliases)); err != nil {
			v.add("$.fixture.aliases", "aliases: %v", err)
		}
	}
	users := v.l.maildirUsers()
	v.topology(users)
	inline := map[string]bool{}
	for i, a := range f.Accounts {
		p := indexPath("$.fixture.accounts", i)
		if !mailstore.ValidUserName(a.User) {
			v.add(p+".user", "user name %q is not valid", a.User)
		}
		if inline[a.User] {
			v.add(p+".user", "user %q is declared twice", a.User)
		}
		if a.Password == "" {
			v.add(p+".password", "user %q needs a password: a client cannot log in with an empty one", a.User)
		}
		inline[a.User] = true
		v.messages(p+".messages", a.Messages)
		v.uids(p+".messages", a.Messages)
		for j, fo := range a.Mailboxes {
			q := indexPath(p+".mailboxes", j)
			if _, err := mailstore.CanonicalName(fo.Name); err != nil {
				v.add(q+".name", "mailbox name %q: %v", fo.Name, err)
			}
			v.messages(q+".messages", fo.Messages)
			v.uids(q+".messages", fo.Messages)
		}
	}
	if f.POP3UIDLFormat != "" {
		if _, err := pop3.ParseUIDLFormat(f.POP3UIDLFormat); err != nil {
			v.add("$.fixture.pop3_uidl_format", "%v", err)
		}
	}
	if f.APOPTimestamp != "" {
		if err := pop3.CheckTimestamp(f.APOPTimestamp); err != nil {
			v.add("$.fixture.apop_timestamp", "APOP timestamp %q: %v (RFC 1939 section 7)", f.APOPTimestamp, err)
		}
	}
	if f.Clock != "" {
		if _, err := time.Parse(time.RFC3339, f.Clock); err != nil {
			v.add("$.fixture.clock", "clock must be RFC 3339, e.g. 2024-03-01T10:00:00Z")
		}
	}
	if f.Autologout != "" {
		if d, err := time.ParseDuration(f.Autologout); err != nil || d < 2*time.Second || d > 30*time.Minute {
			v.add("$.fixture.autologout", "autologout %q: a duration from 2s to 30m, e.g. 20s", f.Autologout)
		}
	}
	names := map[string]bool{"main": true}
	for i, s := range f.Sessions {
		p := indexPath("$.fixture.sessions", i)
		if s.Name == "" || s.Name == "main" {
			v.add(p+".name", "a session needs a name other than main")
		}
		names[s.Name] = true
		if s.Protocol != "" && proto.Machine(s.Protocol) == nil {
			v.add(p+".protocol", "protocol %q is not one of pop3, imap", s.Protocol)
		}
		v.atStep(p+".at_step", s.AtStep)
		if len(s.Script) == 0 {
			v.add(p+".script", "a session needs a script")
		}
	}
	for i, name := range f.Submission {
		p := indexPath("$.fixture.submission", i)
		if v.l.Protocol != "smtp" {
			v.add(p, "submission is for SMTP lessons")
		}
		if !v.sessionName(name) {
			v.add(p, "session %q is not opened by any solution (:connect NAME)", name)
		}
	}
	for i, g := range f.Greetings {
		p := indexPath("$.fixture.greetings", i)
		if v.l.Protocol != "imap" {
			v.add(p, "greetings are for IMAP lessons")
		}
		if (g.Preauth == "") == (g.Reject == "") {
			v.add(p, "a greeting needs either preauth or reject")
		}
		if g.Preauth != "" && !users[g.Preauth] {
			v.add(p+".preauth", "user %q is not a fixture account", g.Preauth)
		}
		if !v.sessionName(g.Session) {
			v.add(p+".session", "session %q is not opened by any solution (:connect NAME)", g.Session)
		}
	}
	for i, d := range f.Deliveries {
		p := indexPath("$.fixture.deliveries", i)
		v.atStep(p+".at_step", d.AtStep)
		if !users[d.User] {
			v.add(p+".user", "user %q is not a fixture account", d.User)
		}
		v.message(p+".message", d.Message)
		if d.Message.UID != 0 {
			v.add(p+".message.uid", "a delivered message gets the mailbox's next UID")
		}
	}
}

func (v *validator) atStep(p string, n int) {
	if n < 1 || n > len(v.l.Steps) {
		v.add(p, "at_step must be a step number from 1 to %d", len(v.l.Steps))
	}
}

func (v *validator) maildir(p, rel string) {
	dir, ok := v.l.resolve(rel)
	if !ok {
		v.add(p, "maildir %q must be a relative path inside the lesson's folder", rel)
		return
	}
	if v.l.fsys == nil {
		return
	}
	if st, err := fs.Stat(v.l.fsys, dir); err != nil || !st.IsDir() {
		v.add(p, "maildir %q is not a folder", rel)
	}
}

func (v *validator) messages(p string, ms []Message) {
	for i, m := range ms {
		v.message(indexPath(p, i), m)
	}
}

// uids checks that pinned UIDs ascend, as a mailbox gives them.
func (v *validator) uids(p string, ms []Message) {
	var last uint32
	for i, m := range ms {
		if m.UID != 0 && m.UID <= last {
			v.add(indexPath(p, i)+".uid", "UID %d: UIDs ascend, and the message before has %d", m.UID, last)
		}
		if m.UID != 0 {
			last = m.UID
		} else {
			last++
		}
	}
}

func (v *validator) message(p string, m Message) {
	short := m.From != "" || m.To != "" || m.Subject != "" || m.Body != ""
	if m.Raw != "" && (short || m.Date != "") {
		v.add(p, "a message is either raw text or from/to/subject/date/body, not both")
	}
	if m.Raw == "" && !short {
		v.add(p, "a message needs raw text, or at least one of from, to, subject, body")
	}
	if m.Raw != "" && !strings.Contains(string(mailstore.ToLF(mailstore.ToCRLF([]byte(m.Raw)))), "\n\n") {
		v.add(p+".raw", "raw message has no blank line between header and body")
	}
	for i, f := range m.Flags {
		if strings.EqualFold(f, mailstore.FlagRecent) {
			v.add(indexPath(p+".flags", i), `\Recent is not a flag a client sets: the server gives it to the first session that sees a new message; write "recent: false" for a message seen before`)
		}
	}
	if m.Date != "" {
		if _, err := parseDate(m.Date); err != nil {
			v.add(p+".date", "date %q: %v", m.Date, err)
		}
	}
}

func (v *validator) step(p string, s *Step) {
	v.text(p+".text", s.Text, true)
	for i, h := range s.Hints {
		v.text(indexPath(p+".hints", i), h, true)
	}
	v.text(p+".explanation", s.Explanation, false)
	if len(s.Goals) == 0 && len(s.Questions) == 0 {
		v.add(p, "a step needs goals or questions")
	}
	for i := range s.Goals {
		v.goal(indexPath(p+".goals", i), &s.Goals[i])
	}
	for i := range s.Questions {
		v.question(indexPath(p+".questions", i), &s.Questions[i])
	}
	if len(s.Goals) > 0 && len(s.Solution) == 0 {
		v.add(p, "a step with goals needs a solution: the client lines that reach them")
	}
	for i, line := range s.Solution {
		if strings.HasPrefix(line, ":") {
			if verb, _, _, err := parseAction(line); err != nil {
				v.add(indexPath(p+".solution", i), "%v", err)
			} else if (verb == "wait" || verb == "mailq") && len(v.l.Fixture.Domains) == 0 {
				v.add(indexPath(p+".solution", i), ":%s needs the mail path's queue: give fixture.domains", verb)
			}
		}
	}
}

// kinds lists the kind fields a goal has set.
func (g *Goal) kinds() []string {
	var k []string
	add := func(set bool, name string) {
		if set {
			k = append(k, name)
		}
	}
	add(g.State != "", "state")
	add(g.Transition != "", "transition")
	add(g.Command != nil, "command")
	add(g.Response != nil, "response")
	add(g.Deleted != nil, "deleted")
	add(g.Flagged != nil, "flagged")
	add(g.Present != nil, "present")
	add(g.Mailbox != nil, "mailbox")
	add(g.Count != nil, "count")
	add(g.Closed != nil, "closed")
	add(g.Mail != nil, "mail")
	add(g.AllOf != nil, "all_of")
	add(g.AnyOf != nil, "any_of")
	return k
}

func (v *validator) goal(p string, g *Goal) {
	k := g.kinds()
	if len(k) != 1 {
		v.add(p, "a goal needs exactly one of state, transition, command, response, deleted, flagged, present, mailbox, count, closed, mail, all_of, any_of (found %d)", len(k))
		return
	}
	if g.Session != "" && !v.sessionName(g.Session) {
		v.add(p+".session", "session %q is not opened by any solution (:connect NAME)", g.Session)
	}
	pname := v.l.Protocol
	if g.Session != "" {
		pname = v.sessionProto(g.Session)
	}
	m := proto.Machine(pname)
	switch k[0] {
	case "state":
		if m != nil && !hasState(m, g.State) {
			v.add(p+".state", "%s has no state %q (states: %s)", pname, g.State, stateNames(m))
		}
	case "transition":
		if m != nil && !hasTransition(m, g.Transition) {
			v.add(p+".transition", "%s has no transition %q (transitions: %s)", pname, g.Transition, transitionIDs(m))
		}
	case "command":
		v.verb(p+".command.verb", pname, g.Command.Verb)
		v.regex(p+".command.args", g.Command.Args)
	case "response":
		r := g.Response
		if r.Command != "" {
			v.verb(p+".response.command", pname, r.Command)
		}
		if r.Status != "" && !statusOf(pname, r.Status) {
			v.add(p+".response.status", "status %q is not one %s answers with (%s)", r.Status, pname, statusesOf(pname))
		}
		v.regex(p+".response.code", r.Code)
		v.regex(p+".response.match", r.Match)
	case "deleted":
		v.ref(p+".deleted", *g.Deleted)
	case "present":
		v.ref(p+".present", *g.Present)
	case "flagged":
		v.ref(p+".flagged", g.Flagged.MessageRef)
		if g.Flagged.Flag == "" {
			v.add(p+".flagged.flag", "flag is required, e.g. \\Seen")
		}
	case "mailbox":
		v.user(p+".mailbox.user", g.Mailbox.User)
		if _, err := mailstore.CanonicalName(g.Mailbox.Name); err != nil {
			v.add(p+".mailbox.name", "mailbox name %q: %v", g.Mailbox.Name, err)
		}
	case "count":
		v.user(p+".count.user", g.Count.User)
		if g.Count.Messages < 0 {
			v.add(p+".count.messages", "a count cannot be negative")
		}
	case "mail":
		v.mailGoal(p+".mail", g.Mail)
	case "closed":
		if b := psession.End(g.Closed.By); b != "" && !slices.Contains([]psession.End{psession.Quit, psession.Logout, psession.Drop, psession.Timeout}, b) {
			v.add(p+".closed.by", "closed by %q: use quit, logout, drop or timeout", b)
		}
	case "all_of", "any_of":
		sub, key := g.AllOf, ".all_of"
		if k[0] == "any_of" {
			sub, key = g.AnyOf, ".any_of"
		}
		if len(sub) == 0 {
			v.add(p+key, "%s needs at least one goal", k[0])
		}
		for i := range sub {
			v.goal(indexPath(p+key, i), &sub[i])
		}
	}
}

func (v *validator) sessionName(name string) bool {
	if name == "main" {
		return true
	}
	for _, s := range v.l.Steps {
		for _, line := range s.Solution {
			if a, arg, _, err := parseAction(line); err == nil && a == "connect" && arg == name {
				return true
			}
		}
	}
	return false
}

// sessionProto is the protocol session name speaks: the one its :connect
// names, or the lesson's.
func (v *validator) sessionProto(name string) string {
	for _, s := range v.l.Steps {
		for _, line := range s.Solution {
			if a, arg, p, err := parseAction(line); err == nil && a == "connect" && arg == name && p != "" {
				return p
			}
		}
	}
	return v.l.Protocol
}

func (v *validator) verb(p, pname, verb string) {
	m := proto.Machine(pname)
	if m == nil {
		return
	}
	verb = strings.Join(strings.Fields(strings.ToUpper(verb)), " ")
	if !m.Known(verb) {
		v.add(p, "%s has no command %q", pname, verb)
	}
}

func (v *validator) regex(p, re string) {
	if re == "" {
		return
	}
	if _, err := regexp.Compile(re); err != nil {
		v.add(p, "bad regular expression: %v", err)
	}
}

func (v *validator) user(p, name string) {
	if name == "" {
		return
	}
	if v.l.maildirUsers()[name] {
		return
	}
	v.add(p, "user %q is not a fixture account", name)
}

func (v *validator) ref(p string, r MessageRef) {
	v.user(p+".user", r.User)
	if r.UID == 0 && r.Subject == "" {
		v.add(p, "name the message by uid or subject")
	}
	if r.Mailbox != "" {
		if _, err := mailstore.CanonicalName(r.Mailbox); err != nil {
			v.add(p+".mailbox", "mailbox name %q: %v", r.Mailbox, err)
		}
	}
}

func (v *validator) question(p string, q *Question) {
	v.text(p+".text", q.Text, true)
	v.text(p+".explanation", q.Explanation, false)
	correct := 0
	for i, c := range q.Choices {
		v.text(indexPath(p+".choices", i)+".text", c.Text, true)
		v.text(indexPath(p+".choices", i)+".explanation", c.Explanation, false)
		if c.Correct {
			correct++
		}
	}
	switch q.Kind {
	case "single":
		if correct != 1 || len(q.Choices) < 2 {
			v.add(p, "a single-choice question needs two or more choices, exactly one correct")
		}
	case "multiple":
		if correct < 1 || len(q.Choices) < 2 {
			v.add(p, "a multiple-choice question needs two or more choices, at least one correct")
		}
	case "short":
		if len(q.Answers) == 0 {
			v.add(p, "a short-answer question needs answers: the accepted answers, the first of them the one labctl check gives (a pattern may accept more)")
		}
		for i, a := range q.Answers {
			if strings.TrimSpace(a) == "" {
				v.add(indexPath(p+".answers", i), "an answer cannot be empty")
			}
		}
		if len(q.Choices) > 0 {
			v.add(p+".choices", "a short-answer question has no choices")
		}
		v.regex(p+".pattern", q.Pattern)

	default:
		v.add(p+".kind", "question kind %q is not one of single, multiple, short", q.Kind)
	}
}

func hasState(m *fsm.Machine, s string) bool {
	for _, st := range m.States {
		if string(st.Name) == s {
			return true
		}
	}
	return false
}

func stateNames(m *fsm.Machine) string {
	var out []string
	for _, st := range m.States {
		out = append(out, string(st.Name))
	}
	return strings.Join(out, ", ")
}

func hasTransition(m *fsm.Machine, id string) bool {
	for _, t := range m.Transitions {
		if t.ID == id {
			return true
		}
	}
	return false
}

func transitionIDs(m *fsm.Machine) string {
	var out []string
	for _, t := range m.Transitions {
		if !slices.Contains(out, t.ID) {
			out = append(out, t.ID)
		}
	}
	return strings.Join(out, ", ")
}

// statusOf reports whether a response of the protocol named proto can
// start with status.
func statusOf(name, status string) bool {
	p, ok := proto.Get(name)
	if !ok {
		return false
	}
	if slices.Contains(p.Statuses, status) {
		return true
	}
	return p.StatusPattern != "" && regexp.MustCompile(p.StatusPattern).MatchString(status)
}

// statusesOf names what statusOf accepts, for the error text.
func statusesOf(name string) string {
	p, ok := proto.Get(name)
	if !ok {
		return ""
	}
	out := strings.Join(p.Statuses, ", ")
	if p.StatusPattern != "" {
		if out != "" {
			out += ", "
		}
		out += "a three-digit reply code such as 250 or 550"
	}
	return out
}
