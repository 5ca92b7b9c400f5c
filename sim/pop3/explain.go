package pop3

import (
	"fmt"
	"strings"

	"maillab/sim/event"
)

// key names an explanation of a whole response; its text may take
// arguments, written %[1]v, %[2]v ... so a translation can reorder them.
type key string

// role names what one token of a response means.
type role string

// part is one token of a response and its role.
type part struct {
	token string
	role  role
}

// expl is the explanation of one response. The status indicator, the
// response code and the terminating "." are added as parts by explain.
type expl struct {
	key     key
	args    []any
	parts   []part
	allowed []string // states, for a command refused in the wrong state
	multi   bool     // set by end: a multi-line answer
}

// Explanation keys, one per kind of response.
const (
	exGreeting           key = "greeting"
	exGreetingAPOP       key = "greeting.apop"
	exCapa               key = "capa"
	exUser               key = "user"
	exPassNoUser         key = "pass.nouser"
	exPassFailed         key = "pass.failed"
	exBadDigest          key = "apop.baddigest"
	exAPOPFailed         key = "apop.failed"
	exAuthList           key = "auth.list"
	exAuthMech           key = "auth.mech"
	exContinue           key = "auth.continue"
	exAuthCancelled      key = "auth.cancelled"
	exAuthBase64         key = "auth.base64"
	exAuthFailed         key = "auth.failed"
	exLogin              key = "login"
	exInUse              key = "login.inuse"
	exNoInbox            key = "login.noinbox"
	exTooManyFailures    key = "login.toomany"
	exSTLS               key = "stls"
	exNoTLS              key = "stls.none"
	exAlreadyTLS         key = "stls.already"
	exStat               key = "stat"
	exList               key = "list"
	exListOne            key = "list.one"
	exRetr               key = "retr"
	exTop                key = "top"
	exDele               key = "dele"
	exNoop               key = "noop"
	exRset               key = "rset"
	exUidl               key = "uidl"
	exUidlOne            key = "uidl.one"
	exQuitAuth           key = "quit.auth"
	exQuit               key = "quit"
	exRemoveFailed       key = "quit.failed"
	exNotNumber          key = "arg.notnumber"
	exZero               key = "arg.zero"
	exNoSuch             key = "arg.nosuch"
	exDeleted            key = "arg.deleted"
	exBadLines           key = "arg.badlines"
	exMissingArg         key = "arg.missing"
	exExtraArg           key = "arg.extra"
	exArgTooLong         key = "arg.toolong"
	exEmpty              key = "line.empty"
	exTooLong            key = "line.toolong"
	exControl            key = "line.control"
	exNonASCII           key = "line.nonascii"
	exUnknown            key = "cmd.unknown"
	exDisabled           key = "cmd.disabled"
	exWrongStateLogin    key = "cmd.state.login"
	exWrongStateLoggedIn key = "cmd.state.loggedin"
)

// Token roles.
const (
	roleOK         role = "+OK"
	roleErr        role = "-ERR"
	roleCont       role = "+"
	roleEnd        role = "."
	roleTimestamp  role = "timestamp"
	roleUserText   role = "user.text"
	roleCount      role = "count"
	roleOctets     role = "octets"
	roleMsgNum     role = "msgnum"
	roleSize       role = "size"
	roleScanLine   role = "scanline"
	roleUID        role = "uid"
	roleUIDLine    role = "uidline"
	roleLeft       role = "left"
	roleMechPlain  role = "mech.PLAIN"
	roleInUse      role = "code:IN-USE"
	roleAuthCode   role = "code:AUTH"
	roleSysTemp    role = "code:SYS/TEMP"
	roleSysPerm    role = "code:SYS/PERM"
	roleCapaTop    role = "capa:TOP"
	roleCapaUser   role = "capa:USER"
	roleCapaUidl   role = "capa:UIDL"
	roleCapaResp   role = "capa:RESP-CODES"
	roleCapaAuthRC role = "capa:AUTH-RESP-CODE"
	roleCapaPipe   role = "capa:PIPELINING"
	roleCapaExpire role = "capa:EXPIRE"
	roleCapaSASL   role = "capa:SASL"
	roleCapaSTLS   role = "capa:STLS"
	roleCapaImpl   role = "capa:IMPLEMENTATION"
)

// capaRole is the role of a CAPA line, named by its first word.
func capaRole(line string) role {
	word, _, _ := strings.Cut(line, " ")
	return role("capa:" + word)
}

// catalog is one language's explanations.
type catalog struct {
	texts map[key]string
	roles map[role]string
}

