package smtp

import (
	"slices"
	"strings"
	"testing"
)

func mustParse(t *testing.T, line string) *Command {
	t.Helper()
	c, err := ParseCommand(line)
	if err != nil {
		t.Fatalf("%q: %v", line, err)
	}
	return c
}

var ehlo = ConnState{Extended: true}

func TestMail(t *testing.T) {
	c := labConfig
	c.MaxSize = 1000
	tests := []struct {
		cfg   Config
		s     ConnState
		line  string
		reply string
		from  string
	}{
		{c, ehlo, "MAIL FROM:<Smith@bar.com>", "250 2.1.0 Ok", "<Smith@bar.com>"},
		{c, ehlo, "MAIL FROM:<>", "250 2.1.0 Ok", "<>"},
		{c, ehlo, "MAIL FROM:<root>", "250 2.1.0 Ok", "<root@example.org>"},
		{c, ehlo, "MAIL FROM:<@ONE,@TWO:VANJA@THREE>", "250 2.1.0 Ok", "<VANJA@THREE>"},
		{c, ehlo, "MAIL FROM:<a@b.example> SIZE=1000 BODY=8BITMIME", "250 2.1.0 Ok", "<a@b.example>"},
		// RFC 1870 section 6.1: a declared size over the limit is refused at once.
		{c, ehlo, "MAIL FROM:<a@b.example> SIZE=1001", "552 5.3.4 Message size exceeds fixed limit", ""},
		// Parameters need an extension the server announced, and EHLO.
		{c, ConnState{}, "MAIL FROM:<a@b.example> SIZE=10", "555 5.5.4 Unsupported option: SIZE=10", ""},
		{Config{Hostname: "h", Off: []string{ExtDSN}}, ehlo, "MAIL FROM:<a@b.example> RET=FULL", "555 5.5.4 Unsupported option: RET=FULL", ""},
		{Config{Hostname: "h", Off: []string{ExtChunking}}, ehlo, "MAIL FROM:<a@b.example> BODY=BINARYMIME", "555 5.5.4 Unsupported option: BODY=BINARYMIME", ""},
		{c, ehlo, "MAIL FROM:<a@b.example> AUTH=<>", "555 5.5.4 Unsupported option: AUTH=<>", ""},
		{Config{Hostname: "h", AuthMechanisms: []string{"PLAIN"}}, ConnState{Extended: true, Authenticated: true}, "MAIL FROM:<a@b.example> AUTH=a@b.example", "250 2.1.0 Ok", "<a@b.example>"},
	}
	for _, tt := range tests {
		env, r := tt.cfg.Mail(mustParse(t, tt.line), tt.s)
		if got := r.Format(true)[0]; got != tt.reply {
			t.Errorf("%s: %q, want %q", tt.line, got, tt.reply)
		}
		if tt.from != "" && (env == nil || env.From.String() != tt.from) {
			t.Errorf("%s: envelope %+v", tt.line, env)
		}
		if tt.from == "" && env != nil {
			t.Errorf("%s: an envelope after a refusal", tt.line)
		}
	}
	_, r := c.Mail(mustParse(t, "MAIL FROM:<a@b.example> SIZE=10"), ConnState{})
	if r.Why.Key != "param.afterhelo" {
		t.Errorf("after HELO: %s", r.Why.Key)
	}
	_, r = c.Mail(mustParse(t, "MAIL FROM:<>"), ehlo)
	if r.Why.Key != "mail.ok.null" {
		t.Errorf("null path: %s", r.Why.Key)
	}
}

