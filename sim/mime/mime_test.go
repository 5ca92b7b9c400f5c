package mime

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"maillab/sim/mime/dovecottest"
)

func parseFile(t testing.TB, name string) (*Entity, []byte) {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name + ".eml")
	if err != nil {
		t.Fatal(err)
	}
	raw := toCRLF(b)
	e, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return e, raw
}

// Every part's slices must be the bytes at its offsets in the message:
// BODY[section] is served from them.
func TestOffsetsPointIntoTheMessage(t *testing.T) {
	names, msgs := testMessages(t)
	for i, raw := range msgs {
		e, _ := Parse(raw)
		var walk func(p *Entity)
		walk = func(p *Entity) {
			if !bytes.Equal(raw[p.Offset:p.Offset+len(p.Raw)], p.Raw) {
				t.Errorf("%s: part at %d is not where it says", names[i], p.Offset)
			}
			if got := string(p.HeaderBytes()) + string(p.Body()); got != string(p.Raw) {
				t.Errorf("%s: header+body != raw at %d", names[i], p.Offset)
			}
			if !bytes.Equal(raw[p.BodyOffset():p.BodyOffset()+len(p.Body())], p.Body()) {
				t.Errorf("%s: body offset wrong at %d", names[i], p.Offset)
			}
			for _, c := range p.Parts {
				walk(c)
			}
			if p.Message != nil {
				walk(p.Message)
			}
		}
		walk(e)
		if whole, _ := e.Section(nil, "", nil); len(whole) != len(raw) {
			t.Errorf("%s: BODY[] is %d octets, RFC822.SIZE must be %d", names[i], len(whole), len(raw))
		}
	}
}

