package main

import (
	"io"
	"math/rand/v2"
	"strings"
)

// benchWords are what the benchmarks' generated messages say.
var benchWords = strings.Fields("lecture protocol mailbox server client message folder teacher student exam notes session answer command state flag draft")

// benchText is k words drawn from benchWords, perLine to a line, ending
// with a line break.
func benchText(rng *rand.Rand, k, perLine int) string {
	var s strings.Builder
	for i := range k {
		s.WriteString(benchWords[rng.IntN(len(benchWords))])
		if i%perLine == perLine-1 {
			s.WriteString("\n")
		} else {
			s.WriteString(" ")
		}
	}
	return s.String() + "\n"
}

// writeBenchBody writes a generated message's body after its last header
// field: with attachLines > 0, a multipart/mixed of the text and that
// many lines of a base64 attachment (line), else the text alone.
func writeBenchBody(w io.StringWriter, text string, attachLines int, line string) {
	if attachLines == 0 {
		w.WriteString("Content-Type: text/plain; charset=utf-8\n\n" + text)
		return
	}
	w.WriteString("Content-Type: multipart/mixed; boundary=\"part\"\n\n--part\nContent-Type: text/plain; charset=utf-8\n\n")
	w.WriteString(text)
	w.WriteString("--part\nContent-Type: application/octet-stream; name=\"notes.bin\"\nContent-Transfer-Encoding: base64\n\n")
	for range attachLines {
		w.WriteString(line + "\n")
	}
	w.WriteString("--part--\n")
}
