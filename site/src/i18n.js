// UI strings, one table per language. Protocol words (commands, states,
// +OK/-ERR, tags) stay as the RFCs write them in every language, as the
// lectures do. Texts go into the page with textContent only.

const en = {
  'page.title': 'Mail protocols lab: POP3 and IMAP',
  'page.skip': 'Skip to the terminals',
  'dialog.cancel': 'Cancel',
  'page.lead': 'A real POP3 and IMAP server runs in this page. Type commands as you would in telnet.',
  'proto.label': 'Protocol',
  'lang.label': 'Language',
  'term.new': 'New terminal',
  'term.close': 'Close terminal',
  'term.title': 'Terminal {n}: {proto}, port {port}',
  'term.aria': 'Terminal {n}. Type a command and press Enter.',
  'term.connecting': 'Trying 127.0.0.1...',
  'term.connected': 'Connected to localhost.',
  'term.escape': "Escape character is '^]'.",
  'term.closed': 'Connection closed by foreign host.',
  'term.again': 'Press Enter to connect again.',
  'deliver.user': 'Deliver to',
  'deliver.button': 'Deliver a new message',
  'deliver.done': 'Delivered message UID {uid} to {user}.',
  'reset.button': 'Reset the mailboxes',
  'reset.confirm': 'Reset every mailbox to the demo contents? Your changes will be lost.',
  'reset.done': 'The mailboxes are back to the demo contents.',
  'status.loading': 'Loading the simulator…',
  'status.ready': 'Ready. Demo accounts: {accounts}.',
  'status.failed': 'The simulator could not start: {error}',
  'keep.elsewhere': 'The lab is open in another tab as well, and that tab keeps the mailboxes: changes made here are not saved. To work here with saved mailboxes, close the other tab and reload this one.',
  'keep.none': 'This browser does not let the page save the mailboxes: they last until the page is closed.',
  'diagram.title': 'States',
  'diagram.aria': '{proto} state diagram; current state: {state}',
  'diagram.start': 'connect',
  'diagram.none': 'not connected',
  'commands.title': 'Commands allowed now',
  'commands.none': 'No commands in this state.',
  'commands.hint': 'Click to put a command into the input line.',
  'explain.title': 'What the answer means',
  'explain.empty': 'Send a command; its answer is explained here.',
  'explain.more': '… {n} more explained lines left out; the last one:',
  'explain.allowed': '{cmd} is allowed in: {states}.',
  'log.tab': 'Transcript',
  'raw.tab': 'Raw bytes',
  'log.aria': 'Transcript of terminal {n}',
  'raw.aria': 'Raw bytes of terminal {n}',
  'raw.crlf': 'CR LF: the end of a line on the wire',
  'raw.stuffed': 'dot-stuffing: a line starting with "." gets one more "."',
  'raw.end': 'end of the multi-line answer',
  'raw.literal': 'literal: exactly {n} octets follow',
  'raw.literalData': 'literal data',
  'lesson.title': 'Lesson',
  'lang.note': 'Explanations switch language from the next connection.',
  'proto.unknown': 'This lab has no simulator for "{proto}"; the terminals stay as they are.',
  'term.reconnect': 'The mailboxes were reset; connecting again.',
  'log.separator': 'New connection',
};

