package imap

import (
	"strings"
	"testing"
	"time"

	"maillab/sim/event"
)

// RFC 3501 6.4.3's EXPUNGE example: messages 3, 4, 7 and 11 have \Deleted;
// each EXPUNGE names the number the message has at that moment.
func TestRFCExpungeExample(t *testing.T) {
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	fill(t, u, "INBOX", 11)
	c := login(t, st, "melanie", "toybox")
	c.do("s", "SELECT INBOX")
	c.do("d", `STORE 3,4,7,11 +FLAGS.SILENT (\Deleted)`)
	c.run(`
		C: A202 EXPUNGE
		S: * 3 EXPUNGE
		S: * 3 EXPUNGE
		S: * 5 EXPUNGE
		S: * 8 EXPUNGE
		S: A202 OK EXPUNGE completed
	`)
}

// RFC 3501 6.4.6's STORE example and 6.4.4's SEARCH example.
func TestRFCStoreAndSearchExamples(t *testing.T) {
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	fill(t, u, "INBOX", 1)
	mb, _ := u.Mailbox("INBOX")
	mb.Append([]byte("From: Smith <smith@example.org>\r\nSubject: hi\r\nDate: Wed, 2 Feb 1994 10:00:00 +0000\r\n\r\nx\r\n"), nil, mustDate(t, "2-Feb-1994"))
	mb.Append([]byte("From: Smith <smith@example.org>\r\nSubject: hi\r\n\r\nx\r\n"), []string{`\Seen`}, mustDate(t, "3-Feb-1994"))
	fill(t, u, "INBOX", 1)
	c := login(t, st, "melanie", "toybox")
	c.do("s", "SELECT INBOX")
	c.run(`
		C: A003 STORE 2:4 +FLAGS (\Deleted)
		S: * 2 FETCH (FLAGS (\Recent \Deleted))
		S: * 3 FETCH (FLAGS (\Recent \Seen \Deleted))
		S: * 4 FETCH (FLAGS (\Recent \Deleted))
		S: A003 OK STORE completed
		C: A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"
		S: * SEARCH
		S: A282 OK SEARCH completed
		C: A283 SEARCH TEXT "string not in mailbox"
		S: * SEARCH
		S: A283 OK SEARCH completed
		C: A284 SEARCH SINCE 1-Feb-1994 FROM "Smith"
		S: * SEARCH 2 3
		S: A284 OK SEARCH completed
		C: A285 SEARCH CHARSET UTF-8 TEXT {6}
		S: + Ready for literal data
		C: XXXXXX
		S: * SEARCH
		S: A285 OK SEARCH completed
	`)
}

func mustDate(t *testing.T, s string) (tm timeT) {
	t.Helper()
	tm, err := parseDay(s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// Every client line, literal, server line, transition and explanation is
// an event, in order; explanations come in the session's language.
func TestEventsInRussian(t *testing.T) {
	st := newStore(t, 3857529045)
	u := addUser(t, st, "melanie", "toybox")
	fill(t, u, "INBOX", 18)
	c := dial(t, Options{Store: st, Lang: "ru", SessionID: "s1"})
	c.run(`
		S: * OK ...
		C: a1 LOGIN melanie {6}
		S: + Ready for literal data
		C: toybox
		S: a1 OK ...
		C: a2 SELECT INBOX
		S: * 18 EXISTS
		S: * 18 RECENT
		S: * OK [UNSEEN 1] ...
		S: * OK [UIDVALIDITY 3857529045] UIDs valid
		S: * OK [UIDNEXT 19] ...
		S: * FLAGS ...
		S: * OK [PERMANENTFLAGS ...
		S: a2 OK [READ-WRITE] SELECT completed
		C: a3 UID FETCH 1 FLAGS
		S: * 1 FETCH (UID 1 FLAGS (\Recent))
		S: a3 OK UID FETCH completed
		C: a4 LOGOUT
		S: * BYE ...
		S: a4 OK LOGOUT completed
	`)
	evs := c.wait()
	var texts []string
	for _, e := range evs {
		if e.Session != "s1" || e.Proto != "imap" {
			t.Fatalf("event %+v lacks session or proto", e)
		}
		switch e.Kind {
		case event.Explain:
			texts = append(texts, e.Text)
		case event.Client:
			if e.Command == "LOGIN" && !e.Secret {
				t.Errorf("LOGIN line %q not secret", e.Line)
			}
			if e.Line == "toybox" && e.Tag != "a1" {
				t.Errorf("literal line has tag %q", e.Tag)
			}
			if strings.HasPrefix(e.Line, "a3") && e.Command != "UID FETCH" {
				t.Errorf("command %q for %q", e.Command, e.Line)
			}
		case event.Server:
			if e.Line == "a2 OK [READ-WRITE] SELECT completed" && (e.Tag != "a2" || e.Status != "OK" || e.Code != "READ-WRITE") {
				t.Errorf("server event %+v", e)
			}
			if strings.Contains(e.Line, "UIDVALIDITY") && e.Code != "UIDVALIDITY 3857529045" {
				t.Errorf("server event %+v", e)
			}
		}
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"EXISTS: число сообщений в почтовом ящике — 18.", "[UIDVALIDITY 3857529045]: уникальный идентификатор почтового ящика",
		"Вход выполнен (переход 4)", "(переход 5)", "Маркированный отклик OK: команда UID FETCH выполнена успешно."} {
		if !strings.Contains(all, want) {
			t.Errorf("explanations lack %q:\n%s", want, all)
		}
	}
}

// RFC 3501 6.4.5's FETCH FULL example, byte for byte: a fixture with the
// same header fields, a 3028-octet body of 92 lines, 4286 octets in all.
func TestRFCFetchFullExample(t *testing.T) {
	st := newStore(t, 1000)
	u := addUser(t, st, "gray", "imap")
	fill(t, u, "INBOX", 11, `\Seen`)
	header := "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\r\n" +
		"From: Terry Gray <gray@cac.washington.edu>\r\n" +
		"Subject: IMAP4rev1 WG mtg summary and minutes\r\n" +
		"To: imap@cac.washington.edu\r\n" +
		"cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>\r\n" +
		"Message-Id: <B27397-0100000@cac.washington.edu>\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n"
	body := strings.Repeat(strings.Repeat("x", 31)+"\r\n", 91) + strings.Repeat("y", 23) + "\r\n"
	pad := 4286 - len(body) - len(header) - len("X-Padding: \r\n\r\n")
	raw := header + "X-Padding: " + strings.Repeat("p", pad) + "\r\n\r\n" + body
	mb, _ := u.Mailbox("INBOX")
	date, _ := time.Parse("02-Jan-2006 15:04:05 -0700", "17-Jul-1996 02:44:25 -0700")
	if _, err := mb.Append([]byte(raw), []string{`\Seen`}, date); err != nil {
		t.Fatal(err)
	}
	forgetRecent(t, u, "INBOX")
	c := login(t, st, "gray", "imap")
	c.do("s", "SELECT INBOX")
	c.run(`
		C: a003 fetch 12 full
		S: * 12 FETCH (FLAGS (\Seen) INTERNALDATE "17-Jul-1996 02:44:25 -0700" RFC822.SIZE 4286 ENVELOPE ("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "IMAP4rev1 WG mtg summary and minutes" (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) ((NIL NIL "imap" "cac.washington.edu")) ((NIL NIL "minutes" "CNRI.Reston.VA.US")("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL "<B27397-0100000@cac.washington.edu>") BODY ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92))
		S: a003 OK FETCH completed
		C: a004 fetch 12 body[header]
		S: * 12 FETCH (BODY[HEADER] {1258}
	`)
}
