package imap

import "sync"

// roles holds what each kind of token of a response means, per language,
// for the explain pane. A meaning takes its part's args in order. The
// Russian follows the lecture's words (тег, маркированный и
// немаркированный отклик, флаги, почтовый ящик), the Slovak the Slovak
// lecture's (spojenie, poštová schránka, príznaky). It is built on first
// use: a page that never speaks IMAP does not pay for it at its start.
var roles = sync.OnceValue(func() map[role]map[string]string {
	return map[role]map[string]string{
		// The start of every response.
		"untagged": {
			"en": `untagged response: data or status information, not the end of a command`,
			"ru": `немаркированный отклик: данные или сведения о состоянии, а не завершение команды`,
			"sk": `neoznačená odpoveď: údaje alebo informácia o stave, nie ukončenie príkazu`,
		},
		"tag": {
			"en": `the tag of the command this response completes`,
			"ru": `тег (метка) команды: этим маркированным откликом завершается команда с такой меткой`,
			"sk": `značka (tag) príkazu, ktorý sa touto označenou odpoveďou končí`,
		},
		"continue": {
			"en": `continuation request: the server waits for the rest of the command`,
			"ru": `запрос продолжения: сервер ждёт от клиента продолжения команды`,
			"sk": `žiadosť o pokračovanie: server čaká na zvyšok príkazu`,
		},
		"text": {
			"en": `text for people: a client may show it but does not interpret it`,
			"ru": `текст для человека: клиент может его показать, но не разбирает`,
			"sk": `text pre človeka: klient ho môže zobraziť, ale nevyhodnocuje ho`,
		},

		// Status responses.
		"status.OK": {
			"en": `OK: the command completed successfully`,
			"ru": `OK: команда выполнена успешно`,
			"sk": `OK: príkaz sa úspešne vykonal`,
		},
		"status.NO": {
			"en": `NO: the command was understood but failed`,
			"ru": `NO: команда понята, но не выполнена`,
			"sk": `NO: príkaz je správne zapísaný, ale nevykonal sa`,
		},
		"status.BAD": {
			"en": `BAD: the command was not accepted: a syntax error, or not allowed in this state`,
			"ru": `BAD: команда не принята: ошибка в записи команды или команда недопустима в этом состоянии`,
			"sk": `BAD: príkaz nebol prijatý: chyba v zápise alebo príkaz v tomto stave nie je dovolený`,
		},
		"status.OK.untagged": {
			"en": `OK without a tag: information from the server (in the greeting: the server is ready)`,
			"ru": `OK без метки: информационное сообщение сервера (в приветствии — сервер готов к работе)`,
			"sk": `OK bez značky: informačné hlásenie servera (v pozdrave: server je pripravený)`,
		},
		"status.BAD.untagged": {
			"en": `BAD without a tag: an error the server cannot tie to a command`,
			"ru": `BAD без метки: ошибка, которую сервер не может отнести ни к одной команде`,
			"sk": `BAD bez značky: chyba, ktorú server nevie priradiť k žiadnemu príkazu`,
		},
		"status.BYE": {
			"en": `BYE: the server is closing the connection`,
			"ru": `BYE: сервер закрывает соединение`,
			"sk": `BYE: server zatvára spojenie`,
		},
		"status.PREAUTH": {
			"en": `PREAUTH: the connection is already authenticated; no login is needed`,
			"ru": `PREAUTH: соединение уже аутентифицировано, вход не нужен`,
			"sk": `PREAUTH: spojenie je už autentifikované, prihlásenie netreba`,
		},

		// Response codes in brackets and their arguments.
		"code": {
			"en": `response code: a detail of the response for the client program`,
			"ru": `код отклика: подробность для программы-клиента`,
			"sk": `kód odpovede: podrobnosť určená pre klientsky program`,
		},
		"code.CAPABILITY": {
			"en": `response code CAPABILITY: the server's capabilities, so the client need not ask with CAPABILITY`,
			"ru": `код отклика CAPABILITY: возможности сервера, чтобы клиенту не нужно было запрашивать их командой CAPABILITY`,
			"sk": `kód odpovede CAPABILITY: schopnosti servera, aby sa klient nemusel pýtať príkazom CAPABILITY`,
		},
		"code.UIDVALIDITY": {
			"en": `response code UIDVALIDITY: %v is the mailbox's identifier; while it stays the same, every UID keeps naming the same message`,
			"ru": `код отклика UIDVALIDITY: %v — уникальный идентификатор почтового ящика; пока он не меняется, каждый UID обозначает то же сообщение`,
			"sk": `kód odpovede UIDVALIDITY: %v je jedinečný identifikátor poštovej schránky; kým sa nezmení, každé UID označuje tú istú správu`,
		},
		"code.UIDNEXT": {
			"en": `response code UIDNEXT: the next message to arrive will get UID %v`,
			"ru": `код отклика UIDNEXT: следующее пришедшее сообщение получит UID %v`,
			"sk": `kód odpovede UIDNEXT: nasledujúca prijatá správa dostane UID %v`,
		},
		"code.UNSEEN": {
			"en": `response code UNSEEN: message %v is the first without \Seen`,
			"ru": `код отклика UNSEEN: сообщение %v — первое без флага \Seen`,
			"sk": `kód odpovede UNSEEN: správa %v je prvá bez príznaku \Seen`,
		},
		"code.PERMANENTFLAGS": {
			"en": `response code PERMANENTFLAGS: the flags the client can change for good`,
			"ru": `код отклика PERMANENTFLAGS: флаги, которые клиент может изменять постоянно`,
			"sk": `kód odpovede PERMANENTFLAGS: príznaky, ktoré klient môže natrvalo meniť`,
		},
		"code.READ-WRITE": {
			"en": `response code READ-WRITE: the mailbox is selected for reading and writing`,
			"ru": `код отклика READ-WRITE: почтовый ящик выбран для чтения и записи`,
			"sk": `kód odpovede READ-WRITE: poštová schránka je vybraná na čítanie aj zápis`,
		},
		"code.READ-ONLY": {
			"en": `response code READ-ONLY: the mailbox is selected read-only; nothing in it may change`,
			"ru": `код отклика READ-ONLY: почтовый ящик выбран только для чтения, изменить в нём ничего нельзя`,
			"sk": `kód odpovede READ-ONLY: poštová schránka je vybraná len na čítanie, nič v nej nemožno zmeniť`,
		},
		"code.APPENDUID": {
			"en": `response code APPENDUID (UIDPLUS): the mailbox's UIDVALIDITY and the UID the appended message got`,
			"ru": `код отклика APPENDUID (UIDPLUS): UIDVALIDITY почтового ящика и UID добавленного сообщения`,
			"sk": `kód odpovede APPENDUID (UIDPLUS): UIDVALIDITY schránky a UID pridanej správy`,
		},
		"appenduid.validity": {
			"en": `UIDVALIDITY of the mailbox the message went to`,
			"ru": `UIDVALIDITY почтового ящика, в который добавлено сообщение`,
			"sk": `UIDVALIDITY schránky, do ktorej správa pribudla`,
		},
		"appenduid.uid": {
			"en": `the UID the new message got`,
			"ru": `UID, который получило новое сообщение`,
			"sk": `UID, ktoré dostala nová správa`,
		},
		"code.COPYUID": {
			"en": `response code COPYUID (UIDPLUS): the destination's UIDVALIDITY, the UIDs copied and the UIDs of the copies`,
			"ru": `код отклика COPYUID (UIDPLUS): UIDVALIDITY целевого ящика, UID исходных сообщений и UID их копий`,
			"sk": `kód odpovede COPYUID (UIDPLUS): UIDVALIDITY cieľovej schránky, UID kopírovaných správ a UID ich kópií`,
		},
		"copyuid.validity": {
			"en": `UIDVALIDITY of the destination mailbox`,
			"ru": `UIDVALIDITY целевого почтового ящика`,
			"sk": `UIDVALIDITY cieľovej schránky`,
		},
		"copyuid.src": {
			"en": `UIDs of the messages copied, in the selected mailbox`,
			"ru": `UID исходных сообщений в выбранном почтовом ящике`,
			"sk": `UID kopírovaných správ vo vybranej schránke`,
		},
		"copyuid.dst": {
			"en": `UIDs of the copies in the destination, in the same order`,
			"ru": `UID копий в целевом ящике, в том же порядке`,
			"sk": `UID kópií v cieľovej schránke v rovnakom poradí`,
		},
		"code.TRYCREATE": {
			"en": `response code TRYCREATE: the mailbox does not exist; CREATE it, then try again`,
			"ru": `код отклика TRYCREATE: такого почтового ящика нет; создайте его командой CREATE и повторите команду`,
			"sk": `kód odpovede TRYCREATE: taká poštová schránka neexistuje; vytvorte ju príkazom CREATE a skúste znova`,
		},
		"code.ALREADYEXISTS": {
			"en": `response code ALREADYEXISTS: a mailbox of that name exists already`,
			"ru": `код отклика ALREADYEXISTS: почтовый ящик с таким именем уже есть`,
			"sk": `kód odpovede ALREADYEXISTS: poštová schránka s takým názvom už existuje`,
		},
		"code.NONEXISTENT": {
			"en": `response code NONEXISTENT: there is no such mailbox`,
			"ru": `код отклика NONEXISTENT: такого почтового ящика нет`,
			"sk": `kód odpovede NONEXISTENT: taká poštová schránka neexistuje`,
		},
		"code.CANNOT": {
			"en": `response code CANNOT: the server can never do this, however often the client tries`,
			"ru": `код отклика CANNOT: сервер не может выполнить это ни при каких условиях`,
			"sk": `kód odpovede CANNOT: server to nedokáže vykonať za nijakých okolností`,
		},
		"code.HASCHILDREN": {
			"en": `response code HASCHILDREN: there are mailboxes below this name`,
			"ru": `код отклика HASCHILDREN: под этим именем есть вложенные почтовые ящики`,
			"sk": `kód odpovede HASCHILDREN: pod týmto názvom sú vnorené poštové schránky`,
		},
		"code.EXPUNGEISSUED": {
			"en": `response code EXPUNGEISSUED: another session expunged some of the messages; NOOP tells which`,
			"ru": `код отклика EXPUNGEISSUED: часть сообщений удалил другой сеанс; какие именно, сообщит NOOP`,
			"sk": `kód odpovede EXPUNGEISSUED: niektoré správy odstránilo iné spojenie; ktoré, oznámi NOOP`,
		},
		"code.AUTHENTICATIONFAILED": {
			"en": `response code AUTHENTICATIONFAILED: the user name or the password is wrong`,
			"ru": `код отклика AUTHENTICATIONFAILED: неверное имя пользователя или пароль`,
			"sk": `kód odpovede AUTHENTICATIONFAILED: nesprávne meno alebo heslo`,
		},
		"code.AUTHORIZATIONFAILED": {
			"en": `response code AUTHORIZATIONFAILED: the password is right, but this user may not act as the identity asked for`,
			"ru": `код отклика AUTHORIZATIONFAILED: пароль верный, но этому пользователю нельзя действовать от имени запрошенной учётной записи`,
			"sk": `kód odpovede AUTHORIZATIONFAILED: heslo je správne, ale tento používateľ nesmie konať za požadovanú identitu`,
		},
		"code.BADCHARSET": {
			"en": `response code BADCHARSET: the server cannot search in that charset`,
			"ru": `код отклика BADCHARSET: сервер не умеет искать в этой кодировке`,
			"sk": `kód odpovede BADCHARSET: server nevie vyhľadávať v tejto znakovej sade`,
		},
		"badcharset.list": {
			"en": `the charsets the server can search in`,
			"ru": `кодировки, в которых сервер умеет искать`,
			"sk": `znakové sady, v ktorých server vie vyhľadávať`,
		},
		"code.OVERQUOTA": {
			"en": `response code OVERQUOTA: the mailbox would hold more than this server allows`,
			"ru": `код отклика OVERQUOTA: в почтовом ящике оказалось бы больше сообщений, чем разрешает сервер`,
			"sk": `kód odpovede OVERQUOTA: schránka by obsahovala viac správ, než server dovoľuje`,
		},
		"code.TOOBIG": {
			"en": `response code TOOBIG: the message is larger than this server accepts`,
			"ru": `код отклика TOOBIG: сообщение больше, чем принимает сервер`,
			"sk": `kód odpovede TOOBIG: správa je väčšia, než server prijíma`,
		},
		"code.SERVERBUG": {
			"en": `response code SERVERBUG: the server failed; the client did nothing wrong`,
			"ru": `код отклика SERVERBUG: ошибка на стороне сервера, клиент ни при чём`,
			"sk": `kód odpovede SERVERBUG: chyba na strane servera, klient nič nepokazil`,
		},

		// Flags (RFC 3501 2.3.2), as the lecture lists them.
		`flag.\Seen`: {
			"en": `\Seen: the message has been read`,
			"ru": `\Seen: сообщение прочитано`,
			"sk": `\Seen: správa bola prečítaná`,
		},
		`flag.\Answered`: {
			"en": `\Answered: the message has been answered`,
			"ru": `\Answered: на сообщение отправлен ответ`,
			"sk": `\Answered: na správu bolo odpovedané`,
		},
		`flag.\Flagged`: {
			"en": `\Flagged: marked as important`,
			"ru": `\Flagged: сообщение отмечено как «важное»`,
			"sk": `\Flagged: správa je označená ako dôležitá`,
		},
		`flag.\Deleted`: {
			"en": `\Deleted: marked for removal; EXPUNGE or CLOSE removes it`,
			"ru": `\Deleted: сообщение отмечено как удалённое; удаляют его команды EXPUNGE и CLOSE`,
			"sk": `\Deleted: správa je označená na odstránenie; odstráni ju EXPUNGE alebo CLOSE`,
		},
		`flag.\Draft`: {
			"en": `\Draft: a draft, not finished yet`,
			"ru": `\Draft: сообщение отмечено как черновик`,
			"sk": `\Draft: rozpísaný koncept správy`,
		},
		`flag.\Recent`: {
			"en": `\Recent: new in the mailbox, and this session is the first to see it; no client can set it`,
			"ru": `\Recent: сообщение впервые появилось в ящике в ходе текущего сеанса; клиент не может установить этот флаг`,
			"sk": `\Recent: správa je v schránke nová a toto spojenie ju vidí ako prvé; klient tento príznak nastaviť nemôže`,
		},
		`flag.\*`: {
			"en": `\*: the client may also create new keywords`,
			"ru": `\*: клиент может создавать и новые ключевые слова`,
			"sk": `\*: klient smie vytvárať aj nové kľúčové slová`,
		},
		"flag.keyword": {
			"en": `a keyword: a flag clients define themselves, such as $Forwarded`,
			"ru": `ключевое слово: флаг, который определяют сами клиенты, например $Forwarded`,
			"sk": `kľúčové slovo: príznak, ktorý si definujú sami klienti, napr. $Forwarded`,
		},

		// Untagged data about the selected mailbox.
		"exists.n": {
			"en": `the number of messages in the mailbox`,
			"ru": `число сообщений в почтовом ящике`,
			"sk": `počet správ v poštovej schránke`,
		},
		"data.EXISTS": {
			"en": `EXISTS: the number before it is how many messages the mailbox holds`,
			"ru": `EXISTS: число перед ним — сколько сообщений в почтовом ящике`,
			"sk": `EXISTS: číslo pred ním udáva, koľko správ je v schránke`,
		},
		"recent.n": {
			"en": `the number of messages with the \Recent flag`,
			"ru": `число сообщений с флагом \Recent`,
			"sk": `počet správ s príznakom \Recent`,
		},
		"data.RECENT": {
			"en": `RECENT: the number before it is how many messages are new to this session`,
			"ru": `RECENT: число перед ним — сколько сообщений впервые появились в ящике в этом сеансе`,
			"sk": `RECENT: číslo pred ním udáva, koľko správ je pre toto spojenie nových`,
		},
		"expunge.n": {
			"en": `the sequence number of the removed message`,
			"ru": `порядковый номер удалённого сообщения`,
			"sk": `poradové číslo odstránenej správy`,
		},
		"data.EXPUNGE": {
			"en": `EXPUNGE: the message is removed for good; every later message's number goes down by one`,
			"ru": `EXPUNGE: сообщение окончательно удалено; номера всех следующих сообщений уменьшаются на единицу`,
			"sk": `EXPUNGE: správa je natrvalo odstránená; čísla všetkých ďalších správ sa znížia o jedna`,
		},
		"data.FLAGS": {
			"en": `FLAGS: the flags defined in this mailbox`,
			"ru": `FLAGS: флаги, определённые в этом почтовом ящике`,
			"sk": `FLAGS: príznaky definované v tejto poštovej schránke`,
		},

		// FETCH and its items.
		"fetch.n": {
			"en": `the sequence number of the message`,
			"ru": `порядковый номер сообщения`,
			"sk": `poradové číslo správy`,
		},
		"data.FETCH": {
			"en": `FETCH: data about the message follow in parentheses, as pairs of name and value`,
			"ru": `FETCH: далее в скобках — данные о сообщении, парами «имя значение»`,
			"sk": `FETCH: v zátvorkách nasledujú údaje o správe v dvojiciach názov hodnota`,
		},
		"fetch.end": {
			"en": `the end of the FETCH data, on the line after the literal's octets`,
			"ru": `конец данных FETCH — на строке после октетов литерала`,
			"sk": `koniec údajov FETCH, na riadku za oktetmi literálu`,
		},
		"item.FLAGS": {
			"en": `FLAGS: the message's flags`,
			"ru": `FLAGS: флаги сообщения`,
			"sk": `FLAGS: príznaky správy`,
		},
		"item.UID": {
			"en": `UID: the message's unique identifier; it does not change while UIDVALIDITY stays the same`,
			"ru": `UID: уникальный идентификатор сообщения; не меняется, пока не меняется UIDVALIDITY`,
			"sk": `UID: jedinečný identifikátor správy; nemení sa, kým sa nezmení UIDVALIDITY`,
		},
		"item.RFC822.SIZE": {
			"en": `RFC822.SIZE: the message's size in octets, lines counted with CRLF`,
			"ru": `RFC822.SIZE: объём сообщения в октетах, строки считаются с CRLF`,
			"sk": `RFC822.SIZE: veľkosť správy v oktetoch, riadky sa počítajú s CRLF`,
		},
		"item.INTERNALDATE": {
			"en": `INTERNALDATE: when the message reached the server, not its Date: field`,
			"ru": `INTERNALDATE: когда сообщение поступило на сервер (а не поле Date: заголовка)`,
			"sk": `INTERNALDATE: kedy správa prišla na server (nie pole Date: hlavičky)`,
		},
		"item.ENVELOPE": {
			"en": `ENVELOPE: header fields the server parsed, always in this order; NIL marks one the message lacks`,
			"ru": `ENVELOPE: поля заголовка, разобранные сервером, всегда в этом порядке; NIL — такого поля нет`,
			"sk": `ENVELOPE: polia hlavičky, ktoré server rozobral, vždy v tomto poradí; NIL znamená, že pole chýba`,
		},
		"env.date": {
			"en": `Date: when the message was written`,
			"ru": `Date: дата написания сообщения`,
			"sk": `Date: kedy bola správa napísaná`,
		},
		"env.subject": {
			"en": `Subject`,
			"ru": `Subject: тема`,
			"sk": `Subject: predmet`,
		},
		"env.from": {
			"en": `From: the authors; each address is (name route mailbox host)`,
			"ru": `From: авторы; каждый адрес — (имя маршрут ящик хост)`,
			"sk": `From: autori; každá adresa je (meno trasa schránka hostiteľ)`,
		},
		"env.sender": {
			"en": `Sender: who sent it (the same as From when the header has no Sender:)`,
			"ru": `Sender: отправитель (то же, что From, если поля Sender: нет)`,
			"sk": `Sender: odosielateľ (rovnaký ako From, ak pole Sender: chýba)`,
		},
		"env.reply-to": {
			"en": `Reply-To: where replies go (the same as From when the header has none)`,
			"ru": `Reply-To: куда направлять ответы (то же, что From, если такого поля нет)`,
			"sk": `Reply-To: kam posielať odpovede (rovnaké ako From, ak pole chýba)`,
		},
		"env.to": {
			"en": `To: the recipients`,
			"ru": `To: получатели`,
			"sk": `To: príjemcovia`,
		},
		"env.cc": {
			"en": `Cc: who gets a copy`,
			"ru": `Cc: получатели копии`,
			"sk": `Cc: príjemcovia kópie`,
		},
		"env.bcc": {
			"en": `Bcc: who gets a blind copy`,
			"ru": `Bcc: получатели скрытой копии`,
			"sk": `Bcc: príjemcovia skrytej kópie`,
		},
		"env.in-reply-to": {
			"en": `In-Reply-To: the message this one answers`,
			"ru": `In-Reply-To: на какое сообщение это ответ`,
			"sk": `In-Reply-To: na ktorú správu táto odpovedá`,
		},
		"env.message-id": {
			"en": `Message-ID: the message's worldwide unique identifier`,
			"ru": `Message-ID: всемирно уникальный идентификатор сообщения`,
			"sk": `Message-ID: celosvetovo jedinečný identifikátor správy`,
		},
		"item.BODYSTRUCTURE": {
			"en": `BODYSTRUCTURE: the message's MIME structure, parsed by the server, with extension data`,
			"ru": `BODYSTRUCTURE: MIME-структура сообщения, разобранная сервером, с расширенными данными`,
			"sk": `BODYSTRUCTURE: štruktúra MIME správy, ktorú rozobral server, aj s rozširujúcimi údajmi`,
		},
		"item.BODY": {
			"en": `BODY: the message's MIME structure, without extension data`,
			"ru": `BODY: MIME-структура сообщения без расширенных данных`,
			"sk": `BODY: štruktúra MIME správy bez rozširujúcich údajov`,
		},
		"bs.part": {
			"en": `body part %v: %v, its structure in parentheses`,
			"ru": `часть %v: %v, её структура в скобках`,
			"sk": `časť %v: %v, jej štruktúra v zátvorkách`,
		},
		"bs.multipart": {
			"en": `multipart subtype: how the parts belong together (MIXED, ALTERNATIVE, RELATED ...)`,
			"ru": `подтип multipart: как связаны части (MIXED, ALTERNATIVE, RELATED ...)`,
			"sk": `podtyp multipart: ako časti spolu súvisia (MIXED, ALTERNATIVE, RELATED ...)`,
		},
		"bs.type": {
			"en": `MIME type`,
			"ru": `MIME-тип`,
			"sk": `typ MIME`,
		},
		"bs.subtype": {
			"en": `MIME subtype`,
			"ru": `MIME-подтип`,
			"sk": `podtyp MIME`,
		},
		"bs.params": {
			"en": `parameters, each a name and a value: CHARSET, BOUNDARY, NAME ... (NIL: none)`,
			"ru": `параметры, каждый — имя и значение: CHARSET, BOUNDARY, NAME ... (NIL — нет)`,
			"sk": `parametre, každý ako názov a hodnota: CHARSET, BOUNDARY, NAME ... (NIL: žiadne)`,
		},
		"bs.id": {
			"en": `Content-ID (NIL: none)`,
			"ru": `Content-ID (NIL — нет)`,
			"sk": `Content-ID (NIL: chýba)`,
		},
		"bs.description": {
			"en": `Content-Description (NIL: none)`,
			"ru": `Content-Description (NIL — нет)`,
			"sk": `Content-Description (NIL: chýba)`,
		},
		"bs.encoding": {
			"en": `Content-Transfer-Encoding: how the part is encoded for transport`,
			"ru": `Content-Transfer-Encoding: способ кодирования части при передаче`,
			"sk": `Content-Transfer-Encoding: ako je časť zakódovaná na prenos`,
		},
		"bs.size": {
			"en": `size of the part in octets, as encoded`,
			"ru": `объём части в октетах в закодированном виде`,
			"sk": `veľkosť časti v oktetoch v zakódovanom tvare`,
		},
		"bs.lines": {
			"en": `number of lines`,
			"ru": `число строк`,
			"sk": `počet riadkov`,
		},
		"bs.envelope": {
			"en": `the envelope of the enclosed message`,
			"ru": `конверт (ENVELOPE) вложенного сообщения`,
			"sk": `obálka (ENVELOPE) vloženej správy`,
		},
		"bs.body": {
			"en": `the structure of the enclosed message`,
			"ru": `структура вложенного сообщения`,
			"sk": `štruktúra vloženej správy`,
		},
		"bs.md5": {
			"en": `Content-MD5 (NIL: none)`,
			"ru": `Content-MD5 (NIL — нет)`,
			"sk": `Content-MD5 (NIL: chýba)`,
		},
		"bs.disposition": {
			"en": `Content-Disposition: inline or attachment, with parameters such as the file name (NIL: none)`,
			"ru": `Content-Disposition: inline или attachment, с параметрами, например именем файла (NIL — нет)`,
			"sk": `Content-Disposition: inline alebo attachment, s parametrami, napr. názvom súboru (NIL: chýba)`,
		},
		"bs.language": {
			"en": `Content-Language (NIL: none)`,
			"ru": `Content-Language (NIL — нет)`,
			"sk": `Content-Language (NIL: chýba)`,
		},
		"bs.location": {
			"en": `Content-Location (NIL: none)`,
			"ru": `Content-Location (NIL — нет)`,
			"sk": `Content-Location (NIL: chýba)`,
		},
		"item.BODY[]": {
			"en": `BODY[section]: the contents of the section named in brackets`,
			"ru": `BODY[секция]: содержимое секции, указанной в квадратных скобках`,
			"sk": `BODY[sekcia]: obsah sekcie uvedenej v hranatých zátvorkách`,
		},
		"section.whole": {
			"en": `BODY[]: the whole message, header and body, exactly as stored`,
			"ru": `BODY[]: всё сообщение — заголовок и тело — в точности как хранится`,
			"sk": `BODY[]: celá správa, hlavička aj telo, presne tak, ako je uložená`,
		},
		"section.part": {
			"en": `part number: which body part, by its place in the MIME structure`,
			"ru": `номер части: какая часть тела, по её месту в MIME-структуре`,
			"sk": `číslo časti: ktorá časť tela, podľa jej miesta v štruktúre MIME`,
		},
		"section.HEADER": {
			"en": `HEADER: the header, with the blank line after it`,
			"ru": `HEADER: заголовок вместе с пустой строкой после него`,
			"sk": `HEADER: hlavička aj s prázdnym riadkom za ňou`,
		},
		"section.HEADER.FIELDS": {
			"en": `HEADER.FIELDS: only the header fields named`,
			"ru": `HEADER.FIELDS: только перечисленные поля заголовка`,
			"sk": `HEADER.FIELDS: iba uvedené polia hlavičky`,
		},
		"section.HEADER.FIELDS.NOT": {
			"en": `HEADER.FIELDS.NOT: the header without the fields named`,
			"ru": `HEADER.FIELDS.NOT: заголовок без перечисленных полей`,
			"sk": `HEADER.FIELDS.NOT: hlavička bez uvedených polí`,
		},
		"section.TEXT": {
			"en": `TEXT: the body, without the header`,
			"ru": `TEXT: тело сообщения без заголовка`,
			"sk": `TEXT: telo správy bez hlavičky`,
		},
		"section.MIME": {
			"en": `MIME: the part's own MIME header`,
			"ru": `MIME: собственный MIME-заголовок части`,
			"sk": `MIME: vlastná hlavička MIME časti`,
		},
		"section.origin": {
			"en": `partial fetch: the data start at this octet of the section`,
			"ru": `частичная выборка: данные начинаются с этого октета секции`,
			"sk": `čiastočné načítanie: údaje začínajú týmto oktetom sekcie`,
		},
		"item.RFC822": {
			"en": `RFC822: the whole message, as BODY[] (it sets \Seen)`,
			"ru": `RFC822: всё сообщение, как BODY[] (устанавливает флаг \Seen)`,
			"sk": `RFC822: celá správa ako BODY[] (nastaví príznak \Seen)`,
		},
		"item.RFC822.HEADER": {
			"en": `RFC822.HEADER: the header, as BODY.PEEK[HEADER]`,
			"ru": `RFC822.HEADER: заголовок, как BODY.PEEK[HEADER]`,
			"sk": `RFC822.HEADER: hlavička ako BODY.PEEK[HEADER]`,
		},
		"item.RFC822.TEXT": {
			"en": `RFC822.TEXT: the body, as BODY[TEXT] (it sets \Seen)`,
			"ru": `RFC822.TEXT: тело сообщения, как BODY[TEXT] (устанавливает флаг \Seen)`,
			"sk": `RFC822.TEXT: telo správy ako BODY[TEXT] (nastaví príznak \Seen)`,
		},
		"literal": {
			"en": `a literal: exactly %v octets follow, from the next line on; then the response goes on`,
			"ru": `литерал: со следующей строки следуют данные, их объём в октетах — ровно %v; после них отклик продолжается`,
			"sk": `literál: od nasledujúceho riadka nasledujú údaje, ich veľkosť v oktetoch je presne %v; potom odpoveď pokračuje`,
		},
		"empty": {
			"en": `an empty string: the section holds nothing`,
			"ru": `пустая строка: секция ничего не содержит`,
			"sk": `prázdny reťazec: sekcia nič neobsahuje`,
		},

		// SEARCH and STATUS.
		"data.SEARCH": {
			"en": `SEARCH: the matching messages follow (none when nothing follows)`,
			"ru": `SEARCH: далее перечислены подходящие сообщения (если ничего нет — не найдено ни одного)`,
			"sk": `SEARCH: nasledujú vyhovujúce správy (ak nič nenasleduje, nevyhovuje žiadna)`,
		},
		"search.seq": {
			"en": `sequence number of a matching message`,
			"ru": `порядковый номер подходящего сообщения`,
			"sk": `poradové číslo vyhovujúcej správy`,
		},
		"search.uid": {
			"en": `UID of a matching message`,
			"ru": `UID подходящего сообщения`,
			"sk": `UID vyhovujúcej správy`,
		},
		"search.more": {
			"en": `%v more`,
			"ru": `и ещё %v`,
			"sk": `a ďalšie (%v)`,
		},
		"data.STATUS": {
			"en": `STATUS: the counters of a mailbox, without selecting it`,
			"ru": `STATUS: счётчики почтового ящика без его выбора`,
			"sk": `STATUS: počítadlá poštovej schránky bez toho, aby sa vybrala`,
		},
		"mailbox": {
			"en": `the mailbox name`,
			"ru": `имя почтового ящика`,
			"sk": `názov poštovej schránky`,
		},
		"mailbox.utf7": {
			"en": `the mailbox name in modified UTF-7; it reads «%v»`,
			"ru": `имя почтового ящика в модифицированной кодировке UTF-7: «%v»`,
			"sk": `názov poštovej schránky v modifikovanom UTF-7: „%v“`,
		},
		"status.MESSAGES": {
			"en": `MESSAGES: the number of messages`,
			"ru": `MESSAGES: число сообщений`,
			"sk": `MESSAGES: počet správ`,
		},
		"status.RECENT": {
			"en": `RECENT: the number of messages with \Recent`,
			"ru": `RECENT: число сообщений с флагом \Recent`,
			"sk": `RECENT: počet správ s príznakom \Recent`,
		},
		"status.UNSEEN": {
			"en": `UNSEEN: the number of messages without \Seen`,
			"ru": `UNSEEN: число сообщений без флага \Seen`,
			"sk": `UNSEEN: počet správ bez príznaku \Seen`,
		},
		"status.UIDNEXT": {
			"en": `UIDNEXT: the UID the next message will get`,
			"ru": `UIDNEXT: UID, который получит следующее сообщение`,
			"sk": `UIDNEXT: UID, ktoré dostane nasledujúca správa`,
		},
		"status.UIDVALIDITY": {
			"en": `UIDVALIDITY: the mailbox's identifier`,
			"ru": `UIDVALIDITY: уникальный идентификатор почтового ящика`,
			"sk": `UIDVALIDITY: jedinečný identifikátor poštovej schránky`,
		},

		// LIST and LSUB.
		"data.LIST": {
			"en": `LIST: one name of the mailbox hierarchy that matches the pattern`,
			"ru": `LIST: одно имя из иерархии почтовых ящиков, подходящее под шаблон`,
			"sk": `LIST: jeden názov z hierarchie poštových schránok, ktorý vyhovuje vzoru`,
		},
		"data.LSUB": {
			"en": `LSUB: one subscribed name that matches the pattern`,
			"ru": `LSUB: одно из имён, на которые оформлена подписка, подходящее под шаблон`,
			"sk": `LSUB: jeden z odoberaných názvov, ktorý vyhovuje vzoru`,
		},
		"attrs.none": {
			"en": `no attributes: a mailbox like any other`,
			"ru": `атрибутов нет: обычный почтовый ящик`,
			"sk": `žiadne atribúty: obyčajná poštová schránka`,
		},
		"attr": {
			"en": `an attribute of the name`,
			"ru": `атрибут имени`,
			"sk": `atribút názvu`,
		},
		`attr.\Noselect`: {
			"en": `\Noselect: only a level of the hierarchy, not a mailbox; it cannot be selected`,
			"ru": `\Noselect: только уровень иерархии (каталог), а не почтовый ящик; выбрать его нельзя`,
			"sk": `\Noselect: iba úroveň hierarchie, nie poštová schránka; nedá sa vybrať`,
		},
		`attr.\HasChildren`: {
			"en": `\HasChildren: there are names below it`,
			"ru": `\HasChildren: есть вложенные имена`,
			"sk": `\HasChildren: pod ním sú ďalšie názvy`,
		},
		`attr.\HasNoChildren`: {
			"en": `\HasNoChildren: there is nothing below it`,
			"ru": `\HasNoChildren: вложенных имён нет`,
			"sk": `\HasNoChildren: pod ním nie je nič`,
		},
		`attr.\Sent`: {
			"en": `\Sent: where sent messages are kept (SPECIAL-USE)`,
			"ru": `\Sent: ящик для отправленных сообщений (SPECIAL-USE)`,
			"sk": `\Sent: schránka na odoslané správy (SPECIAL-USE)`,
		},
		`attr.\Drafts`: {
			"en": `\Drafts: where drafts are kept (SPECIAL-USE)`,
			"ru": `\Drafts: ящик для черновиков (SPECIAL-USE)`,
			"sk": `\Drafts: schránka na koncepty (SPECIAL-USE)`,
		},
		`attr.\Trash`: {
			"en": `\Trash: where deleted messages go (SPECIAL-USE)`,
			"ru": `\Trash: корзина для удалённых сообщений (SPECIAL-USE)`,
			"sk": `\Trash: kôš na vymazané správy (SPECIAL-USE)`,
		},
		`attr.\Junk`: {
			"en": `\Junk: where spam is kept (SPECIAL-USE)`,
			"ru": `\Junk: ящик для спама (SPECIAL-USE)`,
			"sk": `\Junk: schránka na nevyžiadanú poštu (SPECIAL-USE)`,
		},
		`attr.\Archive`: {
			"en": `\Archive: the archive (SPECIAL-USE)`,
			"ru": `\Archive: архив (SPECIAL-USE)`,
			"sk": `\Archive: archív (SPECIAL-USE)`,
		},
		"delimiter": {
			"en": `the hierarchy delimiter: it separates the levels of a name`,
			"ru": `разделитель иерархии: отделяет уровни имени друг от друга`,
			"sk": `oddeľovač hierarchie: oddeľuje úrovne názvu`,
		},
		"list.root": {
			"en": `an empty name: this line only tells the delimiter and the root of the hierarchy`,
			"ru": `пустое имя: эта строка лишь сообщает разделитель и корень иерархии`,
			"sk": `prázdny názov: tento riadok len oznamuje oddeľovač a koreň hierarchie`,
		},

		// CAPABILITY and ENABLED: IMAP4rev1 and each extension.
		"data.CAPABILITY": {
			"en": `CAPABILITY: what this server supports follows`,
			"ru": `CAPABILITY: далее перечислены возможности сервера`,
			"sk": `CAPABILITY: nasleduje, čo server podporuje`,
		},
		"data.ENABLED": {
			"en": `ENABLED: the extensions ENABLE turned on would follow; here none needs turning on`,
			"ru": `ENABLED: далее следовали бы расширения, включённые командой ENABLE; здесь включать нечего`,
			"sk": `ENABLED: nasledovali by rozšírenia, ktoré ENABLE zapol; tu netreba nič zapínať`,
		},
		"cap": {
			"en": `an extension this server supports`,
			"ru": `расширение, которое поддерживает сервер`,
			"sk": `rozšírenie, ktoré server podporuje`,
		},
		"cap.IMAP4rev1": {
			"en": `IMAP4rev1: the protocol version this server speaks, RFC 3501`,
			"ru": `IMAP4rev1: версия протокола, RFC 3501`,
			"sk": `IMAP4rev1: verzia protokolu, RFC 3501`,
		},
		"cap.LITERAL+": {
			"en": `LITERAL+: the client may send a literal {n+} without waiting for "+" (RFC 7888)`,
			"ru": `LITERAL+: литерал {n+} клиент может отправить, не дожидаясь «+» (RFC 7888)`,
			"sk": `LITERAL+: literál {n+} smie klient poslať bez čakania na „+“ (RFC 7888)`,
		},
		"cap.SASL-IR": {
			"en": `SASL-IR: AUTHENTICATE may carry the first response on its own line (RFC 4959)`,
			"ru": `SASL-IR: первый ответ можно передать прямо в строке AUTHENTICATE (RFC 4959)`,
			"sk": `SASL-IR: prvú odpoveď možno poslať priamo v riadku AUTHENTICATE (RFC 4959)`,
		},
		"cap.ID": {
			"en": `ID: client and server may tell each other their names (RFC 2971)`,
			"ru": `ID: клиент и сервер могут сообщить друг другу свои названия (RFC 2971)`,
			"sk": `ID: klient a server si môžu navzájom oznámiť svoje názvy (RFC 2971)`,
		},
		"cap.ENABLE": {
			"en": `ENABLE: the client may turn extensions on (RFC 5161)`,
			"ru": `ENABLE: клиент может включать расширения (RFC 5161)`,
			"sk": `ENABLE: klient môže zapínať rozšírenia (RFC 5161)`,
		},
		"cap.IDLE": {
			"en": `IDLE: the server reports new mail as it arrives (RFC 2177)`,
			"ru": `IDLE: сервер сразу сообщает о новой почте (RFC 2177)`,
			"sk": `IDLE: server hneď oznamuje novú poštu (RFC 2177)`,
		},
		"cap.NAMESPACE": {
			"en": `NAMESPACE: the prefixes and delimiters of mailbox names (RFC 2342)`,
			"ru": `NAMESPACE: префиксы и разделители имён почтовых ящиков (RFC 2342)`,
			"sk": `NAMESPACE: predpony a oddeľovače názvov poštových schránok (RFC 2342)`,
		},
		"cap.UIDPLUS": {
			"en": `UIDPLUS: the APPENDUID and COPYUID codes and UID EXPUNGE (RFC 4315)`,
			"ru": `UIDPLUS: коды APPENDUID и COPYUID и команда UID EXPUNGE (RFC 4315)`,
			"sk": `UIDPLUS: kódy APPENDUID a COPYUID a príkaz UID EXPUNGE (RFC 4315)`,
		},
		"cap.MOVE": {
			"en": `MOVE: messages move to another mailbox in one command (RFC 6851)`,
			"ru": `MOVE: сообщения переносятся в другой ящик одной командой (RFC 6851)`,
			"sk": `MOVE: správy sa presunú do inej schránky jedným príkazom (RFC 6851)`,
		},
		"cap.UNSELECT": {
			"en": `UNSELECT: leave the mailbox without expunging (RFC 3691)`,
			"ru": `UNSELECT: закрыть почтовый ящик, ничего не удаляя (RFC 3691)`,
			"sk": `UNSELECT: opustiť schránku bez odstránenia správ (RFC 3691)`,
		},
		"cap.SPECIAL-USE": {
			"en": `SPECIAL-USE: LIST marks what mailboxes are for: \Sent, \Trash ... (RFC 6154)`,
			"ru": `SPECIAL-USE: LIST помечает назначение ящиков: \Sent, \Trash ... (RFC 6154)`,
			"sk": `SPECIAL-USE: LIST označuje účel schránok: \Sent, \Trash ... (RFC 6154)`,
		},
		"cap.CHILDREN": {
			"en": `CHILDREN: LIST says \HasChildren or \HasNoChildren (RFC 3348)`,
			"ru": `CHILDREN: LIST сообщает \HasChildren или \HasNoChildren (RFC 3348)`,
			"sk": `CHILDREN: LIST uvádza \HasChildren alebo \HasNoChildren (RFC 3348)`,
		},
		"cap.AUTH=PLAIN": {
			"en": `AUTH=PLAIN: AUTHENTICATE PLAIN, the user name and password in base64 (RFC 4616)`,
			"ru": `AUTH=PLAIN: механизм AUTHENTICATE PLAIN — имя пользователя и пароль в base64 (RFC 4616)`,
			"sk": `AUTH=PLAIN: mechanizmus AUTHENTICATE PLAIN, meno a heslo v base64 (RFC 4616)`,
		},
		"cap.STARTTLS": {
			"en": `STARTTLS: before login the connection can be switched to TLS`,
			"ru": `STARTTLS: до входа соединение можно перевести на TLS`,
			"sk": `STARTTLS: pred prihlásením možno spojenie prepnúť na TLS`,
		},

		// NAMESPACE and ID.
		"data.NAMESPACE": {
			"en": `NAMESPACE: the personal, other users' and shared namespaces, in this order`,
			"ru": `NAMESPACE: личные пространства имён, пространства других пользователей и общие — в этом порядке`,
			"sk": `NAMESPACE: osobné menné priestory, priestory iných používateľov a zdieľané, v tomto poradí`,
		},
		"ns.personal": {
			"en": `personal namespaces, each a prefix and a hierarchy delimiter`,
			"ru": `личные пространства имён: у каждого префикс и разделитель иерархии`,
			"sk": `osobné menné priestory, každý s predponou a oddeľovačom hierarchie`,
		},
		"ns.other": {
			"en": `other users' namespaces (NIL: none)`,
			"ru": `пространства имён других пользователей (NIL — нет)`,
			"sk": `menné priestory iných používateľov (NIL: žiadne)`,
		},
		"ns.shared": {
			"en": `shared namespaces (NIL: none)`,
			"ru": `общие пространства имён (NIL — нет)`,
			"sk": `zdieľané menné priestory (NIL: žiadne)`,
		},
		"data.ID": {
			"en": `ID: facts about the server, as pairs of field and value (RFC 2971)`,
			"ru": `ID: сведения о сервере — пары «поле значение» (RFC 2971)`,
			"sk": `ID: údaje o serveri v dvojiciach pole hodnota (RFC 2971)`,
		},
		"id.name": {
			"en": `name: the server software`,
			"ru": `name: название серверной программы`,
			"sk": `name: názov serverového softvéru`,
		},
		"id.field": {
			"en": `a field about the server and its value`,
			"ru": `поле сведений о сервере и его значение`,
			"sk": `pole s údajom o serveri a jeho hodnota`,
		},
		"id.vendor": {
			"en": `vendor: who makes it`,
			"ru": `vendor: разработчик`,
			"sk": `vendor: výrobca`,
		},
	}
})
