package mailpath

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
)

// DNS is the lab's name service: MX records by domain, A records by host
// (RFC 1035), as a topology gives them. A lesson or the page may change
// them while the lab runs.
type DNS struct {
	mu sync.RWMutex
	mx map[string][]MX   // domain → records
	a  map[string]string // host → address
}

// TTL is the time to live every record shows, in seconds.
const TTL = 3600

// NewDNS is the name service of a topology, as a Lab of it starts with.
func NewDNS(t *Topology) *DNS {
	d := &DNS{mx: map[string][]MX{}, a: map[string]string{}}
	for _, dom := range t.Domains {
		for _, r := range dom.MX {
			d.mx[strings.ToLower(dom.Name)] = append(d.mx[strings.ToLower(dom.Name)], MX{Host: strings.ToLower(r.Host), Priority: r.Priority})
		}
	}
	for _, h := range t.Hosts {
		if h.A != "" {
			d.a[strings.ToLower(h.Name)] = h.A
		}
	}
	return d
}

// LookupMX returns domain's MX records, most preferred first; records of
// one preference in name order (RFC 5321 section 5.1 lets a sender pick
// among them at random; the lab picks the same one every time, so a
// lesson replays). A domain with no MX but an A record has the implicit
// MX of section 5.1: itself, preference 0. ok is false for a name the
// DNS does not know (NXDOMAIN).
func (d *DNS) LookupMX(domain string) (records []MX, ok bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	domain = strings.ToLower(strings.TrimSuffix(domain, "."))
	if rs, found := d.mx[domain]; found && len(rs) > 0 {
		out := slices.Clone(rs)
		slices.SortStableFunc(out, func(a, b MX) int {
			return cmp.Or(cmp.Compare(a.Priority, b.Priority), cmp.Compare(a.Host, b.Host))
		})
		return out, true
	}
	if _, found := d.a[domain]; found {
		return []MX{{Host: domain}}, true
	}
	_, known := d.mx[domain]
	return nil, known
}

// LookupA returns host's address, "" when it has none.
func (d *DNS) LookupA(host string) string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.a[strings.ToLower(strings.TrimSuffix(host, "."))]
}

// LookupPTR returns the host name whose A record is addr (reverse DNS),
// "" when none is.
func (d *DNS) LookupPTR(addr string) string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	var names []string
	for h, a := range d.a {
		if a == addr {
			names = append(names, h)
		}
	}
	slices.Sort(names)
	if len(names) == 0 {
		return ""
	}
	return names[0]
}

// SetMX replaces domain's MX records.
func (d *DNS) SetMX(domain string, records []MX) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.mx[strings.ToLower(domain)] = slices.Clone(records)
}

// SetA sets host's address; "" removes it.
func (d *DNS) SetA(host, addr string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if addr == "" {
		delete(d.a, strings.ToLower(host))
		return
	}
	d.a[strings.ToLower(host)] = addr
}

// Dig answers a query as dig(1) prints it: the question, the answer and,
// for MX, the addresses of the exchangers in the additional section.
// qtype is MX, A or PTR (name an address); "" means A.
//
//	$ dig example.org MX
//	;; ->>HEADER<<- opcode: QUERY, status: NOERROR
//	;; QUESTION SECTION:
//	;example.org.			IN	MX
//
//	;; ANSWER SECTION:
//	example.org.		3600	IN	MX	10 mx1.example.org.
func (d *DNS) Dig(name, qtype string) string {
	qtype = strings.ToUpper(cmp.Or(qtype, "A"))
	name = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(name), "."))
	var answer, additional []string
	status := "NOERROR"
	if _, err := netip.ParseAddr(name); err != nil && !nameRE.MatchString(name) || len(name) > 253 {
		// Not a name: nothing of it reaches the terminal but its length.
		name, qtype, status = fmt.Sprintf("(%d octets that are no domain name)", len(name)), "", "FORMERR"
	}
	switch qtype {
	case "":
	case "MX":
		rs, ok := d.LookupMX(name)
		d.mu.RLock()
		_, explicit := d.mx[name]
		d.mu.RUnlock()
		if !ok {
			status = "NXDOMAIN"
		}
		if explicit {
			for _, r := range rs {
				answer = append(answer, rr(name, "MX", fmt.Sprintf("%d %s.", r.Priority, r.Host)))
				if a := d.LookupA(r.Host); a != "" {
					additional = append(additional, rr(r.Host, aType(a), a))
				}
			}
		}
	case "A":
		if a := d.LookupA(name); a != "" {
			answer = append(answer, rr(name, aType(a), a))
		} else if _, ok := d.LookupMX(name); !ok {
			status = "NXDOMAIN"
		}
	case "PTR":
		if h := d.LookupPTR(name); h != "" {
			answer = append(answer, rr(name, "PTR", h+"."))
		} else {
			status = "NXDOMAIN"
		}
	default:
		status = "NOTIMP"
		if len(qtype) > 10 || strings.IndexFunc(qtype, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
			qtype = "?"
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "; <<>> lab dig <<>> %s %s\n", name, qtype)
	fmt.Fprintf(&b, ";; ->>HEADER<<- opcode: QUERY, status: %s\n", status)
	fmt.Fprintf(&b, ";; QUESTION SECTION:\n;%s.\t\t\tIN\t%s\n", name, qtype)
	if len(answer) > 0 {
		b.WriteString("\n;; ANSWER SECTION:\n" + strings.Join(answer, ""))
	}
	if len(additional) > 0 {
		b.WriteString("\n;; ADDITIONAL SECTION:\n" + strings.Join(additional, ""))
	}
	return b.String()
}

func rr(name, typ, data string) string {
	return fmt.Sprintf("%s.\t\t%d\tIN\t%s\t%s\n", name, TTL, typ, data)
}

func aType(addr string) string {
	if strings.Contains(addr, ":") {
		return "AAAA"
	}
	return "A"
}