// catalogs holds every language; English is the fallback.
var catalogs = map[string]*catalog{"en": &english, "ru": &russian, "sk": &slovak}

func catalogFor(lang string) *catalog {
	if c, ok := catalogs[lang]; ok {
		return c
	}
	return &english
}

func (c *catalog) text(k key, args []any) string {
	t, ok := c.texts[k]
	if !ok {
		t = english.texts[k]
	}
	if len(args) == 0 {
		return t
	}
	return fmt.Sprintf(t, args...)
}

func (c *catalog) role(r role) string {
	if t, ok := c.roles[r]; ok {
		return t
	}
	return english.roles[r]
}

// explain emits the Explain event for the response just written.
func (s *Session) explain(x expl) {
	if s.o.Events == nil {
		return
	}
	cat := catalogFor(s.o.Lang)
	parts := make([]event.Part, 0, len(x.parts)+3)
	parts = append(parts, event.Part{Token: s.status, Meaning: cat.role(role(s.status))})
	if s.code != "" {
		parts = append(parts, event.Part{Token: "[" + s.code + "]", Meaning: cat.role(role("code:" + s.code))})
	}
	for _, p := range x.parts {
		parts = append(parts, event.Part{Token: p.token, Meaning: cat.role(p.role)})
	}
	if x.multi {
		parts = append(parts, event.Part{Token: ".", Meaning: cat.role(roleEnd)})
	}
	s.emit(event.Event{Kind: event.Explain, Command: s.cmd, Text: cat.text(x.key, x.args), Parts: parts, Allowed: x.allowed})
}

