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

// A sequence set past the last message: FETCH 9:* with 8 messages is a
// client error (BAD, RFC 3501 9: sequence numbers name messages that
// exist), and SEARCH 10:* finds nothing, its range running from 10 up,
// where taking it as 8:10 would find message 8; "*:5" is 5 to the last.
// Both as Dovecot answers. UID sets keep RFC 3501 6.4.8's reading: "*" is
// the highest UID, so UID 100:* finds the last message.
func TestSequenceSetsPastTheEnd(t *testing.T) {
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	fill(t, u, "INBOX", 8)
	c := login(t, st, "melanie", "toybox")
	c.do("s", "SELECT INBOX")
	c.run(`
		C: a1 SEARCH 10:*
		S: * SEARCH
		S: a1 OK SEARCH completed
		C: a2 SEARCH *:10
		S: * SEARCH
		S: a2 OK SEARCH completed
		C: a3 SEARCH *:5 NOT 7
		S: * SEARCH 5 6 8
		S: a3 OK SEARCH completed
		C: a4 SEARCH *
		S: * SEARCH 8
		S: a4 OK SEARCH completed
		C: a5 SEARCH UID 100:*
		S: * SEARCH 8
		S: a5 OK SEARCH completed
		C: a6 UID SEARCH 100:*
		S: * SEARCH
		S: a6 OK UID SEARCH completed
		C: a7 FETCH 9:* UID
		S: a7 BAD FETCH: there is no message 9; the mailbox has 8 (use * for the last one)
		C: a8 UID FETCH 100:* UID
		S: * 8 FETCH (UID 8)
		S: a8 OK UID FETCH completed
	`)
}
