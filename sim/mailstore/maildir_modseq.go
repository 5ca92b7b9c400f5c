package mailstore

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/hack-pad/hackpadfs"
)

// modseqFile keeps a Maildir's mod-sequences (RFC 7162) across restarts.
// Dovecot keeps its own in dovecot.index files, which this lab neither
// reads nor writes; it ignores a file of another name in the folder, and
// no Maildir reader takes a plain file there for a message or a folder.
//
// The file is a header line, then one record per line, later records
// overriding earlier ones:
//
//	maillab-modseq 1 UIDVALIDITY HIGHESTMODSEQ FLOOR
//	UID MODSEQ FLAG...      a message, its mod-sequence and its flags then
//	-UID MODSEQ             an expunge
//
// Changes append records (a flag change before the file is renamed), and
// the file is written whole, through tmp/ and a rename, at start and when
// most of its lines are stale. A record whose flags differ from the file's
// on disk (a crash between the two writes, or another program such as
// Dovecot or a mail client changed them while the lab was stopped), a
// message without a record (delivered meanwhile) and a recorded message
// whose file is gone are given a new mod-sequence when the Maildir is
// loaded, so no client misses a change. A last line that no line end
// closes was cut by a crash before anyone was told of it, and is ignored.
const modseqFile = "maillab-modseq"

const modseqMagic = "maillab-modseq 1"

// modSeqWriter is a Persister that keeps the modseq file.
type modSeqWriter interface {
	appendModSeqs(user, mailbox string, records []byte) error
	writeModSeqs(user, mailbox string, data []byte) error
}

func writeModSeqRecord(b *strings.Builder, uid uint32, modseq uint64, flags []string) {
	b.WriteString(strconv.FormatUint(uint64(uid), 10))
	b.WriteByte(' ')
	b.WriteString(strconv.FormatUint(modseq, 10))
	for _, f := range flags {
		b.WriteByte(' ')
		b.WriteString(f)
	}
	b.WriteByte('\n')
}

// modSeqFileLocked is the whole file for the mailbox's state now.
func (mb *Mailbox) modSeqFileLocked() []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %d %d %d\n", modseqMagic, mb.uidValidity, mb.highestLocked(), mb.mod.floor)
	for _, m := range mb.msgs {
		writeModSeqRecord(&b, m.uid, m.modSeq(), m.flags)
	}
	for _, v := range mb.mod.vanished {
		fmt.Fprintf(&b, "-%d %d\n", v.uid, v.modseq)
	}
	return []byte(b.String())
}

