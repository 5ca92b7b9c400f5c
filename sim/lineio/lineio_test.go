package lineio

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
)

// readAll reads lines until io.EOF; an over-long line reads as "<too long>".
func readAll(t *testing.T, in string, max int) []string {
	t.Helper()
	r := NewReader(strings.NewReader(in), max)
	var out []string
	for {
		line, err := r.ReadLine()
		switch {
		case errors.Is(err, io.EOF):
			return out
		case errors.Is(err, ErrTooLong):
			out = append(out, "<too long>")
		case err != nil:
			t.Fatalf("%q: %v", in, err)
		default:
			out = append(out, string(line))
		}
	}
}

func TestLineEndings(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"USER melanie\r\nPASS toybox\r\n", []string{"USER melanie", "PASS toybox"}},
		{"USER melanie\nSTAT", []string{"USER melanie", "STAT"}},
		// A telnet in character mode sends CR NUL for Enter (RFC 854).
		{"USER melanie\r\x00PASS toybox\r\x00", []string{"USER melanie", "PASS toybox"}},
		{"NOOP\r\x00\r\nSTAT\r\n", []string{"NOOP", "", "STAT"}},
		// NUL elsewhere is a byte of the line, for the session to refuse.
		{"ST\x00AT\r\n", []string{"ST\x00AT"}},
		{"\xff\xfd\x03USER a\r\x00", []string{"USER a"}},
		{strings.Repeat("x", 20) + "\r\x00NOOP\r\x00", []string{"<too long>", "NOOP"}},
	} {
		if got := readAll(t, c.in, 16); !slices.Equal(got, c.want) {
			t.Errorf("%q: lines %q, want %q", c.in, got, c.want)
		}
	}
}

func TestOverlongKeepsItsStart(t *testing.T) {
	for _, end := range []string{"\r\n", "\n", "\r\x00"} {
		r := NewReader(strings.NewReader("a1 LOGIN "+strings.Repeat("x", 30)+end+"NOOP\r\n"), 16)
		if _, err := r.ReadLine(); !errors.Is(err, ErrTooLong) {
			t.Fatalf("%q: %v, want ErrTooLong", end, err)
		}
		if start, n := r.Overlong(); string(start) != "a1 LOGIN xxxxxxx" || n != 39 {
			t.Errorf("%q: Overlong %q, %d", end, start, n)
		}
		if l, err := r.ReadLine(); err != nil || string(l) != "NOOP" {
			t.Errorf("%q: next line %q, %v", end, l, err)
		}
	}
}

func TestPrintableShowsC1AndNonUTF8BytesInHex(t *testing.T) {
	for in, want := range map[string]string{
		"plain\tline":               "plain\tline",
		"Привет":                    "Привет",
		"X\x07\x00\u009b31mY":       `X^G^@\x9b31mY`,
		"\xf0\xd2\xc9\xd7\xc5\xd4!": `\xf0\xd2\xc9\xd7\xc5\xd4!`,
		"a\x1b]0;t\x07":             "a^[]0;t^G",
		"\xc2":                      `\xc2`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}
