// TelnetTerminal makes xterm.js behave like telnet to port 110 or 143 in
// line mode: the server does not echo, so the terminal echoes what the
// learner types and edits the line locally (←/→, Home/End, Backspace,
// Delete, ↑/↓ history, paste); Enter sends the line with CRLF. Bytes from
// the server are shown as telnet would, except that control characters
// are written in caret notation (see caret.js) rather than obeyed, and
// bytes that are not UTF-8 as \xNN.

import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { ByteDecoder, caretOf, cellWidth } from './caret.js';
import { LineEditor } from './lineedit.js';

const CARET_ON = '\x1b[7m'; // inverse video marks characters shown in caret notation
const CARET_OFF = '\x1b[27m';
// telnet's own messages, in grey, still 4.5:1 on the background (SGR 2,
// dim, fell short of it)
const NOTICE_ON = '\x1b[38;2;160;168;180m';
const NOTICE_OFF = '\x1b[39m';
const SLICE_MS = 12; // the longest a paste is handled before the page gets to run

// Keys (as xterm reports them in onData) that edit the line rather than
// being typed into it.
const KEYS = [
  ['\x1b[D', 'left'], ['\x1bOD', 'left'], ['\x02', 'left'],
  ['\x1b[C', 'right'], ['\x1bOC', 'right'], ['\x06', 'right'],
  ['\x1b[A', 'up'], ['\x1bOA', 'up'], ['\x10', 'up'],
  ['\x1b[B', 'down'], ['\x1bOB', 'down'], ['\x0e', 'down'],
  ['\x1b[H', 'home'], ['\x1bOH', 'home'], ['\x1b[1~', 'home'], ['\x01', 'home'],
  ['\x1b[F', 'end'], ['\x1bOF', 'end'], ['\x1b[4~', 'end'], ['\x05', 'end'],
  ['\x1b[3~', 'del'], ['\x04', 'del'],
  ['\x7f', 'backspace'], ['\x08', 'backspace'],
  ['\x15', 'clear'], ['\x03', 'cancel'], ['\x0c', 'redraw'],
  ['\r\n', 'enter'], ['\r', 'enter'], ['\n', 'enter'],
];

// primeWidths fills xterm's cache of character widths for printable
// ASCII with the width of W, where the font gives W, i, m, the space and
// the dot one width (as a monospace font does). xterm's DOM renderer
// otherwise measures each character the first time it draws it, between
// rows it has just changed, so that each measure lays the page out anew:
// its first draws of a screen took a phone's page tens of milliseconds.
// The cache is xterm's own (6.0's DomRenderer): a version of xterm
// without it is left to measure, and TestTheTerminalMeasuresNoPrintableASCII
// fails until this is brought in line with it.
function primeWidths(term) {
  const cache = term._core?._renderService?._renderer?.value?._widthCache;
  if (!cache || !(cache._flat instanceof Float32Array) || typeof cache.get !== 'function') return false;
  const w = cache.get('W', false, false);
  if (!(w > 0) || ['i', 'm', ' ', '.'].some((c) => cache.get(c, false, false) !== w)) return false;
  cache._flat.fill(w, 0x20, 0x7f);
  return true;
}

export class TelnetTerminal {
  // onLine(line) is called with each line the learner sends, without CRLF.
  constructor(container, { label, onLine }) {
    this.onLine = onLine;
    this.editor = new LineEditor();
    this.term = new Terminal({
      convertEol: false,
      cursorBlink: true,
      fontFamily: '"DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace',
      fontSize: 14,
      scrollback: 5000,
      theme: { background: '#10161d', foreground: '#d8dee9', cursor: '#f0c674', selectionBackground: '#3d5a80' },
    });
    this.fitAddon = new FitAddon();
    this.term.loadAddon(this.fitAddon);
    this.container = container;
    this.label = label;
    this.decoder = new ByteDecoder();
    this.lineCells = 0; // cells written on the current screen line since the last CRLF
    this.col0 = 0; // column where the input line starts
    this.curIdx = 0; // cursor position, in cells from the start of the input's first row
    this.pendingCR = false;
    this.windowed = false; // the input line is too long for the screen and shown in part
    this.viewFrom = 0; // the first character shown of such a line
    this.queue = ''; // input not handled yet, from qpos on
    this.qpos = 0;
    this.draining = false;
    this.term.onData((d) => this.onData(d));
    this.term.attachCustomKeyEventHandler((e) => this.onKey(e));
    this.term.onResize(() => this.redraw());
  }

