package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// A message whose file cannot be read (here a link to a directory put in
// its place, which root cannot read either) is not sent as an empty message, which a
// client such as mbsync would keep as the message: FETCH leaves it out and
// answers NO [SERVERBUG], its \Seen is left alone, COPY and MOVE fail
// rather than make an empty copy (and MOVE remove the original), and once
// the file reads again it is served whole, nothing of the failure kept.
func TestMaildirUnreadableMessageFile(t *testing.T) {
	dir, files := writeMaildir(t)
	l := startLab(t, testConfig(t, "-imap", "127.0.0.1:0", "-maildir", dir, "-persist"))
	c, err := imapclient.DialInsecure(l.imapAddr(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("kim", "secret123").Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}

	file := filepath.Join(dir, "kim", "cur", files[1])
	saved, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	// A link to a directory: listed as the message's file, opened, and
	// failing to read (EISDIR), as a file of another owner fails for a
	// server that is not root.
	if err := os.Symlink(t.TempDir(), file); err != nil {
		t.Fatal(err)
	}
	all := imap.SeqSetNum(1, 2)
	for _, opts := range []*imap.FetchOptions{
		{UID: true, BodySection: []*imap.FetchItemBodySection{{}}},
		{UID: true, BodySection: []*imap.FetchItemBodySection{{Peek: true}}},
		{UID: true, Envelope: true},
		{UID: true, RFC822Size: true, BodyStructure: &imap.FetchItemBodyStructure{}},
	} {
		msgs, err := c.Fetch(all, opts).Collect()
		var imapErr *imap.Error
		if !asIMAPError(err, &imapErr) || imapErr.Type != imap.StatusResponseTypeNo || imapErr.Code != "SERVERBUG" ||
			!strings.Contains(imapErr.Text, "UID 2") || strings.Contains(imapErr.Text, "kim/") {
			t.Errorf("FETCH with message 2's file unreadable: %v, want NO [SERVERBUG] naming UID 2 and no file", err)
		}
		for _, m := range msgs {
			if m.SeqNum == 2 {
				t.Errorf("message 2 was sent though its file cannot be read: %+v", m)
			}
		}
		if len(msgs) != 1 || msgs[0].SeqNum != 1 {
			t.Errorf("got %d messages, want message 1 alone", len(msgs))
		}
	}
	flags, err := c.Fetch(imap.SeqSetNum(2), &imap.FetchOptions{Flags: true}).Collect()
	if err != nil || len(flags) != 1 {
		t.Fatalf("FETCH 2 FLAGS: %v %v", flags, err)
	}
	if hasFlag(flags[0].Flags, imap.FlagSeen) {
		t.Errorf("message 2 is \\Seen, though its body was never sent")
	}

	// COPY and MOVE make no empty copy, and MOVE keeps the original.
	if err := c.Create("Saved", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Copy(all, "Saved").Wait(); err == nil {
		t.Errorf("COPY 1:2 with message 2's file unreadable succeeded")
	}
	if _, err := c.Move(imap.SeqSetNum(2), "Saved").Wait(); err == nil {
		t.Errorf("MOVE 2 with its file unreadable succeeded")
	}
	st, err := c.Status("Saved", &imap.StatusOptions{NumMessages: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if *st.NumMessages != 0 {
		t.Errorf("Saved holds %d messages, want none", *st.NumMessages)
	}
	if _, err := os.Lstat(file); err != nil {
		t.Errorf("message 2's file after the MOVE: %v", err)
	}

	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, saved, 0o600); err != nil {
		t.Fatal(err)
	}
	msgs, err := c.Fetch(imap.SeqSetNum(2), &imap.FetchOptions{
		RFC822Size: true, Envelope: true,
		BodySection: []*imap.FetchItemBodySection{{Peek: true}},
	}).Collect()
	if err != nil || len(msgs) != 1 {
		t.Fatalf("FETCH 2 once the file reads again: %v %v", msgs, err)
	}
	want := strings.ReplaceAll(string(saved), "\n", "\r\n")
	var body string
	for _, b := range msgs[0].BodySection {
		body = string(b.Bytes)
	}
	if body != want || msgs[0].RFC822Size != int64(len(want)) || msgs[0].Envelope == nil || msgs[0].Envelope.Subject != "lesson 2" {
		t.Errorf("message 2 once its file reads again: size %d, subject %v, body %q; want %d octets of %q",
			msgs[0].RFC822Size, msgs[0].Envelope, body, len(want), want)
	}
}

func asIMAPError(err error, target **imap.Error) bool {
	e, ok := err.(*imap.Error)
	if ok {
		*target = e
	}
	return ok
}

// POP3 answers RETR and TOP of a message whose file cannot be read with
// -ERR [SYS/TEMP] (Python's poplib raises it), not with +OK and an empty
// message that a client would keep before it deletes the original.
func TestMaildirUnreadableMessagePOP3(t *testing.T) {
	dir, files := writeMaildir(t)
	file := filepath.Join(dir, "kim", "cur", files[1])
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(t.TempDir(), file); err != nil {
		t.Fatal(err)
	}
	l := startLab(t, testConfig(t, "-maildir", dir))
	host, port, _ := strings.Cut(l.pop3Addr(), ":")
	script := `
import poplib, sys
p = poplib.POP3(sys.argv[1], int(sys.argv[2]))
p.user("kim"); p.pass_("secret123")
print("RETR1", b"lesson 1" in b"\n".join(p.retr(1)[1]))
for cmd in (lambda: p.retr(2), lambda: p.top(2, 0)):
    try:
        print("GOT", cmd())
    except poplib.error_proto as e:
        print("ERR", e)
p.quit()
`
	out, err := exec.Command("python3", "-c", script, host, port).CombinedOutput()
	if err != nil {
		t.Fatalf("poplib: %v\n%s", err, out)
	}
	want := "RETR1 True\nERR b'-ERR [SYS/TEMP] message 2 cannot be read now; try again later'\n" +
		"ERR b'-ERR [SYS/TEMP] message 2 cannot be read now; try again later'\n"
	if string(out) != want {
		t.Errorf("poplib printed\n%s\nwant\n%s", out, want)
	}
}

// A delivery the disk refuses is answered 451 by LMTP, and the log tells
// the administrator which file failed and why, as an error; the client's
// reply holds neither. A message file that cannot be read is logged too.
func TestMaildirDiskFailureLogged(t *testing.T) {
	dir, files := writeMaildir(t)
	tmp := filepath.Join(dir, "kim", "tmp")
	if err := os.Remove(tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tmp, []byte("not a directory"), 0o600); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "kim", "cur", files[1])
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(t.TempDir(), file); err != nil {
		t.Fatal(err)
	}
	l := startLab(t, testConfig(t, "-lmtp", "127.0.0.1:0", "-maildir", dir, "-persist"))
	host, port, _ := strings.Cut(l.app.addr("lmtp"), ":")
	script := `
import smtplib, poplib, sys
s = smtplib.LMTP(sys.argv[1], int(sys.argv[2]))
try:
    s.sendmail("pupil@example.net", ["kim@example.org"], "Subject: homework\r\n\r\nDone.\r\n")
    print("accepted")
except smtplib.SMTPDataError as e:
    print(e.smtp_code)
s.quit()
p = poplib.POP3(sys.argv[1], int(sys.argv[3]))
p.user("kim"); p.pass_("secret123")
try:
    p.retr(2)
except poplib.error_proto as e:
    print("ERR")
p.quit()
`
	_, pop3Port, _ := strings.Cut(l.pop3Addr(), ":")
	out, err := exec.Command("python3", "-c", script, host, port, pop3Port).CombinedOutput()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
	if string(out) != "451\nERR\n" {
		t.Errorf("LMTP and POP3 answered %q, want 451 and -ERR", out)
	}
	log := l.log.String()
	for _, want := range []string{
		`level=ERROR msg="maildir file operation failed"`,
		`op=open path="kim/tmp/`,
		`op=read path=kim/cur/` + files[1],
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q:\n%s", want, log)
		}
	}
}
