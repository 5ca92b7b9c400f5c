package mime

import (
	"strings"
	"testing"
)

// BenchmarkParseEnvelopeBodyStructure is what FETCH (ENVELOPE BODYSTRUCTURE)
// costs for a message not fetched before: one parse, then both answers.
func BenchmarkParseEnvelopeBodyStructure(b *testing.B) {
	_, raw := parseFile(b, "mixed")
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		e, _ := Parse(raw)
		_ = e.Envelope()
		_ = e.BodyStructure(true)
	}
}

func BenchmarkParse(b *testing.B) {
	_, raw := parseFile(b, "mixed")
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		Parse(raw)
	}
}

// BenchmarkBuildEnvelope and BenchmarkBuildBodyStructure are the cost of
// building the wire forms from a parsed message (done once per message;
// later FETCHes get the kept string).
func BenchmarkBuildEnvelope(b *testing.B) {
	e, _ := parseFile(b, "mixed")
	b.ReportAllocs()
	for b.Loop() {
		var s strings.Builder
		e.writeEnvelope(&s)
	}
}

func BenchmarkBuildBodyStructure(b *testing.B) {
	e, _ := parseFile(b, "mixed")
	b.ReportAllocs()
	for b.Loop() {
		var s strings.Builder
		e.writeBodyStructure(&s, true)
	}
}

// BenchmarkFetchAgain is ENVELOPE and BODYSTRUCTURE of a message fetched
// before.
func BenchmarkFetchAgain(b *testing.B) {
	e, _ := parseFile(b, "mixed")
	b.ReportAllocs()
	for b.Loop() {
		_, _ = e.Envelope(), e.BodyStructure(true)
	}
}

// BenchmarkSearchText is SEARCH TEXT on one parsed message: decode header
// and body text (KOI8-R here) and match case-insensitively.
func BenchmarkSearchText(b *testing.B) {
	e, _ := parseFile(b, "koi8")
	b.ReportAllocs()
	for b.Loop() {
		if !ContainsFold(e.Text(HeaderText), "привет") && !ContainsFold(e.Text(BodyText), "привет") {
			b.Fatal("no match")
		}
	}
}
