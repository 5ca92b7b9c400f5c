package mailpath

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"maillab/sim/mailstore"
	"maillab/sim/smtp"
)

// Topology describes the lab's mail domains, their DNS records and the
// faults switched on. labserver reads it from -topology FILE (YAML); a
// lesson's fixture has the same keys:
//
//	domains:
//	  - name: example.org
//	    users: [melanie, alex]        # accounts of the store
//	    aliases: |                    # aliases(5), as fixture.aliases
//	      postmaster: melanie
//	    mx:
//	      - {host: mx1.example.org, priority: 10}
//	      - {host: mx2.example.org, priority: 20}
//	  - name: example.com             # no users: an outside domain
//	    mx: [{host: mx.example.com, priority: 10}]
//	hosts:
//	  - {name: mx1.example.org, a: 192.0.2.10}
//	  - {name: mx2.example.org, a: 192.0.2.11, down: true}
//	faults:
//	  - {host: mx1.example.org, command: RCPT, reply: "452 4.2.2 Mailbox full", times: 1}
type Topology struct {
	Domains []Domain `yaml:"domains" json:"domains"`
	Hosts   []Host   `yaml:"hosts,omitempty" json:"hosts,omitempty"`
	Faults  []Fault  `yaml:"faults,omitempty" json:"faults,omitempty"`
	Queue   Queue    `yaml:"queue,omitempty" json:"queue,omitempty"`
}

// Domain is one mail domain.
type Domain struct {
	Name string `yaml:"name" json:"name"`
	// Users are the store's accounts whose address is user@Name. A
	// domain without users is outside the lab: its MX hosts run no
	// server, so mail for it waits in the queue and finally bounces.
	Users []string `yaml:"users,omitempty" json:"users,omitempty"`
	// Aliases is the domain's alias table (aliases(5)): lists and
	// forwarding, expanded by its MTAs.
	Aliases string `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	MX      []MX   `yaml:"mx,omitempty" json:"mx,omitempty"`
	// MTA is the host that sends the domain's outgoing mail (and says
	// EHLO as); "": smtp.<name>.
	MTA string `yaml:"mta,omitempty" json:"mta,omitempty"`
	// LDA is the host of the domain's delivery agent, reached over LMTP;
	// "": lmtp.<name>.
	LDA string `yaml:"lda,omitempty" json:"lda,omitempty"`
}

// MX is one MX record: the host that receives the domain's mail, and
// its preference, lower first (RFC 5321 section 5.1).
type MX struct {
	Host     string `yaml:"host" json:"host"`
	Priority int    `yaml:"priority" json:"priority"`
}

// Host is a host name with its A record.
type Host struct {
	Name string `yaml:"name" json:"name"`
	A    string `yaml:"a,omitempty" json:"a,omitempty"` // IPv4 or IPv6 address
	// Down: the host does not answer; a connection to it times out.
	Down bool `yaml:"down,omitempty" json:"down,omitempty"`
}

// Queue sets the queue's times, as durations ("5m", "4h", "120h").
type Queue struct {
	// Retry is the wait before the second attempt; it doubles after
	// each failed one up to MaxRetry (Postfix: minimal_backoff_time 300s,
	// maximal_backoff_time 4000s).
	Retry    string `yaml:"retry,omitempty" json:"retry,omitempty"`
	MaxRetry string `yaml:"max_retry,omitempty" json:"max_retry,omitempty"`
	// Warn is when the sender is told the message is delayed (the
	// lecture: four hours); "0" never.
	Warn string `yaml:"warn,omitempty" json:"warn,omitempty"`
	// Lifetime is when the queue gives up and bounces (the lecture and
	// Postfix's maximal_queue_lifetime: five days).
	Lifetime string `yaml:"lifetime,omitempty" json:"lifetime,omitempty"`
}

// Queue defaults.
const (
	DefaultRetry    = 5 * time.Minute
	DefaultMaxRetry = 4000 * time.Second
	DefaultWarn     = 4 * time.Hour
	DefaultLifetime = 5 * 24 * time.Hour
)

// times are the queue's durations, defaults filled in.
type times struct{ retry, maxRetry, warn, lifetime time.Duration }

func (q Queue) times() (times, error) {
	t := times{DefaultRetry, DefaultMaxRetry, DefaultWarn, DefaultLifetime}
	for _, f := range []struct {
		name, s string
		d       *time.Duration
	}{{"retry", q.Retry, &t.retry}, {"max_retry", q.MaxRetry, &t.maxRetry}, {"warn", q.Warn, &t.warn}, {"lifetime", q.Lifetime, &t.lifetime}} {
		if f.s == "" {
			continue
		}
		d, err := time.ParseDuration(f.s)
		if err != nil || d < 0 {
			return t, fmt.Errorf("queue.%s: %q is not a duration such as 5m or 120h", f.name, f.s)
		}
		*f.d = d
	}
	if t.retry <= 0 {
		t.retry = DefaultRetry
	}
	t.maxRetry = max(t.maxRetry, t.retry)
	return t, nil
}

// Limits on a topology, so a file cannot make the lab hold much.
const (
	maxDomains = 64
	maxHosts   = 256
	maxFaults  = 64
	maxMX      = 16
	maxName    = 253 // RFC 1035 section 2.3.4, in text form
)

var nameRE = hostName{regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$`)}

// hostName matches a domain or host name of at most maxName octets.
type hostName struct{ re *regexp.Regexp }

func (h hostName) MatchString(s string) bool { return len(s) <= maxName && h.re.MatchString(s) }

// ParseTopology reads a topology in YAML; unknown keys are errors.
func ParseTopology(data []byte) (*Topology, error) {
	var t Topology
	if err := yaml.UnmarshalWithOptions(data, &t, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("topology: %s", yaml.FormatError(err, false, true))
	}
	return &t, t.Check(nil)
}

