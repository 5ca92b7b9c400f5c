package main

import (
	"fmt"
	"io"
	"net"
	"strings"

	"maillab/sim/demo"
)

// banner prints where to connect and with which accounts: the first thing
// a learner sees after `make run`.
func (a *app) banner(w io.Writer) {
	var b strings.Builder
	b.WriteString("\nlabserver is ready. Connect with:\n\n")
	for _, sp := range a.listens {
		addr := sp.ln.Addr().String()
		name := sp.proto.Title
		if sp.spec.TLS {
			fmt.Fprintf(&b, "  %-12s openssl s_client -quiet -crlf -connect %s\n", name+" (TLS)", dialable(addr))
			continue
		}
		if sp.spec.Role != "" {
			name += " " + strings.ToUpper(sp.spec.Role)
		}
		fmt.Fprintf(&b, "  %-12s telnet %s\n", name, telnetArgs(addr))
	}
	if addr := a.webAddr(); addr != "" {
		fmt.Fprintf(&b, "  %-12s http://%s/\n", "Web lab", dialable(addr))
	}
	fmt.Fprintf(&b, "\nTLS (STLS, STARTTLS, implicit) certificate SHA-256:\n  %s\n", a.fingerprint)
	a.accounts(&b)
	a.mailPath(&b)
	b.WriteString("\nStop with Ctrl-C.\n\n")
	io.WriteString(w, b.String())
}

// mailPath lists the topology's domains: where submitted mail can go.
func (a *app) mailPath(b *strings.Builder) {
	l := a.srv.MailPath
	if l == nil {
		return
	}
	b.WriteString("\nMail path (an authenticated client's mail for these domains goes through simulated MTAs):\n")
	for _, d := range l.Topology().Domains {
		users := strings.Join(d.Users, ", ")
		if users == "" {
			users = "outside the lab: its MX never answers"
		}
		var mx []string
		for _, r := range d.MX {
			mx = append(mx, fmt.Sprintf("%d %s", r.Priority, r.Host))
		}
		fmt.Fprintf(b, "  %-12s %s; MX %s\n", d.Name, users, strings.Join(mx, ", "))
	}
}

func (a *app) accounts(b *strings.Builder) {
	if a.demo {
		b.WriteString("\nDemo accounts (user / password), kept in memory only:\n")
		for _, acc := range demo.Accounts {
			fmt.Fprintf(b, "  %-8s / %s\n", acc.User, acc.Password)
		}
		if addr := a.addr("pop3"); addr != "" {
			fmt.Fprintf(b, "\nTry the lecture's session: telnet %s, then\n  USER melanie\n  PASS toybox\n  STAT\n  LIST\n  RETR 1\n  QUIT\n", telnetArgs(addr))
		}
		if addr := a.addr("smtp"); addr != "" {
			fmt.Fprintf(b, "\nSend melanie a message: telnet %s, then\n  HELO client.example\n  MAIL FROM:<alex@example.org>\n  RCPT TO:<melanie@example.org>\n  DATA\n  Subject: hello\n\n  Hi!\n  .\n  QUIT\n", telnetArgs(addr))
		}
		return
	}
	mode := "changes stay in memory (add -persist to write them back)"
	if a.cfg.persist {
		mode = "changes are written back"
	}
	fmt.Fprintf(b, "\nAccounts from %s (passwords in its passwd file; %s):\n  %s\n",
		a.cfg.maildir, mode, strings.Join(a.srv.Store.Users(), ", "))
}

// dialable turns a listening address into one a client on this machine can
// dial: a wildcard host becomes 127.0.0.1.
func dialable(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// telnetArgs is "host port", as telnet takes them.
func telnetArgs(addr string) string {
	host, port, err := net.SplitHostPort(dialable(addr))
	if err != nil {
		return addr
	}
	return host + " " + port
}
