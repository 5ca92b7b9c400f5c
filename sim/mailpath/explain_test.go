package mailpath_test

import (
	"strings"
	"testing"
	"time"

	"maillab/sim/catalog"
	"maillab/sim/mailpath"
)

// Every journey event is explained in every language, with all its
// arguments filled in.
func TestExplainEveryKind(t *testing.T) {
	l, _ := newLab(t, nil)
	l.SetDown("mx1.example.org", true)
	submit(t, l, "example.net", "mrose", "tanstaaf", "mrose@example.net", []string{"melanie@example.org", "nobody@example.org", "someone@example.com"}, "Subject: x\r\n\r\nx\r\n")
	l.Step(5 * time.Hour)
	seen := map[mailpath.Kind]bool{}
	for _, e := range l.Events("") {
		seen[e.Kind] = true
		for _, lang := range catalog.Languages() {
			s := mailpath.Explain(lang, e)
			if s == "" || strings.Contains(s, "%!") || strings.Contains(s, "[mailpath:") {
				t.Errorf("%s %s: %q", lang, e.Kind, s)
			}
		}
	}
	for _, k := range []mailpath.Kind{mailpath.Submitted, mailpath.Lookup, mailpath.Unreachable, mailpath.Hop, mailpath.Relayed,
		mailpath.Delivered, mailpath.Deferred, mailpath.Bounced, mailpath.Delayed} {
		if !seen[k] {
			t.Errorf("no %s event in the run", k)
		}
	}
}
