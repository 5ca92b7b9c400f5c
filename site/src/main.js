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
import { savedLang } from './langs.js';

// Numbers the measurements read (site/measure_test.go): when the module
// was compiled and instantiated, when the simulator served and had its
// texts, when the page began to open the first terminal, when the
// greeting arrived, and how long each Enter took to bring an answer
// (performance.now() milliseconds).
const timings = { compiled: null, instantiated: null, ready: null, texts: null, terminal: null, greeting: null, responses: [], keydown: null };
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

// afterPaint resolves once the page has painted (or soon, where a hidden
// tab paints nothing).
function afterPaint() {
  return new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, 300);
  });
}

main();
