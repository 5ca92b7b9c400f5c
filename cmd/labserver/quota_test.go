package main

import (
	"os/exec"
	"strings"
	"testing"
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
// NO [OVERQUOTA]; SMTP and LMTP refuse the delivery with 552 5.2.2, as
// Dovecot's LMTP does.
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
		`getquotaroot OK [[b'INBOX "User quota"'], [b'"User quota" (STORAGE 2 10)']]`,
		"append-big ('NO', [b'[OVERQUOTA] Quota exceeded (mailbox for user is full)'])",
		"append-small OK",
		`getquota ('OK', [b'"User quota" (STORAGE 5 10)'])`,
		"copy ('NO', [b'[OVERQUOTA] Quota exceeded (mailbox for user is full)'])",
		"move OK",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("imaplib printed\n%s\nwant a line with %s", got, want)
		}
	}

	big := strings.Repeat(strings.Repeat("y", 78)+"\r\n", 100)
	for _, srv := range []struct{ name, addr, hello string }{
		{"lmtp", l.app.addr("lmtp"), "LHLO client.example"},
		{"smtp", l.app.addr("smtp"), "EHLO client.example"},
	} {
		c := dial(t, srv.addr)
		c.expect("220 ")
		c.send(srv.hello + "\r\n")
		for !strings.HasPrefix(c.line(), "250 ") {
		}
		c.send("MAIL FROM:<alex@example.org>\r\nRCPT TO:<melanie@example.org>\r\nDATA\r\n")
		c.expect("250 ")
		c.expect("250 ")
		c.expect("354 ")
		c.send("Subject: too much\r\n\r\n" + big + ".\r\n")
		if got := c.line(); got != "552 5.2.2 <melanie@example.org> Quota exceeded (mailbox for user is full)" {
			t.Errorf("%s after DATA: %q", srv.name, got)
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
