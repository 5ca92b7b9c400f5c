//go:build !js && !wasip1

package smtpref

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/replies.txt with the replies the servers give now")

// goldenFile holds what Postfix and Dovecot answered to each scenario
// below: the reference the lab's servers are matched against.
const goldenFile = "testdata/replies.txt"

// scenario is one session with a reference server.
type scenario struct {
	server string // a key of the servers TestGolden starts
	name   string
	note   string // what to look at, for the reader of the golden file
	lines  []string
	// showMail is the user whose newly delivered message is shown after
	// the transcript.
	showMail string
}

const ehlo = "EHLO client.example.org"

func message(lines ...string) []string {
	return append(append([]string{"DATA", "From: <alex@example.org>", "To: <melanie@example.org>", "Subject: test", ""}, lines...), ".")
}

func session(middle ...string) []string {
	return append(append([]string{ehlo}, middle...), "QUIT")
}

func cat(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func repeat(line string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = line
	}
	return out
}

var scenarios = []scenario{
	{server: "postfix", name: "basic session",
		note:     "RFC 5321 4.3: 220, 250, 250, 250, 354, 250, 221. The EHLO reply lists the ESMTP keywords.",
		lines:    cat(session(cat([]string{"MAIL FROM:<alex@example.org>", "RCPT TO:<melanie@example.org>"}, message("Hello Melanie."))...)),
		showMail: "melanie"},
	{server: "postfix", name: "HELO",
		lines: []string{"HELO client.example.org", "QUIT"}},
	{server: "postfix", name: "EHLO without a domain",
		lines: []string{"EHLO", "HELO", "QUIT"}},
	{server: "postfix", name: "unknown local user",
		lines: session("MAIL FROM:<alex@example.org>", "RCPT TO:<nobody@example.org>", "RCPT TO:<Melanie@Example.ORG>")},
	{server: "postfix", name: "relaying denied",
		lines: session("MAIL FROM:<alex@example.org>", "RCPT TO:<someone@example.com>", "RCPT TO:<melanie@example.org@example.com>", "RCPT TO:<melanie%example.org@example.org>")},
	{server: "postfix", name: "MAIL before EHLO, smtpd_helo_required = yes",
		lines: []string{"MAIL FROM:<alex@example.org>", "RCPT TO:<melanie@example.org>", "QUIT"}},
	{server: "postfix", name: "RCPT before MAIL",
		lines: session("RCPT TO:<melanie@example.org>")},
	{server: "postfix", name: "DATA without RCPT",
		lines: session(cat([]string{"MAIL FROM:<alex@example.org>", "RCPT TO:<nobody@example.org>"}, message("never sent"))...)},
	{server: "postfix", name: "DATA before MAIL",
		lines: session(message("never sent")...)},
	{server: "postfix", name: "VRFY and EXPN, disable_vrfy_command = yes",
		lines: session("VRFY melanie", "VRFY <melanie@example.org>", "EXPN postmaster")},
	{server: "postfix", name: "SEND, SOML, SAML, TURN, and other verbs not implemented",
		lines: session("SEND FROM:<alex@example.org>", "SOML FROM:<alex@example.org>", "SAML FROM:<alex@example.org>", "TURN", "ATRN example.org", "HELP", "HELP MAIL", "STARTTLS", "XYZZY", "ETRN example.org", "ETRN")},
	{server: "postfix", name: "AUTH when not offered",
		lines: session("AUTH PLAIN AG1lbGFuaWUAdG95Ym94")},
	{server: "postfix", name: "NOOP, RSET, QUIT with arguments",
		lines: session("NOOP", "NOOP x", "RSET", "RSET x", "MAIL FROM:<alex@example.org>", "RSET", "RCPT TO:<melanie@example.org>", "QUIT now")},
	{server: "postfix", name: "a second MAIL without RSET",
		lines: session("MAIL FROM:<alex@example.org>", "MAIL FROM:<melanie@example.org>")},
	{server: "postfix", name: "lower-case verbs and parameters",
		lines:    cat([]string{"ehlo client.example.org", "mail from:<alex@example.org>", "rcpt to:<melanie@example.org>"}, message("lower case"), []string{"quit"}),
		showMail: "melanie"},
	{server: "postfix", name: "a space after the colon, and other sloppy paths",
		note: "strict_rfc821_envelopes = no (the default) accepts these.",
		lines: session("MAIL FROM: <alex@example.org>", "RCPT TO: <melanie@example.org>", "RSET",
			"MAIL FROM:alex@example.org", "RCPT TO:melanie@example.org", "RSET",
			"MAIL FROM:<alex@example.org", "MAIL FROM:<>", "RCPT TO:<melanie>", "RCPT TO:<postmaster>", "RCPT TO:<Postmaster>", "RCPT TO:<>", "RSET",
			"MAIL FROM:", "MAIL", "MAIL TO:<alex@example.org>", "MAIL FROM:<alex@exa mple.org>")},
	{server: "postfix", name: "null reverse-path",
		lines:    session(cat([]string{"MAIL FROM:<>", "RCPT TO:<melanie@example.org>"}, message("a bounce"))...),
		showMail: "melanie"},
	{server: "postfix", name: "source route",
		note:     "RFC 5321 4.1.1.3: a server must accept and may ignore a source route.",
		lines:    session(cat([]string{"MAIL FROM:<@relay.example.net:alex@example.org>", "RCPT TO:<@one,@two:melanie@example.org>"}, message("source routed"))...),
		showMail: "melanie"},
	{server: "postfix", name: "ESMTP parameters",
		note: "message_size_limit = 10000 in this instance.",
		lines: session("MAIL FROM:<alex@example.org> SIZE=20000", "MAIL FROM:<alex@example.org> SIZE=10000", "RSET",
			"MAIL FROM:<alex@example.org> FOO=bar", "MAIL FROM:<alex@example.org> BODY=8BITMIME SMTPUTF8", "RCPT TO:<melanie@example.org> NOTIFY=NEVER", "RCPT TO:<alex@example.org> XYZ=1", "RSET",
			"MAIL FROM:<alex@example.org> SIZE=abc", "MAIL FROM:<alex@example.org> BODY=7BIT")},
	{server: "postfix", name: "message larger than message_size_limit",
		note:  "message_size_limit = 10000 in this instance; the message has 11 lines of 1000 octets.",
		lines: session(cat([]string{"MAIL FROM:<alex@example.org>", "RCPT TO:<melanie@example.org>"}, message(repeat(strings.Repeat("x", 998), 11)...))...)},
	{server: "postfix", name: "too many recipients",
		note:  "smtpd_recipient_limit = 3 in this instance.",
		lines: session("MAIL FROM:<alex@example.org>", "RCPT TO:<melanie@example.org>", "RCPT TO:<alex@example.org>", "RCPT TO:<postmaster@example.org>", "RCPT TO:<melanie@example.org>", "RCPT TO:<nobody@example.org>")},
	{server: "postfix", name: "command lines of 513, 1001 and 2100 octets",
		note: "RFC 5321 4.5.3.1.4: a command line is at most 512 octets with its CRLF; the transcript counts octets without it.",
		lines: session("NOOP "+strings.Repeat("x", 506), "NOOP "+strings.Repeat("x", 994),
			"MAIL FROM:<"+strings.Repeat("a", 975)+"@example.org>",
			"RSET", "NOOP "+strings.Repeat("x", 2093), "NOOP")},
	{server: "postfix", name: "bare LF, bare CR and NUL in DATA",
		note:     "smtpd_forbid_bare_newline = no (the default in Postfix 3.7). A CR inside a line becomes a space, one before the CRLF goes.",
		lines:    session(cat([]string{"MAIL FROM:<alex@example.org>", "RCPT TO:<melanie@example.org>"}, message("one\ntwo", "three\rfour", "tail\r", "nul\x00byte", "five"))...),
		showMail: "melanie"},
	{server: "postfix", name: "lines of 1500 and 3000 octets in DATA",
		note:     "RFC 5321 4.5.3.1.6: a text line is at most 1000 octets with its CRLF.",
		lines:    session(cat([]string{"MAIL FROM:<alex@example.org>", "RCPT TO:<melanie@example.org>"}, message(strings.Repeat("a", 1500), strings.Repeat("b", 3000), "end"))...),
		showMail: "melanie"},
	{server: "postfix", name: "dot-stuffing",
		lines:    session(cat([]string{"MAIL FROM:<alex@example.org>", "RCPT TO:<melanie@example.org>"}, message("..one dot", ". space", "...", "end"))...),
		showMail: "melanie"},
	{server: "postfix", name: "8-bit and UTF-8",
		lines:    session(cat([]string{"MAIL FROM:<alex@example.org> SMTPUTF8", "RCPT TO:<melanie@example.org>"}, message("Привет, Мелани!"))...),
		showMail: "melanie"},
	{server: "postfix", name: "pipelining",
		lines: []string{ehlo, "MAIL FROM:<alex@example.org>\r\nRCPT TO:<nobody@example.org>\r\nRCPT TO:<melanie@example.org>\r\nDATA",
			"Subject: pipelined", "", "body", ".", "RSET\r\nNOOP\r\nQUIT"},
		showMail: "melanie"},
	{server: "postfix", name: "BDAT (CHUNKING)",
		lines: session("BDAT 5 LAST", "hello", "MAIL FROM:<alex@example.org>", "RCPT TO:<melanie@example.org>",
			"BDAT 22", "Subject: chunked\r\n\r\nhe", "BDAT 5 LAST", "llo\r\n"),
		showMail: "melanie"},
	{server: "postfix", name: "BDAT then DATA",
		lines: session(cat([]string{"MAIL FROM:<alex@example.org>", "RCPT TO:<melanie@example.org>", "BDAT 4", "abcd"}, message("x"))...)},

	{server: "postfix-vrfy", name: "VRFY, disable_vrfy_command = no",
		lines: session("VRFY melanie", "VRFY <melanie@example.org>", "VRFY Melanie@example.org", "VRFY nobody", "VRFY someone@example.com", "VRFY postmaster", "VRFY", "EXPN melanie")},
	{server: "postfix-vrfy", name: "MAIL before EHLO, smtpd_helo_required = no",
		lines:    cat([]string{"MAIL FROM:<alex@example.org>", "RCPT TO:<Postmaster>"}, message("to the postmaster"), []string{"QUIT"}),
		showMail: "melanie"},

	{server: "postfix-defaults", name: "relaying with Postfix's default smtpd_relay_restrictions",
		note:  "defer_unauth_destination: a temporary refusal.",
		lines: session("MAIL FROM:<alex@example.org>", "RCPT TO:<someone@example.com>")},
	{server: "postfix-defaults", name: "bad commands until Postfix hangs up (smtpd_hard_error_limit = 20)",
		note:  "smtpd_error_sleep_time = 0 here; with its default of 1s, each reply after the 10th error (smtpd_soft_error_limit) comes a second late.",
		lines: repeat("XYZZY", 22)},
	{server: "postfix-defaults", name: "junk commands until Postfix hangs up (smtpd_junk_command_limit = 100)",
		note:  "NOOP, VRFY, ETRN and RSET are junk: after 100 of them each counts as an error too.",
		lines: repeat("NOOP", 125)},
	{server: "postfix-defaults", name: "a delivery resets the error count",
		note:  "smtpd_hard_error_limit counts the errors of a client that has not delivered mail.",
		lines: cat(repeat("XYZZY", 15), []string{ehlo, "MAIL FROM:<alex@example.org>", "RCPT TO:<melanie@example.org>"}, message("x"), repeat("XYZZY", 22))},

	{server: "submission", name: "submission: AUTH offered, relaying after AUTH only",
		lines: session("MAIL FROM:<alex@example.org>", "RCPT TO:<melanie@example.org>", "RSET",
			"AUTH PLAIN AG1lbGFuaWUAd3Jvbmc=", "AUTH PLAIN AG1lbGFuaWUAdG95Ym94", "AUTH PLAIN AG1lbGFuaWUAdG95Ym94",
			"MAIL FROM:<melanie@example.org>", "RCPT TO:<someone@example.com>", "RCPT TO:<alex@example.org>")},
	{server: "submission", name: "submission: AUTH LOGIN and AUTH PLAIN with an empty initial response",
		lines: session("AUTH LOGIN", "YWxleA==", "ZHJ1bXM=", "RSET")},
	{server: "submission", name: "submission: AUTH cancelled and unknown mechanism",
		lines: session("AUTH PLAIN", "*", "AUTH CRAM-MD5", "AUTH PLAIN =", "AUTH PLAIN", "AG1lbGFuaWUAdG95Ym94")},

	{server: "lmtp", name: "LMTP: two recipients, one unknown",
		note:     "RFC 2033 4.2: after the final dot, one reply per accepted recipient, in order.",
		lines:    cat([]string{"LHLO client.example.org", "MAIL FROM:<alex@example.org>", "RCPT TO:<melanie@example.org>", "RCPT TO:<nobody@example.org>", "RCPT TO:<alex@example.org>"}, message("Hello both."), []string{"QUIT"}),
		showMail: "melanie"},
	{server: "lmtp", name: "LMTP: EHLO and HELO, MAIL before LHLO",
		lines: []string{"EHLO client.example.org", "HELO client.example.org", "MAIL FROM:<alex@example.org>", "LHLO client.example.org", "LHLO again.example.org", "QUIT"}},
	{server: "lmtp", name: "LMTP: commands out of order and unknown",
		lines: cat([]string{"LHLO client.example.org", "RCPT TO:<melanie@example.org>"}, message("x"), []string{"MAIL FROM:<alex@example.org>"}, message("x"),
			[]string{"MAIL FROM:<alex@example.org>", "VRFY melanie", "EXPN melanie", "HELP", "NOOP", "NOOP x", "XYZZY", "RSET", "RSET x", "QUIT"})},
	{server: "lmtp", name: "LMTP: paths and parameters",
		lines: []string{"LHLO client.example.org", "MAIL FROM:<>", "RCPT TO:<melanie>", "RCPT TO:<Melanie@Example.ORG>", "RCPT TO:<@one,@two:alex@example.org>", "RCPT TO:<melanie@elsewhere.example>", "RCPT TO: <alex@example.org>", "RSET",
			"MAIL FROM:<alex@example.org> SIZE=100 BODY=8BITMIME", "RCPT TO:<melanie@example.org> NOTIFY=NEVER", "RCPT TO:<alex@example.org> FOO=bar", "RSET", "MAIL FROM: <alex@example.org>", "MAIL FROM:<alex@example.org> FOO=bar", "QUIT"}},
	{server: "lmtp", name: "LMTP: BDAT with two recipients",
		lines:    []string{"LHLO client.example.org", "MAIL FROM:<alex@example.org>", "RCPT TO:<melanie@example.org>", "RCPT TO:<alex@example.org>", "BDAT 21", "Subject: chunks\r\n\r\nhi", "BDAT 2 LAST", "\r\n", "QUIT"},
		showMail: "melanie"},
	{server: "lmtp", name: "LMTP: bare LF, bare CR, NUL and a long line in DATA",
		lines:    cat([]string{"LHLO client.example.org", "MAIL FROM:<alex@example.org>", "RCPT TO:<melanie@example.org>"}, message("one\ntwo", "three\rfour", "tail\r", "nul\x00byte", strings.Repeat("c", 1500), "..dot"), []string{"QUIT"}),
		showMail: "melanie"},
	{server: "lmtp", name: "LMTP: many bad commands",
		lines: cat([]string{"LHLO client.example.org"}, repeat("XYZZY", 25), []string{"NOOP"})},
}