  // open puts xterm into the page: its elements, its renderer and the
  // measure of its characters, a layout of the page. It is fitted to its
  // box on the first resize it sees, or by fit(). The terminal's panel
  // does each of the three (new, open, fit) in a task of its own.
  open() {
    this.term.open(this.container);
    this.term.textarea?.setAttribute('aria-label', this.label);
    this.resizer = new ResizeObserver(() => this.fit());
    this.resizer.observe(this.container);
  }

  setLabel(label) {
    this.label = label;
    this.term.textarea?.setAttribute('aria-label', label);
  }

  fit() {
    primeWidths(this.term); // again after xterm clears its cache (a new font size, a zoom)
    try {
      this.fitAddon.fit();
    } catch {
      // not laid out yet (hidden): the next resize fits it
    }
  }

  focus() {
    this.term.focus();
  }

  dispose() {
    this.disposed = true;
    this.resizer?.disconnect();
    this.term.dispose();
  }

  // onKey lets the browser have Tab (so keyboard users can leave the
  // terminal) and turns Ctrl+C / Ctrl+Shift+C with a selection into copy.
  onKey(e) {
    if (e.type !== 'keydown') return true;
    if (e.key === 'Tab' && !e.ctrlKey && !e.altKey && !e.metaKey) return false;
    if ((e.ctrlKey || e.metaKey) && (e.key === 'c' || e.key === 'C') && this.term.hasSelection()) {
      navigator.clipboard?.writeText(this.term.getSelection()).catch(() => {});
      e.preventDefault();
      return false;
    }
    return true;
  }

  // onData queues what xterm.js reports (keys, or a whole paste) and
  // handles it in order. A long paste is handled in slices, the page
  // running in between, so it neither freezes the page nor lets keys typed
  // meanwhile overtake it; Ctrl+C drops what is left of it.
  onData(data) {
    if (data === '\x03' && this.queued()) {
      this.queue = '';
      this.qpos = 0;
    }
    this.queue = this.queue.slice(this.qpos) + data;
    this.qpos = 0;
    if (!this.draining) this.drain();
  }

  queued() {
    return this.qpos < this.queue.length;
  }

  drain() {
    if (this.disposed) return;
    this.draining = true;
    const start = performance.now();
    let typed = '';
    const flush = () => {
      if (typed) this.type(typed);
      typed = '';
    };
    while (this.queued()) {
      const data = this.queue;
      const i = this.qpos;
      const key = KEYS.find(([seq]) => data.startsWith(seq, i));
      if (key) {
        this.qpos += key[0].length;
        flush();
        if (key[1] === 'enter') {
          this.submit();
          if (this.queued() && performance.now() - start > SLICE_MS) {
            setTimeout(() => this.drain(), 0);
            return;
          }
        } else if (this.edit(key[1])) this.redraw();
        continue;
      }
      const skip = unknownSequence(data, i);
      if (skip > 0) {
        this.qpos += skip; // a function key we do not use: typing it changes nothing
        continue;
      }
      const ch = String.fromCodePoint(data.codePointAt(i));
      typed += ch;
      this.qpos += ch.length;
    }
    flush();
    this.queue = '';
    this.qpos = 0;
    this.draining = false;
  }

  // type inserts text at the cursor. Typed at the end of a line drawn
  // whole, it is only written; anything else redraws the line.
  type(text) {
    const ed = this.editor;
    const atEnd = ed.cursor === ed.chars.length;
    const add = Array.from(text);
    ed.insert(text);
    if (!atEnd || this.windowed || add.some((ch) => cellWidth(ch) !== 1 || caretOf(ch))) {
      this.redraw();
      return;
    }
    if (this.curIdx - this.col0 + add.length > this.room()) {
      this.redraw(); // too long for the screen now: shown in part
      return;
    }
    const cells = this.curIdx + add.length;
    this.curIdx = cells;
    this.term.write(text + this.settle(cells));
  }

