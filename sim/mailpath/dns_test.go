package mailpath_test

import (
	"strings"
	"testing"

	"maillab/sim/mailpath"
)

func TestDigMX(t *testing.T) {
	l, _ := newLab(t, nil)
	got := l.DNS().Dig("example.org", "mx")
	want := `; <<>> lab dig <<>> example.org MX
;; ->>HEADER<<- opcode: QUERY, status: NOERROR
;; QUESTION SECTION:
;example.org.			IN	MX

;; ANSWER SECTION:
example.org.		3600	IN	MX	10 mx1.example.org.
example.org.		3600	IN	MX	20 mx2.example.org.

;; ADDITIONAL SECTION:
mx1.example.org.		3600	IN	A	192.0.2.10
mx2.example.org.		3600	IN	A	192.0.2.20
`
	if got != want {
		t.Errorf("dig:\n%s\nwant:\n%s", got, want)
	}
	for q, status := range map[[2]string]string{
		{"nowhere.example", "MX"}: "NXDOMAIN", {"mx.example.net", "A"}: "NOERROR", {"198.51.100.10", "PTR"}: "NOERROR", {"example.org", "TXT"}: "NOTIMP",
	} {
		if out := l.DNS().Dig(q[0], q[1]); !strings.Contains(out, "status: "+status) {
			t.Errorf("dig %s %s:\n%s", q[0], q[1], out)
		}
	}
	if out := l.DNS().Dig("198.51.100.10", "PTR"); !strings.Contains(out, "PTR\tmx.example.net.") {
		t.Errorf("PTR:\n%s", out)
	}
}

// RFC 5321 section 5.1: without MX records the domain's own A record is
// the implicit MX.
func TestImplicitMX(t *testing.T) {
	top, err := mailpath.ParseTopology([]byte(`
domains:
  - name: example.org
    users: [melanie]
  - name: example.net
    users: [mrose]
hosts:
  - {name: example.org, a: 192.0.2.1}
`))
	if err != nil {
		t.Fatal(err)
	}
	l, _ := newLab(t, top)
	mx, ok := l.DNS().LookupMX("example.org")
	if !ok || len(mx) != 1 || mx[0].Host != "example.org" {
		t.Errorf("implicit MX: %v %v", mx, ok)
	}
}

func TestTopologyChecked(t *testing.T) {
	for _, src := range []string{
		"domains: []",
		"domains: [{name: 'bad domain'}]",
		"domains: [{name: a.example, users: [melanie]}, {name: b.example, users: [melanie]}]",
		"domains: [{name: a.example, mx: [{host: mx.a.example, priority: 70000}]}]",
		"domains: [{name: a.example}]\nhosts: [{name: mx.a.example, a: 300.1.1.1}]",
		"domains: [{name: a.example}]\nfaults: [{host: mx.a.example, command: RCPT, reply: '250 ok'}]",
		"domains: [{name: a.example}]\nqueue: {retry: soon}",
		"domains: [{name: a.example, aliases: \"x: |/bin/sh\"}]",
		"domains: [{name: a.example}]\nextra: 1",
	} {
		if _, err := mailpath.ParseTopology([]byte(src)); err == nil {
			t.Errorf("accepted:\n%s", src)
		}
	}
	// A user must have an account.
	top, err := mailpath.ParseTopology([]byte("domains: [{name: a.example, users: [ghost]}]"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mailpath.New(top, mailpath.Options{Store: storeOf(t)}); err == nil || !strings.Contains(err.Error(), "ghost") {
		t.Errorf("a user without an account: %v", err)
	}
}

func TestDemoTopology(t *testing.T) {
	top := mailpath.Demo()
	if len(top.Domains) != 3 || len(top.Domains[2].Users) != 0 {
		t.Fatalf("the demo has two domains and an outside one: %+v", top.Domains)
	}
	if _, err := mailpath.ParseTopology([]byte(mailpath.DemoYAML())); err != nil {
		t.Fatal(err)
	}
}

// What a learner types never reaches the terminal raw.
func TestDigNoControl(t *testing.T) {
	l, _ := newLab(t, nil)
	out := l.DNS().Dig("evil\x1b[2J.example", "M\x1bX")
	if strings.ContainsRune(out, 0x1b) || !strings.Contains(out, "FORMERR") {
		t.Errorf("%q", out)
	}
	if out := l.DNS().Dig("example.org", "\x1b[2J"); strings.ContainsRune(out, 0x1b) {
		t.Errorf("%q", out)
	}
}
