package mailstore

// Keywords beyond Maildir's 26 letters. A file name's info has the
// letters a-z for the keywords of dovecot-keywords; Dovecot keeps any
// further keyword in its index (dovecot.index), which the lab does not
// write. The lab keeps them in a file of its own beside dovecot-keywords,
// which Dovecot does not read, so that a keyword STORE answered OK for
// survives a restart: one line per message that has such keywords, the
// file's base name, a TAB and the keywords separated by spaces. The file is
// replaced whole through tmp/ like Dovecot's own files, so a crash leaves
// the old list or the new one, never half of one; a line whose message is
// gone is ignored and dropped at the next rewrite.

import (
	"slices"
	"sort"
	"strings"
)

const extraKeywordsFile = "maillab-keywords"

// maxExtraKeywordsLine bounds one line of the file when it is read: a
// message's flags are bounded by IMAP's command line limit.
const maxExtraKeywordsLine = 64 << 10

// overflowKeywords lists the keywords among flags that have no letter in
// keywords.
func overflowKeywords(flags, keywords []string) []string {
	var out []string
	for _, f := range flags {
		if !strings.HasPrefix(f, `\`) && indexFold(keywords, f) < 0 {
			out = append(out, f)
		}
	}
	return out
}

// parseExtraKeywords reads the file into base name -> keywords.
func parseExtraKeywords(data []byte) map[string][]string {
	out := map[string][]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if len(line) > maxExtraKeywordsLine {
			continue
		}
		base, kws, ok := strings.Cut(strings.TrimRight(line, "\r"), "\t")
		if !ok || base == "" {
			continue
		}
		if f := strings.Fields(kws); len(f) > 0 {
			out[base] = f
		}
	}
	return out
}

func formatExtraKeywords(extra map[string][]string) []byte {
	bases := make([]string, 0, len(extra))
	for b := range extra {
		bases = append(bases, b)
	}
	sort.Strings(bases)
	var b strings.Builder
	for _, base := range bases {
		b.WriteString(base)
		b.WriteByte('\t')
		b.WriteString(strings.Join(extra[base], " "))
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// withExtraKeywords adds the keywords the file records for base to flags.
func withExtraKeywords(flags []string, extra map[string][]string, base string) []string {
	if kws := extra[base]; len(kws) > 0 {
		return NormalizeFlags(append(flags, kws...))
	}
	return flags
}

// keepExtraKeywords records the keywords of flags that did not get a
// letter (info has just been made from flags) for the file with base, and
// rewrites the file when that changes what it holds. Callers write it
// before the message file is renamed, so the message never carries a
// change whose keywords are not yet kept.
func (w *maildirWriter) keepExtraKeywords(mdir string, st *folderState, base string, flags []string) error {
	over := overflowKeywords(flags, st.keywords)
	if slices.Equal(over, st.extra[base]) {
		return nil
	}
	next := make(map[string][]string, len(st.extra)+1)
	for b, kws := range st.extra {
		if _, ok := st.list.uids[b]; ok && b != base {
			next[b] = kws
		}
	}
	if len(over) > 0 {
		next[base] = over
	}
	if err := w.writeFolderFile(mdir, st, extraKeywordsFile, formatExtraKeywords(next)); err != nil {
		return err
	}
	st.extra = next
	return nil
}