// recordModSeqsLocked writes records through to the persister, if it
// keeps mod-sequences: appended, or with the whole file once most of its
// lines are stale or there is no file yet (a mailbox just created).
func (mb *Mailbox) recordModSeqsLocked(records string) error {
	w, ok := mb.user.store.persist.(modSeqWriter)
	if !ok || records == "" {
		return nil
	}
	n := strings.Count(records, "\n")
	if mb.mod.lines+n <= 2*(len(mb.msgs)+len(mb.mod.vanished))+64 {
		err := w.appendModSeqs(mb.user.name, mb.name, []byte(records))
		if err == nil {
			mb.mod.lines += n
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	data := append(mb.modSeqFileLocked(), records...)
	if err := w.writeModSeqs(mb.user.name, mb.name, data); err != nil {
		return err
	}
	mb.mod.lines = n
	return nil
}

func (p *maildirPersister) appendModSeqs(user, mailbox string, records []byte) error {
	w := p.w
	w.mu.Lock()
	defer w.mu.Unlock()
	mdir, st, err := w.folder(user, mailbox)
	if err != nil {
		return err
	}
	if err := w.ensureMaildir(mdir, st); err != nil {
		return err
	}
	f, err := hackpadfs.OpenFile(w.fsys, join(mdir, modseqFile), hackpadfs.FlagWriteOnly|hackpadfs.FlagAppend, 0o600)
	if err != nil {
		return err
	}
	_, err = hackpadfs.WriteFile(f, records)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func (p *maildirPersister) writeModSeqs(user, mailbox string, data []byte) error {
	w := p.w
	w.mu.Lock()
	defer w.mu.Unlock()
	mdir, st, err := w.folder(user, mailbox)
	if err != nil {
		return err
	}
	return w.writeFolderFile(mdir, st, modseqFile, data)
}

// modSeqRecords is what a modseq file says.
type modSeqRecords struct {
	validity uint32
	highest  uint64
	floor    uint64
	msgs     map[uint32]modSeqRecord
	vanished map[uint32]uint64
}

type modSeqRecord struct {
	modseq uint64
	flags  []string
}

func parseModSeqFile(data []byte) (*modSeqRecords, error) {
	if i := bytes.LastIndexByte(data, '\n'); i < len(data)-1 {
		data = data[:i+1] // a last line cut by a crash
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	head := strings.Fields(lines[0])
	if len(head) != 5 || head[0]+" "+head[1] != modseqMagic {
		return nil, errors.New("not a maillab-modseq file of version 1")
	}
	validity, err1 := strconv.ParseUint(head[2], 10, 32)
	highest, err2 := strconv.ParseUint(head[3], 10, 63)
	floor, err3 := strconv.ParseUint(head[4], 10, 63)
	if err := errors.Join(err1, err2, err3); err != nil {
		return nil, err
	}
	r := &modSeqRecords{validity: uint32(validity), highest: highest, floor: floor,
		msgs: map[uint32]modSeqRecord{}, vanished: map[uint32]uint64{}}
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		gone := strings.HasPrefix(f[0], "-")
		uid, err1 := strconv.ParseUint(strings.TrimPrefix(f[0], "-"), 10, 32)
		ms, err2 := strconv.ParseUint(f[1], 10, 63)
		if err1 != nil || err2 != nil || uid == 0 || ms == 0 {
			continue
		}
		r.highest = max(r.highest, ms)
		if gone {
			delete(r.msgs, uint32(uid))
			r.vanished[uint32(uid)] = ms
			continue
		}
		delete(r.vanished, uint32(uid))
		r.msgs[uint32(uid)] = modSeqRecord{ms, NormalizeFlags(f[2:])}
	}
	return r, nil
}

// loadModSeqs gives a mailbox just loaded from mdir its mod-sequences from
// the modseq file. Without a usable one (none, another UIDVALIDITY) the
// mailbox starts afresh: every message at mod-sequence 1, and no expunge
// remembered (a question about one is answered with the UIDs not in the
// mailbox). The store is not yet shared.
func loadModSeqs(fsys hackpadfs.FS, mdir string, mb *Mailbox) error {
	mb.mod = modSeqState{floor: 1}
	data, err := hackpadfs.ReadFile(fsys, join(mdir, modseqFile))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("reading %s: %w", join(mdir, modseqFile), err)
	}
	r, err := parseModSeqFile(data)
	if err != nil || r.validity != mb.uidValidity {
		return nil // a stale or foreign file: start afresh, rewritten at attach
	}
	mb.mod.highest, mb.mod.floor = max(r.highest, 1), r.floor
	fresh := mb.mod.highest + 1
	changed := false
	recorded := 0 // messages with a record
	for _, m := range mb.msgs {
		rec, ok := r.msgs[m.uid]
		if ok {
			recorded++
		}
		if ok && slices.Equal(rec.flags, m.flags) {
			m.modseq = rec.modseq
			continue
		}
		m.modseq, changed = fresh, true
	}
	var vanished []vanishedUID
	for uid, ms := range r.vanished {
		vanished = append(vanished, vanishedUID{uid, ms})
	}
	// A record without its message is a UID that vanished; when every
	// record has its message, no search for them is needed.
	for uid := range r.msgs {
		if recorded == len(r.msgs) {
			break
		}
		if _, present := mb.indexLocked(uid); !present && uid < mb.uidNext {
			vanished = append(vanished, vanishedUID{uid, fresh})
			changed = true
		}
	}
	slices.SortFunc(vanished, func(a, b vanishedUID) int {
		return cmp.Or(cmp.Compare(a.modseq, b.modseq), cmp.Compare(a.uid, b.uid))
	})
	mb.mod.vanished = vanished
	mb.trimVanishedLocked()
	if changed {
		mb.mod.highest = fresh
	}
	return nil
}
