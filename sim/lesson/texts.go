package lesson

import "fmt"

// texts are the engine's own messages in every language of the lab. Each
// "not yet" reason says what is missing in the learner's terms, with the
// protocol word the lectures use.
var texts = map[string]Text{
	"no_session": {
		"en": "not yet: no session is open; connect first",
		"ru": "пока нет: сеанс не открыт; сначала подключитесь к серверу",
		"sk": "ešte nie: nie je otvorené žiadne spojenie; najprv sa pripojte",
	},
	"state": {
		"en": "not yet: the session is in the %s state; this step needs the %s state",
		"ru": "пока нет: сеанс находится в состоянии %s, а на этом шаге нужно состояние %s",
		"sk": "ešte nie: spojenie je vo fáze %s, tento krok vyžaduje fázu %s",
	},
	"transition": {
		"en": "not yet: transition (%s), %s, has not been taken in this step",
		"ru": "пока нет: на этом шаге ещё не было перехода (%s): %s",
		"sk": "ešte nie: v tomto kroku ešte nenastal prechod (%s): %s",
	},
	"command": {
		"en": "not yet: you have not sent %s in this step",
		"ru": "пока нет: на этом шаге вы ещё не отправили команду %s",
		"sk": "ešte nie: v tomto kroku ste ešte neposlali príkaz %s",
	},
	"command_args": {
		"en": "not yet: you sent %s, but not with the arguments this step asks for (last: %q)",
		"ru": "пока нет: команда %s отправлена, но не с теми аргументами, которые нужны на этом шаге (последняя: %q)",
		"sk": "ešte nie: príkaz %s ste poslali, ale nie s argumentmi, ktoré tento krok vyžaduje (posledný: %q)",
	},
	"response_none": {
		"en": "not yet: no response to %s in this step",
		"ru": "пока нет: на этом шаге не было ответа на %s",
		"sk": "ešte nie: v tomto kroku neprišla odpoveď na %s",
	},
	"response_other": {
		"en": "not yet: the server answered %q, which is not the response this step expects",
		"ru": "пока нет: сервер ответил %q, а на этом шаге ожидается другой отклик",
		"sk": "ešte nie: server odpovedal %q, tento krok očakáva inú odpoveď",
	},
	"any_command": {
		"en": "any command", "ru": "любую команду", "sk": "akýkoľvek príkaz",
	},
	"marked_pop3": {
		"en": "not yet: message %d is marked for deletion, but it is deleted only when you QUIT (the UPDATE state)",
		"ru": "пока нет: сообщение %d помечено для удаления, но удаляется оно только после команды QUIT (в состоянии UPDATE)",
		"sk": "ešte nie: správa %d je označená ako zmazaná, ale vymaže sa až po príkaze QUIT (v aktualizačnej fáze UPDATE)",
	},
	"marked_imap": {
		"en": "not yet: message UID %d has the \\Deleted flag, but it leaves the mailbox only on EXPUNGE or CLOSE",
		"ru": "пока нет: у сообщения с UID %d стоит флаг \\Deleted, но из почтового ящика оно удаляется только командой EXPUNGE или CLOSE",
		"sk": "ešte nie: správa s UID %d má príznak \\Deleted, ale zo schránky zmizne až po EXPUNGE alebo CLOSE",
	},
	"still_there": {
		"en": "not yet: message %s is still in %s",
		"ru": "пока нет: сообщение %s всё ещё в ящике %s",
		"sk": "ešte nie: správa %s je stále v schránke %s",
	},
	"not_there": {
		"en": "not yet: message %s is not in %s",
		"ru": "пока нет: сообщения %s нет в ящике %s",
		"sk": "ešte nie: správa %s nie je v schránke %s",
	},
	"flag_missing": {
		"en": "not yet: message %s does not have the %s flag",
		"ru": "пока нет: у сообщения %s нет флага %s",
		"sk": "ešte nie: správa %s nemá príznak %s",
	},
	"flag_readonly": {
		"en": "not yet: message %s does not have the %s flag; the mailbox was opened with EXAMINE, which is read-only: use SELECT",
		"ru": "пока нет: у сообщения %s нет флага %s; ящик открыт командой EXAMINE только для чтения — используйте SELECT",
		"sk": "ešte nie: správa %s nemá príznak %s; schránka je otvorená príkazom EXAMINE len na čítanie, použite SELECT",
	},
	"flag_present": {
		"en": "not yet: message %s still has the %s flag",
		"ru": "пока нет: у сообщения %s всё ещё стоит флаг %s",
		"sk": "ešte nie: správa %s má stále príznak %s",
	},
	"mailbox_missing": {
		"en": "not yet: there is no mailbox %q",
		"ru": "пока нет: почтового ящика %q нет",
		"sk": "ešte nie: schránka %q neexistuje",
	},
	"mailbox_exists": {
		"en": "not yet: mailbox %q still exists",
		"ru": "пока нет: почтовый ящик %q всё ещё существует",
		"sk": "ešte nie: schránka %q stále existuje",
	},
	"not_subscribed": {
		"en": "not yet: mailbox %q is not subscribed (SUBSCRIBE adds it to what LSUB lists)",
		"ru": "пока нет: на ящик %q нет подписки (SUBSCRIBE добавляет его в список LSUB)",
		"sk": "ešte nie: schránka %q nie je v zozname odberu (SUBSCRIBE ju pridá do zoznamu LSUB)",
	},
	"subscribed": {
		"en": "not yet: mailbox %q is still subscribed",
		"ru": "пока нет: подписка на ящик %q всё ещё есть",
		"sk": "ešte nie: schránka %q je stále v zozname odberu",
	},
	"count": {
		"en": "not yet: %s holds %d messages; this step needs %d",
		"ru": "пока нет: сообщений в ящике %s: %d, а нужно: %d",
		"sk": "ešte nie: počet správ v schránke %s: %d, tento krok vyžaduje %d",
	},
	"not_closed": {
		"en": "not yet: the session is still open",
		"ru": "пока нет: сеанс всё ещё открыт",
		"sk": "ešte nie: spojenie je stále otvorené",
	},
	"closed_other": {
		"en": "not yet: the session ended by %s; this step needs it to end by %s",
		"ru": "пока нет: сеанс завершился %s, а на этом шаге он должен завершиться %s",
		"sk": "ešte nie: spojenie sa skončilo %s, tento krok vyžaduje ukončenie %s",
	},
	"closed_by_quit": {
		"en": "QUIT or LOGOUT", "ru": "командой QUIT или LOGOUT", "sk": "príkazom QUIT alebo LOGOUT",
	},
	"closed_by_drop": {
		"en": "a dropped connection", "ru": "обрывом соединения", "sk": "prerušením spojenia",
	},
	"closed_by_timeout": {
		"en": "autologout (timeout)", "ru": "автоматическим отключением по тайм-ауту", "sk": "automatickým odhlásením po uplynutí času",
	},
	"closed_by_server": {
		"en": "the server", "ru": "по инициативе сервера", "sk": "zo strany servera",
	},
	"no_user": {
		"en": "the lesson has no user %q",
		"ru": "в уроке нет пользователя %q",
		"sk": "lekcia nemá používateľa %q",
	},
	"done": {
		"en": "done", "ru": "выполнено", "sk": "splnené",
	},
}

// tr formats the engine text key in lang.
func tr(lang, key string, args ...any) string {
	return fmt.Sprintf(texts[key].In(lang), args...)
}
