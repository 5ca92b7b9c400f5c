// The page's end of the simulator's thread (worker.js): a module is
// compiled and started there, and its API called by message. Every call
// answers with a Promise; what the page needs at once (the machines, the
// accounts, a lesson's status) comes with the answers and is kept here.

/* global WORKER_URL, WASM_EXEC_URL */

// startWorker starts a simulator's thread and has it fetch and compile
// the module at url at once. Its compiled Promise resolves when that is
// done.
export function startWorker(url) {
  const worker = new Worker(new URL(WORKER_URL, location.href));
  const remote = new Remote(worker);
  remote.compiled = new Promise((resolve, reject) => {
    remote.onCompiled = resolve;
    remote.onFailed = reject;
  });
  remote.compiled.catch(() => {}); // reported by the page when it awaits it
  worker.postMessage({ t: 'compile', exec: new URL(WASM_EXEC_URL, location.href).href, url: new URL(url, location.href).href });
  return remote;
}

export class Remote {
  constructor(worker) {
    this.worker = worker;
    this.n = 0;
    this.waiting = new Map(); // call number -> {resolve, reject}
    this.handlers = { out: null, ev: null, closed: null, lesson: null, changed: null, users: null };
    this.info = null; // what the module said when it was ready
    this.ended = false;
    worker.onmessage = ({ data }) => this.receive(data);
    worker.onerror = (e) => this.broken(e.message || 'the simulator stopped');
  }

  receive(m) {
    switch (m.t) {
      case 'compiled':
        this.onCompiled?.();
        break;
      case 'failed':
        this.broken(m.error);
        break;
      case 'ready':
        this.info = m;
        this.onReady?.(m);
        break;
      case 'reply': {
        const w = this.waiting.get(m.n);
        this.waiting.delete(m.n);
        if (m.users) this.handlers.users?.(m.users);
        if (m.status) this.handlers.lesson?.(m.status, m.hosts);
        if (!w) break;
        if ('error' in m) w.reject(new Error(m.error));
        else w.resolve(m.value);
        break;
      }
      case 'lesson':
        this.handlers.lesson?.(m.status);
        this.handlers.changed?.();
        break;
      default:
        this.handlers[m.t]?.(m);
    }
  }

  broken(error) {
    const err = new Error(error);
    this.onFailed?.(err);
    this.onStartFailed?.(err);
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }

  // start starts the compiled module with boot (see wasm/js.go main) and
  // resolves with what it says once it serves: {persistent, machines,
  // users, lessons}. The buffers of the tree given are moved, not copied.
  start(boot) {
    const ready = new Promise((resolve, reject) => {
      this.onReady = resolve;
      this.onStartFailed = reject;
    });
    const transfer = [];
    for (const e of boot.saved || []) if (e.data?.buffer && e.data.byteLength === e.data.buffer.byteLength && !transfer.includes(e.data.buffer)) transfer.push(e.data.buffer);
    this.worker.postMessage({ t: 'start', boot }, transfer);
    return ready;
  }

  // call calls obj.name(...args) in the simulator's thread.
  call(obj, name, ...args) {
    if (this.ended) return Promise.reject(new Error('the simulator has ended'));
    const n = ++this.n;
    return new Promise((resolve, reject) => {
      this.waiting.set(n, { resolve, reject });
      this.worker.postMessage({ t: 'call', n, obj, name, args });
    });
  }

  // settle resolves once the answers the module was still working on
  // when it was called have come in.
  settle() {
    const n = ++this.n;
    return new Promise((resolve, reject) => {
      this.waiting.set(n, { resolve, reject });
      this.worker.postMessage({ t: 'settle', n });
    });
  }

  on(kind, fn) {
    this.handlers[kind] = fn;
  }

  end() {
    this.ended = true;
    this.worker.terminate();
  }
}
