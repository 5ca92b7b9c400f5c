package smtp

import (
	"slices"
	"strconv"
	"strings"

	"maillab/sim/fsm"
)

// Service extension keywords (RFC 5321 section 2.2.2): what EHLO may
// announce. The lab offers each unless a lesson switches it off.
const (
	ExtPipelining = "PIPELINING"          // RFC 2920
	ExtSize       = "SIZE"                // RFC 1870
	ExtVRFY       = "VRFY"                // RFC 5321 section 3.5.3
	ExtEXPN       = "EXPN"                // RFC 5321 section 3.5.2
	ExtHelp       = "HELP"                // RFC 5321 section 4.1.1.8
	ExtEnhanced   = "ENHANCEDSTATUSCODES" // RFC 2034
	Ext8BitMIME   = "8BITMIME"            // RFC 6152
	ExtBinaryMIME = "BINARYMIME"          // RFC 3030
	ExtChunking   = "CHUNKING"            // RFC 3030
	ExtDSN        = "DSN"                 // RFC 3461
	ExtSMTPUTF8   = "SMTPUTF8"            // RFC 6531
	ExtStartTLS   = "STARTTLS"            // RFC 3207
	ExtAuth       = "AUTH"                // RFC 4954
)

// extensionOrder is the order EHLO lists them in, Postfix's order.
var extensionOrder = []string{ExtPipelining, ExtSize, ExtVRFY, ExtEXPN, ExtHelp, ExtStartTLS, ExtAuth,
	ExtEnhanced, Ext8BitMIME, ExtBinaryMIME, ExtDSN, ExtSMTPUTF8, ExtChunking}

// VRFYMode is how the server answers VRFY.
type VRFYMode int

const (
	// VRFYCannot answers 252 "cannot verify, but will accept" for an
	// address the server would accept and 550 for one it would not: what
	// Postfix does with VRFY enabled, its default.
	VRFYCannot VRFYMode = iota
	// VRFYFull answers as RFC 5321 section 3.5 and the lecture describe:
	// 250 with the full name, 251 and 551 for users elsewhere, 553 for an
	// ambiguous name. It hands out exactly what address harvesters want.
	VRFYFull
	// VRFYDisabled answers 502 (Postfix: disable_vrfy_command = yes).
	VRFYDisabled
)

// Config is what a server offers and how it decides. The zero value
// with a Hostname is a working server for that host's domain.
type Config struct {
	// Hostname is the server's name in the greeting, the EHLO reply and
	// the Received header ($myhostname).
	Hostname string
	// Domains are the domains whose mail is delivered here
	// ($mydestination); empty means just Hostname. An address literal of
	// one of Addresses is local too.
	Domains []string
	// Addresses are the server's own IP addresses, written as in an
	// address literal ("127.0.0.1", "IPv6:::1").
	Addresses []string
	// LMTP makes the server an LMTP server (RFC 2033): LHLO instead of
	// HELO and EHLO, a reply per recipient after the message.
	LMTP bool

	// MaxSize is the largest message accepted, in octets; 0 means
	// DefaultMaxSize. EHLO announces it with SIZE.
	MaxSize int64
	// MaxRecipients limits RCPTs per message; 0 means
	// DefaultMaxRecipients.
	MaxRecipients int
	// VRFY says how VRFY is answered.
	VRFY VRFYMode
	// Off lists extension keywords this server does not offer
	// (a lesson without DSN, without CHUNKING).
	Off []string
	// TLS says STARTTLS is possible: the host has a certificate.
	TLS bool
	// AuthMechanisms are the SASL mechanisms AUTH offers; none means no
	// AUTH.
	AuthMechanisms []string
	// AuthOnlyTLS offers AUTH only on a TLS-protected connection, as
	// Postfix's smtpd_tls_auth_only does.
	AuthOnlyTLS bool
	// Routes, when set, names the other domains the lab's mail path
	// carries mail to: an authenticated client's RCPT for one of them is
	// accepted and relayed (RFC 6409 section 3.1: the MSA passes the
	// message on). nil: mail for other domains is refused.
	Routes func(domain string) bool
}

// Defaults, those of Postfix: message_size_limit = 10240000 and
// smtpd_recipient_limit = 1000. RFC 5321 section 4.5.3.1.8 asks for at
// least 100 recipients.
const (
	DefaultMaxSize       = 10240000
	DefaultMaxRecipients = 1000
)

func (c *Config) maxSize() int64 {
	if c.MaxSize > 0 {
		return c.MaxSize
	}
	return DefaultMaxSize
}

func (c *Config) maxRecipients() int {
	if c.MaxRecipients > 0 {
		return c.MaxRecipients
	}
	return DefaultMaxRecipients
}

// ConnState is what the server knows about the connection when it decides:
// whether TLS protects it, whether the client authenticated, whether it
// said EHLO (so enhanced status codes are on).
type ConnState struct {
	TLS           bool
	Authenticated bool
	Extended      bool // EHLO or LHLO rather than HELO
}

// Offers reports whether the server announces keyword in this session.
func (c *Config) Offers(keyword string, s ConnState) bool {
	if slices.Contains(c.Off, keyword) {
		return false
	}
	switch keyword {
	case ExtStartTLS:
		return c.TLS && !s.TLS && !c.LMTP
	case ExtAuth:
		return len(c.AuthMechanisms) > 0 && !s.Authenticated && (s.TLS || !c.AuthOnlyTLS)
	case ExtVRFY:
		return c.VRFY != VRFYDisabled
	case ExtBinaryMIME:
		return c.Offers(ExtChunking, s)
	}
	return slices.Contains(extensionOrder, keyword)
}

