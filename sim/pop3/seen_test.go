package pop3

import (
	"slices"
	"testing"

	"maillab/sim/event"
	"maillab/sim/mailstore"
)

// seenFlags reports, for each message of melanie's INBOX in order,
// whether it has \Seen.
func seenFlags(t *testing.T, st *mailstore.Store) []bool {
	t.Helper()
	u, ok := st.User("melanie")
	if !ok {
		t.Fatal("no user melanie")
	}
	mb, err := u.Mailbox(mailstore.Inbox)
	if err != nil {
		t.Fatal(err)
	}
	var out []bool
	for _, m := range mb.Messages() {
		flags, _ := mb.Flags(m.UID())
		out = append(out, mailstore.HasFlag(flags, mailstore.FlagSeen))
	}
	return out
}

// RETR marks a message \Seen in the UPDATE state, as Dovecot does by
// default; TOP does not, and neither does a message that is also deleted.
func TestRetrSetsSeenAtQuit(t *testing.T) {
	st := newStore(t, melanie(120, 200, 300))
	k := transcript(t, Options{Store: st}, `
		S* +OK POP3 server ready
		C: USER melanie
		S* +OK
		C: PASS toybox
		S~ +OK maildrop has 3 messages (620 octets)
		C: RETR 1
		S~ +OK 120 octets
	`)
	k.multi()
	if got := seenFlags(t, st); slices.Contains(got, true) {
		t.Fatalf("\\Seen set before QUIT: %v", got)
	}
	k.cmd("TOP 2 0")
	k.multi()
	k.cmd("RETR 3")
	k.multi()
	k.cmd("DELE 3")
	if got := k.cmd("QUIT"); got != "+OK localhost POP3 server signing off (2 messages left)" {
		t.Errorf("QUIT: %q", got)
	}
	k.wait()
	if got, want := seenFlags(t, st), []bool{true, false}; !slices.Equal(got, want) {
		t.Errorf("\\Seen after RETR 1, TOP 2 0, RETR 3, DELE 3, QUIT: %v, want %v", got, want)
	}
	var retr, quit []string
	for _, e := range kinds(k.rec, event.Explain) {
		switch e.Command {
		case "RETR":
			retr = append(retr, e.Text)
		case "QUIT":
			quit = append(quit, e.Text)
		}
	}
	if len(retr) != 2 || retr[0] != texts.Text("en", string(exRetrSeen), 1, 120) {
		t.Errorf("RETR explained %q", retr)
	}
	if len(quit) != 1 || quit[0] != texts.Text("en", string(exQuitSeen), 1, 2, 1) {
		t.Errorf("QUIT explained %q", quit)
	}
}

// No \Seen when the session does not reach the UPDATE state, when RSET
// forgets what was read, or with NoFlagUpdates (pop3_no_flag_updates).
func TestRetrWithoutSeen(t *testing.T) {
	for _, c := range []struct {
		name   string
		o      Options
		script []string
	}{
		{"connection dropped", Options{}, []string{"RETR 1"}},
		{"RSET", Options{}, []string{"RETR 1", "RSET", "QUIT"}},
		{"no flag updates", Options{NoFlagUpdates: true}, []string{"RETR 1", "QUIT"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := newStore(t, melanie(120, 200))
			c.o.Store = st
			k := loggedIn(t, c.o)
			for _, l := range c.script {
				k.do(l)
			}
			k.c.Close()
			k.wait()
			if got := seenFlags(t, st); slices.Contains(got, true) {
				t.Errorf("\\Seen set: %v", got)
			}
			for _, e := range kinds(k.rec, event.Explain) {
				if c.o.NoFlagUpdates && e.Command == "RETR" && e.Text != texts.Text("en", string(exRetr), 1, 120) {
					t.Errorf("RETR explained %q", e.Text)
				}
			}
		})
	}
}

// A message that has \Seen already is not counted again at QUIT, and its
// RETR is explained as a plain RETR.
func TestRetrOfSeenMessage(t *testing.T) {
	st := newStore(t, melanie(120))
	k := loggedIn(t, Options{Store: st})
	k.do("RETR 1")
	k.do("QUIT")
	k.wait()
	k = loggedIn(t, Options{Store: st})
	k.do("RETR 1")
	k.do("QUIT")
	k.wait()
	for _, e := range kinds(k.rec, event.Explain) {
		switch e.Command {
		case "RETR":
			if e.Text != texts.Text("en", string(exRetr), 1, 120) {
				t.Errorf("RETR of a read message explained %q", e.Text)
			}
		case "QUIT":
			if e.Text != texts.Text("en", string(exQuit), 0, 1) {
				t.Errorf("QUIT explained %q", e.Text)
			}
		}
	}
}
