package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"

	"maillab/sim/catalog"
	"maillab/sim/pop3"
	"maillab/sim/proto"
	"maillab/sim/smtp"
)

// off turns a listener off when given as its address.
const off = "off"

// config is everything the command line sets.
type config struct {
	// listen is each protocol listener's address, or "off", by its flag's
	// name ("pop3", "imaps"): the registered protocols' listeners.
	listen        map[string]string
	http          string
	maildir       string
	persist       bool
	tlsCert       string
	tlsKey        string
	maxConns      int
	maxConnsPerIP int
	loginTimeout  time.Duration
	authDelay     time.Duration
	authFailures  int
	idle          time.Duration
	apopTimestamp string
	uidlFormat    string
	noFlagUpdates bool
	lang          string
	logLevel      slog.Level
	lessons       string
	domains       string
	quota         int64 // octets per user, 0: none
	quotaMessages int
	topology      string
}

// languages are those the catalogues of texts are written in.
var languages = catalog.Languages()

// parseFlags reads the command line. -h prints the help to out and returns
// flag.ErrHelp.
func parseFlags(args []string, out io.Writer) (*config, error) {
	c := &config{listen: map[string]string{}}
	fs := flag.NewFlagSet("labserver", flag.ContinueOnError)
	fs.SetOutput(out)
	addrs := map[string]*string{}
	for _, p := range proto.All() {
		for _, l := range p.Listeners {
			addrs[l.Flag] = fs.String(l.Flag, cmp.Or(l.Addr, off), l.Usage)
		}
	}
	fs.StringVar(&c.http, "http", "127.0.0.1:8080", "web lab (the browser site) listen `ADDR`; \"off\" disables")
	fs.StringVar(&c.maildir, "maildir", "", "load accounts from the Maildir++ tree in `DIR` (DIR/passwd, DIR/<user>/{cur,new,tmp});\nwithout it the built-in demo accounts are served from memory")
	fs.BoolVar(&c.persist, "persist", false, "write every change (DELE+QUIT, flags, EXPUNGE, APPEND) back to -maildir DIR;\nwithout it changes live in memory only and vanish when the server stops")
	fs.StringVar(&c.tlsCert, "tls-cert", "", "TLS certificate `FILE` (PEM) for STLS/STARTTLS and the implicit-TLS listeners;\nwithout it a self-signed certificate for localhost is generated at start")
	fs.StringVar(&c.tlsKey, "tls-key", "", "TLS private key `FILE` (PEM) matching -tls-cert")
	fs.IntVar(&c.maxConns, "max-conns", 100, "at most `N` simultaneous connections per listener; more are refused with\n\"-ERR [SYS/TEMP]\" (POP3) or \"* BYE\" (IMAP)")
	fs.IntVar(&c.maxConnsPerIP, "max-conns-per-ip", 20, "at most `N` simultaneous connections from one client address, over all listeners;\nmore are refused as over -max-conns; 0 means no limit")
	fs.DurationVar(&c.loginTimeout, "login-timeout", time.Minute, "close a connection that has not logged in within `DURATION` of connecting (SMTP's MTA\nand LMTP: not greeted with HELO, EHLO or LHLO); 0 means no limit")
	fs.DurationVar(&c.authDelay, "auth-delay", 2*time.Second, "wait `DURATION` before answering a failed login, as Dovecot's auth_failure_delay,\ndoubling (up to 8 times) for an address or user name that keeps failing; 0 turns it off")
	fs.IntVar(&c.authFailures, "auth-failures", 3, "close a connection after `N` failed logins (POP3, IMAP and SMTP AUTH alike)")
	fs.DurationVar(&c.idle, "idle", 0, "autologout after `DURATION` without a command, e.g. 2m;\n0 means the RFC minimum: 10m for POP3 (RFC 1939), 30m for IMAP (RFC 3501)")
	fs.StringVar(&c.uidlFormat, "pop3-uidl-format", pop3.DefaultUIDLFormat, "how UIDL writes a message's unique-id, as Dovecot's pop3_uidl_format: `FORMAT` of\n%u (UID) and %v (UIDVALIDITY) with a zero-padded width and X for (lower-case) hex;\n'%xv%08xu' gives the lecture's 37cabbc00000009")
	fs.BoolVar(&c.noFlagUpdates, "pop3-no-flag-updates", false, "as Dovecot's pop3_no_flag_updates: POP3 RETR leaves a message's flags alone;\nwithout it a message RETR sent is marked \\Seen at QUIT, so IMAP shows it read")
	fs.StringVar(&c.apopTimestamp, "apop-timestamp", "", "pin the POP3 greeting's APOP `TIMESTAMP`, e.g. '<1896.697170952@dbc.mtview.ca.us>'\n(the form <...@...>, printable ASCII without spaces), to reproduce the RFC 1939 digest\nin a demo; normally unique per connection")
	fs.StringVar(&c.lang, "lang", "en", "language `LANG` of the explanations sessions emit: "+strings.Join(languages, ", "))
	c.logLevel = slog.LevelInfo
	fs.Var(levelFlag{&c.logLevel}, "log-level", "log `LEVEL`: debug (adds every protocol line, passwords hidden), info, warn, error")
	fs.StringVar(&c.lessons, "lessons", "", "extra lesson `DIR` served by the web lab at /lessons/extra/")
	fs.StringVar(&c.domains, "domains", strings.Join(smtp.DefaultDomains, ","), "the mail `DOMAINS` SMTP and LMTP deliver for, comma-separated: user@DOMAIN reaches\nthe account user; mail for any other domain is refused (nothing leaves the lab)")
	fs.Var(sizeFlag{&c.quota}, "quota", "every user's quota (RFC 9208 STORAGE): all mailboxes together hold at most `SIZE`\n(octets, or K, M, G: 100M); more is refused, IMAP NO [OVERQUOTA], LMTP 552 5.2.2; 0: none")
	fs.IntVar(&c.quotaMessages, "quota-messages", 0, "every user's quota of messages (RFC 9208 MESSAGE): at most `N` in all mailboxes; 0: none")
	fs.StringVar(&c.topology, "topology", "", "the mail path's topology `FILE` (YAML: domains with their users, aliases and MX records,\nhosts with A records, fault rules, queue times; see README.md): an authenticated\nclient's mail for its domains is relayed through simulated MTAs; without it the demo\ntopology when serving the demo accounts; \"off\" disables")
	fs.Usage = func() { usage(fs) }
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	for f, a := range addrs {
		c.listen[f] = *a
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q: every setting is a flag (see labserver -h)", fs.Arg(0))
	}
	return c, c.validate()
}

