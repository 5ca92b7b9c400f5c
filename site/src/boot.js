// What the page starts first, inlined into index.html's head by build.mjs
// so that it runs before the bundle has even been fetched: the simulator
// is fetched and compiled, and the mailboxes saved in IndexedDB are read
// (a new profile creates the database here, which takes a while) with
// the lock that says whether this tab keeps them, all while the rest of
// the page loads. bridge.js loadSimulator awaits them.
// A host that does not send the wasm MIME type still works, without
// streaming.

import { readMailboxes } from './saved.js';

/* global WASM_URL */
globalThis.maillabWasm = fetch(WASM_URL).then((r) => {
  if (!r.ok) throw new Error(WASM_URL + ': HTTP ' + r.status);
  return (r.headers.get('content-type') || '').startsWith('application/wasm')
    ? WebAssembly.compileStreaming(r)
    : r.arrayBuffer().then((b) => WebAssembly.compile(b));
});
globalThis.maillabWasm.catch(() => {}); // reported by the page when it awaits it
globalThis.maillabSaved = readMailboxes();
