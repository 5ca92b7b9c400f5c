// The lesson panel's own words: the catalogue of the lab's texts
// sim/catalog/texts/<lang>/lessonpanel.json, in every language found there,
// which the build puts into the bundle (build.mjs).

import texts from 'catalog:lessonpanel';
import { format, languages, lookup } from '../i18n.js';

// tr returns the panel's text for key in lang with its arguments filled in.
export function tr(lang, key, ...args) {
  return format(lookup(texts, lang, key), args);
}

// pick returns a lesson text in lang, falling back to English, then to
// the first of the lab's languages it has (as the engine's Text.In does).
export function pick(text, lang) {
  if (!text) return '';
  return text[lang] || text.en || languages.map((l) => text[l.code]).find(Boolean) || '';
}
