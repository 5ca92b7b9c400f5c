package imap

import (
	"strconv"
	"strings"

	"maillab/sim/imap/wire"
	"maillab/sim/mailstore"
)

// APPEND with the extensions that change what it carries:
//
//	append         = "APPEND" SP mailbox 1*append-message      (RFC 3502)
//	append-message = SP [flag-list SP] [date-time SP] append-data
//	append-data    = literal / literal8 / "CATENATE" SP "(" cat-part *(SP cat-part) ")"
//	cat-part       = "TEXT" SP literal / "URL" SP astring        (RFC 4469)
//
// literal8 "~{n}" is BINARY's (RFC 3516): octets that may include NUL.
// MULTIAPPEND stores all the messages or none; CATENATE builds one message
// from literal texts and parts of messages in this user's mailboxes.

// Bounds of one APPEND: every message, however built, within the literal
// limit; a MULTIAPPEND of at most maxAppendMessages messages and
// appendTotalFactor times the literal limit in all, since all of them are
// held until the last one is read.
const (
	maxAppendMessages = 1000
	appendTotalFactor = 4
)

// appendAbort unwinds the parse of an APPEND that was already answered.
type appendAbort struct{}

// appendCmd is one APPEND being read.
type appendCmd struct {
	s      *Session
	d      *wire.Decoder
	onWire string
	mb     *mailstore.Mailbox
	drafts []mailstore.Draft
	left   int64 // octets the rest of the command may carry
}

// cmdAppend: APPEND mailbox [flags] [date-time] literal (RFC 3501 6.3.11),
// repeated (MULTIAPPEND), a message built by CATENATE or sent as a
// literal8 (BINARY), answered with UIDPLUS's APPENDUID (RFC 4315).
func (s *Session) cmdAppend(d *wire.Decoder) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(appendAbort); !ok {
				panic(r)
			}
		}
	}()
	a := &appendCmd{s: s, d: d, left: int64(s.o.MaxLiteral) * appendTotalFactor}
	d.SP("mailbox name")
	onWire, name, nameErr := s.mailboxArg(d, "mailbox name")
	a.onWire = onWire
	// The mailbox is looked up before any message is read, so a client
	// is told of a missing one before it sends megabytes (RFC 3502 allows
	// it; Dovecot does it).
	if nameErr != nil {
		a.fail(func() { s.nameRefused(onWire, nameErr) })
	}
	mb, err := s.user.Mailbox(name)
	if err != nil {
		a.fail(func() {
			if err == mailstore.ErrNoMailbox {
				s.no("TRYCREATE", "Mailbox "+onWire+" does not exist; CREATE it first", "no.trycreate", onWire)
				return
			}
			s.storeError(err, onWire)
		})
	}
	a.mb = mb
	for {
		d.SP("message literal")
		a.message()
		if d.AtEnd() {
			break
		}
		if len(a.drafts) == maxAppendMessages {
			a.fail(func() {
				s.no("LIMIT", "One APPEND may carry at most "+strconv.Itoa(maxAppendMessages)+" messages; send the rest in another", "no.append.count", maxAppendMessages)
			})
		}
	}
	a.store()
}

// fail answers the command with answer after dropping what is left of it
// (a synchronizing literal is never asked for), and stops the parse.
func (a *appendCmd) fail(answer func()) {
	if err := a.d.Discard(); err != nil {
		a.s.rerr = err
		panic(appendAbort{})
	}
	answer()
	panic(appendAbort{})
}

func (a *appendCmd) tooBig() {
	a.fail(func() {
		a.s.no("TOOBIG", "The message is larger than this server accepts ("+strconv.Itoa(a.s.o.MaxLiteral)+" octets; the messages of one APPEND "+
			strconv.FormatInt(int64(a.s.o.MaxLiteral)*appendTotalFactor, 10)+" together)", "no.append.toobig", a.s.o.MaxLiteral)
	})
}

