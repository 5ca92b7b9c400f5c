// The page's fonts, asked for while the page waits for the simulator.
//
// The first time the page shows a font in a size and weight, the browser
// looks up how the system draws it; Chromium on Linux asks its browser
// process and waits for the answer in the middle of a layout: a few
// milliseconds, at times a tenth of a second on a busy machine. The
// terminal's panel shows most of the page's fonts at once, in the tasks
// that open it. So each is shown beforehand, one hidden letter per task,
// while the page has nothing else to do.

import { nextTask } from './paint.js';

// FONTS is style.css's type scale, as CSS font shorthands, the terminal's
// (terminal.js) last. fonts_e2e_test.go checks that the page shows no
// font outside it.
export const FONTS = [
  '15px var(--font)',
  '700 15px var(--font)',
  'italic 15px var(--font)', // *emphasis* in a lesson's text
  'var(--small) var(--font)',
  '700 var(--big) var(--font)',
  '700 var(--title) var(--font)',
  '11px var(--font)',
  '700 11px var(--font)',
  '12px var(--font)',
  '700 12px var(--font)',
  '12px var(--mono)',
  '700 12px var(--mono)',
  '13px var(--mono)',
  '700 13px var(--mono)',
  '14px var(--mono)',
  '700 14px var(--mono)', // xterm measures its bold too
];

// warmFonts lays out one letter in each of FONTS, a task each, in a box
// nobody sees or reads (aria-hidden). The box stays, so that the browser
// keeps the fonts it looked up as in use.
export async function warmFonts(doc = document) {
  const box = doc.createElement('div');
  box.className = 'font-warm';
  box.setAttribute('aria-hidden', 'true');
  doc.body.append(box);
  for (const font of FONTS) {
    const span = doc.createElement('span');
    span.style.font = font;
    span.textContent = 'a';
    box.append(span);
    void span.offsetWidth; // laid out now, in this task
    await nextTask();
  }
}
