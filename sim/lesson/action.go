package lesson

import (
	"fmt"
	"strings"
	"time"

	"maillab/sim/proto"
)

// parseAction reads a lab action line: ":connect [NAME [PROTOCOL]]",
// ":drop [NAME]", ":use NAME", ":wait DURATION" (lab time passes on
// the mail path; NAME is then the duration) or ":mailq" (the host shows
// the mail path's queue; it changes nothing). The default NAME is "main", the learner's
// first terminal; the default PROTOCOL is the lesson's, and another one
// opens a terminal of it beside (send in SMTP, fetch in POP3).
func parseAction(line string) (verb, name, protoName string, err error) {
	f := strings.Fields(strings.TrimPrefix(line, ":"))
	if len(f) == 0 || len(f) > 3 || len(f) == 3 && f[0] != "connect" || len(f) > 1 && f[0] == "mailq" {
		return "", "", "", fmt.Errorf("lab action %q: use :connect [NAME [PROTOCOL]], :drop [NAME], :use NAME, :wait DURATION or :mailq", line)
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
	case "drop", "mailq":
	case "use":
		if len(f) != 2 {
			return "", "", "", fmt.Errorf("lab action %q: :use needs a session name", line)
		}
	case "wait":
		if _, err := ParseWait(strings.Join(f[1:], " ")); err != nil {
			return "", "", "", fmt.Errorf("lab action %q: %v", line, err)
		}
	default:
		return "", "", "", fmt.Errorf("lab action %q: unknown; use :connect [NAME [PROTOCOL]], :drop [NAME], :use NAME, :wait DURATION or :mailq", line)
	}
	return verb, name, protoName, nil
}

// MaxWait is the longest a :wait lets lab time pass at once: the
// queue's default lifetime of five days and a day more.
const MaxWait = 6 * 24 * time.Hour

// ParseWait reads the duration of ":wait DURATION" (Go's form: 5m, 90s,
// 4h30m), from a second to MaxWait.
func ParseWait(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil || d < time.Second || d > MaxWait {
		return 0, fmt.Errorf(":wait needs a duration from 1s to %s, e.g. :wait 5m", "144h")
	}
	return d, nil
}
