package pop3

import (
	"encoding/base64"
	"slices"
	"strings"
	"testing"

	"github.com/xdg-go/scram"

	"maillab/sim/event"
	"maillab/sim/sasl"
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// rfc2195 pins the CRAM-MD5 challenge of RFC 2195's example.
func rfc2195(o Options) Options {
	o.Hostname, o.CRAMChallenge = "postoffice.reston.mci.net", "<1896.697170952@postoffice.reston.mci.net>"
	return o
}

// CRAM-MD5 as in RFC 2195's example, then a wrong digest, an answer that
// is not "user digest", and one sent as an initial response.
func TestAuthCramMD5(t *testing.T) {
	st := newStore(t, account{name: "tim", password: "tanstaaftanstaaf", msgs: [][]byte{sized(100)}})
	k := transcript(t, rfc2195(Options{Store: st}), `
		S* +OK
		C: AUTH CRAM-MD5
		S: + PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+
		C: `+b64("tim 00000000000000000000000000000000")+`
		S: -ERR [AUTH] authentication failed
		C: AUTH CRAM-MD5
		S: + PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+
		C: `+b64("tim")+`
		S: -ERR [AUTH] authentication failed
		C: AUTH CRAM-MD5 `+b64("tim")+`
		S: -ERR [AUTH] authentication failed
		C: auth cram-md5
		S: + PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+
		C: dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw
		S: +OK tim's maildrop has 1 message (100 octets)
		C: QUIT
		S: +OK postoffice.reston.mci.net POP3 server signing off (1 message left)
	`)
	// The explanations: the challenge decoded, then the response's user
	// name and digest after the login's own parts.
	var ex []event.Event
	for _, e := range kinds(k.rec, event.Explain) {
		if e.Command == "AUTH" {
			ex = append(ex, e)
		}
	}
	last := ex[len(ex)-1]
	if got := partTokens(last); !slices.Equal(got, []string{"+OK", "1", "100", "tim", "b913a602c7eda7a495b4e6e7334d3890"}) {
		t.Errorf("login parts %q", got)
	}
	cont := ex[len(ex)-2]
	if got := partTokens(cont); !slices.Equal(got, []string{"+", "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+", "<1896.697170952@postoffice.reston.mci.net>"}) {
		t.Errorf("continuation parts %q", got)
	}
	for _, p := range append(cont.Parts, last.Parts...) {
		if p.Meaning == "" {
			t.Errorf("part %q has no meaning", p.Token)
		}
	}
}

func partTokens(e event.Event) []string {
	var out []string
	for _, p := range e.Parts {
		out = append(out, p.Token)
	}
	return out
}

// LOGIN as draft-murchison-sasl-login's example, with the user name as an
// initial response, a wrong password and a cancel between the prompts.
func TestAuthLogin(t *testing.T) {
	st := newStore(t, account{name: "tim", password: "tanstaaftanstaaf"})
	transcript(t, Options{Store: st}, `
		S* +OK
		C: AUTH LOGIN
		S: + VXNlcm5hbWU6
		C: dGlt
		S: + UGFzc3dvcmQ6
		C: *
		S: -ERR authentication cancelled
		C: AUTH LOGIN dGlt
		S: + UGFzc3dvcmQ6
		C: `+b64("wrong")+`
		S: -ERR [AUTH] authentication failed
		C: AUTH LOGIN
		S: + VXNlcm5hbWU6
		C: dGlt
		S: + UGFzc3dvcmQ6
		C: dGFuc3RhYWZ0YW5zdGFhZg==
		S: +OK tim's maildrop has 0 messages (0 octets)
		C: QUIT
		S: +OK localhost POP3 server signing off (maildrop empty)
	`)
}

// PLAIN as RFC 5034 section 6's example ("test" acting as itself), with
// an empty initial response and with a response that is not PLAIN's.
func TestAuthPlainRFC5034(t *testing.T) {
	st := newStore(t, account{name: "test", password: "test"})
	transcript(t, Options{Store: st}, `
		S* +OK
		C: AUTH PLAIN =
		S: -ERR [AUTH] authentication failed
		C: AUTH PLAIN
		S: + 
		C: `+b64("test")+`
		S: -ERR [AUTH] authentication failed
		C: AUTH PLAIN
		S: + 
		C: dGVzdAB0ZXN0AHRlc3Q=
		S: +OK test's maildrop has 0 messages (0 octets)
		C: QUIT
		S: +OK localhost POP3 server signing off (maildrop empty)
	`)
}

// scramPOP3 runs a SCRAM exchange with xdg-go/scram's client over a
// session and returns the server's last line.
func scramPOP3(t *testing.T, k *conn, mech string, hg scram.HashGeneratorFcn, user, pass string, initial bool) string {
	t.Helper()
	c, err := hg.NewClient(user, pass, "")
	if err != nil {
		t.Fatal(err)
	}
	conv := c.NewConversation()
	first, _ := conv.Step("")
	var got string
	if initial {
		got = k.cmd("AUTH " + mech + " " + b64(first))
	} else {
		if got = k.cmd("AUTH " + mech); got != "+ " {
			t.Fatalf("AUTH %s: %q", mech, got)
		}
		got = k.cmd(b64(first))
	}
	for strings.HasPrefix(got, "+ ") {
		ch, err := base64.StdEncoding.DecodeString(got[2:])
		if err != nil {
			t.Fatalf("challenge %q: %v", got, err)
		}
		if conv.Done() {
			t.Fatalf("a challenge after the server's signature: %q", ch)
		}
		msg, err := conv.Step(string(ch))
		if err != nil {
			t.Fatalf("the client refuses %q: %v", ch, err)
		}
		if conv.Done() && !conv.Valid() {
			t.Fatal("the server's signature is wrong")
		}
		got = k.cmd(b64(msg))
	}
	return got
}

func TestAuthScram(t *testing.T) {
	st := newStore(t, melanie(100))
	for _, tc := range []struct {
		mech string
		hg   scram.HashGeneratorFcn
	}{{"SCRAM-SHA-1", scram.SHA1}, {"SCRAM-SHA-256", scram.SHA256}} {
		for _, initial := range []bool{false, true} {
			k := dial(t, Options{Store: st})
			k.line()
			if got := scramPOP3(t, k, tc.mech, tc.hg, "melanie", "wrong", initial); got != "-ERR [AUTH] authentication failed" {
				t.Errorf("%s with a wrong password: %q", tc.mech, got)
			}
			if got := scramPOP3(t, k, tc.mech, tc.hg, "nobody", "toybox", initial); got != "-ERR [AUTH] authentication failed" {
				t.Errorf("%s as an unknown user: %q", tc.mech, got)
			}
			if got := scramPOP3(t, k, tc.mech, tc.hg, "melanie", "toybox", initial); got != "+OK melanie's maildrop has 1 message (100 octets)" {
				t.Errorf("%s: %q", tc.mech, got)
			}
			k.cmd("QUIT")
			k.wait()
			var tr []string
			for _, e := range k.rec.Events {
				if e.Kind == event.Transition && e.Trigger == "AUTH" {
					tr = append(tr, e.To)
				}
				if e.Kind == event.Client && e.Command == "AUTH" && !e.Secret && e.Line != "AUTH "+tc.mech {
					t.Errorf("a SCRAM line is not secret: %q", e.Line)
				}
			}
			if !slices.Equal(tr, []string{string(Transaction)}) {
				t.Errorf("%s: transitions %v", tc.mech, tr)
			}
		}
	}
	// The exchange is explained step by step: the server-first message's
	// nonce, salt and iteration count, then the proof and the signature.
	k := dial(t, Options{Store: st, SCRAMNonce: "srvnonce"})
	k.line()
	scramPOP3(t, k, "SCRAM-SHA-256", scram.SHA256, "melanie", "toybox", false)
	k.cmd("QUIT")
	k.wait()
	var toks []string
	for _, e := range kinds(k.rec, event.Explain) {
		toks = append(toks, partTokens(e)...)
	}
	for _, want := range []string{"n,,", "n=melanie", "r=", "s=", "i=4096", "c=biws", "p=", "v="} {
		if !slices.ContainsFunc(toks, func(s string) bool { return strings.HasPrefix(s, want) }) {
			t.Errorf("no part %q among %q", want, toks)
		}
	}
	if !slices.ContainsFunc(toks, func(s string) bool { return strings.HasSuffix(s, "srvnonce") }) {
		t.Errorf("the pinned nonce is not used: %q", toks)
	}
}

// The client lines of every exchange are Secret, and no event repeats a
// password: LOGIN's and PLAIN's are masked in the explanations.
func TestAuthNeverShowsThePassword(t *testing.T) {
	const pass = "kq8z-toybox"
	st := newStore(t, account{name: "melanie", password: pass})
	k := dial(t, rfc2195(Options{Store: st}))
	k.line()
	k.cmd("AUTH LOGIN")
	k.cmd(b64("melanie"))
	k.cmd(b64(pass + "x")) // wrong
	k.cmd("AUTH PLAIN " + b64("\x00melanie\x00"+pass+"x"))
	k.cmd("AUTH LOGIN " + b64("melanie"))
	if got := k.cmd(b64(pass)); !strings.HasPrefix(got, "+OK") {
		t.Fatalf("LOGIN: %q", got)
	}
	k.cmd("QUIT")
	k.wait()
	secrets := []string{pass, b64(pass), b64(pass + "x"), "kq8z"}
	masks := 0
	for _, e := range k.rec.Events {
		text := e.Command + " " + e.Text
		if e.Kind != event.Client || !e.Secret {
			text += " " + e.Line
		}
		for _, p := range e.Parts {
			text += " " + p.Token + " " + p.Meaning
			if p.Token == sasl.Mask {
				masks++
			}
		}
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("a %s event shows %q: %+v", e.Kind, s, e)
			}
		}
		if e.Kind == event.Client && e.Line != "AUTH LOGIN" && e.Line != "QUIT" && !e.Secret {
			t.Errorf("client line %q is not secret", e.Line)
		}
	}
	if masks != 3 {
		t.Errorf("the password's mask shows %d times, want 3", masks)
	}
}

// AUTH's list and CAPA's SASL line name the same mechanisms, each
// explained.
func TestAuthListExplained(t *testing.T) {
	k := dial(t, Options{Store: newStore(t, melanie()), Lang: "ru"})
	k.line()
	k.cmd("AUTH")
	k.multi()
	k.cmd("QUIT")
	k.wait()
	ex := kinds(k.rec, event.Explain)[1]
	want := append(append([]string{"+OK"}, sasl.Mechanisms()...), ".")
	if got := partTokens(ex); !slices.Equal(got, want) {
		t.Fatalf("parts %q, want %q", got, want)
	}
	if m := ex.Parts[3].Meaning; m != sasl.Describe("ru", "CRAM-MD5") || !strings.Contains(m, "хэш") {
		t.Errorf("CRAM-MD5 means %q", m)
	}
}