// TestGolden plays every scenario on its reference server and compares
// the normalized transcripts with testdata/replies.txt (-update rewrites
// it).
func TestGolden(t *testing.T) {
	servers := startReferences(t)

	var b strings.Builder
	b.WriteString(goldenHeader(t))
	for _, sc := range scenarios {
		s := servers[sc.server]
		before := 0
		if sc.showMail != "" {
			msgs, err := s.Messages(sc.showMail)
			if err != nil {
				t.Fatal(err)
			}
			before = len(msgs)
		}
		fmt.Fprintf(&b, "\n=== %s (%s)\n", sc.name, describe(sc.server))
		if sc.note != "" {
			fmt.Fprintf(&b, "# %s\n", sc.note)
		}
		b.WriteString(collapse(Normalize(Transcript(t, s.Addr, sc.lines))))
		if sc.showMail != "" {
			msgs := s.WaitMessages(t, sc.showMail, before+1)
			fmt.Fprintf(&b, "--- delivered to %s:\n", sc.showMail)
			for _, l := range strings.Split(strings.TrimSuffix(Normalize(string(msgs[before])), "\n"), "\n") {
				b.WriteString("| " + Printable(l, 120) + "\n")
			}
		}
	}
	got := b.String()
	if *update {
		if err := os.WriteFile(goldenFile, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffLines(withoutComments(string(want)), withoutComments(got)); d != "" {
		t.Errorf("the reference servers answer differently from %s (go test -run TestGolden -update rewrites it):\n%s", goldenFile, d)
	}
}

func describe(server string) string {
	switch server {
	case "postfix":
		return "Postfix: smtpd_helo_required = yes, message_size_limit = 10000, smtpd_recipient_limit = 3"
	case "postfix-vrfy":
		return "Postfix: disable_vrfy_command = no, smtpd_helo_required = no"
	case "postfix-defaults":
		return "Postfix: its default error limits and relay restrictions"
	case "submission":
		return "Postfix submission service, Dovecot SASL"
	case "lmtp":
		return "Dovecot LMTP"
	}
	return server
}

// goldenHeader says what produced the file; its comment lines are not
// compared, so that a new package version alone does not fail the test.
func goldenHeader(t *testing.T) string {
	t.Helper()
	out := func(name string, args ...string) string {
		b, err := exec.Command(name, args...).Output()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return strings.TrimSpace(string(b))
	}
	var b strings.Builder
	b.WriteString(`# Replies of the reference servers to the scenarios of golden_test.go,
# recorded by TestGolden: go test -run TestGolden -update ./sim/smtp/smtpref/
# C: is the client, S: the server, | a line of the message as delivered to
# the Maildir. Queue IDs, session IDs and dates are normalized (Normalize).
# Lines starting with # are not compared.
#
`)
	fmt.Fprintf(&b, "# Postfix %s, Dovecot %s.\n", out("postconf", "-dh", "mail_version"), out("dovecot", "--version"))
	b.WriteString("# Postfix's defaults for the limits the harness raises (postconf -d):\n")
	for _, l := range strings.Split(out("postconf", "-d", "smtpd_error_sleep_time", "smtpd_soft_error_limit", "smtpd_hard_error_limit", "smtpd_junk_command_limit",
		"smtpd_recipient_limit", "message_size_limit", "line_length_limit", "smtpd_timeout", "smtpd_relay_restrictions"), "\n") {
		b.WriteString("#   " + l + "\n")
	}
	return b.String()
}

// collapse shortens runs of the same command and reply: the lines of
// "C: X\nS: Y" repeated n times become one pair and "(n times)".
func collapse(tr string) string {
	lines := strings.Split(strings.TrimSuffix(tr, "\n"), "\n")
	var b strings.Builder
	for i := 0; i < len(lines); {
		n := 1
		if i+1 < len(lines) && strings.HasPrefix(lines[i], "C: ") && strings.HasPrefix(lines[i+1], "S: ") {
			for i+2*n+1 < len(lines) && lines[i+2*n] == lines[i] && lines[i+2*n+1] == lines[i+1] {
				n++
			}
		}
		if n >= 3 {
			fmt.Fprintf(&b, "%s\n%s\n(%d times)\n", lines[i], lines[i+1], n)
			i += 2 * n
			continue
		}
		b.WriteString(lines[i] + "\n")
		i++
	}
	return b.String()
}

func withoutComments(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// diffLines reports the first lines where want and got differ, with the
// scenario each is in.
func diffLines(want, got []string) string {
	var b strings.Builder
	scenario := ""
	shown := 0
	for i := 0; i < max(len(want), len(got)) && shown < 10; i++ {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if strings.HasPrefix(g, "=== ") {
			scenario = g
		}
		if w != g {
			fmt.Fprintf(&b, "%s\n  want %q\n  got  %q\n", scenario, w, g)
			shown++
		}
	}
	return b.String()
}

// startReferences starts the reference servers the scenarios name.
func startReferences(t *testing.T) map[string]*Server {
	servers := map[string]*Server{
		"postfix":      StartPostfix(t, Options{HeloRequired: true, MessageSizeLimit: 10000, RecipientLimit: 3}),
		"postfix-vrfy": StartPostfix(t, Options{VRFY: true}),
		"postfix-defaults": StartPostfix(t, Options{Main: map[string]string{
			"smtpd_soft_error_limit":   PostfixDefaults["smtpd_soft_error_limit"],
			"smtpd_hard_error_limit":   PostfixDefaults["smtpd_hard_error_limit"],
			"smtpd_junk_command_limit": PostfixDefaults["smtpd_junk_command_limit"],
			"smtpd_relay_restrictions": PostfixDefaults["smtpd_relay_restrictions"],
		}}),
		"lmtp": StartLMTP(t, Options{}),
	}
	sub := StartPostfix(t, Options{Submission: true})
	servers["submission"] = &Server{Addr: sub.SubmissionAddr, Dir: sub.Dir, logs: sub.logs}
	return servers
}
