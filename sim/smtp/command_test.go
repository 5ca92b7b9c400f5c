package smtp

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// noteKeys lists the keys of a command's notes.
func noteKeys(c *Command) []string {
	var out []string
	for _, n := range c.Notes {
		out = append(out, n.Key)
	}
	return out
}

// firstLine is how a reply goes on the wire after EHLO: its first line.
func firstLine(err error) string {
	var r *Reply
	if !errors.As(err, &r) {
		return ""
	}
	return r.Format(true)[0]
}

// Lines the grammar of RFC 5321 section 4.1 accepts, from its Appendix D
// scenarios, the lectures' sessions and the extensions' RFCs.
func TestParseCommandAccepts(t *testing.T) {
	tests := []struct {
		line  string
		verb  string
		check func(*Command) bool
		notes []string
	}{
		// Appendix D.1, a typical SMTP transaction.
		{"EHLO bar.com", "EHLO", func(c *Command) bool { return c.Domain == "bar.com" }, nil},
		{"MAIL FROM:<Smith@bar.com>", "MAIL", func(c *Command) bool { return c.Path.Local == "Smith" && c.Path.Domain == "bar.com" }, nil},
		{"RCPT TO:<Jones@foo.com>", "RCPT", func(c *Command) bool { return c.Path.Mailbox() == "Jones@foo.com" }, nil},
		{"DATA", "DATA", nil, nil},
		{"QUIT", "QUIT", nil, nil},
		// D.2 aborts with RSET; D.4 verifies first.
		{"RSET", "RSET", nil, nil},
		{"VRFY Crispin", "VRFY", func(c *Command) bool { return c.Target == "Crispin" }, nil},
		{"RCPT TO:<Admin.MRC@foo.com>", "RCPT", func(c *Command) bool { return c.Path.Local == "Admin.MRC" }, nil},
		// Lecture 002's telnet session of 1995, as typed.
		{"HELO crnvma.cern.ch", "HELO", func(c *Command) bool { return c.Domain == "crnvma.cern.ch" }, nil},
		{"mail from:<>", "MAIL", func(c *Command) bool { return c.Path.Null && c.Path.String() == "<>" }, nil},
		{"RCPT TO: ysemenov@cernvm.cern.ch", "RCPT", func(c *Command) bool { return c.Path.Mailbox() == "ysemenov@cernvm.cern.ch" && !c.Path.Bracketed },
			[]string{"path.space", "path.nobrackets"}},
		{"vrfy bobyshev", "VRFY", func(c *Command) bool { return c.Target == "bobyshev" }, nil},
		{"LHLO foo.edu", "LHLO", func(c *Command) bool { return c.Domain == "foo.edu" }, nil},
		// The lecture's source route: accepted, the route kept aside.
		{"RCPT TO:<@ONE,@TWO:VANJA@THREE>", "RCPT", func(c *Command) bool {
			return slices.Equal(c.Path.Route, []string{"ONE", "TWO"}) && c.Path.Mailbox() == "VANJA@THREE"
		}, []string{"path.route"}},
		// Address literals (section 4.1.3).
		{"EHLO [127.0.0.1]", "EHLO", func(c *Command) bool { return c.Domain == "[127.0.0.1]" }, nil},
		{"EHLO [IPv6:2001:db8::1]", "EHLO", func(c *Command) bool { return c.Domain == "[IPv6:2001:db8::1]" }, nil},
		{"HELO 127.0.0.1", "HELO", nil, []string{"helo.barenumber"}},
		{"EHLO client.example trailing words", "EHLO", func(c *Command) bool { return c.Domain == "client.example" }, []string{"helo.extra"}},
		{"MAIL FROM:<user@[192.0.2.1]>", "MAIL", func(c *Command) bool { return c.Path.Domain == "[192.0.2.1]" }, nil},
		{"MAIL FROM:<user@[IPv6:::1]>", "MAIL", nil, nil},
		// Postmaster without a domain (section 4.1.1.3).
		{"RCPT TO:<Postmaster>", "RCPT", func(c *Command) bool { return c.Path.Postmaster() }, nil},
		{"RCPT TO:<postmaster@example.org>", "RCPT", func(c *Command) bool { return !c.Path.Postmaster() }, nil},
		// Quoted local parts; one that could be a Dot-string is written as one.
		{`MAIL FROM:<"john doe"@example.org>`, "MAIL", func(c *Command) bool {
			return c.Path.Local == "john doe" && c.Path.Quoted && c.Path.Mailbox() == `"john doe"@example.org`
		}, nil},
		{`MAIL FROM:<"plain"@example.org>`, "MAIL", func(c *Command) bool { return c.Path.Mailbox() == "plain@example.org" }, nil},
		{`MAIL FROM:<"a\"b@c"@example.org>`, "MAIL", func(c *Command) bool {
			return c.Path.Local == `a"b@c` && c.Path.Mailbox() == `"a\"b@c"@example.org`
		}, nil},
		{`MAIL FROM:<"a>b"@example.org>`, "MAIL", func(c *Command) bool { return c.Path.Local == "a>b" }, nil},
		// Tolerances Postfix has too.
		{"MAIL FROM: <a@b.example>", "MAIL", nil, []string{"path.space"}},
		{"MAIL FROM:<melanie>", "MAIL", func(c *Command) bool { return c.Path.Domain == "" }, []string{"path.nodomain"}},
		{"  NOOP", "NOOP", nil, []string{"line.leadingspace"}},
		{"MAIL\tFROM:<a@b.example>", "MAIL", nil, nil},
		{"RCPT   TO:<a@b.example>   ", "RCPT", nil, nil},
		{"QUIT now", "QUIT", nil, []string{"arg.ignored"}},
		// ESMTP parameters.
		{"MAIL FROM:<a@b.example> SIZE=1000 BODY=8BITMIME RET=HDRS ENVID=QQ314159", "MAIL", func(c *Command) bool {
			p := c.Params
			return p.Size == 1000 && p.Body == Body8Bit && p.Ret == "HDRS" && p.EnvID == "QQ314159" && len(p.Raw) == 4
		}, nil},
		{"MAIL FROM:<a@b.example> body=binarymime", "MAIL", func(c *Command) bool { return c.Params.Body == BodyBinary }, nil},
		{"MAIL FROM:<a@b.example>", "MAIL", func(c *Command) bool { return c.Params.Size == -1 }, nil},
		// RFC 4954 section 5's examples.
		{"MAIL FROM:<e=mc2@example.com> AUTH=e+3Dmc2@example.com", "MAIL", func(c *Command) bool { return c.Params.Auth == "e=mc2@example.com" }, nil},
		{"MAIL FROM:<a@b.example> AUTH=<>", "MAIL", func(c *Command) bool { return c.Params.Auth == "<>" }, nil},
		// RFC 3461's parameters.
		{"RCPT TO:<Bob@Example.COM> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;Bob@Example.COM", "RCPT", func(c *Command) bool {
			return slices.Equal(c.Params.Notify, []string{"SUCCESS", "FAILURE"}) && c.Params.ORcptType == "rfc822" && c.Params.ORcpt == "Bob@Example.COM"
		}, nil},
		{"RCPT TO:<a@b.example> NOTIFY=never ORCPT=rfc822;a+2Bb@b.example", "RCPT", func(c *Command) bool {
			return slices.Equal(c.Params.Notify, []string{"NEVER"}) && c.Params.ORcpt == "a+b@b.example"
		}, nil},
		// SMTPUTF8 (RFC 6531).
		{"MAIL FROM:<пользователь@пример.рф> SMTPUTF8", "MAIL", func(c *Command) bool { return c.Path.UTF8 && c.Params.SMTPUTF8 }, nil},
		{"RCPT TO:<мелания@example.org>", "RCPT", func(c *Command) bool { return c.Path.UTF8 }, nil},
		{"VRFY пользователь SMTPUTF8", "VRFY", func(c *Command) bool { return c.Target == "пользователь" && c.UTF8 }, nil},
		// VRFY and EXPN strings.
		{"VRFY <melanie@example.org>", "VRFY", func(c *Command) bool { return c.Target == "melanie@example.org" }, nil},
		{`VRFY "Vasja Ivanov"`, "VRFY", func(c *Command) bool { return c.Target == "Vasja Ivanov" }, nil},
		{"EXPN Example-People", "EXPN", func(c *Command) bool { return c.Target == "Example-People" }, nil},
		{"HELP", "HELP", func(c *Command) bool { return c.Target == "" }, nil},
		{"help mail", "HELP", func(c *Command) bool { return c.Target == "MAIL" }, nil},
		{"NOOP anything at all", "NOOP", func(c *Command) bool { return c.Target == "anything at all" }, nil},
		// BDAT (RFC 3030), STARTTLS, AUTH.
		{"BDAT 1000", "BDAT", func(c *Command) bool { return c.Size == 1000 && !c.Last }, nil},
		{"bdat 0 last", "BDAT", func(c *Command) bool { return c.Size == 0 && c.Last }, nil},
		{"STARTTLS", "STARTTLS", nil, nil},
		{"AUTH plain", "AUTH", func(c *Command) bool { return c.Mechanism == "PLAIN" && !c.HasInitial }, nil},
		{"AUTH PLAIN AHRlc3QAMTIzNA==", "AUTH", func(c *Command) bool { return c.HasInitial && c.Initial == "AHRlc3QAMTIzNA==" }, nil},
		{"AUTH LOGIN =", "AUTH", func(c *Command) bool { return c.HasInitial && c.Initial == "=" }, nil},
	}
	for _, tt := range tests {
		c, err := ParseCommand(tt.line)
		if err != nil {
			t.Errorf("%q: %v", tt.line, err)
			continue
		}
		if c.Verb != tt.verb {
			t.Errorf("%q: verb %q, want %q", tt.line, c.Verb, tt.verb)
		}
		if tt.check != nil && !tt.check(c) {
			t.Errorf("%q: parsed as %+v", tt.line, c)
		}
		if got := noteKeys(c); !slices.Equal(got, tt.notes) {
			t.Errorf("%q: notes %v, want %v", tt.line, got, tt.notes)
		}
	}
}

