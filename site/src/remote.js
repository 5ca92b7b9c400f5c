// The page's end of the simulator's thread (worker.js): a module is
// compiled and started there, and its API called by message. Every call
// answers with a Promise; what the page needs at once (the machines, the
// accounts, a lesson's status) comes with the answers and is kept here.

import { buffersOf, decodeAnswers } from './transfer.js';
import { compileWasm } from './wasm.js';

/* global WORKER_SOURCE */

let workerURL = null; // the thread's script, as a Blob's URL

// SHARED_BYTES is the room for a call's answers in the shared buffer
// (a larger answer comes by message); SHARED_WAIT how long, in
// milliseconds, the page waits for them.
const SHARED_BYTES = 1 << 16;
const SHARED_WAIT = 16;

// startWorker starts a simulator's thread with the module at url,
// fetched and compiled at once. Its compiled Promise resolves when that
// is done.
//
// Where it is compiled matters. The browser keeps the optimised code of
// a module compiled by the page (its code cache), not one compiled in a
// worker, and without it Go's start runs three to four times slower
// (about 130 ms rather than 40 on a laptop). A module compiled anew
// costs the page's thread tasks of tens of milliseconds, one from the
// cache a few short ones. So a module this browser has compiled before
// is compiled by the page, and handed to the thread; one it has not
// (a first visit, a new version) is compiled by the thread itself.
export function startWorker(url) {
  workerURL ??= URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const onPage = onPageThread();
  const remote = onPage ? pageThread() : new Remote(new Worker(workerURL));
  if (!onPage && globalThis.crossOriginIsolated) remote.shareAnswers();
  remote.compiled = new Promise((resolve, reject) => {
    remote.onCompiled = resolve;
    remote.onFailed = reject;
  });
  remote.compiled.catch(() => {}); // reported by the page when it awaits it
  const href = new URL(url, location.href).href;
  if (onPage || compiledBefore(href)) {
    compileWasm(href).then(
      (module) => remote.worker.postMessage({ t: 'module', module }),
      (err) => remote.broken(err.message || String(err)),
    );
  } else {
    remote.worker.postMessage({ t: 'compile', url: href });
  }
  remote.compiled.then(() => rememberCompiled(href), () => {});
  return remote;
}

// onPageThread says whether the simulator runs on the page's thread,
// as it did before it had a thread of its own: in headless Chromium.
// Its virtual time (--virtual-time-budget, with which --screenshot and
// --dump-dom wait for a page) runs on while a worker computes, so a
// screenshot would show the page still loading the simulator; work on
// the page's thread it waits for. A browser without workers does the
// same.
function onPageThread() {
  return typeof Worker === 'undefined' || /\bHeadlessChrome\//.test(navigator.userAgent);
}

let served = null; // the thread's script, run by the page

// pageThread gives a Remote whose "thread" is the page's: the same
// script serves it, through a MessageChannel, so its messages come as
// tasks of their own, in order, as a worker's do.
function pageThread() {
  served ??= new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = workerURL;
    s.onload = () => resolve(globalThis.maillabServe);
    s.onerror = () => reject(new Error('the simulator did not load'));
    document.head.append(s);
  });
  const { port1, port2 } = new MessageChannel();
  const remote = new Remote({
    postMessage: (m, transfer) => port1.postMessage(m, transfer),
    set onmessage(fn) {
      port1.onmessage = fn;
    },
    terminate: () => {
      port1.close();
      port2.close();
    },
  });
  served.then(
    (serve) => {
      const receive = serve((m, transfer) => port2.postMessage(m, transfer));
      port2.onmessage = ({ data }) => receive(data);
    },
    (err) => remote.broken(err.message),
  );
  return remote;
}

// COMPILED names the modules (by URL, with their version) this browser
// has compiled, the latest few.
const COMPILED = 'maillab.compiled';

function compiledBefore(url) {
  try {
    return JSON.parse(localStorage.getItem(COMPILED) || '[]').includes(url);
  } catch {
    return false; // storage off: compiled by the thread, every time
  }
}

