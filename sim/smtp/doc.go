// Package smtp holds the pieces of the lab's SMTP (RFC 5321) and LMTP
// (RFC 2033) servers: parsing command lines, replies and their enhanced
// status codes, reading the message after DATA or in BDAT chunks, the
// envelope and its checks, aliases, VRFY and EXPN, delivery into the
// mail store with trace headers, the two state machines, and the
// explanation of every reply for the explain pane. The session loop that
// reads a connection and calls them is built on the lab's shared
// line-protocol session base.
//
// Invariants:
//
//   - Every refusal is a *Reply: the three-digit code, the RFC 3463 code
//     and a text as Postfix words it, and Why, the catalogue text
//     (texts/<lang>/smtp.json) that explains it. Parsers and checks
//     return the reply to send; nothing panics on client input.
//   - Every input has a limit: command lines by RFC 5321 section 4.5.3.1
//     (512 octets, more where extensions add parameters, 12288 for
//     AUTH), text lines 1000 octets, messages the configured size. What
//     goes past a limit is read to its end and counted, never kept.
//   - Where real servers are more lenient than RFC 5321's grammar, the
//     lab does what Postfix does and says so in Command.Notes: a space
//     after "FROM:", a path without angle brackets, a bare user name,
//     LF line endings.
//   - Mail leaves a session's store only through the lab's mail path
//     (Options.Relay, package mailpath): a recipient in another domain
//     only from an authenticated client, and the copies an alias sends
//     to another of the lab's domains; a reply a
//     fault rule gives in its place (Options.Fault) says so in its
//     explanation.
//   - The package builds for GOOS=js GOARCH=wasm: no sockets, no files,
//     no syscall/js.
package smtp
