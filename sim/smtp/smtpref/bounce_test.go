//go:build !js && !wasip1

package smtpref

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"io"
	"net"
	"net/textproto"
	"strings"
	"testing"

	gomessage "github.com/emersion/go-message"

	"maillab/sim/mailpath"
	"maillab/sim/mailstore"
	"maillab/sim/smtp"
)

// A message for a full mailbox, sent to the MTA of port 25 and to the
// submission port, is answered as Postfix in front of Dovecot's LMTP
// answers it: Dovecot accepts the RCPT (lmtp_rcpt_check_quota is no by
// default) and refuses the copy with 552 5.2.2 only after the message,
// when Postfix has long said 250; Postfix then bounces it. The client
// gets 250 at every step, and the sender a delivery status notification
// (RFC 3464) naming the recipient, Status 5.2.2 and Dovecot's reply.
func TestOverQuotaBouncesLikePostfix(t *testing.T) {
	users := []User{{Name: "melanie", Password: "toybox", Fields: "userdb_quota_rule=*:storage=1K"}, {Name: "alex", Password: "drums"}}
	lda := StartLMTP(t, Options{Users: users, Dovecot: `mail_plugins = quota
plugin {
  quota = count:User quota
  quota_vsizes = yes
}
`})
	pf := StartPostfix(t, Options{Users: users, LMTP: lda.Addr, Submission: true})

	st := mailstore.New()
	for _, u := range users {
		if _, err := st.AddUser(u.Name, u.Password); err != nil {
			t.Fatal(err)
		}
	}
	mel, _ := st.User("melanie")
	mel.SetQuota(mailstore.Quota{Storage: 1024})
	top, err := mailpath.ParseTopology([]byte(`
domains:
  - name: example.org
    users: [melanie, alex]
hosts:
  - {name: smtp.example.org, a: 192.0.2.25}
  - {name: lmtp.example.org, a: 192.0.2.24}
`))
	if err != nil {
		t.Fatal(err)
	}
	path, err := mailpath.New(top, mailpath.Options{Store: st, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	mta := smtp.Options{Store: st, Hostname: "mail.example.org", Domains: []string{"example.org"}, Relay: path}
	msa, err := path.Submission("example.org")
	if err != nil {
		t.Fatal(err)
	}
	lab := func(o smtp.Options) net.Conn {
		srv, cli := net.Pipe()
		go func() {
			smtp.NewSession(o).Serve(srv)
			srv.Close()
		}()
		return cli
	}

	message := []string{"From: alex@example.org", "To: melanie@example.org", "Subject: too much", ""}
	for range 30 {
		message = append(message, strings.Repeat("y", 70))
	}
	message = append(message, ".")
	dialogue := func(auth bool) []string {
		lines := []string{"EHLO client.example"}
		if auth {
			lines = append(lines, "AUTH PLAIN "+base64.StdEncoding.EncodeToString([]byte("\x00alex\x00drums")))
		}
		lines = append(lines, "MAIL FROM:<alex@example.org>", "RCPT TO:<melanie@example.org>", "DATA")
		return append(append(lines, message...), "QUIT")
	}
	for i, c := range []struct {
		name    string
		addr    string
		options smtp.Options
		auth    bool
	}{
		{"port 25", pf.Addr, mta, false},
		{"submission", pf.SubmissionAddr, msa, true},
	} {
		lines := dialogue(c.auth)
		want := Dialogue(t, c.addr, lines)
		conn := NewConn(t, lab(c.options))
		got := append([]Reply{conn.Greeting}, conn.Dialogue(lines)...)
		conn.Close()
		if len(got) != len(want) {
			t.Fatalf("%s: the lab answered %d replies, Postfix %d:\n%v\n%v", c.name, len(got), len(want), got, want)
		}
		for j := 2; j < len(want); j++ {
			if got[j].Code != want[j].Code || got[j].Enhanced != want[j].Enhanced {
				t.Errorf("%s: reply %d: the lab %q, Postfix %q", c.name, j, got[j], want[j])
			}
		}
		if n := len(lda.WaitMessages(t, "melanie", 0)); n != 0 {
			t.Errorf("%s: Dovecot stored %d messages past the quota", c.name, n)
		}
		ref := dsnFields(t, lda.WaitMessages(t, "alex", i+1)[i])
		inbox, _ := st.User("alex")
		mb, err := inbox.Mailbox("INBOX")
		if err != nil {
			t.Fatal(err)
		}
		msgs := mb.Messages()
		if len(msgs) != i+1 {
			t.Fatalf("%s: alex has %d messages in the lab, want %d bounces", c.name, len(msgs), i+1)
		}
		ours := dsnFields(t, msgs[i].Raw())
		for _, k := range []string{"Return-Path", "Content-Type", "Subject", "Final-Recipient", "Action", "Status", "Diagnostic-Code", "Returned-Subject"} {
			if ours[k] != ref[k] {
				t.Errorf("%s: the bounce's %s is %q, Postfix's %q", c.name, k, ours[k], ref[k])
			}
		}
		// The server that took the message reports, by its own name:
		// both MTAs call themselves mail.example.org (the lab's MSA is
		// the topology's smtp.example.org).
		if c.name == "port 25" && ours["Reporting-MTA"] != ref["Reporting-MTA"] {
			t.Errorf("%s: the bounce's Reporting-MTA is %q, Postfix's %q", c.name, ours["Reporting-MTA"], ref["Reporting-MTA"])
		}
		if ref["Status"] != "5.2.2" || ref["Action"] != "failed" {
			t.Errorf("%s: Postfix's bounce: %v", c.name, ref)
		}
		if mbox, _ := mel.Mailbox("INBOX"); mbox.Count() != 0 {
			t.Errorf("%s: the lab stored the message past the quota", c.name)
		}
	}
}

// dsnFields reads what a bounce says: its header's Return-Path,
// Subject and Content-Type (without the boundary), the Reporting-MTA and
// the per-recipient fields of its message/delivery-status part, and the returned
// message's Subject as Returned-Subject.
func dsnFields(t *testing.T, raw []byte) map[string]string {
	t.Helper()
	out := map[string]string{}
	e, err := gomessage.Read(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the bounce does not parse: %v\n%s", err, raw)
	}
	out["Return-Path"] = e.Header.Get("Return-Path")
	out["Subject"] = e.Header.Get("Subject")
	ct, params, _ := e.Header.ContentType()
	out["Content-Type"] = ct + "; report-type=" + params["report-type"]
	mr := e.MultipartReader()
	if mr == nil {
		t.Fatalf("the bounce is no multipart:\n%s", raw)
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ct, _, _ := p.Header.ContentType()
		body, _ := io.ReadAll(p.Body)
		switch ct {
		case "message/delivery-status":
			// Per-message fields, an empty line, per-recipient fields.
			r := textproto.NewReader(bufio.NewReader(bytes.NewReader(body)))
			msg, err := r.ReadMIMEHeader()
			if err != nil {
				t.Fatalf("delivery-status: %v\n%s", err, body)
			}
			out["Reporting-MTA"] = msg.Get("Reporting-MTA")
			h, err := r.ReadMIMEHeader()
			if err != nil && err != io.EOF {
				t.Fatalf("delivery-status: %v\n%s", err, body)
			}
			for _, k := range []string{"Final-Recipient", "Action", "Status", "Diagnostic-Code"} {
				out[k] = strings.Join(strings.Fields(h.Get(k)), " ")
			}
		case "message/rfc822":
			inner, err := gomessage.Read(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			out["Returned-Subject"] = inner.Header.Get("Subject")
		}
	}
	return out
}
