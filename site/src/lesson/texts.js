// The lesson panel's own words, in the lab's three languages.

import { languages } from '../i18n.js';

const texts = {
  en: {
    pick: 'Lesson', choose: '— choose a lesson —', open: 'Open a lesson file…', drop: 'or drop a .yaml lesson here',
    exportP: 'Export progress', importP: 'Import progress', close: 'Leave the lesson',
    step: 'Step {n} of {total}', done: 'Done', goals: 'Goals', met: 'done', hint: 'Hint', noHints: 'No more hints.',
    solution: 'Show the solution', solutionNote: 'Showing the solution does not solve the step: send the commands yourself.',
    insert: 'Put into the terminal', connect: 'Connect terminal “{name}”', dropConn: 'Disconnect “{name}” (no QUIT)',
    use: 'Switch to terminal “{name}”', next: 'Next step', prev: 'Previous step', finished: 'Lesson complete. Well done!',
    questions: 'Questions', check: 'Check', correct: 'Correct.', wrong: 'Not quite; try again.',
    link: 'Link to this step', copied: 'Link copied.', loadError: 'This lesson cannot be loaded:', imported: 'Progress imported.',
    level: 'level', solvedWithHelp: 'solution shown', terminal: 'terminal “{name}”',
    restarted: 'The lesson’s mailboxes were reset; your progress is kept.', progressReset: 'The saved progress did not fit this version of the lesson, so it starts over.',
  },
  ru: {
    pick: 'Урок', choose: '— выберите урок —', open: 'Открыть файл урока…', drop: 'или перетащите сюда файл урока .yaml',
    exportP: 'Сохранить прогресс в файл', importP: 'Загрузить прогресс из файла', close: 'Выйти из урока',
    step: 'Шаг {n} из {total}', done: 'Выполнено', goals: 'Цели', met: 'выполнено', hint: 'Подсказка', noHints: 'Подсказок больше нет.',
    solution: 'Показать решение', solutionNote: 'Показ решения не засчитывает шаг: отправьте команды сами.',
    insert: 'Вставить в терминал', connect: 'Подключить терминал «{name}»', dropConn: 'Оборвать соединение «{name}» (без QUIT)',
    use: 'Перейти в терминал «{name}»', next: 'Следующий шаг', prev: 'Предыдущий шаг', finished: 'Урок пройден. Отлично!',
    questions: 'Вопросы', check: 'Проверить', correct: 'Верно.', wrong: 'Не совсем так, попробуйте ещё раз.',
    link: 'Ссылка на этот шаг', copied: 'Ссылка скопирована.', loadError: 'Урок не загружается:', imported: 'Прогресс загружен.',
    level: 'уровень', solvedWithHelp: 'решение показано', terminal: 'терминал «{name}»',
    restarted: 'Почтовые ящики урока восстановлены, ваш прогресс сохранён.', progressReset: 'Сохранённый прогресс не подходит к этой версии урока, поэтому урок начинается заново.',
  },
  sk: {
    pick: 'Lekcia', choose: '— vyberte lekciu —', open: 'Otvoriť súbor lekcie…', drop: 'alebo sem pretiahnite lekciu .yaml',
    exportP: 'Uložiť postup do súboru', importP: 'Načítať postup zo súboru', close: 'Opustiť lekciu',
    step: 'Krok {n} z {total}', done: 'Splnené', goals: 'Ciele', met: 'splnené', hint: 'Rada', noHints: 'Ďalšie rady nie sú.',
    solution: 'Ukázať riešenie', solutionNote: 'Ukázanie riešenia krok nesplní: príkazy pošlite sami.',
    insert: 'Vložiť do terminálu', connect: 'Pripojiť terminál „{name}“', dropConn: 'Prerušiť spojenie „{name}“ (bez QUIT)',
    use: 'Prepnúť na terminál „{name}“', next: 'Ďalší krok', prev: 'Predošlý krok', finished: 'Lekcia je hotová. Výborne!',
    questions: 'Otázky', check: 'Skontrolovať', correct: 'Správne.', wrong: 'Nie celkom, skúste znova.',
    link: 'Odkaz na tento krok', copied: 'Odkaz je skopírovaný.', loadError: 'Lekciu nemožno načítať:', imported: 'Postup je načítaný.',
    level: 'úroveň', solvedWithHelp: 'riešenie ukázané', terminal: 'terminál „{name}“',
    restarted: 'Schránky lekcie sú obnovené, váš postup zostal zachovaný.', progressReset: 'Uložený postup nezodpovedá tejto verzii lekcie, preto sa začína odznova.',
  },
};

export function tr(lang, key, args = {}) {
  const s = (texts[lang] && texts[lang][key]) || texts.en[key] || key;
  return s.replace(/\{(\w+)\}/g, (_, k) => String(args[k] ?? ''));
}

// pick returns a lesson text in lang, falling back to English, then to
// the first of the lab's languages it has (as the engine's Text.In does).
export function pick(text, lang) {
  if (!text) return '';
  return text[lang] || text.en || languages.map((l) => text[l.code]).find(Boolean) || '';
}
