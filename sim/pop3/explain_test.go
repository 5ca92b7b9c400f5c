package pop3

import (
	"encoding/base64"
	"errors"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"maillab/sim/catalog"
	"maillab/sim/event"
	"maillab/sim/mailstore"
)

// do sends a line and reads its whole answer, multi-line or not.
func (k *conn) do(line string) []string {
	k.t.Helper()
	first := k.cmd(line)
	f := strings.Fields(strings.ToUpper(line))
	multi := len(f) > 0 && strings.HasPrefix(first, "+OK") &&
		(slices.Contains([]string{"CAPA", "RETR", "TOP"}, f[0]) || len(f) == 1 && slices.Contains([]string{"LIST", "UIDL", "AUTH"}, f[0]))
	if !multi {
		return []string{first}
	}
	return append([]string{first}, k.multi()...)
}

// failRemove is a Persister whose removals fail, for QUIT's [SYS/TEMP].
type failRemove struct{}

func (failRemove) CreateMailbox(string, string) error         { return nil }
func (failRemove) DeleteMailbox(string, string) error         { return nil }
func (failRemove) RenameMailbox(string, string, string) error { return nil }
func (failRemove) PutMessage(string, string, *mailstore.Message) (string, error) {
	return "", nil
}
func (failRemove) SetFlags(string, string, *mailstore.Message, []string) (string, error) {
	return "", nil
}
func (failRemove) RemoveMessage(string, string, *mailstore.Message) error {
	return errors.New("disk full")
}
func (failRemove) SetSubscriptions(string, []string) error              { return nil }
func (failRemove) SetMailboxState(string, string, uint32, uint32) error { return nil }

// explainAll drives sessions through every kind of response and returns
// the Explain events in order.
func explainAll(t *testing.T, lang string) []event.Event {
	var out []event.Event
	run := func(o Options, script func(k *conn)) {
		o.Lang, o.APOPTimestamp = lang, "<1.2@localhost>"
		k := dial(t, o)
		k.line()
		script(k)
		k.c.Close()
		k.wait()
		out = append(out, kinds(k.rec, event.Explain)...)
	}
	st := newStore(t, melanie(100, 200))
	tls := func(rw io.ReadWriter) (io.ReadWriter, error) { return rw, nil }
	plain := base64.StdEncoding.EncodeToString([]byte("\x00melanie\x00wrong"))
	var holder *conn
	run(Options{Store: st, StartTLS: tls}, func(k *conn) {
		for _, l := range []string{"", "FOO", "STAT", "PASS x", "USER", "USER a b", "USER " + strings.Repeat("a", 41),
			"USER \x01", "USER ъ", " USER melanie", "NOOP " + strings.Repeat("x", 300), "APOP melanie 12",
			"APOP melanie " + strings.Repeat("0", 32), "AUTH", "AUTH X", "AUTH PLAIN", "*", "AUTH PLAIN", strings.Repeat("A", maxSASLLine+1), "AUTH PLAIN !!",
			"AUTH PLAIN " + plain, "USER melanie", "PASS no", "CAPA", "STLS", "STLS"} {
			k.do(l)
		}
		k.do("USER melanie")
		k.do("PASS toybox")
		holder = k
		// A second session meets the lock, then quits from AUTHORIZATION.
		other := dial(t, Options{Store: st, Lang: lang, APOPTimestamp: "<1.2@localhost>"})
		other.line()
		other.do("USER melanie")
		other.do("PASS toybox")
		other.do("QUIT")
		other.wait()
		out = append(out, kinds(other.rec, event.Explain)...)
		for _, l := range []string{"STAT", "LIST", "LIST 1", "RETR 1", "TOP 1 0", "DELE 1", "NOOP", "RETR 1", "RSET",
			"UIDL", "UIDL 1", "FOO", "RETR x", "RETR 0", "RETR 9", "TOP 1 -1", "USER x", "DELE 2", "RETR 1", "QUIT"} {
			holder.do(l)
		}
	})
	run(Options{Store: newStore(t, melanie()), Disabled: []string{"APOP", "TOP"}}, func(k *conn) {
		k.do("STLS")
		k.do("TOP 1 1")
		for range maxFailures {
			k.do("USER melanie")
			k.do("PASS no")
		}
	})
	// With pop3_no_flag_updates RETR marks nothing and QUIT sets no flag.
	run(Options{Store: newStore(t, melanie(100)), NoFlagUpdates: true}, func(k *conn) {
		k.do("USER melanie")
		k.do("PASS toybox")
		k.do("RETR 1")
		k.do("QUIT")
	})
	broken := newStore(t, melanie(100))
	broken.SetPersister(failRemove{})
	run(Options{Store: broken}, func(k *conn) {
		k.do("USER melanie")
		k.do("PASS toybox")
		k.do("DELE 1")
		k.do("QUIT")
	})
	return out
}

