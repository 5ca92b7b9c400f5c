package main

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"maillab/sim/mime/dovecottest"
)

// imaplibQuota drives Python's imaplib: GETQUOTAROOT, an APPEND past the
// quota, one within it, a COPY that would double the mailbox and a MOVE,
// which takes nothing more. It prints one line per answer.
const imaplibQuota = `
import imaplib, sys
m = imaplib.IMAP4(sys.argv[1], int(sys.argv[2]))
m.login("melanie", "toybox")
print("caps", " ".join(sorted(c.decode() if isinstance(c, bytes) else c for c in m.capabilities)))
typ, data = m.getquotaroot("INBOX")
print("getquotaroot", typ, data)
print("append-big", m.append("INBOX", None, None, b"Subject: big\r\n\r\n" + b"x" * 9000 + b"\r\n"))
print("append-small", m.append("INBOX", None, None, b"Subject: small\r\n\r\n" + b"x" * 3000 + b"\r\n")[0])
print("getquota", m.getquota('"User quota"'))
m.create("Later")
m.select("INBOX")
print("copy", m.copy("1:*", "Later"))
print("move", m.uid("MOVE", "1", "Later")[0])
m.logout()
`

// With -quota every user's mailboxes together hold at most that much:
// IMAP reports it (RFC 9208) and refuses APPEND and COPY past it with
// NO [OVERQUOTA]; LMTP refuses the delivery with 552 5.2.2, as Dovecot's
// LMTP does, and SMTP takes it and bounces it to the sender with that
// reply, as Postfix in front of Dovecot does.
func TestQuotaOverTCP(t *testing.T) {
	l := startLab(t, testConfig(t, "-imap", "127.0.0.1:0", "-smtp", "127.0.0.1:0", "-lmtp", "127.0.0.1:0", "-quota", "10K"))
	host, port := hostPort(t, l.imapAddr())
	out, err := exec.Command("python3", "-c", imaplibQuota, host, port).CombinedOutput()
	if err != nil {
		t.Fatalf("imaplib: %v\n%s", err, out)
	}
	got := string(out)
	for _, want := range []string{
		"QUOTA QUOTA=RES-MESSAGE QUOTA=RES-STORAGE",
		`getquotaroot OK [[b'INBOX "User quota"'], [b'"User quota" (STORAGE 3 10)']]`,
		"append-big ('NO', [b'[OVERQUOTA] Quota exceeded (mailbox for user is full)'])",
		"append-small OK",
		`getquota ('OK', [b'"User quota" (STORAGE 6 10)'])`,
		"copy ('NO', [b'[OVERQUOTA] Quota exceeded (mailbox for user is full)'])",
		"move OK",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("imaplib printed\n%s\nwant a line with %s", got, want)
		}
	}

	big := strings.Repeat(strings.Repeat("y", 78)+"\r\n", 100)
	// alex's own quota leaves room for a bounce that returns only the
	// header (RET=HDRS, RFC 3461).
	for _, srv := range []struct{ name, addr, hello, mail string }{
		{"lmtp", l.app.addr("lmtp"), "LHLO client.example", "MAIL FROM:<alex@example.org>"},
		{"smtp", l.app.addr("smtp"), "EHLO client.example", "MAIL FROM:<alex@example.org> RET=HDRS"},
	} {
		c := dial(t, srv.addr)
		c.expect("220 ")
		c.send(srv.hello + "\r\n")
		for !strings.HasPrefix(c.line(), "250 ") {
		}
		c.send(srv.mail + "\r\nRCPT TO:<melanie@example.org>\r\nDATA\r\n")
		c.expect("250 ")
		c.expect("250 ")
		c.expect("354 ")
		c.send("Subject: too much\r\n\r\n" + big + ".\r\n")
		switch got := c.line(); {
		case srv.name == "lmtp" && got != "552 5.2.2 <melanie@example.org> Quota exceeded (mailbox for user is full)":
			t.Errorf("%s after DATA: %q", srv.name, got)
		case srv.name == "smtp" && !strings.HasPrefix(got, "250 2.0.0 Ok: queued as "):
			// As Postfix in front of Dovecot's LMTP: 250, then a bounce.
			t.Errorf("%s after DATA: %q", srv.name, got)
		case srv.name == "smtp":
			bounce := lastMessage(t, l, "alex")
			for _, want := range []string{"Subject: Undelivered Mail Returned to Sender", "Status: 5.2.2",
				"Diagnostic-Code: smtp; 552 5.2.2 <melanie@example.org> Quota exceeded (mailbox for user is full)"} {
				if !strings.Contains(bounce, want) {
					t.Errorf("alex's bounce lacks %q:\n%s", want, bounce)
				}
			}
		}
		// Mail that fits still arrives.
		c.send("MAIL FROM:<alex@example.org>\r\nRCPT TO:<melanie@example.org>\r\nDATA\r\n")
		c.expect("250 ")
		c.expect("250 ")
		c.expect("354 ")
		c.send("Subject: a little\r\n\r\nfits\r\n.\r\n")
		c.expect("250 ")
		c.cmd("QUIT")
	}
}

