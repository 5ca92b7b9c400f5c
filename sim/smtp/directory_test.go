package smtp

import (
	"slices"
	"strings"
	"testing"

	"maillab/sim/mailstore"
)

// labStore holds the lecture accounts.
func labStore(t *testing.T, users ...string) *mailstore.Store {
	t.Helper()
	st := mailstore.New()
	if len(users) == 0 {
		users = []string{"melanie", "alex", "mrose", "smith", "SMITH"}
	}
	for _, u := range users {
		if _, err := st.AddUser(u, "secret"); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

func labDirectory(t *testing.T) *Directory {
	return &Directory{Store: labStore(t), Aliases: mustAliases(t, aliasFile)}
}

var labConfig = Config{Hostname: "mx.example.org", Domains: []string{"example.org"}, Addresses: []string{"192.0.2.25"}}

// verify runs VRFY arg under mode and returns the reply's lines as sent
// without enhanced codes.
func verify(t *testing.T, c Config, d *Directory, arg string) []string {
	t.Helper()
	cmd, err := ParseCommand("VRFY " + arg)
	if err != nil {
		return err.(*Reply).Format(false)
	}
	return c.Verify(d, cmd).Format(false)
}

// Postfix's default: 252 for an address it would accept, the RCPT
// refusal for one it would not; VRFY says nothing more.
func TestVerifyCannot(t *testing.T) {
	d := labDirectory(t)
	c := labConfig
	for arg, want := range map[string]string{
		"melanie":                   "252 <melanie@example.org>",
		"<Melanie@example.org>":     "252 <Melanie@example.org>",
		"staff":                     "252 <staff@example.org>",
		"nobody":                    "550 <nobody@example.org>: Recipient address rejected: User unknown in local recipient table",
		"someone@elsewhere.example": "554 <someone@elsewhere.example>: Relay access denied",
		"a..b@example.org":          "501 Bad recipient address syntax",
	} {
		if got := verify(t, c, d, arg); got[0] != want {
			t.Errorf("VRFY %s: %q, want %q", arg, got, want)
		}
	}
	c.VRFY = VRFYDisabled
	if got := verify(t, c, d, "melanie"); got[0] != "502 VRFY command is disabled" {
		t.Errorf("disabled: %q", got)
	}
}

// RFC 5321 section 3.5's answers, with the lecture's examples: a server
// on ns.itep.ru that knows its users' full names, forwards Ivanov and has
// lost Vasja.
func TestVerifyFull(t *testing.T) {
	st := labStore(t, "bobyshev", "Admin.MRC", "SMITH", "Smith")
	aliases := mustAliases(t, "ivanov: Ivanov@cl.itep.ru\nstaff: bobyshev, Admin.MRC\n")
	d := &Directory{Store: st, Aliases: aliases,
		Relocated: map[string]string{"vasja": "Vasja@ns.itep.ru"},
		FullNames: map[string]string{"bobyshev": "andrey bobyshev", "Admin.MRC": "Mark Crispin"},
	}
	c := Config{Hostname: "ns.itep.ru", VRFY: VRFYFull}
	tests := []struct {
		arg  string
		want []string
	}{
		{"bobyshev", []string{"250 andrey bobyshev <bobyshev@ns.itep.ru>"}},
		{"Crispin", []string{"250 Mark Crispin <Admin.MRC@ns.itep.ru>"}}, // RFC 5321 Appendix D.4
		{`"Mark Crispin"`, []string{"250 Mark Crispin <Admin.MRC@ns.itep.ru>"}},
		{"ivanov", []string{"251 User not local; will forward to <Ivanov@cl.itep.ru>"}},
		{"Chtozachertovchina", []string{"550 String does not match anything."}},
		{"vasja", []string{"551 User not local; please try <Vasja@ns.itep.ru>"}},
		{"smith", []string{"553-User ambiguous", "553-<SMITH@ns.itep.ru>", "553 <Smith@ns.itep.ru>"}},
		{"staff", []string{"250 <staff@ns.itep.ru>"}},
		{"someone@elsewhere.example", []string{"554 <someone@elsewhere.example>: Relay access denied"}},
	}
	for _, tt := range tests {
		if got := verify(t, c, d, tt.arg); !slices.Equal(got, tt.want) {
			t.Errorf("VRFY %s:\n got %q\nwant %q", tt.arg, got, tt.want)
		}
	}
	loops := &Directory{Store: st, Aliases: mustAliases(t, "a: b\nb: a\n")}
	if got := verify(t, c, loops, "a"); got[0] != "550 <a@ns.itep.ru>: Mail forwarding loop" {
		t.Errorf("loop: %q", got)
	}
}

func TestExpand(t *testing.T) {
	d := labDirectory(t)
	d.FullNames = map[string]string{"melanie": "Melanie"}
	c := labConfig
	expn := func(arg string) []string {
		cmd, err := ParseCommand("EXPN " + arg)
		if err != nil {
			t.Fatal(err)
		}
		return c.Expand(d, cmd).Format(true)
	}
	tests := []struct {
		arg  string
		want []string
	}{
		{"staff", []string{"250-2.0.0 Melanie <melanie@example.org>", "250-2.0.0 <alex@example.org>", "250-2.0.0 <mrose@example.org>", "250 2.0.0 <melanie@backup.example>"}},
		{"Postmaster", []string{"250-2.0.0 Melanie <melanie@example.org>", "250 2.0.0 <melanie@backup.example>"}},
		{"alex", []string{"550 5.1.0 That is a user name, not a mailing list"}},
		{"nobody", []string{"550 5.1.1 String does not match anything."}},
		{"staff@elsewhere.example", []string{"554 5.7.1 <staff@elsewhere.example>: Relay access denied"}},
	}
	for _, tt := range tests {
		if got := expn(tt.arg); !slices.Equal(got, tt.want) {
			t.Errorf("EXPN %s:\n got %q\nwant %q", tt.arg, got, tt.want)
		}
	}
	c.Off = []string{ExtEXPN}
	if got := expn("staff"); got[0] != "502 5.5.1 EXPN command is disabled" {
		t.Errorf("EXPN off: %q", got)
	}
	x := Explain(c.Expand(d, &Command{Verb: "EXPN", Target: "x"}), nil, true, "ru")
	if !strings.Contains(x.Text, "спамерам") {
		t.Errorf("EXPN off explained as %q", x.Text)
	}
}

// Local parts fold as Postfix folds them for local users; two users
// differing only in case make a name that matches neither ambiguous.
func TestUserFolding(t *testing.T) {
	d := &Directory{Store: labStore(t, "melanie", "smith", "SMITH", "Mixed", "MIXED")}
	for name, want := range map[string]string{"melanie": "melanie", "Melanie": "melanie", "MELANIE": "melanie",
		"SMITH": "SMITH", "Smith": "smith", "smith": "smith", "mixed": "", "Mixed": "Mixed"} {
		got, possible := d.user(name)
		if got != want {
			t.Errorf("%s: %q %v, want %q", name, got, possible, want)
		}
	}
	if _, possible := d.user("mixed"); !slices.Equal(possible, []string{"MIXED", "Mixed"}) {
		t.Errorf("mixed: %v", possible)
	}
}

func TestHelp(t *testing.T) {
	c := labConfig
	for line, want := range map[string]string{
		"HELP":       "214 2.0.0 Commands: AUTH BDAT DATA EHLO EXPN HELO HELP MAIL NOOP QUIT RCPT RSET STARTTLS VRFY",
		"HELP mail":  "214 2.0.0 MAIL FROM:<reverse-path> [<SP> <mail-parameters>]",
		"HELP TURN":  "214 2.0.0 TURN (RFC 821, no longer implemented)",
		"HELP xyzzy": "504 5.5.4 HELP topic not known: XYZZY",
	} {
		cmd, _ := ParseCommand(line)
		if got := c.Help(Machine, cmd).Format(true)[0]; got != want {
			t.Errorf("%s: %q, want %q", line, got, want)
		}
	}
	cmd, _ := ParseCommand("HELP")
	if got := c.Help(LMTPMachine, cmd).Format(true)[0]; !strings.Contains(got, "LHLO") || strings.Contains(got, "EHLO") {
		t.Errorf("LMTP HELP: %q", got)
	}
}
