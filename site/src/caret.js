// Control characters never reach the terminal emulator raw: a server (or a
// learner) could otherwise move the cursor, clear the screen or change
// colours. They are written visibly instead: ^@ … ^_ for C0 and ^? for
// DEL, in caret notation as `cat -v` does, and the C1 range as
// \x80 … \x9f (cat's M-^[ reads as three keys; \x9b is the byte).

// A byte that is not text in UTF-8 (a KOI8-R letter, say) is carried in
// a string as a lone surrogate, U+DC80 + its value (as Python's
// surrogateescape does), and shown as \xNN: never as U+FFFD, which would
// hide which byte came.
const ESCAPED = 0xdc00;

// escapeByte is the character that stands for byte b in decoded text.
export function escapeByte(b) {
  return String.fromCharCode(ESCAPED + b);
}

// caretOf returns the caret notation of one control character (or the
// \xNN of an escaped byte), or null when ch is printable.
export function caretOf(ch) {
  const c = ch.codePointAt(0);
  if (c >= ESCAPED + 0x80 && c <= ESCAPED + 0xff) return '\\x' + (c - ESCAPED).toString(16);
  if (c < 0x20) return '^' + String.fromCharCode(c + 0x40);
  if (c === 0x7f) return '^?';
  if (c >= 0x80 && c < 0xa0) return '\\x' + c.toString(16);
  return null;
}

// printable replaces every control character in s by its caret notation.
// Every text the page shows from a session (the transcript, the explain
// pane, a lesson's goals) passes through it.
// With keepLines, LF stays a line break (a decoded message's text).
export function printable(s, { keepLines = false } = {}) {
  s = s == null ? '' : String(s);
  if (!/[\x00-\x1f\x7f-\x9f\udc80-\udcff]/.test(s)) return s;
  let out = '';
  for (const ch of s) out += (keepLines && ch === '\n') || ch === '\t' ? ch : caretOf(ch) ?? ch;
  return out;
}

// cellWidth is how many terminal cells ch occupies once made printable:
// two for East Asian wide characters and for caret pairs, zero for
// combining marks.
export function cellWidth(ch) {
  const caret = caretOf(ch);
  if (caret) return caret.length;
  const c = ch.codePointAt(0);
  if ((c >= 0x300 && c < 0x370) || (c >= 0x200b && c <= 0x200f) || (c >= 0xfe00 && c <= 0xfe0f)) return 0;
  if (
    (c >= 0x1100 && c <= 0x115f) ||
    (c >= 0x2e80 && c <= 0xa4cf) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) ||
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x1f300 && c <= 0x1faff) ||
    (c >= 0x20000 && c <= 0x3fffd)
  ) return 2;
  return 1;
}

// ByteDecoder decodes a stream of bytes as UTF-8, as a terminal set to
// UTF-8 shows what telnet passes on; bytes that are not UTF-8 come out
// escaped (escapeByte). all: every byte above 127 is escaped, UTF-8 or
// not (the raw view shows bytes, not characters).
export class ByteDecoder {
  constructor({ all = false } = {}) {
    this.all = all;
    this.held = []; // the start of a sequence cut by the chunk's end
  }

  decode(bytes = new Uint8Array(0), { stream = false } = {}) {
    const b = this.held.length ? Uint8Array.from([...this.held, ...bytes]) : bytes;
    this.held = [];
    let out = '';
    let i = 0;
    let ascii = 0; // start of a run of ASCII, added in one go
    const flush = () => {
      if (ascii < i) out += String.fromCharCode.apply(null, b.subarray(ascii, i));
    };
    while (i < b.length) {
      const c = b[i];
      if (c < 0x80) {
        i++;
        if (i - ascii > 4096) {
          flush();
          ascii = i;
        }
        continue;
      }
      flush();
      const n = this.all ? 0 : seqLength(b, i);
      if (n < 0 && stream) {
        this.held = [...b.subarray(i)];
        ascii = i = b.length;
        break;
      }
      if (n > 0) {
        out += utf8.decode(b.subarray(i, i + n));
        i += n;
      } else {
        out += escapeByte(c);
        i++;
      }
      ascii = i;
    }
    flush();
    return out;
  }
}

const utf8 = new TextDecoder('utf-8');

// seqLength is the length of the well-formed UTF-8 sequence at b[i]
// (RFC 3629 section 4), 0 when there is none, -1 when b ends inside one
// that may still be well-formed.
function seqLength(b, i) {
  const c = b[i];
  let n, lo = 0x80, hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) n = 2;
  else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c === 0xe0) lo = 0xa0;
    if (c === 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c === 0xf0) lo = 0x90;
    if (c === 0xf4) hi = 0x8f;
  } else return 0;
  for (let k = 1; k < n; k++) {
    if (i + k >= b.length) return -1;
    const d = b[i + k];
    if (d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return 0;
  }
  return n;
}
