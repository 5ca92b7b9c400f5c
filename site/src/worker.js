// The simulator's own thread: a Web Worker that runs one of its modules
// (boot.wasm or lab.wasm, with Go's runtime from wasm_exec.js, which
// build.mjs puts before this script) and
// relays its API to the page (remote.js). The page's thread only draws:
// compiling the module, Go's start, loading the mailboxes and every
// session's work happen here, so typing, scrolling and painting never
// wait for them.
//
// The same script, run by the page as a script of its own, serves on
// the page's thread instead (globalThis.maillabServe; remote.js says
// when).
//
// The page says, in order:
//
//	{t: 'compile', url}          fetch and compile the module at url
//	{t: 'module', module}        or take the module the page compiled (remote.js startWorker)
//	{t: 'start', boot}           start it; boot is what wasm/js.go main reads as maillabBoot
//	{t: 'share', buffer}         a SharedArrayBuffer for the answers of calls marked shared (remote.js callNow)
//	{t: 'settle', n}             reply once the answers under way have come out
//	{t: 'call', n, obj, name, args, shared?}
//	                             call globalThis[obj][name](...args) (obj: maillab, maillabLesson
//	                             or maillabJourney), awaiting a Promise; reply {t: 'reply', n, value}
//	                             or {t: 'reply', n, error}
//
// and hears, besides the replies:
//
//	{t: 'compiled'} or {t: 'failed', error}
//	{t: 'ready', persistent, machines, users, lessons}
//	{t: 'out', id, bytes}, {t: 'ev', id, json}, {t: 'closed', id}   a session's output, events, end
//	{t: 'lesson', status}        the open lesson's status changed
//
// A reply to a call that may change the accounts (a reset, a lesson
// loaded or restarted) carries them as users; one to a lesson call
// carries the lesson's status; one to maillabLesson.load carries
// the options of the lesson's terminals by name (hosts).

import { buffersOf, encodeAnswers } from './transfer.js';
import { compileWasm } from './wasm.js';