// templateRE turns an English text into a pattern its formatted forms match.
func templateRE(text string) *regexp.Regexp {
	q := regexp.QuoteMeta(text)
	q = regexp.MustCompile(`%\\\[\d\\\][vqs]`).ReplaceAllString(q, `(?s:.*)`)
	return regexp.MustCompile("^" + q + "$")
}

func TestExplanationsCoverEveryResponse(t *testing.T) {
	en := explainAll(t, "en")
	seen := map[key]bool{}
	english := explanations(t)
	for _, e := range en {
		matched := false
		for k, text := range english {
			if templateRE(text).MatchString(e.Text) {
				seen[k], matched = true, true
			}
		}
		if !matched {
			t.Errorf("explanation %q matches no catalog entry", e.Text)
		}
	}
	// A user always has an INBOX in this store, so exNoInbox cannot be
	// reached from a session, nor exUnreadable, whose messages are in
	// memory (cmd/labserver tests it on a Maildir).
	for k := range english {
		if !seen[k] && k != exNoInbox && k != exUnreadable {
			t.Errorf("no session step produced the explanation %q", k)
		}
	}
	for _, lang := range []string{"ru", "sk"} {
		other := explainAll(t, lang)
		if len(other) != len(en) {
			t.Fatalf("%s: %d explanations, en has %d", lang, len(other), len(en))
		}
		for i, e := range other {
			if e.Text == en[i].Text {
				t.Errorf("%s: explanation %d is not translated: %q", lang, i, e.Text)
			}
			for j, p := range e.Parts {
				if p.Meaning == "" || p.Token != en[i].Parts[j].Token {
					t.Errorf("%s: part %d of %q: %+v", lang, j, e.Text, p)
				}
			}
		}
	}
}

func TestExplanationsWellFormed(t *testing.T) {
	for _, lang := range []string{"en", "ru", "sk"} {
		for _, e := range explainAll(t, lang) {
			if e.Text == "" || strings.Contains(e.Text, "%!") {
				t.Errorf("%s: bad explanation text %q", lang, e.Text)
			}
			if len(e.Parts) == 0 || e.Parts[0].Token != "+OK" && e.Parts[0].Token != "-ERR" && e.Parts[0].Token != "+" {
				t.Errorf("%s: explanation %q does not start with the status: %+v", lang, e.Text, e.Parts)
			}
			for _, p := range e.Parts {
				if p.Meaning == "" {
					t.Errorf("%s: token %q of %q has no meaning", lang, p.Token, e.Text)
				}
			}
		}
	}
}

func TestCatalogsComplete(t *testing.T) {
	by, err := catalog.Load(catalog.Files, "pop3")
	if err != nil {
		t.Fatal(err)
	}
	english := by[catalog.Source]
	enKeys := slices.Sorted(maps.Keys(english))
	for _, name := range []string{"ru", "sk"} {
		c := by[name]
		if got := slices.Sorted(maps.Keys(c)); !slices.Equal(got, enKeys) {
			t.Errorf("%s: keys differ from English", name)
		}
		for k, text := range c {
			if !slices.Equal(catalog.FormatArgs(text), catalog.FormatArgs(english[k])) {
				t.Errorf("%s %s: arguments differ from English", name, k)
			}
		}
	}
}

// The explanation of "+OK 2 320" as the brief for the explain pane gives it.
func TestExplainStat(t *testing.T) {
	k := loggedIn(t, Options{Store: newStore(t, melanie(120, 200))})
	k.cmd("STAT")
	k.cmd("QUIT")
	k.wait()
	var stat event.Event
	for _, e := range kinds(k.rec, event.Explain) {
		if e.Command == "STAT" {
			stat = e
		}
	}
	want := []event.Part{
		{Token: "+OK", Meaning: "success"},
		{Token: "2", Meaning: "messages in the maildrop, not counting those marked deleted"},
		{Token: "320", Meaning: "octets, counted with CRLF line endings"},
	}
	if !slices.Equal(stat.Parts, want) {
		t.Errorf("STAT parts %+v", stat.Parts)
	}
}