func TestRcpt(t *testing.T) {
	d := labDirectory(t)
	d.Relocated = map[string]string{"vasja": "Vasja@ns.itep.ru"}
	d.Aliases = mustAliases(t, aliasFile+"loop1: loop2\nloop2: loop1\nhalf: alex, ghost\n")
	c := labConfig
	tests := []struct {
		line    string
		reply   string
		why     string
		targets string
	}{
		{"RCPT TO:<alex@example.org>", "250 2.1.5 Ok", "rcpt.ok", "alex"},
		{"RCPT TO:<Alex@EXAMPLE.ORG>", "250 2.1.5 Ok", "rcpt.ok", "alex"},
		{"RCPT TO:<melanie@example.org>", "250 2.1.5 Ok", "rcpt.ok.alias", "melanie, <melanie@backup.example>"},
		{"RCPT TO:<alex>", "250 2.1.5 Ok", "rcpt.ok", "alex"},
		{"RCPT TO:<alex@[192.0.2.25]>", "250 2.1.5 Ok", "rcpt.ok", "alex"},
		{"RCPT TO:<staff@example.org>", "250 2.1.5 Ok", "rcpt.ok.alias", "melanie, alex, mrose, <melanie@backup.example>"},
		{"RCPT TO:<Postmaster>", "250 2.1.5 Ok", "rcpt.ok.postmaster", "melanie, <melanie@backup.example>"},
		{"RCPT TO:<@ONE,@TWO:mrose@example.org>", "250 2.1.5 Ok", "rcpt.ok", "mrose"},
		{"RCPT TO:<half@example.org>", "250 2.1.5 Ok", "rcpt.ok.alias", "alex"},
		{"RCPT TO:<Green@example.org>", "550 5.1.1 <Green@example.org>: Recipient address rejected: User unknown in local recipient table", "rcpt.unknown", ""},
		{"RCPT TO:<jones@xyz.example>", "554 5.7.1 <jones@xyz.example>: Relay access denied", "rcpt.relay", ""},
		{"RCPT TO:<alex@[192.0.2.26]>", "554 5.7.1 <alex@[192.0.2.26]>: Relay access denied", "rcpt.relay", ""},
		{"RCPT TO:<vasja@example.org>", "551 5.1.6 User not local; please try <Vasja@ns.itep.ru>", "rcpt.relocated", ""},
		{"RCPT TO:<loop1@example.org>", "550 5.4.6 <loop1@example.org>: Recipient address rejected: Mail forwarding loop", "rcpt.loop", ""},
		{"RCPT TO:<мелания@example.org>", "553 5.6.7 Must declare SMTPUTF8 to send unicode address", "utf8.undeclared", ""},
		{"RCPT TO:<a@example.org> NOTIFY=NEVER", "250 2.1.5 Ok", "", ""}, // a is unknown: see below
	}
	env := &Envelope{From: Path{Null: true}}
	for _, tt := range tests[:len(tests)-1] {
		n := len(env.Rcpts)
		r := c.Rcpt(env, d, mustParse(t, tt.line), ehlo)
		if got := r.Format(true)[0]; got != tt.reply || r.Why.Key != tt.why {
			t.Errorf("%s: %q (%s), want %q (%s)", tt.line, got, r.Why.Key, tt.reply, tt.why)
		}
		if r.Positive() != (len(env.Rcpts) == n+1) {
			t.Errorf("%s: %d recipients after %d", tt.line, len(env.Rcpts), n)
		}
		if r.Positive() && targetList(env.Rcpts[n].Targets) != tt.targets {
			t.Errorf("%s: targets %q, want %q", tt.line, targetList(env.Rcpts[n].Targets), tt.targets)
		}
	}
	r := c.Rcpt(env, d, mustParse(t, "RCPT TO:<half@example.org>"), ehlo)
	if len(r.Notes) != 1 || r.Notes[0].Key != "rcpt.alias.unknown" {
		t.Errorf("half: notes %v", r.Notes)
	}
	r = c.Rcpt(env, d, mustParse(t, "RCPT TO:<MRose@example.org>"), ehlo)
	if len(r.Notes) != 1 || r.Notes[0].Key != "rcpt.case" {
		t.Errorf("MRose: notes %v", r.Notes)
	}
	// DSN parameters are kept with the recipient.
	r = c.Rcpt(env, d, mustParse(t, "RCPT TO:<mrose@example.org> NOTIFY=SUCCESS ORCPT=rfc822;mrose+40example.org"), ehlo)
	last := env.Rcpts[len(env.Rcpts)-1]
	if !r.Positive() || !slices.Equal(last.Notify, []string{"SUCCESS"}) || last.ORcpt != "mrose@example.org" {
		t.Errorf("DSN: %v %+v", r, last)
	}
	// An authenticated client may relay, but nothing leaves the lab: the
	// address is refused at once, not accepted and dropped.
	n := len(env.Rcpts)
	r = c.Rcpt(env, d, mustParse(t, "RCPT TO:<jones@xyz.example>"), ConnState{Extended: true, Authenticated: true})
	if got := r.Format(true)[0]; got != "550 5.4.4 <jones@xyz.example>: mail for other domains does not leave this lab" || r.Why.Key != "rcpt.nopath" || len(env.Rcpts) != n {
		t.Errorf("relay when authenticated: %v", r)
	}
	// SMTPUTF8 on MAIL allows UTF-8 on RCPT; the store's user names are
	// ASCII, so an alias maps the name.
	utf := &Envelope{Params: Params{SMTPUTF8: true}}
	ud := &Directory{Store: labStore(t), Aliases: mustAliases(t, "мелания: melanie\n")}
	if r := c.Rcpt(utf, ud, mustParse(t, "RCPT TO:<Мелания@example.org>"), ehlo); !r.Positive() || targetList(utf.Rcpts[0].Targets) != "melanie" {
		t.Errorf("UTF-8 recipient: %v", r)
	}
}