  // edit applies an editing key; it returns whether the line needs to be
  // drawn again.
  edit(action) {
    const ed = this.editor;
    switch (action) {
      case 'clear':
        ed.clear();
        return true;
      case 'cancel':
        this.finish('^C');
        ed.take();
        return false;
      case 'redraw':
        this.term.write('\x1b[H\x1b[2J');
        this.lineCells = 0;
        this.col0 = 0;
        this.curIdx = 0;
        return true;
      default:
        ed[action]();
        return true;
    }
  }

  // insertInput puts text into the input line without sending it (for
  // the command list and a lesson's "show solution").
  insertInput(text) {
    this.type(text.replace(/\r?\n/g, ' '));
  }

  setInput(text) {
    this.editor.set(text.replace(/\r?\n/g, ' '));
    this.redraw();
  }

  submit() {
    this.finish('');
    this.onLine(this.editor.take());
  }

  // finish ends the input line on the screen, shown whole (a line longer
  // than the screen was only shown in part while being edited), with
  // suffix after it.
  finish(suffix) {
    const ed = this.editor;
    if (this.windowed || ed.cursor !== ed.chars.length) {
      let s = this.toStart() + '\x1b[J';
      for (const ch of ed.chars) {
        const c = caretOf(ch);
        s += c ? CARET_ON + c + CARET_OFF : ch;
      }
      this.term.write(s);
    }
    ed.end();
    this.term.write(suffix + '\r\n');
    this.lineCells = 0;
    this.col0 = 0;
    this.curIdx = 0;
    this.windowed = false;
    this.viewFrom = 0;
  }

  // writeServer shows bytes received from the server.
  writeServer(bytes) {
    this.writeOutput(this.decoder.decode(bytes, { stream: true }));
  }

  // notice shows one of telnet's own messages on a line of its own.
  notice(text) {
    this.flushCR();
    const nl = this.lineCells > 0 ? '\r\n' : '';
    this.lineCells = 0;
    this.writeOutput(nl + NOTICE_ON + text + NOTICE_OFF + '\r\n', true);
  }

  // closed ends the connection's byte stream (a CR held back waiting for
  // its LF is shown).
  closed() {
    this.writeOutput(this.decoder.decode());
    this.flushCR();
  }

  flushCR() {
    if (!this.pendingCR) return;
    this.pendingCR = false;
    this.writeOutput('', false, CARET_ON + '^M' + CARET_OFF, 2);
  }

  // writeOutput hides the input line, writes the output after what was
  // there, and draws the input line again below it.
  writeOutput(text, trusted = false, prefix = '', prefixCells = 0) {
    let s = this.toStart() + '\x1b[J' + prefix;
    this.lineCells += prefixCells;
    s += trusted ? text : this.render(text);
    if (trusted) this.lineCells = 0;
    s += this.settle(this.lineCells);
    this.col0 = this.lineCells % this.term.cols;
    this.curIdx = this.col0;
    this.term.write(s);
    if (this.editor.chars.length > 0) this.redraw();
  }

  // render turns server text into what the terminal shows: CRLF as a
  // new line, tabs as spaces, any other control character in caret
  // notation.
  render(text) {
    const cols = this.term.cols;
    let s = '';
    const mark = (c) => {
      s += CARET_ON + c + CARET_OFF;
      this.lineCells += c.length;
    };
    for (const ch of text) {
      if (this.pendingCR) {
        this.pendingCR = false;
        if (ch === '\n') {
          s += '\r\n';
          this.lineCells = 0;
          continue;
        }
        mark('^M');
      }
      if (ch === '\r') {
        this.pendingCR = true;
      } else if (ch === '\n') {
        mark('^J'); // a bare LF: not a line end on the wire
        s += '\r\n';
        this.lineCells = 0;
      } else if (ch === '\t') {
        const col = this.lineCells % cols;
        const n = Math.min(8 - (col % 8), cols - col);
        s += ' '.repeat(n);
        this.lineCells += n;
      } else {
        const c = caretOf(ch);
        if (c) mark(c);
        else {
          s += ch;
          this.lineCells += cellWidth(ch);
        }
      }
    }
    return s;
  }

