// Control characters never reach the terminal emulator raw: a server (or a
// learner) could otherwise move the cursor, clear the screen or change
// colours. They are written visibly instead: ^@ … ^_ for C0 and ^? for
// DEL, in caret notation as `cat -v` does, and the C1 range as
// \x80 … \x9f (cat's M-^[ reads as three keys; \x9b is the byte).

// caretOf returns the caret notation of one control character, or null
// when ch is printable.
export function caretOf(ch) {
  const c = ch.codePointAt(0);
  if (c < 0x20) return '^' + String.fromCharCode(c + 0x40);
  if (c === 0x7f) return '^?';
  if (c >= 0x80 && c < 0xa0) return '\\x' + c.toString(16);
  return null;
}

// printable replaces every control character in s by its caret notation.
// Every text the page shows from a session (the transcript, the explain
// pane, a lesson's goals) passes through it.
export function printable(s) {
  s = String(s);
  if (!/[\x00-\x1f\x7f-\x9f]/.test(s)) return s;
  let out = '';
  for (const ch of s) out += caretOf(ch) ?? ch;
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
