package imap

import (
	"strconv"
	"strings"

	"maillab/sim/imap/wire"
	"maillab/sim/mailstore"
)

var storeOps = map[string]mailstore.FlagOp{"FLAGS": mailstore.FlagsReplace, "+FLAGS": mailstore.FlagsAdd, "-FLAGS": mailstore.FlagsRemove}

// cmdStore serves STORE and UID STORE (RFC 3501 6.4.6): FLAGS, +FLAGS,
// -FLAGS, each with .SILENT to suppress the FETCH answers.
func (s *Session) cmdStore(d *wire.Decoder) {
	d.SP("sequence set")
	set := d.SeqSet("sequence set")
	d.SP("store item")
	cond, since := readStoreModifiers(d)
	item := d.Keyword("store item")
	silent := strings.HasSuffix(item, ".SILENT")
	op, ok := storeOps[strings.TrimSuffix(item, ".SILENT")]
	if !ok {
		wireFail("store item", item+" is not a STORE item; use FLAGS, +FLAGS or -FLAGS (with .SILENT to get no answer)", "bad.store.item", item)
	}
	d.SP("flags")
	flags := d.Flags("flags")
	checkStorable(flags)
	d.End()
	if s.sel.readOnly {
		s.no("READ-ONLY", "The mailbox was opened with EXAMINE; flags cannot change", "no.readonly.store")
		return
	}
	ts, ok := s.resolve(set, s.uidMode())
	if !ok {
		return
	}
	if cond {
		s.enableCondstore()
	}
	res, err := s.sel.mb.StoreFlagsCond(s.uidsOf(ts), op, flags, cond, since, s.sel.w)
	if err != nil {
		s.serverBug(err)
		return
	}
	newKeywords := false
	for _, f := range res.Flags {
		if s.sel.learnKeywords(f) {
			newKeywords = true
		}
	}
	if newKeywords {
		s.sendFlags()
	}
	for _, t := range ts {
		f, ok := res.Flags[t.uid]
		// Silent, a CONDSTORE client is still told the new mod-sequence.
		if ok && (!silent || s.condstore() && res.Changed[t.uid]) {
			s.fetchUpdate(t.seq, t.uid, f, res.ModSeq[t.uid], s.uidMode(), silent)
		}
	}
	if len(res.Modified) > 0 {
		s.complete("OK", s.modifiedCode(res.Modified), "Conditional STORE failed", "ok.modified", []any{s.cmd})
		return
	}
	s.ok("", s.cmd+" completed")
}

// cmdCopy serves COPY, MOVE and their UID forms (RFC 3501 6.4.7, RFC 6851),
// answering with UIDPLUS's COPYUID (RFC 4315).
func (s *Session) cmdCopy(d *wire.Decoder) {
	d.SP("sequence set")
	set := d.SeqSet("sequence set")
	d.SP("mailbox name")
	onWire, name, nameErr := s.mailboxArg(d, "mailbox name")
	d.End()
	if s.nameRefused(onWire, nameErr) {
		return
	}
	move := strings.HasSuffix(s.cmd, "MOVE")
	if move && s.sel.readOnly {
		s.no("READ-ONLY", "The mailbox was opened with EXAMINE; messages cannot be moved out of it", "no.readonly.move")
		return
	}
	ts, ok := s.resolve(set, s.uidMode())
	if !ok {
		return
	}
	dst, err := s.user.Mailbox(name)
	if err != nil {
		if err == mailstore.ErrNoMailbox {
			s.no("TRYCREATE", "Mailbox "+onWire+" does not exist; CREATE it first", "no.trycreate", onWire)
			return
		}
		s.storeError(err, onWire)
		return
	}
	if s.overQuota(dst, len(ts)) {
		return
	}
	src, dest, ok := s.copyAll(dst, s.uidsOf(ts), onWire)
	switch {
	case !ok:
	case !move:
		s.ok(copyUID(dst, src, dest), s.cmd+" completed")
	default:
		// MOVE is COPY, then expunging the originals (RFC 6851 3.3).
		removed, err := s.sel.mb.Remove(src, false, s.sel.w)
		if len(src) > 0 {
			s.untagged("OK [" + copyUID(dst, src, dest) + "] Moved")
			s.explain("moved")
		}
		s.expungeOwn(removed)
		if err != nil {
			s.storeError(err, onWire)
			return
		}
		s.ok("", s.cmd+" completed")
	}
}

// copyAll copies uids to dst, all or nothing (RFC 3501 6.4.7): a message
// another session expunged fails the command (RFC 2180 4.4.1 lets COPY
// answer NO), checked before anything is copied and again after, when an
// expunge in between is undone. On failure it has answered the command.
func (s *Session) copyAll(dst *mailstore.Mailbox, uids []uint32, onWire string) (src, dest []uint32, ok bool) {
	for _, uid := range uids {
		if _, ok := s.sel.mb.Message(uid); !ok {
			s.expungeIssued()
			return nil, nil, false
		}
	}
	copyTo := s.sel.mb.CopyTo
	if strings.HasSuffix(s.cmd, "MOVE") {
		copyTo = s.sel.mb.CopyForMove // no more of the quota
	}
	src, dest, err := copyTo(dst, uids, s.sel.w)
	if err == nil && len(src) < len(uids) {
		if _, err = dst.Remove(dest, false, nil); err == nil {
			s.expungeIssued()
			return nil, nil, false
		}
	}
	if err != nil {
		s.storeError(err, onWire)
		return nil, nil, false
	}
	return src, dest, true
}

func copyUID(dst *mailstore.Mailbox, src, dest []uint32) string {
	if len(src) == 0 {
		return ""
	}
	return "COPYUID " + strconv.FormatUint(uint64(dst.UIDValidity()), 10) + " " + wire.SetOf(src) + " " + wire.SetOf(dest)
}

// cmdExpunge serves EXPUNGE and UID EXPUNGE (RFC 3501 6.4.3, RFC 4315).
func (s *Session) cmdExpunge(d *wire.Decoder) {
	uids := s.sel.uids
	if s.cmd == "UID EXPUNGE" {
		d.SP("UID set")
		set := d.SeqSet("UID set")
		ts, _ := s.resolve(set, true)
		uids = s.uidsOf(ts)
	}
	d.End()
	if s.sel.readOnly {
		s.no("READ-ONLY", "The mailbox was opened with EXAMINE; nothing can be expunged", "no.readonly.expunge")
		return
	}
	removed, err := s.sel.mb.Remove(uids, true, s.sel.w)
	s.expungeOwn(removed)
	if err != nil {
		s.serverBug(err)
		return
	}
	s.ok("", s.cmd+" completed")
}

// expungeOwn announces messages this session removed: each EXPUNGE carries
// the sequence number at that moment, so later ones shift down.
func (s *Session) expungeOwn(uids []uint32) {
	s.sel.expunged = append(uids, s.sel.expunged...)
	s.sendExpunges()
}
