package main

import (
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
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

// benchServer is a server a side-by-side benchmark starts on a Maildir:
// its address, its processes and how to stop it.
type benchServer struct {
	name  string
	start func(t testing.TB, dir string) (addr string, pids func() []int, stop func())
}

// sideBySide runs rounds of run on both servers, alternating which goes
// first, so that the machine's load weighs on both alike, and gives each
// server's results by its name.
func sideBySide[R any](rounds int, servers [2]benchServer, run func(round int, s benchServer) R) map[string][]R {
	res := map[string][]R{}
	for r := range rounds {
		order := []int{0, 1}
		if r%2 == 1 {
			order = []int{1, 0}
		}
		for _, i := range order {
			s := servers[i]
			res[s.name] = append(res[s.name], run(r, s))
		}
	}
	return res
}

// medianOf is the median of get over results.
func medianOf[R any](results []R, get func(R) float64) float64 {
	v := make([]float64, 0, len(results))
	for _, r := range results {
		v = append(v, get(r))
	}
	slices.Sort(v)
	return v[len(v)/2]
}
