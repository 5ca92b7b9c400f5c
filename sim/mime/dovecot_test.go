//go:build !js && !wasip1

package mime

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"maillab/sim/mime/dovecottest"
)

// sections fetched from every test message: whole, header and text,
// header fields, and part numbers deep enough for the nested messages.
var diffSections = []string{
	"", "HEADER", "TEXT", "HEADER.FIELDS (SUBJECT FROM)", "HEADER.FIELDS.NOT (Subject from)",
	"1", "1.MIME", "1.HEADER", "1.TEXT", "1.1", "2", "2.MIME", "2.HEADER", "2.TEXT",
	"2.HEADER.FIELDS (TO)", "2.1", "2.1.MIME", "2.1.HEADER", "2.2", "2.2.MIME", "3", "3.MIME", "4",
}

// TestDovecotDifferential fetches every testdata message from Dovecot and
// compares its ENVELOPE, BODYSTRUCTURE, BODY, RFC822.SIZE and sections with
// ours, value by value (quoted string or literal does not matter).
func TestDovecotDifferential(t *testing.T) {
	names, msgs := testMessages(t)
	lf := make([][]byte, len(msgs))
	for i, m := range msgs {
		lf[i] = []byte(strings.ReplaceAll(string(m), "\r\n", "\n")) // Maildir files use LF
	}
	c := dovecottest.Start(t, dovecottest.WriteMaildir(t, t.TempDir(), lf))
	if _, err := c.Do("EXAMINE INBOX"); err != nil {
		t.Fatal(err)
	}
	items := []string{"RFC822.SIZE", "ENVELOPE", "BODYSTRUCTURE", "BODY"}
	for _, s := range diffSections {
		items = append(items, "BODY.PEEK["+s+"]")
	}
	items = append(items, "BODY.PEEK[1]<5.10>", "BODY.PEEK[]<100000.5>", "BODY.PEEK[TEXT]<0.7>")
	for i, name := range names {
		t.Run(name, func(t *testing.T) {
			resp, err := c.Do(fmt.Sprintf("FETCH %d (%s)", i+1, strings.Join(items, " ")))
			if err != nil {
				t.Fatal(err)
			}
			got := fetchItems(t, resp)
			e, _ := Parse(msgs[i])
			for item, want := range ours(t, e, msgs[i]) {
				item = strings.ToUpper(item)
				dv, ok := got[item]
				if !ok {
					t.Errorf("%s: Dovecot did not return it", item)
					continue
				}
				if item == "BODYSTRUCTURE" || item == "BODY" {
					dv, want = foldStructure(dv), foldStructure(want)
				}
				if known, ok := knownDifferences[name+" "+item]; ok {
					if !known.check(dv, want) {
						t.Errorf("%s: expected difference (%s) not as documented\n dovecot: %#v\n    ours: %#v", item, known.why, dv, want)
					}
					continue
				}
				if !reflect.DeepEqual(dv, want) {
					t.Errorf("%s differs\n dovecot: %#v\n    ours: %#v", item, dv, want)
				}
			}
		})
	}
}

// knownDifferences are the points where we deliberately answer otherwise
// than Dovecot, keyed by "message ITEM". Each check confirms the difference
// is exactly the documented one.
var knownDifferences = map[string]struct {
	why   string
	check func(dovecot, ours any) bool
}{
	"malformed BODYSTRUCTURE": {unparsableType, emptyTypeVersusTextPlain},
	"malformed BODY":          {unparsableType, emptyTypeVersusTextPlain},
}

// An unparsable Content-Type ("text/"): Dovecot shows type "" and subtype
// "" (and so no line count); RFC 2045 section 5.2 recommends assuming
// text/plain; charset=us-ascii for a syntactically invalid Content-Type,
// which also gives clients a body they can display. We follow the RFC.
const unparsableType = "invalid Content-Type shown as text/plain by RFC 2045 section 5.2"

