// buffersOf lists the buffers of the typed arrays in v (a tree of
// mailboxes, each file's bytes its own array), each once, to move them
// to the other thread with postMessage rather than copy them. An array
// that is a view on part of a larger buffer is left to be copied.
export function buffersOf(v, out = [], seen = new Set()) {
  if (!v || typeof v !== 'object') return out;
  if (ArrayBuffer.isView(v)) {
    if (!seen.has(v.buffer) && v.byteLength === v.buffer.byteLength) {
      seen.add(v.buffer);
      out.push(v.buffer);
    }
    return out;
  }
  for (const k of Object.keys(v)) buffersOf(v[k], out, seen);
  return out;
}

// A call's answers in the shared buffer (remote.js callNow), each:
// its kind (1 output, 2 event, 3 end), the session id's length (2 bytes)
// and UTF-8, the payload's length (4 bytes) and bytes (output's bytes, an
// event's JSON in UTF-8).
const KINDS = ['', 'out', 'ev', 'closed'];

// encodeAnswers writes messages ({t, id, bytes|json}) into out and returns
// how many bytes they took, or -1 when they do not fit.
export function encodeAnswers(messages, out) {
  const enc = new TextEncoder();
  let at = 0;
  for (const m of messages) {
    const kind = KINDS.indexOf(m.t);
    const id = enc.encode(m.id);
    const payload = m.t === 'out' ? m.bytes : m.t === 'ev' ? enc.encode(m.json) : new Uint8Array(0);
    if (kind < 1 || id.length > 0xffff || at + 7 + id.length + payload.length > out.length) return -1;
    out[at] = kind;
    out[at + 1] = id.length >> 8;
    out[at + 2] = id.length & 0xff;
    out.set(id, at + 3);
    at += 3 + id.length;
    new DataView(out.buffer, out.byteOffset + at, 4).setUint32(0, payload.length);
    out.set(payload, at + 4);
    at += 4 + payload.length;
  }
  return at;
}

// decodeAnswers reads what encodeAnswers wrote.
export function decodeAnswers(bytes) {
  const dec = new TextDecoder();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = [];
  for (let at = 0; at < bytes.length;) {
    const t = KINDS[bytes[at]];
    const idLen = view.getUint16(at + 1);
    const id = dec.decode(bytes.subarray(at + 3, at + 3 + idLen));
    at += 3 + idLen;
    const len = view.getUint32(at);
    const payload = bytes.slice(at + 4, at + 4 + len);
    at += 4 + len;
    out.push(t === 'out' ? { t, id, bytes: payload } : t === 'ev' ? { t, id, json: dec.decode(payload) } : { t, id });
  }
  return out;
}