function rememberCompiled(url) {
  try {
    const list = JSON.parse(localStorage.getItem(COMPILED) || '[]').filter((u) => u !== url);
    localStorage.setItem(COMPILED, JSON.stringify([url, ...list].slice(0, 4)));
  } catch {
    // storage may be off or full
  }
}

export class Remote {
  constructor(worker) {
    this.worker = worker;
    this.n = 0;
    this.waiting = new Map(); // call number -> {resolve, reject}
    this.handlers = { out: null, ev: null, closed: null, lesson: null, users: null };
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
        this.handlers.lesson?.(m.status, null, true);
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
    this.worker.postMessage({ t: 'start', boot }, buffersOf(boot.saved));
    return ready;
  }

  // call calls obj.name(...args) in the simulator's thread.
  call(obj, name, ...args) {
    return this.request({ t: 'call', obj, name, args });
  }

  // shareAnswers gives the thread a SharedArrayBuffer (which the browser
  // allows a cross-origin isolated page: labserver sends the headers,
  // site.Isolate) through which callNow's answers come.
  shareAnswers() {
    const buffer = new SharedArrayBuffer(8 + SHARED_BYTES);
    // state[0]: n while the page waits for call n, -n once its answers
    // are in bytes, state[1] bytes long; 0 otherwise.
    this.shared = { state: new Int32Array(buffer, 0, 2), bytes: new Uint8Array(buffer, 8) };
    this.sharedAnswers = 0; // calls answered within their task (the tests read it)
    this.worker.postMessage({ t: 'share', buffer });
  }

  // callNow calls as call does. A line typed is answered in the task of
  // the key that sent it, and painted in the frame that key asks for, as
  // when the simulator ran on the page's thread: where the answers are
  // shared and the thread has nothing else to do, the page waits for it
  // (a few milliseconds at most) and takes the sessions' answers the
  // call brought (their output, events and ends) at once. Otherwise, or
  // once it has waited long enough, they come by message, a frame later.
  callNow(obj, name, ...args) {
    if (!this.shared || this.waiting.size > 0) return this.call(obj, name, ...args);
    return this.request({ t: 'call', obj, name, args }, true);
  }

  // takeShared waits for the answers of call n in the shared buffer.
  takeShared(n) {
    const { state, bytes } = this.shared;
    const until = performance.now() + SHARED_WAIT;
    while (Atomics.load(state, 0) === n && performance.now() < until) {
      // the thread answers within a millisecond or two
    }
    const now = Atomics.compareExchange(state, 0, n, 0);
    if (now !== -n) return; // given up, or the thread sends them by message
    const messages = decodeAnswers(bytes.slice(0, Atomics.load(state, 1)));
    Atomics.store(state, 0, 0);
    this.sharedAnswers++;
    // Handed on as messages are: what one handler throws stops no other.
    for (const m of messages) {
      try {
        this.receive(m);
      } catch (err) {
        console.error(err);
      }
    }
  }

  // settle resolves once the answers the module was still working on
  // when it was called have come in.
  settle() {
    return this.request({ t: 'settle' });
  }

  // request sends m, numbered, and resolves with the thread's reply;
  // shared: its sessions' answers are waited for (callNow).
  request(m, shared = false) {
    if (this.ended) return Promise.reject(new Error('the simulator has ended'));
    const n = ++this.n;
    const replied = new Promise((resolve, reject) => {
      this.waiting.set(n, { resolve, reject });
    });
    if (shared) Atomics.store(this.shared.state, 0, n);
    this.worker.postMessage(shared ? { ...m, n, shared } : { ...m, n });
    // Waited for at the end of the caller's task, so that what the task
    // does after the call (a typed line's raw bytes, its copy kept for a
    // hand-over) overlaps the thread's work.
    if (shared) queueMicrotask(() => this.takeShared(n));
    return replied;
  }

  on(kind, fn) {
    this.handlers[kind] = fn;
  }

  end() {
    this.ended = true;
    this.worker.terminate();
  }
}
