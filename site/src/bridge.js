// The simulator: sim/'s mail store and sessions compiled to WebAssembly
// (wasm/), reached through the global object it registers, `maillab`.

// Simulator wraps the raw API: it parses JSON, turns {error} results into
// exceptions and routes each session's output and events to the handler
// of the terminal that opened it.
export class Simulator {
  constructor(api) {
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
    this.persistent = Boolean(api.persistent);
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

  deliver(user) {
    return this.api.deliver(user);
  }

  reset(fixture) {
    return this.api.reset(fixture == null ? undefined : typeof fixture === 'string' ? fixture : JSON.stringify(fixture));
  }
}

// loadSimulator starts lab.wasm (wasm_exec.js must be loaded) and resolves
// once the mail store is open.
export async function loadSimulator(wasmURL) {
  const go = new globalThis.Go();
  const ready = new Promise((resolve, reject) => {
    globalThis.maillabBoot = { ready: resolve, fail: (msg) => reject(new Error(msg)) };
  });
  const resp = await fetch(wasmURL);
  if (!resp.ok) throw new Error(`${wasmURL}: HTTP ${resp.status}`);
  let result;
  if ((resp.headers.get('content-type') || '').startsWith('application/wasm')) {
    result = await WebAssembly.instantiateStreaming(resp, go.importObject);
  } else {
    // A static host that does not know the wasm MIME type still works.
    result = await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject);
  }
  go.run(result.instance);
  return new Simulator(await ready);
}
