// Package mailpath is the lab's small, closed internet of mail: several
// mail domains in one process, each with its users, its MTAs and its
// delivery agent (LDA); a simulated DNS with MX and A records; a queue
// that relays a submitted message to the recipient domain's MX over
// SMTP, retries on temporary failures and bounces on permanent ones with
// an RFC 3464 delivery status notification; and fault rules that make a
// host answer a command with a chosen reply.
//
// The course chapter's nine steps ("Доставка почтового сообщения") map
// onto it so:
//
//	MUA → MSA          the learner's (or a real client's) SMTP session, role msa,
//	                   whose Relay is the Lab: Lab.Queue takes the message
//	outgoing MTA       the Lab's queue, acting as the sender domain's MTA
//	DNS MX lookup      DNS.LookupMX, by priority (RFC 5321 section 5.1)
//	receiving MTA      an smtp.Session of the MX host, over net.Pipe
//	MTA → LDA (LMTP)   an smtp.Session in LMTP mode of the domain's LDA host
//	LDA → mailbox      the store's INBOX; POP3 and IMAP read it as always
//
// Invariants:
//
//   - Nothing opens a connection: every "remote" host is a session of the
//     lab's own SMTP or LMTP server over an in-memory pipe, and its
//     transcript is the session's own event stream (Lab.Hop).
//   - Every step a message takes is an Event (see Kind), in order, so a
//     picture of the journey is drawn from what happened, not guessed.
//   - Lab time comes from a Clock that tests fake and a page can speed up
//     or step; retry times, Received dates and bounces use it.
//   - Fault rules are off unless a topology, a lesson or a host control
//     adds them.
//   - The package builds for GOOS=js GOARCH=wasm: no sockets, no files.
package mailpath
