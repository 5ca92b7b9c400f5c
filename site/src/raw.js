// RawView shows a connection's bytes as they cross the wire, both
// directions in order: CR and LF as small CR and LF badges, dot-stuffing
// and the ending dot marked where the protocol declares them (POP3's
// multi-line answers, RFC 1939 section 3), and IMAP literals — the
// {n} announcement and the n octets that follow it (RFC 3501 section
// 4.3) — marked, so the learner sees what the terminal hides.

import { ByteDecoder, caretOf } from './caret.js';
import { Follower } from './follow.js';
import { t } from './i18n.js';

const MAX_LINES = 3000;
const LITERAL = /\{(\d+)\+?\}\r?\n$/;

export class RawView {
  // dotStuffed is the side whose text is dot-stuffed, as the protocol
  // declares it: "server", "client" or "" (none).
  constructor(container, dotStuffed) {
    this.el = container;
    this.stuffedDir = { server: 's', client: 'c' }[dotStuffed] || '';
    this.dirs = { c: this.newDir(), s: this.newDir() };
    this.follower = new Follower(container);
  }

  newDir() {
    return { buf: new Uint8Array(0), literal: 0, multiline: false };
  }

  // separate starts a new connection's bytes below a separator (text)
  // under the previous connection's.
  separate(text) {
    if (this.el.childElementCount > 0) {
      const sep = document.createElement('div');
      sep.className = 'raw-sep';
      sep.textContent = text;
      this.el.append(sep);
    }
    this.dirs = { c: this.newDir(), s: this.newDir() };
  }

  // add records bytes sent in direction dir ("c" client, "s" server).
  add(dir, bytes) {
    const d = this.dirs[dir];
    const joined = new Uint8Array(d.buf.length + bytes.length);
    joined.set(d.buf);
    joined.set(bytes, d.buf.length);
    d.buf = joined;
    while (d.buf.length > 0) {
      if (d.literal > 0) {
        const n = Math.min(d.literal, d.buf.length);
        this.line(dir, d.buf.subarray(0, n), 'literal');
        d.literal -= n;
        d.buf = d.buf.slice(n);
        continue;
      }
      const lf = d.buf.indexOf(0x0a);
      if (lf < 0) break; // wait for the rest of the line
      const line = d.buf.subarray(0, lf + 1);
      const text = new TextDecoder().decode(line);
      this.line(dir, line, this.kind(dir, d, text));
      const m = LITERAL.exec(text);
      if (m) d.literal = Number(m[1]);
      d.buf = d.buf.slice(lf + 1);
    }
    while (this.el.childElementCount > MAX_LINES) this.el.firstElementChild.remove();
    this.follower.added();
  }

  // kind names what is special about a whole line.
  kind(dir, d, text) {
    if (dir !== this.stuffedDir) return '';
    if (text === '.\r\n') return 'end';
    if (text.startsWith('..')) return 'stuffed';
    return '';
  }

  line(dir, bytes, kind) {
    const div = document.createElement('div');
    div.className = 'raw-line';
    div.dataset.dir = dir;
    // Bytes above 127 as \xNN: the wire has bytes, whatever charset
    // the text is in (the explain pane decodes a message).
    let text = new ByteDecoder({ all: true }).decode(bytes);
    if (kind === 'stuffed') {
      div.append(span('stuffed', '.', t('raw.stuffed')));
      text = text.slice(1);
    }
    if (kind === 'end') {
      div.append(span('end', '.', t(dir === 's' ? 'raw.end' : 'raw.endData')));
      text = text.slice(1);
    }
    const m = kind === '' ? LITERAL.exec(text) : null;
    let plain = '';
    const flush = (into) => {
      if (plain) into.append(plain);
      plain = '';
    };
    const target = kind === 'literal' ? span('literal', '', t('raw.literalData')) : div;
    const announce = m ? text.length - m[0].length : -1;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (i === announce) {
        flush(target);
        const braces = m[0].replace(/\r?\n$/, '');
        target.append(span('literal-size', braces, t('raw.literal', m[1])));
        i += braces.length - 1;
      } else if (ch === '\r' || ch === '\n') {
        flush(target);
        target.append(span('crlf', ch === '\r' ? 'CR' : 'LF', t('raw.crlf')));
      } else {
        const c = caretOf(ch);
        if (c) {
          flush(target);
          target.append(span(c.startsWith('\\x') ? 'caret hex' : 'caret', c, ''));
        } else plain += ch;
      }
    }
    flush(target);
    if (target !== div) div.append(target);
    this.el.append(div);
  }
}

function span(cls, text, title) {
  const s = document.createElement('span');
  s.className = cls;
  s.textContent = text;
  if (title) s.title = title;
  return s;
}
