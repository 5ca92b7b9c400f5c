package imap

import (
	"fmt"
	"sync"

	"maillab/sim/event"
	"maillab/sim/lineio"
)

// catalog holds the explanation of each response, per language. Texts take
// fmt arguments in the order the callers pass them. Built on first use,
// as roles is.
var catalog = sync.OnceValue(func() map[string]map[string]string {
	return map[string]map[string]string{
		"greeting.ok": {
			"en": "The server greets without pre-authentication (transition 1): the session is in the NOT AUTHENTICATED state; log in with LOGIN or AUTHENTICATE.",
			"ru": "Сервер приветствует клиента без предварительной аутентификации (переход 1): сеанс находится в состоянии «аутентификация не выполнена». Войдите командой LOGIN или AUTHENTICATE.",
			"sk": "Server pozdravil bez predbežnej autentifikácie (prechod 1): spojenie je v stave „neautentifikovaný“. Prihláste sa príkazom LOGIN alebo AUTHENTICATE.",
		},
		"greeting.preauth": {
			"en": "PREAUTH: the connection is already authenticated as %s (transition 2); the session starts in the AUTHENTICATED state.",
			"ru": "Отклик PREAUTH: соединение уже аутентифицировано как %s (переход 2), сеанс сразу находится в состоянии «аутентификация выполнена».",
			"sk": "Odpoveď PREAUTH: spojenie je už autentifikované ako %s (prechod 2) a začína v stave „autentifikovaný“.",
		},
		"greeting.bye": {
			"en": "BYE in the greeting: the server rejects the connection (transition 3) and closes it.",
			"ru": "Отклик BYE в приветствии: сервер отвергает соединение (переход 3) и закрывает его.",
			"sk": "Odpoveď BYE v pozdrave: server spojenie odmieta (prechod 3) a zatvára ho.",
		},
		"capability": {
			"en": "The untagged CAPABILITY response lists what this server supports: IMAP4rev1 and its extensions; AUTH=PLAIN names an authentication mechanism.",
			"ru": "Немаркированный отклик CAPABILITY перечисляет возможности сервера: IMAP4rev1 и расширения; AUTH=PLAIN называет поддерживаемый механизм аутентификации.",
			"sk": "Neoznačená odpoveď CAPABILITY vymenúva, čo server podporuje: IMAP4rev1 a rozšírenia; AUTH=PLAIN je podporovaný mechanizmus autentifikácie.",
		},
		"namespace": {
			"en": "One personal namespace: mailbox names start at the top (\"\") and levels are separated by \"/\".",
			"ru": "Одно личное пространство имён: имена почтовых ящиков начинаются с корня (\"\"), уровни иерархии разделяются символом \"/\".",
			"sk": "Jeden osobný menný priestor: názvy poštových schránok začínajú od koreňa (\"\"), úrovne hierarchie oddeľuje znak \"/\".",
		},
		"bye.logout": {
			"en": "BYE: the server is closing the connection, as LOGOUT asked (transition 7).",
			"ru": "Отклик BYE: сервер закрывает соединение по команде LOGOUT (переход 7).",
			"sk": "Odpoveď BYE: server na príkaz LOGOUT zatvára spojenie (prechod 7).",
		},
		"bye.timeout": {
			"en": "BYE: the client sent nothing for too long, so the server logs it out (autologout, RFC 3501 5.4; transition 7).",
			"ru": "Отклик BYE: клиент слишком долго ничего не присылал, и сервер завершает сеанс по таймеру автоматического выхода (RFC 3501, 5.4; переход 7).",
			"sk": "Odpoveď BYE: klient príliš dlho nič neposlal, server ho preto automaticky odhlasuje (RFC 3501, 5.4; prechod 7).",
		},
		"bye.deleted": {
			"en": "BYE: another session deleted the selected mailbox, so the server ends this session (transition 7).",
			"ru": "Отклик BYE: другой сеанс удалил выбранный почтовый ящик, поэтому сервер завершает этот сеанс (переход 7).",
			"sk": "Odpoveď BYE: iné spojenie vymazalo vybranú poštovú schránku, server preto toto spojenie ukončuje (prechod 7).",
		},
		"ok": {
			"en": "Tagged OK: the command %s completed successfully.",
			"ru": "Маркированный отклик OK: команда %s выполнена успешно.",
			"sk": "Označená odpoveď OK: príkaz %s sa úspešne vykonal.",
		},
		"no": {
			"en": "Tagged NO: the command %s was understood but failed: %s",
			"ru": "Маркированный отклик NO: команда %s понята, но не выполнена: %s",
			"sk": "Označená odpoveď NO: príkaz %s je správne zapísaný, ale nevykonal sa: %s",
		},
		"bad": {
			"en": "BAD: the server could not accept the command: %s. The connection stays open; correct the command and send it again.",
			"ru": "Отклик BAD: сервер не может принять команду: %s. Соединение остаётся открытым, исправьте команду и отправьте её снова.",
			"sk": "Odpoveď BAD: server príkaz neprijal: %s. Spojenie zostáva otvorené; opravte príkaz a pošlite ho znova.",
		},
		"bad.hidden": {
			"en": "BAD: the line is not a command. Before login, or where a password may follow, the server does not repeat such a line: it may be a password typed without LOGIN. The connection stays open.",
			"ru": "Отклик BAD: строка не является командой. До аутентификации или там, где может следовать пароль, сервер не повторяет такую строку: это может быть пароль, набранный без LOGIN. Соединение остаётся открытым.",
			"sk": "Odpoveď BAD: riadok nie je príkaz. Pred prihlásením alebo tam, kde môže nasledovať heslo, server taký riadok neopakuje: môže to byť heslo napísané bez LOGIN. Spojenie zostáva otvorené.",
		},
		"toolong": {
			"en": "BAD: the line was longer than 65536 octets; the server read it to its end and dropped it. Send long arguments as literals {n}.",
			"ru": "Отклик BAD: строка длиннее 65536 октетов; сервер дочитал её до конца и отбросил. Длинные аргументы передавайте литералами {n}.",
			"sk": "Odpoveď BAD: riadok je dlhší ako 65536 oktetov; server ho dočítal do konca a zahodil. Dlhé argumenty posielajte ako literály {n}.",
		},
		"ok.LOGIN": {
			"en": "LOGIN succeeded (transition 4): the session is now AUTHENTICATED; SELECT a mailbox, e.g. SELECT INBOX.",
			"ru": "Вход выполнен (переход 4): сеанс в состоянии «аутентификация выполнена». Выберите почтовый ящик, например SELECT INBOX.",
			"sk": "Prihlásenie sa podarilo (prechod 4): spojenie je v stave „autentifikovaný“. Vyberte poštovú schránku, napr. SELECT INBOX.",
		},
		"ok.SELECT": {
			"en": "The mailbox is selected read-write (transition 5): commands of the SELECTED state such as FETCH, SEARCH and STORE now work on its messages.",
			"ru": "Почтовый ящик выбран для чтения и записи (переход 5): теперь команды состояния «выбрано» — FETCH, SEARCH, STORE — работают с его сообщениями.",
			"sk": "Poštová schránka je vybraná na čítanie aj zápis (prechod 5): príkazy stavu „vybraná schránka“ ako FETCH, SEARCH a STORE teraz pracujú s jej správami.",
		},
		"ok.EXAMINE": {
			"en": "The mailbox is selected read-only (transition 5): you can read messages, but flags do not change (not even \\Seen).",
			"ru": "Почтовый ящик выбран только для чтения (переход 5): сообщения можно читать, но флаги не меняются (даже \\Seen).",
			"sk": "Poštová schránka je vybraná len na čítanie (prechod 5): správy môžete čítať, ale príznaky sa nemenia (ani \\Seen).",
		},
		"ok.CLOSE": {
			"en": "CLOSE removed the messages marked \\Deleted without EXPUNGE responses and left the mailbox (transition 6).",
			"ru": "CLOSE без немаркированных откликов EXPUNGE удалил сообщения с флагом \\Deleted и закрыл почтовый ящик (переход 6).",
			"sk": "CLOSE bez odpovedí EXPUNGE odstránil správy s príznakom \\Deleted a opustil poštovú schránku (prechod 6).",
		},
		"ok.UNSELECT": {
			"en": "UNSELECT left the mailbox without removing anything (transition 6).",
			"ru": "UNSELECT закрыл почтовый ящик, ничего не удаляя (переход 6).",
			"sk": "UNSELECT opustil poštovú schránku bez odstránenia správ (prechod 6).",
		},
		"exists": {
			"en": "EXISTS: there are %d messages in the mailbox.",
			"ru": "EXISTS: число сообщений в почтовом ящике — %d.",
			"sk": "EXISTS: počet správ v poštovej schránke je %d.",
		},
		"recent": {
			"en": "RECENT: %d messages carry \\Recent: they arrived since the last session that saw this mailbox, and this session is the one told of them.",
			"ru": "RECENT: число сообщений с флагом \\Recent — %d; они появились в ящике впервые в ходе текущей сессии.",
			"sk": "RECENT: počet správ s príznakom \\Recent je %d; do schránky prišli nové a toto spojenie je prvé, ktoré o nich vie.",
		},
		"expunge": {
			"en": "EXPUNGE: message %d was removed; every later message's sequence number goes down by one.",
			"ru": "EXPUNGE: сообщение с порядковым номером %d удалено; номера всех следующих сообщений уменьшаются на единицу.",
			"sk": "EXPUNGE: správa s poradovým číslom %d bola odstránená; poradové čísla všetkých ďalších správ sa znížia o jedna.",
		},
		"fetch.flags": {
			"en": "FETCH (FLAGS ...): the flags of message %d changed, here or in another session.",
			"ru": "FETCH (FLAGS ...): изменились флаги сообщения %d — в этом или в другом сеансе.",
			"sk": "FETCH (FLAGS ...): zmenili sa príznaky správy %d, v tomto alebo v inom spojení.",
		},
		"unseen": {
			"en": "[UNSEEN %d]: message %[1]d is the first one without the \\Seen flag.",
			"ru": "[UNSEEN %d]: сообщение %[1]d — первое, у которого нет флага \\Seen (непрочитанное).",
			"sk": "[UNSEEN %d]: správa %[1]d je prvá bez príznaku \\Seen (neprečítaná).",
		},
		"uidvalidity": {
			"en": "[UIDVALIDITY %s]: the mailbox's identifier. While it stays the same, every UID keeps naming the same message; if it changes, a client must forget the UIDs it stored.",
			"ru": "[UIDVALIDITY %s]: уникальный идентификатор почтового ящика. Пока он не меняется, UID сообщений остаются прежними; если он изменился, клиент должен забыть сохранённые UID.",
			"sk": "[UIDVALIDITY %s]: jedinečný identifikátor poštovej schránky. Kým sa nezmení, každé UID označuje tú istú správu; ak sa zmení, klient musí zabudnúť uložené UID.",
		},
		"uidnext": {
			"en": "[UIDNEXT %s]: the UID the next message to arrive will get.",
			"ru": "[UIDNEXT %s]: UID, который получит следующее пришедшее сообщение.",
			"sk": "[UIDNEXT %s]: UID, ktoré dostane nasledujúca prijatá správa.",
		},
		"flags": {
			"en": "FLAGS: the flags defined in this mailbox.",
			"ru": "FLAGS: флаги, определённые для этого почтового ящика.",
			"sk": "FLAGS: príznaky definované v tejto poštovej schránke.",
		},
		"permanentflags": {
			"en": "[PERMANENTFLAGS]: the flags the client may change for good; \\* means it may also create new keywords.",
			"ru": "[PERMANENTFLAGS]: флаги, которые клиент может изменять постоянно; \\* означает, что можно создавать и новые ключевые слова.",
			"sk": "[PERMANENTFLAGS]: príznaky, ktoré klient môže natrvalo meniť; \\* znamená, že smie vytvárať aj nové kľúčové slová.",
		},
		"continue": {
			"en": "\"+\": the server is ready for the literal's octets (or the next authentication step); send them now.",
			"ru": "«+»: сервер готов принять данные литерала (или следующий шаг аутентификации) — отправьте их.",
			"sk": "„+“: server je pripravený prijať obsah literálu (alebo ďalší krok autentifikácie) — pošlite ho.",
		},
		"status": {
			"en": "STATUS reports the counters of a mailbox without selecting it.",
			"ru": "STATUS сообщает счётчики почтового ящика, не выбирая его.",
			"sk": "STATUS oznamuje počítadlá poštovej schránky bez toho, aby ju vybral.",
		},
		"search": {
			"en": "SEARCH lists the messages that match: %d found, by sequence number (by UID after UID SEARCH).",
			"ru": "SEARCH перечисляет подходящие сообщения: найдено %d, указаны порядковые номера (после UID SEARCH — идентификаторы UID).",
			"sk": "SEARCH vymenúva vyhovujúce správy: nájdených %d, uvedené sú poradové čísla (po UID SEARCH identifikátory UID).",
		},
		"list": {
			"en": "Each LIST line is one mailbox: its attributes in parentheses, the hierarchy delimiter \"/\" and its name (in modified UTF-7).",
			"ru": "Каждая строка LIST описывает один почтовый ящик: атрибуты в скобках, разделитель иерархии \"/\" и имя (в модифицированной кодировке UTF-7).",
			"sk": "Každý riadok LIST opisuje jednu poštovú schránku: atribúty v zátvorkách, oddeľovač hierarchie \"/\" a názov (v modifikovanom UTF-7).",
		},
		"wrongstate": {
			"en": "BAD: %s is not allowed in the %s state; it is allowed in: %s. The state diagram shows how to get there.",
			"ru": "Отклик BAD: команда %s недопустима в состоянии %s; она разрешена в состояниях: %s. Как туда перейти, показывает диаграмма состояний.",
			"sk": "Odpoveď BAD: príkaz %s nie je v stave %s dovolený; je dovolený v stavoch: %s. Ako sa tam dostať, ukazuje stavový diagram.",
		},
		"fetch": {
			"en": "FETCH: the data asked for about message %d, item by item.",
			"ru": "FETCH: запрошенные данные о сообщении %d, элемент за элементом.",
			"sk": "FETCH: požadované údaje o správe %d, položku za položkou.",
		},
		"lsub": {
			"en": "Each LSUB line is one subscribed name: its attributes in parentheses, the hierarchy delimiter \"/\" and the name (in modified UTF-7).",
			"ru": "Каждая строка LSUB — одно имя, на которое оформлена подписка: атрибуты в скобках, разделитель иерархии \"/\" и имя (в модифицированной кодировке UTF-7).",
			"sk": "Každý riadok LSUB je jeden odoberaný názov: atribúty v zátvorkách, oddeľovač hierarchie \"/\" a názov (v modifikovanom UTF-7).",
		},
		"list.root": {
			"en": "LIST with an empty pattern names no mailbox: it tells the hierarchy delimiter \"/\" and the root of the names, which cannot be selected (\\Noselect).",
			"ru": "LIST с пустым шаблоном не называет почтовых ящиков: он сообщает разделитель иерархии \"/\" и корень имён, который выбрать нельзя (\\Noselect).",
			"sk": "LIST s prázdnym vzorom nevymenúva poštové schránky: oznamuje oddeľovač hierarchie \"/\" a koreň názvov, ktorý sa nedá vybrať (\\Noselect).",
		},
		"enabled": {
			"en": "ENABLED lists the extensions ENABLE turned on: none, as no extension of this server needs turning on.",
			"ru": "ENABLED перечисляет расширения, включённые командой ENABLE: их нет, на этом сервере ни одно расширение не нужно включать.",
			"sk": "ENABLED vymenúva rozšírenia, ktoré ENABLE zapol: žiadne, na tomto serveri netreba zapínať nijaké rozšírenie.",
		},
		"id": {
			"en": "ID: the server tells the client its name and vendor (RFC 2971).",
			"ru": "ID: сервер сообщает клиенту своё название и разработчика (RFC 2971).",
			"sk": "ID: server oznamuje klientovi svoj názov a výrobcu (RFC 2971).",
		},
		"auth.continue": {
			"en": "\"+\": the server waits for the SASL response: for PLAIN, base64 of authorization identity, NUL, user name, NUL, password; or * to cancel.",
			"ru": "«+»: сервер ждёт ответ SASL: для PLAIN — base64 от строки «идентификатор авторизации, NUL, имя пользователя, NUL, пароль» или * для отмены.",
			"sk": "„+“: server čaká na odpoveď SASL: pre PLAIN base64 z reťazca identita autorizácie, NUL, meno, NUL, heslo; alebo * na zrušenie.",
		},
		"moved": {
			"en": "MOVE copied the messages and now expunges them here; COPYUID tells the UIDs the copies got in the destination.",
			"ru": "MOVE скопировал сообщения и теперь удаляет их здесь; COPYUID сообщает, какие UID получили копии в целевом ящике.",
			"sk": "MOVE správy skopíroval a teraz ich tu odstraňuje; COPYUID oznamuje, aké UID dostali kópie v cieľovej schránke.",
		},
		"idle": {
			"en": "IDLE: the server will now report new mail and changes at once; send DONE to end.",
			"ru": "IDLE: теперь сервер сразу сообщает о новой почте и изменениях; чтобы закончить, отправьте DONE.",
			"sk": "IDLE: server teraz hneď oznamuje novú poštu a zmeny; na ukončenie pošlite DONE.",
		},
	}
})

