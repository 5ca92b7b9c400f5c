package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestFlagDefaults(t *testing.T) {
	cfg, err := parseFlags(nil, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.listen["pop3"] != "127.0.0.1:1110" || cfg.listen["imap"] != "127.0.0.1:1143" || cfg.http != "127.0.0.1:8080" {
		t.Errorf("default addresses %q %q %q", cfg.listen["pop3"], cfg.listen["imap"], cfg.http)
	}
	if enabled(cfg.listen["pop3s"]) || enabled(cfg.listen["imaps"]) {
		t.Error("implicit-TLS listeners should be off by default")
	}
	if cfg.maxConns != 100 || cfg.idle != 0 || cfg.lang != "en" {
		t.Errorf("defaults: max-conns %d idle %v lang %q", cfg.maxConns, cfg.idle, cfg.lang)
	}
}

func TestFlagErrorsTeach(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-persist"}, "-persist needs -maildir"},
		{[]string{"-tls-cert", "c.pem"}, "-tls-cert and -tls-key go together"},
		{[]string{"-lang", "de"}, "choose one of en, ru, sk"},
		{[]string{"-max-conns", "0"}, "at least 1"},
		{[]string{"-idle", "-1s"}, "negative"},
		{[]string{"pop3"}, "every setting is a flag"},
		{[]string{"-apop-timestamp", "foo"}, "-apop-timestamp: \"foo\" is not in angle brackets; want the form <process-ID.clock@hostname>"},
		{[]string{"-apop-timestamp", "<a b>"}, "only printable ASCII without spaces"},
		{[]string{"-apop-timestamp", "<1.2@x>\r\n+OK injected <3.4@y>"}, "only printable ASCII"},
		{[]string{"-apop-timestamp", "<1.2@x\r\n>"}, "only printable ASCII"},
		{[]string{"-apop-timestamp", "<1896.697170952>"}, "no local part@host"},
		{[]string{"-apop-timestamp", "<@host>"}, "no local part@host"},
		{[]string{"-apop-timestamp", "<" + strings.Repeat("1", 300) + "@x>"}, "longer than 255"},
	} {
		_, err := parseFlags(tc.args, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want an error with %q", tc.args, err, tc.want)
		}
	}
}

func TestFlagHelp(t *testing.T) {
	var out bytes.Buffer
	_, err := parseFlags([]string{"-h"}, &out)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("got %v, want flag.ErrHelp", err)
	}
	for _, f := range []string{"-pop3 ADDR", "-pop3s ADDR", "-imap ADDR", "-imaps ADDR", "-http ADDR", "-maildir DIR", "-persist",
		"-tls-cert FILE", "-tls-key FILE", "-max-conns N", "-idle DURATION", "-apop-timestamp TIMESTAMP", "-lang LANG", "-log-level LEVEL", "-lessons DIR", "telnet 127.0.0.1 1110"} {
		if !strings.Contains(out.String(), f) {
			t.Errorf("help lacks %q:\n%s", f, out.String())
		}
	}
}

func TestFlagValues(t *testing.T) {
	cfg, err := parseFlags([]string{"-pop3", "off", "-idle", "90s", "-log-level", "debug", "-lang", "sk",
		"-apop-timestamp", "<1896.697170952@dbc.mtview.ca.us>"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if enabled(cfg.listen["pop3"]) || cfg.idle != 90*time.Second || cfg.logLevel.String() != "DEBUG" || cfg.lang != "sk" {
		t.Errorf("parsed %+v", cfg)
	}
}

func TestBannerSaysWhereToConnect(t *testing.T) {
	l := startLab(t, testConfig(t))
	_, port := hostPort(t, l.pop3Addr())
	for _, want := range []string{"telnet 127.0.0.1 " + port, "melanie", "toybox", "http://" + l.app.webAddr() + "/", "SHA-256"} {
		if !strings.Contains(l.banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, l.banner)
		}
	}
}

func TestAddressInUse(t *testing.T) {
	l := startLab(t, testConfig(t))
	cfg := testConfig(t, "-pop3", l.pop3Addr())
	_, err := newApp(cfg, discardLogger())
	if err == nil || !strings.Contains(err.Error(), "-pop3") || !strings.Contains(err.Error(), "another labserver") {
		t.Fatalf("got %v, want an error naming the -pop3 flag and asking for another labserver", err)
	}
}

// A malformed address is no sign of another labserver: the error asks
// for HOST:PORT instead.
func TestBadListenAddress(t *testing.T) {
	for _, addr := range []string{"bogus", "127.0.0.1:99999"} {
		_, err := newApp(testConfig(t, "-pop3", addr), discardLogger())
		if err == nil || !strings.Contains(err.Error(), "-pop3 HOST:PORT") || strings.Contains(err.Error(), "another labserver") {
			t.Errorf("-pop3 %s: got %v", addr, err)
		}
	}
}

func TestDialable(t *testing.T) {
	for in, want := range map[string]string{"0.0.0.0:1110": "127.0.0.1:1110", "[::]:1143": "127.0.0.1:1143", "127.0.0.1:8080": "127.0.0.1:8080", "[::1]:1110": "[::1]:1110"} {
		if got := dialable(in); got != want {
			t.Errorf("dialable(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestREADMEListsEveryFlag keeps the README's flag table true: every flag
// of labserver -h has a row, every row names a real flag, and a default
// the help shows is the one the table gives.
func TestREADMEListsEveryFlag(t *testing.T) {
	var out bytes.Buffer
	parseFlags([]string{"-h"}, &out)
	have := map[string]bool{}
	defaults := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^  (-[a-z0-9-]+)((?:.|\n    )*?)\(default "?([^")]*)"?\)$`).FindAllStringSubmatch(out.String(), -1) {
		defaults[m[1]] = m[3]
	}
	for _, m := range regexp.MustCompile(`(?m)^  (-[a-z0-9-]+)`).FindAllStringSubmatch(out.String(), -1) {
		have[m[1]] = true
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## labserver flags\n")
	if !ok {
		t.Fatal("README.md has no \"## labserver flags\" section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	documented := map[string]bool{}
	for _, row := range regexp.MustCompile("(?m)^\\| (`-[^|]+)\\| ([^|]+) \\|").FindAllStringSubmatch(section, -1) {
		for _, m := range regexp.MustCompile("`(-[a-z0-9-]+)").FindAllStringSubmatch(row[1], -1) {
			documented[m[1]] = true
			if d, ok := defaults[m[1]]; ok && row[2] != "`"+d+"`" {
				t.Errorf("README gives %s the default %s, labserver -h %q", m[1], row[2], d)
			}
		}
	}
	if len(defaults) < 8 {
		t.Errorf("found only %d defaults in the help: %v", len(defaults), defaults)
	}
	if len(have) < 10 {
		t.Fatalf("found only %d flags in the help:\n%s", len(have), out.String())
	}
	for f := range have {
		if !documented[f] {
			t.Errorf("README's flag table lacks %s", f)
		}
	}
	for f := range documented {
		if !have[f] {
			t.Errorf("README's flag table names %s, which labserver does not have", f)
		}
	}
}
