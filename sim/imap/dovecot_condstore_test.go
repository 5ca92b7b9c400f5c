//go:build !js && !wasip1

package imap

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"maillab/sim/mailstore"
	"maillab/sim/mime/dovecottest"
)

// TestDovecotCondstoreDifferential runs one CONDSTORE/QRESYNC script on
// Dovecot and here, over the same Maildir, in three sessions: STOREs,
// an EXPUNGE from a second session, FETCH CHANGEDSINCE with VANISHED,
// STORE UNCHANGEDSINCE, SEARCH MODSEQ, and a third session's SELECT
// QRESYNC from the mod-sequence the first saw at the start. Mod-sequence
// values differ between the servers, so what is compared is what they
// mean: which UIDs each answer reports vanished or changed (with their
// flags), the completion and its response code, the messages SEARCH
// finds, and the order of the messages' mod-sequences.
func TestDovecotCondstoreDifferential(t *testing.T) {
	root := t.TempDir()
	md := filepath.Join(root, "melanie")
	for _, sub := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(md, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 8 {
		name := fmt.Sprintf("%d.M%dP1.test:2,", 1000000000+i, i)
		if err := os.WriteFile(filepath.Join(md, "cur", name), []byte(fmt.Sprintf("Subject: m%d\n\nbody\n", i+1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st, _ := loadMelanieMaildir(t, root)
	dovecot, ours := condSides(t, st, md)
	steps := []string{
		"A: ENABLE QRESYNC", "A: SELECT INBOX",
		`A: UID STORE 1,3 +FLAGS (\Seen)`,
		"B: ENABLE QRESYNC", "B: SELECT INBOX",
		`B: UID STORE 2 +FLAGS (\Flagged)`, `B: UID STORE 4,5 +FLAGS.SILENT (\Deleted)`, "B: EXPUNGE",
		"A: NOOP",
		"A: UID FETCH 1:* (FLAGS) (CHANGEDSINCE {H0} VANISHED)",
		"A: UID FETCH 1:3 (FLAGS) (CHANGEDSINCE {H0} VANISHED)",
		`A: UID STORE 1,2 (UNCHANGEDSINCE {M1}) +FLAGS (\Answered)`,
		`A: STORE 1 (UNCHANGEDSINCE 0) +FLAGS (\Draft)`,
		"A: SEARCH MODSEQ {M1}",
		"A: UID FETCH 1:* (MODSEQ)",
		"B: NOOP",
		// An expunge A cannot be told during STORE, FETCH or SEARCH, and a
		// change after it: A's HIGHESTMODSEQ stays below the expunge until
		// a UID command (or NOOP) may tell it.
		`B: UID STORE 6 +FLAGS.SILENT (\Deleted)`, "B: UID EXPUNGE 6", `B: UID STORE 7 +FLAGS.SILENT (\Flagged)`,
		`A: STORE 1 +FLAGS (\Draft)`, "A: FETCH 1 (FLAGS)", "A: SEARCH UNDELETED",
		"A: UID FETCH 1:3 (FLAGS)", "A: NOOP",
		`B: UID STORE 8 +FLAGS.SILENT (\Deleted)`, "B: UID EXPUNGE 8",
		"C: ENABLE QRESYNC",
		"C: SELECT INBOX (QRESYNC ({V} {H0} 1:10))",
		"C: EXAMINE INBOX (QRESYNC ({V} {M1} 2:10 (1:3 2:4)))",
		"C: UNSELECT", "C: STATUS INBOX (HIGHESTMODSEQ)",
		"A: IDLE+DONE",
	}
	// Where the answers differ on purpose. A message another session
	// flagged \Deleted and expunged while this one could not be told
	// (during STORE): Dovecot's view still has it and reports the flag
	// change; here the message is gone from the store, and only the
	// expunge is left to tell.
	differs := map[string]string{
		`A: STORE 1 +FLAGS (\Draft)`: "FETCH UID 1 FLAGS (\\Answered \\Draft \\Seen) MODSEQ; FETCH UID 6 FLAGS (\\Deleted) MODSEQ; FETCH UID 7 FLAGS (\\Flagged) MODSEQ; order 6 < 7 < 1; OK [HIGHESTMODSEQ]" +
			" / FETCH UID 1 FLAGS (\\Answered \\Draft \\Seen) MODSEQ; FETCH UID 7 FLAGS (\\Flagged) MODSEQ; OK [HIGHESTMODSEQ]",
	}
	for _, step := range steps {
		who := int(step[0] - 'A')
		cmd := step[3:]
		var got [2]string
		for i, side := range []*condSide{dovecot, ours} {
			lines := side.run(who, cmd)
			side.learn(lines)
			got[i] = meaning(lines)
		}
		if want, ok := differs[step]; ok {
			if got[0]+" / "+got[1] != want {
				t.Errorf("%s\n Dovecot: %s\n ours:    %s\n the documented difference is %s", step, got[0], got[1], want)
			}
		} else if got[0] != got[1] {
			t.Errorf("%s\n Dovecot: %s\n ours:    %s", step, got[0], got[1])
		}
	}
}

// condSide is one server's three sessions and the values learnt from them.
type condSide struct {
	name string
	do   []func(cmd string) []string
	vars map[string]string
}

func (c *condSide) run(who int, cmd string) []string {
	for k, v := range c.vars {
		cmd = strings.ReplaceAll(cmd, "{"+k+"}", v)
	}
	if cmd == "IDLE+DONE" {
		// IDLE answers "+" at once; DONE ends it.
		lines := c.do[who]("IDLE\r\nDONE")
		return lines
	}
	return c.do[who](cmd)
}

var (
	reHighest = regexp.MustCompile(`^\* OK \[HIGHESTMODSEQ (\d+)\]`)
	reValid   = regexp.MustCompile(`^\* OK \[UIDVALIDITY (\d+)\]`)
	reUIDMod  = regexp.MustCompile(`UID (\d+) .*MODSEQ \((\d+)\)|MODSEQ \((\d+)\).*UID (\d+)`)
)

// learn keeps the first HIGHESTMODSEQ (H0), the UIDVALIDITY (V) and the
// mod-sequence UID 1 got from the first STORE (M1).
func (c *condSide) learn(lines []string) {
	for _, l := range lines {
		if m := reHighest.FindStringSubmatch(l); m != nil && c.vars["H0"] == "" {
			c.vars["H0"] = m[1]
		}
		if m := reValid.FindStringSubmatch(l); m != nil {
			c.vars["V"] = m[1]
		}
		if m := reUIDMod.FindStringSubmatch(l); m != nil && c.vars["M1"] == "" {
			uid, ms := m[1]+m[4], m[2]+m[3]
			if uid == "1" {
				c.vars["M1"] = ms
			}
		}
	}
}

var (
	reFetch    = regexp.MustCompile(`^\* \d+ FETCH \((.*)\)$`)
	reUID      = regexp.MustCompile(`UID (\d+)`)
	reFlags    = regexp.MustCompile(`FLAGS \(([^)]*)\)`)
	reModseq   = regexp.MustCompile(`MODSEQ \((\d+)\)`)
	reSearchMS = regexp.MustCompile(` \(MODSEQ \d+\)$`)
)

// meaning is what a command's answer says, without the values that differ
// between servers, its untagged parts in sorted order (the servers send
// pending updates before or after a command's own answer, expunges before
// or after flag changes): the VANISHED sets, each FETCH as UID, flags (without
// \Recent) and whether it carries MODSEQ, the order of the mod-sequences
// of a FETCH of them all, SEARCH's numbers and whether it gave a MODSEQ,
// STATUS's items, and the completion with its response code's name (and
// MODIFIED's set).
func meaning(lines []string) string {
	var out []string
	type ums struct {
		uid string
		ms  uint64
	}
	var mods []ums
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "* VANISHED"):
			out = append(out, l[2:])
		case reFetch.MatchString(l):
			body := reFetch.FindStringSubmatch(l)[1]
			d := "FETCH"
			if m := reUID.FindStringSubmatch(body); m != nil {
				d += " UID " + m[1]
			}
			if m := reFlags.FindStringSubmatch(body); m != nil {
				f := slices.DeleteFunc(strings.Fields(m[1]), func(s string) bool { return s == `\Recent` })
				slices.Sort(f)
				d += " FLAGS (" + strings.Join(f, " ") + ")"
			}
			if m := reModseq.FindStringSubmatch(body); m != nil {
				d += " MODSEQ"
				ms, _ := strconv.ParseUint(m[1], 10, 64)
				if u := reUID.FindStringSubmatch(body); u != nil {
					mods = append(mods, ums{u[1], ms})
				}
			}
			out = append(out, d)
		case strings.HasPrefix(l, "* SEARCH"):
			s := l[2:]
			if reSearchMS.MatchString(s) {
				s = reSearchMS.ReplaceAllString(s, " (MODSEQ n)")
			}
			out = append(out, s)
		case strings.HasPrefix(l, "* STATUS"):
			out = append(out, regexp.MustCompile(`\d+`).ReplaceAllString(l[2:], "n"))
		case strings.HasPrefix(l, "* ENABLED"), strings.HasPrefix(l, "* OK [CLOSED]"):
			out = append(out, l[2:])
		case strings.HasPrefix(l, "* OK [HIGHESTMODSEQ"):
			out = append(out, "OK [HIGHESTMODSEQ]")
		}
	}
	slices.Sort(out)
	if len(mods) > 2 {
		// The order of the mod-sequences: UIDs grouped by equal values,
		// groups ascending.
		sort.SliceStable(mods, func(i, j int) bool { return mods[i].ms < mods[j].ms })
		var groups []string
		for i, m := range mods {
			if i > 0 && m.ms == mods[i-1].ms {
				groups[len(groups)-1] += "," + m.uid
				continue
			}
			groups = append(groups, m.uid)
		}
		out = append(out, "order "+strings.Join(groups, " < "))
	}
	last := strings.Fields(lines[len(lines)-1])
	done := last[1]
	if len(last) > 2 && strings.HasPrefix(last[2], "[") {
		code := strings.TrimPrefix(last[2], "[")
		if code == "MODIFIED" && len(last) > 3 {
			code += " " + strings.TrimSuffix(last[3], "]")
		}
		done += " [" + strings.TrimSuffix(code, "]") + "]"
	}
	return strings.Join(append(out, done), "; ")
}

// condSides opens three sessions on each server over the Maildir md, which
// st has loaded: Dovecot's and ours (melanie's), for a script's A:, B:
// and C: lines.
func condSides(t *testing.T, st *mailstore.Store, md string) (dovecot, ours *condSide) {
	t.Helper()
	dA := dovecottest.Start(t, md)
	dovecot = &condSide{name: "Dovecot", vars: map[string]string{}}
	ours = &condSide{name: "ours", vars: map[string]string{}}
	for i := range 3 {
		d := dA
		if i > 0 {
			d = dA.Open(t)
		}
		dovecot.do = append(dovecot.do, func(cmd string) []string {
			l, err := d.Lines(cmd)
			if err != nil {
				t.Fatal(err)
			}
			return l
		})
		var c *conn
		ours.do = append(ours.do, func(cmd string) []string {
			if c == nil {
				c = login(t, st, "melanie", "toybox")
			}
			return c.doLines("x", cmd)
		})
	}
	return dovecot, ours
}
