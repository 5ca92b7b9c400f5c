package imap

import (
	"encoding/base64"
	"io"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xdg-go/scram"

	"maillab/sim/catalog"
	"maillab/sim/event"
	"maillab/sim/mailstore"
	simsession "maillab/sim/session"
)

// explainAll drives sessions through every kind of response the server
// sends and returns their events, session after session.
func explainAll(t *testing.T, lang string) []event.Event {
	t.Helper()
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	fill(t, u, "INBOX", 11, `\Seen`)
	appendFile(t, u, "INBOX", "mixed.eml")
	appendFile(t, u, "INBOX", "rfc822.eml")
	appendFile(t, u, "INBOX", "emptyparts.eml")
	mb, _ := u.Mailbox("INBOX")
	if _, err := mb.Append([]byte("Subject: forwarded\r\nContent-Type: message/rfc822\r\n\r\n"+string(message("inner", "text"))), nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	tls := func(rw io.ReadWriter) (io.ReadWriter, error) { return rw, nil }
	var out []event.Event
	session := func(o Options, script func(c *conn)) {
		o.Store, o.Lang = st, lang
		c := dial(t, o)
		script(c)
		c.c.Close()
		out = append(out, c.wait()...)
	}
	plainAs := func(authz string) string {
		return base64.StdEncoding.EncodeToString([]byte(authz + "\x00melanie\x00toybox"))
	}
	var other *conn
	session(Options{StartTLS: tls}, func(c *conn) {
		c.expect("* OK ...")
		c.do("a1", "CAPABILITY")
		c.do("a2", `ID ("name" "test")`)
		c.do("a3", "LOGIN melanie wrong")
		c.send("")
		c.expect("* BAD ...")
		c.send("toybox")
		c.expect("* BAD ...")
		c.do("a3b", "FROBNICATE")
		c.do("a4", "SELECT INBOX")
		c.run(`
			C: a5 AUTHENTICATE PLAIN
			S: + ...
			C: *
			S: a5 BAD AUTHENTICATE cancelled
		`)
		c.do("a6", "AUTHENTICATE PLAIN "+plainAs("mrose"))
		c.do("a6b", "AUTHENTICATE PLAIN !!!")
		c.do("a6c", "AUTHENTICATE PLAIN "+base64.StdEncoding.EncodeToString([]byte("no separators")))
		c.do("a6d", "AUTHENTICATE DIGEST-MD5")
		c.send("a6e AUTHENTICATE PLAIN")
		c.expect("+ ...")
		c.send(strings.Repeat("A", maxLineLength+10))
		c.until("a6e")
		c.do("a6g", "ID nothing")
		c.do("a6h", `ID ("name" nothing)`)
		c.send("a7 NOOP " + strings.Repeat("x", maxLineLength))
		c.expect("a7 BAD ...")
		c.run(`
			C: a8 LOGIN {7}
			S: + Ready for literal data
			C: melanie toybox
			S: a8 OK ...
		`)
		for i, cmd := range []string{"ENABLE X-NONE", "NAMESPACE", `LIST "" ""`, "CREATE Sent", "CREATE Drafts", "CREATE Trash", "CREATE Junk", "CREATE Archive", "CREATE a/b",
			"CREATE &BBoEPgRABDcEOAQ9BDA-", `LIST "" *`, "SUBSCRIBE a/b", `LSUB "" *`, `LSUB "" %`, "CREATE inbox",
			`CREATE "a*b"`, "DELETE a", "SELECT a", "SELECT nosuch", "DELETE nosuch", "STATUS &BBoEPgRABDcEOAQ9BDA- (MESSAGES RECENT UNSEEN UIDNEXT UIDVALIDITY)",
			"APPEND nosuch {1+}\r\nx", `APPEND INBOX (\Draft) {5+}` + "\r\nhello", "SELECT INBOX",
			"FETCH 12 (UID RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE BODY.PEEK[1.MIME] BODY.PEEK[HEADER.FIELDS (FROM)]<0.10>)",
			"FETCH 13 (BODY BODYSTRUCTURE RFC822.HEADER)", "FETCH 14 (BODY.PEEK[2] BODY.PEEK[TEXT])", "FETCH 15 (FLAGS BODY[] RFC822 RFC822.TEXT)",
			"FETCH 1 (BODYSTRUCTURE BODY.PEEK[HEADER] BODY.PEEK[HEADER.FIELDS.NOT (TO)])", "FETCH 15 BODYSTRUCTURE",
			`STORE 1 +FLAGS ($Forwarded \Flagged)`, "SEARCH ALL", "UID SEARCH 1:3", "SEARCH CHARSET X-NONE ALL", "SEARCH SUBJECT \"a\xc3\"",
			"COPY 1:2 Sent", "MOVE 3 Sent", `STORE 4 +FLAGS.SILENT (\Deleted)`, "EXPUNGE", "EXAMINE INBOX", "STORE 1 +FLAGS (\\Seen)",
			"EXPUNGE", "MOVE 1 Sent", "SELECT INBOX",
			// Failures, each with its own explanation.
			"CREATE Sent", "CREATE a//b", "CREATE &Jjo", "DELETE a/", "DELETE INBOX", "RENAME Sent INBOX", "RENAME Junk Junk/below",
			"FROBNICATE", "UID FROBNICATE", "STATUS INBOX (SIZE)", "APPEND INBOX text", `STORE 1 +FLAGS (\Recent)`, "STORE 1 COLOUR (red)", "FETCH 99 FLAGS",
		} {
			c.do("b"+string(rune('a'+i%26))+string(rune('a'+i/26)), cmd)
		}
		// Another session changes the mailbox: NOOP tells, FETCH of a
		// message it expunged leaves it out, and COPY of one fails.
		other = login(t, st, "melanie", "toybox")
		other.do("o1", "SELECT INBOX")
		other.do("o2", `STORE 1 +FLAGS (\Answered)`)
		other.do("o3", `STORE 2 +FLAGS.SILENT (\Deleted)`)
		other.do("o4", "EXPUNGE")
		c.do("c1", "FETCH 2 FLAGS")
		c.do("c1b", "COPY 2 INBOX")
		c.do("c2", "NOOP")
		c.run(`
			C: c3 IDLE
			S: + idling
			C: DONE
			S: c3 OK IDLE terminated
			C: c3b IDLE
			S: + idling
			C: STOP
			S: c3b BAD ...
		`)
		c.do("c4", "CLOSE")
		c.do("c6", "EXAMINE INBOX")
		c.do("c7", "UNSELECT")
		// CONDSTORE and QRESYNC (RFC 7162), their responses and mistakes.
		v := strconv.FormatUint(uint64(mb.UIDValidity()), 10)
		for i, cmd := range []string{"SELECT INBOX (QRESYNC (" + v + " 1))", "ENABLE QRESYNC", "SELECT INBOX",
			"SELECT INBOX (QRESYNC (" + v + " 1 1:*))", `STORE 1 (UNCHANGEDSINCE 1) +FLAGS (\Seen)`, "STORE 1 +FLAGS.SILENT (\\Draft)",
			"STORE 2 +FLAGS.SILENT (\\Deleted)", "EXPUNGE", "STATUS INBOX (HIGHESTMODSEQ)", "SEARCH MODSEQ 1",
			"SELECT INBOX (FOO)", "SELECT INBOX (QRESYNC (1 0))", "SELECT INBOX (QRESYNC (1 1 1:5 (1:2 1:5)))", "FETCH 1 FLAGS (CHANGEDSINCE 1 VANISHED)",
			"UID FETCH 1:* FLAGS (CHANGEDSINCE 1 VANISHED)", "FETCH 1 FLAGS (FOO)", "STORE 1 (FOO 1) +FLAGS (x)", "UNSELECT"} {
			c.do("d"+string(rune('a'+i)), cmd)
		}
		c.do("c5", "LOGOUT")
	})
	// APPEND's and LIST's extensions: MULTIAPPEND, BINARY, CATENATE,
	// LIST-EXTENDED and LIST-STATUS, with their failures.
	session(Options{MaxLiteral: 4096}, func(c *conn) {
		c.expect("* OK ...")
		c.do("x1", "LOGIN melanie toybox")
		mp := "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n--b--\r\n"
		odd := "Content-Transfer-Encoding: x-unknown\r\n\r\nbody\r\n"
		bin := "Content-Transfer-Encoding: binary\r\n\r\n\x00\x01\r\n"
		many := strings.Repeat(" {1+}\r\nx", maxAppendMessages+1)
		for i, cmd := range []string{"CREATE Bin", "SUBSCRIBE Bin", "CREATE Gone", "SUBSCRIBE Gone", "DELETE Gone",
			"APPEND Bin " + lit(mp) + " " + lit(odd), "APPEND Bin ~" + lit(bin),
			`APPEND Bin CATENATE (URL "/Bin/;UID=1/;SECTION=HEADER" TEXT {3+}` + "\r\nabc)",
			`APPEND Bin CATENATE (URL "/Bin/;UID=99")`, "APPEND Bin CATENATE (FOO x)", `APPEND Bin CATENATE (TEXT "x")`,
			"APPEND Bin CATENATE ()", "APPEND Bin {0+}\r\n", "APPEND Bin {5000}", "APPEND Bin" + many,
			`LIST (SUBSCRIBED RECURSIVEMATCH) "" (% Bin) RETURN (CHILDREN STATUS (MESSAGES UNSEEN))`,
			`LIST (FROB) "" *`, `LIST "" ()`, `LIST "" * FROB`, `LIST (RECURSIVEMATCH) "" *`,
			"SELECT Bin", "FETCH 1 (BINARY.SIZE[1] BINARY.PEEK[1])", "FETCH 3 BINARY.PEEK[]", "FETCH 2 BINARY.PEEK[1]",
		} {
			c.do("x"+strconv.Itoa(i+2), cmd)
		}
		c.do("x99", "LOGOUT")
	})
	other.c.Close()
	other.wait()
	session(Options{Preauth: "melanie"}, func(c *conn) {
		c.expect("* PREAUTH ...")
		c.do("p1", "SELECT Sent")
		b := login(t, st, "melanie", "toybox")
		b.do("q1", "DELETE Sent")
		b.c.Close()
		b.wait()
		c.do("p2", "NOOP")
	})
	session(Options{Reject: "Too many connections"}, func(c *conn) { c.expect("* BYE ...") })
	session(Options{Autologout: 30 * time.Millisecond}, func(c *conn) {
		c.expect("* OK ...")
		c.expect("* BYE ...")
	})
	session(Options{MaxMailbox: 1}, func(c *conn) {
		c.expect("* OK ...")
		c.do("m0", "STARTTLS")
		c.do("m1", "LOGIN melanie toybox")
		c.do("m2", "APPEND INBOX {1+}\r\nx")
	})
	// QUOTA (RFC 9208): a user without one, then users with limits of
	// storage, messages and both; an APPEND past the limit.
	session(Options{}, func(c *conn) {
		c.expect("* OK ...")
		c.do("q0", "LOGIN melanie toybox")
		c.do("q1", "GETQUOTAROOT INBOX")
	})
	for i, q := range []mailstore.Quota{{Storage: 4096}, {Messages: 3}, {Storage: 2048, Messages: 2}} {
		name := "quota" + strconv.Itoa(i)
		addUser(t, st, name, "pw").SetQuota(q)
		session(Options{}, func(c *conn) {
			c.expect("* OK ...")
			c.do("q2", "LOGIN "+name+" pw")
			c.do("q3", "CAPABILITY")
			c.do("q4", "GETQUOTAROOT INBOX")
			c.do("q5", `GETQUOTA "User quota"`)
			c.do("q6", `GETQUOTA "nothing"`)
			c.do("q7", "APPEND INBOX {3000+}\r\n"+strings.Repeat("x", 3000))
		})
	}
	// Every SASL mechanism's steps, explained field by field.
	session(Options{CRAMChallenge: "<1896.697170952@localhost>", SCRAMNonce: "servernonce"}, func(c *conn) {
		c.expect("* OK ...")
		c.run(`
			C: s1 AUTHENTICATE CRAM-MD5
			S: + ...
			C: ` + b64("melanie 0123456789abcdef0123456789abcdef") + `
			S: s1 NO ...
			C: s2 AUTHENTICATE CRAM-MD5
			S: + ...
			C: ` + b64("melanie") + `
			S: s2 BAD ...
			C: s3 AUTHENTICATE LOGIN
			S: + ...
			C: ` + b64("melanie") + `
			S: + ...
			C: ` + b64("wrong") + `
			S: s3 NO ...
		`)
		scramIMAP(t, c, "s4", "SCRAM-SHA-1", scram.SHA1, "melanie", "toybox", "alex", false)
		scramIMAP(t, c, "s5", "SCRAM-SHA-256", scram.SHA256, "melanie", "toybox", "", true)
	})
	session(Options{Auth: simsession.Throttle{MaxFailures: 1}}, func(c *conn) {
		c.expect("* OK ...")
		c.run(`
			C: f1 LOGIN melanie wrong
			S: f1 NO ...
			S: * BYE ...
		`)
	})
	// Literals over the limit: a synchronizing one is refused with BAD and
	// no "+", a non-synchronizing one ends the connection.
	session(Options{}, func(c *conn) {
		c.expect("* OK ...")
		c.do("l1", "LOGIN {9000}")
		c.send("l2 LOGIN {9000+}")
		c.expect("* BYE ...")
	})
	session(Options{Disabled: []string{"NOOP"}}, func(c *conn) {
		c.expect("* OK ...")
		c.do("d1", "NOOP")
	})
	searchFamilyExplained(t, st, session)
	// A mailbox whose folder could not be read (unreadable_test.go).
	o := Options{Store: unreadableStore(t), Lang: lang}
	c := dial(t, o)
	c.expect("* OK ...")
	c.do("u1", "LOGIN kim secret123")
	c.do("u2", "SELECT Sent")
	c.c.Close()
	out = append(out, c.wait()...)
	return out
}

// templateRE turns a catalog text into a pattern its formatted forms match.
func templateRE(text string) *regexp.Regexp {
	q := regexp.QuoteMeta(text)
	q = regexp.MustCompile(`%(\\\[\d\\\])?[vdsq]`).ReplaceAllString(q, `(?s:.*)`)
	q = strings.ReplaceAll(q, "%%", "%")
	return regexp.MustCompile("^" + q + "$")
}

// Every response is explained: right after it (a transition may come in
// between), one Explain event whose parts start with the response's first
// token, every part with a meaning, in English, Russian and Slovak.
func TestEveryResponseExplained(t *testing.T) {
	byLang := map[string][]event.Event{}
	for _, lang := range []string{"en", "ru", "sk"} {
		evs := explainAll(t, lang)
		var explains []event.Event
		var pending *event.Event
		for i, e := range evs {
			switch {
			case e.Kind == event.Server && e.Status != "":
				if pending != nil {
					t.Errorf("%s: %q is not explained before %q", lang, pending.Line, e.Line)
				}
				pending = &evs[i]
			case e.Kind == event.Explain:
				if pending == nil {
					t.Errorf("%s: explanation %q follows no response", lang, e.Text)
					continue
				}
				first, _, _ := strings.Cut(pending.Line, " ")
				if pending.Secret {
					first = "…" // the tag of a line that may be a password
				}
				if len(e.Parts) == 0 || e.Parts[0].Token != first {
					t.Errorf("%s: the parts of %q do not start with %q: %+v", lang, pending.Line, first, e.Parts)
				}
				pending = nil
				explains = append(explains, e)
			case e.Kind == event.Client || e.Kind == event.Close:
				if pending != nil {
					t.Errorf("%s: %q is not explained", lang, pending.Line)
					pending = nil
				}
			}
		}
		for _, e := range explains {
			if e.Text == "" || strings.Contains(e.Text, "%!") {
				t.Errorf("%s: bad text %q", lang, e.Text)
			}
			for _, p := range e.Parts {
				if p.Token == "" || p.Meaning == "" || strings.Contains(p.Meaning, "%!") || strings.Contains(p.Meaning, "%v") {
					t.Errorf("%s: part %+v of %q", lang, p, e.Text)
				}
			}
		}
		byLang[lang] = explains
	}
	en := byLang["en"]
	for _, lang := range []string{"ru", "sk"} {
		other := byLang[lang]
		if len(other) != len(en) {
			t.Fatalf("%s: %d explanations, en has %d", lang, len(other), len(en))
		}
		for i, e := range other {
			if e.Text == en[i].Text {
				t.Errorf("%s: not translated: %q", lang, e.Text)
			}
			if len(e.Parts) != len(en[i].Parts) {
				t.Errorf("%s: %q has %d parts, en %d", lang, e.Text, len(e.Parts), len(en[i].Parts))
				continue
			}
			for j, p := range e.Parts {
				if p.Token != en[i].Parts[j].Token {
					t.Errorf("%s: part %d of %q is %q, in en %q", lang, j, e.Text, p.Token, en[i].Parts[j].Token)
				}
				if p.Meaning == en[i].Parts[j].Meaning {
					t.Errorf("%s: the meaning of %q is not translated: %q", lang, p.Token, p.Meaning)
				}
			}
		}
	}

	// Every text and every role of the catalogs is met, but for codes no
	// session here can provoke and the fallbacks for names the server
	// never sends.
	unreachable := map[string]bool{"code.TOOBIG": true, "code.SERVERBUG": true, "code": true, "cap": true, "attr": true, "id.field": true,
		"no.toobig": true, "no.serverbug": true}
	texts, meanings := map[string]bool{}, map[string]bool{}
	for _, e := range en {
		texts[e.Text] = true
		for _, p := range e.Parts {
			meanings[p.Meaning] = true
		}
	}
	metBy := func(tmpl string, seen map[string]bool) bool {
		re := templateRE(tmpl)
		for s := range seen {
			if re.MatchString(s) {
				return true
			}
		}
		return false
	}
	english := catalogue(t)[catalog.Source]
	for k, text := range english {
		switch {
		case strings.HasPrefix(k, "role."):
			if r := strings.TrimPrefix(k, "role."); !unreachable[r] && !metBy(text, meanings) {
				t.Errorf("no part has the role %q", r)
			}
		case strings.HasPrefix(k, "state.") || strings.HasPrefix(k, "transition."):
		default:
			if !unreachable[k] && !metBy(text, texts) {
				t.Errorf("no response is explained with the text %q", k)
			}
		}
	}
}

// Every text and role has every language, with the same arguments.
func TestCatalogsComplete(t *testing.T) {
	by := catalogue(t)
	if got := slices.Sorted(maps.Keys(by)); !slices.Equal(got, slices.Sorted(slices.Values(catalog.Languages()))) || !slices.Contains(got, "ru") || !slices.Contains(got, "sk") {
		t.Errorf("languages %v", got)
	}
	for k, en := range by[catalog.Source] {
		for lang, c := range by {
			text, ok := c[k]
			if !ok {
				t.Errorf("%s %s: missing", k, lang)
			} else if !slices.Equal(catalog.FormatArgs(text), catalog.FormatArgs(en)) {
				t.Errorf("%s %s: arguments differ from English", k, lang)
			}
		}
	}
}

// The lecture's SELECT example, on its mailbox (UIDVALIDITY 936033227, one
// message read in an earlier session and one new), and a FETCH of the new
// message with its literal, explained part by part in every language.
func TestExplainLectureSelectAndFetch(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{{"en", lectureSelectEN}, {"ru", lectureSelectRU}, {"sk", lectureSelectSK}} {
		st := newStore(t, 936033227)
		u := addUser(t, st, "alex", "drums")
		mb, _ := u.Mailbox("INBOX")
		if _, err := mb.Append([]byte("From: melanie@example.org\r\nSubject: Seminar\r\n\r\nSee you on Thursday.\r\n"), []string{`\Seen`}, time.Time{}); err != nil {
			t.Fatal(err)
		}
		forgetRecent(t, u, "INBOX")
		if _, err := mb.Append([]byte("From: mrose@example.org\r\nSubject: Exam dates\r\n\r\nThe exam dates are on the board.\r\n"), nil, time.Time{}); err != nil {
			t.Fatal(err)
		}
		c := dial(t, Options{Store: st, Lang: tc.lang})
		c.run(`
			S: * OK ...
			C: a1 LOGIN alex drums
			S: a1 OK ...
			C: a2 SELECT INBOX
			S: * 2 EXISTS
			S: * 1 RECENT
			S: * OK [UNSEEN 2] Message 2 is first unseen
			S: * OK [UIDVALIDITY 936033227] UIDs valid
			S: * OK [UIDNEXT 3] Predicted next UID
			S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft)
			S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft \*)] Limited
			S: a2 OK [READ-WRITE] SELECT completed
			C: a3 FETCH 2 (FLAGS BODY[])
			S: * 2 FETCH (FLAGS (\Recent \Seen) BODY[] {82}
			S: From: mrose@example.org
			S: Subject: Exam dates
			S:
			S: The exam dates are on the board.
			S: )
			S: a3 OK FETCH completed
			C: a4 LOGOUT
			S: * BYE ...
			S: a4 OK LOGOUT completed
		`)
		var blocks []string
		for _, e := range c.wait() {
			if e.Kind != event.Explain || e.Command != "SELECT" && e.Command != "FETCH" {
				continue
			}
			var b []string
			for _, p := range e.Parts {
				b = append(b, p.Token+" = "+p.Meaning)
			}
			blocks = append(blocks, strings.Join(b, "\n"))
		}
		if got := strings.Join(blocks, "\n\n"); got != tc.want {
			t.Errorf("%s: the parts are\n%s\n\nwant\n%s", tc.lang, got, tc.want)
		}
	}
}

const lectureSelectEN = `* = untagged response: data or status information, not the end of a command
2 = the number of messages in the mailbox
EXISTS = EXISTS: the number before it is how many messages the mailbox holds

* = untagged response: data or status information, not the end of a command
1 = the number of messages with the \Recent flag
RECENT = RECENT: the number before it is how many messages are new to this session

* = untagged response: data or status information, not the end of a command
OK = OK without a tag: information from the server (in the greeting: the server is ready)
[UNSEEN 2] = response code UNSEEN: message 2 is the first without \Seen
Message 2 is first unseen = text for people: a client may show it but does not interpret it

* = untagged response: data or status information, not the end of a command
OK = OK without a tag: information from the server (in the greeting: the server is ready)
[UIDVALIDITY 936033227] = response code UIDVALIDITY: 936033227 is the mailbox's identifier; while it stays the same, every UID keeps naming the same message
UIDs valid = text for people: a client may show it but does not interpret it

* = untagged response: data or status information, not the end of a command
OK = OK without a tag: information from the server (in the greeting: the server is ready)
[UIDNEXT 3] = response code UIDNEXT: the next message to arrive will get UID 3
Predicted next UID = text for people: a client may show it but does not interpret it

* = untagged response: data or status information, not the end of a command
FLAGS = FLAGS: the flags defined in this mailbox
\Answered = \Answered: the message has been answered
\Flagged = \Flagged: marked as important
\Deleted = \Deleted: marked for removal; EXPUNGE or CLOSE removes it
\Seen = \Seen: the message has been read
\Draft = \Draft: a draft, not finished yet

* = untagged response: data or status information, not the end of a command
OK = OK without a tag: information from the server (in the greeting: the server is ready)
[PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft \*)] = response code PERMANENTFLAGS: the flags the client can change for good
\Answered = \Answered: the message has been answered
\Flagged = \Flagged: marked as important
\Deleted = \Deleted: marked for removal; EXPUNGE or CLOSE removes it
\Seen = \Seen: the message has been read
\Draft = \Draft: a draft, not finished yet
\* = \*: the client may also create new keywords
Limited = text for people: a client may show it but does not interpret it

a2 = the tag of the command this response completes
OK = OK: the command completed successfully
[READ-WRITE] = response code READ-WRITE: the mailbox is selected for reading and writing
SELECT completed = text for people: a client may show it but does not interpret it

* = untagged response: data or status information, not the end of a command
2 = the sequence number of the message
FETCH = FETCH: data about the message follow in parentheses, as pairs of name and value
FLAGS (\Recent \Seen) = FLAGS: the message's flags
\Recent = \Recent: new in the mailbox, and this session is the first to see it; no client can set it
\Seen = \Seen: the message has been read
BODY[] = BODY[]: the whole message, header and body, exactly as stored
{82} = a literal: exactly 82 octets follow, from the next line on; then the response goes on
) = the end of the FETCH data, on the line after the literal's octets

a3 = the tag of the command this response completes
OK = OK: the command completed successfully
FETCH completed = text for people: a client may show it but does not interpret it`

const lectureSelectRU = `* = немаркированный отклик: данные или сведения о состоянии, а не завершение команды
2 = число сообщений в почтовом ящике
EXISTS = EXISTS: число перед ним — сколько сообщений в почтовом ящике

* = немаркированный отклик: данные или сведения о состоянии, а не завершение команды
1 = число сообщений с флагом \Recent
RECENT = RECENT: число перед ним — сколько сообщений впервые появились в ящике в этом сеансе

* = немаркированный отклик: данные или сведения о состоянии, а не завершение команды
OK = OK без метки: информационное сообщение сервера (в приветствии — сервер готов к работе)
[UNSEEN 2] = код отклика UNSEEN: сообщение 2 — первое без флага \Seen
Message 2 is first unseen = текст для человека: клиент может его показать, но не разбирает

* = немаркированный отклик: данные или сведения о состоянии, а не завершение команды
OK = OK без метки: информационное сообщение сервера (в приветствии — сервер готов к работе)
[UIDVALIDITY 936033227] = код отклика UIDVALIDITY: 936033227 — уникальный идентификатор почтового ящика; пока он не меняется, каждый UID обозначает то же сообщение
UIDs valid = текст для человека: клиент может его показать, но не разбирает

* = немаркированный отклик: данные или сведения о состоянии, а не завершение команды
OK = OK без метки: информационное сообщение сервера (в приветствии — сервер готов к работе)
[UIDNEXT 3] = код отклика UIDNEXT: следующее пришедшее сообщение получит UID 3
Predicted next UID = текст для человека: клиент может его показать, но не разбирает

* = немаркированный отклик: данные или сведения о состоянии, а не завершение команды
FLAGS = FLAGS: флаги, определённые в этом почтовом ящике
\Answered = \Answered: на сообщение отправлен ответ
\Flagged = \Flagged: сообщение отмечено как «важное»
\Deleted = \Deleted: сообщение отмечено как удалённое; удаляют его команды EXPUNGE и CLOSE
\Seen = \Seen: сообщение прочитано
\Draft = \Draft: сообщение отмечено как черновик

* = немаркированный отклик: данные или сведения о состоянии, а не завершение команды
OK = OK без метки: информационное сообщение сервера (в приветствии — сервер готов к работе)
[PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft \*)] = код отклика PERMANENTFLAGS: флаги, которые клиент может изменять постоянно
\Answered = \Answered: на сообщение отправлен ответ
\Flagged = \Flagged: сообщение отмечено как «важное»
\Deleted = \Deleted: сообщение отмечено как удалённое; удаляют его команды EXPUNGE и CLOSE
\Seen = \Seen: сообщение прочитано
\Draft = \Draft: сообщение отмечено как черновик
\* = \*: клиент может создавать и новые ключевые слова
Limited = текст для человека: клиент может его показать, но не разбирает

a2 = тег (метка) команды: этим маркированным откликом завершается команда с такой меткой
OK = OK: команда выполнена успешно
[READ-WRITE] = код отклика READ-WRITE: почтовый ящик выбран для чтения и записи
SELECT completed = текст для человека: клиент может его показать, но не разбирает

* = немаркированный отклик: данные или сведения о состоянии, а не завершение команды
2 = порядковый номер сообщения
FETCH = FETCH: далее в скобках — данные о сообщении, парами «имя значение»
FLAGS (\Recent \Seen) = FLAGS: флаги сообщения
\Recent = \Recent: сообщение впервые появилось в ящике в ходе текущего сеанса; клиент не может установить этот флаг
\Seen = \Seen: сообщение прочитано
BODY[] = BODY[]: всё сообщение — заголовок и тело — в точности как хранится
{82} = литерал: со следующей строки следуют данные, их объём в октетах — ровно 82; после них отклик продолжается
) = конец данных FETCH — на строке после октетов литерала

a3 = тег (метка) команды: этим маркированным откликом завершается команда с такой меткой
OK = OK: команда выполнена успешно
FETCH completed = текст для человека: клиент может его показать, но не разбирает`

const lectureSelectSK = `* = neoznačená odpoveď: údaje alebo informácia o stave, nie ukončenie príkazu
2 = počet správ v mailboxe
EXISTS = EXISTS: číslo pred ním udáva, koľko správ je v mailboxe

* = neoznačená odpoveď: údaje alebo informácia o stave, nie ukončenie príkazu
1 = počet správ s príznakom \Recent
RECENT = RECENT: číslo pred ním udáva, koľko správ je pre toto spojenie nových

* = neoznačená odpoveď: údaje alebo informácia o stave, nie ukončenie príkazu
OK = OK bez značky: informačné hlásenie servera (v pozdrave: server je pripravený)
[UNSEEN 2] = kód odpovede UNSEEN: správa 2 je prvá bez príznaku \Seen
Message 2 is first unseen = text pre človeka: klient ho môže zobraziť, ale nevyhodnocuje ho

* = neoznačená odpoveď: údaje alebo informácia o stave, nie ukončenie príkazu
OK = OK bez značky: informačné hlásenie servera (v pozdrave: server je pripravený)
[UIDVALIDITY 936033227] = kód odpovede UIDVALIDITY: 936033227 je jedinečný identifikátor mailboxu; kým sa nezmení, každé UID označuje tú istú správu
UIDs valid = text pre človeka: klient ho môže zobraziť, ale nevyhodnocuje ho

* = neoznačená odpoveď: údaje alebo informácia o stave, nie ukončenie príkazu
OK = OK bez značky: informačné hlásenie servera (v pozdrave: server je pripravený)
[UIDNEXT 3] = kód odpovede UIDNEXT: nasledujúca prijatá správa dostane UID 3
Predicted next UID = text pre človeka: klient ho môže zobraziť, ale nevyhodnocuje ho

* = neoznačená odpoveď: údaje alebo informácia o stave, nie ukončenie príkazu
FLAGS = FLAGS: príznaky definované v tomto mailboxe
\Answered = \Answered: na správu bolo odpovedané
\Flagged = \Flagged: správa je označená ako dôležitá
\Deleted = \Deleted: správa je označená na odstránenie; odstráni ju EXPUNGE alebo CLOSE
\Seen = \Seen: správa bola prečítaná
\Draft = \Draft: rozpísaný koncept správy

* = neoznačená odpoveď: údaje alebo informácia o stave, nie ukončenie príkazu
OK = OK bez značky: informačné hlásenie servera (v pozdrave: server je pripravený)
[PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft \*)] = kód odpovede PERMANENTFLAGS: príznaky, ktoré klient môže natrvalo meniť
\Answered = \Answered: na správu bolo odpovedané
\Flagged = \Flagged: správa je označená ako dôležitá
\Deleted = \Deleted: správa je označená na odstránenie; odstráni ju EXPUNGE alebo CLOSE
\Seen = \Seen: správa bola prečítaná
\Draft = \Draft: rozpísaný koncept správy
\* = \*: klient smie vytvárať aj nové kľúčové slová
Limited = text pre človeka: klient ho môže zobraziť, ale nevyhodnocuje ho

a2 = značka (tag) príkazu, ktorý sa touto označenou odpoveďou končí
OK = OK: príkaz sa úspešne vykonal
[READ-WRITE] = kód odpovede READ-WRITE: mailbox je vybraný na čítanie aj zápis
SELECT completed = text pre človeka: klient ho môže zobraziť, ale nevyhodnocuje ho

* = neoznačená odpoveď: údaje alebo informácia o stave, nie ukončenie príkazu
2 = poradové číslo správy
FETCH = FETCH: v zátvorkách nasledujú údaje o správe v dvojiciach názov hodnota
FLAGS (\Recent \Seen) = FLAGS: príznaky správy
\Recent = \Recent: správa je v mailboxe nová a toto spojenie ju vidí ako prvé; klient tento príznak nastaviť nemôže
\Seen = \Seen: správa bola prečítaná
BODY[] = BODY[]: celá správa, hlavička aj telo, presne tak, ako je uložená
{82} = literál: od nasledujúceho riadka nasledujú údaje, ich veľkosť v oktetoch je presne 82; potom odpoveď pokračuje
) = koniec údajov FETCH, na riadku za oktetmi literálu

a3 = značka (tag) príkazu, ktorý sa touto označenou odpoveďou končí
OK = OK: príkaz sa úspešne vykonal
FETCH completed = text pre človeka: klient ho môže zobraziť, ale nevyhodnocuje ho`