var english = catalog{
	texts: map[key]string{
		exGreeting:           "The server is ready and the session is in the AUTHORIZATION state: log in with USER and PASS.",
		exGreetingAPOP:       "The server is ready and the session is in the AUTHORIZATION state. The <...> at the end is the timestamp for APOP: MD5 of the timestamp followed by your secret proves you know the password without sending it.",
		exCapa:               "The list of capabilities (RFC 2449): extensions and optional commands this server supports in the current state.",
		exUser:               "The server took the user name %[1]q and waits for PASS. It does not say whether the mailbox exists, so nobody can probe for names.",
		exPassNoUser:         "PASS must follow a USER command that names the mailbox.",
		exPassFailed:         "Login failed: the user name or the password is wrong. The session stays in the AUTHORIZATION state; start again with USER.",
		exBadDigest:          "The APOP digest is the MD5 of the greeting's timestamp followed by the secret, written as 32 hexadecimal digits.",
		exAPOPFailed:         "APOP failed: the digest does not match MD5(%[1]s + secret), or there is no such mailbox. The session stays in the AUTHORIZATION state.",
		exAuthList:           "The SASL mechanisms AUTH accepts here (RFC 5034).",
		exAuthMech:           "This server does not support the SASL mechanism %[1]s; use AUTH PLAIN.",
		exContinue:           "The server waits for the client's SASL response: a base64 line, or * to cancel.",
		exAuthCancelled:      "The client cancelled the authentication with *; the session stays in the AUTHORIZATION state.",
		exAuthBase64:         "A SASL response must be base64 (RFC 5034); the authentication is abandoned.",
		exAuthFailed:         "Authentication failed: the credentials were not accepted. The session stays in the AUTHORIZATION state.",
		exLogin:              "Login succeeded: the maildrop is locked for this session and the session is in the TRANSACTION state. It holds %[1]v messages, %[2]v octets in all; their numbers stay fixed until the end of the session.",
		exInUse:              "The password was right, but another POP3 session of this user holds the maildrop's exclusive lock. Close it (QUIT) and try again.",
		exNoInbox:            "The user has no maildrop (INBOX) this server can open; this is a permanent problem of the server.",
		exTooManyFailures:    "After %[1]v failed logins the server closes the connection.",
		exSTLS:               "The server starts the TLS handshake now; after it, the client should ask CAPA again and log in over the protected channel.",
		exNoTLS:              "This server has no TLS configured, so STLS is not offered (it is missing from CAPA).",
		exAlreadyTLS:         "The connection is already protected by TLS; STLS is allowed only once.",
		exStat:               "The drop listing: %[1]v messages, %[2]v octets in all, not counting messages marked deleted.",
		exList:               "The scan listing of every message not marked deleted: message number and size in octets. %[1]v messages, %[2]v octets.",
		exListOne:            "The scan listing of message %[1]v: it is %[2]v octets long.",
		exRetr:               "Message %[1]v follows in full (%[2]v octets), lines starting with a dot doubled, ended by a line with a single dot.",
		exTop:                "The header of message %[1]v, the blank line, and up to %[2]v lines of its body.",
		exDele:               "Message %[1]v is marked deleted. It is removed only when QUIT moves the session to the UPDATE state; RSET takes the mark away.",
		exNoop:               "NOOP does nothing; the server only answers +OK.",
		exRset:               "Every deletion mark is removed: the maildrop has %[1]v messages, %[2]v octets again.",
		exUidl:               "The unique-id listing: message number and an identifier that stays the same in every session, so a client can tell which messages it has already downloaded.",
		exUidlOne:            "Message %[1]v has the unique id %[2]s.",
		exQuitAuth:           "The session ends without entering the UPDATE state; nothing is deleted.",
		exQuit:               "The session entered the UPDATE state: %[1]v marked messages were removed, %[2]v remain, the lock is released and the connection closes.",
		exRemoveFailed:       "The session entered the UPDATE state but the server could not remove the marked messages; try again later.",
		exNotNumber:          "%[1]q is not a message number: messages are numbered 1, 2, 3 ... Usage: %[2]s.",
		exZero:               "Messages are numbered from 1; there is no message 0.",
		exNoSuch:             "There is no message %[1]v: the maildrop holds messages 1 to %[2]v.",
		exDeleted:            "Message %[1]v is marked deleted; until RSET, any command naming it gets -ERR.",
		exBadLines:           "TOP's second argument is how many body lines to send: a number 0 or greater, not %[1]q.",
		exMissingArg:         "An argument is missing. Usage: %[1]s.",
		exExtraArg:           "Too many arguments. Usage: %[1]s.",
		exArgTooLong:         "An argument may be at most 40 characters long (RFC 1939).",
		exEmpty:              "The line was empty; a command starts with a keyword such as CAPA, USER or STAT.",
		exTooLong:            "The command line was too long: at most 255 octets with CRLF (RFC 2449). It was ignored.",
		exControl:            "The line contains a control character (%[1]s); POP3 commands are printable ASCII. It was ignored.",
		exNonASCII:           "The line contains non-ASCII characters; POP3 keywords and arguments are ASCII.",
		exUnknown:            "%[1]s is not a POP3 command. In the %[2]s state you can use: %[3]s.",
		exDisabled:           "%[1]s is switched off in this lesson.",
		exWrongStateLogin:    "%[1]s is not allowed in the %[2]s state; it belongs to the %[3]s state. Log in first.",
		exWrongStateLoggedIn: "%[1]s is not allowed in the %[2]s state; it belongs to the %[3]s state. You are already logged in.",
	},
	roles: map[role]string{
		roleOK:         "success",
		roleErr:        "failure",
		roleCont:       "continuation: the server waits for more from the client",
		roleEnd:        "end of the multi-line answer",
		roleTimestamp:  "APOP timestamp <process-ID.clock@hostname>, unique per connection",
		roleUserText:   "free text; it does not reveal whether the mailbox exists",
		roleCount:      "messages in the maildrop, not counting those marked deleted",
		roleOctets:     "octets, counted with CRLF line endings",
		roleMsgNum:     "message number",
		roleSize:       "size of the message in octets",
		roleScanLine:   "scan listing: message number and size in octets",
		roleUID:        "unique id of the message, the same in every session",
		roleUIDLine:    "unique-id listing: message number and unique id",
		roleLeft:       "messages left in the maildrop",
		roleMechPlain:  "PLAIN: user name and password in one base64 string (RFC 4616)",
		roleInUse:      "response code: another session holds the maildrop lock",
		roleAuthCode:   "response code: the credentials were wrong",
		roleSysTemp:    "response code: a temporary server problem, try again later",
		roleSysPerm:    "response code: a permanent server problem",
		roleCapaTop:    "the TOP command is supported",
		roleCapaUser:   "login with USER and PASS is supported",
		roleCapaUidl:   "the UIDL command is supported",
		roleCapaResp:   "extended response codes in [brackets] are used",
		roleCapaAuthRC: "the [AUTH] response code marks wrong credentials",
		roleCapaPipe:   "the client may send several commands without waiting",
		roleCapaExpire: "the server never deletes mail by itself",
		roleCapaSASL:   "AUTH mechanisms offered",
		roleCapaSTLS:   "STLS switches the connection to TLS",
		roleCapaImpl:   "name of the server software",
	},
}

var russian = catalog{}

var slovak = catalog{}