// message reads one append-message.
func (a *appendCmd) message() {
	d := a.d
	var dr mailstore.Draft
	if d.Peek() == '(' {
		dr.Flags = d.FlagList("flag list")
		checkStorable(dr.Flags)
		d.SP("message literal")
	}
	dr.Date = a.s.o.Now()
	if d.Peek() == '"' {
		dr.Date = d.DateTime("date-time")
		d.SP("message literal")
	}
	switch d.Peek() {
	case '{':
		dr.Raw = a.literal("message literal", 0)
	case '~':
		dr.Raw = binaryToBase64(a.literal("message literal", 0))
	default:
		if !strings.EqualFold(d.PeekAtom(), "CATENATE") {
			wireFail("message literal", "the message must be sent as a literal: {size} then the octets (or CATENATE (...))", "bad.append.literal")
		}
		d.Atom("CATENATE")
		d.SP("catenate parts")
		dr.Raw = a.catenate()
	}
	a.drafts = append(a.drafts, dr)
}

// literal reads a literal or a literal8 that adds to a message already
// have octets long, refusing it with NO [TOOBIG] before its octets are
// asked for when it would take the message or the command over the limit.
func (a *appendCmd) literal(arg string, have int) []byte {
	d := a.d
	n, sync, ok := d.PeekLiteral()
	if ok && (n > int64(a.s.o.MaxLiteral-have) || n > a.left) {
		if !sync && n > d.MaxLiteral {
			d.Literal(arg) // unasked octets over the limit: BYE, as for any command
		}
		a.tooBig()
	}
	var b []byte
	if d.Peek() == '~' {
		b = d.Literal8(arg)
	} else {
		b = d.Literal(arg)
	}
	a.left -= int64(len(b))
	return b
}

// catenate reads CATENATE's parts and joins them (RFC 4469 5).
func (a *appendCmd) catenate() []byte {
	d := a.d
	var msg []byte
	parts := 0
	d.List("catenate parts", func() {
		parts++
		switch kind := d.Keyword("catenate part"); kind {
		case "TEXT":
			d.SP("text literal")
			if c := d.Peek(); c != '{' && c != '~' {
				wireFail("text literal", "TEXT takes a literal: {size} then the octets", "bad.catenate.text")
			}
			msg = append(msg, a.literal("text literal", len(msg))...)
		case "URL":
			d.SP("URL")
			u := d.AString("URL")
			data, unread, ok := a.s.urlData(u)
			if !ok {
				a.fail(func() {
					a.s.no("BADURL "+codeText(u), "The URL "+codeText(u)+" names no message part of this server that this user can read", "no.badurl", codeText(u))
				})
			}
			if unread != 0 {
				// Its part would be empty: the message stored would
				// lack it, and no client would know. Nothing is stored.
				a.fail(func() {
					a.s.no("SERVERBUG", "Message UID "+strconv.FormatUint(uint64(unread), 10)+" of the URL: "+mailstore.ErrMessageUnreadable.Error()+"; nothing was stored", "no.serverbug")
				})
			}
			if len(msg)+len(data) > a.s.o.MaxLiteral || int64(len(data)) > a.left {
				a.tooBig()
			}
			a.left -= int64(len(data))
			msg = append(msg, data...)
		default:
			wireFail("catenate part", kind+" is not a CATENATE part; use TEXT {n} or URL \"/mailbox/;UID=n\"", "bad.catenate.part", kind)
		}
	})
	if parts == 0 {
		wireFail("catenate parts", "CATENATE needs at least one part, TEXT or URL", "bad.catenate.empty")
	}
	return msg
}

// codeText makes s fit inside a response code: no "]", no control
// characters.
func codeText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == ']' {
			return '?'
		}
		return r
	}, s)
}

// store appends what was read, all or nothing.
func (a *appendCmd) store() {
	s := a.s
	for _, dr := range a.drafts {
		if len(dr.Raw) == 0 {
			s.no("", "A message cannot be empty: send at least one header field", "no.append.empty")
			return
		}
	}
	if s.overQuota(a.mb, len(a.drafts)) {
		return
	}
	uids, err := a.mb.AppendAll(a.drafts)
	if err != nil {
		s.storeError(err, a.onWire)
		return
	}
	s.ok("APPENDUID "+strconv.FormatUint(uint64(a.mb.UIDValidity()), 10)+" "+uidRange(uids), "APPEND completed")
}

// uidRange writes consecutive UIDs as "first:last" (RFC 4315's uid-set).
func uidRange(uids []uint32) string {
	first := strconv.FormatUint(uint64(uids[0]), 10)
	if len(uids) == 1 {
		return first
	}
	return first + ":" + strconv.FormatUint(uint64(uids[len(uids)-1]), 10)
}
