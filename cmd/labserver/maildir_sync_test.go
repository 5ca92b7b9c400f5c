package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"maillab/sim/mime/dovecottest"
)

// untagged returns the untagged lines of an answer, sorted, so that two
// servers' answers compare whatever order they send them in.
func untagged(lines []string) []string {
	var out []string
	for _, l := range lines {
		if strings.HasPrefix(l, "* ") {
			out = append(out, l)
		}
	}
	slices.Sort(out)
	return out
}

// Changes other programs make to the Maildir while labserver serves it are
// reported at the next NOOP as Dovecot reports them on the same changes: a
// file dropped into new/ (EXISTS, RECENT), a file in cur/ renamed for its
// flags (FETCH FLAGS), a file removed (EXPUNGE). Without -persist, too.
func TestMaildirChangedOutsideLikeDovecot(t *testing.T) {
	for _, persist := range []bool{false, true} {
		t.Run("persist="+strconv.FormatBool(persist), func(t *testing.T) {
			dir, files := writeMaildir(t)
			args := []string{"-imap", "127.0.0.1:0", "-maildir", dir}
			if persist {
				args = append(args, "-persist")
			}
			l := startLab(t, testConfig(t, args...))
			d := dovecottest.Start(t, filepath.Join(dir, "kim"))
			ours := filepath.Join(dir, "kim")
			theirs := filepath.Join(d.Dir, "Maildir")

			c := dial(t, l.imapAddr())
			c.expect("* OK")
			c.imapDo("a1", "LOGIN kim secret123")
			c.imapDo("a2", "SELECT INBOX")
			// Dovecot gives a session \Recent for every message of a
			// folder it has not served before; one SELECT and CLOSE take
			// that, as the lab's load takes it for files in cur/.
			for _, cmd := range []string{"SELECT INBOX", "CLOSE", "SELECT INBOX"} {
				if _, err := d.Lines(cmd); err != nil {
					t.Fatal(err)
				}
			}
			steps := []struct {
				what string
				do   func(md string) error
			}{
				{"a file dropped into new/", func(md string) error {
					return os.WriteFile(filepath.Join(md, "new", "1700000009.M9P9.mta"), []byte("Subject: dropped in\n\nHello.\n"), 0o644)
				}},
				{"a file in cur/ renamed to \\Flagged", func(md string) error {
					return os.Rename(filepath.Join(md, "cur", files[1]), filepath.Join(md, "cur", files[1]+"F"))
				}},
				{"a file removed", func(md string) error {
					return os.Remove(filepath.Join(md, "cur", files[0]))
				}},
			}
			for i, st := range steps {
				for _, md := range []string{ours, theirs} {
					if err := st.do(md); err != nil {
						t.Fatal(err)
					}
				}
				want, err := d.Lines("NOOP")
				if err != nil {
					t.Fatal(err)
				}
				got := c.imapDo("n"+strconv.Itoa(i), "NOOP")
				if !slices.Equal(untagged(got), untagged(want)) {
					t.Errorf("%s: NOOP answered\n%q\nDovecot answers\n%q", st.what, untagged(got), untagged(want))
				}
				if len(untagged(want)) == 0 {
					t.Errorf("%s: Dovecot reported nothing; the step changes nothing", st.what)
				}
			}
		})
	}
}

