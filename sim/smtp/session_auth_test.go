package smtp

import (
	"crypto/hmac"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"io"
	"regexp"
	"strings"
	"testing"

	"maillab/sim/event"
	"maillab/sim/proto"
)

// The submission server (RFC 6409), authentication (RFC 4954) and
// STARTTLS (RFC 3207), with TLS faked: the hook hands the connection back
// as it is, so the session's side of the upgrade can be followed line by
// line.

// msaEHLO is the EHLO reply of the lab's submission server, without TLS.
const msaEHLO = `
	S: 250-localhost
	S: 250-PIPELINING
	S: 250-SIZE 10240000
	S: 250-VRFY
	S: 250-EXPN
	S: 250-HELP
	S: 250-AUTH PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256
	S: 250-ENHANCEDSTATUSCODES
	S: 250-8BITMIME
	S: 250-BINARYMIME
	S: 250-DSN
	S: 250-SMTPUTF8
	S: 250 CHUNKING
`

// messageIDNumber is the number that makes a Message-ID unique.
var messageIDNumber = regexp.MustCompile(`\.\d+@localhost>`)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// fakeTLS is a StartTLS hook that counts its calls and keeps the
// connection as it is.
type fakeTLS struct{ calls int }

func (f *fakeTLS) hook(rw io.ReadWriter) (io.ReadWriter, error) {
	f.calls++
	return rw, nil
}

// checkSecrets checks that every line of a SASL exchange, and an AUTH
// command carrying a response, is marked Secret, and that no event shows
// a secret the client sent.
func checkSecrets(t *testing.T, events []event.Event, secrets ...string) {
	t.Helper()
	inAuth := false
	for _, e := range events {
		switch e.Kind {
		case event.Client:
			auth := strings.HasPrefix(strings.ToUpper(e.Line), "AUTH ")
			withResponse := auth && len(strings.Fields(e.Line)) > 2
			if (inAuth || withResponse) && !e.Secret {
				t.Errorf("client line %q of a SASL exchange is not Secret", e.Line)
			}
			if auth && !withResponse && e.Secret {
				t.Errorf("%q carries no credential, yet is Secret", e.Line)
			}
			if !e.Secret {
				for _, s := range secrets {
					if strings.Contains(e.Line, s) {
						t.Errorf("client line %q shows %q and is not Secret", e.Line, s)
					}
				}
			}
		case event.Server:
			inAuth = strings.HasPrefix(e.Line, "334 ")
			fallthrough
		default:
			for _, s := range secrets {
				if strings.Contains(e.Line, s) || strings.Contains(e.Text, s) {
					t.Errorf("%s event %q %q shows %q", e.Kind, e.Line, e.Text, s)
				}
			}
		}
	}
}

