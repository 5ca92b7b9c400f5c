// The page's entry point: pick the language and protocol, start the
// simulator, open the first terminal.

import '@xterm/xterm/css/xterm.css';
import './style.css';
import { loadSimulator } from './bridge.js';
import { App } from './app.js';
import { attach, lab } from './lab.js';
// The lesson panel's stylesheet is in the first one; its code comes
// after the greeting (below), as the first screen does not need it. So
// does the journey view's, shown with a mail path lesson.
import './lesson/lesson.css';
import './journey/journey.css';
import * as i18n from './i18n.js';
import { tr } from './lesson/texts.js';

// Numbers the measurements read (site/measure_test.go): when the module
// was compiled and instantiated, when the simulator served, when the
// greeting arrived, and how long each Enter took to bring an answer
// (performance.now() milliseconds).
const timings = { compiled: null, instantiated: null, ready: null, greeting: null, responses: [], keydown: null };
globalThis.labTimings = timings;

function savedLang() {
  try {
    return localStorage.getItem('maillab.lang');
  } catch {
    return null;
  }
}

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
  let sim;
  try {
    sim = await loadSimulator(globalThis.maillabWasm, timings);
  } catch (err) {
    status.textContent = i18n.t('status.failed', err.message || err);
    throw err;
  }
  // ?proto= names the protocol; without it, the first the simulator
  // registers.
  const proto = new URLSearchParams(location.search).get('proto');
  const app = new App(sim, document, { proto, lang, timings });
  app.start();
  attach(app);
  document.body.dataset.ready = 'true';
  // The lessons come once the greeting is painted.
  await afterPaint();
  sim.shown();
  try {
    const { initLessons } = await import('./lesson/panel.js');
    await initLessons(lab);
  } catch (err) {
    console.error('lessons:', err);
  }
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

// afterPaint resolves once the page has painted (or soon, where a hidden
// tab paints nothing).
function afterPaint() {
  return new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, 300);
  });
}

main();
