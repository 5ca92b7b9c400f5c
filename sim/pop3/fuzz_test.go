package pop3

import (
	"bytes"
	"strings"
	"testing"

	"maillab/sim/event"
)

// eofRW plays its input and then reports end of input.
type eofRW struct {
	in  *bytes.Reader
	out bytes.Buffer
}

func (c *eofRW) Read(p []byte) (int, error)  { return c.in.Read(p) }
func (c *eofRW) Write(p []byte) (int, error) { return c.out.Write(p) }

// FuzzSession feeds raw bytes to a session, in every state the bytes can
// reach. The server must not panic, every line it sends must end in CRLF,
// status lines must start with +OK, -ERR or + and hold no control bytes,
// and data lines may appear only inside a multi-line answer.
func FuzzSession(f *testing.F) {
	msgs := [][]byte{
		[]byte("Subject: dots\r\n\r\n.leading dot\r\n.\r\nend\r\n"),
		sized(120, "Subject: one"),
		[]byte("Subject: no final newline\r\n\r\nbody"),
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		st := newStore(t, account{name: "melanie", password: "toybox", msgs: msgs})
		rec := &event.Recorder{}
		c := &eofRW{in: bytes.NewReader(data)}
		NewSession(Options{Store: st, Events: rec.Sink(), Explain: true, APOPTimestamp: "<1.2@localhost>"}).Serve(c)
		out := c.out.String()
		if !strings.HasSuffix(out, "\r\n") {
			t.Fatalf("output does not end in CRLF: %q", out)
		}
		wire := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
		server := kinds(rec, event.Server)
		if len(server) != len(wire) {
			t.Fatalf("%d lines on the wire, %d Server events", len(wire), len(server))
		}
		inData := false
		for i, l := range wire {
			if strings.ContainsAny(l, "\r\n") {
				t.Fatalf("line %q holds a bare CR or LF", l)
			}
			e := server[i]
			switch e.Status {
			case "+OK", "-ERR", "+":
				if inData {
					t.Fatalf("status line %q inside a multi-line answer", l)
				}
				if !strings.HasPrefix(l, e.Status) || hasControl([]byte(l)) || len(l) > maxReplyLine-2 {
					t.Fatalf("bad status line %q", l)
				}
			case "":
				inData = l != "."
			default:
				t.Fatalf("unknown status %q", e.Status)
			}
		}
		if inData {
			t.Fatalf("multi-line answer not terminated: %q", wire)
		}
	})
}