// dovecotQuota is Dovecot's quota plugin with one root per user of 10 KiB,
// counting messages as IMAP does (CRLF), as -quota 10K does.
const dovecotQuota = `mail_plugins = quota
protocol imap {
  mail_plugins = quota imap_quota
}
plugin {
  quota = count:User quota
  quota_vsizes = yes
  quota_rule = *:storage=10K
}`

// GETQUOTAROOT, GETQUOTA and an APPEND past the quota are answered as
// Dovecot's quota plugin answers them on the same Maildir: the same
// untagged responses, the same refusals.
func TestQuotaLikeDovecot(t *testing.T) {
	dir, _ := writeMaildir(t)
	l := startLab(t, testConfig(t, "-imap", "127.0.0.1:0", "-maildir", dir, "-quota", "10K"))
	d := dovecottest.StartWith(t, filepath.Join(dir, "kim"), dovecotQuota)
	c := dial(t, l.imapAddr())
	c.expect("* OK")
	c.imapDo("a0", "LOGIN kim secret123")
	big := "{12000+}\r\n" + strings.Repeat(strings.Repeat("x", 98)+"\r\n", 120)
	for i, cmd := range []string{"GETQUOTAROOT INBOX", `GETQUOTA "User quota"`, `GETQUOTA "nothing"`, "APPEND INBOX " + big, "GETQUOTAROOT INBOX"} {
		want, err := d.Lines(cmd)
		if err != nil {
			t.Fatal(err)
		}
		got := c.imapLines("q"+strconv.Itoa(i), cmd)
		if !slices.Equal(untagged(got), untagged(want)) || outcome(got) != outcome(want) {
			t.Errorf("%.30s: labserver answers\n%q\nDovecot\n%q", cmd, got, want)
		}
	}
}

// outcome is a tagged reply without its tag and, for OK, its text (which
// Dovecot words as "Getquota completed (0.001 + 0.000 secs).").
func outcome(lines []string) string {
	last := lines[len(lines)-1]
	_, rest, _ := strings.Cut(last, " ")
	if strings.HasPrefix(rest, "OK") {
		return "OK"
	}
	rest, _, _ = strings.Cut(rest, " (0.")
	return strings.TrimSuffix(rest, ".")
}

// lastMessage is the newest message in user's INBOX, as stored.
func lastMessage(t *testing.T, l *lab, user string) string {
	t.Helper()
	u, ok := l.app.srv.Store.User(user)
	if !ok {
		t.Fatalf("no user %s", user)
	}
	mb, err := u.Mailbox("INBOX")
	if err != nil {
		t.Fatal(err)
	}
	msgs := mb.Messages()
	if len(msgs) == 0 {
		t.Fatalf("%s's INBOX is empty", user)
	}
	return string(msgs[len(msgs)-1].Raw())
}
