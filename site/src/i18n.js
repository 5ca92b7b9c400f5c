// The page's own words. They are a catalogue of the lab's texts,
// sim/catalog/texts/<lang>/page.json, which the build puts into the bundle
// in every language found there (build.mjs); a teacher adds a language by
// adding its folder there, with no edit here. Protocol words (commands,
// states, +OK/-ERR, tags) stay as the RFCs write them in every language, as
// the lectures do. Texts go into the page with textContent only.

import texts from 'catalog:page';

import { known, languages, pickLang } from './langs.js';

export { languages, pickLang };

let current = 'en';

export function setLang(code) {
  if (known(code)) current = code;
  return current;
}

export function lang() {
  return current;
}

// VERB is an argument of a catalogue text as Go's fmt writes it, and as
// the catalogues' check (labctl catalog check) compares translations by:
// %s, %d, %v or %q, numbered (%[2]s) to let a translation reorder them,
// and %% for a percent sign.
const VERB = /%(?:%|(?:\[(\d+)\])?([sdvq]))/g;

// format fills text's arguments as Go's fmt does: an unnumbered verb takes
// the argument after the one before it. A text given no arguments is shown
// as written, as the simulator's catalogue does.
export function format(text, args) {
  if (args.length === 0) return text;
  let next = 0;
  return text.replace(VERB, (m, n, verb) => {
    if (m === '%%') return '%';
    const i = n ? Number(n) - 1 : next;
    next = i + 1;
    if (i >= args.length) return `%!${verb}(MISSING)`;
    return verb === 'q' ? JSON.stringify(String(args[i])) : String(args[i]);
  });
}

// lookup is key's text in lang from one catalogue of texts ({lang: {key:
// text}}), falling back to English, then to the key itself.
export function lookup(catalogue, lang, key) {
  return catalogue[lang]?.[key] ?? catalogue.en?.[key] ?? key;
}

// t returns the page's text for key in the current language with its
// arguments filled in.
export function t(key, ...args) {
  return format(lookup(texts, current, key), args);
}

// translate fills every element below root that names a key: data-i18n sets
// the text (with data-i18n-args, if any, as its argument), data-i18n-aria
// the accessible name, data-i18n-title the tooltip.
export function translate(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n, ...(el.dataset.i18nArgs ? [el.dataset.i18nArgs] : []));
  for (const el of root.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
}
