package imap

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"maillab/sim/event"
	"maillab/sim/mailstore"
)

// fuzzRW feeds a session a fixed input and collects what it writes.
type fuzzRW struct {
	io.Reader
	out bytes.Buffer
}

func (f *fuzzRW) Write(p []byte) (int, error) { return f.out.Write(p) }

// FuzzSession runs raw client input through a session in each state: not
// logged in, logged in, and with INBOX selected. The session must never
// panic, must answer in whole CRLF lines, and must not read past the
// literal limit; reading its responses back for the explain pane must not
// panic either.
func FuzzSession(f *testing.F) {
	for _, seed := range []string{
		"a1 CAPABILITY\r\n", "a1 LOGIN {7}\r\nmelanie {6+}\r\ntoybox\r\n",
		"a FETCH 1:* (FLAGS BODY.PEEK[1.HEADER.FIELDS (SUBJECT)]<0.10>)\r\n",
		"a SEARCH CHARSET UTF-8 OR (FROM x NOT SEEN) UID 1:*,3 SUBJECT {4+}\r\nтест\r\n",
		"a APPEND INBOX (\\Seen) \"17-Jul-1996 02:44:25 -0700\" {5+}\r\nhello\r\n",
		"a STORE 5:2 +FLAGS.SILENT (\\Deleted $x)\r\na EXPUNGE\r\n", "a IDLE\r\nDONE\r\n",
		"a APPEND INBOX {99999999999}\r\n", "a LIST \"\" %\r\n", "a UID MOVE 1 &BBoEPgRABDcEOAQ9BDA-\r\n",
		"a SORT RETURN (UPDATE PARTIAL 2:9 MIN) (REVERSE DISPLAYFROM SUBJECT) UTF-8 YOUNGER 60\r\nb STORE 1 +FLAGS (\\Seen)\r\n",
		"a UID THREAD REFERENCES US-ASCII OR $ 2\r\n", "a SEARCH RETURN (SAVE COUNT) OLDER 5\r\nb FETCH $ UID\r\nc CANCELUPDATE \"a\"\r\n",
		"a APPEND INBOX ~{4+}\r\n\x00\x01\r\n (\\Seen) {2+}\r\nx\n\r\n",
		"a APPEND INBOX CATENATE (URL \"/INBOX;UIDVALIDITY=1/;UID=1/;SECTION=1.MIME/;PARTIAL=0.5\" TEXT {1+}\r\nx)\r\n",
		"a FETCH 1 (BINARY.PEEK[1]<0.3> BINARY.SIZE[] BINARY[])\r\n",
		"a LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (% INBOX/*) RETURN (CHILDREN SPECIAL-USE STATUS (MESSAGES))\r\n",
		"a ENABLE QRESYNC\r\na SELECT INBOX (QRESYNC (1 1 1:* (1:2 1:2)))\r\na UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)\r\n",
		"a STORE 1 (UNCHANGEDSINCE 0) +FLAGS (x)\r\na SEARCH MODSEQ \"/flags/x\" all 1\r\na STATUS INBOX (HIGHESTMODSEQ)\r\n",
	} {
		f.Add([]byte(seed))
	}
	prefixes := []string{"", "p LOGIN melanie toybox\r\n", "p LOGIN melanie toybox\r\np SELECT INBOX\r\n"}
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, p := range prefixes {
			st := mailstore.New()
			u, _ := st.AddUser("melanie", "toybox")
			mb, _ := u.Mailbox("INBOX")
			for i := 0; i < 3; i++ {
				mb.Append(message("fuzz", "body"), nil, time.Time{})
			}
			rw := &fuzzRW{Reader: io.MultiReader(strings.NewReader(p), bytes.NewReader(in))}
			// Events on: every response is read back for its explanation.
			s := NewSession(Options{Store: st, MaxLiteral: 4096, MaxMailbox: 50, Events: event.Discard, Explain: true})
			s.Serve(rw)
			if out := rw.out.String(); out != "" && !strings.HasSuffix(out, "\r\n") {
				t.Fatalf("output does not end in CRLF: %q", out)
			}
		}
	})
}

// FuzzPartsOf reads any text back as a response: it must neither panic
// nor hang, whatever a mailbox name or a message holds.
func FuzzPartsOf(f *testing.F) {
	for _, seed := range []string{"* 1 FETCH (FLAGS (\\Seen) BODY[1.HEADER.FIELDS (A)]<0> {3}\r\nabc)", "a OK [COPYUID 1 1:2 3:4] x",
		`* LIST (\Noselect) "/" "a b"`, "* STATUS x (MESSAGES 1)", "* OK [PERMANENTFLAGS ()] x", "+ ", "* BODY[", `* ID ("a" "b")`,
		"* 1 FETCH (BINARY[1]<0> ~{2}\r\n\x00x BINARY.SIZE[1] 2)", `* LIST (\Subscribed) "/" a (CHILDINFO ("SUBSCRIBED"))`, "a OK [APPENDUID 1 2:3] x", "~{",
		"* VANISHED (EARLIER) 1:3", "a OK [MODIFIED 1,3] x", "* 1 FETCH (UID 1 MODSEQ (12))"} {
		f.Add(seed)
	}
	s := NewSession(Options{})
	f.Fuzz(func(t *testing.T, resp string) { s.partsOf(resp) })
}
