package sasl

import (
	"encoding/base64"
	"errors"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xdg-go/scram"

	"maillab/sim/sasl/scramtest"

	"maillab/sim/catalog"
	"maillab/sim/event"
)

// users is a password table for Config.Lookup.
func users(pairs ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i]] = pairs[i+1]
	}
	return func(u string) (string, bool) {
		p, ok := m[u]
		return p, ok
	}
}

func newServer(t *testing.T, mech string, c Config) Server {
	t.Helper()
	s, err := New(mech, c)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// step runs one step and fails the test on an error.
func step(t *testing.T, s Server, resp []byte) ([]byte, bool) {
	t.Helper()
	ch, done, err := s.Next(resp)
	if err != nil {
		t.Fatalf("%s: %v", s.Mechanism(), err)
	}
	return ch, done
}

// tokens lists the tokens of the last step's explanation.
func tokens(s Server) []string {
	var out []string
	for _, p := range s.Explain("en") {
		out = append(out, p.Token)
	}
	return out
}

// RFC 2195 section 2's example: tim, tanstaaftanstaaf, and the challenge
// <1896.697170952@postoffice.reston.mci.net>.
func TestCramMD5RFC2195(t *testing.T) {
	cfg := Config{Hostname: "postoffice.reston.mci.net", Now: func() time.Time { return time.Unix(697170952, 0) },
		Rand: strings.NewReader("\x00\x00\x00\x00\x00\x00\x0e\xd0"), Lookup: users("tim", "tanstaaftanstaaf")}
	s := newServer(t, "cram-md5", cfg)
	ch, done := step(t, s, nil)
	if done || Encode(ch) != "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+" {
		t.Fatalf("challenge %q (%s)", ch, Encode(ch))
	}
	if got := tokens(s); !slices.Equal(got, []string{"PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+", "<1896.697170952@postoffice.reston.mci.net>"}) {
		t.Errorf("challenge parts %q", got)
	}
	resp, err := Decode("dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw")
	if err != nil || string(resp) != "tim b913a602c7eda7a495b4e6e7334d3890" {
		t.Fatalf("Decode: %q %v", resp, err)
	}
	if _, done := step(t, s, resp); !done || s.User() != "tim" {
		t.Fatalf("done %v user %q", done, s.User())
	}
	if got := tokens(s); !slices.Equal(got, []string{"tim", "b913a602c7eda7a495b4e6e7334d3890"}) {
		t.Errorf("response parts %q", got)
	}

	// The same answer to another challenge fails: it is tied to the
	// challenge's timestamp.
	cfg.Challenge = "<1897.697170952@postoffice.reston.mci.net>"
	s = newServer(t, CramMD5, cfg)
	step(t, s, nil)
	if _, _, err := s.Next(resp); !errors.Is(err, ErrAuthFailed) {
		t.Errorf("a replayed answer: %v", err)
	}
}

func TestCramMD5Failures(t *testing.T) {
	cfg := Config{Lookup: users("tim", "tanstaaftanstaaf")}
	for _, tc := range []struct {
		resp string
		want error
	}{
		{"tim 00000000000000000000000000000000", ErrAuthFailed},
		{"nobody b913a602c7eda7a495b4e6e7334d3890", ErrAuthFailed},
		{"tim", ErrMalformed},
		{"tim b913", ErrMalformed},
		{"tim zz13a602c7eda7a495b4e6e7334d3890", ErrMalformed},
		{" b913a602c7eda7a495b4e6e7334d3890", ErrMalformed},
	} {
		s := newServer(t, CramMD5, cfg)
		ch, _ := step(t, s, nil)
		if !regexp.MustCompile(`^<\d+\.\d+@localhost>$`).Match(ch) {
			t.Errorf("challenge %q", ch)
		}
		if _, done, err := s.Next([]byte(tc.resp)); !done || !errors.Is(err, tc.want) {
			t.Errorf("%q: done %v, %v; want %v", tc.resp, done, err, tc.want)
		}
	}
	// CRAM-MD5 cannot start with the client.
	s := newServer(t, CramMD5, cfg)
	if _, _, err := s.Next([]byte("tim")); !errors.Is(err, ErrMalformed) {
		t.Errorf("initial response: %v", err)
	}
	// Two challenges differ.
	a, _ := step(t, newServer(t, CramMD5, cfg), nil)
	b, _ := step(t, newServer(t, CramMD5, cfg), nil)
	if string(a) == string(b) {
		t.Errorf("two challenges alike: %s", a)
	}
}

// scramExchange runs a SCRAM exchange with RFC-pinned nonces and salt and
// checks every message against the RFC's.
func scramExchange(t *testing.T, mech, user, pass, cnonce, snonce, salt string, msgs [4]string) {
	t.Helper()
	saltBytes, err := base64.StdEncoding.DecodeString(salt)
	if err != nil {
		t.Fatal(err)
	}
	s := newServer(t, mech, Config{Nonce: snonce, Salt: saltBytes, Lookup: users(user, pass)})
	if ch, done := step(t, s, nil); len(ch) != 0 || done {
		t.Fatalf("first challenge %q", ch)
	}
	ch, _ := step(t, s, []byte(msgs[0]))
	if string(ch) != msgs[1] {
		t.Fatalf("server-first %q, want %q", ch, msgs[1])
	}
	if s.User() != user {
		t.Errorf("user %q", s.User())
	}
	// Each field of both messages is a part: the GS2 header, n=, r=;
	// the challenge in base64, then r=, s=, i=.
	want := append([]string{"n,,"}, strings.Split(strings.TrimPrefix(msgs[0], "n,,"), ",")...)
	want = append(append(want, token(Encode(ch))), strings.Split(msgs[1], ",")...)
	if got := tokens(s); !slices.Equal(got, want) {
		t.Errorf("parts %q, want %q", got, want)
	}
	ch, _ = step(t, s, []byte(msgs[2]))
	if string(ch) != msgs[3] {
		t.Fatalf("server-final %q, want %q", ch, msgs[3])
	}
	want = append(append(strings.Split(msgs[2], ","), Encode(ch)), msgs[3])
	if got := tokens(s); !slices.Equal(got, want) {
		t.Errorf("parts %q, want %q", got, want)
	}
	if _, done := step(t, s, []byte{}); !done {
		t.Fatal("not done after the empty response")
	}
	if !strings.Contains(msgs[0], "r="+cnonce) {
		t.Errorf("the client's nonce is not %s", cnonce)
	}
	if got := tokens(s); len(got) != 0 {
		t.Errorf("the closing empty response has parts %q", got)
	}
}

// RFC 5802 section 5: user "user", password "pencil".
func TestScramSHA1RFC5802(t *testing.T) {
	scramExchange(t, ScramSHA1, "user", "pencil", "fyko+d2lbbFgONRv9qkxdawL", "3rfcNHYJY1ZVvWVs7j", "QSXCR+Q6sek8bf92", [4]string{
		"n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL",
		"r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
		"c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
		"v=rmF9pqV8S7suAoZWja4dJRkFsKQ=",
	})
}

// RFC 7677 section 3: the same user and password with SHA-256.
func TestScramSHA256RFC7677(t *testing.T) {
	scramExchange(t, ScramSHA256, "user", "pencil", "rOprNGfwEbeRWgbNEkqO", "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0", "W22ZaJ0SNY7soEsUEjb6gQ==", [4]string{
		"n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
		"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
		"c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
		"v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
	})
}

// scramClient runs xdg-go/scram's client against a server.
func scramClient(t *testing.T, s Server, hg scram.HashGeneratorFcn, user, pass, authz string) error {
	t.Helper()
	conv := scramtest.New(hg, user, pass, authz, "clientnonce")
	if _, _, err := s.Next(nil); err != nil {
		return err
	}
	msg, err := conv.Step("")
	if err != nil {
		t.Fatal(err)
	}
	for {
		ch, done, err := s.Next([]byte(msg))
		if err != nil || done {
			return err
		}
		if msg, err = conv.Step(string(ch)); err != nil {
			t.Fatalf("the client refuses %q: %v", ch, err)
		}
		if conv.Done() {
			if !conv.Valid() {
				t.Fatal("the server's signature is wrong")
			}
			msg = ""
		}
	}
}

// Salted keys are made once per user with a salt of the user's own, and
// a wrong password, an unknown user, another identity and a cancel all
// fail.
func TestScramWithClient(t *testing.T) {
	cfg := Config{Lookup: users("melanie", "toybox", "alex", "drums")}
	for _, tc := range []struct {
		mech string
		hg   scram.HashGeneratorFcn
	}{{ScramSHA1, scram.SHA1}, {ScramSHA256, scram.SHA256}} {
		s := newServer(t, tc.mech, cfg)
		if err := scramClient(t, s, tc.hg, "melanie", "toybox", ""); err != nil {
			t.Fatalf("%s: %v", tc.mech, err)
		}
		if s.User() != "melanie" {
			t.Errorf("user %q", s.User())
		}
		for _, bad := range []struct{ user, pass, authz string }{{"melanie", "wrong", ""}, {"nobody", "toybox", ""}} {
			if err := scramClient(t, newServer(t, tc.mech, cfg), tc.hg, bad.user, bad.pass, bad.authz); !errors.Is(err, ErrAuthFailed) {
				t.Errorf("%s %v: %v, want ErrAuthFailed", tc.mech, bad, err)
			}
		}
		if err := scramClient(t, newServer(t, tc.mech, cfg), tc.hg, "melanie", "toybox", "alex"); !errors.Is(err, ErrAuthorization) {
			t.Errorf("%s as alex: %v, want ErrAuthorization", tc.mech, err)
		}
		if err := scramClient(t, newServer(t, tc.mech, cfg), tc.hg, "melanie", "toybox", "melanie"); err != nil {
			t.Errorf("%s as melanie herself: %v", tc.mech, err)
		}
	}
	salt := func(mech, user string) string {
		s := newServer(t, mech, cfg)
		s.Next(nil)
		ch, _, err := s.Next([]byte("n,,n=" + user + ",r=abc"))
		if err != nil {
			t.Fatal(err)
		}
		return regexp.MustCompile(`s=([^,]*)`).FindStringSubmatch(string(ch))[1]
	}
	if a, b := salt(ScramSHA256, "melanie"), salt(ScramSHA256, "melanie"); a != b {
		t.Errorf("melanie's salt changed: %s, %s", a, b)
	}
	if a, b := salt(ScramSHA256, "melanie"), salt(ScramSHA256, "alex"); a == b {
		t.Errorf("two users share the salt %s", a)
	}
	if a, b := salt(ScramSHA256, "nobody"), salt(ScramSHA256, "nobody"); a != b {
		t.Errorf("an unknown user's salt changed, which tells it is unknown: %s, %s", a, b)
	}
	if b, _ := base64.StdEncoding.DecodeString(salt(ScramSHA1, "alex")); len(b) != saltSize {
		t.Errorf("salt of %d octets", len(b))
	}
}

func TestScramMalformed(t *testing.T) {
	cfg := Config{Lookup: users("user", "pencil")}
	for _, tc := range []struct {
		name  string
		steps []string
	}{
		{"no gs2 header", []string{"n=user,r=abc"}},
		{"channel binding required", []string{"p=tls-unique,,n=user,r=abc"}},
		{"extension", []string{"n,,m=x,n=user,r=abc"}},
		{"empty client-first", []string{""}},
		{"nonce changed", []string{"n,,n=user,r=abc", "c=biws,r=xyz,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="}},
		{"no proof", []string{"n,,n=user,r=abc", "c=biws"}},
	} {
		s := newServer(t, ScramSHA256, cfg)
		s.Next(nil)
		var err error
		for _, m := range tc.steps {
			if _, _, err = s.Next([]byte(m)); err != nil {
				break
			}
		}
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", tc.name, err)
		}
		for _, lang := range catalog.Languages() {
			for _, p := range s.Explain(lang) {
				if strings.HasPrefix(p.Meaning, "[sasl:") || strings.Contains(p.Meaning, "%!") {
					t.Errorf("%s: %s part %+v", tc.name, lang, p)
				}
			}
		}
	}
	// A client that could bind the channel but believes the server cannot
	// ("y") is served: this server offers no -PLUS mechanism.
	s := newServer(t, ScramSHA1, cfg)
	s.Next(nil)
	if _, _, err := s.Next([]byte("y,,n=user,r=abc")); err != nil {
		t.Errorf("y,,: %v", err)
	}
	if got := s.Explain("sk"); len(got) == 0 || got[0].Token != "y,," || !strings.Contains(got[0].Meaning, "channel binding") {
		t.Errorf("y,, parts %+v", got)
	}
	// After v= only an empty response closes the exchange.
	s = newServer(t, ScramSHA1, Config{Nonce: "3rfcNHYJY1ZVvWVs7j", Salt: []byte("A%\xc2G\xe4:\xb1\xe9<m\xffv"), Lookup: users("user", "pencil")})
	s.Next(nil)
	s.Next([]byte("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"))
	if _, _, err := s.Next([]byte("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Next([]byte("more")); !errors.Is(err, ErrMalformed) {
		t.Errorf("a response after v=: %v", err)
	}
}

func TestPlain(t *testing.T) {
	cfg := Config{Lookup: users("kim", "secret", "lee", "other")}
	for _, tc := range []struct {
		resp string
		want error
		user string
	}{
		{"\x00kim\x00secret", nil, "kim"},
		{"kim\x00kim\x00secret", nil, "kim"},
		{"\x00kim\x00wrong", ErrAuthFailed, "kim"},
		{"\x00nobody\x00secret", ErrAuthFailed, "nobody"},
		{"lee\x00kim\x00secret", ErrAuthorization, "kim"},
		{"lee\x00kim\x00wrong", ErrAuthFailed, "kim"},
		{"kim\x00secret", ErrMalformed, ""},
		{"\x00kim\x00secret\x00", ErrMalformed, ""},
		{"\x00\x00secret", ErrMalformed, ""},
		{"\x00kim\x00", ErrMalformed, "kim"},
		{"", ErrMalformed, ""},
	} {
		s := newServer(t, Plain, cfg)
		_, done, err := s.Next([]byte(tc.resp))
		if !done || !errors.Is(err, tc.want) || tc.want == nil && err != nil || s.User() != tc.user {
			t.Errorf("%q: done %v err %v user %q; want %v %q", tc.resp, done, err, s.User(), tc.want, tc.user)
		}
	}
	// Without an initial response the server asks with an empty challenge.
	s := newServer(t, Plain, cfg)
	if ch, done := step(t, s, nil); len(ch) != 0 || done {
		t.Fatalf("challenge %q done %v", ch, done)
	}
	if _, done := step(t, s, []byte("\x00kim\x00secret")); !done {
		t.Fatal("not done")
	}
	if got := tokens(s); !slices.Equal(got, []string{"kim", Mask}) {
		t.Errorf("parts %q", got)
	}
	s = newServer(t, Plain, cfg)
	s.Next([]byte("lee\x00kim\x00secret"))
	if got := tokens(s); !slices.Equal(got, []string{"lee", "kim", Mask}) || s.Authzid() != "lee" {
		t.Errorf("parts %q, authzid %q", got, s.Authzid())
	}
	if _, _, err := s.Next([]byte("\x00kim\x00secret")); !errors.Is(err, ErrMalformed) {
		t.Errorf("a response after the end: %v", err)
	}
}

// LOGIN as draft-murchison-sasl-login's example, with and without the
// user name as an initial response.
func TestLogin(t *testing.T) {
	cfg := Config{Lookup: users("tim", "tanstaaftanstaaf")}
	s := newServer(t, Login, cfg)
	ch, _ := step(t, s, nil)
	if Encode(ch) != "VXNlcm5hbWU6" {
		t.Fatalf("first challenge %s", Encode(ch))
	}
	if got := tokens(s); !slices.Equal(got, []string{"VXNlcm5hbWU6", "Username:"}) {
		t.Errorf("parts %q", got)
	}
	ch, _ = step(t, s, []byte("tim"))
	if Encode(ch) != "UGFzc3dvcmQ6" {
		t.Fatalf("second challenge %s", Encode(ch))
	}
	if got := tokens(s); !slices.Equal(got, []string{"tim", "UGFzc3dvcmQ6", "Password:"}) {
		t.Errorf("parts %q", got)
	}
	if _, done := step(t, s, []byte("tanstaaftanstaaf")); !done || s.User() != "tim" {
		t.Fatalf("done %v user %q", done, s.User())
	}
	if got := tokens(s); !slices.Equal(got, []string{Mask}) {
		t.Errorf("parts %q", got)
	}

	s = newServer(t, Login, cfg)
	if ch, _ := step(t, s, []byte("tim")); string(ch) != "Password:" {
		t.Fatalf("after an initial response: %q", ch)
	}
	if _, _, err := s.Next([]byte("wrong")); !errors.Is(err, ErrAuthFailed) {
		t.Errorf("wrong password: %v", err)
	}
	s = newServer(t, Login, cfg)
	step(t, s, nil)
	if _, _, err := s.Next([]byte{}); !errors.Is(err, ErrMalformed) {
		t.Errorf("empty user name: %v", err)
	}
}

func TestNewAndDecode(t *testing.T) {
	if _, err := New("DIGEST-MD5", Config{}); !errors.Is(err, ErrUnknownMechanism) {
		t.Errorf("DIGEST-MD5: %v", err)
	}
	for _, m := range Mechanisms() {
		if _, err := New(strings.ToLower(m), Config{}); err != nil || !Supported(m) {
			t.Errorf("%s: %v", m, err)
		}
	}
	if !slices.Equal(Mechanisms(), []string{"PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256"}) {
		t.Errorf("Mechanisms %v", Mechanisms())
	}
	if !Plaintext(Plain) || !Plaintext(Login) || Plaintext(CramMD5) || Plaintext(ScramSHA256) {
		t.Error("Plaintext: PLAIN and LOGIN send the password, the others do not")
	}
	if Supported("DIGEST-MD5") || !Supported("scram-sha-1") {
		t.Error("Supported")
	}
	for _, tc := range []struct {
		in   string
		want string
		err  error
	}{{"*", "", ErrCancelled}, {"=", "", nil}, {"", "", nil}, {"AGtpbQBzZWNyZXQ=", "\x00kim\x00secret", nil}, {"!!", "", ErrBase64}, {"AGtpbQBzZWNyZXQ", "", ErrBase64}} {
		b, err := Decode(tc.in)
		if string(b) != tc.want || !errors.Is(err, tc.err) || tc.err == nil && err != nil {
			t.Errorf("Decode(%q) = %q, %v", tc.in, b, err)
		}
	}
	if Encode(nil) != "" || Encode([]byte("Username:")) != "VXNlcm5hbWU6" {
		t.Error("Encode")
	}
	var e *Error
	_, _, err := newServer(t, Plain, Config{}).Next([]byte("x"))
	if !errors.As(err, &e) || e.Text != plainForm {
		t.Errorf("PLAIN malformed: %v", err)
	}
}

// Every step of every mechanism is explained in each language, each
// field with a translated meaning, and the password never shows.
func TestExplanations(t *testing.T) {
	const pass = "kq8z-secret"
	cfg := Config{Lookup: users("melanie", pass)}
	run := func(lang string) []event.Part {
		var all []event.Part
		collect := func(s Server) { all = append(all, s.Explain(lang)...) }
		s := newServer(t, Plain, cfg)
		s.Next([]byte("alex\x00melanie\x00" + pass))
		collect(s)
		s = newServer(t, Login, cfg)
		for _, r := range [][]byte{nil, []byte("melanie"), []byte(pass)} {
			s.Next(r)
			collect(s)
		}
		s = newServer(t, CramMD5, Config{Lookup: cfg.Lookup, Challenge: "<1.2@localhost>"})
		s.Next(nil)
		collect(s)
		s.Next([]byte("melanie 0123456789abcdef0123456789abcdef"))
		collect(s)
		s = newServer(t, ScramSHA256, Config{Lookup: cfg.Lookup, Nonce: "srv", Salt: []byte("salt")})
		conv := scramtest.New(scram.SHA256, "melanie", pass, "alex", "cli")
		msg, _ := conv.Step("")
		s.Next(nil)
		for i := 0; i < 2; i++ {
			ch, _, err := s.Next([]byte(msg))
			collect(s)
			if err != nil {
				break
			}
			msg, _ = conv.Step(string(ch))
		}
		s = newServer(t, ScramSHA1, Config{Lookup: cfg.Lookup, Nonce: "srv", Salt: []byte("salt")})
		conv = scramtest.New(scram.SHA1, "melanie", pass, "", "cli")
		msg, _ = conv.Step("")
		s.Next(nil)
		for i := 0; i < 3; i++ {
			ch, _, _ := s.Next([]byte(msg))
			collect(s)
			msg, _ = conv.Step(string(ch))
		}
		for _, m := range Mechanisms() {
			all = append(all, event.Part{Token: m, Meaning: Describe(lang, m)})
		}
		return all
	}
	en := run("en")
	var toks []string
	for _, p := range en {
		toks = append(toks, p.Token)
		if strings.Contains(p.Token+p.Meaning, pass) || strings.Contains(p.Token, base64.StdEncoding.EncodeToString([]byte(pass))) {
			t.Errorf("the password shows in %+v", p)
		}
	}
	for _, want := range []string{"alex", "melanie", Mask, "Username:", "Password:", "<1.2@localhost>", "0123456789abcdef0123456789abcdef",
		"n,a=alex,", "a=alex", "n=melanie", "s=c2FsdA==", "i=4096", "c=biws", "v="} {
		if !slices.ContainsFunc(toks, func(s string) bool { return strings.HasPrefix(s, want) }) {
			t.Errorf("no part %q among %q", want, toks)
		}
	}
	for _, lang := range []string{"ru", "sk"} {
		other := run(lang)
		if len(other) != len(en) {
			t.Fatalf("%s: %d parts, en %d", lang, len(other), len(en))
		}
		for i, p := range other {
			if p.Token != en[i].Token || p.Meaning == "" || p.Meaning == en[i].Meaning || strings.Contains(p.Meaning, "%!") || strings.HasPrefix(p.Meaning, "[sasl:") {
				t.Errorf("%s: part %+v, en %+v", lang, p, en[i])
			}
		}
	}
}

// The three languages' files hold the same keys with the same arguments.
func TestCatalogueComplete(t *testing.T) {
	by, err := catalog.Load(catalog.Files, "sasl")
	if err != nil {
		t.Fatal(err)
	}
	verbs := regexp.MustCompile(`%(\[\d\])?[a-z]`)
	for _, lang := range []string{"ru", "sk"} {
		if got, want := slices.Sorted(maps.Keys(by[lang])), slices.Sorted(maps.Keys(by["en"])); !slices.Equal(got, want) {
			t.Errorf("%s keys differ from en", lang)
		}
		for k, text := range by[lang] {
			a, b := verbs.FindAllString(text, -1), verbs.FindAllString(by["en"][k], -1)
			slices.Sort(a)
			slices.Sort(b)
			if !slices.Equal(slices.Compact(a), slices.Compact(b)) {
				t.Errorf("%s %s: arguments %v, en %v", lang, k, a, b)
			}
		}
	}
}
