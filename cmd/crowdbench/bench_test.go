package main

import (
	"os"
	"strings"
	"testing"
)

// BenchmarkBesideDovecot is crowdbench's measurement as a benchmark: one
// interleaved round per iteration, each number reported as a metric of
// its own (labserver's and Dovecot's side by side). It takes a few
// minutes; make bench runs it.
func BenchmarkBesideDovecot(b *testing.B) {
	bin, err := buildLabserver()
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(strings.TrimSuffix(bin, "/labserver"))
	sums := map[string]float64{}
	for i := 0; b.Loop(); i++ {
		ms, err := Round(Config{Labserver: bin}, i, os.Stderr)
		if err != nil {
			b.Fatal(err)
		}
		for _, m := range ms {
			sums[metricName(m)] += m.Value
		}
	}
	for k, v := range sums {
		b.ReportMetric(v/float64(b.N), k)
	}
}

// metricName makes a benchmark unit of a metric: no spaces.
func metricName(m Metric) string {
	r := strings.NewReplacer(" ", "_", ",", "", "(", "", ")", "", ":", "")
	return r.Replace(m.Server+"_"+m.Name) + "_" + m.Unit
}