// explain emits the Explain event for the response just sent: the text
// for key and the response's parts, in the session's language.
func (s *Session) explain(key string, args ...any) {
	if !s.Listening() {
		return
	}
	s.emit(s.explanation(key, args...))
}

func (s *Session) explanation(key string, args ...any) event.Event {
	e := event.Event{Kind: event.Explain, Command: s.cmd, Text: s.text(key, args...)}
	for _, p := range s.partsOf(s.lastResp) {
		e.Parts = append(e.Parts, event.Part{Token: lineio.Printable(p.token), Meaning: s.meaning(p)})
	}
	return e
}

// meaning is what a part's role means in the session's language, English
// when the language has none.
func (s *Session) meaning(p part) string {
	m, ok := roles()[p.role][s.o.Lang]
	if !ok {
		m = roles()[p.role]["en"]
	}
	if len(p.args) == 0 {
		return m
	}
	return fmt.Sprintf(m, p.args...)
}

// text is the catalog text for key in the session's language, English
// when the language has none.
func (s *Session) text(key string, args ...any) string {
	t, ok := catalog()[key][s.o.Lang]
	if !ok {
		t = catalog()[key]["en"]
	}
	return fmt.Sprintf(t, args...)
}

// explainCompletion explains a tagged OK or NO: a command-specific text
// when the catalog has one, else the generic one.
func (s *Session) explainCompletion(status, code, text string) {
	if status == "NO" {
		s.explain("no", s.cmd, text)
		return
	}
	if _, ok := catalog()["ok."+s.cmd]; ok {
		s.explain("ok." + s.cmd)
		return
	}
	s.explain("ok", s.cmd)
}