// ldaDeliver delivers msg into the Maildir at md with Dovecot's delivery
// agent, as an MTA on the same machine would; as root, as nobody, which
// then owns the tree (Dovecot delivers as no privileged user).
func ldaDeliver(t *testing.T, md, msg string) {
	t.Helper()
	home, err := os.MkdirTemp("", "lda")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(home) })
	conf := filepath.Join(home, "lda.conf")
	if err := os.WriteFile(conf, []byte("mail_location = maildir:"+md+"\nlog_path = "+filepath.Join(home, "lda.log")+
		"\nssl = no\nfirst_valid_uid = 0\nfirst_valid_gid = 0\nnamespace inbox {\n  inbox = yes\n  separator = /\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	lda := []string{"/usr/lib/dovecot/dovecot-lda", "-c", conf, "-f", "teacher@example.org"}
	env := []string{"env", "-i", "USER=kim", "HOME=" + home, "PATH=/usr/bin:/bin"}
	argv := append(env, lda...)
	if os.Getuid() == 0 {
		// The test's folders are private to root: let nobody through.
		for p := filepath.Dir(md); strings.HasPrefix(p, os.TempDir()+"/"); p = filepath.Dir(p) {
			if err := os.Chmod(p, 0o711); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range []string{home, md} {
			if err := exec.Command("chown", "-R", "65534:65534", p).Run(); err != nil {
				t.Fatal(err)
			}
		}
		argv = append([]string{"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"}, argv...)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin = strings.NewReader(msg)
	if out, err := cmd.CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(home, "lda.log"))
		t.Fatalf("dovecot-lda: %v: %s %s", err, out, log)
	}
}

// Mail Dovecot's delivery agent puts into the Maildir of a running
// labserver -persist: a selected INBOX sees it at NOOP with the UID
// Dovecot gave it, a session in IDLE hears of it unasked, STATUS counts
// it, and the next POP3 session lists it.
func TestMaildirDeliveredByDovecotLDA(t *testing.T) {
	dir, _ := writeMaildir(t)
	l := startLab(t, testConfig(t, "-imap", "127.0.0.1:0", "-maildir", dir, "-persist"))
	c := dial(t, l.imapAddr())
	c.expect("* OK")
	c.imapDo("a1", "LOGIN kim secret123")
	c.imapDo("a2", "SELECT INBOX")
	idler := dial(t, l.imapAddr())
	idler.expect("* OK")
	idler.imapDo("i1", "LOGIN kim secret123")
	idler.imapDo("i2", "EXAMINE INBOX")
	idler.send("i3 IDLE\r\n")
	idler.expect("+ ")

	ldaDeliver(t, filepath.Join(dir, "kim"), "From: teacher@example.org\nTo: kim@example.org\nSubject: delivered by dovecot-lda\n\nRead chapter 3.\n")
	list, err := os.ReadFile(filepath.Join(dir, "kim", "dovecot-uidlist"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(list)), "\n")
	uid := strings.Fields(lines[len(lines)-1])[0]

	idler.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if got := idler.line(); got != "* 3 EXISTS" {
		t.Errorf("in IDLE: %q, want * 3 EXISTS without a command", got)
	}
	idler.c.SetReadDeadline(time.Time{})

	noop := strings.Join(c.imapDo("a3", "NOOP"), "\n")
	if !strings.Contains(noop, "* 3 EXISTS") || !strings.Contains(noop, "* 1 RECENT") {
		t.Errorf("NOOP after the delivery: %q, want 3 EXISTS and 1 RECENT", noop)
	}
	fetch := strings.Join(c.imapDo("a4", "FETCH 3 (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])"), "\n")
	if !strings.Contains(fetch, "UID "+uid+" ") || !strings.Contains(fetch, "delivered by dovecot-lda") {
		t.Errorf("FETCH 3: %q, want UID %s (Dovecot's) and the subject", fetch, uid)
	}

	other := dial(t, l.imapAddr())
	other.expect("* OK")
	other.imapDo("s1", "LOGIN kim secret123")
	if st := strings.Join(other.imapDo("s2", "STATUS INBOX (MESSAGES UIDNEXT)"), "\n"); !strings.Contains(st, "MESSAGES 3") {
		t.Errorf("STATUS: %q, want MESSAGES 3", st)
	}
	p := dial(t, l.pop3Addr())
	login(t, p, "kim", "secret123")
	if got := p.ok("STAT"); !strings.HasPrefix(got, "+OK 3 ") {
		t.Errorf("POP3 STAT: %q, want 3 messages", got)
	}
	p.ok("QUIT")
}
