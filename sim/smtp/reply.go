package smtp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"maillab/sim/lineio"
)

// maxReplyLine is RFC 5321 section 4.5.3.1.5's limit on a reply line, CRLF
// included. Texts that echo what the client sent are cut to fit.
const maxReplyLine = 512

// Text is one explanation in the catalogue: a key of texts/<lang>/smtp.json
// and the fmt arguments of its text. An argument that is itself a Text is
// rendered in the same language.
type Text struct {
	Key  string
	Args []any
}

// T makes a Text.
func T(key string, args ...any) Text { return Text{Key: key, Args: args} }

// Reply is one SMTP reply (RFC 5321 section 4.2): a three-digit code, an
// RFC 3463 enhanced status code, and one or more lines of text. A reply
// built by this package also says why it was given (Why, a catalogue text)
// and what else a learner should know (Notes), for the explain pane.
//
// A *Reply is an error: the parsers and checks return the reply the server
// must send, so one place writes it and explains it.
type Reply struct {
	Code     int
	Enhanced string // "2.1.0"; empty for 3yz replies and where none applies
	Lines    []string
	Why      Text
	Notes    []Text
}

// Error is the reply as it would be sent with enhanced codes on, lines
// joined by " / ".
func (r *Reply) Error() string { return strings.Join(r.Format(true), " / ") }

// Positive reports a 2yz or 3yz reply.
func (r *Reply) Positive() bool { return r.Code >= 200 && r.Code < 400 }

// Text is the reply's text, lines joined by newlines.
func (r *Reply) Text() string { return strings.Join(r.Lines, "\n") }

// With returns a copy of r with notes added.
func (r Reply) With(notes ...Text) *Reply {
	r.Notes = append(append([]Text(nil), r.Notes...), notes...)
	return &r
}

// Format renders the reply's lines without CRLF: "250-first", "250 last"
// (RFC 5321 section 4.2.1). With enhanced set (the server announced
// ENHANCEDSTATUSCODES and the client said EHLO, RFC 2034 section 3) every
// line of a 2yz, 4yz or 5yz reply carries the enhanced code after the
// separator; 3yz replies (354, 334) and replies without one carry none.
func (r *Reply) Format(enhanced bool) []string {
	lines := r.Lines
	if len(lines) == 0 {
		lines = []string{""}
	}
	code := strconv.Itoa(r.Code)
	ext := ""
	if enhanced && r.Enhanced != "" && r.Code/100 != 3 {
		ext = r.Enhanced
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		sep := " "
		if i < len(lines)-1 {
			sep = "-"
		}
		s := code + sep
		switch {
		case ext != "" && l != "":
			s += ext + " " + l
		case ext != "":
			s += ext
		default:
			s += l
		}
		s = lineio.Printable(s)           // no CR or LF of a quoted name ends the line
		s = lineio.Cut(s, maxReplyLine-2) // on a character boundary
		out[i] = s
	}
	return out
}

