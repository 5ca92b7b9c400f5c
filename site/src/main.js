// The page's entry point: pick the language and protocol, start the
// simulator, open the first terminal.

import '@xterm/xterm/css/xterm.css';
import './style.css';
import { loadSimulator } from './bridge.js';
import { App } from './app.js';
import { afterPaint } from './paint.js';
import { warmFonts } from './fonts.js';
import { attach, lab } from './lab.js';
// The lesson panel's stylesheet is in the first one; its code comes
// after the greeting (below), as the first screen does not need it. So
// does the journey view's, shown with a mail path lesson.
import './lesson/lesson.css';
import './journey/journey.css';
import * as i18n from './i18n.js';
import { savedLang } from './langs.js';
import { tr, pick, actionButton } from './lesson/texts.js';
import { renderMarkdown } from './lesson/markdown.js';
import * as progress from './lesson/progress.js';

// Numbers the measurements read (site/measure_test.go): when the module
// was compiled and instantiated, when the simulator served and had its
// texts, when the first terminal was laid out and its xterm drawn, when
// the page began to open the first terminal, when the
// greeting arrived, when the home page began to fetch the full simulator
// (upgrade), and how long each Enter took to bring an answer
// (performance.now() milliseconds).
const timings = { compiled: null, instantiated: null, ready: null, texts: null, laid: null, drawn: null, terminal: null, greeting: null, upgrade: null, full: null, responses: [], keydown: null };
globalThis.labTimings = timings;

async function main() {
  const lang = i18n.setLang(i18n.pickLang(location.search, savedLang(), navigator.languages));
  document.documentElement.lang = lang;
  i18n.translate(document);
  document.title = i18n.t('page.title');
  const langSel = document.getElementById('lang');
  langSel.replaceChildren(...i18n.languages.map((l) => new Option(l.name, l.code)));
  langSel.value = lang;
  const status = document.getElementById('status');
  status.textContent = i18n.t('status.loading');
  holdLessonBar(lang);
  // The fonts the terminal's panel shows are looked up while the page
  // waits for the simulator, not in the tasks that open the panel.
  afterPaint().then(() => warmFonts());
  // A lesson's preview is painted first, unless the module is there
  // before it.
  const preview = previewLesson(lang);
  await Promise.race([preview.then((shown) => shown && afterPaint()), globalThis.maillabWasm?.compiled.catch(() => {})]);
  let sim;
  try {
    sim = await loadSimulator(globalThis.maillabWasm, lang, timings);
  } catch (err) {
    status.textContent = i18n.t('status.failed', err.message || err);
    throw err;
  }
  // ?proto= names the protocol; without it, the first the simulator
  // registers.
  const proto = new URLSearchParams(location.search).get('proto');
  const app = new App(sim, document, { proto, lang, timings });
  timings.terminal = performance.now();
  app.start();
  // A lesson previewed, or resumed, opens its terminal "main" of its
  // protocol: laid out now, it is drawn while the lesson loads.
  preview.then((p) => {
    const proto = typeof p === 'string' ? p : p === undefined && resumedProtocol();
    if (proto) app.layOutFirst(proto, { name: 'main' });
  });
  if (globalThis.maillabFull && status.dataset.key === 'status.ready') app.status('status.first');
  document.body.dataset.ready = 'true';
  // The lessons, and on the home page the full simulator, come once the
  // greeting is painted (or a second later, if no greeting comes): on a
  // machine of two cores, the full module's compile had held the
  // greeting up by a tenth of a second or more. A page opening a lesson
  // has no terminal yet (the lesson opens it): it goes on at once, and
  // the simulator hears of the lesson's greeting when it is shown.
  const shown = Promise.race([app.greeted, new Promise((resolve) => setTimeout(resolve, 1000))])
    .then(() => afterPaint())
    .then(() => sim.shown());
  if (app.panels.size > 0) await shown;
  // The home page greeted from the first module: the full simulator now
  // takes its sessions over, and the lab API serves from then on.
  if (globalThis.maillabFull) {
    timings.upgrade = performance.now();
    try {
      await sim.upgrade(globalThis.maillabFull());
    } catch (err) {
      status.textContent = i18n.t('status.failed', err.message || err);
      throw err;
    }
    delete globalThis.maillabFull;
    app.upgraded();
  }
  timings.full = performance.now();
  attach(app);
  document.body.dataset.full = 'true';
  try {
    const { initLessons } = await import('./lesson/panel.js');
    await initLessons(lab);
  } catch (err) {
    console.error('lessons:', err);
  }
  app.dropSpare();
  app.ensureTerminal();
  import('./journey/journey.js')
    .then(({ initJourney }) => initJourney(lab))
    .catch((err) => console.error('journey:', err));
}

