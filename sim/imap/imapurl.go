package imap

import (
	"strconv"
	"strings"

	"maillab/sim/mailstore"
	"maillab/sim/mime"
	"maillab/sim/mutf7"
)

// urlData returns the octets an IMAP URL (RFC 5092) names, for CATENATE
// (RFC 4469): a message, or a section of it, in one of this user's
// mailboxes on this server:
//
//	[imap://[user@]host[:port]] "/" mailbox [";UIDVALIDITY=" n] "/;UID=" n
//	    ["/;SECTION=" section] ["/;PARTIAL=" offset ["." length]]
//
// or, with a mailbox selected, ";UID=" n ... relative to it. Another
// user's or another server's URL, URLAUTH, a wrong UIDVALIDITY, a message
// or section that does not exist: ok is false (NO [BADURL]). A message
// whose file could not be read: unread is its UID, and data nil.
func (s *Session) urlData(u string) (data []byte, unread uint32, ok bool) {
	rest := u
	if len(rest) >= 7 && strings.EqualFold(rest[:7], "imap://") {
		authority, path, found := strings.Cut(rest[7:], "/")
		if !found || !s.ownAuthority(authority) {
			return nil, 0, false
		}
		rest = "/" + path
	}
	var mb *mailstore.Mailbox
	var segs []string
	switch {
	case strings.HasPrefix(rest, "/"):
		segs = strings.Split(rest[1:], "/;")
		name, params, _ := strings.Cut(segs[0], ";")
		mb = s.urlMailbox(name)
		if mb == nil {
			return nil, 0, false
		}
		if params != "" {
			v, ok := urlParam(params, "UIDVALIDITY")
			if !ok || v != strconv.FormatUint(uint64(mb.UIDValidity()), 10) {
				return nil, 0, false
			}
		}
		segs = segs[1:]
	case s.sel != nil && len(rest) > 0 && rest[0] == ';':
		mb = s.sel.mb
		segs = strings.Split(rest[1:], "/;")
	default:
		return nil, 0, false
	}
	if len(segs) == 0 {
		return nil, 0, false // a mailbox, not a message
	}
	v, ok := urlParam(segs[0], "UID")
	uid, err := strconv.ParseUint(v, 10, 32)
	if !ok || err != nil || uid == 0 {
		return nil, 0, false
	}
	m, found := mb.Message(uint32(uid))
	if !found {
		return nil, 0, false
	}
	e, _ := m.Parsed()
	data = m.Raw()
	if m.ReadErr() != nil {
		return nil, uint32(uid), true
	}
	for _, seg := range segs[1:] {
		if v, ok := urlParam(seg, "SECTION"); ok {
			if data, ok = urlSection(e, v); !ok {
				return nil, 0, false
			}
			continue
		}
		if v, ok := urlParam(seg, "PARTIAL"); ok {
			off, n, ok := urlPartial(v)
			if !ok {
				return nil, 0, false
			}
			data = mime.Partial(data, off, n)
			continue
		}
		return nil, 0, false // URLAUTH, EXPIRE or anything else: not offered
	}
	return data, 0, true
}

// ownAuthority accepts "[user[;AUTH=...]@]host[:port]" when the user, if
// named, is this session's and the host is this server.
func (s *Session) ownAuthority(a string) bool {
	if at := strings.LastIndexByte(a, '@'); at >= 0 {
		user, _, _ := strings.Cut(a[:at], ";")
		name, ok := mime.PercentDecode(user)
		if !ok || name != s.user.Name() {
			return false
		}
		a = a[at+1:]
	}
	host := a
	if i := strings.LastIndexByte(a, ':'); i >= 0 && !strings.HasSuffix(a, "]") {
		host = a[:i]
	}
	return strings.EqualFold(host, s.o.Hostname) || strings.EqualFold(host, "localhost") || host == "127.0.0.1" || host == "[::1]"
}

// urlMailbox finds a mailbox named in a URL: %-encoded UTF-8 (RFC 5092
// 3.1), or modified UTF-7 as RFC 2192 had it.
func (s *Session) urlMailbox(enc string) *mailstore.Mailbox {
	name, ok := mime.PercentDecode(enc)
	if !ok || name == "" {
		return nil
	}
	if strings.EqualFold(name, mailstore.Inbox) {
		name = mailstore.Inbox
	}
	if mb, err := s.user.Mailbox(name); err == nil {
		return mb
	}
	if dec, err := mutf7.Decode(name); err == nil && dec != name {
		if mb, err := s.user.Mailbox(dec); err == nil {
			return mb
		}
	}
	return nil
}

// urlParam reads "NAME=value" with the name in any case.
func urlParam(seg, name string) (string, bool) {
	k, v, ok := strings.Cut(seg, "=")
	if !ok || !strings.EqualFold(k, name) {
		return "", false
	}
	return v, true
}

// urlSection reads a %-encoded section ("1.2", "HEADER", "2.MIME",
// "HEADER.FIELDS (FROM TO)") and returns its octets.
func urlSection(e *mime.Entity, enc string) ([]byte, bool) {
	sec, ok := mime.PercentDecode(enc)
	if !ok {
		return nil, false
	}
	spec, fieldList, hasFields := strings.Cut(sec, " ")
	var parts []int
	words := strings.Split(spec, ".")
	i := 0
	for ; i < len(words); i++ {
		n, err := strconv.Atoi(words[i])
		if err != nil {
			break
		}
		if n < 1 {
			return nil, false
		}
		parts = append(parts, n)
	}
	spec = strings.ToUpper(strings.Join(words[i:], "."))
	var fields []string
	switch spec {
	case "", "HEADER", "TEXT", "MIME":
		if hasFields {
			return nil, false
		}
	case "HEADER.FIELDS", "HEADER.FIELDS.NOT":
		fieldList = strings.TrimSpace(fieldList)
		if !strings.HasPrefix(fieldList, "(") || !strings.HasSuffix(fieldList, ")") {
			return nil, false
		}
		fields = strings.Fields(fieldList[1 : len(fieldList)-1])
		if len(fields) == 0 {
			return nil, false
		}
	default:
		return nil, false
	}
	return e.Section(parts, spec, fields)
}

// urlPartial reads "offset[.length]".
func urlPartial(v string) (off, n int, ok bool) {
	o, l, hasLen := strings.Cut(v, ".")
	off, err := strconv.Atoi(o)
	if err != nil || off < 0 {
		return 0, 0, false
	}
	n = -1
	if hasLen {
		if n, err = strconv.Atoi(l); err != nil || n < 1 {
			return 0, 0, false
		}
	}
	return off, n, true
}