func TestSections(t *testing.T) {
	tests := []struct {
		msg     string
		path    []int
		spec    string
		fields  []string
		want    string
		missing bool
	}{
		{msg: "plain", spec: "TEXT", want: "Hi Bob,\r\n\r\nshall we have lunch on Friday?\r\n\r\nAlice\r\n"},
		{msg: "plain", path: []int{1}, want: "Hi Bob,\r\n\r\nshall we have lunch on Friday?\r\n\r\nAlice\r\n"},
		{msg: "plain", path: []int{2}, missing: true},
		{msg: "plain", path: []int{1, 1}, missing: true},
		{msg: "plain", spec: "HEADER.FIELDS", fields: []string{"subject", "FROM"},
			want: "From: Alice Example <alice@example.org>\r\nSubject: Lunch on Friday?\r\n\r\n"},
		{msg: "plain", spec: "HEADER.FIELDS", fields: []string{"X-None"}, want: "\r\n"},
		{msg: "folded", spec: "HEADER.FIELDS", fields: []string{"Subject"},
			want: "Subject: A subject that is folded\r\n over two lines\r\n\r\n"},
		{msg: "folded", spec: "HEADER.FIELDS.NOT", fields: []string{"from", "to", "subject", "date"},
			want: "Message-ID:\r\n <folded.1@example.org>\r\nContent-Type: text/plain;\r\n\tcharset=us-ascii\r\n\r\n"},
		{msg: "malformed", spec: "HEADER.FIELDS.NOT", fields: []string{"from", "subject", "date", "content-type", "content-transfer-encoding"},
			want: "This line has no colon\r\n\r\n"},
		{msg: "alternative", path: []int{1}, want: "Plain version.\r\nSecond line.\r\n"},
		{msg: "alternative", path: []int{1}, spec: "MIME", want: "Content-Type: text/plain; charset=us-ascii\r\n\r\n"},
		{msg: "alternative", path: []int{2}, want: "<html><body><p>Caf=E9 news</p></body></html>"},
		{msg: "alternative", path: []int{3}, missing: true},
		{msg: "alternative", path: []int{1}, spec: "HEADER", missing: true},
		{msg: "alternative", spec: "MIME", missing: true},
		{msg: "mixed", path: []int{3}, want: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="},
		{msg: "rfc822", path: []int{2}, spec: "HEADER.FIELDS", fields: []string{"Subject"}, want: "Subject: Lunch on Friday?\r\n\r\n"},
		{msg: "rfc822", path: []int{2, 1}, want: "Lunch?"},
		{msg: "rfc822", path: []int{2, 2}, spec: "MIME", want: "Content-Type: text/html; charset=us-ascii\r\n\r\n"},
		{msg: "rfc822", path: []int{2}, spec: "MIME", want: "Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n"},
		{msg: "rfc822", path: []int{2, 3}, missing: true},
		{msg: "nested", path: []int{2, 2, 1}, want: "deepest body"},
		{msg: "nested", path: []int{2, 2}, spec: "HEADER", want: "Subject: deepest\r\n\r\n"},
		{msg: "headeronly", spec: "TEXT", want: ""},
		{msg: "headeronly", spec: "HEADER", want: "From: a@example.com\r\nSubject: header only, no body\r\n"},
		{msg: "noboundary", path: []int{1}, want: ""},
	}
	for _, tt := range tests {
		e, _ := parseFile(t, tt.msg)
		got, ok := e.Section(tt.path, tt.spec, tt.fields)
		if ok == tt.missing || string(got) != tt.want {
			t.Errorf("%s BODY[%v %s %v] = %q, %v; want %q, %v", tt.msg, tt.path, tt.spec, tt.fields, got, ok, tt.want, !tt.missing)
		}
	}
}

func TestPartial(t *testing.T) {
	b := []byte("0123456789")
	for _, tt := range []struct {
		off, n int
		want   string
	}{
		{0, 3, "012"}, {5, 100, "56789"}, {9, 1, "9"}, {10, 1, ""}, {100000, 5, ""}, {2, -1, "23456789"}, {3, 0, ""},
	} {
		if got := string(Partial(b, tt.off, tt.n)); got != tt.want {
			t.Errorf("Partial(%d, %d) = %q, want %q", tt.off, tt.n, got, tt.want)
		}
	}
}

func TestEnvelope(t *testing.T) {
	tests := []struct{ msg, want string }{
		// Sender and Reply-To fall back to From (RFC 3501 section 7.4.2).
		{"plain", `("Mon, 7 Feb 1994 21:52:25 -0800 (PST)" "Lunch on Friday?" (("Alice Example" NIL "alice" "example.org")) (("Alice Example" NIL "alice" "example.org")) (("Alice Example" NIL "alice" "example.org")) ((NIL NIL "bob" "example.net")) NIL NIL NIL "<B27397-0100000@example.org>")`},
		// Sender and Reply-To given.
		{"mixed", `("Wed, 16 Sep 2026 14:00:00 +0200" "=?UTF-8?Q?Spr=C3=A1va_za_september?=" (("Novak, Jan" NIL "jan.novak" "example.sk")) ((NIL NIL "secretary" "example.sk")) ((NIL NIL "office" "example.sk")) (("Peter" NIL "peter" "example.sk")("Eva" NIL "eva" "example.sk")) ((NIL NIL "archive" "example.sk")) NIL "<earlier@example.sk>" "<mixed.1@example.sk>")`},
		// Groups, a comment as name, a source route.
		{"group", `("Sat, 19 Sep 2026 12:00:00 -0400" "Group addresses" (("Mary Smith" NIL "mary" "x.test")(NIL NIL "jdoe" "one.test")) (("Mary Smith" NIL "mary" "x.test")(NIL NIL "jdoe" "one.test")) (("Mary Smith" NIL "mary" "x.test")(NIL NIL "jdoe" "one.test")) ((NIL NIL "A Group" NIL)("Ed Jones" NIL "c" "a.test")(NIL NIL "joe" "where.test")("John" NIL "jdoe" "one.test")(NIL NIL NIL NIL)) ((NIL NIL "Undisclosed recipients" NIL)(NIL NIL NIL NIL)) (("Pete Smith" NIL "pete" "silly.test")(NIL "@relay.test,@hop.test" "route" "host.test")) NIL "<group.1@x.test>")`},
		// Quoted strings escape " and \.
		{"quoting", `("Mon, 21 Sep 2026 10:00:00 +0000" "He said \"hi\" \\ and left" (("Joe \"the Coder\" Q. Public" NIL "joe" "example.com")) (("Joe \"the Coder\" Q. Public" NIL "joe" "example.com")) (("Joe \"the Coder\" Q. Public" NIL "joe" "example.com")) (("back\\slash" NIL "bs" "example.com")) NIL NIL NIL "<quote.1@example.com>")`},
		// 8-bit text goes out as a literal; no Date, no Message-ID: NIL.
		{"utf8raw", "(\"Tue, 22 Sep 2026 10:00:00 +0000\" {37}\r\nDobrý deň — raw UTF-8 in a header (({11}\r\nJán Novák NIL \"jan\" \"example.sk\")) (({11}\r\nJán Novák NIL \"jan\" \"example.sk\")) (({11}\r\nJán Novák NIL \"jan\" \"example.sk\")) ((NIL NIL \"eva\" \"example.sk\")) NIL NIL NIL NIL)"},
		{"headeronly", `(NIL "header only, no body" ((NIL NIL "a" "example.com")) ((NIL NIL "a" "example.com")) ((NIL NIL "a" "example.com")) NIL NIL NIL NIL NIL)`},
		// RFC 2047 words stay as written.
		{"koi8", `("Tue, 15 Sep 2026 09:30:00 +0300" "=?KOI8-R?B?8NLJ18XUIQ==?=" (("=?koi8-r?Q?=E9=D7=C1=CE=20=F0=C5=D4=D2=CF=D7?=" NIL "ivan" "example.ru")) (("=?koi8-r?Q?=E9=D7=C1=CE=20=F0=C5=D4=D2=CF=D7?=" NIL "ivan" "example.ru")) (("=?koi8-r?Q?=E9=D7=C1=CE=20=F0=C5=D4=D2=CF=D7?=" NIL "ivan" "example.ru")) (("=?utf-8?B?0KHRgtGD0LTQtdC90YLRiw==?=" NIL "students" "example.ru")) NIL NIL NIL "<20260915093000.1234@example.ru>")`},
	}
	for _, tt := range tests {
		e, _ := parseFile(t, tt.msg)
		if got := e.Envelope(); got != tt.want {
			t.Errorf("%s ENVELOPE\n got %s\nwant %s", tt.msg, got, tt.want)
		}
	}
}

// TestAddressLists reads address lists as Dovecot does (the same fields
// are checked against Dovecot in groupcomments.eml): a group holding only
// a comment is empty, a comment before an address names nothing, the last
// one after it does, and an empty element between commas is an address
// without mailbox or domain.
func TestAddressLists(t *testing.T) {
	const missing = `(NIL NIL "MISSING_MAILBOX" "MISSING_DOMAIN")`
	for _, tt := range []struct{ in, want string }{
		{"group:;, group2: (foo) ;", `((NIL NIL "group" NIL)(NIL NIL NIL NIL)(NIL NIL "group2" NIL)(NIL NIL NIL NIL))`},
		{"g: (x) (y);", `((NIL NIL "g" NIL)(NIL NIL NIL NIL))`},
		{"(just a comment)", "NIL"},
		{"x@y.test, (comment only)", `((NIL NIL "x" "y.test"))`},
		{"(c1) a@b.test (c2) (c3)", `(("c3" NIL "a" "b.test"))`},
		{", a@b.test,", "(" + missing + `(NIL NIL "a" "b.test"))`},
		{"a@b.test, , c@d.test", `((NIL NIL "a" "b.test")` + missing + `(NIL NIL "c" "d.test"))`},
		{"g: a@b.test, (c) ;", `((NIL NIL "g" NIL)(NIL NIL "a" "b.test")` + missing + `(NIL NIL NIL NIL))`},
		{"g: (c);, ,", `((NIL NIL "g" NIL)(NIL NIL NIL NIL)` + missing + ")"},
		{"g: ; after@b.test", `((NIL NIL "g" NIL)(NIL NIL NIL NIL))`},
	} {
		var b strings.Builder
		writeAddresses(&b, ParseAddressList(tt.in))
		if got := b.String(); got != tt.want {
			t.Errorf("%q\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}

// TestAddressText: what SEARCH FROM, TO, CC and BCC look in, as Dovecot
// writes it (checked against Dovecot by sim/imap's search differential).
func TestAddressText(t *testing.T) {
	for _, tt := range []struct{ msg, field, want string }{
		{"groupcomments", "From", "<user-from@domain.org>"},
		{"groupcomments", "Cc", "group:;, group2:;"},
		{"groupcomments", "Bcc", `g3: c2 <a@example.org>, <MISSING_MAILBOX@MISSING_DOMAIN>;, g4: <MISSING_MAILBOX@MISSING_DOMAIN>, <MISSING_MAILBOX@MISSING_DOMAIN>;, g5: <a@example.org>, <MISSING_MAILBOX@MISSING_DOMAIN>, <b@example.org>;, g6:;`},
		{"group", "To", `"A Group": "Ed Jones" <c@a.test>, <joe@where.test>, John <jdoe@one.test>;`},
		{"group", "Bcc", `"Pete Smith" <pete@silly.test>, <@relay.test,@hop.test:route@host.test>`},
		{"addresses", "Cc", `"Last, First" <first.last@example.com>`},
	} {
		e, _ := parseFile(t, tt.msg)
		if got := strings.Join(e.AddressText(tt.field), "\n"); got != tt.want {
			t.Errorf("%s %s\n got %s\nwant %s", tt.msg, tt.field, got, tt.want)
		}
	}
}

func TestBodyStructure(t *testing.T) {
	tests := []struct {
		msg      string
		extended bool
		want     string
	}{
		// No Content-Type: text/plain; charset=us-ascii, 7BIT; lines counted.
		{"nocontenttype", true, `("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 58 2 NIL NIL NIL NIL)`},
		{"nocontenttype", false, `("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 58 2)`},
		// Case as written; a last line without CRLF is not counted.
		{"plain", false, `("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 52 5)`},
		{"folded", false, `("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 16 0)`},
		// No line count for application/*; id, description, disposition with
		// RFC 2231 parameters as written (continuations joined), language, location.
		{"mixed", true, `(("text" "plain" ("charset" "utf-8" "format" "flowed") NIL NIL "quoted-printable" 52 1 NIL NIL NIL NIL)("text" "plain" ("charset" "utf-8" "name" "=?UTF-8?B?0J7RgtGH0ZHRgi50eHQ=?=") NIL NIL "base64" 372 4 NIL ("attachment" ("filename*" "utf-8''%D0%9E%D1%82%D1%87%D1%91%D1%82.txt")) ("ru") "report.txt")("application" "octet-stream" ("name" "data.bin") "<part3@example.sk>" "Raw data" "base64" 44 NIL ("attachment" ("filename" "long-file-name.bin")) NIL NIL) "mixed" ("boundary" "==b1==") NIL NIL NIL)`},
		{"alternative", false, `(("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 30 2)("text" "html" ("charset" "iso-8859-1") NIL NIL "quoted-printable" 44 0) "alternative")`},
		// message/rfc822 carries the envelope, structure and line count.
		{"rfc822", false, `(("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 28 1)("message" "rfc822" NIL NIL NIL "7BIT" 394 ("Mon, 7 Feb 1994 21:52:25 -0800 (PST)" "Lunch on Friday?" (("Alice Example" NIL "alice" "example.org")) (("Alice Example" NIL "alice" "example.org")) (("Alice Example" NIL "alice" "example.org")) ((NIL NIL "bob" "example.net")) NIL NIL NIL "<B27397-0100000@example.org>") (("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 6 0)("text" "html" ("charset" "us-ascii") NIL NIL "7BIT" 13 0) "alternative") 17) "mixed")`},
		// A quoted parameter value keeps its escapes.
		{"quoting", false, `("text" "plain" ("charset" "utf-8" "name" "a \"quoted\" name") NIL NIL "7BIT" 7 1)`},
		// Degrade, do not fail: a multipart without boundary gets one empty part.
		{"noboundary", true, `(("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 0 0 NIL NIL NIL NIL) "mixed" NIL NIL NIL NIL)`},
		{"malformed", false, `("text" "plain" ("charset" "us-ascii") NIL NIL "x-unknown" 6 1)`},
	}
	for _, tt := range tests {
		e, _ := parseFile(t, tt.msg)
		if got := e.BodyStructure(tt.extended); got != tt.want {
			t.Errorf("%s BODYSTRUCTURE(%v)\n got %s\nwant %s", tt.msg, tt.extended, got, tt.want)
		}
	}
}

func TestSearchHelpers(t *testing.T) {
	koi8, _ := parseFile(t, "koi8")
	if got := koi8.HeaderValues("subject"); len(got) != 1 || got[0] != "Привет!" {
		t.Errorf("KOI8-R subject decoded to %q", got)
	}
	if got := koi8.HeaderValues("From"); len(got) != 1 || got[0] != "Иван Петров <ivan@example.ru>" {
		t.Errorf("KOI8-R From decoded to %q", got)
	}
	if !ContainsFold(koi8.Text(HeaderText), "привет") {
		t.Error("a Russian word in lower case must find the KOI8-R subject «Привет!»")
	}
	if !ContainsFold(koi8.Text(BodyText), "ЛЕКЦИЯ о ПРОТОКОЛЕ") {
		t.Errorf("body text not decoded from KOI8-R: %q", koi8.Text(BodyText))
	}
	mixed, _ := parseFile(t, "mixed")
	body := mixed.Text(BodyText)
	for _, want := range []string{"Dobrý deň", "Отчёт за сентябрь"} { // quoted-printable, base64
		if !strings.Contains(body, want) {
			t.Errorf("body text lacks %q: %q", want, body)
		}
	}
	if strings.Contains(body, "AAECAw") {
		t.Error("binary attachment must not be searched as text")
	}
	if f := mixed.Parts[1].Filename(); f != "Отчёт.txt" {
		t.Errorf("RFC 2231 filename = %q", f)
	}
	if f := mixed.Parts[2].Filename(); f != "long-file-name.bin" {
		t.Errorf("RFC 2231 continued filename = %q", f)
	}
	mixed.Parts[1].Header.Del("Content-Disposition")
	if f := mixed.Parts[1].Filename(); f != "Отчёт.txt" {
		t.Errorf("RFC 2047 name = %q", f)
	}
	alt, _ := parseFile(t, "alternative")
	if !strings.Contains(alt.Text(BodyText), "Café news") {
		t.Errorf("ISO-8859-1 quoted-printable not decoded: %q", alt.Text(BodyText))
	}
	rfc822, _ := parseFile(t, "rfc822")
	if !strings.Contains(rfc822.Text(BodyText), "Subject: Lunch on Friday?") {
		t.Error("an attached message's header is part of the body text")
	}

	cp, _ := parseFile(t, "cp1251")
	if got := cp.HeaderValues("Subject"); len(got) != 1 || got[0] != "Расписание экзаменов" {
		t.Errorf("windows-1251 subject decoded to %q", got)
	}
	if !ContainsFold(cp.Text(HeaderText), "кафедра") || !ContainsFold(cp.Text(BodyText), "ЭКЗАМЕН ПО СЕТЯМ") {
		t.Errorf("windows-1251 text not searchable: %q / %q", cp.Text(HeaderText), cp.Text(BodyText))
	}

	d, ok := koi8.Date()
	if want := time.Date(2026, 9, 15, 6, 30, 0, 0, time.UTC); !ok || !d.Equal(want) {
		t.Errorf("Date() = %v, %v; want %v", d, ok, want)
	}
	if e, _ := parseFile(t, "headeronly"); func() bool { _, ok := e.Date(); return ok }() {
		t.Error("a message without Date has no sent date")
	}
}

func TestContainsFold(t *testing.T) {
	for _, tt := range []struct {
		h, n string
		want bool
	}{
		{"Привет!", "привет", true},
		{"Привет!", "ПРИВЕТ", true},
		{"Dobrý deň", "DOBRÝ DEŇ", true},
		{"žltý", "ŽLTÝ", true},
		{"Ærøskøbing", "RØSK", true},
		{"Kelvin K", "k", true},
		{"abc", "", true},
		{"abc", "abcd", false},
		{"Привет", "пока", false},
	} {
		if got := ContainsFold(tt.h, tt.n); got != tt.want {
			t.Errorf("ContainsFold(%q, %q) = %v", tt.h, tt.n, got)
		}
	}
}

// Messages stored with bare LF are turned into CRLF before Parse (the
// store does it); sizes and offsets are then those of the CRLF form.
func TestLFInputConvertedFirst(t *testing.T) {
	lf := []byte("Subject: x\n\nline 1\nline 2\n")
	e, _ := Parse(toCRLF(lf))
	if len(e.Raw) != len(lf)+4 {
		t.Errorf("size %d, want %d", len(e.Raw), len(lf)+4)
	}
	if got := e.BodyStructure(false); got != `("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 16 2)` {
		t.Errorf("BODY = %s", got)
	}
}

func TestParamsInHeaderOrder(t *testing.T) {
	_, params := parseParams(`attachment; FileName*0*=utf-8''%D0%9E; filename*1*=%D1%82; size=12; x="a;b\"c"`)
	want := []Param{{"FileName*", "utf-8''%D0%9E%D1%82"}, {"size", "12"}, {"x", `a;b"c`}}
	if len(params) != len(want) {
		t.Fatalf("params %q, want %q", params, want)
	}
	for i := range want {
		if params[i] != want[i] {
			t.Errorf("param %d = %q, want %q", i, params[i], want[i])
		}
	}
}

// Comments, duplicates and stray text in Content-Type, read as Dovecot
// reads them (each case was checked against its BODYSTRUCTURE): comments
// are blanks (RFC 5322 CFWS), duplicates stay, an unquoted value ends at a
// blank, what has no name or value or an unclosed quote is dropped.
func TestParamsCommentsDuplicatesBlanks(t *testing.T) {
	for _, tc := range []struct{ in, head, params string }{
		{"multipart/mixed; boundary=b (comment)", "multipart/mixed", "boundary=b"},
		{"multipart/mixed; (c) boundary=b", "multipart/mixed", "boundary=b"},
		{"text/plain; charset=koi8-r (russian)", "text/plain", "charset=koi8-r"},
		{"multipart/mixed; boundary=b; charset=utf-8; charset=koi8-r", "multipart/mixed", "boundary=b charset=utf-8 charset=koi8-r"},
		{"text/plain; name=a b.txt; charset=utf-8", "text/plain", "name=a charset=utf-8"},
		{`text/plain; name = "x" (c) ; y=3`, "text/plain", "name=x y=3"},
		{"text/plain; name=a(c)b; z=4", "text/plain", "name=a z=4"},
		{`text/plain; charset="utf-8"junk; q=5`, "text/plain", "charset=utf-8 q=5"},
		{`text/plain; a="x\"y"; b="p(q)r"`, "text/plain", `a=x"y b=p(q)r`},
		{"text/plain; a=1 (nested (comment) here) ; b=2", "text/plain", "a=1 b=2"},
		{`text/plain; a=1 (escaped \) paren) ; b=2`, "text/plain", "a=1 b=2"},
		{"(c)text(d)/(e)plain(f); a=1", "text / plain", "a=1"},
		{"text/plain; a=(unclosed", "text/plain", ""},
		{`text/plain; a="unclosed`, "text/plain", ""},
		{"text/plain; a b=c; =d; e=", "text/plain", ""},
		{"text/plain; A=1; a=2", "text/plain", "A=1 a=2"},
		{"multipart/mixed; boundary=----=_Part_1", "multipart/mixed", "boundary=----=_Part_1"},
	} {
		head, params := parseParams(tc.in)
		var got []string
		for _, p := range params {
			got = append(got, p.Name+"="+p.Value)
		}
		if head != tc.head || strings.Join(got, " ") != tc.params {
			t.Errorf("%s:\n got %q %q\nwant %q %q", tc.in, head, strings.Join(got, " "), tc.head, tc.params)
		}
	}
}

// The entity uses those parameters everywhere: the boundary splits, the
// first charset decodes the body, the type is kept, RFC 2231 and 2047
// values decode.
func TestEntityUsesParsedParams(t *testing.T) {
	e, _ := parseFile(t, "cfws")
	if e.MediaType() != "multipart/mixed" || len(e.Parts) != 3 || len(e.Parts[1].Parts) != 2 {
		t.Fatalf("structure %s", e.BodyStructure(false))
	}
	if got := e.Parts[0].DecodedBody(); !strings.Contains(got, "Лекция по сетям") {
		t.Errorf("KOI8-R body with a comment after the charset: %q", got)
	}
	if got := e.Parts[1].Parts[0].DecodedBody(); !strings.Contains(got, "Вторая лекция") {
		t.Errorf("KOI8-R body beside an unquoted blank: %q", got)
	}
	if f := e.Parts[2].Filename(); f != "report.pdf" || e.Parts[2].MediaType() != "application/pdf" {
		t.Errorf("attachment %s named %q", e.Parts[2].MediaType(), f)
	}
	d, _ := parseFile(t, "dupparams")
	if d.MediaType() != "multipart/mixed" || len(d.Parts) != 2 {
		t.Fatalf("duplicate parameters: %s", d.BodyStructure(false))
	}
	if got := d.Parts[0].DecodedBody(); !strings.Contains(got, "пятницу") {
		t.Errorf("the first of two charsets (KOI8-R) decodes: %q", got)
	}
	if f := d.Parts[1].Filename(); f != "one.txt" {
		t.Errorf("the first of two file names: %q", f)
	}
	for _, tc := range []struct{ params, want string }{
		{`x; name*=koi8-r''%EC%C5%CB%C3%C9%D1`, "Лекция"},
		{`x; name*0*=utf-8''%D0%9E; name*1*=%D1%82`, "От"},
		{`x; name="=?UTF-8?B?0J7RgtGH0ZHRgi50eHQ=?="`, "Отчёт.txt"},
		{`x; name=plain; name*=utf-8''%C3%A9`, "é"},
	} {
		_, params := parseParams(tc.params)
		if got, _ := paramValue(params, "name"); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.params, got, tc.want)
		}
	}
}

// Deeply nested parts whose close delimiters abut must not make the parser
// do the work again at every level (that would never finish), and nesting
// stops at maxDepth: what lies deeper is body text.
func TestDeepNesting(t *testing.T) {
	var b strings.Builder
	const levels = 300
	for i := range levels {
		b.WriteString("Content-Type: message/rfc822\r\n\r\n")
		b.WriteString("Content-Type: multipart/mixed; boundary=b" + strconv.Itoa(i) + "\r\n\r\n--b" + strconv.Itoa(i) + "\r\n")
	}
	b.WriteString("Subject: bottom\r\n")
	for i := levels - 1; i >= 0; i-- {
		b.WriteString("--b" + strconv.Itoa(i) + "--\r\n")
	}
	raw := []byte(b.String())
	e, _ := Parse(raw)
	depth := 0
	for p := e; p != nil; depth++ {
		switch {
		case p.Message != nil:
			p = p.Message
		case len(p.Parts) > 0:
			p = p.Parts[0]
		default:
			p = nil
		}
	}
	if depth != maxDepth+1 {
		t.Errorf("nesting depth %d, want the limit %d", depth, maxDepth+1)
	}
	if _, err := dovecottest.ParseValue(e.BodyStructure(true)); err != nil {
		t.Error(err)
	}
}

func toCRLF(b []byte) []byte {
	return []byte(strings.ReplaceAll(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n", "\r\n"))
}

// testMessages reads testdata/*.eml (stored with LF, as Maildir files
// are) and turns them into the CRLF form the store hands to Parse.
func testMessages(t *testing.T) (names []string, msgs [][]byte) {
	files, err := filepath.Glob("testdata/*.eml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test messages: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".eml"))
		msgs = append(msgs, toCRLF(b))
	}
	return names, msgs
}