// Every refusal is a precise reply, with the key that explains it.
func TestParseCommandRefuses(t *testing.T) {
	long := strings.Repeat("x", 65)
	tests := []struct {
		line  string
		reply string // the first line sent with enhanced codes on
		why   string // the explanation's key
		inner string // for a bad address: the reason's key
	}{
		{"", "500 5.5.2 Error: bad syntax", "cmd.empty", ""},
		{"   ", "500 5.5.2 Error: bad syntax", "cmd.empty", ""},
		{"FOO bar", "500 5.5.2 Error: command not recognized", "cmd.unknown", ""},
		{"LHL0 foo.edu", "500 5.5.2 Error: command not recognized", "cmd.unknown", ""}, // lecture 003's LMTP example, typed with a zero
		{"HELO", "501 Syntax: HELO hostname", "helo.syntax", ""},
		{"EHLO", "501 Syntax: EHLO hostname", "helo.syntax", ""},
		{"EHLO [300.1.1.1]", "501 5.5.2 <[300.1.1.1]>: Helo command rejected: invalid ip address", "helo.badip", "addr.literal.ipv4"},
		{"EHLO bad_name.example", "501 5.5.2 <bad_name.example>: Helo command rejected: Invalid name", "helo.badname", "addr.domain.label"},
		{"MAIL", "501 5.5.4 Syntax: MAIL FROM:<address>", "mail.syntax", ""},
		{"MAIL FROM", "501 5.5.4 Syntax: MAIL FROM:<address>", "mail.syntax", ""},
		{"MAIL FROM:", "501 5.5.4 Syntax: MAIL FROM:<address>", "mail.syntax", ""},
		{"MAIL TO:<a@b.example>", "501 5.5.4 Syntax: MAIL FROM:<address>", "mail.syntax", ""},
		{"MAIL FROM :<a@b.example>", "501 5.5.4 Syntax: MAIL FROM:<address>", "mail.syntax", ""},
		{"MAIL FROM:<a@b.example", "501 5.1.7 Bad sender address syntax", "mail.badaddr", "addr.unclosed"},
		{"MAIL FROM:<a@b.example>x", "501 5.1.7 Bad sender address syntax", "mail.badaddr", "addr.trailing"},
		{"MAIL FROM:<a..b@c.example>", "501 5.1.7 Bad sender address syntax", "mail.badaddr", "addr.local.dots"},
		{"MAIL FROM:<.a@c.example>", "501 5.1.7 Bad sender address syntax", "mail.badaddr", "addr.local.dots"},
		{"MAIL FROM:<a b@c.example>", "501 5.1.7 Bad sender address syntax", "mail.badaddr", "addr.local.char"},
		{"MAIL FROM:<a(b)@c.example>", "501 5.1.7 Bad sender address syntax", "mail.badaddr", "addr.local.char"},
		{"MAIL FROM:<@c.example>", "501 5.1.7 Bad sender address syntax", "mail.badaddr", "addr.route"},
		{"MAIL FROM:<a@-c.example>", "501 5.1.7 Bad sender address syntax", "mail.badaddr", "addr.domain.label"},
		{"MAIL FROM:<a@c..example>", "501 5.1.7 Bad sender address syntax", "mail.badaddr", "addr.domain.label"},
		{"MAIL FROM:<a@c.example.>", "501 5.1.7 Bad sender address syntax", "mail.badaddr", "addr.domain.label"},
		{"MAIL FROM:<a@>", "501 5.1.7 Bad sender address syntax", "mail.badaddr", "addr.domain.missing"},
		{`MAIL FROM:<"ab@c.example>`, "501 5.1.7 Bad sender address syntax", "mail.badaddr", "addr.unclosed"},
		{`MAIL FROM:"ab@c.example`, "501 5.1.7 Bad sender address syntax", "mail.badaddr", "addr.quote.unclosed"},
		{`MAIL FROM:<"a"b@c.example>`, "501 5.1.7 Bad sender address syntax", "mail.badaddr", "addr.quote.after"},
		{"MAIL FROM:<a@[IPv6:zz::1]>", "501 5.1.7 Bad sender address syntax", "mail.badaddr", "addr.literal.ipv6"},
		{"MAIL FROM:<a@[x400:c=de]>", "501 5.1.7 Bad sender address syntax", "mail.badaddr", "addr.literal.tag"},
		{"MAIL FROM:<a@[1.2.3]>", "501 5.1.7 Bad sender address syntax", "mail.badaddr", "addr.literal.ipv4"},
		{"MAIL FROM:<" + long + "@c.example>", "501 5.1.7 Bad sender address syntax", "mail.badaddr", "addr.local.toolong"},
		{"MAIL FROM:<a@" + strings.Repeat("x", 64) + ".example>", "501 5.1.7 Bad sender address syntax", "mail.badaddr", "addr.domain.label"},
		{"MAIL FROM:<@ONE,TWO:a@c.example>", "501 5.1.7 Bad sender address syntax", "mail.badaddr", "addr.route.hop"},
		{"MAIL FROM:a>b@c.example", "501 5.1.7 Bad sender address syntax", "mail.badaddr", "addr.brackets"},
		{"RCPT", "501 5.5.4 Syntax: RCPT TO:<address>", "rcpt.syntax", ""},
		{"RCPT TO:<>", "501 5.1.3 Bad recipient address syntax", "rcpt.badaddr", "addr.null"},
		{"MAIL FROM:<a@b.example> FOO=1", "555 5.5.4 Unsupported option: FOO=1", "param.unknown", ""},
		{"MAIL FROM:<a@b.example> NOTIFY=NEVER", "555 5.5.4 Unsupported option: NOTIFY=NEVER", "param.rcptonly", ""},
		{"RCPT TO:<a@b.example> SIZE=10", "555 5.5.4 Unsupported option: SIZE=10", "param.mailonly", ""},
		{"MAIL FROM:<a@b.example> SIZE=abc", "501 5.5.4 Bad message size syntax", "param.size", ""},
		{"MAIL FROM:<a@b.example> SIZE=", "501 5.5.4 Bad parameter syntax: SIZE=", "param.syntax", ""},
		{"MAIL FROM:<a@b.example> SIZE", "501 5.5.4 Bad message size syntax", "param.size", ""},
		{"MAIL FROM:<a@b.example> SIZE=123456789012345678901", "501 5.5.4 Bad message size syntax", "param.size", ""},
		{"MAIL FROM:<a@b.example> BODY=9BIT", "501 5.5.4 Bad BODY parameter syntax", "param.body", ""},
		{"MAIL FROM:<a@b.example> SIZE=1 size=2", "501 5.5.4 Error: multiple SIZE parameters", "param.duplicate", ""},
		{"MAIL FROM:<a@b.example> =x", "501 5.5.4 Bad parameter syntax: =x", "param.syntax", ""},
		{"MAIL FROM:<a@b.example> A=b=c", "501 5.5.4 Bad parameter syntax: A=b=c", "param.syntax", ""},
		{"MAIL FROM:<a@b.example> SMTPUTF8=yes", "501 5.5.4 Bad SMTPUTF8 parameter syntax", "param.smtputf8", ""},
		{"MAIL FROM:<a@b.example> RET=ALL", "501 5.5.4 Bad RET parameter syntax", "param.ret", ""},
		{"MAIL FROM:<a@b.example> ENVID=a+zz", "501 5.5.4 Bad ENVID parameter syntax", "param.envid", ""},
		{"MAIL FROM:<a@b.example> ENVID=" + strings.Repeat("q", 101), "501 5.5.4 Bad ENVID parameter syntax", "param.envid", ""},
		{"MAIL FROM:<a@b.example> AUTH=a+4", "501 5.5.4 Bad AUTH parameter syntax", "param.auth", ""},
		{"RCPT TO:<a@b.example> NOTIFY=NEVER,SUCCESS", "501 5.5.4 Error: Bad NOTIFY parameter syntax", "param.notify", ""},
		{"RCPT TO:<a@b.example> NOTIFY=SUCCESS,SUCCESS", "501 5.5.4 Error: Bad NOTIFY parameter syntax", "param.notify", ""},
		{"RCPT TO:<a@b.example> ORCPT=bob", "501 5.5.4 Error: Bad ORCPT parameter syntax", "param.orcpt", ""},
		{"MAIL FROM:<пользователь@пример.рф>", "553 5.6.7 Must declare SMTPUTF8 to send unicode address", "utf8.undeclared", ""},
		{"VRFY пользователь", "553 5.6.7 Must declare SMTPUTF8 to send unicode address", "utf8.undeclared", ""},
		{"DATA now", "501 5.5.4 Syntax: DATA", "data.syntax", ""},
		{"RSET x", "501 5.5.4 Syntax: RSET", "rset.syntax", ""},
		{"STARTTLS please", "501 5.5.4 Syntax: STARTTLS", "starttls.syntax", ""},
		{"BDAT", "501 5.5.4 Syntax: BDAT count [LAST]", "bdat.syntax", ""},
		{"BDAT x", "501 5.5.4 Syntax: BDAT count [LAST]", "bdat.syntax", ""},
		{"BDAT -1", "501 5.5.4 Syntax: BDAT count [LAST]", "bdat.syntax", ""},
		{"BDAT 10 FIRST", "501 5.5.4 Syntax: BDAT count [LAST]", "bdat.syntax", ""},
		{"BDAT 99999999999999999999", "501 5.5.4 Syntax: BDAT count [LAST]", "bdat.syntax", ""},
		{"BDAT 0", "551 5.7.1 Null BDAT request", "bdat.null", ""},
		{"VRFY", "501 5.5.4 Syntax: VRFY address", "vrfy.syntax", ""},
		{"EXPN <>", "501 5.5.4 Syntax: EXPN mailing-list", "expn.syntax", ""},
		{"AUTH", "501 5.5.4 Syntax: AUTH mechanism", "auth.syntax", ""},
		{"AUTH PL@IN", "501 5.5.4 Syntax: AUTH mechanism", "auth.syntax", ""},
		// RFC 821's commands the lecture teaches, recognized and declined.
		{"SEND FROM:<a@b.example>", "502 5.5.1 Error: command not implemented", "cmd.send", ""},
		{"SOML FROM:<a@b.example>", "502 5.5.1 Error: command not implemented", "cmd.soml", ""},
		{"SAML FROM:<a@b.example>", "502 5.5.1 Error: command not implemented", "cmd.saml", ""},
		{"TURN", "502 5.5.1 Error: command not implemented", "cmd.turn", ""},
		{"ETRN example.org", "502 5.5.1 Error: command not implemented", "cmd.etrn", ""},
		// Bytes a terminal sends by mistake, and lines too long.
		{"MAIL FROM:<a@b.example>\x08\x08", "500 5.5.2 Error: bad syntax", "cmd.control", ""},
		{"NOOP \x00", "500 5.5.2 Error: bad syntax", "cmd.control", ""},
		{"NOOP \xff\xfe", "500 5.5.2 Error: bad UTF-8 syntax", "cmd.utf8", ""},
		{"NOOP " + strings.Repeat("x", 506), "500 5.5.2 Line too long", "line.toolong", ""},
		{"MAIL FROM:<a@b.example> ENVID=" + strings.Repeat("x", 1200), "500 5.5.2 Line too long", "line.toolong", ""},
		{"AUTH PLAIN " + strings.Repeat("A", MaxLine), "500 5.5.2 Line too long", "line.toolong", ""},
	}
	for _, tt := range tests {
		c, err := ParseCommand(tt.line)
		if err == nil {
			t.Errorf("%q: accepted as %+v", tt.line, c)
			continue
		}
		var r *Reply
		if !errors.As(err, &r) {
			t.Errorf("%q: error %v is not a reply", tt.line, err)
			continue
		}
		if got := firstLine(err); got != tt.reply {
			t.Errorf("%q:\n got %q\nwant %q", tt.line, got, tt.reply)
		}
		if r.Why.Key != tt.why {
			t.Errorf("%q: explained by %q, want %q", tt.line, r.Why.Key, tt.why)
		}
		if tt.inner != "" {
			var inner string
			for _, a := range r.Why.Args {
				if x, ok := a.(Text); ok {
					inner = x.Key
				}
			}
			if inner != tt.inner {
				t.Errorf("%q: reason %q, want %q", tt.line, inner, tt.inner)
			}
		}
	}
}

