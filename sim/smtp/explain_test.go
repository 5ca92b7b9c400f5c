package smtp

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"maillab/sim/catalog"
)

var langs = []string{"en", "ru", "sk"}

// verbs lists a text's fmt verbs, "%[2]d", sorted.
var verbPattern = regexp.MustCompile(`%\[(\d+)\]([a-z])`)

func textVerbs(s string) []string {
	out := verbPattern.FindAllString(s, -1)
	slices.Sort(out)
	return slices.Compact(out)
}

// Every text exists in every language with the same arguments, numbered
// explicitly, and formats without fmt's complaints.
func TestCatalogue(t *testing.T) {
	all, err := catalog.Load(catalog.Files, "smtp")
	if err != nil {
		t.Fatal(err)
	}
	en := all["en"]
	if len(en) < 300 {
		t.Fatalf("only %d English texts", len(en))
	}
	for _, lang := range langs {
		texts := all[lang]
		for k, v := range texts {
			if _, ok := en[k]; !ok {
				t.Errorf("%s: %q is not an English key", lang, k)
			}
			if strings.Count(v, "%")-strings.Count(v, "%%")*2 != len(verbPattern.FindAllString(v, -1)) {
				t.Errorf("%s %s: an unnumbered verb in %q", lang, k, v)
			}
			if got, want := textVerbs(v), textVerbs(en[k]); !slices.Equal(got, want) {
				t.Errorf("%s %s: arguments %v, English has %v", lang, k, got, want)
			}
			args := make([]any, argCount(v))
			for i := range args {
				args[i] = "x"
			}
			for _, m := range verbPattern.FindAllStringSubmatch(v, -1) {
				if m[2] == "d" {
					var n int
					fmt.Sscan(m[1], &n)
					args[n-1] = 7
				}
			}
			if s := fmt.Sprintf(v, args...); strings.Contains(s, "%!") {
				t.Errorf("%s %s: %q", lang, k, s)
			}
			if strings.TrimSpace(v) != v || v == "" {
				t.Errorf("%s %s: empty or padded text %q", lang, k, v)
			}
		}
		for k := range en {
			if _, ok := texts[k]; !ok {
				t.Errorf("%s: no text for %q", lang, k)
			}
		}
	}
}

// Every text is used: named in the code, a reply of the standard table, or
// looked up by a prefix the code builds keys from.
func TestCatalogueUsed(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	var src strings.Builder
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			b, _ := os.ReadFile(f)
			src.Write(b)
		}
	}
	prefixes := []string{"state.", "transition.", "code.", "digit1.", "digit2.", "class.", "subject.", "detail.", "ext."}
	for _, k := range texts.Keys() {
		_, inTable := standard[k]
		dynamic := slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(k, p) })
		if !inTable && !dynamic && !strings.Contains(src.String(), `"`+k+`"`) {
			t.Errorf("%q is not used", k)
		}
	}
	// The enhanced codes the server sends are all described.
	for key, tpl := range standard {
		if tpl.enhanced == "" {
			continue
		}
		p := strings.SplitN(tpl.enhanced, ".", 2)
		if _, ok := texts.Lookup("en", "detail."+p[1]); !ok {
			t.Errorf("%s: no text for detail %s", key, p[1])
		}
	}
}

// Every standard reply is explained in every language: no missing text,
// no fmt complaint, no untranslated English where a translation exists.
func TestExplainEveryReply(t *testing.T) {
	for key := range standard {
		args := []any{"one", "two", "three", "four"}
		r := reply(key, args...)
		for _, lang := range langs {
			x := Explain(r, nil, true, lang)
			if strings.Contains(x.Text, "[smtp:") || strings.Contains(x.Text, "%!") {
				t.Errorf("%s %s: %q", key, lang, x.Text)
			}
			if len(x.Parts) < 2 {
				t.Errorf("%s %s: parts %v", key, lang, x.Parts)
			}
			for _, p := range x.Parts {
				if strings.Contains(p.Meaning, "[smtp:") || strings.Contains(p.Meaning, "%!") {
					t.Errorf("%s %s: part %q: %q", key, lang, p.Token, p.Meaning)
				}
			}
		}
	}
}