// holdLessonBar keeps the place of the lesson bar on a page without a
// lesson: the panel's code comes after the greeting, and the bar it draws
// (the same controls, the same words) takes this one's place, so the
// terminals below do not move when it comes.
function holdLessonBar(lang) {
  if ('lesson' in document.documentElement.dataset) return;
  const panel = document.getElementById('lesson-panel');
  const el = (tag, cls, text, attrs = {}) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    return e;
  };
  const sel = el('select', '', '', { disabled: '', 'aria-label': tr(lang, 'pick') });
  sel.append(new Option(tr(lang, 'choose'), ''));
  const bar = el('div', 'lesson-bar', '', { 'aria-busy': 'true' });
  bar.append(el('span', '', tr(lang, 'pick')), sel,
    el('span', 'button', tr(lang, 'open')), el('span', 'drop-note', tr(lang, 'drop')),
    el('button', '', tr(lang, 'exportP'), { type: 'button', disabled: '' }), el('span', 'button', tr(lang, 'importP')));
  panel.replaceChildren(bar);
  panel.classList.add('lesson-panel');
  panel.hidden = false;
}

// resumedProtocol is the protocol of the lesson this page resumes, not
// previewed (it has saved progress), as the lesson panel noted it when
// it last opened it (panel.js open): the lesson of ?lesson=, or else the
// one open at the last visit.
function resumedProtocol() {
  const id = new URLSearchParams(location.search).get('lesson');
  const last = progress.current();
  if (!last || (id && last.id !== id)) return null;
  return last.protocol || null;
}

// previewLesson shows a shipped lesson opened by its link (?lesson=ID)
// while the simulator loads: its title, steps and the step's text, laid
// out as the lesson panel lays them out, which takes the preview's place
// once the simulator serves (with the goals, hints and the rest below).
// A lesson with saved progress, whose step the simulator knows, waits for
// the panel.
async function previewLesson(lang) {
  const q = new URLSearchParams(location.search);
  const id = q.get('lesson');
  const fetching = globalThis.maillabPreview; // boot.js's fetch of preview/ID.json
  delete globalThis.maillabPreview;
  if (!id || !fetching || progress.load(id)) return;
  const entry = await fetching;
  const panel = document.getElementById('lesson-panel');
  const L = entry?.lesson;
  if (!L || !L.steps?.length || panel.dataset.lesson || globalThis.lessonPanel) return;
  const total = L.steps.length;
  const n = Math.min(Math.max(parseInt(q.get('step') || '1', 10) || 1, 1), total);
  const el = (tag, attrs = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v);
    }
    e.append(...children);
    return e;
  };
  const steps = el('ol', { class: 'lesson-steps', 'aria-label': tr(lang, 'step', n, total) });
  for (let k = 1; k <= total; k++) {
    steps.append(el('li', k === n ? { 'data-done': 'false', 'aria-current': 'step' } : { 'data-done': 'false' },
      el('button', { type: 'button', disabled: '', text: String(k) })));
  }
  // The step's text is the lesson panel's own from then on (panel.js
  // markdown): painted once.
  const source = pick(L.steps[n - 1].text, lang);
  const text = el('div', { class: 'md' }, renderMarkdown(document, source, (line) => actionButton(document, lang, line)));
  globalThis.lessonPreviewText = { key: `${lang}\u0000${source}`, node: text };
  panel.replaceChildren(
    // A lesson opened past its start says that its session is new.
    ...(n > 1 ? [el('p', { class: 'lesson-notice', role: 'status', text: tr(lang, 'resumed', n) })] : []),
    el('h2', { class: 'lesson-title', text: pick(L.title, lang) }),
    ...(L.summary ? [el('p', { class: 'lesson-summary', text: pick(L.summary, lang) })] : []),
    steps,
    el('progress', { max: String(total), value: '0', 'aria-label': `0/${total}` }),
    el('section', { class: 'lesson-step', 'data-step': String(n) },
      el('h3', { text: tr(lang, 'step', n, total) }),
      text));
  panel.classList.add('lesson-panel');
  panel.dataset.preview = 'true';
  panel.hidden = false;
  return L.protocol || true; // the protocol of the terminal it opens first
}

main();
