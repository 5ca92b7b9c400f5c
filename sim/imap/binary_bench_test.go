package imap

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"testing"
	"time"
)

// FETCH BINARY.PEEK[2] of a 1 MiB attachment sent in base64: the part is
// decoded on every fetch (nothing decoded is kept).
func BenchmarkFetchBinary1MiB(b *testing.B) {
	payload := bytes.Repeat([]byte{0, 1, 2, 3, 0xfe, 0xff, 'x', '\n'}, 1<<17)
	enc := base64.StdEncoding.EncodeToString(payload)
	var body bytes.Buffer
	for len(enc) > 76 {
		body.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	body.WriteString(enc + "\r\n")
	msg := "From: a@example.org\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\ntext\r\n--b\r\n" +
		"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" + body.String() + "--b--\r\n"
	st := benchStore(b, 0)
	u, _ := st.User("melanie")
	mb, _ := u.Mailbox("INBOX")
	if _, err := mb.Append([]byte(msg), nil, time.Time{}); err != nil {
		b.Fatal(err)
	}
	script := "a LOGIN melanie toybox\r\nb EXAMINE INBOX\r\nc FETCH 1 BINARY.PEEK[2]\r\nd LOGOUT\r\n"
	if out := runScript(b, st, script); out < int64(len(payload)) {
		b.Fatalf("only %d octets out", out)
	}
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		runScript(b, st, script)
	}
}

// MULTIAPPEND of 100 messages of about 1.2 KB in one command.
func BenchmarkMultiAppend100(b *testing.B) {
	var script bytes.Buffer
	script.WriteString("a LOGIN melanie toybox\r\np APPEND INBOX")
	size := 0
	for i := 0; i < 100; i++ {
		m := benchMessage(i)
		size += len(m)
		fmt.Fprintf(&script, " (\\Seen) {%d+}\r\n%s", len(m), m)
	}
	script.WriteString("\r\nz LOGOUT\r\n")
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st := benchStore(b, 0)
		b.StartTimer()
		runScript(b, st, script.String())
	}
}
