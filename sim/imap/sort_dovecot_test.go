//go:build !js && !wasip1

package imap

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"maillab/sim/mime/dovecottest"
)

// threadCorpus are messages whose Message-ID, References, In-Reply-To,
// Subject and Date fields exercise RFC 5256's rules (and THREAD=REFS's
// order by the latest message): chains, replies to
// messages that are not there (dummies), a parent found only through
// another message's References, a duplicate Message-ID, a loop of
// references, subjects with Re:, Fwd:, [blob] and (fwd), equal dates.
var threadCorpus = []string{
	"Message-ID: <a1@x>\nSubject: Lecture notes\nFrom: Alex <alex@example.org>\nTo: Melanie <melanie@example.org>\nDate: Mon, 5 Oct 2026 10:00:00 +0000\n",
	"Message-ID: <a2@x>\nIn-Reply-To: <a1@x>\nSubject: Re: Lecture notes\nFrom: melanie@example.org\nTo: alex@example.org\nDate: Mon, 5 Oct 2026 11:00:00 +0000\n",
	"Message-ID: <a3@x>\nReferences: <a1@x> <a2@x>\nSubject: RE: Lecture notes\nFrom: \"Smith, J.\" <smith@example.org>\nTo: alex@example.org\nCc: melanie@example.org\nDate: Mon, 5 Oct 2026 09:00:00 -0300\n",
	"Message-ID: <b2@x>\nReferences: <b1@x>\nSubject: Re: [course] Exam dates\nFrom: =?UTF-8?Q?Ren=C3=A9e?= <renee@example.org>\nTo: class@example.org\nDate: Tue, 6 Oct 2026 08:00:00 +0200\n",
	"Message-ID: <b3@x>\nReferences: <b1@x>\nSubject: Re: [course] Exam dates\nFrom: bob@example.org\nTo: class@example.org\nDate: Tue, 6 Oct 2026 07:00:00 +0000\n",
	"Message-ID: <c1@x>\nSubject: Fwd: Exam dates (fwd)\nFrom: Zed <zed@example.org>\nTo: alex@example.org\nDate: Wed, 7 Oct 2026 10:00:00 +0000\n",
	"Message-ID: <d1@x>\nSubject: [fwd: Exam dates]\nFrom: carol@example.org\nTo: Dave <dave@example.org>\nDate: Wed, 7 Oct 2026 10:00:00 +0000\n",
	"Message-ID: <a1@x>\nSubject: Duplicate id\nFrom: eve@example.org\nTo: alex@example.org\nDate: Thu, 8 Oct 2026 10:00:00 +0000\n",
	"Message-ID: <e1@x>\nReferences: <e2@x>\nSubject: loop one\nFrom: alex@example.org\nTo: bob@example.org\nDate: Thu, 8 Oct 2026 11:00:00 +0000\n",
	"Message-ID: <e2@x>\nReferences: <e1@x>\nSubject: loop two\nFrom: bob@example.org\nTo: alex@example.org\nDate: Thu, 8 Oct 2026 12:00:00 +0000\n",
	"Message-ID: <f3@x>\nReferences: <f1@x> <f2@x>\nSubject: Re: Deep thread\nFrom: alex@example.org\nTo: bob@example.org\nDate: Fri, 9 Oct 2026 12:00:00 +0000\n",
	"Message-ID: <f1@x>\nSubject: Deep thread\nFrom: bob@example.org\nTo: alex@example.org\nDate: Fri, 9 Oct 2026 10:00:00 +0000\n",
	"Message-ID: <g1@x>\nIn-Reply-To: Your message of Monday <f1@x>\nSubject: Re: Re: Deep thread\nFrom: carol@example.org\nTo: bob@example.org\nDate: Fri, 9 Oct 2026 13:00:00 +0000\n",
	"Subject: Re: Lecture notes\nFrom: dave@example.org\nTo: alex@example.org\nDate: Sat, 10 Oct 2026 10:00:00 +0000\n",
	"Message-ID: <h1@x>\nSubject: Lecture notes\nFrom: frank@example.org\nTo: alex@example.org\nDate: Sat, 10 Oct 2026 09:00:00 +0000\n",
	"Message-ID: <i1@x>\nSubject: \nFrom: alex@example.org\nTo: nobody: ;\nDate: Sun, 11 Oct 2026 10:00:00 +0000\n",
	"Message-ID: <i2@x>\nIn-Reply-To: <i1@x>\nFrom: Alex <alex@example.org>\nTo: undisclosed-recipients:;\nDate: Sun, 11 Oct 2026 10:00:00 +0000\n",
	"Message-ID: <j1@x>\nSubject: =?KOI8-R?B?8NLJ18XUIQ==?=\nFrom: =?KOI8-R?B?6dfBzg==?= <ivan@example.ru>\nTo: melanie@example.org\nDate: Mon, 12 Oct 2026 10:00:00 +0300\n",
	"Message-ID: <j2@x>\nReferences: <j1@x>\nSubject: Re: =?KOI8-R?B?8NLJ18XUIQ==?=\nFrom: melanie@example.org\nTo: =?UTF-8?B?0JjQstCw0L0=?= <ivan@example.ru>\nDate: Mon, 12 Oct 2026 11:00:00 +0300\n",
	"Message-ID: <k1@x>\nSubject: Re: no parent here\nFrom: alex@example.org\nTo: bob@example.org\nDate: Tue, 13 Oct 2026 10:00:00 +0000\n",
	"Message-ID: <k2@x>\nSubject: no parent here\nFrom: bob@example.org\nTo: alex@example.org\nDate: Tue, 13 Oct 2026 11:00:00 +0000\n",
	// Late replies: THREAD=REFS puts their threads last, REFERENCES
	// where they began.
	"Message-ID: <a4@x>\nReferences: <a1@x> <a3@x>\nSubject: Re: Lecture notes\nFrom: bob@example.org\nTo: alex@example.org\nDate: Tue, 20 Oct 2026 10:00:00 +0000\n",
	"Message-ID: <k3@x>\nIn-Reply-To: <k2@x>\nSubject: Re: no parent here\nFrom: alex@example.org\nTo: bob@example.org\nDate: Mon, 19 Oct 2026 10:00:00 +0000\n",
}

