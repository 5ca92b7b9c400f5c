// Control characters never reach the terminal emulator raw: a server (or a
// learner) could otherwise move the cursor, clear the screen or change
// colours. They are written in caret notation instead, as `cat -v` does:
// ^@ … ^_ for C0, ^? for DEL, M-^@ … M-^_ for the C1 range.

// caretOf returns the caret notation of one control character, or null
// when ch is printable.
export function caretOf(ch) {
  const c = ch.codePointAt(0);
  if (c < 0x20) return '^' + String.fromCharCode(c + 0x40);
  if (c === 0x7f) return '^?';
  if (c >= 0x80 && c < 0xa0) return 'M-^' + String.fromCharCode(c - 0x80 + 0x40);
  return null;
}

// printable replaces every control character in s by its caret notation.
export function printable(s) {
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