const ru = {
  'page.title': 'Лаборатория почтовых протоколов: POP3 и IMAP',
  'page.skip': 'Перейти к терминалам',
  'dialog.cancel': 'Отмена',
  'page.lead': 'Прямо на этой странице работает настоящий сервер POP3 и IMAP. Вводите команды так же, как в telnet.',
  'proto.label': 'Протокол',
  'lang.label': 'Язык',
  'term.new': 'Новый терминал',
  'term.close': 'Закрыть терминал',
  'term.title': 'Терминал {n}: {proto}, порт {port}',
  'term.aria': 'Терминал {n}. Введите команду и нажмите Enter.',
  'term.connecting': 'Trying 127.0.0.1...',
  'term.connected': 'Connected to localhost.',
  'term.escape': "Escape character is '^]'.",
  'term.closed': 'Connection closed by foreign host.',
  'term.again': 'Нажмите Enter, чтобы подключиться снова.',
  'deliver.user': 'Получатель',
  'deliver.button': 'Доставить новое письмо',
  'deliver.done': 'Письмо с UID {uid} доставлено пользователю {user}.',
  'reset.button': 'Сбросить почтовые ящики',
  'reset.confirm': 'Вернуть все почтовые ящики к исходному демонстрационному содержимому? Ваши изменения пропадут.',
  'reset.done': 'Почтовые ящики возвращены к исходному содержимому.',
  'status.loading': 'Загружается симулятор…',
  'status.ready': 'Готово. Демонстрационные учётные записи: {accounts}.',
  'status.failed': 'Не удалось запустить симулятор: {error}',
  'keep.elsewhere': 'Лаборатория открыта ещё в одной вкладке, и почтовые ящики сохраняет она: изменения, сделанные здесь, не сохранятся. Чтобы работать здесь с сохраняемыми ящиками, закройте другую вкладку и перезагрузите эту.',
  'keep.none': 'Браузер не позволяет странице сохранять почтовые ящики: они существуют, пока страница открыта.',
  'diagram.title': 'Состояния',
  'diagram.aria': 'Диаграмма состояний {proto}; текущее состояние: {state}',
  'diagram.start': 'соединение',
  'diagram.none': 'нет соединения',
  'commands.title': 'Команды, допустимые сейчас',
  'commands.none': 'В этом состоянии команд нет.',
  'commands.hint': 'Щелчок вставляет команду в строку ввода.',
  'explain.title': 'Что означает ответ',
  'explain.empty': 'Отправьте команду — здесь появится разбор ответа сервера.',
  'explain.more': '… пропущено ещё строк с разбором: {n}; последняя:',
  'explain.allowed': 'Команда {cmd} допустима в состояниях: {states}.',
  'log.tab': 'Протокол сеанса',
  'raw.tab': 'Байты как есть',
  'log.aria': 'Протокол сеанса терминала {n}',
  'raw.aria': 'Байты терминала {n} как есть',
  'raw.crlf': 'CR LF — конец строки в протоколе',
  'raw.stuffed': 'дублирование точки: к строке, начинающейся с «.», добавляется ещё одна «.»',
  'raw.end': 'конец многострочного ответа',
  'raw.literal': 'литерал: далее следует ровно {n} октетов',
  'raw.literalData': 'данные литерала',
  'lesson.title': 'Урок',
  'lang.note': 'Пояснения сменят язык со следующего подключения.',
  'proto.unknown': 'В этой лаборатории нет симулятора «{proto}»; терминалы остаются как были.',
  'term.reconnect': 'Почтовые ящики сброшены; подключаемся снова.',
  'log.separator': 'Новое соединение',
};

