package imap

import (
	"testing"
)

// SEARCH keys over the MIME fixtures: decoded headers and bodies, flags,
// sizes, dates, OR/NOT and groups (RFC 3501 6.4.4).
func TestSearchKeys(t *testing.T) {
	c := fetchFixture(t)
	c.do("st", `STORE 1 +FLAGS (\Flagged $Work)`)
	cases := []struct{ query, want string }{
		{"ALL", "* SEARCH 1 2 3 4 5 6"},
		{"FLAGGED", "* SEARCH 1"},
		{"UNFLAGGED SMALLER 1", "* SEARCH"},
		{"KEYWORD $Work", "* SEARCH 1"},
		{"UNKEYWORD $work 1:2", "* SEARCH 2"},
		{"NOT 2:*", "* SEARCH 1"},
		{"OR 1 (3 FROM mary)", "* SEARCH 1 3"},
		{"FROM jdoe@one.test", "* SEARCH 3"},
		{"SUBJECT lunch", "* SEARCH 1 4"},
		{"HEADER Message-ID B27397", "* SEARCH 1"},
		{"HEADER MIME-Version \"\"", "* SEARCH 1 4 5"},
		{"BODY \"two lines\"", "* SEARCH 2"},
		{"TEXT \"root@localhost\"", "* SEARCH 2"},
		{"SENTON 19-Sep-2026", "* SEARCH 3"},
		{"SENTBEFORE 18-Sep-2026 SENTSINCE 1-Jan-2026", "* SEARCH 5"},
		{"ON 20-Sep-2026", "* SEARCH 1 2 3 4 5 6"},
		{"BEFORE 20-Sep-2026", "* SEARCH"},
		{"RECENT NEW", "* SEARCH 1 2 3 4 5 6"}, {"SEEN", "* SEARCH"},
		{"OLD", "* SEARCH"},
		{"UID 2,4:5", "* SEARCH 2 4 5"},
		{"CHARSET US-ASCII CC undisclosed", "* SEARCH 3"},
	}
	for _, tc := range cases {
		out := c.do("s", "SEARCH "+tc.query)
		mustContain(t, out, tc.want+"\r\ns OK SEARCH completed")
	}
}

// A Russian word finds the KOI8-R subject whether the client sends it in
// UTF-8 or in KOI8-R, as a literal; an unknown charset gives BADCHARSET.
func TestSearchCharsets(t *testing.T) {
	c := fetchFixture(t)
	word := "Привет" // the KOI8-R subject decodes to "Привет!"
	c.send("s1 SEARCH CHARSET UTF-8 SUBJECT {" + itoa(len(word)) + "}")
	c.expect("+ Ready for literal data")
	c.sendRaw(word + "\r\n")
	c.run(`
		S: * SEARCH 5
		S: s1 OK SEARCH completed
	`)
	koi := "\xf0\xd2\xc9\xd7\xc5\xd4" // "Привет" in KOI8-R
	c.sendRaw("s2 SEARCH CHARSET KOI8-R SUBJECT {6+}\r\n" + koi + "\r\n")
	c.run(`
		S: * SEARCH 5
		S: s2 OK SEARCH completed
		C: s3 SEARCH CHARSET X-NOSUCH TEXT a
		S: s3 NO [BADCHARSET (UTF-8 US-ASCII)] Charset X-NOSUCH is not known here; use UTF-8
		C: s4 UID SEARCH CHARSET utf-8 FROM Иван
		S: * SEARCH 5
		S: s4 OK UID SEARCH completed
	`)
}

func itoa(n int) string {
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}