  // settle leaves the cursor on the row it will write to next: after
  // exactly filling a row the terminal is in a "pending wrap" state where
  // cursor arithmetic is ambiguous, so a space and a backspace resolve it.
  settle(cells) {
    return cells > 0 && cells % this.term.cols === 0 ? ' \b' : '';
  }

  // toStart moves the cursor from where the input line has it back to
  // where the input line begins. The line is never drawn taller than the
  // screen (see redraw), so the moves up never stop at its top.
  toStart() {
    const cols = this.term.cols;
    const up = Math.floor(this.curIdx / cols);
    return '\r' + (up > 0 ? `\x1b[${up}A` : '') + (this.col0 > 0 ? `\x1b[${this.col0}C` : '');
  }

  // room is how many cells the input line may take on the screen: all its
  // rows but one, less where the line starts and the cell after the end.
  room() {
    return Math.max(1, this.term.rows - 1) * this.term.cols - this.col0 - 1;
  }

  // view picks the part of a line too long for the screen to show, from
  // and to as character indexes: it moves only as far as needed to keep
  // the cursor in it, and leaves two cells for the marks where it is cut.
  view(widths, room) {
    const ed = this.editor;
    const n = widths.length;
    const avail = Math.max(2, room - 2);
    const pre = [0];
    for (const w of widths) pre.push(pre[pre.length - 1] + w);
    const width = (a, b) => pre[b] - pre[a];
    let from = Math.min(this.viewFrom, ed.cursor);
    while (from < ed.cursor && width(from, ed.cursor) + 1 > avail) from++;
    let to = from;
    while (to < n && width(from, to + 1) + (to + 1 === n ? 1 : 0) <= avail) to++;
    while (from > 0 && width(from - 1, to) + (to === n ? 1 : 0) <= avail) from--;
    this.viewFrom = from;
    return [from, to];
  }

  // redraw draws the input line and puts the cursor where the editor has
  // it. A line taller than the screen is shown in part, cut marks (< >) in
  // inverse video where it goes on, so that the cursor stays on the screen.
  redraw() {
    const cols = this.term.cols;
    const ed = this.editor;
    const widths = ed.chars.map(cellWidth);
    const total = widths.reduce((a, w) => a + w, 0);
    const room = this.room();
    this.windowed = total > room;
    const [from, to] = this.windowed ? this.view(widths, room) : [0, ed.chars.length];
    let s = this.toStart() + '\x1b[J';
    let cells = this.col0;
    if (from > 0) {
      s += CARET_ON + '<' + CARET_OFF;
      cells++;
    }
    let before = cells;
    for (let i = from; i < to; i++) {
      const ch = ed.chars[i];
      const c = caretOf(ch);
      s += c ? CARET_ON + c + CARET_OFF : ch;
      cells += widths[i];
      if (i < ed.cursor) before = cells;
    }
    if (to < ed.chars.length) {
      s += CARET_ON + '>' + CARET_OFF;
      cells++;
    }
    s += this.settle(cells);
    const rowEnd = Math.floor(cells / cols);
    const rowCur = Math.floor(before / cols);
    if (rowEnd > rowCur) s += `\x1b[${rowEnd - rowCur}A`;
    s += '\r' + (before % cols > 0 ? `\x1b[${before % cols}C` : '');
    this.curIdx = before;
    this.term.write(s);
  }
}

// unknownSequence returns the length of an escape sequence at data[i] that
// is not an editing key (F1, Insert, Alt+arrow...), or 0. A lone ESC, or
// ESC followed by an ordinary character (Alt+x), is typed into the line.
function unknownSequence(data, i) {
  if (data[i] !== '\x1b' || i + 1 >= data.length) return 0;
  if (data[i + 1] === 'O') return i + 2 < data.length ? 3 : 0;
  if (data[i + 1] !== '[') return 0;
  for (let j = i + 2; j < data.length; j++) {
    const c = data.charCodeAt(j);
    if (c >= 0x40 && c <= 0x7e) return j - i + 1;
  }
  return 0;
}
