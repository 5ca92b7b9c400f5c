//go:build !js && !wasip1

package imap

import (
	"strings"
	"testing"
)

// TestDovecotSearchInvalidUTF8: a search string that is not valid UTF-8
// (a literal cut inside a character, a lone lead byte, an overlong form, a
// surrogate) is BAD on Dovecot, in SEARCH, UID SEARCH, ESEARCH, SORT and
// THREAD, and a SAVE in such a command leaves $ as it was; a search
// in ISO-8859-1 still finds its match. The status and response code of
// each answer must be Dovecot's, and so must the untagged answers.
func TestDovecotSearchInvalidUTF8(t *testing.T) {
	tw := newTwin(t, message("caf\xc3\xa9 ok", "text"), message("other", "text"))
	tw.do('A', "SELECT INBOX")
	cut := " SUBJECT {3+}\r\nca\xc3"
	for _, c := range []string{
		"SEARCH CHARSET UTF-8" + cut,
		"SEARCH SUBJECT \"a\xc3\"",
		"SEARCH CHARSET US-ASCII SUBJECT \"a\xc3\"",
		"UID SEARCH CHARSET UTF-8" + cut,
		"SEARCH RETURN (COUNT) CHARSET UTF-8" + cut,
		"SEARCH RETURN (SAVE) SUBJECT caf",
		"SEARCH $",
		"SEARCH RETURN (SAVE) CHARSET UTF-8" + cut,
		"SEARCH $",
		"SORT (SUBJECT) UTF-8" + cut,
		"UID SORT (SUBJECT) UTF-8" + cut,
		"THREAD REFERENCES UTF-8" + cut,
		"SEARCH OR SUBJECT x BODY {1+}\r\n\xff",
		"SEARCH HEADER Subject {1+}\r\n\xff",
		"SEARCH HEADER {1+}\r\n\xff x",
		"SEARCH CHARSET UTF-8 TEXT \"\xed\xa0\x80\"",
		"SEARCH CHARSET UTF-8 TEXT \"\xc0\xaf\"",
		"SEARCH CHARSET ISO-8859-1 SUBJECT \"caf\xe9\"",
		"SEARCH CHARSET UTF-8 SUBJECT \"caf\xc3\xa9\"",
	} {
		d, o := tw.do('A', c)
		if ds, os := statusCode(d[len(d)-1]), statusCode(o[len(o)-1]); ds != os {
			t.Errorf("%q: Dovecot %q, we %q", c, d[len(d)-1], o[len(o)-1])
		}
		if dw, ow := untaggedWords(d), untaggedWords(o); dw != ow {
			t.Errorf("%q: Dovecot's untagged answers\n%s\nours\n%s", c, dw, ow)
		}
	}
}

// untaggedWords are the untagged lines without ESEARCH's tag correlator.
func untaggedWords(lines []string) string {
	var out []string
	for _, l := range lines[:len(lines)-1] {
		if i := strings.Index(l, " (TAG "); i >= 0 {
			if j := strings.Index(l[i:], ")"); j >= 0 {
				l = l[:i] + l[i+j+1:]
			}
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
