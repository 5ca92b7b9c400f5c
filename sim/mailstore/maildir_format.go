package mailstore

// The small text formats of a Maildir: the ":2," info suffix of a message
// file, Dovecot's dovecot-uidlist and dovecot-keywords, and subscriptions.

import (
	"bufio"
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"maillab/sim/mutf7"
)

// infoLetters maps Maildir info letters to IMAP system flags
// (cr.yp.to/proto/maildir.html; T, "trashed", is IMAP's \Deleted).
var infoLetters = map[byte]string{
	'D': FlagDraft,
	'F': FlagFlagged,
	'R': FlagAnswered,
	'S': FlagSeen,
	'T': FlagDeleted,
}

// splitInfo separates a message file name into its base (the stable part
// dovecot-uidlist records) and its info after ":2,". The demo tree's
// "!2," (sim/demo: a Go module cannot hold ":" in a file name) is read the
// same way, so that tree served as it is keeps its flags.
func splitInfo(name string) (base, info string) {
	base, info, ok := strings.Cut(name, ":")
	if !ok {
		base, info, ok = strings.Cut(name, "!2,")
		if ok {
			return base, info
		}
	}
	info, _ = strings.CutPrefix(info, "2,")
	return base, info
}

// flagsFromInfo reads the flags of an info suffix; lower-case letters are
// keyword indexes into dovecot-keywords, ignored when it does not name them.
func flagsFromInfo(info string, keywords []string) []string {
	var flags []string
	for i := 0; i < len(info); i++ {
		c := info[i]
		if f, ok := infoLetters[c]; ok {
			flags = append(flags, f)
		} else if c >= 'a' && c <= 'z' && int(c-'a') < len(keywords) && keywords[c-'a'] != "" {
			flags = append(flags, keywords[c-'a'])
		}
	}
	return NormalizeFlags(flags)
}

