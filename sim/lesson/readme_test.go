package lesson

import (
	"os"
	"strings"
	"testing"
)

// TestREADMEExampleLesson keeps the README's lesson example true: it loads
// and its solutions complete every step, as labctl check would report.
func TestREADMEExampleLesson(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Lessons\n")
	if !ok {
		t.Fatal(`README.md has no "## Lessons" section`)
	}
	_, block, ok := strings.Cut(section, "```yaml\n")
	if !ok {
		t.Fatal("the Lessons section has no yaml example")
	}
	block, _, _ = strings.Cut(block, "```")
	l, err := Parse("stat-and-dele.yaml", []byte(block))
	if err != nil {
		t.Fatal(err)
	}
	if err := Replay(l); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(section, "ok   stat-and-dele.yaml ("+l.ID+", 2 steps)") || len(l.Steps) != 2 {
		t.Errorf("the README's labctl output does not match the example (%s, %d steps)", l.ID, len(l.Steps))
	}
}
