package imap

// The QUOTA extension (RFC 9208), as Dovecot's quota plugin offers it with
// one quota root per user: its name is "User quota", every mailbox of the
// user is under it, and its resources are STORAGE (in units of 1024
// octets) and MESSAGE. Limits are set by the host (labserver -quota) or a
// lesson's fixture, never by a client: SETQUOTA is not offered.

import (
	"strconv"

	"maillab/sim/imap/wire"
)

// quotaRoot is the name of the one root, as Dovecot names it.
const quotaRoot = "User quota"

// quotaCaps are the capabilities QUOTA adds when some user has a quota.
var quotaCaps = []string{"QUOTA", "QUOTA=RES-STORAGE", "QUOTA=RES-MESSAGE"}

// cmdGetQuotaRoot: GETQUOTAROOT mailbox (RFC 9208 4.1.2) names the roots
// of the mailbox and gives each one's QUOTA.
func (s *Session) cmdGetQuotaRoot(d *wire.Decoder) {
	d.SP("mailbox name")
	onWire, name, nameErr := s.mailboxArg(d, "mailbox name")
	d.End()
	if s.nameRefused(onWire, nameErr) {
		return
	}
	if _, err := s.user.Mailbox(name); err != nil {
		s.storeError(err, onWire)
		return
	}
	limit, _ := s.user.Quota()
	if !limit.Set() {
		s.untagged("QUOTAROOT " + wireName(name))
		s.explain("quotaroot.none", onWire)
		s.ok("", "GETQUOTAROOT completed")
		return
	}
	s.untagged("QUOTAROOT " + wireName(name) + " " + wire.Quote(quotaRoot))
	s.explain("quotaroot", onWire, quotaRoot)
	s.sendQuota()
	s.ok("", "GETQUOTAROOT completed")
}

// cmdGetQuota: GETQUOTA root (RFC 9208 4.1.1).
func (s *Session) cmdGetQuota(d *wire.Decoder) {
	d.SP("quota root")
	root := d.AString("quota root")
	d.End()
	if limit, _ := s.user.Quota(); !limit.Set() || root != quotaRoot {
		s.no("", "Quota root doesn't exist", "no.quotaroot", root)
		return
	}
	s.sendQuota()
	s.ok("", "GETQUOTA completed")
}

// sendQuota writes the QUOTA response: each limited resource with what is
// used and the limit. Storage is in KiB, what is used rounded up (a
// message of 19 octets uses 1) and the limit down, as Dovecot reports
// them: the numbers never show room that is not there.
func (s *Session) sendQuota() {
	limit, use := s.user.Quota()
	res := ""
	if limit.Storage > 0 {
		res += "STORAGE " + strconv.FormatInt((use.Storage+1023)/1024, 10) + " " + strconv.FormatInt(limit.Storage/1024, 10)
	}
	if limit.Messages > 0 {
		if res != "" {
			res += " "
		}
		res += "MESSAGE " + strconv.Itoa(use.Messages) + " " + strconv.Itoa(limit.Messages)
	}
	s.untagged("QUOTA " + wire.Quote(quotaRoot) + " (" + res + ")")
	switch {
	case limit.Storage > 0 && limit.Messages > 0:
		s.explain("quota", (use.Storage+1023)/1024, limit.Storage/1024, use.Messages, limit.Messages)
	case limit.Storage > 0:
		s.explain("quota.storage", (use.Storage+1023)/1024, limit.Storage/1024)
	default:
		s.explain("quota.message", use.Messages, limit.Messages)
	}
}

// overQuotaNo answers a change refused for the user's quota.
func (s *Session) overQuotaNo() {
	s.no("OVERQUOTA", "Quota exceeded (mailbox for user is full)", "no.quota")
}
