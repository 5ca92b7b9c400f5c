package pop3

import (
	"strconv"
)

// STAT: the drop listing "+OK nn mm" (RFC 1939 section 5): messages not
// marked deleted and their size in octets.
func (s *Session) cmdStat(command) {
	n, octets := s.drop.totals()
	s.ok(itoa(n)+" "+itoa(octets), expl{key: exStat, args: []any{n, octets},
		parts: []part{{itoa(n), roleCount}, {itoa(octets), roleOctets}}})
}

// LIST [msg]: scan listings "msg octets"; marked messages are left out.
func (s *Session) cmdList(c command) {
	if len(c.args) == 1 {
		n, ok := s.msgArg(c.args[0], "LIST [msg]")
		if !ok {
			return
		}
		size := s.drop.octets(n)
		s.ok(itoa(n)+" "+itoa(size), expl{key: exListOne, args: []any{n, size},
			parts: []part{{itoa(n), roleMsgNum}, {itoa(size), roleSize}}})
		return
	}
	n, octets := s.drop.totals()
	s.Expect(16 * n)
	s.reply(statusOK, "", messages(n)+" ("+itoa(octets)+" octets)")
	x := expl{key: exList, args: []any{n, octets}, parts: []part{{itoa(n), roleCount}, {itoa(octets), roleOctets}}}
	var buf []byte
	for i := range s.drop.msgs {
		if s.drop.deleted[i] {
			continue
		}
		buf = strconv.AppendInt(buf[:0], int64(i+1), 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, int64(s.drop.octets(i+1)), 10)
		s.data(buf)
		if len(x.parts) == 2 {
			x.parts = append(x.parts, part{string(buf), roleScanLine})
		}
	}
	s.end(x)
}

// RETR msg: the whole message, dot-stuffed, after "+OK nn octets". Unless
// Options.NoFlagUpdates, the message is noted to get \Seen at QUIT, as
// Dovecot does; TOP is not reading and sets nothing.
func (s *Session) cmdRetr(c command) {
	n, ok := s.msgArg(c.args[0], "RETR msg")
	if !ok {
		return
	}
	raw, ok := s.readable(n)
	if !ok {
		return
	}
	size := s.drop.octets(n)
	s.Expect(size + 64)
	s.reply(statusOK, "", itoa(size)+" octets")
	s.message(raw, -1)
	x := expl{key: exRetr, args: []any{n, size}, parts: []part{{itoa(size), roleSize}}}
	if !s.o.NoFlagUpdates {
		if s.drop.unseen(n) {
			x.key = exRetrSeen
		}
		s.drop.markSeen(n)
	}
	s.end(x)
}

// TOP msg n: the header, the blank line and the first n lines of the body
// (RFC 1939 section 7); all of the body when it is shorter.
func (s *Session) cmdTop(c command) {
	n, ok := s.msgArg(c.args[0], "TOP msg n")
	if !ok {
		return
	}
	lines, ok := s.lineCount(c.args[1])
	if !ok {
		return
	}
	raw, ok := s.readable(n)
	if !ok {
		return
	}
	s.Expect(s.drop.octets(n) + 64)
	s.reply(statusOK, "", "top of message follows")
	s.message(raw, lines)
	s.end(expl{key: exTop, args: []any{n, lines}})
}

// exUnreadable explains the answer to RETR or TOP of a message whose file
// could not be read.
const exUnreadable key = "retr.unreadable"

// readable is message n's content, or false after answering -ERR
// [SYS/TEMP] when its file (a Maildir served from disk) cannot be read:
// a client takes +OK and an empty message for the message and may then
// delete it with DELE.
func (s *Session) readable(n int) ([]byte, bool) {
	m := s.drop.msgs[n-1]
	raw := m.Raw()
	if m.ReadErr() != nil {
		s.fail("SYS/TEMP", "message "+itoa(n)+" cannot be read now; try again later", expl{key: exUnreadable, args: []any{n}})
		return nil, false
	}
	return raw, true
}

// DELE msg marks a message; it is removed only in the UPDATE state.
func (s *Session) cmdDele(c command) {
	n, ok := s.msgArg(c.args[0], "DELE msg")
	if !ok {
		return
	}
	s.drop.mark(n)
	s.ok("message "+itoa(n)+" deleted", expl{key: exDele, args: []any{n}})
}

// NOOP does nothing but answer; clients use it to keep the connection.
func (s *Session) cmdNoop(command) { s.ok("", expl{key: exNoop}) }

// RSET removes every deletion mark, and RETR's notes of messages read.
func (s *Session) cmdRset(command) {
	s.drop.unmarkAll()
	n, octets := s.drop.totals()
	s.ok("maildrop has "+messages(n)+" ("+itoa(octets)+" octets)", expl{key: exRset, args: []any{n, octets},
		parts: []part{{itoa(n), roleCount}, {itoa(octets), roleOctets}}})
}

// UIDL [msg]: unique-id listings "msg id", stable across sessions.
func (s *Session) cmdUidl(c command) {
	if len(c.args) == 1 {
		n, ok := s.msgArg(c.args[0], "UIDL [msg]")
		if !ok {
			return
		}
		id := string(s.drop.uniqueID(nil, n))
		s.ok(itoa(n)+" "+id, expl{key: exUidlOne, args: []any{n, id},
			parts: []part{{itoa(n), roleMsgNum}, {id, roleUID}}})
		return
	}
	s.Expect(32 * len(s.drop.msgs))
	s.reply(statusOK, "", "unique-id listing follows")
	x := expl{key: exUidl}
	var buf []byte
	for i := range s.drop.msgs {
		if s.drop.deleted[i] {
			continue
		}
		buf = strconv.AppendInt(buf[:0], int64(i+1), 10)
		buf = append(buf, ' ')
		buf = s.drop.uniqueID(buf, i+1)
		s.data(buf)
		if len(x.parts) == 0 {
			x.parts = append(x.parts, part{string(buf), roleUIDLine})
		}
	}
	s.end(x)
}

// msgArg resolves a message-number argument. On a problem it has answered
// -ERR naming it: not a number, 0, past the last message, or marked
// deleted ("any future reference to the message-number associated with the
// message in a POP3 command generates an error", RFC 1939 section 5).
func (s *Session) msgArg(arg, usage string) (int, bool) {
	if !digits(arg) {
		s.fail("", strconv.Quote(arg)+" is not a message number; usage: "+usage, expl{key: exNotNumber, args: []any{arg, usage}})
		return 0, false
	}
	n, err := strconv.Atoi(arg)
	switch {
	case err == nil && n == 0:
		s.fail("", "no such message: messages are numbered from 1", expl{key: exZero})
		return 0, false
	case err != nil || n > s.drop.size():
		s.fail("", "no such message, only "+messages(s.drop.size())+" in maildrop", expl{key: exNoSuch, args: []any{arg, s.drop.size()}})
		return 0, false
	case s.drop.deleted[n-1]:
		s.fail("", "message "+itoa(n)+" already deleted", expl{key: exDeleted, args: []any{n}})
		return 0, false
	}
	return n, true
}

// lineCount resolves TOP's line count: a non-negative number. A count past
// the end of the body sends the whole body.
func (s *Session) lineCount(arg string) (int, bool) {
	if !digits(arg) {
		s.fail("", "the number of lines must be a non-negative number, not "+strconv.Quote(arg)+"; usage: TOP msg n",
			expl{key: exBadLines, args: []any{arg}})
		return 0, false
	}
	n, err := strconv.Atoi(arg)
	if err != nil {
		n = int(^uint(0) >> 1)
	}
	return n, true
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