// The MSA takes no mail before AUTH (530 5.7.0); AUTH PLAIN and LOGIN in
// the 334 continuation form, "*" cancels (501 5.7.0), a wrong password is
// 535, the right one 235; then mail goes through, the message without
// Date and Message-ID gets both (RFC 6409 section 8.2 and 8.3) and the
// one that has them keeps them as they are.
func TestSessionSubmission(t *testing.T) {
	st := demoStore(t)
	before := inbox(t, st, "alex").Count()
	events := replay(t, "smtp", proto.Config{Store: st, Role: RoleMSA, Now: pinned}, `
		S: 220 localhost ESMTP
		C: EHLO client.example.org
		`+msaEHLO+`
		C: MAIL FROM:<melanie@example.org>
		S: 530 5.7.0 Authentication required
		C: AUTH PLAIN
		S: 334 ...
		C: *
		S: 501 5.7.0 Authentication aborted
		C: AUTH LOGIN
		S: 334 VXNlcm5hbWU6
		C: `+b64("melanie")+`
		S: 334 UGFzc3dvcmQ6
		C: *
		S: 501 5.7.0 Authentication aborted
		C: AUTH LOGIN
		S: 334 VXNlcm5hbWU6
		C: `+b64("melanie")+`
		S: 334 UGFzc3dvcmQ6
		C: `+b64("drums")+`
		S: 535 5.7.8 Error: authentication failed
		C: AUTH PLAIN `+b64("\x00melanie\x00tamborine")+`
		S: 535 5.7.8 Error: authentication failed
		C: AUTH XOAUTH9
		S: 504 5.5.4 Unrecognized authentication type
		C: AUTH PLAIN `+b64("\x00melanie\x00toybox")+`
		S: 235 2.7.0 Authentication successful
		C: AUTH PLAIN `+b64("\x00melanie\x00toybox")+`
		S: 503 5.5.1 Error: already authenticated
		C: MAIL FROM:<melanie@example.org>
		S: 250 2.1.0 Ok
		C: RCPT TO:<alex@example.org>
		S: 250 2.1.5 Ok
		C: RCPT TO:<someone@elsewhere.example>
		S: 550 5.4.4 <someone@elsewhere.example>: mail for other domains does not leave this lab
		C: DATA
		S: 354 End data with <CR><LF>.<CR><LF>
		C: From: Melanie <melanie@example.org>
		C: To: alex@example.org
		C: Subject: no date
		C:
		C: Date and Message-ID come from the server.
		C: .
		S: 250 2.0.0 Ok: queued as ...
		C: MAIL FROM:<melanie@example.org>
		S: 250 2.1.0 Ok
		C: RCPT TO:<alex@example.org>
		S: 250 2.1.5 Ok
		C: DATA
		S: 354 End data with <CR><LF>.<CR><LF>
		C: Message-Id: <kept@client.example.org>
		C: date: Mon, 7 Feb 1994 21:52:25 -0800
		C: Subject: dated
		C:
		C: Kept as written.
		C: .
		S: 250 2.0.0 Ok: queued as ...
		C: QUIT
		S: 221 2.0.0 Bye
	`)
	ids := queueIDs(events)
	msgs := inbox(t, st, "alex").Messages()
	if len(msgs) != before+2 || len(ids) != 2 {
		t.Fatalf("alex has %d messages (had %d), queue ids %v", len(msgs), before, ids)
	}
	trace := func(id string) string {
		return "Return-Path: <melanie@example.org>\r\n" +
			"Received: from client.example.org (localhost [127.0.0.1])\r\n" +
			"\tby localhost with ESMTPA id " + id + "\r\n" +
			"\tfor <alex@example.org>; Sun, 9 Jul 1995 11:13:57 +0200 (CEST)\r\n"
	}
	want := trace(ids[0]) +
		"From: Melanie <melanie@example.org>\r\nTo: alex@example.org\r\nSubject: no date\r\n" +
		"Date: Sun, 9 Jul 1995 11:13:57 +0200 (CEST)\r\n" +
		"Message-ID: <19950709091357.000000000.N@localhost>\r\n" +
		"\r\nDate and Message-ID come from the server.\r\n"
	got := messageIDNumber.ReplaceAllString(string(msgs[before].Raw()), ".N@localhost>")
	if got != want {
		t.Errorf("the message without Date got\n%q\nwant\n%q", got, want)
	}
	want = trace(ids[1]) +
		"Message-Id: <kept@client.example.org>\r\ndate: Mon, 7 Feb 1994 21:52:25 -0800\r\nSubject: dated\r\n\r\nKept as written.\r\n"
	if got := string(msgs[before+1].Raw()); got != want {
		t.Errorf("the dated message got\n%q\nwant\n%q", got, want)
	}
	var empty bool
	for _, e := range events {
		empty = empty || e.Kind == event.Server && e.Line == "334 "
	}
	if !empty {
		t.Error("AUTH PLAIN without a response is not answered \"334 \" (an empty challenge after the space)")
	}
	checkSecrets(t, events, "toybox", "tamborine", "drums", b64("\x00melanie\x00toybox"), b64("drums"))
	if x := answerTo(t, events, "MAIL FROM:<melanie@example.org>"); !strings.Contains(x, "submission server") {
		t.Errorf("530 explained as %q", x)
	}
}

// CRAM-MD5 (RFC 2195) needs the server's challenge before the client can
// answer, so it is typed over a pipe: "*" cancels it, a digest made with
// the wrong password fails, the right one logs in.
func TestSessionCramMD5(t *testing.T) {
	st := demoStore(t)
	k := dialSession(t, Options{Store: st, Role: RoleMSA})
	k.run(`
		S: 220 localhost ESMTP
		C: EHLO client.example.org
	` + msaEHLO)
	cram := func(user, pass string) string {
		k.send("AUTH CRAM-MD5")
		l := k.line()
		ch, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(l, "334 "))
		if !strings.HasPrefix(l, "334 ") || err != nil || !strings.HasPrefix(string(ch), "<") || !strings.HasSuffix(string(ch), "@localhost>") {
			t.Fatalf("AUTH CRAM-MD5: %q (%q)", l, ch)
		}
		m := hmac.New(md5.New, []byte(pass))
		m.Write(ch)
		k.send(b64(user + " " + hex.EncodeToString(m.Sum(nil))))
		return k.line()
	}
	k.run(`
		C: AUTH CRAM-MD5
		S: 334 ...
		C: *
		S: 501 5.7.0 Authentication aborted
	`)
	if got := cram("melanie", "drums"); got != "535 5.7.8 Error: authentication failed" {
		t.Errorf("a wrong password: %q", got)
	}
	if got := cram("melanie", "toybox"); got != "235 2.7.0 Authentication successful" {
		t.Errorf("the right password: %q", got)
	}
	k.run(`
		C: MAIL FROM:<melanie@example.org>
		S: 250 2.1.0 Ok
		C: QUIT
		S: 221 2.0.0 Bye
	`)
	checkSecrets(t, k.end(), "toybox", "drums")
}

