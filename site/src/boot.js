// What the page starts first, inlined into index.html's head by build.mjs
// so that it runs before the bundle has even been fetched: the simulator
// is fetched and compiled, and the mailboxes saved in IndexedDB are read
// (a new profile creates the database here, which takes a while) with
// the lock that says whether this tab keeps them, and the simulator's
// texts in the page's language are fetched, all while the rest of the
// page loads. bridge.js loadSimulator awaits them.

import { fetchTexts, pickLang, savedLang } from './langs.js';
import { readMailboxes } from './saved.js';
import { compileWasm } from './wasm.js';

/* global WASM_URL */
globalThis.maillabWasm = compileWasm(WASM_URL);
globalThis.maillabWasm.catch(() => {}); // reported by the page when it awaits it
globalThis.maillabSaved = readMailboxes();
// The simulator's texts in the language the page will show (main.js picks
// it the same way).
const lang = pickLang(location.search, savedLang(), navigator.languages);
globalThis.maillabTexts = { lang, texts: fetchTexts(lang) };
globalThis.maillabTexts.texts.catch(() => {}); // reported by the page when it awaits it

// A page that will open a lesson (?lesson=, or the one open at the last
// visit) is laid out for it from the first paint: the lesson's column is
// there before the lesson is, so nothing moves when it renders.
try {
  if (new URLSearchParams(location.search).has('lesson') || JSON.parse(localStorage.getItem('maillab.lessons.current') || 'null')?.id) {
    document.documentElement.dataset.lesson = '';
  }
} catch {
  // storage may be off: laid out without a lesson until one opens
}