func emptyTypeVersusTextPlain(dovecot, ours any) bool {
	d, _ := dovecot.([]any)
	o, _ := ours.([]any)
	return len(d) > 6 && len(o) > 7 &&
		d[0] == "" && d[1] == "" && o[0] == "text" && o[1] == "plain" &&
		reflect.DeepEqual(o[2], []any{"charset", "us-ascii"}) &&
		reflect.DeepEqual(d[3:7], o[3:7]) // id, description, encoding, size
}

// ours builds the same FETCH items from the parsed message.
func ours(t *testing.T, e *Entity, raw []byte) map[string]any {
	parse := func(s string) any {
		v, err := dovecottest.ParseValue(s)
		if err != nil {
			t.Fatalf("our output %q does not parse: %v", s, err)
		}
		return v
	}
	out := map[string]any{
		"RFC822.SIZE":   dovecottest.Atom(strconv.Itoa(len(raw))),
		"ENVELOPE":      parse(e.Envelope()),
		"BODYSTRUCTURE": parse(e.BodyStructure(true)),
		"BODY":          parse(e.BodyStructure(false)),
	}
	for _, s := range diffSections {
		b, _ := e.Section(parseSection(s))
		out["BODY["+s+"]"] = string(b)
	}
	b1, _ := e.Section([]int{1}, "", nil)
	out["BODY[1]<5>"] = string(Partial(b1, 5, 10))
	out["BODY[]<100000>"] = string(Partial(raw, 100000, 5))
	text, _ := e.Section(nil, "TEXT", nil)
	out["BODY[TEXT]<0>"] = string(Partial(text, 0, 7))
	return out
}

// parseSection splits "2.1.HEADER.FIELDS (A B)" into [2 1], "HEADER.FIELDS", [A B].
func parseSection(s string) (path []int, spec string, fields []string) {
	if open := strings.IndexByte(s, '('); open >= 0 {
		fields = strings.Fields(strings.Trim(s[open:], "()"))
		s = strings.TrimSpace(s[:open])
	}
	for s != "" {
		head, rest, _ := strings.Cut(s, ".")
		n, err := strconv.Atoi(head)
		if err != nil {
			return path, s, fields
		}
		path, s = append(path, n), rest
	}
	return path, "", fields
}

// fetchItems turns "* n FETCH (name value ...)" into a map; section names
// are upper-cased the way we ask (Dovecot echoes field names as sent).
func fetchItems(t *testing.T, resp []dovecottest.Response) map[string]any {
	out := map[string]any{}
	for _, r := range resp {
		if r.Tag != "*" || len(r.Fields) != 3 || r.Fields[1] != dovecottest.Atom("FETCH") {
			continue
		}
		list, _ := r.Fields[2].([]any)
		for i := 0; i+1 < len(list); i += 2 {
			name, _ := list[i].(dovecottest.Atom)
			out[strings.ToUpper(string(name))] = list[i+1]
		}
	}
	if len(out) == 0 {
		t.Fatalf("no FETCH response in %#v", resp)
	}
	return out
}

// foldStructure lower-cases what RFC 3501 makes case-insensitive and where
// Dovecot and we differ only in case: we show type, subtype and encoding as
// the message writes them ("TEXT" "PLAIN" "7BIT" as in the RFC's examples),
// Dovecot lower-cases them.
func foldStructure(v any) any {
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return v
	}
	out := append([]any(nil), list...)
	if _, multi := list[0].([]any); multi {
		k := 0
		for k < len(out) {
			if _, isList := out[k].([]any); !isList {
				break
			}
			out[k] = foldStructure(out[k])
			k++
		}
		lowerAt(out, k)
		return out
	}
	lowerAt(out, 0, 1, 5)
	// Dovecot caches "the whole message is text/plain; charset=us-ascii,
	// 7bit" as one flag and rebuilds the parameter list from it in lower
	// case ("CHARSET" "US-ASCII" comes back as "charset" "us-ascii"); in
	// a part it keeps the case as written. Both are correct: parameter
	// names and the charset value are case-insensitive.
	if params, ok := out[2].([]any); ok && len(params) == 2 {
		if n, _ := params[0].(string); strings.EqualFold(n, "charset") {
			if v, _ := params[1].(string); strings.EqualFold(v, "us-ascii") {
				out[2] = []any{"charset", "us-ascii"}
			}
		}
	}
	if len(out) > 9 && isMessageType(out) {
		out[8] = foldStructure(out[8])
	}
	return out
}