// serve serves one module, answering through post(message, transfer);
// it returns the function to give each message from the page.
export function serve(post) {
  let compiled = null;
  // The module's objects (maillab, maillabLesson, maillabJourney), which
  // the module makes global; on the page's thread the page's own of those
  // names are put back.
  let targets = {};

  function fail(err) {
    post({ t: 'failed', error: String(err?.message || err) });
  }

  async function start(boot) {
    const module = await compiled;
    // Where the browser refused the page IndexedDB, this thread is refused
    // it too, for the same reason, and keeps the mailboxes in memory.
    if (boot.refused && inWorker) {
      IDBFactory.prototype.open = () => {
        throw new DOMException(boot.refused, 'SecurityError');
      };
    }
    const go = new globalThis.Go();
    const instance = await WebAssembly.instantiate(module, go.importObject);
    const names = ['maillab', 'maillabLesson', 'maillabJourney'];
    const before = names.map((name) => Object.getOwnPropertyDescriptor(globalThis, name));
    // The module sets its objects just before it calls ready: they are
    // taken (and the page's put back) within that call.
    const take = () => {
      targets = Object.fromEntries(names.map((name) => [name, globalThis[name]]));
      if (!inWorker) names.forEach((name, i) => (before[i] ? Object.defineProperty(globalThis, name, before[i]) : delete globalThis[name]));
    };
    const api = await new Promise((resolve, reject) => {
      globalThis.maillabBoot = {
        ...boot,
        ready: (api) => {
          take();
          resolve(api);
        },
        fail: (msg) => reject(new Error(msg)),
      };
      go.run(instance);
    });
    delete globalThis.maillabBoot;
    api.onOutput((id, bytes) => answer({ t: 'out', id, bytes }, [bytes.buffer]));
    api.onEvent((id, json) => answer({ t: 'ev', id, json }));
    api.onClosed((id) => answer({ t: 'closed', id }));
    const lesson = targets.maillabLesson;
    lesson?.onChange(() => post({ t: 'lesson', status: lesson.status() }));
    post({ t: 'ready', persistent: Boolean(api.persistent), machines: api.machines(), users: Array.from(api.users()), lessons: Boolean(lesson) });
  }

  // The sessions' answers go to the page by message, but those a call
  // the page waits for brings (remote.js callNow) are kept, to go through
  // the shared buffer.
  let shared = null; // {state, bytes}, given by the page
  let kept = null; // [message, transfer] while such a call runs

  function answer(m, transfer) {
    if (kept) kept.push([m, transfer]);
    else post(m, transfer);
  }

  // share hands the answers of call n to the page waiting for them, or,
  // when they do not fit or it has stopped waiting, sends them by message.
  function share(n, answers) {
    const { state, bytes } = shared;
    const size = Atomics.load(state, 0) === n ? encodeAnswers(answers.map(([m]) => m), bytes) : -1;
    if (size >= 0) {
      Atomics.store(state, 1, size);
      if (Atomics.compareExchange(state, 0, n, -n) === n) return;
    } else {
      Atomics.compareExchange(state, 0, n, 0); // the page need wait no longer
    }
    for (const [m, transfer] of answers) post(m, transfer);
  }

  async function call({ n, obj, name, args, shared: wait }) {
    const reply = { t: 'reply', n };
    try {
      const target = targets[obj];
      if (!target || typeof target[name] !== 'function') throw new Error(`the simulator has no ${obj}.${name}`);
      // Go answers within the call: it returns once its goroutines wait.
      if (wait && shared) kept = [];
      let value;
      try {
        value = target[name](...args);
      } finally {
        if (kept) {
          const answers = kept;
          kept = null;
          share(n, answers);
        }
      }
      if (value && typeof value.then === 'function') value = await value;
      reply.value = value;
      if (obj === 'maillabLesson') {
        reply.status = target.status();
        if (name === 'load') reply.hosts = hostsOf(target, value);
      }
    } catch (err) {
      reply.error = String(err?.message || err);
    }
    if (accounts.has(`${obj}.${name}`) && targets.maillab) reply.users = Array.from(targets.maillab.users());
    post(reply, buffersOf(reply.value));
  }

  return (m) => {
    switch (m.t) {
      case 'share':
        shared = { state: new Int32Array(m.buffer, 0, 2), bytes: new Uint8Array(m.buffer, 8) };
        break;
      case 'compile':
      case 'module':
        compiled = m.t === 'module' ? Promise.resolve(m.module) : compileWasm(m.url);
        compiled.then(() => post({ t: 'compiled' }), fail);
        break;
      case 'start':
        start(m.boot).catch(fail);
        break;
      case 'call':
        call(m);
        break;
      case 'settle':
        // Go's goroutines go on in timers the runtime sets: two rounds of
        // them let the answers under way come out first.
        setTimeout(() => setTimeout(() => post({ t: 'reply', n: m.n }), 0), 0);
        break;
    }
  };
}

const inWorker = typeof WorkerGlobalScope !== 'undefined' && globalThis instanceof WorkerGlobalScope;

// accounts: the calls whose answers carry the accounts (see above).
const accounts = new Set(['maillab.reset', 'maillabLesson.load', 'maillabLesson.reset']);

// hostsOf gives the options of each terminal a loaded lesson names in its
// greetings, and ('') those of any other.
function hostsOf(lesson, json) {
  const hosts = {};
  const names = [''];
  try {
    for (const g of JSON.parse(json)?.fixture?.greetings || []) if (g.session) names.push(g.session);
  } catch {
    // the lesson's text is the page's to report
  }
  for (const name of names) {
    const r = lesson.hostOptions(name);
    if (r && r.value) hosts[name] = JSON.parse(r.value);
  }
  return hosts;
}

if (inWorker) {
  const receive = serve((m, transfer) => postMessage(m, transfer));
  onmessage = ({ data }) => receive(data);
} else {
  globalThis.maillabServe = serve;
}
