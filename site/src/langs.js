// The languages the page offers and which one it shows, apart from the
// page's words (i18n.js) so that the head's first script (boot.js) can
// start fetching the simulator's texts in that language.

/* global LANGUAGES */
// The languages the page offers are those the lab's texts are written in:
// the folders of sim/catalog/texts, English first, each named by its
// language.json, which `make site` writes into the bundle.
export const languages = typeof LANGUAGES === 'undefined' ? [{ code: 'en', name: 'English' }] : LANGUAGES;

export const known = (code) => languages.some((l) => l.code === code);

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

// savedLang is the language the learner picked at an earlier visit.
export function savedLang() {
  try {
    return localStorage.getItem('maillab.lang');
  } catch {
    return null;
  }
}

/* global TEXTS_URLS */
// fetchTexts resolves to the simulator's texts in lang, {catalogue: {key:
// text}}: lab.wasm carries none, and the page gives it those of the
// languages it shows (build.mjs writes texts/<lang>.json).
export async function fetchTexts(lang) {
  const url = typeof TEXTS_URLS === 'undefined' ? `texts/${lang}.json` : TEXTS_URLS[lang];
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.json();
}