// Enhanced reports whether replies carry RFC 3463 codes: whenever the
// server offers ENHANCEDSTATUSCODES, before EHLO and after HELO too, as
// Postfix sends them (RFC 2034 section 3 promises them after EHLO; a
// client that said HELO reads the code as part of the text).
func (c *Config) Enhanced(s ConnState) bool {
	return c.Offers(ExtEnhanced, s)
}

// Extensions are the EHLO reply's keyword lines in this session, with
// their parameters: "SIZE 10240000", "AUTH PLAIN LOGIN".
func (c *Config) Extensions(s ConnState) []string {
	var out []string
	for _, k := range extensionOrder {
		if !c.Offers(k, s) {
			continue
		}
		switch k {
		case ExtSize:
			out = append(out, k+" "+strconv.FormatInt(c.maxSize(), 10))
		case ExtAuth:
			out = append(out, k+" "+strings.Join(c.AuthMechanisms, " "))
		default:
			out = append(out, k)
		}
	}
	return out
}

// Greeting is the server's first reply (RFC 5321 section 3.1): "220 host
// ESMTP", as Postfix's smtpd_banner, which keeps the software's name and
// version to itself, or "220 host LMTP".
func (c *Config) Greeting() *Reply {
	if c.LMTP {
		return reply("greeting.lmtp", c.Hostname)
	}
	return reply("greeting", c.Hostname)
}

// Hello answers an accepted HELO, EHLO or LHLO: the host name alone for
// HELO, as Postfix answers, and for EHLO and LHLO the host name followed by
// a line per extension (RFC 5321 section 4.1.1.1).
func (c *Config) Hello(cmd *Command, s ConnState) *Reply {
	switch cmd.Verb {
	case "HELO":
		return reply("helo", c.Hostname, cmd.Domain)
	case "LHLO":
		return multiline("lhlo", c.Extensions(s), c.Hostname, cmd.Domain)
	}
	return multiline("ehlo", c.Extensions(s), c.Hostname, cmd.Domain)
}

// localDomain reports whether the domain or address literal d is one the
// server delivers for (domains compare case-insensitively, RFC 5321
// section 2.4).
func (c *Config) localDomain(d string) bool {
	if strings.HasPrefix(d, "[") {
		a := literalAddr(d)
		for _, own := range c.Addresses {
			if b := literalAddr("[" + own + "]"); a.IsValid() && a == b {
				return true
			}
		}
		return false
	}
	if len(c.Domains) == 0 {
		return strings.EqualFold(d, c.Hostname)
	}
	for _, own := range c.Domains {
		if strings.EqualFold(d, own) {
			return true
		}
	}
	return false
}

// domain is the server's first mail domain, which completes a bare user
// name ($myorigin).
func (c *Config) domain() string {
	if len(c.Domains) > 0 {
		return c.Domains[0]
	}
	return c.Hostname
}

// usage is each command's syntax as RFC 5321 section 4.1 writes it (and
// RFC 2033, 3030, 3207, 4954 and 821 for theirs), for HELP and the
// explanations.
var usage = map[string]string{
	"HELO":     "HELO <SP> <domain>",
	"EHLO":     "EHLO <SP> <domain or address literal>",
	"LHLO":     "LHLO <SP> <domain or address literal>",
	"MAIL":     "MAIL FROM:<reverse-path> [<SP> <mail-parameters>]",
	"RCPT":     "RCPT TO:<forward-path> [<SP> <rcpt-parameters>]",
	"DATA":     "DATA, then the message, ended by a line with a single dot",
	"BDAT":     "BDAT <SP> <chunk-size> [<SP> LAST], then exactly chunk-size octets",
	"RSET":     "RSET",
	"NOOP":     "NOOP [<SP> <string>]",
	"QUIT":     "QUIT",
	"VRFY":     "VRFY <SP> <user name or address>",
	"EXPN":     "EXPN <SP> <mailing list>",
	"HELP":     "HELP [<SP> <command>]",
	"STARTTLS": "STARTTLS",
	"AUTH":     "AUTH <SP> <mechanism> [<SP> <initial response>]",
	"SEND":     "SEND <SP> FROM:<reverse-path> (RFC 821, no longer implemented)",
	"SOML":     "SOML <SP> FROM:<reverse-path> (RFC 821, no longer implemented)",
	"SAML":     "SAML <SP> FROM:<reverse-path> (RFC 821, no longer implemented)",
	"TURN":     "TURN (RFC 821, no longer implemented)",
	"ETRN":     "ETRN <SP> <domain> (RFC 1985, not offered here)",
}

// Help answers HELP (RFC 5321 section 4.1.1.8): without a topic the
// commands the protocol has, sorted, as Postfix lists them ("214 2.0.0
// Commands: AUTH BDAT DATA ..."); with a command's name, its syntax.
func (c *Config) Help(m *fsm.Machine, cmd *Command) *Reply {
	if cmd.Target == "" {
		var names []string
		for _, s := range m.States {
			for _, v := range m.Commands[s.Name] {
				if !slices.Contains(names, v) {
					names = append(names, v)
				}
			}
		}
		slices.Sort(names)
		return reply("help", strings.Join(names, " "))
	}
	topic, _, _ := strings.Cut(cmd.Target, " ")
	u, ok := usage[topic]
	if !ok {
		return reply("help.unknown", printable(topic))
	}
	return reply("help.topic", u, topic)
}