// differentialMessages are the mime package's test messages with a Date
// field, then the thread corpus, each as Dovecot stores it (LF) and as
// it is appended here. Messages without a Date field are left out: their
// sent date is the arrival date, which differs between the two servers.
func differentialMessages(t *testing.T) (lf [][]byte) {
	files, err := filepath.Glob("../mime/testdata/*.eml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test messages: %v", err)
	}
	slices.Sort(files)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`(?mi)^Date:`).Match(raw) {
			continue
		}
		lf = append(lf, []byte(strings.ReplaceAll(string(raw), "\r\n", "\n")))
	}
	for i, m := range threadCorpus {
		lf = append(lf, []byte(fmt.Sprintf("%s\nbody %d\n", m, i)))
	}
	return lf
}

// TestDovecotSortThreadESearch runs SORT, THREAD and ESEARCH commands on
// Dovecot and on this server, over the same messages in the same order,
// and compares their untagged answers.
func TestDovecotSortThreadESearch(t *testing.T) {
	lf := differentialMessages(t)
	st := newStore(t, 1000)
	st.SetClock(time.Now) // Dovecot's arrival dates are now, for OLDER and YOUNGER
	u := addUser(t, st, "melanie", "toybox")
	mb, _ := u.Mailbox("INBOX")
	for _, m := range lf {
		if _, err := mb.Append([]byte(strings.ReplaceAll(string(m), "\n", "\r\n")), nil, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	dc := dovecottest.Start(t, dovecottest.WriteMaildir(t, t.TempDir(), lf))
	if _, err := dc.Do("SELECT INBOX"); err != nil {
		t.Fatal(err)
	}
	c := login(t, st, "melanie", "toybox")
	c.do("s", "SELECT INBOX")
	var cmds []string
	for _, k := range []string{"DATE", "SUBJECT", "FROM", "TO", "CC", "SIZE", "DISPLAYFROM", "DISPLAYTO"} {
		cmds = append(cmds, "SORT ("+k+") UTF-8 ALL", "SORT (REVERSE "+k+") UTF-8 ALL")
	}
	cmds = append(cmds,
		"SORT (SUBJECT DATE) UTF-8 ALL", "SORT (FROM REVERSE DATE) US-ASCII ALL", "UID SORT (REVERSE SUBJECT SIZE) UTF-8 ALL",
		"SORT (DISPLAYFROM SUBJECT) UTF-8 SENTSINCE 1-Oct-2026", "SORT (DATE) UTF-8 SUBJECT exam",
		"THREAD REFERENCES UTF-8 ALL", "THREAD ORDEREDSUBJECT UTF-8 ALL", "THREAD REFS UTF-8 ALL", "UID THREAD REFS UTF-8 NOT 1:5", "UID THREAD REFERENCES UTF-8 ALL",
		"THREAD REFERENCES UTF-8 NOT 1:5", "THREAD REFERENCES UTF-8 NOT FROM alex", "THREAD ORDEREDSUBJECT UTF-8 SUBJECT notes",
		"SEARCH RETURN () ALL", "SEARCH RETURN (MIN MAX COUNT) SUBJECT exam", "SEARCH RETURN (COUNT) SUBJECT nothing-like-it",
		"UID SEARCH RETURN (ALL MIN) NOT 2:4", "SEARCH RETURN (PARTIAL 3:7) NOT 2", "SEARCH RETURN (PARTIAL 100:200) ALL",
		"SEARCH RETURN (CONTEXT MAX) FROM alex", "SORT RETURN (ALL) (REVERSE DATE) UTF-8 ALL",
		"SORT RETURN (PARTIAL 2:6 COUNT MIN MAX) (SUBJECT) UTF-8 ALL",
		"SEARCH RETURN (SAVE) FROM alex", "SEARCH $", "UID SEARCH UID $", "FETCH $ (UID)", "SORT (DATE) UTF-8 $ SUBJECT notes",
		"SORT RETURN (SAVE MIN MAX) (SUBJECT) UTF-8 ALL", "SEARCH $", "SEARCH RETURN (SAVE PARTIAL 2:3) ALL", "SEARCH OR $ 1",
		"SEARCH RETURN (SAVE) CHARSET X-NONE ALL", "SEARCH $", "SEARCH YOUNGER 3600", "SEARCH OLDER 3600",
		"SEARCH RETURN (SAVE) SUBJECT nothing-like-it", "FETCH $ (UID)", "UID FETCH $ (UID)", "STORE $ +FLAGS.SILENT (\\Seen)",
		"COPY $ INBOX", "UID SEARCH RETURN (COUNT) $", "SEARCH RETURN (SAVE) 2,4", "STORE $ +FLAGS.SILENT (\\Flagged)", "SEARCH FLAGGED",
	)
	for _, cmd := range cmds {
		want := untaggedOf(t, dc, cmd)
		got := ourUntagged(c, cmd)
		if !slices.Equal(got, want) {
			t.Errorf("%s:\n Dovecot: %q\n ours:    %q", cmd, want, got)
		}
	}
}

// untaggedOf is Dovecot's untagged answer to cmd with the tag cut from
// ESEARCH, and its completion status.
func untaggedOf(t *testing.T, dc *dovecottest.Conn, cmd string) []string {
	t.Helper()
	lines, err := dc.Lines(cmd)
	if err != nil {
		t.Fatal(err)
	}
	return normalizeAnswer(lines)
}

func ourUntagged(c *conn, cmd string) []string { return normalizeAnswer(c.doLines("x1", cmd)) }

var esearchTag = regexp.MustCompile(`^\* ESEARCH \(TAG "[^"]*"\)`)

// normalizeAnswer keeps the untagged data (not the OK/NO texts, which
// differ between servers), the ESEARCH tag left out, and the tagged
// status with its response code.
func normalizeAnswer(lines []string) []string {
	var out []string
	for i, l := range lines {
		if i == len(lines)-1 {
			_, rest, _ := strings.Cut(l, " ")
			status, text, _ := strings.Cut(rest, " ")
			if strings.HasPrefix(text, "[") {
				code, _, _ := strings.Cut(text, "]")
				code, _, _ = strings.Cut(code, " ")
				status += " " + code + "]"
			}
			out = append(out, status)
			continue
		}
		if strings.HasPrefix(l, "* OK") || strings.HasPrefix(l, "* NO") {
			continue
		}
		out = append(out, esearchTag.ReplaceAllString(l, "* ESEARCH (TAG)"))
	}
	return out
}

// TestDovecotContextUpdate keeps searches up to date (RFC 5267's RETURN
// (UPDATE)) in session A while A and B change flags and B appends, on
// Dovecot and here, and compares every line A gets. Expunges are left
// out on purpose: Dovecot sends every REMOVEFROM first, with the numbers
// from before, then the EXPUNGEs from the highest number down; this
// server sends EXPUNGEs from the lowest up, as RFC 3501's example does,
// each after the REMOVEFROM that names the message by the number that
// EXPUNGE gives it (TestContextUpdate).
func TestDovecotContextUpdate(t *testing.T) {
	dc, ours := sixMessagesTwice(t)
	for who := range dc {
		if _, err := dc[who].Lines("SELECT INBOX"); err != nil {
			t.Fatal(err)
		}
		ours[who].do("s", "SELECT INBOX")
	}
	for _, step := range []string{
		"A: SEARCH RETURN (UPDATE) SEEN",
		"A: UID SEARCH RETURN (UPDATE ALL) OR FLAGGED 1",
		"A: SEARCH RETURN (UPDATE COUNT) UNSEEN",
		`A: STORE 1,2,4 +FLAGS (\Seen)`,
		`A: STORE 1 -FLAGS.SILENT (\Seen)`,
		`B: STORE 3,5 +FLAGS.SILENT (\Flagged \Seen)`,
		"A: NOOP",
		`B: APPEND INBOX (\Seen) {1+}` + "\r\nx",
		`B: STORE 2 -FLAGS.SILENT (\Seen)`,
		"A: NOOP",
		`A: CANCELUPDATE "d3"`,
		`A: STORE 6 +FLAGS (\Seen)`,
		`A: CANCELUPDATE "d3"`,
	} {
		who, dl, ol := stepOnBoth(t, dc, ours, step)
		// Only the ESEARCH lines and the status: the order of FETCH,
		// EXISTS and RECENT, and \Recent itself, are another matter.
		esearchOnly := func(lines []string) []string {
			return slices.DeleteFunc(normalizeAnswer(lines), func(l string) bool { return strings.HasPrefix(l, "* ") && !strings.HasPrefix(l, "* ESEARCH") })
		}
		want, got := esearchOnly(dl), esearchOnly(ol)
		if who == 0 && !slices.Equal(got, want) {
			t.Errorf("%s:\n Dovecot: %q\n ours:    %q", step, want, got)
		}
	}
}

// sixMessagesTwice puts the same six messages in melanie's INBOX here and
// in a Dovecot of its own, none of them recent, and logs two sessions in
// on each: A and B, nothing selected yet.
func sixMessagesTwice(t *testing.T) (dc []*dovecottest.Conn, ours []*conn) {
	t.Helper()
	var lf [][]byte
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	mb, _ := u.Mailbox("INBOX")
	for i := range 6 {
		m := message(fmt.Sprintf("message %d", i), "text")
		lf = append(lf, []byte(strings.ReplaceAll(string(m), "\r\n", "\n")))
		if _, err := mb.Append(m, nil, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	forgetRecent(t, u, "INBOX")
	dcA := dovecottest.Start(t, dovecottest.WriteMaildir(t, t.TempDir(), lf))
	return []*dovecottest.Conn{dcA, dcA.Open(t)}, []*conn{login(t, st, "melanie", "toybox"), login(t, st, "melanie", "toybox")}
}

// stepOnBoth runs one step, "A: command" or "B: command", in session A or
// B of both servers: Dovecot's lines, then ours, under Dovecot's tag.
func stepOnBoth(t *testing.T, dc []*dovecottest.Conn, ours []*conn, step string) (who int, dovecot, here []string) {
	t.Helper()
	who = int(step[0] - 'A')
	cmd := step[3:]
	dovecot, err := dc[who].Lines(cmd)
	if err != nil {
		t.Fatal(err)
	}
	tag, _, _ := strings.Cut(dovecot[len(dovecot)-1], " ")
	return who, dovecot, ours[who].doLines(tag, cmd)
}