// The MTA of port 25 offers no AUTH, before STARTTLS or after it, and
// answers AUTH with 503 as Postfix does without smtpd_sasl_auth_enable.
func TestSessionMTAHasNoAuth(t *testing.T) {
	f := &fakeTLS{}
	k := dialSession(t, Options{Store: demoStore(t), StartTLS: f.hook})
	ehlo := strings.Replace(mtaEHLO, "S: 250-HELP\n", "S: 250-HELP\n\tS: 250-STARTTLS\n", 1)
	k.run(`
		S: 220 localhost ESMTP
		C: EHLO client.example.org
	` + ehlo + `
		C: AUTH PLAIN ` + b64("\x00melanie\x00toybox") + `
		S: 503 5.5.1 Error: authentication not enabled
		C: STARTTLS
		S: 220 2.0.0 Ready to start TLS
		C: EHLO client.example.org
	` + mtaEHLO + `
		C: AUTH LOGIN
		S: 503 5.5.1 Error: authentication not enabled
		C: QUIT
		S: 221 2.0.0 Bye
	`)
	events := k.end()
	if f.calls != 1 {
		t.Errorf("the TLS hook was called %d times", f.calls)
	}
	if x := answerTo(t, events, "AUTH LOGIN"); !strings.Contains(x, "does not offer authentication") {
		t.Errorf("AUTH on the MTA explained as %q", x)
	}
	checkSecrets(t, events, "toybox")
}

// STARTTLS (RFC 3207): 220, then the session starts over in CONNECTED;
// what the client sent in clear after the command is dropped (section
// 4.2), EHLO is needed again, STARTTLS is no longer offered, AUTH is, and
// the Received header says ESMTPSA.
func TestSessionStartTLS(t *testing.T) {
	st := demoStore(t)
	f := &fakeTLS{}
	k := dialSession(t, Options{Store: st, Role: RoleMSA, StartTLS: f.hook})
	withTLS := strings.Replace(msaEHLO, "S: 250-AUTH", "S: 250-STARTTLS\n\tS: 250-AUTH", 1)
	k.run(`
		S: 220 localhost ESMTP
		C: STARTTLS
		S: 503 5.5.1 Error: send HELO/EHLO first
		C: EHLO client.example.org
	` + withTLS)
	// A command pipelined after STARTTLS in clear is an injection: the
	// server must not run it after the handshake.
	k.sendRaw("STARTTLS\r\nMAIL FROM:<injected@example.org>\r\n")
	k.run(`
		S: 220 2.0.0 Ready to start TLS
		C: MAIL FROM:<melanie@example.org>
		S: 503 5.5.1 Error: send HELO/EHLO first
		C: EHLO client.example.org
	` + msaEHLO + `
		C: STARTTLS
		S: 554 5.5.1 Error: TLS already active
		C: AUTH PLAIN ` + b64("\x00melanie\x00toybox") + `
		S: 235 2.7.0 Authentication successful
		C: EHLO client.example.org
	` + strings.Replace(msaEHLO, "\tS: 250-AUTH PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256\n", "", 1) + `
		C: MAIL FROM:<melanie@example.org>
		S: 250 2.1.0 Ok
		C: RCPT TO:<melanie@example.org>
		S: 250 2.1.5 Ok
		C: DATA
		S: 354 End data with <CR><LF>.<CR><LF>
		C: Subject: over TLS
		C:
		C: .
		S: 250 2.0.0 Ok: queued as ...
		C: QUIT
		S: 221 2.0.0 Bye
	`)
	events := k.end()
	if f.calls != 1 {
		t.Errorf("the TLS hook was called %d times", f.calls)
	}
	want := []string{"1:connect", "3:EHLO", "11:STARTTLS", "3:EHLO", "4:MAIL", "5:RCPT", "6:DATA", "7:.", "12:QUIT"}
	if got := transitions(events); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("transitions %v, want %v", got, want)
	}
	for _, e := range events {
		if e.Kind == event.Client && strings.Contains(e.Line, "injected") {
			t.Errorf("the line sent in clear after STARTTLS was read: %q", e.Line)
		}
	}
	if got := newest(t, st, "melanie"); !strings.Contains(got, "\tby localhost with ESMTPSA id ") {
		t.Errorf("melanie got %q", got)
	}
}

