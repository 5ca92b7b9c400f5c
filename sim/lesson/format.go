// Package lesson reads lessons written by instructors in YAML and plays them
// against the real simulator sessions. A lesson's goals are predicates over
// the sessions' event stream and the mail store; nothing here reads the text
// a terminal shows.
package lesson

import (
	"io/fs"
	"strings"

	"maillab/sim/mailpath"
)

// Text is one text in several languages, keyed by language code ("en",
// "ru", ...: Languages).
type Text map[string]string

// In returns t in lang, falling back to English, then to the first
// language it has.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	if s := t["en"]; s != "" {
		return s
	}
	for _, k := range Languages {
		if s := t[k]; s != "" {
			return s
		}
	}
	return ""
}

// Languages lists the known languages t has a text in, in Languages order.
func (t Text) Languages() []string {
	var out []string
	for _, k := range Languages {
		if strings.TrimSpace(t[k]) != "" {
			out = append(out, k)
		}
	}
	return out
}

// Lesson is one lesson file.
type Lesson struct {
	ID            string    `yaml:"id" json:"id"`
	Title         Text      `yaml:"title" json:"title"`
	Summary       Text      `yaml:"summary,omitempty" json:"summary,omitempty"`
	Protocol      string    `yaml:"protocol" json:"protocol"`
	Level         int       `yaml:"level" json:"level"`
	Prerequisites []string  `yaml:"prerequisites,omitempty" json:"prerequisites,omitempty"`
	Commands      *Commands `yaml:"commands,omitempty" json:"commands,omitempty"`
	Fixture       Fixture   `yaml:"fixture" json:"fixture"`
	Steps         []Step    `yaml:"steps" json:"steps"`

	// File is where the lesson was read from, for error messages.
	File string `yaml:"-" json:"file,omitempty"`
	// Source is the YAML text the lesson was read from.
	Source string `yaml:"-" json:"-"`
	pos    locator
	fsys   fs.FS
}

// Commands restricts what a learner may send in this lesson: hidden
// commands are answered as not available here (e.g. APOP before the APOP
// lesson).
type Commands struct {
	Hide []string `yaml:"hide,omitempty" json:"hide,omitempty"`
}

