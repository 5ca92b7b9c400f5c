package pop3

import (
	"strings"

	"maillab/sim/catalog"
	"maillab/sim/event"
)

// key names an explanation of a whole response, a key of the pop3
// catalogue; its text may take arguments, written %[1]v, %[2]v ... so a
// translation can reorder them.
type key string

// role names what one token of a response means; its text is the pop3
// catalogue's role.<role>.
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
	exAuthTooLong        key = "auth.toolong"
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
	exRetrSeen           key = "retr.seen"
	exTop                key = "top"
	exDele               key = "dele"
	exNoop               key = "noop"
	exRset               key = "rset"
	exUidl               key = "uidl"
	exUidlOne            key = "uidl.one"
	exQuitAuth           key = "quit.auth"
	exQuit               key = "quit"
	exQuitSeen           key = "quit.seen"
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
	exLeadingSpace       key = "line.leadingspace"
	exTooLong            key = "line.toolong"
	exControl            key = "line.control"
	exNonASCII           key = "line.nonascii"
	exUnknown            key = "cmd.unknown"
	exUnknownHidden      key = "cmd.unknown.hidden"
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

// texts is the POP3 catalogue (package catalog): the explanations under
// their keys, what each role means as role.<role>, and the state machine's
// titles and labels.
var texts = catalog.Get("pop3")

// meaning is what r means in lang; "" for a role the catalogue does not
// know (a capability or a response code this lab never sends).
func meaning(lang string, r role) string {
	t, _ := texts.Lookup(lang, "role."+string(r))
	return t
}

// explain emits the Explain event for the response just written, with
// x's text and parts when the host reads them, and the parts of the SASL
// step the response answers.
func (s *Session) explain(x expl) {
	if !s.Explaining() {
		s.Explain(event.Event{Command: s.Cmd})
		return
	}
	lang := s.o.Lang
	parts := make([]event.Part, 0, len(x.parts)+3)
	parts = append(parts, event.Part{Token: s.status, Meaning: meaning(lang, role(s.status))})
	if s.code != "" {
		parts = append(parts, event.Part{Token: "[" + s.code + "]", Meaning: meaning(lang, role("code:"+s.code))})
	}
	for _, p := range x.parts {
		parts = append(parts, event.Part{Token: p.token, Meaning: meaning(lang, p.role)})
	}
	if x.multi {
		parts = append(parts, event.Part{Token: ".", Meaning: meaning(lang, roleEnd)})
	}
	if s.saslParts != nil {
		parts = withSASLParts(parts, s.saslParts)
		s.saslParts = nil
	}
	s.Explain(event.Event{Command: s.Cmd, Text: texts.Text(lang, string(x.key), x.args...), Parts: parts, Allowed: x.allowed})
}
