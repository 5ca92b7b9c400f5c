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

// actionLabel names a lab action line (":connect phone", ":drop",
// ":wait 5m") as the page's button for it does, or returns '' for a line
// the page has no button for (labctl play's own ":goals", ":hint").
export function actionLabel(lang, line) {
  const [verb, name = 'main'] = line.slice(1).trim().split(/\s+/);
  switch (verb) {
    case 'connect': return tr(lang, 'connect', name);
    case 'drop': return tr(lang, 'dropConn', name);
    case 'use': return tr(lang, 'use', name);
    case 'wait': return tr(lang, 'waitLab', name);
    case 'mailq': return tr(lang, 'showQueue');
    default: return '';
  }
}

// actionKey names what a lab action line does, as the page marks the
// buttons that do it (data-action): "connect phone", "drop main" (a
// terminal's name, the protocol left out), "wait 5m", "mailq".
export function actionKey(line) {
  const [verb, name = 'main'] = line.slice(1).trim().split(/\s+/);
  return verb === 'wait' || verb === 'mailq' ? line.slice(1).trim().replace(/\s+/g, ' ') : `${verb} ${name}`;
}

// actionButton is a lab action written in a lesson's text, as the page
// shows it: a button that does it (the panel listens for its clicks).
export function actionButton(doc, lang, line) {
  const label = actionLabel(lang, line);
  if (!label) return null;
  const b = doc.createElement('button');
  b.type = 'button';
  b.className = 'lesson-inline-action';
  b.dataset.line = line.trim();
  b.dataset.action = actionKey(line);
  b.textContent = label;
  return b;
}