// Fixture is the mail store and the sessions a lesson starts from.
type Fixture struct {
	// Maildir is a Maildir++ tree (with its passwd file of accounts),
	// relative to the lesson file and inside its folder, loaded first.
	Maildir  string    `yaml:"maildir,omitempty" json:"maildir,omitempty"`
	Accounts []Account `yaml:"accounts,omitempty" json:"accounts,omitempty"`
	// APOPTimestamp pins the POP3 greeting's timestamp so a digest can be
	// computed in advance, as in RFC 1939 section 7.
	APOPTimestamp string `yaml:"apop_timestamp,omitempty" json:"apop_timestamp,omitempty"`
	// POP3UIDLFormat makes UIDL's unique-ids as Dovecot's
	// pop3_uidl_format does, e.g. "%xv%08xu" for the lecture's server.
	POP3UIDLFormat string `yaml:"pop3_uidl_format,omitempty" json:"pop3_uidl_format,omitempty"`
	// Clock pins the store's clock (RFC 3339), so UIDVALIDITY and internal
	// dates are the same on every run.
	Clock string `yaml:"clock,omitempty" json:"clock,omitempty"`
	// Autologout logs an idle session out after this long (a Go duration,
	// e.g. "20s"), to show what an autologout does; default: the
	// protocol's own (10 minutes for POP3, 30 for IMAP).
	Autologout string `yaml:"autologout,omitempty" json:"autologout,omitempty"`
	// Aliases are the mail domains' aliases and lists in the form of
	// /etc/aliases ("class: melanie, alex"), for SMTP's RCPT, VRFY and
	// EXPN; they replace those of a Maildir fixture.
	Aliases string `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	// Hostname is the server's name in greetings; default "localhost".
	Hostname string `yaml:"hostname,omitempty" json:"hostname,omitempty"`
	// Greetings change how the IMAP server greets a named learner
	// session, to show transitions (2) PREAUTH and (3) BYE.
	Greetings []Greeting `yaml:"greetings,omitempty" json:"greetings,omitempty"`
	// Submission names the learner sessions of an SMTP lesson that talk
	// to the MSA, the submission server of port 587 (RFC 6409: AUTH
	// required, then relaying), rather than to the MTA of port 25.
	Submission []string `yaml:"submission,omitempty" json:"submission,omitempty"`
	// Sessions are other clients acting during the lesson.
	Sessions []Actor `yaml:"sessions,omitempty" json:"sessions,omitempty"`
	// Deliveries are messages arriving while the lesson runs.
	Deliveries []Delivery `yaml:"deliveries,omitempty" json:"deliveries,omitempty"`
	// The mail path: domains (their users among the accounts, aliases,
	// MX records), hosts (A records, down), faults and queue times, the
	// keys of labserver's -topology file. With domains, the learner's
	// SMTP session is the submission server (MSA) of the first domain,
	// and mail for the others travels the simulated path.
	mailpath.Topology `yaml:",inline"`
}

// Account is one user of the fixture store.
type Account struct {
	User     string    `yaml:"user" json:"user"`
	Password string    `yaml:"password" json:"password"`
	Messages []Message `yaml:"messages,omitempty" json:"messages,omitempty"` // INBOX
	// UIDValidity pins INBOX's UIDVALIDITY (default: from the clock).
	UIDValidity uint32   `yaml:"uidvalidity,omitempty" json:"uidvalidity,omitempty"`
	Mailboxes   []Folder `yaml:"mailboxes,omitempty" json:"mailboxes,omitempty"`
	// Quota limits what all the account's mailboxes hold together, as
	// labserver -quota does (RFC 9208).
	Quota *Quota `yaml:"quota,omitempty" json:"quota,omitempty"`
}

// Quota is an account's quota: storage in octets, a number of messages;
// a missing or zero one sets no limit.
type Quota struct {
	Storage  int `yaml:"storage,omitempty" json:"storage,omitempty"`
	Messages int `yaml:"messages,omitempty" json:"messages,omitempty"`
}

// Folder is a mailbox other than INBOX (or INBOX's subscription state).
type Folder struct {
	Name         string    `yaml:"name" json:"name"`
	Unsubscribed bool      `yaml:"unsubscribed,omitempty" json:"unsubscribed,omitempty"`
	UIDValidity  uint32    `yaml:"uidvalidity,omitempty" json:"uidvalidity,omitempty"`
	Messages     []Message `yaml:"messages,omitempty" json:"messages,omitempty"`
}

// Message is a fixture message: raw RFC 5322 text, or the short form.
type Message struct {
	Raw     string   `yaml:"raw,omitempty" json:"raw,omitempty"`
	From    string   `yaml:"from,omitempty" json:"from,omitempty"`
	To      string   `yaml:"to,omitempty" json:"to,omitempty"`
	Subject string   `yaml:"subject,omitempty" json:"subject,omitempty"`
	Date    string   `yaml:"date,omitempty" json:"date,omitempty"`
	Body    string   `yaml:"body,omitempty" json:"body,omitempty"`
	Flags   []string `yaml:"flags,omitempty" json:"flags,omitempty"`
	// UID pins the message's UID; UIDs ascend, and a message without one
	// gets the next after the one before it.
	UID uint32 `yaml:"uid,omitempty" json:"uid,omitempty"`
	// Recent false makes the message one the user has seen in an earlier
	// session: no session is given \Recent for it. Fixture messages are
	// recent otherwise, as newly delivered mail is.
	Recent *bool `yaml:"recent,omitempty" json:"recent,omitempty"`
}

// Actor is another client: it connects at the start of a step and sends
// its script, one line per response, e.g. to hold the POP3 lock.
type Actor struct {
	Name     string   `yaml:"name" json:"name"`
	Protocol string   `yaml:"protocol,omitempty" json:"protocol,omitempty"` // default: the lesson's
	AtStep   int      `yaml:"at_step" json:"at_step"`                       // 1-based
	Script   []string `yaml:"script" json:"script"`
}

// Greeting makes the IMAP server greet session Session with PREAUTH as
// user Preauth (transition 2), or reject it with BYE and the text Reject
// (transition 3).
type Greeting struct {
	Session string `yaml:"session" json:"session"`
	Preauth string `yaml:"preauth,omitempty" json:"preauth,omitempty"`
	Reject  string `yaml:"reject,omitempty" json:"reject,omitempty"`
}

// Delivery is a message delivered to a user's INBOX when a step starts.
type Delivery struct {
	AtStep  int     `yaml:"at_step" json:"at_step"`
	User    string  `yaml:"user" json:"user"`
	Message Message `yaml:"message" json:"message"`
}

// Step is one task of a lesson.
type Step struct {
	Text        Text       `yaml:"text" json:"text"`
	Goals       []Goal     `yaml:"goals,omitempty" json:"goals,omitempty"`
	Hints       []Text     `yaml:"hints,omitempty" json:"hints,omitempty"`
	Explanation Text       `yaml:"explanation,omitempty" json:"explanation,omitempty"`
	Questions   []Question `yaml:"questions,omitempty" json:"questions,omitempty"`
	// Solution is the reference solution: the client lines to send, in
	// order. Lines starting with ":" are lab actions: ":connect [NAME]",
	// ":drop [NAME]" (cut the connection without QUIT), ":use NAME", and
	// with the mail path ":wait DURATION" and ":mailq".
	Solution []string `yaml:"solution,omitempty" json:"solution,omitempty"`
}

// Goal is one check. Exactly one kind field is set; all goals of a step
// must hold for the step to be done.
type Goal struct {
	// Session restricts event goals to one learner session name; empty
	// means any of the learner's sessions.
	Session string `yaml:"session,omitempty" json:"session,omitempty"`

	State      string        `yaml:"state,omitempty" json:"state,omitempty"`           // state reached
	Transition string        `yaml:"transition,omitempty" json:"transition,omitempty"` // transition taken, by id
	Command    *CommandGoal  `yaml:"command,omitempty" json:"command,omitempty"`
	Response   *ResponseGoal `yaml:"response,omitempty" json:"response,omitempty"`
	Deleted    *MessageRef   `yaml:"deleted,omitempty" json:"deleted,omitempty"`
	Flagged    *FlagGoal     `yaml:"flagged,omitempty" json:"flagged,omitempty"`
	Present    *MessageRef   `yaml:"present,omitempty" json:"present,omitempty"`
	Mailbox    *MailboxGoal  `yaml:"mailbox,omitempty" json:"mailbox,omitempty"`
	Count      *CountGoal    `yaml:"count,omitempty" json:"count,omitempty"`
	Closed     *ClosedGoal   `yaml:"closed,omitempty" json:"closed,omitempty"`
	Mail       *MailGoal     `yaml:"mail,omitempty" json:"mail,omitempty"`
	AllOf      []Goal        `yaml:"all_of,omitempty" json:"all_of,omitempty"`
	AnyOf      []Goal        `yaml:"any_of,omitempty" json:"any_of,omitempty"`
}

// MailGoal: something happened on the mail path during the step; every
// field given must hold.
type MailGoal struct {
	// Queued: a message was kept in the queue after a temporary failure.
	Queued bool `yaml:"queued,omitempty" json:"queued,omitempty"`
	// Bounced: the mail to this address failed for good.
	Bounced string `yaml:"bounced,omitempty" json:"bounced,omitempty"`
	// Via: an MTA of this host name accepted the message (relayed).
	Via string `yaml:"via,omitempty" json:"via,omitempty"`
	// Delivered: the delivery agent put a copy for this address
	// (user@domain) into its user's INBOX; with Received, that copy has
	// that many Received: lines.
	Delivered string `yaml:"delivered,omitempty" json:"delivered,omitempty"`
	Received  int    `yaml:"received,omitempty" json:"received,omitempty"`
	// Host answered Command (EHLO, RCPT, ".", CONNECT for the greeting;
	// any if empty) with the reply code Code in a hop.
	Host    string `yaml:"host,omitempty" json:"host,omitempty"`
	Command string `yaml:"command,omitempty" json:"command,omitempty"`
	Code    int    `yaml:"code,omitempty" json:"code,omitempty"`
}

// ClosedGoal: a learner session ended, by the given cause if By is set:
// "quit" (QUIT or LOGOUT), "drop" (the connection was cut), "timeout".
type ClosedGoal struct {
	By string `yaml:"by,omitempty" json:"by,omitempty"`
}

// CommandGoal: the learner sent Verb, with arguments matching Args.
type CommandGoal struct {
	Verb string `yaml:"verb" json:"verb"`
	Args string `yaml:"args,omitempty" json:"args,omitempty"` // regular expression over the text after the verb
}

// ResponseGoal: a server line answered Command (any command if empty) with
// the given status, response code and text.
type ResponseGoal struct {
	Command string `yaml:"command,omitempty" json:"command,omitempty"`
	Status  string `yaml:"status,omitempty" json:"status,omitempty"`
	Code    string `yaml:"code,omitempty" json:"code,omitempty"`   // regular expression over the code
	Match   string `yaml:"match,omitempty" json:"match,omitempty"` // regular expression over the line
}

// MessageRef names a message in the store: by UID (fixture messages get
// UIDs 1, 2, ... in order) or by subject.
type MessageRef struct {
	User    string `yaml:"user,omitempty" json:"user,omitempty"`       // default: the first account
	Mailbox string `yaml:"mailbox,omitempty" json:"mailbox,omitempty"` // default: INBOX
	UID     uint32 `yaml:"uid,omitempty" json:"uid,omitempty"`
	Subject string `yaml:"subject,omitempty" json:"subject,omitempty"`
}

// FlagGoal: the message has (or, with Absent, lacks) Flag.
type FlagGoal struct {
	MessageRef `yaml:",inline" json:",inline"`
	Flag       string `yaml:"flag" json:"flag"`
	Absent     bool   `yaml:"absent,omitempty" json:"absent,omitempty"`
}

// MailboxGoal: the mailbox exists (or, with Absent, does not), and with
// Subscribed set, is (or is not) subscribed.
type MailboxGoal struct {
	User       string `yaml:"user,omitempty" json:"user,omitempty"`
	Name       string `yaml:"name" json:"name"`
	Absent     bool   `yaml:"absent,omitempty" json:"absent,omitempty"`
	Subscribed *bool  `yaml:"subscribed,omitempty" json:"subscribed,omitempty"`
}

// CountGoal: the mailbox holds exactly Messages messages.
type CountGoal struct {
	User     string `yaml:"user,omitempty" json:"user,omitempty"`
	Mailbox  string `yaml:"mailbox,omitempty" json:"mailbox,omitempty"`
	Messages int    `yaml:"messages" json:"messages"`
}

// Question is a review question, as at the end of the lectures.
type Question struct {
	Kind        string   `yaml:"kind" json:"kind"` // single, multiple, short
	Text        Text     `yaml:"text" json:"text"`
	Choices     []Choice `yaml:"choices,omitempty" json:"choices,omitempty"`
	Answers     []string `yaml:"answers,omitempty" json:"answers,omitempty"` // short: accepted answers, compared case-insensitively
	Pattern     string   `yaml:"pattern,omitempty" json:"pattern,omitempty"` // short: accepted answers as a regular expression
	Explanation Text     `yaml:"explanation,omitempty" json:"explanation,omitempty"`
}

// Choice is one option of a choice question.
type Choice struct {
	Text    Text `yaml:"text" json:"text"`
	Correct bool `yaml:"correct,omitempty" json:"correct,omitempty"`
	// Explanation says why this choice is right or wrong, shown when it is
	// picked.
	Explanation Text `yaml:"explanation,omitempty" json:"explanation,omitempty"`
}
