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
	if !s.Listening() {
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
	s.emit(event.Event{Kind: event.Explain, Command: s.Cmd, Text: cat.text(x.key, x.args), Parts: parts, Allowed: x.allowed})
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
		exAuthTooLong:        "The SASL response was longer than the %[1]v octets this server reads in one line; the authentication is abandoned.",
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
		exLeadingSpace:       "The line starts with a space; a command line must start with the command keyword itself, such as STAT or USER.",
		exTooLong:            "The command line was too long: at most 255 octets with CRLF (RFC 2449). It was ignored.",
		exControl:            "The line contains a control character (%[1]s); POP3 commands are printable ASCII. It was ignored.",
		exNonASCII:           "The line contains non-ASCII characters; POP3 keywords and arguments are ASCII.",
		exUnknown:            "%[1]s is not a POP3 command. In the %[2]s state you can use: %[3]s.",
		exUnknownHidden:      "The line does not start with a POP3 command. Before login the server does not repeat such a line, because it may be a password typed without PASS. In the %[1]s state you can use: %[2]s.",
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

var russian = catalog{
	texts: map[key]string{
		exGreeting:           "Сервер готов к работе, сеанс находится в состоянии AUTHORIZATION: авторизуйтесь командами USER и PASS.",
		exGreetingAPOP:       "Сервер готов к работе, сеанс находится в состоянии AUTHORIZATION. В угловых скобках <...> в конце приветствия — временная метка (timestamp) для APOP: MD5 от метки, за которой следует секрет, доказывает знание пароля, не передавая его по сети.",
		exCapa:               "Список возможностей сервера (RFC 2449): расширения и дополнительные команды, которые сервер поддерживает в текущем состоянии.",
		exUser:               "Сервер принял имя пользователя «%[1]s» и ждёт команду PASS. Он не сообщает, существует ли такой почтовый ящик, чтобы никто не мог подбирать имена.",
		exPassNoUser:         "Команда PASS должна следовать за командой USER, которая называет почтовый ящик.",
		exPassFailed:         "Авторизация не удалась: неверное имя пользователя или пароль. Сеанс остаётся в состоянии AUTHORIZATION; начните снова с команды USER.",
		exBadDigest:          "Дайджест APOP — это MD5 от временной метки из приветствия, за которой следует секрет, записанный 32 шестнадцатеричными цифрами.",
		exAPOPFailed:         "Команда APOP не прошла: дайджест не совпадает с MD5(%[1]s + секрет) или такого почтового ящика нет. Сеанс остаётся в состоянии AUTHORIZATION.",
		exAuthList:           "Механизмы SASL, которые принимает команда AUTH на этом сервере (RFC 5034).",
		exAuthMech:           "Сервер не поддерживает механизм SASL %[1]s; используйте AUTH PLAIN.",
		exContinue:           "Сервер ждёт ответа клиента в рамках SASL: строку в кодировке base64 или * для отмены.",
		exAuthCancelled:      "Клиент отменил аутентификацию символом *; сеанс остаётся в состоянии AUTHORIZATION.",
		exAuthBase64:         "Ответ клиента в SASL должен быть закодирован в base64 (RFC 5034); аутентификация прервана.",
		exAuthTooLong:        "Ответ клиента в SASL длиннее %[1]v октетов, которые сервер читает в одной строке; аутентификация прервана.",
		exAuthFailed:         "Аутентификация не удалась: сервер не принял имя и пароль. Сеанс остаётся в состоянии AUTHORIZATION.",
		exLogin:              "Авторизация прошла успешно: почтовый ящик заблокирован для этого сеанса, сеанс перешёл в состояние TRANSACTION. В почтовом ящике сообщений: %[1]v, общий объём в октетах — %[2]v; номера сообщений не меняются до конца сеанса.",
		exInUse:              "Пароль верный, но монопольную блокировку почтового ящика держит другой сеанс POP3 этого пользователя. Завершите его командой QUIT и повторите попытку.",
		exNoInbox:            "У пользователя нет почтового ящика (INBOX), который сервер мог бы открыть; это постоянная ошибка на стороне сервера.",
		exTooManyFailures:    "После %[1]v неудачных попыток авторизации сервер разрывает соединение.",
		exSTLS:               "Сервер начинает согласование TLS; после него клиенту следует снова запросить CAPA и авторизоваться уже по защищённому каналу.",
		exNoTLS:              "На этом сервере TLS не настроен, поэтому команда STLS не предлагается (её нет в списке CAPA).",
		exAlreadyTLS:         "Соединение уже защищено TLS; команду STLS можно выполнить только один раз.",
		exStat:               "Сводка о почтовом ящике (drop listing): сообщений — %[1]v, общий объём в октетах — %[2]v; сообщения, помеченные как удалённые, не учитываются.",
		exList:               "Листинг сообщений (scan listing) без помеченных как удалённые: номер сообщения и его объём в октетах. Всего сообщений: %[1]v, общий объём в октетах — %[2]v.",
		exListOne:            "Листинг сообщения %[1]v: его объём в октетах — %[2]v.",
		exRetr:               "Сообщение %[1]v передаётся целиком (объём в октетах — %[2]v); к строкам, начинающимся с точки, добавлена ещё одна точка, а конец ответа обозначен строкой из одной точки.",
		exTop:                "Заголовки сообщения %[1]v, пустая строка и первые строки самого письма — не больше %[2]v.",
		exDele:               "Сообщение %[1]v помечено как удалённое. Сервер удалит его только тогда, когда команда QUIT переведёт сеанс в состояние UPDATE; команда RSET снимает пометку.",
		exNoop:               "Команда NOOP ничего не делает: сервер лишь посылает положительный отклик.",
		exRset:               "Все пометки об удалении сняты: в почтовом ящике снова сообщений: %[1]v, общий объём в октетах — %[2]v.",
		exUidl:               "Список уникальных идентификаторов (unique-id listing): номер сообщения и идентификатор, который не меняется от сеанса к сеансу, — так клиент узнаёт, какие письма он уже забрал.",
		exUidlOne:            "Уникальный идентификатор сообщения %[1]v — %[2]s.",
		exQuitAuth:           "Сеанс завершается без перехода в состояние UPDATE; ничего не удаляется.",
		exQuit:               "Сеанс перешёл в состояние UPDATE: удалено помеченных сообщений — %[1]v, осталось — %[2]v; блокировка снята, соединение закрывается.",
		exRemoveFailed:       "Сеанс перешёл в состояние UPDATE, но сервер не смог удалить помеченные сообщения; повторите попытку позже.",
		exNotNumber:          "«%[1]s» — не номер сообщения: сообщения нумеруются 1, 2, 3 ... Синтаксис: %[2]s.",
		exZero:               "Сообщения нумеруются с 1; сообщения с номером 0 нет.",
		exNoSuch:             "Сообщения %[1]v нет: в почтовом ящике сообщения с номерами от 1 до %[2]v.",
		exDeleted:            "Сообщение %[1]v помечено как удалённое; до команды RSET любое обращение к нему вызывает ошибку -ERR.",
		exBadLines:           "Второй аргумент TOP — число строк текста письма: неотрицательное число, а не «%[1]s».",
		exMissingArg:         "Не хватает аргумента. Синтаксис: %[1]s.",
		exExtraArg:           "Слишком много аргументов. Синтаксис: %[1]s.",
		exArgTooLong:         "Аргумент может состоять не более чем из 40 символов (RFC 1939).",
		exEmpty:              "Строка пуста; команда начинается с ключевого слова, например CAPA, USER или STAT.",
		exLeadingSpace:       "Строка начинается с пробела; строка команды должна начинаться с самого ключевого слова, например STAT или USER.",
		exTooLong:            "Строка команды слишком длинная: не более 255 октетов вместе с CRLF (RFC 2449). Она проигнорирована.",
		exControl:            "В строке есть управляющий символ (%[1]s); команды POP3 состоят из печатных символов ASCII. Строка проигнорирована.",
		exNonASCII:           "В строке есть символы не из ASCII; ключевые слова и аргументы POP3 могут содержать только символы ASCII.",
		exUnknown:            "%[1]s — не команда POP3. В состоянии %[2]s доступны: %[3]s.",
		exUnknownHidden:      "Строка не начинается с команды POP3. До авторизации сервер не повторяет такую строку: это может быть пароль, набранный без PASS. В состоянии %[1]s доступны: %[2]s.",
		exDisabled:           "Команда %[1]s отключена в этом уроке.",
		exWrongStateLogin:    "Команда %[1]s недопустима в состоянии %[2]s; она используется в состоянии %[3]s. Сначала авторизуйтесь.",
		exWrongStateLoggedIn: "Команда %[1]s недопустима в состоянии %[2]s; она используется в состоянии %[3]s. Вы уже авторизованы.",
	},
	roles: map[role]string{
		roleOK:         "положительный отклик",
		roleErr:        "отрицательный отклик",
		roleCont:       "продолжение: сервер ждёт от клиента следующую строку",
		roleEnd:        "конец многострочного отклика",
		roleTimestamp:  "временная метка APOP <process-ID.clock@hostname>, своя у каждого соединения",
		roleUserText:   "произвольный текст; он не выдаёт, существует ли почтовый ящик",
		roleCount:      "число сообщений в почтовом ящике без помеченных как удалённые",
		roleOctets:     "объём в октетах, строки считаются с CRLF",
		roleMsgNum:     "номер сообщения",
		roleSize:       "объём сообщения в октетах",
		roleScanLine:   "строка листинга: номер сообщения и объём в октетах",
		roleUID:        "уникальный идентификатор сообщения, одинаковый во всех сеансах",
		roleUIDLine:    "номер сообщения и его уникальный идентификатор",
		roleLeft:       "сколько сообщений осталось в почтовом ящике",
		roleMechPlain:  "PLAIN: имя пользователя и пароль в одной строке base64 (RFC 4616)",
		roleInUse:      "код отклика: почтовый ящик заблокирован другим сеансом",
		roleAuthCode:   "код отклика: неверные имя или пароль",
		roleSysTemp:    "код отклика: временная ошибка сервера, повторите позже",
		roleSysPerm:    "код отклика: постоянная ошибка сервера",
		roleCapaTop:    "поддерживается команда TOP",
		roleCapaUser:   "поддерживается авторизация открытым паролем (USER и PASS)",
		roleCapaUidl:   "поддерживается команда UIDL",
		roleCapaResp:   "поддерживаются расширенные коды откликов в [квадратных скобках]",
		roleCapaAuthRC: "код [AUTH] обозначает неверные учётные данные",
		roleCapaPipe:   "клиент может посылать несколько команд, не дожидаясь откликов",
		roleCapaExpire: "сервер никогда не удаляет почту сам",
		roleCapaSASL:   "механизмы, доступные в команде AUTH",
		roleCapaSTLS:   "команда STLS переводит соединение на TLS",
		roleCapaImpl:   "название программы сервера",
	},
}

var slovak = catalog{
	texts: map[key]string{
		exGreeting:           "Server je pripravený a spojenie je vo fáze autorizácie (AUTHORIZATION): prihláste sa príkazmi USER a PASS.",
		exGreetingAPOP:       "Server je pripravený a spojenie je vo fáze autorizácie (AUTHORIZATION). Reťazec <...> na konci uvítania je timestamp pre APOP: MD5 z timestampu, za ktorým nasleduje shared secret, dokazuje, že klient pozná heslo, a pritom sa heslo neposiela sieťou.",
		exCapa:               "Zoznam schopností servera (RFC 2449): rozšírenia a voliteľné príkazy, ktoré server podporuje v aktuálnej fáze.",
		exUser:               "Server prijal meno používateľa „%[1]s“ a čaká na príkaz PASS. Neprezrádza, či taký mailbox existuje, aby nikto nemohol zisťovať, aké mená existujú.",
		exPassNoUser:         "Príkaz PASS musí nasledovať po príkaze USER, ktorý určí mailbox.",
		exPassFailed:         "Prihlásenie zlyhalo: meno alebo heslo nie je správne. Spojenie zostáva vo fáze autorizácie; začnite znova príkazom USER.",
		exBadDigest:          "Digest pre APOP je MD5 z timestampu z uvítania, za ktorým nasleduje shared secret, zapísaný ako 32 šestnástkových číslic.",
		exAPOPFailed:         "APOP zlyhal: digest sa nezhoduje s MD5(%[1]s + secret) alebo taký mailbox neexistuje. Spojenie zostáva vo fáze autorizácie.",
		exAuthList:           "Mechanizmy SASL, ktoré tu príkaz AUTH prijíma (RFC 5034).",
		exAuthMech:           "Server nepodporuje mechanizmus SASL %[1]s; použite AUTH PLAIN.",
		exContinue:           "Server čaká na odpoveď klienta v rámci SASL: riadok v kódovaní base64, alebo * na zrušenie.",
		exAuthCancelled:      "Klient zrušil autentifikáciu znakom *; spojenie zostáva vo fáze autorizácie.",
		exAuthBase64:         "Odpoveď klienta v SASL musí byť v kódovaní base64 (RFC 5034); autentifikácia sa ruší.",
		exAuthTooLong:        "Odpoveď klienta v SASL je dlhšia ako %[1]v oktetov, ktoré server prečíta v jednom riadku; autentifikácia sa ruší.",
		exAuthFailed:         "Autentifikácia zlyhala: server neprijal prihlasovacie údaje. Spojenie zostáva vo fáze autorizácie.",
		exLogin:              "Prihlásenie prebehlo úspešne: server uzamkol mailbox (exclusive-lock) pre toto spojenie a spojenie prešlo do transakčnej fázy (TRANSACTION). Počet správ v mailboxe: %[1]v, celková veľkosť v oktetoch: %[2]v; čísla správ sa do konca spojenia nemenia.",
		exInUse:              "Heslo je správne, ale exclusive-lock na mailboxe drží iné spojenie POP3 toho istého používateľa. Ukončite ho príkazom QUIT a skúste to znova.",
		exNoInbox:            "Používateľ nemá mailbox (INBOX), ktorý by server vedel otvoriť; ide o trvalú chybu na strane servera.",
		exTooManyFailures:    "Po %[1]v neúspešných pokusoch o prihlásenie server ukončí spojenie.",
		exSTLS:               "Server začína vyjednávanie TLS; potom by mal klient znova poslať CAPA a prihlásiť sa už cez chránený kanál.",
		exNoTLS:              "Na tomto serveri nie je nastavené TLS, preto príkaz STLS nie je k dispozícii (v CAPA chýba).",
		exAlreadyTLS:         "Spojenie je už chránené TLS; príkaz STLS sa dá použiť iba raz.",
		exStat:               "Drop listing: počet správ %[1]v, celková veľkosť v oktetoch %[2]v; správy označené ako zmazané sa nepočítajú.",
		exList:               "Scan listing všetkých správ, ktoré nie sú označené ako zmazané: číslo správy a jej veľkosť v oktetoch. Počet správ: %[1]v, celková veľkosť v oktetoch: %[2]v.",
		exListOne:            "Scan listing správy %[1]v: jej veľkosť v oktetoch je %[2]v.",
		exRetr:               "Nasleduje celá správa %[1]v (veľkosť v oktetoch: %[2]v); riadky začínajúce bodkou dostali ďalšiu bodku a odpoveď končí riadkom s jedinou bodkou.",
		exTop:                "Hlavička správy %[1]v, prázdny riadok a začiatok tela správy (počet riadkov najviac %[2]v).",
		exDele:               "Správa %[1]v je označená ako zmazaná. Server ju vymaže až vtedy, keď príkaz QUIT prevedie spojenie do aktualizačnej fázy (UPDATE); príkaz RSET označenie zruší.",
		exNoop:               "Príkaz NOOP nerobí nič, server len pošle kladnú odpoveď.",
		exRset:               "Všetky označenia na zmazanie sú zrušené: počet správ v mailboxe je znova %[1]v, celková veľkosť v oktetoch %[2]v.",
		exUidl:               "Unique-id listing: číslo správy a jej jedinečné ID, ktoré sa medzi spojeniami nemení, takže klient vie, ktoré správy už stiahol.",
		exUidlOne:            "Správa %[1]v má jedinečné ID %[2]s.",
		exQuitAuth:           "Spojenie končí bez prechodu do aktualizačnej fázy; nič sa nemaže.",
		exQuit:               "Spojenie prešlo do aktualizačnej fázy (UPDATE): vymazané označené správy: %[1]v, zostáva: %[2]v; exclusive-lock je uvoľnený a spojenie sa uzatvára.",
		exRemoveFailed:       "Spojenie prešlo do aktualizačnej fázy, ale server nedokázal vymazať označené správy; skúste to neskôr.",
		exNotNumber:          "„%[1]s“ nie je číslo správy: správy sú číslované 1, 2, 3 ... Syntax: %[2]s.",
		exZero:               "Správy sú číslované od 1; správa číslo 0 neexistuje.",
		exNoSuch:             "Správa %[1]v neexistuje: mailbox obsahuje správy s číslami od 1 do %[2]v.",
		exDeleted:            "Správa %[1]v je označená ako zmazaná; až do príkazu RSET vráti každý príkaz, ktorý sa na ňu odkazuje, -ERR.",
		exBadLines:           "Druhý argument príkazu TOP je počet riadkov tela správy: nezáporné číslo, nie „%[1]s“.",
		exMissingArg:         "Chýba argument. Syntax: %[1]s.",
		exExtraArg:           "Príliš veľa argumentov. Syntax: %[1]s.",
		exArgTooLong:         "Argument môže mať najviac 40 znakov (RFC 1939).",
		exEmpty:              "Riadok bol prázdny; príkaz začína kľúčovým slovom, napríklad CAPA, USER alebo STAT.",
		exLeadingSpace:       "Riadok začína medzerou; riadok príkazu musí začínať samotným kľúčovým slovom, napríklad STAT alebo USER.",
		exTooLong:            "Riadok príkazu bol príliš dlhý: najviac 255 oktetov aj s CRLF (RFC 2449). Server ho ignoroval.",
		exControl:            "Riadok obsahuje riadiaci znak (%[1]s); príkazy POP3 sa skladajú z tlačiteľných znakov ASCII. Server ho ignoroval.",
		exNonASCII:           "Riadok obsahuje znaky mimo ASCII; kľúčové slová a argumenty POP3 môžu obsahovať iba znaky ASCII.",
		exUnknown:            "%[1]s nie je príkaz POP3. Vo fáze %[2]s môžete použiť: %[3]s.",
		exUnknownHidden:      "Riadok nezačína príkazom POP3. Pred prihlásením ho server neopakuje, lebo to môže byť heslo napísané bez PASS. Vo fáze %[1]s môžete použiť: %[2]s.",
		exDisabled:           "Príkaz %[1]s je v tejto lekcii vypnutý.",
		exWrongStateLogin:    "Príkaz %[1]s nie je povolený vo fáze %[2]s; patrí do fázy %[3]s. Najprv sa prihláste.",
		exWrongStateLoggedIn: "Príkaz %[1]s nie je povolený vo fáze %[2]s; patrí do fázy %[3]s. Už ste prihlásení.",
	},
	roles: map[role]string{
		roleOK:         "kladná odpoveď",
		roleErr:        "záporná odpoveď",
		roleCont:       "pokračovanie: server čaká od klienta ďalší riadok",
		roleEnd:        "koniec viacriadkovej odpovede",
		roleTimestamp:  "timestamp pre APOP <process-ID.clock@hostname>, pri každom spojení iný",
		roleUserText:   "ľubovoľný text; neprezrádza, či mailbox existuje",
		roleCount:      "počet správ v mailboxe bez správ označených ako zmazané",
		roleOctets:     "veľkosť v oktetoch, riadky sa počítajú s CRLF",
		roleMsgNum:     "číslo správy",
		roleSize:       "veľkosť správy v oktetoch",
		roleScanLine:   "scan listing: číslo správy a veľkosť v oktetoch",
		roleUID:        "jedinečné ID správy, rovnaké v každom spojení",
		roleUIDLine:    "unique-id listing: číslo správy a jej jedinečné ID",
		roleLeft:       "počet správ, ktoré zostali v mailboxe",
		roleMechPlain:  "PLAIN: meno a heslo v jednom reťazci base64 (RFC 4616)",
		roleInUse:      "kód odpovede: mailbox je uzamknutý iným spojením",
		roleAuthCode:   "kód odpovede: nesprávne prihlasovacie údaje",
		roleSysTemp:    "kód odpovede: dočasná chyba servera, skúste neskôr",
		roleSysPerm:    "kód odpovede: trvalá chyba servera",
		roleCapaTop:    "server podporuje príkaz TOP",
		roleCapaUser:   "server podporuje prihlásenie príkazmi USER a PASS",
		roleCapaUidl:   "server podporuje príkaz UIDL",
		roleCapaResp:   "server používa rozšírené kódy odpovedí v [hranatých zátvorkách]",
		roleCapaAuthRC: "kód [AUTH] označuje nesprávne prihlasovacie údaje",
		roleCapaPipe:   "klient môže poslať viac príkazov naraz bez čakania na odpovede",
		roleCapaExpire: "server nikdy sám nemaže poštu",
		roleCapaSASL:   "mechanizmy, ktoré ponúka príkaz AUTH",
		roleCapaSTLS:   "príkaz STLS prepne spojenie na TLS",
		roleCapaImpl:   "názov serverového softvéru",
	},
}
