package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// swaks submits as melanie@example.org to mrose@example.net, a user of
// the demo topology's other domain: the message goes through the
// simulated path (the outgoing MTA, example.net's MX, its LDA over
// LMTP), and mrose reads it over IMAP with its three Received headers.
func TestMailPathSwaksToOtherDomain(t *testing.T) {
	l := startLab(t, smtpConfig(t))
	host, port := hostPort(t, l.app.addr("submission"))
	msg := writeFile(t, "message.eml", clientMessage("melanie@example.org", "mrose@example.net", "across the lab"))
	out, err := exec.Command("swaks", "--server", host, "--port", port, "--helo", "swaks.example", "--timeout", "20",
		"--from", "melanie@example.org", "--to", "mrose@example.net", "--data", "@"+msg,
		"--auth", "PLAIN", "--auth-user", "melanie", "--auth-password", "toybox", "--tls").CombinedOutput()
	if err != nil {
		t.Fatalf("swaks: %v\n%s", err, out)
	}
	got := withSubject(t, l.mailbox(t, "mrose", "tanstaaf"), "across the lab")
	header, _, _ := bytes.Cut(got, []byte("\r\n\r\n"))
	h := string(header)
	if n := strings.Count(h, "Received: "); n != 3 {
		t.Errorf("%d Received headers, want 3 (the MSA, mx.example.net, the LDA):\n%s", n, h)
	}
	for _, want := range []string{"Return-Path: <melanie@example.org>", "by lmtp.example.net with LMTP", "by mx.example.net with ESMTP",
		"from smtp.example.org (smtp.example.org [192.0.2.25])", "from swaks.example (localhost [127.0.0.1])"} {
		if !strings.Contains(h, want) {
			t.Errorf("header lacks %q:\n%s", want, h)
		}
	}
	log := l.log.String()
	for _, want := range []string{"kind=submitted", "kind=lookup", "kind=relayed", "peer=mx.example.net", "kind=delivered", "user=mrose"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
}

// Mail for a domain outside the topology is refused as before: the lab
// is no open relay, and nothing leaves the machine.
func TestMailPathNoOpenRelay(t *testing.T) {
	l := startLab(t, smtpConfig(t))
	host, port := hostPort(t, l.app.addr("submission"))
	out, err := exec.Command("swaks", "--server", host, "--port", port, "--timeout", "20",
		"--from", "melanie@example.org", "--to", "jones@xyz.example",
		"--auth", "PLAIN", "--auth-user", "melanie", "--auth-password", "toybox", "--tls").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "550 5.4.4") {
		t.Errorf("a domain outside the lab was accepted:\n%s", out)
	}
	// And the MTA of port 25 relays nothing, not even to the lab's
	// other domains: only an authenticated client is relayed for.
	host, port = hostPort(t, l.app.addr("smtp"))
	out, err = exec.Command("swaks", "--server", host, "--port", port, "--timeout", "20",
		"--from", "alex@example.org", "--to", "mrose@example.net").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "554 5.7.1") {
		t.Errorf("the MTA relayed:\n%s", out)
	}
}

// -topology FILE: a lesson-like file with its own MX and a fault; the
// outside domain's mail waits in the queue.
func TestMailPathTopologyFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "topology.yaml")
	os.WriteFile(file, []byte(`
domains:
  - name: example.org
    users: [melanie]
    mx: [{host: mx.example.org, priority: 10}]
  - name: example.net
    users: [alex]
    mx:
      - {host: mx1.example.net, priority: 5}
      - {host: mx2.example.net, priority: 50}
hosts:
  - {name: smtp.example.org, a: 192.0.2.25}
  - {name: mx1.example.net, a: 198.51.100.1}
  - {name: mx2.example.net, a: 198.51.100.2}
  - {name: lmtp.example.net, a: 198.51.100.24}
faults:
  - {host: mx1.example.net, command: CONNECT, reply: "421 4.3.2 Try the other one"}
`), 0o600)
	cfg := smtpConfig(t)
	cfg.topology = file
	l := startLab(t, cfg)
	host, port := hostPort(t, l.app.addr("submission"))
	msg := writeFile(t, "message.eml", clientMessage("melanie@example.org", "alex@example.net", "via mx2"))
	out, err := exec.Command("swaks", "--server", host, "--port", port, "--timeout", "20",
		"--from", "melanie@example.org", "--to", "alex@example.net", "--data", "@"+msg,
		"--auth", "PLAIN", "--auth-user", "melanie", "--auth-password", "toybox", "--tls").CombinedOutput()
	if err != nil {
		t.Fatalf("swaks: %v\n%s", err, out)
	}
	got := withSubject(t, l.mailbox(t, "alex", "drums"), "via mx2")
	if !bytes.Contains(got, []byte("by mx2.example.net with ESMTP")) {
		t.Errorf("not received by mx2:\n%s", got)
	}
}