func TestExplainEHLO(t *testing.T) {
	cfg := &Config{Hostname: "mx.example.org", AuthMechanisms: []string{"PLAIN", "LOGIN"}}
	r := cfg.Hello(&Command{Verb: "EHLO", Domain: "client.example"}, ConnState{Extended: true})
	x := Explain(r, nil, true, "en")
	if x.Key != "ehlo" || !strings.Contains(x.Text, "client.example") || !strings.Contains(x.Text, "ETRN") {
		t.Errorf("EHLO: %s %q", x.Key, x.Text)
	}
	tokens := map[string]string{}
	for _, p := range x.Parts {
		tokens[p.Token] = p.Meaning
	}
	for tok, want := range map[string]string{
		"250-":                "hyphen",
		"mx.example.org":      "host name",
		"SIZE 10240000":       "10240000 octets",
		"AUTH PLAIN LOGIN":    "PLAIN LOGIN",
		"ENHANCEDSTATUSCODES": "RFC 2034",
		"8BITMIME":            "RFC 6152",
		"PIPELINING":          "RFC 2920",
		"DSN":                 "RFC 3461",
		"SMTPUTF8":            "RFC 6531",
		"CHUNKING":            "BDAT",
		"VRFY":                "VRFY",
		"HELP":                "HELP",
	} {
		if !strings.Contains(tokens[tok], want) {
			t.Errorf("%s: %q, want it to say %q", tok, tokens[tok], want)
		}
	}
	// An EHLO reply read from another server is explained the same way,
	// its unknown and private keywords too.
	other, _ := ParseReply([]string{"250-foo.com greets bar.com", "250-8BITMIME", "250-ETRN", "250-XFOO", "250 WHATEVER"})
	x = Explain(other, &Command{Verb: "EHLO"}, false, "ru")
	if len(x.Parts) != 7 || !strings.Contains(x.Parts[4].Meaning, "RFC 1985") || !strings.Contains(x.Parts[5].Meaning, "X") {
		t.Errorf("parsed EHLO: %+v", x.Parts)
	}
}

// Replies of other servers, as the lecture's sessions show them, are
// explained by their code.
func TestExplainForeign(t *testing.T) {
	for line, want := range map[string]string{
		"250 <>... sender ok":       "Requested mail action okay",
		"500 command unrecognized":  "command unrecognized",
		"221 foo.edu closing":       "closing transmission channel",
		"553 User ambiguous":        "mailbox name not allowed",
		"452 <green@foo.edu> is...": "insufficient system storage",
		"257 odd":                   "positive completion",
	} {
		rl, _ := ParseReplyLine(line)
		r := &Reply{Code: rl.Code, Lines: []string{rl.Text}}
		x := Explain(r, nil, false, "en")
		if !strings.Contains(x.Text, want) {
			t.Errorf("%q: %q", line, x.Text)
		}
	}
}

func TestExplainParts(t *testing.T) {
	x := Explain(reply("rcpt.unknown", "green@foo.com"), nil, true, "sk")
	if len(x.Parts) != 3 || x.Parts[0].Token != "550" || x.Parts[1].Token != "5.1.1" {
		t.Fatalf("parts: %+v", x.Parts)
	}
	for _, want := range []string{"trvalá chyba", "adresovanie", "taký mailbox neexistuje"} {
		if !strings.Contains(x.Parts[1].Meaning, want) {
			t.Errorf("5.1.1 in Slovak: %q lacks %q", x.Parts[1].Meaning, want)
		}
	}
	if !strings.Contains(x.Parts[0].Meaning, "Prvá číslica 5") || !strings.Contains(x.Parts[0].Meaning, "Druhá číslica 5") {
		t.Errorf("550 in Slovak: %q", x.Parts[0].Meaning)
	}
	// Without EHLO the enhanced code is not sent, so not explained.
	if x := Explain(reply("rset"), nil, false, "en"); len(x.Parts) != 2 {
		t.Errorf("RSET after HELO: %+v", x.Parts)
	}
	g := Explain(reply("greeting", "mx.example.org"), nil, false, "ru")
	if len(g.Parts) != 3 || g.Parts[1].Token != "mx.example.org" || g.Parts[2].Token != "ESMTP" {
		t.Errorf("greeting: %+v", g.Parts)
	}
	q := Explain(reply("data.ok", "4A1B2C3D4E", "melanie", "<a@b.example>"), nil, true, "en")
	if !strings.Contains(q.Parts[2].Meaning, "4A1B2C3D4E") {
		t.Errorf("queued: %+v", q.Parts)
	}
	// Notes of the command come after the reply's own text.
	c, _ := ParseCommand("RCPT TO: ysemenov@cernvm.cern.ch")
	x = Explain(reply("rcpt.ok", "ysemenov@cernvm.cern.ch"), c, true, "ru")
	if len(x.Notes) != 2 || !strings.Contains(x.Text, "strict_rfc821_envelopes") || !strings.Contains(x.Text, "пробел") {
		t.Errorf("notes: %q", x.Text)
	}
	ev := x.Event("RCPT")
	if ev.Kind != "explain" || ev.Command != "RCPT" || ev.Text != x.Text {
		t.Errorf("event: %+v", ev)
	}
}