func isMessageType(l []any) bool {
	t, _ := l[0].(string)
	s, _ := l[1].(string)
	return strings.EqualFold(t, "message") && strings.EqualFold(s, "rfc822")
}

func lowerAt(l []any, idx ...int) {
	for _, i := range idx {
		if i < len(l) {
			if s, ok := l[i].(string); ok {
				l[i] = strings.ToLower(s)
			}
		}
	}
}

// TestDovecotSearchAgrees runs SEARCH SUBJECT and SEARCH BODY on Dovecot
// and the same match on our decoded text: a Russian or Slovak word in any
// case must find the same messages (KOI8-R, windows-1251, UTF-8, ISO-8859-1).
func TestDovecotSearchAgrees(t *testing.T) {
	names, msgs := testMessages(t)
	c := dovecottest.Start(t, dovecottest.WriteMaildir(t, t.TempDir(), msgs))
	if _, err := c.Do("EXAMINE INBOX"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []struct{ key, word string }{
		{"SUBJECT", "привет"}, {"SUBJECT", "РАСПИСАНИЕ"}, {"SUBJECT", "správa"}, {"SUBJECT", "lunch"},
		{"BODY", "лекция"}, {"BODY", "экзамен по сетям"}, {"BODY", "café"}, {"BODY", "отчёт за"},
		{"BODY", "DOBRÝ DEŇ"},
		// TEXT also reads the parts' MIME headers: file names, types.
		{"TEXT", "dot.png"}, {"TEXT", "long-file"}, {"TEXT", "attachment"},
		{"TEXT", "Content-Type: image"}, {"TEXT", "Отчёт"},
		// Charsets in fields Go's parser rejects (a comment, an unquoted
		// blank in another parameter, a duplicate): cfws, dupparams.
		{"BODY", "вторая лекция"}, {"BODY", "пятницу"}, {"BODY", "аудитории"}, {"BODY", "отменяется"},
	} {
		// A literal with LITERAL+ carries the 8-bit word (RFC 7888).
		resp, err := c.Do(fmt.Sprintf("SEARCH CHARSET UTF-8 %s {%d+}\r\n%s", q.key, len(q.word), q.word))
		if err != nil {
			t.Fatal(err)
		}
		var dovecot []string
		for _, r := range resp {
			if r.Tag == "*" && len(r.Fields) > 0 && r.Fields[0] == dovecottest.Atom("SEARCH") {
				for _, n := range r.Fields[1:] {
					i, _ := strconv.Atoi(string(n.(dovecottest.Atom)))
					dovecot = append(dovecot, names[i-1])
				}
			}
		}
		if last := resp[len(resp)-1]; last.Fields[0] != dovecottest.Atom("OK") {
			t.Fatalf("SEARCH %s %s: %v %s", q.key, q.word, last.Fields, last.Text)
		}
		var ours []string
		for i, raw := range msgs {
			e, _ := Parse(raw)
			text := e.Text(BodyText)
			switch q.key {
			case "SUBJECT":
				text = strings.Join(e.HeaderValues("Subject"), "\n")
			case "TEXT":
				text = e.Text(AllText)
			}
			if ContainsFold(text, q.word) {
				ours = append(ours, names[i])
			}
		}
		if len(ours) == 0 {
			t.Errorf("SEARCH %s %q: every word here occurs in some test message", q.key, q.word)
		}
		if !reflect.DeepEqual(dovecot, ours) {
			t.Errorf("SEARCH %s %q: Dovecot finds %v, we find %v", q.key, q.word, dovecot, ours)
		}
	}
}
