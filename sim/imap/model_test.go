package imap

import (
	"fmt"
	"math/rand"
	"slices"
	"strconv"
	"strings"
	"testing"

	"maillab/sim/mailstore"
)

// clientView is what a client knows of the selected mailbox, built only
// from the untagged responses it received: sequence number i+1 is uids[i],
// 0 while the client has not yet learned that message's UID.
type clientView struct {
	name     string
	uids     []uint32
	keywords map[string]bool // what the last FLAGS response defined
}

// apply updates the view from one response line and reports a line that
// contradicts what the client was told before (RFC 3501 7.3.1, 7.4.1,
// 7.2.6): EXISTS may not shrink the mailbox, EXPUNGE and FETCH must name a
// message the client knows, a message's UID never changes, and a FETCH
// shows no keyword a FLAGS response has not defined.
func (v *clientView) apply(line string) error {
	if list, ok := strings.CutPrefix(line, "* FLAGS ("); ok {
		v.keywords = map[string]bool{}
		for _, k := range strings.Fields(strings.TrimSuffix(list, ")")) {
			v.keywords[k] = true
		}
		return nil
	}
	if _, flags, ok := strings.Cut(line, " FETCH ("); ok && strings.HasPrefix(line, "* ") {
		if _, list, ok := strings.Cut(flags, "FLAGS ("); ok {
			list, _, _ = strings.Cut(list, ")")
			for _, k := range strings.Fields(list) {
				if !strings.HasPrefix(k, `\`) && !v.keywords[k] {
					return fmt.Errorf("%s: %q shows keyword %s before a FLAGS response defined it", v.name, line, k)
				}
			}
		}
	}
	f := strings.Fields(strings.NewReplacer("(", " ", ")", " ").Replace(line))
	if len(f) < 3 || f[0] != "*" {
		return nil
	}
	n, err := strconv.Atoi(f[1])
	if err != nil {
		if f[1] == "SEARCH" {
			for _, s := range f[2:] {
				if k, _ := strconv.Atoi(s); k < 1 || k > len(v.uids) {
					return fmt.Errorf("%s: SEARCH names message %d of %d", v.name, k, len(v.uids))
				}
			}
		}
		return nil
	}
	switch f[2] {
	case "EXISTS":
		if n < len(v.uids) {
			return fmt.Errorf("%s: %q shrinks the mailbox from %d", v.name, line, len(v.uids))
		}
		for len(v.uids) < n {
			v.uids = append(v.uids, 0)
		}
	case "EXPUNGE":
		if n < 1 || n > len(v.uids) {
			return fmt.Errorf("%s: %q names a message the client was never told of (it knows %d)", v.name, line, len(v.uids))
		}
		v.uids = slices.Delete(v.uids, n-1, n)
	case "FETCH":
		if n < 1 || n > len(v.uids) {
			return fmt.Errorf("%s: %q names a message the client was never told of (it knows %d)", v.name, line, len(v.uids))
		}
		if i := slices.Index(f, "UID"); i > 0 && i+1 < len(f) {
			uid, _ := strconv.ParseUint(f[i+1], 10, 32)
			if known := v.uids[n-1]; known != 0 && known != uint32(uid) {
				return fmt.Errorf("%s: %q, but message %d was UID %d", v.name, line, n, known)
			}
			v.uids[n-1] = uint32(uid)
		}
	}
	return nil
}

// modelSession is one client of the randomized test.
type modelSession struct {
	c    *conn
	view *clientView
	tags int
}

func (m *modelSession) do(t *testing.T, cmd string) []string {
	t.Helper()
	m.tags++
	tag := "m" + strconv.Itoa(m.tags)
	m.c.send(tag + " " + cmd)
	lines := m.c.until(tag)
	for _, l := range lines {
		if err := m.view.apply(l); err != nil {
			t.Fatalf("after %s %s:\n%s\n%v", tag, cmd, strings.Join(lines, "\n"), err)
		}
	}
	return lines
}

// TestSessionsAgreeWithTheStore runs several sessions on one INBOX, each
// doing random APPEND, STORE, EXPUNGE, COPY, MOVE, FETCH and SEARCH, with
// mail delivered in between. Each session's view is rebuilt only from the
// untagged responses it received; after its NOOP it must hold exactly the
// store's messages, in order, with every UID it learned on the way right.
func TestSessionsAgreeWithTheStore(t *testing.T) {
	for seed := int64(1); seed <= 12; seed++ {
		t.Run(strconv.FormatInt(seed, 10), func(t *testing.T) { runModel(t, seed, 250) })
	}
}

func runModel(t *testing.T, seed int64, steps int) {
	rng := rand.New(rand.NewSource(seed))
	st, u := inboxAndOther(t, 4)
	inbox, _ := u.Mailbox("INBOX")
	var sessions []*modelSession
	for i := 0; i < 3; i++ {
		m := &modelSession{c: login(t, st, "melanie", "toybox"), view: &clientView{name: "session " + strconv.Itoa(i)}}
		m.do(t, "SELECT INBOX")
		sessions = append(sessions, m)
	}
	msg := "APPEND INBOX %s{21+}\r\nSubject: m\r\n\r\nbody\r\n"
	for step := 0; step < steps; step++ {
		m := sessions[rng.Intn(len(sessions))]
		n := len(m.view.uids)
		seq := strconv.Itoa(rng.Intn(max(n, 1)) + 1)
		switch op := rng.Intn(13); {
		case op == 0:
			if _, err := st.Deliver("melanie", message("delivered", "text")); err != nil {
				t.Fatal(err)
			}
		case op == 1:
			m.do(t, fmt.Sprintf(msg, ""))
		case op == 2:
			m.do(t, fmt.Sprintf(msg, `(\Deleted) `))
		case op == 3 && n > 0:
			m.do(t, "STORE "+seq+` +FLAGS.SILENT (\Deleted)`)
		case op == 4 && n > 0:
			m.do(t, "STORE "+seq+":* "+[]string{"+", "-"}[rng.Intn(2)]+`FLAGS (\Deleted)`)
		case op == 5:
			m.do(t, "EXPUNGE")
		case op == 6 && n > 0:
			m.do(t, "MOVE "+seq+" "+[]string{"INBOX", "Other"}[rng.Intn(2)])
		case op == 7 && n > 0:
			m.do(t, "COPY "+seq+" INBOX")
		case op == 8 && n > 0:
			m.do(t, "FETCH "+seq+":* (UID FLAGS)")
		case op == 9:
			m.do(t, "SEARCH "+[]string{"ALL", "DELETED", "UNDELETED"}[rng.Intn(3)])
		case op == 10 && n > 0:
			m.do(t, "UID FETCH 1:* FLAGS")
		case op == 11 && n > 0:
			m.do(t, "STORE "+seq+" +FLAGS.SILENT (K"+strconv.Itoa(rng.Intn(20))+")")
		default:
			m.do(t, "NOOP")
			checkView(t, m, inbox)
		}
	}
	for _, m := range sessions {
		m.do(t, "NOOP")
		checkView(t, m, inbox)
	}
}

// checkView fetches every UID (nothing else runs meanwhile) and compares
// the view with the store.
func checkView(t *testing.T, m *modelSession, inbox *mailstore.Mailbox) {
	t.Helper()
	if len(m.view.uids) > 0 {
		m.do(t, "FETCH 1:* UID")
	}
	if want := inbox.UIDs(); !slices.Equal(m.view.uids, want) {
		t.Fatalf("%s sees UIDs %v, the store holds %v", m.view.name, m.view.uids, want)
	}
}
