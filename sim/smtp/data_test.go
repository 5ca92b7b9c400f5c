package smtp

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
)

// readData runs ReadData over in and returns the message, the lines seen,
// the error and what is left to read after the final dot.
func readData(in string, max int64) (msg string, lines []DataLine, err error, rest string) {
	br := bufio.NewReader(strings.NewReader(in))
	m := NewMessage(max)
	err = ReadData(br, m, func(l DataLine) {
		l.Text = append([]byte(nil), l.Text...)
		lines = append(lines, l)
	})
	left, _ := io.ReadAll(br)
	return string(m.Bytes()), lines, err, string(left)
}

func TestReadData(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"a message", "Subject: x\r\n\r\nbody\r\n.\r\n", "Subject: x\r\n\r\nbody\r\n"},
		{"empty", ".\r\n", ""},
		{"an empty line", "\r\n.\r\n", "\r\n"},
		// RFC 5321 section 4.5.2: the first of two dots is removed.
		{"a doubled dot", "..leading dot\r\n.\r\n", ".leading dot\r\n"},
		{"a line of two dots", "..\r\n.\r\n", ".\r\n"},
		{"three dots", "...\r\n.\r\n", "..\r\n"},
		{"dot space", ". \r\n.\r\n", " \r\n"},
		{"a dot mid-line", "a . b.\r\nend.\r\n.\r\n", "a . b.\r\nend.\r\n"},
		{"CRLF dot inside a line", "x\r.\r\n.\r\n", "x\r.\r\n"},
		{"a bare CR kept", "a\rb\r\n.\r\n", "a\rb\r\n"},
		// nc sends LF: lines end at LF, are stored with CRLF, "." ends.
		{"bare LF", "line1\nline2\r\n.\n", "line1\r\nline2\r\n"},
		{"bare LF dot", "..x\n.\n", ".x\r\n"},
		{"the lecture's text", "nu-i-nu...\r\n.\r\n", "nu-i-nu...\r\n"},
	}
	for _, tt := range tests {
		got, _, err, rest := readData(tt.in+"QUIT\r\n", 1<<20)
		if err != nil || got != tt.want || rest != "QUIT\r\n" {
			t.Errorf("%s: %q %v, rest %q; want %q", tt.name, got, err, rest, tt.want)
		}
	}
}

// Each line is reported as sent: dots still doubled, the ending noted.
func TestReadDataLines(t *testing.T) {
	_, lines, err, _ := readData("Subject: x\r\n..dot\nplain\r\n.\r\n", 1000)
	if err != nil || len(lines) != 4 {
		t.Fatalf("%v %+v", err, lines)
	}
	want := []DataLine{
		{Text: []byte("Subject: x"), Len: 10},
		{Text: []byte("..dot"), Len: 5, BareLF: true, Stuffed: true},
		{Text: []byte("plain"), Len: 5},
		{Text: []byte("."), Len: 1, End: true},
	}
	for i, l := range lines {
		w := want[i]
		if string(l.Text) != string(w.Text) || l.Len != w.Len || l.BareLF != w.BareLF || l.Stuffed != w.Stuffed || l.End != w.End {
			t.Errorf("line %d: %+v, want %+v", i, l, w)
		}
	}
	m := NewMessage(1000)
	ReadData(bufio.NewReader(strings.NewReader("a\nb\n.\r\n")), m, nil)
	if m.BareLF() != 2 || len(m.Notes()) != 1 || m.Notes()[0].Key != "data.barelf" {
		t.Errorf("bare LF count %d, notes %v", m.BareLF(), m.Notes())
	}
}

// RFC 5321 section 4.5.3.1.6: a text line is at most 1000 octets with its
// CRLF, a doubled dot not counted. A longer line is read to its end, the
// message to its final dot, and then refused with 500.
func TestReadDataLineLimit(t *testing.T) {
	ok := strings.Repeat("x", 998)
	if got, _, err, _ := readData(ok+"\r\n.\r\n", 1<<20); err != nil || got != ok+"\r\n" {
		t.Errorf("998 octets: %v", err)
	}
	if _, _, err, _ := readData("."+ok+"\r\n.\r\n", 1<<20); err != nil {
		t.Errorf("998 octets after a doubled dot: %v", err)
	}
	for _, n := range []int{999, 100000} {
		in := strings.Repeat("y", n) + "\r\nnext\r\n.\r\nQUIT\r\n"
		got, lines, err, rest := readData(in, 1<<20)
		if firstLine(err) != "500 5.6.0 Line too long" || got != "" || rest != "QUIT\r\n" {
			t.Errorf("%d octets: %v, message %q, rest %q", n, err, got, rest)
		}
		if len(lines) != 3 || lines[0].Len != n || len(lines[0].Text) != min(n, maxTextLine) {
			t.Errorf("%d octets: first line reported as %d octets, %d kept", n, lines[0].Len, len(lines[0].Text))
		}
		var r *Reply
		errors.As(err, &r)
		if r.Why.Args[0] != 1 || r.Why.Args[1] != n+2 {
			t.Errorf("%d octets: explained with %v", n, r.Why.Args)
		}
	}
}