// Check reports the first mistake in t: names that are no domain names,
// a user in two domains or missing from store (nil: not checked), an
// address that does not parse, a fault rule that cannot be applied.
func (t *Topology) Check(store *mailstore.Store) error {
	if len(t.Domains) == 0 {
		return fmt.Errorf("topology: no domains")
	}
	if len(t.Domains) > maxDomains || len(t.Hosts) > maxHosts || len(t.Faults) > maxFaults {
		return fmt.Errorf("topology: at most %d domains, %d hosts and %d faults", maxDomains, maxHosts, maxFaults)
	}
	owner := map[string]string{}
	seen := map[string]bool{}
	for _, d := range t.Domains {
		if !nameRE.MatchString(d.Name) {
			return fmt.Errorf("domain %q: not a domain name (letters, digits and hyphens in dot-separated labels)", d.Name)
		}
		if seen[strings.ToLower(d.Name)] {
			return fmt.Errorf("domain %s: given twice", d.Name)
		}
		seen[strings.ToLower(d.Name)] = true
		for _, u := range d.Users {
			if o, dup := owner[u]; dup {
				return fmt.Errorf("domain %s: user %s is already in %s; the domains share one store, so a user belongs to one domain", d.Name, u, o)
			}
			owner[u] = d.Name
			if store != nil {
				if _, ok := store.User(u); !ok {
					return fmt.Errorf("domain %s: user %s has no account", d.Name, u)
				}
			}
		}
		if d.Aliases != "" {
			if _, err := smtp.ParseAliases(strings.NewReader(d.Aliases)); err != nil {
				return fmt.Errorf("domain %s: aliases: %w", d.Name, err)
			}
		}
		if len(d.MX) > maxMX {
			return fmt.Errorf("domain %s: at most %d MX records", d.Name, maxMX)
		}
		for _, mx := range d.MX {
			if !nameRE.MatchString(mx.Host) || mx.Priority < 0 || mx.Priority > 65535 {
				return fmt.Errorf("domain %s: MX %q %d: a host name and a priority 0-65535", d.Name, mx.Host, mx.Priority)
			}
		}
		for _, h := range []string{d.MTA, d.LDA} {
			if h != "" && !nameRE.MatchString(h) {
				return fmt.Errorf("domain %s: %q is not a host name", d.Name, h)
			}
		}
	}
	hosts := map[string]bool{}
	for _, h := range t.Hosts {
		if !nameRE.MatchString(h.Name) {
			return fmt.Errorf("host %q: not a host name", h.Name)
		}
		if hosts[strings.ToLower(h.Name)] {
			return fmt.Errorf("host %s: given twice", h.Name)
		}
		hosts[strings.ToLower(h.Name)] = true
		if h.A != "" {
			if _, err := netip.ParseAddr(h.A); err != nil {
				return fmt.Errorf("host %s: a: %q is not an IP address", h.Name, h.A)
			}
		}
	}
	for i, f := range t.Faults {
		if _, err := f.rule(); err != nil {
			return fmt.Errorf("faults[%d]: %w", i, err)
		}
	}
	_, err := t.Queue.times()
	return err
}

// domain finds a domain by name, any case.
func (t *Topology) domain(name string) *Domain {
	for i := range t.Domains {
		if strings.EqualFold(t.Domains[i].Name, name) {
			return &t.Domains[i]
		}
	}
	return nil
}

// userDomain is the domain user belongs to.
func (t *Topology) userDomain(user string) *Domain {
	for i := range t.Domains {
		if slices.Contains(t.Domains[i].Users, user) {
			return &t.Domains[i]
		}
	}
	return nil
}

// MTAHost is the name of the domain's outgoing MTA (and MSA).
func (d *Domain) MTAHost() string { return d.mta() }

func (d *Domain) mta() string {
	if d.MTA != "" {
		return strings.ToLower(d.MTA)
	}
	return "smtp." + strings.ToLower(d.Name)
}

func (d *Domain) lda() string {
	if d.LDA != "" {
		return strings.ToLower(d.LDA)
	}
	return "lmtp." + strings.ToLower(d.Name)
}

// Demo is the lab's own topology: the lecture's people split over two
// domains, each with its MTA, MX hosts and LDA, and an outside domain
// whose MX never answers.
func Demo() *Topology {
	t, err := ParseTopology([]byte(demoYAML))
	if err != nil {
		panic(err) // compiled in, checked by the tests
	}
	return t
}

// DemoYAML is Demo as a topology file, a start for one's own.
func DemoYAML() string { return demoYAML }

const demoYAML = `# The lab's demo topology (labserver -topology FILE takes one like it).
domains:
  - name: example.org
    users: [melanie, alex]
    aliases: |
      postmaster: melanie
      staff: melanie, alex
    mx:
      - {host: mx1.example.org, priority: 10}
      - {host: mx2.example.org, priority: 20}
  - name: example.net
    users: [mrose, smith, SMITH]
    aliases: |
      postmaster: mrose
    mx:
      - {host: mx.example.net, priority: 10}
  # Outside the lab: no users, and its MX never answers.
  - name: example.com
    mx:
      - {host: mx.example.com, priority: 10}
hosts:
  - {name: smtp.example.org, a: 192.0.2.25}
  - {name: mx1.example.org, a: 192.0.2.10}
  - {name: mx2.example.org, a: 192.0.2.20}
  - {name: lmtp.example.org, a: 192.0.2.24}
  - {name: smtp.example.net, a: 198.51.100.25}
  - {name: mx.example.net, a: 198.51.100.10}
  - {name: lmtp.example.net, a: 198.51.100.24}
  - {name: mx.example.com, a: 203.0.113.10}
`
