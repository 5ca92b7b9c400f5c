// Package wire reads and writes the IMAP4rev1 syntax elements of RFC 3501
// section 9: tags, atoms, quoted strings, literals, lists, sequence sets,
// dates, fetch attributes and search keys. There is one parser for each
// element; command handlers call them in the order their grammar names them.
package wire

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"

	"maillab/sim/lineio"
)

// SyntaxError is a malformed command. Arg names the argument that was wrong
// ("mailbox name", "sequence set"), so the BAD answer can say where.
type SyntaxError struct {
	Arg string
	Msg string
	// Key and Args name the explanation of a reason the code that raised
	// the error knows better than the grammar (a STATUS item that does not
	// exist, say); "" for the grammar's own errors.
	Key  string
	Args []any
	// Hidden: the text leaves out what the client sent (Decoder.Quiet).
	Hidden bool
}

func (e *SyntaxError) Error() string {
	msg := e.Msg
	if e.Hidden {
		msg += " (not repeated: the line may hold a password)"
	}
	if e.Arg == "" {
		return msg
	}
	return e.Arg + ": " + msg
}

// LiteralTooLarge is a non-synchronizing literal "{n+}" over MaxLiteral.
// Its octets are already on their way, unasked, and there may be more of
// them than is worth reading only to throw away, so the command cannot be
// answered and the connection go on: the server answers BYE and closes it
// (RFC 7888 allows it; Dovecot: "* BYE Literal size too large"). Parse
// and Discard return it as they return a connection error.
type LiteralTooLarge struct {
	Size string // the digits announced, as sent
	Max  int64
}

func (e *LiteralTooLarge) Error() string {
	return fmt.Sprintf("non-synchronizing literal of %s octets, over the limit of %d", e.Size, e.Max)
}

// Decoder parses one command at a time from a line reader, reading literal
// octets raw from the reader's buffer and the lines that follow them.
type Decoder struct {
	lr   *lineio.Reader
	line []byte
	pos  int

	// MaxLiteral bounds a literal's announced size; a larger one is refused
	// before anything is allocated.
	MaxLiteral int64
	// Continue is called before the octets of a synchronizing literal are
	// read: the server must send "+ Ready for literal data" (RFC 3501 7.5).
	Continue func() error
	// OnLine sees every line read; OnLiteral every literal's octets, and
	// OnSkip the size of each literal dropped unread with its command.
	OnLine    func(line []byte)
	OnLiteral func(b []byte)
	OnSkip    func(n int64)
	// literals counts the literals of the current command.
	literals int

	// Quiet keeps error texts from quoting the command: it may hold a
	// password.
	Quiet  bool
	hidden bool // found left something out
}

// NewDecoder reads commands from lr.
func NewDecoder(lr *lineio.Reader, maxLiteral int64) *Decoder {
	return &Decoder{lr: lr, MaxLiteral: maxLiteral}
}

// Next reads the first line of the next command.
func (d *Decoder) Next() error {
	d.literals = 0
	return d.readLine()
}

func (d *Decoder) readLine() error {
	line, err := d.lr.ReadLine()
	if err != nil {
		return err
	}
	d.line, d.pos = line, 0
	if d.OnLine != nil {
		d.OnLine(line)
	}
	return nil
}

// Line is the current line, for events and logs.
func (d *Decoder) Line() []byte { return d.line }

// Literals reports how many literals the current command carried.
func (d *Decoder) Literals() int { return d.literals }

// fail stops parsing with a syntax error; Parse turns it into an error.
func fail(arg, format string, a ...any) {
	panic(&SyntaxError{Arg: arg, Msg: fmt.Sprintf(format, a...)})
}

// ioFailure carries a connection error out of a parse.
type ioFailure struct{ err error }

// Parse runs f, turning a syntax error or a connection error raised inside
// it into a returned error. A connection error is returned as is.
func (d *Decoder) Parse(f func()) (err error) {
	defer func() {
		switch e := recover().(type) {
		case nil:
		case *SyntaxError:
			e.Hidden = e.Hidden || d.hidden
			err = e
		case ioFailure:
			err = e.err
		default:
			panic(e)
		}
	}()
	d.hidden = false
	f()
	return nil
}