// A line that holds 512 octets with its CRLF is the longest command line
// RFC 5321 section 4.5.3.1.4 requires a server to take.
func TestCommandLineLimit(t *testing.T) {
	ok := "NOOP " + strings.Repeat("x", maxCommandLine-2-5)
	if _, err := ParseCommand(ok); err != nil {
		t.Errorf("a %d-octet line: %v", len(ok)+2, err)
	}
	if _, err := ParseCommand(ok + "x"); firstLine(err) != "500 5.5.2 Line too long" {
		t.Errorf("a %d-octet line: %v", len(ok)+3, err)
	}
	if r := LineTooLong(20000); r.Format(false)[0] != "500 Line too long" {
		t.Errorf("LineTooLong: %v", r)
	}
}

// A typing slip gets a suggestion; a word far from any command gets none.
func TestDidYouMean(t *testing.T) {
	for in, want := range map[string]string{"LHL0": "LHLO", "HELLO": "HELO", "RCTP": "RCPT", "MAIK": "MAIL", "QUTI": "QUIT", "DATAA": "DATA", "XYZZY": ""} {
		if got := nearVerb(in); got != want {
			t.Errorf("nearVerb(%q) = %q, want %q", in, got, want)
		}
	}
	_, err := ParseCommand("LHL0 foo.edu")
	var r *Reply
	errors.As(err, &r)
	if len(r.Notes) != 1 || r.Notes[0].Key != "cmd.didyoumean" {
		t.Errorf("LHL0: notes %v", r.Notes)
	}
}

func TestXtext(t *testing.T) {
	for _, s := range []string{"", "plain", "e=mc2@example.com", "a+b", "with space", "\x01\x7f"} {
		enc := XtextEncode(s)
		dec, ok := xtextDecode(enc)
		if !ok || dec != s {
			t.Errorf("%q: encoded %q, decoded %q %v", s, enc, dec, ok)
		}
	}
	for _, bad := range []string{"a+", "a+4", "a+4g", "a+4a", "a=b", "a b"} {
		if _, ok := xtextDecode(bad); ok {
			t.Errorf("xtextDecode(%q) accepted", bad)
		}
	}
}
