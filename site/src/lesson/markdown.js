// A small Markdown renderer for lesson texts that builds DOM nodes and
// sets only textContent: raw HTML in a lesson is shown as text, never
// parsed. It knows what lessons use: paragraphs, blank-line separated;
// "- " lists; indented (4 spaces) and ``` fenced code blocks; `code`,
// **strong** and *emphasis* inside a line.
//
// A `code` span holding a lab action (`:connect phone`, `:drop main`) is
// what the host makes of it: labctl play shows the line to type, the page
// passes it to action, which returns the page's own way to do it (a
// button), or nothing to show it as code.

export function renderMarkdown(doc, text, action) {
  const frag = doc.createDocumentFragment();
  const lines = String(text || '').replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '') {
      i++;
      continue;
    }
    if (line.startsWith('```')) {
      const code = [];
      for (i++; i < lines.length && !lines[i].startsWith('```'); i++) code.push(lines[i]);
      i++;
      frag.append(pre(doc, code));
      continue;
    }
    if (line.startsWith('    ')) {
      const code = [];
      while (i < lines.length && (lines[i].startsWith('    ') || lines[i].trim() === '')) code.push(lines[i++].slice(4));
      while (code.length && code[code.length - 1].trim() === '') code.pop();
      frag.append(pre(doc, code));
      continue;
    }
    if (/^\s*[-*] /.test(line)) {
      const ul = doc.createElement('ul');
      while (i < lines.length && /^\s*[-*] /.test(lines[i])) {
        const li = doc.createElement('li');
        li.append(inline(doc, lines[i++].replace(/^\s*[-*] /, ''), action));
        ul.append(li);
      }
      frag.append(ul);
      continue;
    }
    const para = [];
    while (i < lines.length && lines[i].trim() !== '' && !lines[i].startsWith('```') && !/^\s*[-*] /.test(lines[i])) para.push(lines[i++].trim());
    const p = doc.createElement('p');
    p.append(inline(doc, para.join(' '), action));
    frag.append(p);
  }
  return frag;
}

function pre(doc, lines) {
  const el = doc.createElement('pre');
  const code = doc.createElement('code');
  code.textContent = lines.join('\n');
  el.append(code);
  return el;
}

// OPENING and CLOSING: the punctuation that keeps to the word after it
// (before a lab action's button) and to the word before it (after one).
const OPENING = /[([«„“"']+$/u;
const CLOSING = /^[)\]»“”"'.,;:!?…]+/u;

// inline splits a line into text, `code`, **strong** and *em* nodes.
export function inline(doc, s, action) {
  const frag = doc.createDocumentFragment();
  const re = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*/g;
  let last = 0;
  for (const m of s.matchAll(re)) {
    let before = s.slice(last, m.index);
    let el = m[1] !== undefined && m[1].startsWith(':') && action ? action(m[1]) : null;
    if (el) {
      // A button does not break across lines: the punctuation around it
      // goes with it, so that no "(" is left at the end of a line and no
      // ")," starts the next.
      const open = OPENING.exec(before)?.[0] || '';
      before = before.slice(0, before.length - open.length);
      last = m.index + m[0].length;
      const close = CLOSING.exec(s.slice(last))?.[0] || '';
      last += close.length;
      if (before) frag.append(doc.createTextNode(before));
      if (open || close) {
        const span = doc.createElement('span');
        span.className = 'nowrap';
        span.append(open, el, close);
        el = span;
      }
      frag.append(el);
      continue;
    }
    if (before) frag.append(doc.createTextNode(before));
    if (m[1] !== undefined) el = doc.createElement('code');
    else if (m[2] !== undefined) el = doc.createElement('strong');
    else el = doc.createElement('em');
    el.textContent = m[1] ?? m[2] ?? m[3];
    frag.append(el);
    last = m.index + m[0].length;
  }
  if (last < s.length) frag.append(doc.createTextNode(s.slice(last)));
  return frag;
}
