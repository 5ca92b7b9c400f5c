//go:build !js && !wasip1

package smtpref

import (
	"net"
	"strings"
	"testing"

	"maillab/sim/mailstore"
	"maillab/sim/smtp"
)

// A message that would take a mailbox past its quota is refused by LMTP
// with Dovecot's own reply, as Dovecot's quota plugin refuses it: one
// reply per recipient, each 552 5.2.2.
func TestLMTPOverQuotaLikeDovecot(t *testing.T) {
	ref := StartLMTP(t, Options{Dovecot: `mail_plugins = quota
plugin {
  quota = count:User quota
  quota_vsizes = yes
  quota_rule = *:storage=1K
}
`})
	st := mailstore.New()
	for _, u := range []string{"melanie", "alex"} {
		if _, err := st.AddUser(u, "pw"); err != nil {
			t.Fatal(err)
		}
	}
	st.SetQuota(mailstore.Quota{Storage: 1024})
	o := smtp.Options{Store: st, Hostname: "mail.example.org", Domains: []string{"example.org"}, LMTP: true}
	lab := func() net.Conn {
		srv, cli := net.Pipe()
		go func() {
			smtp.NewSession(o).Serve(srv)
			srv.Close()
		}()
		return cli
	}
	lines := []string{"LHLO client.example", "MAIL FROM:<alex@example.org>", "RCPT TO:<melanie@example.org>",
		"RCPT TO:<alex@example.org>", "DATA", "Subject: too much", ""}
	for range 30 {
		lines = append(lines, strings.Repeat("y", 70))
	}
	lines = append(lines, ".", "QUIT")
	want := Dialogue(t, ref.Addr, lines)
	c := NewConn(t, lab())
	defer c.Close()
	got := append([]Reply{c.Greeting}, c.Dialogue(lines)...)
	if len(got) != len(want) {
		t.Fatalf("the lab answered %d replies, Dovecot %d:\n%v\n%v", len(got), len(want), got, want)
	}
	// After the greeting and LHLO: MAIL, two RCPTs, DATA, then one reply
	// per recipient, then QUIT.
	for i := 2; i < len(want)-1; i++ {
		g, w := got[i], want[i]
		if g.Code != w.Code || g.Enhanced != w.Enhanced {
			t.Errorf("reply %d: the lab %q, Dovecot %q", i, g, w)
		}
	}
	if over := want[6].String(); over != "552 5.2.2 <melanie@example.org> Quota exceeded (mailbox for user is full)" {
		t.Errorf("Dovecot's reply for the full mailbox is %q", over)
	}
	for i := 6; i <= 7; i++ {
		if got[i].String() != want[i].String() {
			t.Errorf("the lab's reply %d is %q, Dovecot's %q", i, got[i], want[i])
		}
	}
}
