package wire

import (
	"fmt"
	"testing"
)

// RETURN's options (RFC 4731, RFC 5267, RFC 5182): RETURN () and RETURN
// (CONTEXT) mean ALL, PARTIAL's range in either order, PARTIAL with ALL
// and malformed ranges refused.
func TestReturn(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"ALL", "{Given:false}"},
		{"RETURN () ALL", "{Given:true All}"},
		{"return (min MAX count) ALL", "{Given:true Min Max Count}"},
		{"RETURN (CONTEXT) ALL", "{Given:true All Context}"},
		{"RETURN (SAVE) ALL", "{Given:true Save}"},
		{"RETURN (UPDATE COUNT) ALL", "{Given:true Count Update}"},
		{"RETURN (PARTIAL 9:3) ALL", "{Given:true Partial 3:9}"},
		{"RETURN (PARTIAL 1:2 ALL) ALL", "error"},
		{"RETURN (PARTIAL 0:2) ALL", "error"},
		{"RETURN (PARTIAL 1) ALL", "error"},
		{"RETURN (PARTIAL 1:*) ALL", "error"},
		{"RETURN (PARTIAL *:1) ALL", "error"},
		{"RETURN (FIRST) ALL", "error"},
		{"RETURN MIN ALL", "error"},
	} {
		d := decoder(tc.in)
		var r ReturnOpts
		got := ""
		if err := d.Parse(func() { r = d.Return() }); err != nil {
			got = "error"
		} else {
			got = fmt.Sprintf("{Given:%v", r.Given)
			for _, f := range []struct {
				on   bool
				name string
			}{{r.All, "All"}, {r.Min, "Min"}, {r.Max, "Max"}, {r.Count, "Count"}, {r.Save, "Save"}, {r.Context, "Context"}, {r.Update, "Update"}} {
				if f.on {
					got += " " + f.name
				}
			}
			if r.Partial != nil {
				got += fmt.Sprintf(" Partial %d:%d", r.Partial.Lo, r.Partial.Hi)
			}
			got += "}"
		}
		if got != tc.want {
			t.Errorf("%q: %s, want %s", tc.in, got, tc.want)
		}
	}
}

// SORT's criteria (RFC 5256, RFC 5957): REVERSE before one key, at least
// one key, no unknown ones.
func TestSortCriteria(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"(ARRIVAL)", "[{ARRIVAL false}]"},
		{"(reverse date Subject displayfrom)", "[{DATE true} {SUBJECT false} {DISPLAYFROM false}]"},
		{"()", "error"}, {"(REVERSE)", "error"}, {"(DATE REVERSE)", "error"}, {"(COLOUR)", "error"}, {"DATE", "error"},
	} {
		d := decoder(tc.in)
		var keys []SortKey
		got := ""
		if err := d.Parse(func() { keys = d.SortCriteria() }); err != nil {
			got = "error"
		} else {
			got = fmt.Sprint(keys)
		}
		if got != tc.want {
			t.Errorf("%q: %s, want %s", tc.in, got, tc.want)
		}
	}
}

// "$" is a sequence set of its own (RFC 5182), also as a search key.
func TestSavedSet(t *testing.T) {
	d := decoder("$ UID $ $")
	var keys []SearchKey
	if err := d.Parse(func() { keys = d.SearchKeys() }); err != nil {
		t.Fatal(err)
	}
	if len(keys) != 3 || !keys[0].Set.IsSaved() || keys[1].Key != "UID" || !keys[1].Set.IsSaved() || keys[2].Set.String() != "$" {
		t.Errorf("keys %+v", keys)
	}
	if (NumSet{{Lo: 1, Hi: 2}}).IsSaved() {
		t.Error("1:2 taken for $")
	}
}
