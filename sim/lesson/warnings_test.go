package lesson

import (
	"strings"
	"testing"
)

// A `:command` in a text is warned about unless it is a lab action the
// page can show as its button: labctl play's own commands are not, nor
// the mail path's actions in a lesson without one.
func TestWarningsNameTextsWithCommandsThePageCannotDo(t *testing.T) {
	src := `id: w
title: {en: W}
protocol: pop3
level: 1
fixture:
  accounts: [{user: melanie, password: toybox}]
steps:
  - text: {en: "Open **phone** (` + "`:connect phone`" + `), or a POP3 one (` + "`:connect pop pop3`" + `); cut it: ` + "`:drop phone`" + `."}
    goals: [{state: transaction}]
    hints:
      - {en: "See the goals (` + "`:goals`" + `)."}
    explanation: {en: "Then ` + "`:wait 5m`" + `."}
    solution: [USER melanie, PASS toybox]
`
	l, err := Parse("w.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range l.Warnings() {
		got = append(got, w.Msg)
	}
	all := strings.Join(got, "\n")
	if len(got) != 2 || !strings.Contains(all, "`:goals` in its text (en)") || !strings.Contains(all, "`:wait 5m` in its text (en)") {
		t.Errorf("warnings:\n%s", all)
	}
	if strings.Contains(all, "`:connect") || strings.Contains(all, "`:drop") {
		t.Errorf("a lab action was warned about:\n%s", all)
	}
}
