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