// A message over the limit is read to its end and refused with 552; the
// server never holds more than the limit.
func TestReadDataTooBig(t *testing.T) {
	const max = 100
	got, _, err, rest := readData(strings.Repeat("0123456789\r\n", 20)+".\r\nQUIT\r\n", max)
	if firstLine(err) != "552 5.3.4 Message size exceeds fixed limit" || got != "" || rest != "QUIT\r\n" {
		t.Errorf("%v %q %q", err, got, rest)
	}
	exact := strings.Repeat("x", max-2) + "\r\n"
	if got, _, err, _ := readData(exact+".\r\n", max); err != nil || got != exact {
		t.Errorf("exactly %d octets: %v", max, err)
	}
}

// lines produces n lines of text and then the final dot, without ever
// holding them: a client sending far more than the limit.
type lines struct {
	n    int
	line []byte
	buf  []byte
}

func (l *lines) Read(p []byte) (int, error) {
	for len(l.buf) < len(p) && l.n > 0 {
		l.buf = append(l.buf, l.line...)
		l.n--
		if l.n == 0 {
			l.buf = append(l.buf, ".\r\n"...)
		}
	}
	if len(l.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, l.buf)
	l.buf = l.buf[:copy(l.buf, l.buf[n:])]
	return n, nil
}

// repeat is an endless run of one octet.
type repeat byte

func (r repeat) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

func TestReadDataMemory(t *testing.T) {
	const max = 64 << 10
	src := &lines{n: 400000, line: []byte(strings.Repeat("z", 70) + "\r\n")} // 28.8 MB
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m := NewMessage(max)
	err := ReadData(bufio.NewReader(src), m, func(DataLine) {})
	runtime.ReadMemStats(&after)
	if firstLine(err) != "552 5.3.4 Message size exceeds fixed limit" || m.Size() != 400000*72 {
		t.Fatalf("%v, size %d", err, m.Size())
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4*max+(64<<10) {
		t.Errorf("allocated %d octets reading a %d-octet message with a %d-octet limit", alloc, m.Size(), max)
	}
	// A 1 MB line is not kept either.
	long := io.MultiReader(io.LimitReader(repeat('w'), 1<<20), strings.NewReader("\r\n.\r\n"))
	runtime.ReadMemStats(&before)
	err = ReadData(bufio.NewReader(long), NewMessage(max), nil)
	runtime.ReadMemStats(&after)
	if firstLine(err) != "552 5.3.4 Message size exceeds fixed limit" {
		t.Errorf("a 1 MB line: %v", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("allocated %d octets for a 1 MB line", alloc)
	}
}

func TestReadDataEOF(t *testing.T) {
	for _, in := range []string{"", "no end\r\n", "almost\r\n.", "a\r\n.x"} {
		if _, _, err, _ := readData(in, 1000); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("%q: %v", in, err)
		}
	}
}

// BDAT chunks are exact octet counts: no dot-stuffing, no end marker.
func TestReadChunk(t *testing.T) {
	br := bufio.NewReader(strings.NewReader("line\r\n.\r\n..x\r\nBDAT 5 LAST\r\n"))
	m := NewMessage(1000)
	var got []string
	err := ReadChunk(br, 14, m, func(l DataLine) { got = append(got, string(l.Text)) })
	if err != nil || string(m.Bytes()) != "line\r\n.\r\n..x\r\n" {
		t.Errorf("%v %q", err, m.Bytes())
	}
	if strings.Join(got, "|") != "line|.|..x" {
		t.Errorf("lines %q", got)
	}
	if rest, _ := br.ReadString('\n'); rest != "BDAT 5 LAST\r\n" {
		t.Errorf("rest %q", rest)
	}
	// A chunk ending inside a line reports the piece as partial.
	var parts []DataLine
	ReadChunk(strings.NewReader("ab\ncd"), 5, NewMessage(100), func(l DataLine) { parts = append(parts, l) })
	if len(parts) != 2 || !parts[1].Partial || string(parts[1].Text) != "cd" {
		t.Errorf("partial: %+v", parts)
	}
	// Over the limit: the whole chunk is still read.
	br = bufio.NewReader(strings.NewReader(strings.Repeat("x", 500) + "QUIT\r\n"))
	m = NewMessage(100)
	err = ReadChunk(br, 500, m, nil)
	if firstLine(err) != "552 5.3.4 Chunk exceeds message size limit" || m.Bytes() != nil {
		t.Errorf("%v", err)
	}
	if rest, _ := br.ReadString('\n'); rest != "QUIT\r\n" {
		t.Errorf("rest %q", rest)
	}
	if err := ReadChunk(strings.NewReader("short"), 10, NewMessage(100), nil); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("short chunk: %v", err)
	}
}

// What the dot-stuffing writer sends, ReadData reads back, with LF line
// endings made CRLF.
func TestDotWriterRoundTrip(t *testing.T) {
	in := "Subject: dots\n\n.leading\n..two\n.\nlast"
	var wire bytes.Buffer
	w := NewDotWriter(&wire)
	io.WriteString(w, in)
	w.Close()
	if !strings.HasSuffix(wire.String(), "\r\n.\r\n") || !strings.Contains(wire.String(), "\r\n..leading\r\n...two\r\n..\r\n") {
		t.Errorf("wire %q", wire.String())
	}
	got, _, err, _ := readData(wire.String(), 1000)
	if want := strings.ReplaceAll(in, "\n", "\r\n") + "\r\n"; err != nil || got != want {
		t.Errorf("read back %q %v, want %q", got, err, want)
	}
}
