package wire

import (
	"strings"
	"time"
)

// SearchKey is one SEARCH criterion. Key is upper-case; "AND" is a
// parenthesized group and "SEQ" a bare sequence set. Sub holds the operands
// of AND, OR and NOT.
type SearchKey struct {
	Key   string
	Field string // HEADER's field name
	Str   []byte // string argument, in the command's charset, undecoded
	Date  time.Time
	Num   uint32
	// ModSeq is MODSEQ's value (RFC 7162 3.1.5).
	ModSeq uint64
	Set    NumSet
	Sub    []SearchKey
}

// searchArgs says what follows each key: "" nothing, "s" a string,
// "hs" a header name and a string, "d" a date, "n" a number, "f" a flag,
// "set" a sequence set, "k" one key, "kk" two keys.
var searchArgs = map[string]string{
	"ALL": "", "ANSWERED": "", "DELETED": "", "DRAFT": "", "FLAGGED": "", "NEW": "", "OLD": "",
	"RECENT": "", "SEEN": "", "UNANSWERED": "", "UNDELETED": "", "UNDRAFT": "", "UNFLAGGED": "",
	"UNSEEN": "",
	"BCC":    "s", "BODY": "s", "CC": "s", "FROM": "s", "SUBJECT": "s", "TEXT": "s", "TO": "s",
	"HEADER": "hs",
	"BEFORE": "d", "ON": "d", "SINCE": "d", "SENTBEFORE": "d", "SENTON": "d", "SENTSINCE": "d",
	"LARGER": "n", "SMALLER": "n",
	"OLDER": "n", "YOUNGER": "n", // RFC 5032 WITHIN: seconds
	"KEYWORD": "f", "UNKEYWORD": "f",
	"UID":    "set",
	"MODSEQ": "m",
	"NOT":    "k", "OR": "kk",
}

// maxSearchDepth bounds nesting so a hostile command cannot exhaust the stack.
const maxSearchDepth = 100

// SearchKeys reads one or more space-separated keys to the end of the line.
func (d *Decoder) SearchKeys() []SearchKey {
	var keys []SearchKey
	for {
		keys = append(keys, d.searchKey(0))
		if !d.Eat(' ') {
			return keys
		}
	}
}

func (d *Decoder) searchKey(depth int) SearchKey {
	const arg = "search key"
	if depth > maxSearchDepth {
		fail(arg, "nested more than %d levels deep", maxSearchDepth)
	}
	if d.IsSeqSetStart() {
		return SearchKey{Key: "SEQ", Set: d.SeqSet("sequence set")}
	}
	if d.Peek() == '(' {
		k := SearchKey{Key: "AND"}
		d.List(arg, func() { k.Sub = append(k.Sub, d.searchKey(depth+1)) })
		if len(k.Sub) == 0 {
			fail(arg, "empty parentheses; put search keys inside, e.g. (FROM alex SEEN)")
		}
		return k
	}
	word := strings.ToUpper(d.span(isAtomChar))
	kind, ok := searchArgs[word]
	if !ok {
		if word == "" {
			fail(arg, "expected a search key such as ALL, FROM, SUBJECT or UNSEEN, found %s", d.found())
		}
		fail(arg, "%s is not a search key; RFC 3501 6.4.4 lists ALL, FROM, SUBJECT, TEXT, SINCE, UNSEEN, OR, NOT...", word)
	}
	k := SearchKey{Key: word}
	switch kind {
	case "s":
		d.SP(word + "'s string")
		k.Str = []byte(d.AString(word + "'s string"))
	case "hs":
		d.SP("HEADER's field name")
		k.Field = d.AString("HEADER's field name")
		d.SP("HEADER's string")
		k.Str = []byte(d.AString("HEADER's string"))
	case "d":
		d.SP(word + "'s date")
		k.Date = d.Date(word + "'s date")
	case "n":
		if word == "OLDER" || word == "YOUNGER" {
			d.SP(word + "'s seconds")
			k.Num = d.NzNumber(word + "'s seconds")
			break
		}
		d.SP(word + "'s size")
		k.Num = d.Number(word + "'s size")
	case "f":
		d.SP(word + "'s keyword")
		k.Str = []byte(d.Atom(word + "'s keyword"))
	case "m":
		d.searchModSeq(&k)
	case "set":
		d.SP("UID set")
		k.Set = d.SeqSet("UID set")
	case "k":
		d.SP("NOT's key")
		k.Sub = []SearchKey{d.searchKey(depth + 1)}
	case "kk":
		d.SP("OR's first key")
		a := d.searchKey(depth + 1)
		d.SP("OR's second key")
		k.Sub = []SearchKey{a, d.searchKey(depth + 1)}
	}
	return k
}
