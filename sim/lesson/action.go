package lesson

import (
	"fmt"
	"strings"

	"maillab/sim/proto"
)

// parseAction reads a lab action line: ":connect [NAME [PROTOCOL]]",
// ":drop [NAME]" or ":use NAME". The default NAME is "main", the learner's
// first terminal; the default PROTOCOL is the lesson's, and another one
// opens a terminal of it beside (send in SMTP, fetch in POP3).
func parseAction(line string) (verb, name, protoName string, err error) {
	f := strings.Fields(strings.TrimPrefix(line, ":"))
	if len(f) == 0 || len(f) > 3 || len(f) == 3 && f[0] != "connect" {
		return "", "", "", fmt.Errorf("lab action %q: use :connect [NAME [PROTOCOL]], :drop [NAME] or :use NAME", line)
	}
	verb, name = f[0], "main"
	if len(f) >= 2 {
		name = f[1]
	}
	switch verb {
	case "connect":
		if len(f) == 3 {
			protoName = strings.ToLower(f[2])
			if _, ok := proto.Get(protoName); !ok {
				return "", "", "", fmt.Errorf("lab action %q: no protocol %q (%s)", line, f[2], strings.Join(proto.Names(), ", "))
			}
		}
	case "drop":
	case "use":
		if len(f) != 2 {
			return "", "", "", fmt.Errorf("lab action %q: :use needs a session name", line)
		}
	default:
		return "", "", "", fmt.Errorf("lab action %q: unknown; use :connect [NAME [PROTOCOL]], :drop [NAME] or :use NAME", line)
	}
	return verb, name, protoName, nil
}
