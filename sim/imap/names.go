package imap

import (
	"errors"
	"strconv"
	"strings"

	"maillab/sim/imap/wire"
	"maillab/sim/mailstore"
	"maillab/sim/mutf7"
)

// mailboxArg reads a mailbox name: on the wire in modified UTF-7 (RFC 3501
// section 5.1.3), in the store in UTF-8. It returns both, and err when the
// name is a valid astring but not valid modified UTF-7: the command is
// well formed and fails, so the handler answers NO (nameRefused) once the
// whole command is read, as Dovecot does.
func (s *Session) mailboxArg(d *wire.Decoder, arg string) (onWire, name string, err error) {
	onWire = d.AString(arg)
	name, err = mutf7.Decode(onWire)
	if err != nil {
		return onWire, "", err
	}
	if strings.EqualFold(name, mailstore.Inbox) {
		name = mailstore.Inbox
	}
	if strings.HasSuffix(name, "/") {
		return onWire, name, errTrailingDelimiter
	}
	return onWire, name, nil
}

// errTrailingDelimiter is mailboxArg's error for a name that ends with
// the hierarchy delimiter: only CREATE takes one (RFC 3501 6.3.3), as a
// declaration that names will be created below; no mailbox has such a
// name, and Dovecot refuses it elsewhere with [CANNOT].
var errTrailingDelimiter = errors.New("the name ends with the hierarchy delimiter")

// nameRefused answers NO when err says the mailbox name is not modified
// UTF-7, and reports whether it did.
func (s *Session) nameRefused(onWire string, err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, errTrailingDelimiter) {
		s.no("CANNOT", "Mailbox name "+onWire+" ends with the hierarchy delimiter /: only CREATE takes such a name; name the mailbox without it", "no.trailing", onWire)
		return true
	}
	why := strings.TrimPrefix(err.Error(), mutf7.ErrInvalid.Error()+": ")
	s.no("CANNOT", "Mailbox name "+onWire+" is not valid modified UTF-7 (write & as &-, other characters as &...-): "+why, "no.mutf7", onWire)
	return true
}

// wireName writes a stored name for a response.
func wireName(name string) string { return wire.AString(mutf7.Encode(name)) }

// openError answers SELECT, EXAMINE or STATUS of a name that is no
// mailbox as Dovecot does: NO without a response code (RFC 5530's
// NONEXISTENT is for deleting or renaming what does not exist), saying
// whether the name is a \Noselect level, which LIST shows but nothing
// can open, or nothing at all. Other errors go to storeError.
func (s *Session) openError(err error, onWire, name string) {
	switch {
	case !errors.Is(err, mailstore.ErrNoMailbox):
		s.storeError(err, onWire)
	case s.user.HasChildren(name):
		s.no("", onWire+` is no mailbox, only a level (\Noselect) above others; LIST "" `+wireName(name+"/*")+" shows the mailboxes below it", "no.noselect", onWire)
	default:
		s.no("", "Mailbox "+onWire+" does not exist; LIST \"\" * shows the mailboxes", "no.missing", onWire)
	}
}

// storeError answers a failed mailbox operation with NO and a response
// code from RFC 5530, so a client can tell the cases apart.
func (s *Session) storeError(err error, what string) {
	switch {
	case errors.Is(err, mailstore.ErrNoMailbox):
		s.no("NONEXISTENT", "Mailbox "+what+" does not exist; LIST \"\" * shows the mailboxes", "no.nonexistent", what)
	case errors.Is(err, mailstore.ErrRenameToInbox):
		s.no("ALREADYEXISTS", "INBOX always exists, so no mailbox can be renamed to it", "no.rename.inbox")
	case errors.Is(err, mailstore.ErrRenameIntoItself):
		s.no("CANNOT", "A mailbox cannot be renamed to "+what+", a name below itself", "no.rename.below", what)
	case errors.Is(err, mailstore.ErrExists):
		s.no("ALREADYEXISTS", "Mailbox "+what+" already exists", "no.exists", what)
	case errors.Is(err, mailstore.ErrBadName):
		s.no("CANNOT", "Mailbox name "+what+" is not allowed: no empty levels, no \".\", \"..\" or control characters; levels are separated by /", "no.badname", what)
	case errors.Is(err, mailstore.ErrInboxDelete):
		s.no("CANNOT", "INBOX cannot be deleted", "no.inbox.delete")
	case errors.Is(err, mailstore.ErrHasChildren):
		s.no("HASCHILDREN", what+" is no mailbox, only a level (\\Noselect) above others; delete the mailboxes below it first", "no.haschildren", what)
	case errors.Is(err, mailstore.ErrOverQuota):
		s.overQuotaNo()
	case errors.Is(err, mailstore.ErrUnreadable):
		s.no("UNAVAILABLE", "Mailbox "+what+" cannot be read from the disk; the server's log says why", "no.unreadable", what)
	case errors.Is(err, mailstore.ErrTooBig):
		s.no("TOOBIG", "The message is larger than this server accepts", "no.toobig")
	default:
		s.serverBug(err)
	}
}

// overQuota answers NO [OVERQUOTA] (RFC 5530) when adding n messages would
// take dst past Options.MaxMailbox.
func (s *Session) overQuota(dst *mailstore.Mailbox, n int) bool {
	if dst.Count()+n <= s.o.MaxMailbox {
		return false
	}
	s.no("OVERQUOTA", "The mailbox would hold more than "+strconv.Itoa(s.o.MaxMailbox)+" messages; expunge some first", "no.overquota", s.o.MaxMailbox)
	return true
}