// A server that takes passwords only over TLS (Postfix's
// smtpd_tls_auth_only) does not offer AUTH in clear and answers it 538
// (RFC 4954 section 6), naming the mechanism; after STARTTLS it logs in.
func TestSessionAuthOnlyTLS(t *testing.T) {
	f := &fakeTLS{}
	k := dialSession(t, Options{Store: demoStore(t), Role: RoleMSA, StartTLS: f.hook, Config: Config{AuthOnlyTLS: true}})
	clear := strings.Replace(msaEHLO, "S: 250-AUTH PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256", "S: 250-STARTTLS", 1)
	k.run(`
		S: 220 localhost ESMTP
		C: EHLO client.example.org
	` + clear + `
		C: AUTH PLAIN ` + b64("\x00melanie\x00toybox") + `
		S: 538 5.7.11 Encryption required for requested authentication mechanism
		C: STARTTLS
		S: 220 2.0.0 Ready to start TLS
		C: EHLO client.example.org
	` + msaEHLO + `
		C: AUTH PLAIN ` + b64("\x00melanie\x00toybox") + `
		S: 235 2.7.0 Authentication successful
		C: QUIT
		S: 221 2.0.0 Bye
	`)
	events := k.end()
	x := explanation(t, events, "538 5.7.11 Encryption required for requested authentication mechanism")
	if !strings.Contains(x, "the mechanism PLAIN would send the password") {
		t.Errorf("538 explained as %q", x)
	}
	checkSecrets(t, events, "toybox")
}

// An AUTH line that carries a response stays Secret when it is refused:
// one with a word too many, one too long to be read whole, whose start
// the terminal would show, and one with a control character (an erase
// typed at a telnet prompt).
func TestSessionRefusedAuthLinesStaySecret(t *testing.T) {
	secret := b64("\x00melanie\x00toybox")
	long := b64("\x00melanie\x00toybox" + strings.Repeat("!", 10000))
	events := replay(t, "smtp", proto.Config{Store: demoStore(t), Role: RoleMSA}, `
		S: 220 localhost ESMTP
		C: EHLO client.example.org
		`+msaEHLO+`
		C: AUTH PLAIN `+secret+` extra
		S: 501 5.5.4 Syntax: AUTH mechanism
		C: AUTH PLAIN `+long+`
		S: 500 5.5.2 Line too long
		C: auth plain `+secret+"\x08"+`
		S: 500 5.5.2 Error: bad syntax
		C: AUTH PLAIN `+secret+`
		S: 235 2.7.0 Authentication successful
		C: QUIT
		S: 221 2.0.0 Bye
	`)
	checkSecrets(t, events, secret, long[:40])
}

// Two messages submitted in one tick of the clock get different
// Message-IDs (RFC 5322 section 3.6.4: "unique"). The browser's clock
// counts milliseconds, and a pipelining client submits faster than that.
func TestSessionMessageIDsDiffer(t *testing.T) {
	st := demoStore(t)
	message := `
		C: MAIL FROM:<melanie@example.org>
		S: 250 2.1.0 Ok
		C: RCPT TO:<alex@example.org>
		S: 250 2.1.5 Ok
		C: DATA
		S: 354 End data with <CR><LF>.<CR><LF>
		C: Subject: no id
		C: .
		S: 250 2.0.0 Ok: queued as ...`
	replay(t, "smtp", proto.Config{Store: st, Role: RoleMSA, Now: pinned}, `
		S: 220 localhost ESMTP
		C: EHLO client.example.org
		`+msaEHLO+`
		C: AUTH PLAIN `+b64("\x00melanie\x00toybox")+`
		S: 235 2.7.0 Authentication successful
		`+message+message+`
		C: QUIT
		S: 221 2.0.0 Bye
	`)
	msgs := inbox(t, st, "alex").Messages()
	id := func(m []byte) string {
		_, v, _ := strings.Cut(string(m), "\r\nMessage-ID: ")
		v, _, _ = strings.Cut(v, "\r\n")
		return v
	}
	a, b := id(msgs[len(msgs)-2].Raw()), id(msgs[len(msgs)-1].Raw())
	if a == "" || a == b {
		t.Errorf("Message-IDs %q and %q", a, b)
	}
}