// RFC 5321 section 4.5.3.1.8 asks for at least 100 recipients; past the
// server's limit, 452 (Postfix: smtpd_recipient_limit).
func TestTooManyRecipients(t *testing.T) {
	c := labConfig
	c.MaxRecipients = 2
	d := labDirectory(t)
	env := &Envelope{}
	for i, want := range []string{"250 2.1.5 Ok", "250 2.1.5 Ok", "452 4.5.3 Error: too many recipients"} {
		r := c.Rcpt(env, d, mustParse(t, "RCPT TO:<alex@example.org>"), ehlo)
		if got := r.Format(true)[0]; got != want {
			t.Errorf("RCPT %d: %q", i+1, got)
		}
	}
	if labConfig.maxRecipients() < 100 {
		t.Error("the default is below RFC 5321's minimum")
	}
}

func TestExtensions(t *testing.T) {
	c := Config{Hostname: "mx.example.org", TLS: true, AuthMechanisms: []string{"PLAIN"}, AuthOnlyTLS: true, MaxSize: 5000}
	plain := strings.Join(c.Extensions(ConnState{Extended: true}), " ")
	if plain != "PIPELINING SIZE 5000 VRFY EXPN HELP STARTTLS ENHANCEDSTATUSCODES 8BITMIME BINARYMIME DSN SMTPUTF8 CHUNKING" {
		t.Errorf("before TLS: %s", plain)
	}
	tls := strings.Join(c.Extensions(ConnState{Extended: true, TLS: true}), " ")
	if strings.Contains(tls, "STARTTLS") || !strings.Contains(tls, "AUTH PLAIN") {
		t.Errorf("after TLS: %s", tls)
	}
	c.Off = []string{ExtChunking, ExtSMTPUTF8}
	c.VRFY = VRFYDisabled
	off := strings.Join(c.Extensions(ConnState{Extended: true, TLS: true, Authenticated: true}), " ")
	if off != "PIPELINING SIZE 5000 EXPN HELP ENHANCEDSTATUSCODES 8BITMIME DSN" {
		t.Errorf("switched off: %s", off)
	}
	lmtp := Config{Hostname: "foo.edu", LMTP: true, TLS: true}
	if got := lmtp.Greeting().Format(false)[0]; got != "220 foo.edu LMTP" {
		t.Errorf("LMTP greeting: %q", got)
	}
	r := lmtp.Hello(mustParse(t, "LHLO foo.edu"), ConnState{Extended: true})
	if r.Format(false)[0] != "250-foo.edu" || slices.Contains(r.Lines, "STARTTLS") {
		t.Errorf("LHLO: %q", r.Format(false))
	}
	if got := labConfig.Hello(mustParse(t, "HELO crnvma.cern.ch"), ConnState{}).Format(false); !slices.Equal(got, []string{"250 mx.example.org"}) {
		t.Errorf("HELO: %q", got)
	}
}

func TestEnhanced(t *testing.T) {
	c := labConfig
	// As Postfix: before EHLO and after HELO too.
	if !c.Enhanced(ConnState{}) || !c.Enhanced(ConnState{Extended: true}) {
		t.Error("enhanced codes whenever offered")
	}
	c.Off = []string{ExtEnhanced}
	if c.Enhanced(ConnState{Extended: true}) {
		t.Error("enhanced codes switched off")
	}
}

func TestStartData(t *testing.T) {
	c := labConfig
	env, _ := c.Mail(mustParse(t, "MAIL FROM:<a@b.example> BODY=8BITMIME"), ehlo)
	if got := env.StartData().Format(true)[0]; got != "354 End data with <CR><LF>.<CR><LF>" {
		t.Errorf("8BITMIME: %q", got)
	}
	env, _ = c.Mail(mustParse(t, "MAIL FROM:<a@b.example> BODY=BINARYMIME"), ehlo)
	if got := env.StartData().Format(true)[0]; got != "503 5.5.1 Error: BODY=BINARYMIME requires BDAT" {
		t.Errorf("BINARYMIME: %q", got)
	}
}
