// LineEditor is the input line of a line-mode telnet: the learner edits a
// line locally and only Enter sends it. It knows nothing of the screen;
// the terminal asks it what to draw.

const HISTORY_MAX = 200;

export class LineEditor {
  constructor() {
    this.chars = []; // code points, so the cursor never splits a surrogate pair
    this.cursor = 0;
    this.history = [];
    this.hpos = 0; // history index being shown; history.length is the draft
    this.draft = null;
  }

  get text() {
    return this.chars.join('');
  }

  set(text) {
    this.chars = Array.from(text);
    this.cursor = this.chars.length;
  }

  insert(text) {
    const add = Array.from(text);
    this.chars.splice(this.cursor, 0, ...add);
    this.cursor += add.length;
  }

  backspace() {
    if (this.cursor === 0) return false;
    this.chars.splice(this.cursor - 1, 1);
    this.cursor--;
    return true;
  }

  del() {
    if (this.cursor >= this.chars.length) return false;
    this.chars.splice(this.cursor, 1);
    return true;
  }

  left() {
    if (this.cursor === 0) return false;
    this.cursor--;
    return true;
  }

  right() {
    if (this.cursor >= this.chars.length) return false;
    this.cursor++;
    return true;
  }

  home() {
    this.cursor = 0;
  }

  end() {
    this.cursor = this.chars.length;
  }

  clear() {
    this.chars = [];
    this.cursor = 0;
  }

  // up shows the previous history entry, keeping what was being typed as
  // a draft that down brings back.
  up() {
    if (this.hpos === 0) return false;
    if (this.hpos === this.history.length) this.draft = this.text;
    this.hpos--;
    this.set(this.history[this.hpos]);
    return true;
  }

  down() {
    if (this.hpos >= this.history.length) return false;
    this.hpos++;
    this.set(this.hpos === this.history.length ? this.draft ?? '' : this.history[this.hpos]);
    return true;
  }

  // take returns the line for sending, records it in the history (not
  // blank lines, not a repeat of the last one) and empties the editor.
  take() {
    const line = this.text;
    if (line.trim() !== '' && this.history[this.history.length - 1] !== line) {
      this.history.push(line);
      if (this.history.length > HISTORY_MAX) this.history.shift();
    }
    this.hpos = this.history.length;
    this.draft = null;
    this.clear();
    return line;
  }
}