// WriteTo writes the formatted reply, each line ended by CRLF.
func (r *Reply) WriteTo(w io.Writer, enhanced bool) (int64, error) {
	var b strings.Builder
	for _, l := range r.Format(enhanced) {
		b.WriteString(l)
		b.WriteString("\r\n")
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// ReplyLine is one line of a reply as a client reads it.
type ReplyLine struct {
	Code     int
	More     bool   // "250-": more lines follow
	Enhanced string // the RFC 3463 code at the start of the text, if any
	Text     string // the text after the enhanced code
}

// ErrReplySyntax reports a line that is not an SMTP reply line.
var ErrReplySyntax = errors.New("smtp: not a reply line")

// ParseReplyLine reads one reply line without its CRLF (RFC 5321 section
// 4.2: Reply-code [ SP / "-" textstring ]). The codes are three digits, the
// first 2 to 5 and the second 0 to 5. An enhanced status code is taken from
// the start of the text only when its class matches the first digit (RFC
// 2034 section 4): "250 2.1.0 Ok" has one, "250 5.1.0 Ok" does not.
func ParseReplyLine(line string) (ReplyLine, error) {
	if len(line) < 3 || line[0] < '2' || line[0] > '5' || line[1] < '0' || line[1] > '5' || line[2] < '0' || line[2] > '9' {
		return ReplyLine{}, fmt.Errorf("%w: %q", ErrReplySyntax, line)
	}
	rl := ReplyLine{Code: int(line[0]-'0')*100 + int(line[1]-'0')*10 + int(line[2]-'0')}
	rest := line[3:]
	switch {
	case rest == "":
	case rest[0] == '-':
		rl.More = true
		rest = rest[1:]
	case rest[0] == ' ':
		rest = rest[1:]
	default:
		return ReplyLine{}, fmt.Errorf("%w: %q", ErrReplySyntax, line)
	}
	if code, text, ok := cutEnhanced(rest); ok && code[0] == line[0] {
		rl.Enhanced, rest = code, text
	}
	rl.Text = rest
	return rl, nil
}

// cutEnhanced splits "2.1.0 Ok" into the RFC 3463 status code and the rest
// (status-code = class "." subject "." detail, class 2, 4 or 5, subject and
// detail 1 to 3 digits).
func cutEnhanced(s string) (code, rest string, ok bool) {
	code, rest, _ = strings.Cut(s, " ")
	return code, rest, ValidEnhanced(code)
}

// ValidEnhanced reports whether s is an RFC 3463 status code.
func ValidEnhanced(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 3 || len(parts[0]) != 1 || !strings.ContainsAny(parts[0], "245") {
		return false
	}
	for _, p := range parts[1:] {
		if len(p) < 1 || len(p) > 3 || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}

// ParseReply joins reply lines into one Reply: every line has the same
// code, every line but the last has "-" after it, and the enhanced code
// is kept when the first line has one.
func ParseReply(lines []string) (*Reply, error) {
	if len(lines) == 0 {
		return nil, fmt.Errorf("%w: no lines", ErrReplySyntax)
	}
	r := &Reply{}
	for i, l := range lines {
		rl, err := ParseReplyLine(l)
		if err != nil {
			return nil, err
		}
		last := i == len(lines)-1
		if i == 0 {
			r.Code, r.Enhanced = rl.Code, rl.Enhanced
		} else if rl.Code != r.Code {
			return nil, fmt.Errorf("%w: line %d has code %d, the reply %d", ErrReplySyntax, i+1, rl.Code, r.Code)
		}
		if rl.More == last {
			return nil, fmt.Errorf("%w: continuation marks in %q", ErrReplySyntax, l)
		}
		text := rl.Text
		if rl.Enhanced != r.Enhanced && rl.Enhanced != "" {
			text = rl.Enhanced + " " + text // a line of its own code: keep it as text
		}
		r.Lines = append(r.Lines, text)
	}
	return r, nil
}

// ReadReply reads one whole reply, for clients and tests. Lines may end in
// CRLF or LF; a reply longer than 1000 lines is refused.
func ReadReply(br *bufio.Reader) (*Reply, error) {
	var lines []string
	for len(lines) < 1000 {
		l, err := br.ReadString('\n')
		if err != nil {
			if err == io.EOF && l != "" {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		l = strings.TrimSuffix(strings.TrimSuffix(l, "\n"), "\r")
		lines = append(lines, l)
		rl, err := ParseReplyLine(l)
		if err != nil {
			return nil, err
		}
		if !rl.More {
			return ParseReply(lines)
		}
	}
	return nil, fmt.Errorf("%w: more than 1000 lines", ErrReplySyntax)
}

// template is one standard reply: its codes and its text, whose fmt verbs
// take the first arguments of the explanation with explicit indexes
// (%[1]v). The explanation may use more arguments than the text.
type template struct {
	code     int
	enhanced string
	text     string
}

// standard is the one table of the replies this server sends, keyed by
// the catalogue text that explains each. The texts are Postfix's where
// Postfix has the reply (its smtpd answers "250 2.1.0 Ok" to MAIL, "354
// End data with <CR><LF>.<CR><LF>" to DATA), and RFC 5321's where the
// lecture teaches an answer Postfix never gives (VRFY's 251, 551, 553).
var standard = map[string]template{
	// The connection (RFC 5321 sections 3.1, 4.2.2, 4.5.3.2).
	"greeting":      {220, "", "%[1]v ESMTP"},
	"greeting.lmtp": {220, "", "%[1]v LMTP"},
	"shutdown":      {421, "4.3.2", "%[1]v Service not available, closing transmission channel"},
	"timeout":       {421, "4.4.2", "%[1]v Error: timeout exceeded"},
	"toomanyerrors": {421, "4.7.0", "%[1]v Error: too many errors"},

	// HELO, EHLO, LHLO (section 4.1.1.1, RFC 2033 section 4.1).
	"helo":         {250, "", "%[1]v"},
	"ehlo":         {250, "", "%[1]v"},
	"lhlo":         {250, "", "%[1]v"},
	"helo.syntax":  {501, "", "Syntax: %[1]v hostname"},
	"helo.badname": {501, "5.5.2", "<%[1]v>: Helo command rejected: Invalid name"},
	"helo.badip":   {501, "5.5.2", "<%[1]v>: Helo command rejected: invalid ip address"},

	// MAIL (section 4.1.1.2) and its parameters.
	"mail.ok":          {250, "2.1.0", "Ok"},
	"mail.ok.null":     {250, "2.1.0", "Ok"},
	"mail.syntax":      {501, "5.5.4", "Syntax: MAIL FROM:<address>"},
	"mail.badaddr":     {501, "5.1.7", "Bad sender address syntax"},
	"utf8.undeclared":  {553, "5.6.7", "Must declare SMTPUTF8 to send unicode address"},
	"size.exceeded":    {552, "5.3.4", "Message size exceeds fixed limit"},
	"param.syntax":     {501, "5.5.4", "Bad parameter syntax: %[1]v"},
	"param.duplicate":  {501, "5.5.4", "Error: multiple %[1]v parameters"},
	"param.unknown":    {555, "5.5.4", "Unsupported option: %[1]v"},
	"param.notoffered": {555, "5.5.4", "Unsupported option: %[1]v"},
	"param.afterhelo":  {555, "5.5.4", "Unsupported option: %[1]v"},
	"param.mailonly":   {555, "5.5.4", "Unsupported option: %[1]v"},
	"param.rcptonly":   {555, "5.5.4", "Unsupported option: %[1]v"},
	"param.size":       {501, "5.5.4", "Bad message size syntax"},
	"param.body":       {501, "5.5.4", "Bad BODY parameter syntax"},
	"param.smtputf8":   {501, "5.5.4", "Bad SMTPUTF8 parameter syntax"},
	"param.auth":       {501, "5.5.4", "Bad AUTH parameter syntax"},
	"param.ret":        {501, "5.5.4", "Bad RET parameter syntax"},
	"param.envid":      {501, "5.5.4", "Bad ENVID parameter syntax"},
	"param.notify":     {501, "5.5.4", "Error: Bad NOTIFY parameter syntax"},
	"param.orcpt":      {501, "5.5.4", "Error: Bad ORCPT parameter syntax"},

	// RCPT (section 4.1.1.3).
	"rcpt.ok":            {250, "2.1.5", "Ok"},
	"rcpt.ok.alias":      {250, "2.1.5", "Ok"},
	"rcpt.ok.postmaster": {250, "2.1.5", "Ok"},
	"rcpt.ok.relay":      {250, "2.1.5", "Ok"},
	"rcpt.relocated":     {551, "5.1.6", "User not local; please try <%[2]v>"},
	"rcpt.unknown":       {550, "5.1.1", "<%[1]v>: Recipient address rejected: User unknown in local recipient table"},
	"rcpt.ambiguous":     {553, "5.1.4", "<%[1]v>: Recipient address rejected: User ambiguous"},
	"rcpt.loop":          {550, "5.4.6", "<%[1]v>: Recipient address rejected: Mail forwarding loop"},
	"rcpt.relay":         {554, "5.7.1", "<%[1]v>: Relay access denied"},
	"rcpt.nopath":        {550, "5.4.4", "<%[1]v>: mail for other domains does not leave this lab"},
	"rcpt.toomany":       {452, "4.5.3", "Error: too many recipients"},
	"rcpt.syntax":        {501, "5.5.4", "Syntax: RCPT TO:<address>"},
	"rcpt.badaddr":       {501, "5.1.3", "Bad recipient address syntax"},

	// Commands out of sequence (section 4.1.4, RFC 3030 section 2).
	"seq.helo":        {503, "5.5.1", "Error: send HELO/EHLO first"},
	"seq.lhlo":        {503, "5.5.1", "Error: send LHLO first"},
	"seq.mail":        {503, "5.5.1", "Error: need MAIL command"},
	"seq.rcpt":        {503, "5.5.1", "Error: need RCPT command"},
	"seq.nested":      {503, "5.5.1", "Error: nested MAIL command"},
	"seq.afterbdat":   {503, "5.5.1", "Error: %[1]v after BDAT"},
	"seq.transaction": {503, "5.5.1", "Error: MAIL transaction in progress"},
	"seq.state":       {503, "5.5.1", "Error: bad sequence of commands"},

	// DATA (section 4.1.1.4) and BDAT (RFC 3030).
	"data.start":   {354, "", "End data with <CR><LF>.<CR><LF>"},
	"data.norcpt":  {554, "5.5.1", "Error: no valid recipients"},
	"data.syntax":  {501, "5.5.4", "Syntax: DATA"},
	"data.binary":  {503, "5.5.1", "Error: BODY=BINARYMIME requires BDAT"},
	"data.ok":      {250, "2.0.0", "Ok: queued as %[1]v"},
	"data.toobig":  {552, "5.3.4", "Message size exceeds fixed limit"},
	"data.toolong": {500, "5.6.0", "Line too long"},
	"data.failed":  {451, "4.3.0", "Error: queue file write error"},
	"bdat.ok":      {250, "2.0.0", "Ok: %[1]v bytes"},
	"bdat.syntax":  {501, "5.5.4", "Syntax: BDAT count [LAST]"},
	"bdat.toobig":  {552, "5.3.4", "Chunk exceeds message size limit"},
	"bdat.null":    {551, "5.7.1", "Null BDAT request"},

	// LMTP's replies after the message, one per recipient (RFC 2033
	// section 4.2).
	"lmtp.ok":     {250, "2.0.0", "<%[1]v> Ok: delivered"},
	"lmtp.failed": {451, "4.3.0", "<%[1]v> Error: could not store the message"},
	"lmtp.toobig": {552, "5.2.3", "<%[1]v> Message too big for mailbox"},
	"lmtp.gone":   {550, "5.1.1", "<%[1]v> User unknown"},

	// A mailbox over its quota: Dovecot LMTP's reply; after SMTP's DATA,
	// when every copy was refused so, the same reply passed on (Postfix
	// itself would accept the message and bounce it with this line).
	"lmtp.overquota": {552, "5.2.2", "<%[1]v> Quota exceeded (mailbox for user is full)"},
	"data.overquota": {552, "5.2.2", "<%[1]v> Quota exceeded (mailbox for user is full)"},

	// RSET, NOOP, QUIT (sections 4.1.1.5, 4.1.1.9, 4.1.1.10).
	"rset":        {250, "2.0.0", "Ok"},
	"rset.syntax": {501, "5.5.4", "Syntax: RSET"},
	"noop":        {250, "2.0.0", "Ok"},
	"quit":        {221, "2.0.0", "Bye"},

	// Lines that are not a command this server runs.
	"cmd.unknown":    {500, "5.5.2", "Error: command not recognized"},
	"cmd.helo.lmtp":  {500, "5.5.2", "Error: command not recognized"},
	"cmd.lhlo.smtp":  {500, "5.5.2", "Error: command not recognized"},
	"cmd.empty":      {500, "5.5.2", "Error: bad syntax"},
	"cmd.control":    {500, "5.5.2", "Error: bad syntax"},
	"cmd.utf8":       {500, "5.5.2", "Error: bad UTF-8 syntax"},
	"line.toolong":   {500, "5.5.2", "Line too long"},
	"cmd.send":       {502, "5.5.1", "Error: command not implemented"},
	"cmd.soml":       {502, "5.5.1", "Error: command not implemented"},
	"cmd.saml":       {502, "5.5.1", "Error: command not implemented"},
	"cmd.turn":       {502, "5.5.1", "Error: command not implemented"},
	"cmd.etrn":       {502, "5.5.1", "Error: command not implemented"},
	"cmd.notoffered": {502, "5.5.1", "Error: command not implemented"},
	"cmd.disabled":   {502, "5.5.1", "Error: command not implemented"},

	// VRFY and EXPN (section 3.5).
	"vrfy.disabled":  {502, "5.5.1", "VRFY command is disabled"},
	"vrfy.cannot":    {252, "2.0.0", "<%[1]v>"},
	"vrfy.ok":        {250, "2.0.0", "%[1]v"},
	"vrfy.list":      {250, "2.0.0", "<%[1]v>"},
	"vrfy.forward":   {251, "2.1.5", "User not local; will forward to <%[2]v>"},
	"vrfy.unknown":   {550, "5.1.1", "String does not match anything."},
	"vrfy.relocated": {551, "5.1.6", "User not local; please try <%[2]v>"},
	"vrfy.ambiguous": {553, "5.1.4", "User ambiguous"},
	"vrfy.loop":      {550, "5.4.6", "<%[1]v>: Mail forwarding loop"},
	"vrfy.syntax":    {501, "5.5.4", "Syntax: VRFY address"},
	"expn.ok":        {250, "2.0.0", "%[1]v"},
	"expn.notlist":   {550, "5.1.0", "That is a user name, not a mailing list"},
	"expn.unknown":   {550, "5.1.1", "String does not match anything."},
	"expn.loop":      {550, "5.4.6", "<%[1]v>: Mail forwarding loop"},
	"expn.disabled":  {502, "5.5.1", "EXPN command is disabled"},
	"expn.syntax":    {501, "5.5.4", "Syntax: EXPN mailing-list"},

	// HELP (section 4.1.1.8).
	"help":         {214, "2.0.0", "Commands: %[1]v"},
	"help.topic":   {214, "2.0.0", "%[1]v"},
	"help.unknown": {504, "5.5.4", "HELP topic not known: %[1]v"},

	// STARTTLS (RFC 3207).
	"starttls":        {220, "2.0.0", "Ready to start TLS"},
	"starttls.none":   {502, "5.5.1", "Error: command not implemented"},
	"starttls.active": {554, "5.5.1", "Error: TLS already active"},
	"starttls.syntax": {501, "5.5.4", "Syntax: STARTTLS"},

	// AUTH (RFC 4954).
	"auth.ok":       {235, "2.7.0", "Authentication successful"},
	"auth.continue": {334, "", "%[1]v"},
	"auth.failed":   {535, "5.7.8", "Error: authentication failed"},
	"auth.mech":     {504, "5.5.4", "Unrecognized authentication type"},
	"auth.syntax":   {501, "5.5.4", "Syntax: AUTH mechanism"},
	"auth.base64":   {501, "5.5.2", "Cannot decode response"},
	"auth.aborted":  {501, "5.7.0", "Authentication aborted"},
	"auth.already":  {503, "5.5.1", "Error: already authenticated"},
	"auth.required": {530, "5.7.0", "Authentication required"},
	"auth.disabled": {503, "5.5.1", "Error: authentication not enabled"},
	"auth.encrypt":  {538, "5.7.11", "Encryption required for requested authentication mechanism"},
}

// reply builds the standard reply key, its text formatted with the first
// arguments and its explanation with all of them. A key missing from the
// table is a bug; it comes back as a 451 local error rather than a panic.
func reply(key string, args ...any) *Reply {
	t, ok := standard[key]
	if !ok {
		return &Reply{Code: 451, Enhanced: "4.3.0", Lines: []string{"Error: internal error (" + key + ")"}, Why: T(key, args...)}
	}
	n := min(argCount(t.text), len(args))
	text := t.text
	if n > 0 || strings.Contains(text, "%") {
		text = fmt.Sprintf(text, args[:n]...)
	}
	return &Reply{Code: t.code, Enhanced: t.enhanced, Lines: []string{text}, Why: T(key, args...)}
}

// argCount is the highest explicit argument index a template uses.
func argCount(s string) int {
	n := 0
	for {
		i := strings.Index(s, "%[")
		if i < 0 {
			return n
		}
		s = s[i+2:]
		j := strings.IndexByte(s, ']')
		if j < 0 {
			return n
		}
		if k, err := strconv.Atoi(s[:j]); err == nil && k > n {
			n = k
		}
		s = s[j:]
	}
}

// multiline builds a standard reply whose first line is the table's and
// the rest are lines, e.g. EHLO's keywords.
func multiline(key string, lines []string, args ...any) *Reply {
	r := reply(key, args...)
	r.Lines = append(r.Lines, lines...)
	return r
}

// Fault is r as a fault rule of the lab's mail path gives it in the
// place of host's own answer to verb: its explanation says so.
func Fault(r Reply, host, verb string) *Reply {
	r.Why, r.Notes = T("fault", host, verb), nil
	return &r
}