// Discard drops the rest of a command that could not be parsed: the rest
// of the line and, when it announces a non-synchronizing literal the client
// is already sending, those octets and the lines after them. A synchronizing
// literal is never waited for: the client gets BAD instead of "+".
func (d *Decoder) Discard() error {
	for {
		rest := d.line[d.pos:]
		d.pos = len(d.line)
		n, sync, ok := trailingLiteral(rest)
		if !ok || sync {
			return nil
		}
		if n > d.MaxLiteral {
			return &LiteralTooLarge{Size: literalDigits(rest), Max: d.MaxLiteral}
		}
		if _, err := io.CopyN(io.Discard, d.lr.Buffered(), n); err != nil {
			return err
		}
		d.skipped(n)
		if err := d.readLine(); err != nil {
			return err
		}
	}
}

func (d *Decoder) skipped(n int64) {
	if d.OnSkip != nil {
		d.OnSkip(n)
	}
}

// trailingLiteral finds a literal announcement "{n}" or "{n+}" ending line;
// a size too large for an int64 is reported as math.MaxInt64.
func trailingLiteral(line []byte) (n int64, sync, ok bool) {
	if len(line) < 3 || line[len(line)-1] != '}' {
		return 0, false, false
	}
	i := len(line) - 2
	sync = line[i] != '+'
	if !sync {
		i--
	}
	end := i + 1
	for i >= 0 && line[i] >= '0' && line[i] <= '9' {
		i--
	}
	if i < 0 || line[i] != '{' || i+1 == end {
		return 0, false, false
	}
	n, err := strconv.ParseInt(string(line[i+1:end]), 10, 64)
	if err != nil {
		n = math.MaxInt64 // only digits: the number is out of range
	}
	return n, sync, true
}

// literalDigits is the size of the literal announced at the end of line.
func literalDigits(line []byte) string {
	end := len(line) - 1
	if end > 0 && line[end-1] == '+' {
		end--
	}
	i := end
	for i > 0 && line[i-1] >= '0' && line[i-1] <= '9' {
		i--
	}
	return string(line[i:end])
}

// PendingLiteral reports whether the line read last announces a
// synchronizing literal whose octets were not read: a client may still
// send them as the next line.
func (d *Decoder) PendingLiteral() bool {
	_, sync, ok := trailingLiteral(d.line)
	return ok && sync
}

// AtEnd reports whether the command line is used up.
func (d *Decoder) AtEnd() bool { return d.pos >= len(d.line) }

// Peek returns the next octet without consuming it, 0 at the end.
func (d *Decoder) Peek() byte {
	if d.AtEnd() {
		return 0
	}
	return d.line[d.pos]
}

// Eat consumes c if it comes next.
func (d *Decoder) Eat(c byte) bool {
	if d.Peek() == c && !d.AtEnd() {
		d.pos++
		return true
	}
	return false
}

// Expect consumes c or fails naming arg.
func (d *Decoder) Expect(c byte, arg string) {
	if !d.Eat(c) {
		fail(arg, "expected %s, found %s", show(c), d.found())
	}
}

// SP consumes the single space between arguments; arg names what follows.
func (d *Decoder) SP(arg string) {
	if !d.Eat(' ') {
		if d.AtEnd() {
			fail(arg, "missing")
		}
		fail(arg, "expected a space before it, found %s", d.found())
	}
}

// End checks that nothing follows the last argument.
func (d *Decoder) End() {
	if !d.AtEnd() {
		d.Eat(' ')
		fail("", "unexpected %s after the last argument", d.found())
	}
}

func show(c byte) string {
	switch c {
	case ' ':
		return "a space"
	case 0:
		return "the end of the line"
	}
	return strconv.Quote(string(c))
}

// found describes what is at the parse position, for error texts.
func (d *Decoder) found() string {
	if d.AtEnd() {
		return "the end of the line"
	}
	if d.Quiet {
		d.hidden = true
		return "other characters"
	}
	rest := string(d.line[d.pos:])
	if len(rest) > 20 {
		rest = rest[:20] + "..."
	}
	return strconv.Quote(lineio.Printable(rest))
}

// Rest consumes and returns the rest of the line (AUTHENTICATE's initial
// response, ID's free text checks).
func (d *Decoder) Rest() string {
	s := string(d.line[d.pos:])
	d.pos = len(d.line)
	return s
}

// ReadRawLine reads one more line outside command syntax: a SASL response
// or IDLE's DONE.
func (d *Decoder) ReadRawLine() ([]byte, error) {
	if err := d.readLine(); err != nil {
		return nil, err
	}
	d.pos = len(d.line)
	return d.line, nil
}

// Buffered exposes the reader for raw reads.
func (d *Decoder) Buffered() *bufio.Reader { return d.lr.Buffered() }
