package lesson

import (
	"fmt"
	"strings"
)

// parseAction reads a lab action line: ":connect [NAME]", ":drop [NAME]"
// or ":use NAME". The default NAME is "main", the learner's first terminal.
func parseAction(line string) (verb, name string, err error) {
	f := strings.Fields(strings.TrimPrefix(line, ":"))
	if len(f) == 0 || len(f) > 2 {
		return "", "", fmt.Errorf("lab action %q: use :connect [NAME], :drop [NAME] or :use NAME", line)
	}
	verb, name = f[0], "main"
	if len(f) == 2 {
		name = f[1]
	}
	switch verb {
	case "connect", "drop":
	case "use":
		if len(f) != 2 {
			return "", "", fmt.Errorf("lab action %q: :use needs a session name", line)
		}
	default:
		return "", "", fmt.Errorf("lab action %q: unknown; use :connect [NAME], :drop [NAME] or :use NAME", line)
	}
	return verb, name, nil
}
