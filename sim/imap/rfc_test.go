package imap

import (
	"strings"
	"testing"

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