func usage(fs *flag.FlagSet) {
	var names, on []string
	for _, p := range proto.All() {
		names = append(names, p.Title)
		for _, l := range p.Listeners {
			if l.Addr != "" {
				_, port, _ := strings.Cut(l.Addr, ":")
				on = append(on, "-"+l.Flag+" "+port)
			}
		}
	}
	fmt.Fprintf(fs.Output(), `labserver: a %s teaching server with the browser lab.

Usage: labserver [flags]

With no flags it serves the demo accounts on 127.0.0.1 (%s,
web lab http://127.0.0.1:8080/); try:  telnet 127.0.0.1 1110

Flags:
`, strings.Join(names, ", "), strings.Join(on, ", "))
	fs.PrintDefaults()
}

func (c *config) validate() error {
	if len(c.domainList()) == 0 {
		return errors.New("-domains: give at least one mail domain, e.g. -domains example.org,localhost")
	}
	for _, d := range c.domainList() {
		if !domainRE.MatchString(d) {
			return fmt.Errorf("-domains: %q is not a domain name (letters, digits and hyphens in dot-separated labels, e.g. example.org)", d)
		}
	}
	if c.persist && c.maildir == "" {
		return errors.New("-persist needs -maildir DIR: it writes changes back to that Maildir (the demo accounts live in memory only)")
	}
	if (c.tlsCert == "") != (c.tlsKey == "") {
		return errors.New("-tls-cert and -tls-key go together: give both, or neither for a generated self-signed certificate")
	}
	if c.maxConns < 1 {
		return fmt.Errorf("-max-conns %d: must be at least 1", c.maxConns)
	}
	if c.maxConnsPerIP < 0 {
		return fmt.Errorf("-max-conns-per-ip %d: must not be negative (0 means no limit)", c.maxConnsPerIP)
	}
	if c.loginTimeout < 0 {
		return fmt.Errorf("-login-timeout %v: must not be negative (0 means no limit)", c.loginTimeout)
	}
	if c.authDelay < 0 {
		return fmt.Errorf("-auth-delay %v: must not be negative (0 turns it off)", c.authDelay)
	}
	if c.authFailures < 1 {
		return fmt.Errorf("-auth-failures %d: must be at least 1", c.authFailures)
	}
	if c.quotaMessages < 0 {
		return fmt.Errorf("-quota-messages %d: must not be negative (0 means no limit)", c.quotaMessages)
	}
	if c.idle < 0 {
		return fmt.Errorf("-idle %v: must not be negative", c.idle)
	}
	if _, err := pop3.ParseUIDLFormat(c.uidlFormat); err != nil {
		return fmt.Errorf("-pop3-uidl-format: %w", err)
	}
	if c.apopTimestamp != "" {
		if err := pop3.CheckTimestamp(c.apopTimestamp); err != nil {
			return fmt.Errorf("-apop-timestamp: %w", err)
		}
	}
	if !slices.Contains(languages, c.lang) {
		return fmt.Errorf("-lang %q: choose one of %s", c.lang, strings.Join(languages, ", "))
	}
	return nil
}

// levelFlag is -log-level: slog's levels, shown in lower case as they are
// typed (slog.Level's own text is "INFO"), and parsed in either case.
type levelFlag struct{ l *slog.Level }

func (f levelFlag) String() string {
	if f.l == nil { // flag.PrintDefaults asks a zero levelFlag
		return ""
	}
	return strings.ToLower(f.l.String())
}

func (f levelFlag) Set(s string) error { return f.l.UnmarshalText([]byte(s)) }

// enabled reports whether a listen address turns its listener on.
func enabled(addr string) bool { return addr != "" && !strings.EqualFold(addr, off) }

// domainRE is a domain name as RFC 5321 section 4.1.2's Domain: labels of
// letters, digits and inner hyphens, separated by dots.
var domainRE = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$`)

// domainList is -domains as a list.
func (c *config) domainList() []string {
	var out []string
	for _, d := range strings.Split(c.domains, ",") {
		if d = strings.TrimSpace(d); d != "" {
			out = append(out, d)
		}
	}
	return out
}