func TestMailPathFlags(t *testing.T) {
	if _, err := newApp(testConfig(t, "-topology", filepath.Join(t.TempDir(), "none.yaml")), nil); err == nil {
		t.Error("a missing topology file was accepted")
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("domains: [{name: a.example, users: [ghost]}]\n"), 0o600)
	if _, err := newApp(testConfig(t, "-topology", bad), nil); err == nil || !strings.Contains(err.Error(), "ghost") {
		t.Errorf("a user without an account: %v", err)
	}
	a, err := newApp(testConfig(t, "-topology", "off"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.closeListeners()
	if a.srv.MailPath != nil {
		t.Error("-topology off still has a mail path")
	}
}

// With the mail path, the submission port is the MSA of the topology:
// it greets as the MSA of the first of -domains, and its Received
// header names the MSA of the sender's domain, the host the next hop
// says the message came from, as the page's MSA does. Without a
// topology it stays localhost.
func TestMailPathMSANamesItsHost(t *testing.T) {
	submit := func(l *lab, user, pass, from, to, subject string) {
		t.Helper()
		host, port := hostPort(t, l.app.addr("submission"))
		msg := writeFile(t, "message.eml", clientMessage(from, to, subject))
		out, err := exec.Command("swaks", "--server", host, "--port", port, "--helo", "swaks.example", "--timeout", "20",
			"--from", from, "--to", to, "--data", "@"+msg,
			"--auth", "PLAIN", "--auth-user", user, "--auth-password", pass).CombinedOutput()
		if err != nil {
			t.Fatalf("swaks: %v\n%s", err, out)
		}
	}
	received := func(msg []byte) string {
		header, _, _ := bytes.Cut(msg, []byte("\r\n\r\n"))
		return string(header)
	}
	l := startLab(t, smtpConfig(t))
	c := dial(t, l.app.addr("submission"))
	c.expect("220 smtp.example.org ")
	if got := c.cmd("EHLO client.example"); got != "250-smtp.example.org" {
		t.Errorf("EHLO: %q", got)
	}
	submit(l, "melanie", "toybox", "melanie@example.org", "mrose@example.net", "named hop")
	h := received(withSubject(t, l.mailbox(t, "mrose", "tanstaaf"), "named hop"))
	for _, want := range []string{"by smtp.example.org with ESMTPA", "from smtp.example.org (smtp.example.org [192.0.2.25])"} {
		if !strings.Contains(h, want) {
			t.Errorf("header lacks %q:\n%s", want, h)
		}
	}
	if strings.Contains(h, "by localhost") {
		t.Errorf("a hop calls itself localhost:\n%s", h)
	}
	// A user of the topology's other domain is served by that domain's
	// MSA.
	submit(l, "mrose", "tanstaaf", "mrose@example.net", "alex@example.org", "from the other domain")
	h = received(withSubject(t, l.mailbox(t, "alex", "drums"), "from the other domain"))
	if !strings.Contains(h, "by smtp.example.net with ESMTPA") || strings.Contains(h, "by localhost") {
		t.Errorf("mrose's MSA is not smtp.example.net:\n%s", h)
	}

	cfg := smtpConfig(t)
	cfg.topology = "off"
	l = startLab(t, cfg)
	submit(l, "melanie", "toybox", "melanie@example.org", "alex@example.org", "no path")
	h = received(withSubject(t, l.mailbox(t, "alex", "drums"), "no path"))
	if !strings.Contains(h, "by localhost with ESMTPA") {
		t.Errorf("without a topology the MSA is not localhost:\n%s", h)
	}
}
