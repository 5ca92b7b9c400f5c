// What runs as soon as the page's markup is parsed, inlined at the end of
// index.html's <body> by build.mjs: the page's words in its language, so
// that the first paint shows them as they stay and nothing moves when the
// bundle comes (main.js translates again, to the same words).

import * as i18n from './i18n.js';

let saved = null;
try {
  saved = localStorage.getItem('maillab.lang');
} catch {
  // storage may be off
}
document.documentElement.lang = i18n.setLang(i18n.pickLang(location.search, saved, navigator.languages));
i18n.translate(document);
