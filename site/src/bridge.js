// The simulator: sim/'s mail store and sessions compiled to WebAssembly
// (wasm/), reached through the global object it registers, `maillab`.

import { readMailboxes } from './saved.js';

// Simulator wraps the raw API: it parses JSON, turns {error} results into
// exceptions and routes each session's output and events to the handler
// of the terminal that opened it.
export class Simulator {
  constructor(api, { keptElsewhere = false } = {}) {
    this.api = api;
    this.handlers = new Map();
    // Go runs the new session's goroutines before open() returns, so its
    // first events arrive before the caller knows the id: keep them until
    // the handler is attached.
    this.pending = new Map();
    api.onOutput((id, bytes) => this.dispatch(id, 'output', bytes));
    api.onEvent((id, json) => this.dispatch(id, 'event', JSON.parse(json)));
    api.onClosed((id) => this.dispatch(id, 'closed'));
    this.machines = JSON.parse(api.machines());
    // persistent: the mailboxes are kept across reloads. keptElsewhere:
    // they are not, because another tab of the lab keeps them.
    this.persistent = Boolean(api.persistent);
    this.keptElsewhere = keptElsewhere;
  }

  dispatch(id, kind, arg) {
    const h = this.handlers.get(id);
    if (!h) {
      if (!this.pending.has(id)) this.pending.set(id, []);
      this.pending.get(id).push([kind, arg]);
      return;
    }
    if (kind === 'closed') this.handlers.delete(id);
    h[kind](arg);
  }

  // open connects a session; handler has output(bytes), event(ev) and
  // closed() methods. Returns the session id.
  open(proto, options, handler) {
    const r = this.api.open(proto, JSON.stringify(options || {}));
    if (r.error) throw new Error(r.error);
    this.handlers.set(r.id, handler);
    const early = this.pending.get(r.id) || [];
    this.pending.delete(r.id);
    for (const [kind, arg] of early) this.dispatch(r.id, kind, arg);
    return r.id;
  }

  write(id, data) {
    const r = this.api.write(id, data);
    if (r.error) throw new Error(r.error);
  }

  close(id) {
    this.api.close(id);
  }

  users() {
    return Array.from(this.api.users());
  }

  setLang(lang) {
    this.api.setLang(lang);
  }

  // decodeMessage returns, as JSON, a fetched message's RFC 2047 words and
  // text decoded (wasm/decode.go).
  decodeMessage(bytes) {
    return this.api.decodeMessage(bytes);
  }

  deliver(user) {
    return this.api.deliver(user);
  }

  // shown tells the simulator the first greeting is on the screen: the
  // first visit's seeding of IndexedDB, held back until then, may begin.
  shown() {
    this.api.shown();
  }

  // flush resolves once every change made so far is saved in IndexedDB.
  flush() {
    return this.api.flush();
  }

  reset(fixture) {
    return this.api.reset(fixture == null ? undefined : typeof fixture === 'string' ? fixture : JSON.stringify(fixture));
  }
}

// loadSimulator starts lab.wasm (wasm_exec.js must be loaded) from the
// module the page's head started to fetch and compile (globalThis.
// maillabWasm, see boot.js) and resolves once the simulator serves. The
// simulator keeps the mailboxes in IndexedDB itself (hackpadfs's indexeddb
// file system); the head started to read the tree saved there meanwhile
// (globalThis.maillabSaved; saved.js).
export async function loadSimulator(compiled, timings = {}) {
  const reading = globalThis.maillabSaved || readMailboxes();
  const module = await compiled;
  timings.compiled = performance.now();
  const go = new globalThis.Go();
  const instance = await WebAssembly.instantiate(module, go.importObject);
  timings.instantiated = performance.now();
  const { keep, entries } = await reading;
  delete globalThis.maillabSaved; // the simulator takes it; let the page's copy go
  const ready = new Promise((resolve, reject) => {
    globalThis.maillabBoot = { ready: resolve, fail: (msg) => reject(new Error(msg)), saved: entries, keep };
  });
  go.run(instance);
  const api = await ready;
  timings.ready = performance.now();
  return new Simulator(api, { keptElsewhere: !keep });
}
