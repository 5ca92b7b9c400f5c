package smtp

import (
	"bufio"
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestReplyFormat(t *testing.T) {
	tests := []struct {
		r        *Reply
		enhanced bool
		want     []string
	}{
		{reply("mail.ok", "a@b.example"), true, []string{"250 2.1.0 Ok"}},
		{reply("mail.ok", "a@b.example"), false, []string{"250 Ok"}},
		{reply("data.start"), true, []string{"354 End data with <CR><LF>.<CR><LF>"}},
		{reply("quit"), true, []string{"221 2.0.0 Bye"}},
		{reply("greeting", "mx.example.org"), true, []string{"220 mx.example.org ESMTP"}},
		{reply("rcpt.unknown", "green@foo.com"), true,
			[]string{"550 5.1.1 <green@foo.com>: Recipient address rejected: User unknown in local recipient table"}},
		{reply("rcpt.relay", "x@y.example"), true, []string{"554 5.7.1 <x@y.example>: Relay access denied"}},
		{reply("rcpt.toomany", 1000), true, []string{"452 4.5.3 Error: too many recipients"}},
		{reply("size.exceeded", 99, 10), true, []string{"552 5.3.4 Message size exceeds fixed limit"}},
		{reply("vrfy.cannot", "melanie@example.org"), true, []string{"252 2.0.0 <melanie@example.org>"}},
		{reply("seq.helo", "MAIL", stateList{Greeted}), true, []string{"503 5.5.1 Error: send HELO/EHLO first"}},
		// A multi-line reply: every line but the last has "-", and every
		// line carries the enhanced code (RFC 2034 section 4).
		{multiline("vrfy.ambiguous", []string{"Joe <j@x.example>", "Jim <k@x.example>"}, 2), true,
			[]string{"553-5.1.4 User ambiguous", "553-5.1.4 Joe <j@x.example>", "553 5.1.4 Jim <k@x.example>"}},
		{&Reply{Code: 250}, true, []string{"250 "}},
		{&Reply{Code: 250, Enhanced: "2.0.0"}, true, []string{"250 2.0.0"}},
		{&Reply{Code: 500, Lines: []string{strings.Repeat("x", 600)}}, false, []string{"500 " + strings.Repeat("x", 506)}},
	}
	for _, tt := range tests {
		if got := tt.r.Format(tt.enhanced); !slices.Equal(got, tt.want) {
			t.Errorf("Format(%v):\n got %q\nwant %q", tt.enhanced, got, tt.want)
		}
	}
	var b bytes.Buffer
	reply("rset").WriteTo(&b, true)
	if b.String() != "250 2.0.0 Ok\r\n" {
		t.Errorf("WriteTo: %q", b.String())
	}
}

// Reply lines as the lectures show them, and as servers send them.
func TestParseReplyLine(t *testing.T) {
	tests := []struct {
		line string
		want ReplyLine
	}{
		{"220 dxmint.cern.ch sendmail ready at sun, 9 jul 1995 11:13:57 +0200", ReplyLine{Code: 220, Text: "dxmint.cern.ch sendmail ready at sun, 9 jul 1995 11:13:57 +0200"}},
		{"500 command unrecognized", ReplyLine{Code: 500, Text: "command unrecognized"}},
		{"250 <>... sender ok", ReplyLine{Code: 250, Text: "<>... sender ok"}},
		{"250-foo.com greets bar.com", ReplyLine{Code: 250, More: true, Text: "foo.com greets bar.com"}},
		{"250-8BITMIME", ReplyLine{Code: 250, More: true, Text: "8BITMIME"}},
		{"354 Start mail input; end with <CRLF>.<CRLF>", ReplyLine{Code: 354, Text: "Start mail input; end with <CRLF>.<CRLF>"}},
		{"553 User ambiguous", ReplyLine{Code: 553, Text: "User ambiguous"}},
		{"250 2.1.0 Ok", ReplyLine{Code: 250, Enhanced: "2.1.0", Text: "Ok"}},
		{"550-5.1.1 first", ReplyLine{Code: 550, More: true, Enhanced: "5.1.1", Text: "first"}},
		{"452 4.5.3 Error: too many recipients", ReplyLine{Code: 452, Enhanced: "4.5.3", Text: "Error: too many recipients"}},
		{"538 5.7.11 Encryption required", ReplyLine{Code: 538, Enhanced: "5.7.11", Text: "Encryption required"}},
		{"250 5.1.0 not mine", ReplyLine{Code: 250, Text: "5.1.0 not mine"}}, // the class must match the first digit
		{"250 2.0", ReplyLine{Code: 250, Text: "2.0"}},
		{"250 2.0.0", ReplyLine{Code: 250, Enhanced: "2.0.0"}},
		{"250", ReplyLine{Code: 250}},
		{"250-", ReplyLine{Code: 250, More: true}},
	}
	for _, tt := range tests {
		got, err := ParseReplyLine(tt.line)
		if err != nil || got != tt.want {
			t.Errorf("%q: %+v %v, want %+v", tt.line, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "25", "abc", "2500", "250x", "600 x", "150 x", "190 x", "260 x", "1xx"} {
		if _, err := ParseReplyLine(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestParseReply(t *testing.T) {
	// RFC 5321 Appendix D.1's EHLO reply.
	r, err := ParseReply([]string{"250-foo.com greets bar.com", "250-8BITMIME", "250-SIZE", "250-DSN", "250 HELP"})
	if err != nil || r.Code != 250 || !slices.Equal(r.Lines, []string{"foo.com greets bar.com", "8BITMIME", "SIZE", "DSN", "HELP"}) {
		t.Errorf("EHLO reply: %+v %v", r, err)
	}
	for _, bad := range [][]string{
		nil,
		{"250-a", "251 b"},     // codes differ
		{"250 a", "250 b"},     // a line after the last
		{"250-a", "250-b"},     // no last line
		{"250-a", "garbage x"}, // not a reply line
	} {
		if _, err := ParseReply(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	br := bufio.NewReader(strings.NewReader("250-mx.example.org\r\n250-SIZE 1000\n250 HELP\r\n220 next\r\n"))
	r, err = ReadReply(br)
	if err != nil || len(r.Lines) != 3 || r.Lines[1] != "SIZE 1000" {
		t.Errorf("ReadReply: %+v %v", r, err)
	}
	if r, err = ReadReply(br); err != nil || r.Code != 220 {
		t.Errorf("second ReadReply: %+v %v", r, err)
	}
	if _, err = ReadReply(bufio.NewReader(strings.NewReader("250-cut"))); err == nil {
		t.Error("a reply cut short was read")
	}
}

// Every standard reply is well formed: a code RFC 5321 allows, an
// enhanced code of the same class or none for 3yz, and a text whose
// arguments are numbered.
func TestStandardTable(t *testing.T) {
	for key, tpl := range standard {
		r := &Reply{Code: tpl.code, Enhanced: tpl.enhanced, Lines: []string{"x"}}
		rl, err := ParseReplyLine(r.Format(true)[0])
		if err != nil {
			t.Errorf("%s: %v", key, err)
			continue
		}
		switch {
		case tpl.code/100 == 3 && tpl.enhanced != "":
			t.Errorf("%s: a 3yz reply with an enhanced code", key)
		case tpl.code/100 != 3 && tpl.enhanced != "" && rl.Enhanced != tpl.enhanced:
			t.Errorf("%s: enhanced code %q does not parse back (class of %d?)", key, tpl.enhanced, tpl.code)
		}
		if strings.Count(tpl.text, "%") != strings.Count(tpl.text, "%[") {
			t.Errorf("%s: text %q has an unnumbered verb", key, tpl.text)
		}
	}
}

// Every key the code passes to reply, multiline or T exists: in the table
// (replies) and in the English catalogue (every text).
func TestKeysInSource(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	call := regexp.MustCompile(`\b(reply|multiline|T)\("([a-zA-Z0-9.]+)"`)
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllStringSubmatch(string(src), -1) {
			found++
			if m[1] != "T" {
				if _, ok := standard[m[2]]; !ok {
					t.Errorf("%s: %s(%q) is not in the standard table", f, m[1], m[2])
				}
			}
			if _, ok := texts.Lookup("en", m[2]); !ok && !strings.HasSuffix(m[2], ".") {
				t.Errorf("%s: %q has no English text", f, m[2])
			}
		}
	}
	if found < 100 {
		t.Errorf("only %d keys found in the source; is the pattern right?", found)
	}
	if r := reply("no.such.key"); r.Code != 451 {
		t.Errorf("a missing key gives %v", r)
	}
}

// A reply quoting a name with CR LF stays the lines it has: the control
// characters go in caret notation, so none ends a line and adds one.
func TestReplyLineCannotBeSplit(t *testing.T) {
	r := &Reply{Code: 550, Enhanced: "5.1.1", Lines: []string{"<a\r\n250 OK@example.org> unknown"}}
	got := r.Format(true)
	if len(got) != 1 || got[0] != "550 5.1.1 <a^M^J250 OK@example.org> unknown" {
		t.Errorf("Format: %q", got)
	}
}

// Every call of reply, multiline or T with a key gives as many arguments
// as the key's English text uses (%[n]): one too few shows "%!v(BADINDEX)"
// or the verb itself in the explain pane.
func TestKeysGetTheirArguments(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	verb := regexp.MustCompile(`%\[(\d+)\]`)
	checked := 0
	for _, pkg := range pkgs {
		ast.Inspect(pkg, func(n ast.Node) bool {
			c, ok := n.(*ast.CallExpr)
			if !ok || len(c.Args) == 0 || c.Ellipsis.IsValid() {
				return true
			}
			id, ok := c.Fun.(*ast.Ident)
			lit, isLit := c.Args[0].(*ast.BasicLit)
			if !ok || !isLit || lit.Kind != token.STRING || (id.Name != "reply" && id.Name != "multiline" && id.Name != "T") {
				return true
			}
			key, _ := strconv.Unquote(lit.Value)
			text, ok := texts.Lookup("en", key)
			if !ok {
				return true // TestKeysInSource reports it
			}
			want := 0
			for _, m := range verb.FindAllStringSubmatch(text, -1) {
				n, _ := strconv.Atoi(m[1])
				want = max(want, n)
			}
			if got := len(c.Args) - 1; got < want {
				t.Errorf("%s: %s(%q) gives %d arguments; its text uses %d", fset.Position(c.Pos()), id.Name, key, got, want)
			}
			checked++
			return true
		})
	}
	if checked < 100 {
		t.Errorf("only %d calls checked; is the pattern right?", checked)
	}
}