const sk = {
  'page.title': 'Laboratórium poštových protokolov: POP3 a IMAP',
  'page.skip': 'Prejsť na terminály',
  'dialog.cancel': 'Zrušiť',
  'page.lead': 'Priamo na tejto stránke beží skutočný server POP3 a IMAP. Príkazy zadávajte tak ako v programe telnet.',
  'proto.label': 'Protokol',
  'lang.label': 'Jazyk',
  'term.new': 'Nový terminál',
  'term.close': 'Zavrieť terminál',
  'term.title': 'Terminál {n}: {proto}, port {port}',
  'term.aria': 'Terminál {n}. Zadajte príkaz a stlačte Enter.',
  'term.connecting': 'Trying 127.0.0.1...',
  'term.connected': 'Connected to localhost.',
  'term.escape': "Escape character is '^]'.",
  'term.closed': 'Connection closed by foreign host.',
  'term.again': 'Stlačením klávesu Enter sa pripojíte znova.',
  'deliver.user': 'Adresát',
  'deliver.button': 'Doručiť novú správu',
  'deliver.done': 'Správa s UID {uid} bola doručená používateľovi {user}.',
  'reset.button': 'Obnoviť poštové schránky',
  'reset.confirm': 'Vrátiť všetky poštové schránky do pôvodného ukážkového stavu? Vaše zmeny sa stratia.',
  'reset.done': 'Poštové schránky sú opäť v pôvodnom stave.',
  'status.loading': 'Načítava sa simulátor…',
  'status.ready': 'Pripravené. Ukážkové účty: {accounts}.',
  'status.failed': 'Simulátor sa nepodarilo spustiť: {error}',
  'keep.elsewhere': 'Laboratórium je otvorené aj na inej karte a poštové schránky ukladá tá: zmeny urobené tu sa neuložia. Ak chcete pracovať tu s ukladanými schránkami, zatvorte druhú kartu a túto načítajte znova.',
  'keep.none': 'Prehliadač stránke nedovoľuje ukladať poštové schránky: vydržia, kým je stránka otvorená.',
  'diagram.title': 'Stavy',
  'diagram.aria': 'Stavový diagram {proto}; aktuálny stav: {state}',
  'diagram.start': 'spojenie',
  'diagram.none': 'bez spojenia',
  'commands.title': 'Práve povolené príkazy',
  'commands.none': 'V tomto stave nie sú povolené žiadne príkazy.',
  'commands.hint': 'Kliknutím vložíte príkaz do vstupného riadka.',
  'explain.title': 'Čo znamená odpoveď',
  'explain.empty': 'Pošlite príkaz a tu sa zobrazí rozbor odpovede servera.',
  'explain.more': '… vynechané ďalšie riadky s rozborom: {n}; posledný:',
  'explain.allowed': 'Príkaz {cmd} je povolený v stave: {states}.',
  'log.tab': 'Priebeh spojenia',
  'raw.tab': 'Surové bajty',
  'log.aria': 'Priebeh spojenia v termináli {n}',
  'raw.aria': 'Surové bajty terminálu {n}',
  'raw.crlf': 'CR LF – koniec riadka v protokole',
  'raw.stuffed': 'zdvojenie bodky: riadok začínajúci znakom „.“ dostane ešte jednu „.“',
  'raw.end': 'koniec viacriadkovej odpovede',
  'raw.literal': 'literál: nasleduje presne {n} oktetov',
  'raw.literalData': 'údaje literálu',
  'lesson.title': 'Lekcia',
  'lang.note': 'Vysvetlivky zmenia jazyk od nasledujúceho pripojenia.',
  'proto.unknown': 'Toto laboratórium nemá simulátor „{proto}“; terminály zostávajú, ako boli.',
  'term.reconnect': 'Poštové schránky boli obnovené; pripája sa znova.',
  'log.separator': 'Nové spojenie',
};

export const tables = { en, ru, sk };

/* global LANGUAGES */
// The languages the page offers are those the lab's texts are written in:
// the folders of sim/catalog/texts, English first, each named by its
// language.json, which `make site` writes into the bundle. A language
// without a table above shows the page's own words in English, and the
// simulator's explanations and diagram labels in the language.
export const languages = typeof LANGUAGES === 'undefined' ? [{ code: 'en', name: 'English' }] : LANGUAGES;

const known = (code) => languages.some((l) => l.code === code);

let current = 'en';

// pickLang chooses the page language: ?lang=, then the saved choice, then
// the browser's preference, then English.
export function pickLang(search, saved, preferred) {
  const wanted = [new URLSearchParams(search).get('lang'), saved, ...(preferred || [])];
  for (const w of wanted) {
    const code = (w || '').slice(0, 2).toLowerCase();
    if (known(code)) return code;
  }
  return 'en';
}

export function setLang(code) {
  if (known(code)) current = code;
  return current;
}

export function lang() {
  return current;
}

// t returns the string for key in the current language with {name}
// placeholders filled; a key missing in a language falls back to English.
export function t(key, args = {}) {
  const s = tables[current]?.[key] ?? en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (m, name) => (name in args ? String(args[name]) : m));
}

// translate fills every element below root that names a key: data-i18n sets
// the text, data-i18n-aria the accessible name, data-i18n-title the tooltip.
export function translate(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
}