// infoFromFlags is flagsFromInfo's inverse. Keywords missing from keywords
// are added to it (added reports so); Maildir has only 26 letters, so
// further keywords get none: Dovecot keeps them in its index, the lab in a
// file of its own (maildir_keywords.go).
func infoFromFlags(flags []string, keywords *[]string) (info string, added bool) {
	var letters []byte
	for _, f := range flags {
		if strings.HasPrefix(f, `\`) {
			for c, sys := range infoLetters {
				if sys == f {
					letters = append(letters, c)
				}
			}
			continue
		}
		i := indexFold(*keywords, f)
		if i < 0 && len(*keywords) < 26 {
			*keywords = append(*keywords, f)
			i, added = len(*keywords)-1, true
		}
		if i >= 0 {
			letters = append(letters, 'a'+byte(i))
		}
	}
	sort.Slice(letters, func(i, j int) bool { return letters[i] < letters[j] })
	return string(letters), added
}

func indexFold(list []string, s string) int {
	for i, x := range list {
		if strings.EqualFold(x, s) {
			return i
		}
	}
	return -1
}

// parseKeywords reads dovecot-keywords: lines "<index> <keyword>".
func parseKeywords(data []byte) []string {
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		idx, kw, ok := strings.Cut(strings.TrimRight(line, "\r"), " ")
		n, err := strconv.Atoi(idx)
		if !ok || err != nil || n < 0 || n >= 26 || kw == "" {
			continue
		}
		for len(out) <= n {
			out = append(out, "")
		}
		out[n] = kw
	}
	return out
}

func formatKeywords(keywords []string) []byte {
	var b bytes.Buffer
	for i, kw := range keywords {
		if kw != "" {
			fmt.Fprintf(&b, "%d %s\n", i, kw)
		}
	}
	return b.Bytes()
}

// uidList is a folder's dovecot-uidlist: UIDVALIDITY, the next UID and
// the UID of each message file by base name.
type uidList struct {
	validity uint32
	next     uint32
	uids     map[string]uint32 // base name -> UID
}

// parseUIDList reads version 3 ("3 V<validity> N<next> ...", then
// "<uid> [<ext>...] :<file>") and the older version 1 ("1 <validity>
// <next>", then "<uid> <file>").
func parseUIDList(data []byte) (*uidList, error) {
	l := &uidList{next: 1, uids: map[string]uint32{}}
	// Lines are appended to the list; a last line without its newline is
	// one whose writing was cut short, and is left out.
	if i := bytes.LastIndexByte(data, '\n'); i >= 0 {
		data = data[:i+1]
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	if !sc.Scan() {
		return l, nil
	}
	hdr := strings.Fields(sc.Text())
	if len(hdr) == 0 {
		return nil, fmt.Errorf("%s: empty header line", uidlistFile)
	}
	switch hdr[0] {
	case "3":
		for _, f := range hdr[1:] {
			if len(f) < 2 {
				continue
			}
			n, err := strconv.ParseUint(f[1:], 10, 32)
			switch {
			case f[0] == 'V' && err == nil:
				l.validity = uint32(n)
			case f[0] == 'N' && err == nil:
				l.next = uint32(n)
			}
		}
	case "1":
		if len(hdr) < 3 {
			return nil, fmt.Errorf("%s: version 1 header needs UIDVALIDITY and next UID", uidlistFile)
		}
		v, err1 := strconv.ParseUint(hdr[1], 10, 32)
		n, err2 := strconv.ParseUint(hdr[2], 10, 32)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%s: bad version 1 header %q", uidlistFile, sc.Text())
		}
		l.validity, l.next = uint32(v), uint32(n)
	default:
		return nil, fmt.Errorf("%s: unknown version %q", uidlistFile, hdr[0])
	}
	for n := 2; sc.Scan(); n++ {
		line := sc.Text()
		uidText, rest, ok := strings.Cut(line, " ")
		uid, err := strconv.ParseUint(uidText, 10, 32)
		if !ok || err != nil || uid == 0 {
			return nil, fmt.Errorf("%s line %d: want \"<uid> :<file>\", found %q", uidlistFile, n, line)
		}
		file := rest
		if i := strings.Index(rest, ":"); i >= 0 && hdr[0] == "3" {
			file = rest[i+1:]
		} else if f := strings.Fields(rest); len(f) > 0 {
			file = f[len(f)-1]
		}
		base, _ := splitInfo(file)
		l.uids[base] = uint32(uid)
		if uint32(uid) >= l.next {
			l.next = uint32(uid) + 1
		}
	}
	return l, sc.Err()
}

// format writes version 3, lines in UID order, as Dovecot writes it.
func (l *uidList) format() []byte {
	type entry struct {
		uid  uint32
		base string
	}
	entries := make([]entry, 0, len(l.uids))
	for b, u := range l.uids {
		entries = append(entries, entry{u, b})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].uid < entries[j].uid })
	var b bytes.Buffer
	fmt.Fprintf(&b, "3 V%d N%d\n", l.validity, l.next)
	for _, e := range entries {
		fmt.Fprintf(&b, "%d :%s\n", e.uid, e.base)
	}
	return b.Bytes()
}

// parseSubscriptions reads Dovecot's subscriptions file in either form:
// version 2 ("V\t2", a blank line, then names with levels separated by
// TAB) or the older one name per line with "/" or "." between levels.
// Levels are in modified UTF-7; names that do not decode are skipped.
func parseSubscriptions(data []byte) []string {
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	sep := ""
	if len(lines) > 0 && lines[0] == "V\t2" {
		lines, sep = lines[1:], "\t"
	}
	var out []string
	for _, line := range lines {
		if line == "" {
			continue
		}
		s := sep
		if s == "" {
			s = diskSep
			if strings.Contains(line, Delimiter) {
				s = Delimiter
			}
		}
		levels := strings.Split(line, s)
		ok := true
		for i, l := range levels {
			dec, err := mutf7.Decode(l)
			if err != nil {
				ok = false
				break
			}
			levels[i] = dec
		}
		if !ok {
			continue
		}
		if name, err := CanonicalName(strings.Join(levels, Delimiter)); err == nil {
			out = append(out, name)
		}
	}
	return out
}

// formatSubscriptions writes version 2, the form Dovecot 2.3 writes.
func formatSubscriptions(names []string) []byte {
	var b bytes.Buffer
	b.WriteString("V\t2\n\n")
	for _, n := range names {
		levels := strings.Split(n, Delimiter)
		for i, l := range levels {
			levels[i] = mutf7.Encode(l)
		}
		b.WriteString(strings.Join(levels, "\t"))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// timeFromFileName reads the leading Unix time of a Maildir file name
// ("1700000000.M1P2.host"), for files whose modification time is unknown.
func timeFromFileName(name string) (time.Time, bool) {
	digits, _, _ := strings.Cut(name, ".")
	sec, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || sec <= 0 {
		return time.Time{}, false
	}
	return time.Unix(sec, 0), true
}
