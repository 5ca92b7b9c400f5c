package wire

import "strconv"

// ModSeq reads a mod-sequence value of RFC 7162: a number up to 2^63-1.
func (d *Decoder) ModSeq(arg string) uint64 {
	s := d.span(func(c byte) bool { return c >= '0' && c <= '9' })
	if s == "" {
		fail(arg, "expected a mod-sequence (a number), found %s", d.found())
	}
	n, err := strconv.ParseUint(s, 10, 63)
	if err != nil {
		fail(arg, "mod-sequence %s is larger than 9223372036854775807", s)
	}
	return n
}

// searchModSeq reads SEARCH MODSEQ's arguments (RFC 7162 3.1.5): an
// optional metadata entry name and type, which this server, keeping one
// mod-sequence per message, takes as the message's, then the value.
func (d *Decoder) searchModSeq(k *SearchKey) {
	d.SP("MODSEQ's value")
	if d.Peek() == '"' {
		d.Quoted("MODSEQ's entry name")
		d.SP("MODSEQ's entry type")
		switch t := d.Keyword("MODSEQ's entry type"); t {
		case "PRIV", "SHARED", "ALL":
		default:
			fail("MODSEQ's entry type", "%s is no entry type; use priv, shared or all", t)
		}
		d.SP("MODSEQ's value")
	}
	k.ModSeq = d.ModSeq("MODSEQ's value")
}
