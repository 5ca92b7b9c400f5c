// What the page starts first, inlined into index.html's head by build.mjs
// so that it runs before the bundle has even been fetched: the simulator
// (its first module on the home page) is fetched and compiled in its own
// thread, and the mailboxes saved in IndexedDB are read
// (a new profile creates the database here, which takes a while) with
// the lock that says whether this tab keeps them, and the simulator's
// texts in the page's language are fetched, all while the rest of the
// page loads. bridge.js loadSimulator awaits them.

import { fetchTexts, pickLang, savedLang } from './langs.js';
import { readMailboxes } from './saved.js';
import { startWorker } from './remote.js';

/* global WASM_URL, BOOT_URL, PREVIEW_VERSION */
// A page that will open a lesson (?lesson=, or the one open at the last
// visit) is laid out for it from the first paint: the lesson's column is
// there before the lesson is, so nothing moves when it renders.
const query = new URLSearchParams(location.search);
let lesson = query.has('lesson');
try {
  lesson ||= Boolean(JSON.parse(localStorage.getItem('maillab.lessons.current') || 'null')?.id);
} catch {
  // storage may be off: laid out without a lesson until one opens
}
if (lesson) document.documentElement.dataset.lesson = '';
// The home page greets in POP3 from the first module, boot.wasm (POP3
// alone, about 60% of the simulator's bytes); the full simulator
// (lab.wasm) is fetched once the greeting is on the screen and takes the
// sessions over (bridge.js Simulator.upgrade). A lesson, or another
// protocol, starts the full one at once.
const proto = query.get('proto');
// Each runs in a thread of its own (worker.js), which fetches and
// compiles it from here on.
const first = !lesson && (proto === null || proto === 'pop3') ? BOOT_URL : WASM_URL;
globalThis.maillabWasm = startWorker(first);
globalThis.maillabFull = first === WASM_URL ? null : () => startWorker(WASM_URL);
globalThis.maillabSaved = readMailboxes();
// The simulator's texts in the language the page will show (main.js picks
// it the same way).
const lang = pickLang(location.search, savedLang(), navigator.languages);
globalThis.maillabTexts = { lang, texts: fetchTexts(lang) };
globalThis.maillabTexts.texts.catch(() => {}); // reported by the page when it awaits it
// A lesson opened by its link: what main.js previews while the simulator
// loads (build.mjs writes preview/ID.json for each shipped lesson).
const previewId = query.get('lesson');
if (previewId && /^[a-z0-9][a-z0-9-]*$/.test(previewId)) {
  globalThis.maillabPreview = fetch(`preview/${previewId}.json?v=${PREVIEW_VERSION}`)
    .then((r) => (r.ok ? r.json() : null))
    .catch(() => null);
}
