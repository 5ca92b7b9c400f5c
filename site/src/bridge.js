// The simulator: sim/'s mail store and sessions compiled to WebAssembly
// (wasm/), reached through the global object it registers, `maillab`.

import texts from 'catalog:diagrams';
import { fetchTexts } from './langs.js';
import { readMailboxes } from './saved.js';
import { t } from './i18n.js';

// Simulator is the page's handle on the simulator, which runs in a
// thread of its own (worker.js, reached through remote.js): it gives
// each session its id, routes each session's output and events to the
// handler of the terminal that opened it, and keeps what the page reads
// at once (the machines, the accounts).
export class Simulator {
  constructor(remote, info, { keptElsewhere = false, keep = true, readable = true, refused = null, booting = false } = {}) {
    this.remote = remote;
    this.handlers = new Map();
    this.next = 0; // the last session id given
    this.listen(remote);
    this.learn(info);
    // The first module (boot.wasm, POP3 alone) serves until upgrade()
    // hands its sessions to the full one: meanwhile each session's
    // options, the bytes typed and the bytes and events answered are
    // kept, to be replayed and compared.
    this.booting = booting;
    this.keep = keep;
    this.readable = readable; // the page read IndexedDB
    this.refused = refused; // why the browser refused it IndexedDB
    this.sessions = new Map();
    this.held = null; // bytes typed during the hand-over, by session
    this.full = this.booting ? new Promise((resolve) => (this.fullReady = resolve)) : Promise.resolve();
    this.texts = new Map(); // the texts given, by language, to give the full module too
    // The languages whose texts the simulator has, or is being given.
    this.langs = new Map();
    this.lang = null;
    // keptElsewhere: the mailboxes are not kept across reloads, because
    // another tab of the lab keeps them.
    this.keptElsewhere = keptElsewhere;
  }

  // learn takes what a module said when it began to serve.
  learn(info) {
    this.machines = withEveryLanguage(JSON.parse(info.machines));
    this.accounts = info.users;
    // persistent: the mailboxes are kept across reloads.
    this.persistent = info.persistent;
    if (info.lessons) {
      globalThis.maillabLesson = new LessonProxy(this.remote);
      globalThis.maillabJourney = journeyProxy(this.remote);
    }
  }

  listen(remote) {
    remote.on('out', (m) => this.dispatch(m.id, 'output', m.bytes));
    remote.on('ev', (m) => this.dispatch(m.id, 'event', JSON.parse(m.json)));
    remote.on('closed', (m) => this.dispatch(m.id, 'closed'));
    remote.on('users', (users) => (this.accounts = users));
  }

  dispatch(id, kind, arg) {
    const rec = this.sessions.get(id);
    if (rec) {
      if (kind === 'output') rec.output.push(arg);
      else if (kind === 'event') rec.events++;
      else this.sessions.delete(id);
    }
    const h = this.handlers.get(id);
    if (!h) return;
    if (kind === 'closed') this.handlers.delete(id);
    h[kind](arg);
  }

  // open connects a session; handler has output(bytes), event(ev),
  // closed() and notice(text) methods. Returns the session id; a session
  // the simulator refuses (a reset under way) is noticed and closed.
  open(proto, options, handler) {
    if (this.held) throw new Error(t('sim.upgrading'));
    const id = String(++this.next);
    this.handlers.set(id, handler);
    if (this.booting) this.sessions.set(id, { proto, options: { ...options }, input: [], output: [], events: 0 });
    this.remote.call('maillab', 'open', proto, { ...options, id }).then(
      (r) => r?.error && this.refuse(id, r.error),
      (err) => this.refuse(id, err.message),
    );
    return id;
  }

  refuse(id, text) {
    const h = this.handlers.get(id);
    this.handlers.delete(id);
    this.sessions.delete(id);
    h?.notice?.(text);
    h?.closed();
  }

  write(id, data) {
    if (this.held) {
      if (!this.held.has(id)) throw new Error(t('sim.notConnected', id));
      this.held.get(id).push(data);
      return;
    }
    // Answered, where it can be, within the keypress's task (callNow).
    this.remote.callNow('maillab', 'write', id, data).then(
      (r) => r?.error && this.handlers.get(id)?.notice?.(r.error),
      () => {},
    );
    this.sessions.get(id)?.input.push(typeof data === 'string' ? new TextEncoder().encode(data) : data.slice());
  }

  close(id) {
    if (this.held?.has(id)) this.held.set(id, null); // closed once handed over
    else this.remote.call('maillab', 'close', id).catch(() => {});
  }

  // upgrade hands the first module's sessions and mailboxes to the full
  // simulator (full: its thread, started by startWorker). The first
  // module ends every session and hands over its tree; the full one
  // starts from it and each session still open is opened there again
  // under its id and given every byte typed so far, its answers unseen,
  // and its tape (what it drew from chance and read from the clock: the
  // APOP timestamp it greeted with, the challenge of an AUTH exchange;
  // wasm/tape.go): a session of the same protocol on the same mailboxes
  // given the same bytes and the same draws answers the same, which is
  // checked byte for byte before its terminal is switched to it. Typing
  // meanwhile waits and is sent after. A session whose answers differ
  // all the same (its tape was too long to keep) is closed, and its
  // terminal says so.
  async upgrade(full) {
    if (!this.booting) return;
    const first = this.remote;
    await full.compiled;
    this.held = new Map([...this.sessions.keys()].map((id) => [id, []]));
    try {
      await first.settle(); // answers still on their way come in
      const open = [...this.sessions].filter(([id]) => this.handlers.has(id));
      const quiet = () => {};
      for (const kind of ['out', 'ev', 'closed']) first.on(kind, quiet);
      const tree = await first.call('maillab', 'exportTree');
      await first.call('maillab', 'exit');
      first.end();
      const info = await full.start({ saved: tree.entries, keep: this.keep, handed: tree.handed, unreadable: !this.readable, refused: this.refused });
      full.call('maillab', 'shown'); // the greeting was shown long ago: saving may begin
      for (const [lang, texts] of this.texts) this.giveTexts(full, lang, texts);
      if (this.lang) full.call('maillab', 'setLang', this.lang);
      const replays = new Map();
      full.on('out', (m) => replays.get(m.id)?.output(m.bytes));
      full.on('ev', (m) => replays.get(m.id)?.event());
      full.on('closed', (m) => replays.get(m.id)?.closed());
      const results = await Promise.all(open.map(([id, rec]) => replay(full, id, rec, tree.tapes?.[id], replays)));
      this.remote = full;
      this.listen(full);
      this.learn(info);
      this.booting = false;
      const held = this.held;
      this.held = null;
      this.sessions.clear();
      open.forEach(([id], i) => {
        const h = this.handlers.get(id);
        if (!results[i]) {
          this.handlers.delete(id);
          h?.notice?.(t('term.handover'));
          h?.closed();
          return;
        }
        const typed = held.get(id);
        if (typed === null) this.close(id);
        else for (const data of typed || []) this.write(id, data);
      });
    } finally {
      this.held = null;
      this.fullReady();
    }
  }

  users() {
    return Array.from(this.accounts || []);
  }

  // addTexts gives the simulator its texts in lang ({catalogue: {key:
  // text}}, as fetchTexts resolves).
  addTexts(lang, texts) {
    this.giveTexts(this.remote, lang, texts);
    this.texts.set(lang, texts);
    this.langs.set(lang, Promise.resolve());
  }

  giveTexts(remote, lang, texts) {
    for (const [name, file] of Object.entries(texts)) {
      remote.call('maillab', 'addTexts', lang, name, JSON.stringify(file)).then(
        (r) => r?.error && console.warn('maillab: texts:', r.error),
        () => {},
      );
    }
  }

  // setLang resolves once the sessions opened from now on explain in
  // lang: its texts are fetched the first time.
  async setLang(lang) {
    this.lang = lang;
    if (!this.langs.has(lang)) {
      const adding = fetchTexts(lang).then(async (texts) => {
        if (this.held) await this.full; // given to the full module
        this.addTexts(lang, texts);
      });
      this.langs.set(lang, adding);
      adding.catch(() => this.langs.delete(lang)); // a later pick tries again
    }
    await this.langs.get(lang);
    if (this.held) await this.full;
    // Unless another was picked meanwhile. The simulator takes the page's
    // messages in order: a session opened after this explains in lang.
    if (this.lang === lang) this.remote.call('maillab', 'setLang', lang).catch(() => {});
  }

  // decodeMessage resolves to a fetched message's RFC 2047 words and
  // text decoded, as JSON (wasm/decode.go). The first module has none:
  // while it serves, the full one answers once it does.
  async decodeMessage(bytes) {
    await this.full;
    return this.remote.call('maillab', 'decodeMessage', bytes);
  }

  // What changes or keeps the mailboxes is done by the full module.
  async deliver(user) {
    await this.full;
    return this.remote.call('maillab', 'deliver', user);
  }

  // shown tells the simulator the first greeting is on the screen: the
  // first visit's seeding of IndexedDB, held back until then, may begin.
  shown() {
    this.remote.call('maillab', 'shown').catch(() => {});
  }

  // flush resolves once every change made so far is saved in IndexedDB.
  async flush() {
    await this.full;
    return this.remote.call('maillab', 'flush');
  }

  async reset(fixture) {
    await this.full;
    return this.remote.call('maillab', 'reset', fixture == null ? undefined : typeof fixture === 'string' ? fixture : JSON.stringify(fixture));
  }
}

// LessonProxy is the page's maillabLesson (wasm/lesson.go), whose engine
// runs in the simulator's thread: each call resolves with the engine's
// answer ({value: JSON} or {error}); the status and the options of the
// lesson's terminals, which the panel reads as it draws, come with the
// answers and when the engine says the status changed, and are read
// from here at once.
class LessonProxy {
  constructor(remote) {
    this.remote = remote;
    this.current = { error: 'no lesson is open' };
    this.hosts = {};
    this.changed = null;
    // The status comes with the answers and when the engine says it
    // changed (pushed); the panel draws it anew whenever it is not the
    // one it drew (a step becomes a dead end on an event's answer, which
    // the engine does not push).
    remote.on('lesson', (status, hosts, pushed) => {
      const changed = pushed || status?.value !== this.current?.value || status?.error !== this.current?.error;
      this.current = status;
      if (hosts) this.hosts = hosts;
      if (changed) this.changed?.();
    });
  }

  call(name, ...args) {
    return this.remote.call('maillabLesson', name, ...args);
  }

  load(compiled, lang, files) {
    return this.call('load', compiled, lang, files);
  }

  event(name, json) {
    this.call('event', name, json).catch(() => {});
  }

  status() {
    return this.current;
  }

  hostOptions(name) {
    const o = this.hosts[name] ?? this.hosts[''];
    return o ? { value: JSON.stringify(o) } : { error: 'no lesson is open' };
  }

  setLang(lang) {
    return this.call('setLang', lang).catch(() => {});
  }

  onChange(fn) {
    this.changed = fn;
  }
}
for (const name of ['reset', 'hint', 'solution', 'answer', 'restore', 'goTo']) {
  LessonProxy.prototype[name] = function (...args) {
    return this.call(name, ...args);
  };
}

// journeyProxy is the page's maillabJourney (wasm/journey_js.go): every
// call resolves with its answer.
function journeyProxy(remote) {
  const api = {};
  for (const name of ['state', 'hop', 'dig', 'step', 'speed', 'tick', 'addFault', 'clearFaults']) {
    api[name] = (...args) => remote.call('maillabJourney', name, ...args);
  }
  return api;
}

// loadSimulator starts the simulator's module that the page's head began
// to fetch and compile in the simulator's thread (globalThis.maillabWasm,
// see boot.js) and resolves once it serves. The simulator keeps the
// mailboxes in IndexedDB itself (hackpadfs's indexeddb file system); the
// head started to read the tree saved there meanwhile
// (globalThis.maillabSaved; saved.js).
export async function loadSimulator(remote, lang, timings = {}) {
  const reading = globalThis.maillabSaved || readMailboxes();
  const fetching = globalThis.maillabTexts?.lang === lang ? globalThis.maillabTexts.texts : fetchTexts(lang);
  delete globalThis.maillabTexts;
  await remote.compiled;
  timings.compiled = performance.now();
  const { keep, entries, refused } = await reading;
  delete globalThis.maillabSaved; // the simulator takes it; let the page's copy go
  const info = await remote.start({ saved: entries, keep, unreadable: entries == null, refused });
  timings.ready = performance.now();
  const sim = new Simulator(remote, info, { keptElsewhere: !keep, keep, readable: entries != null, refused, booting: Boolean(globalThis.maillabFull) });
  // The page's tests, and a learner at the console, reach it as maillab.
  globalThis.maillab = sim;
  sim.addTexts(lang, await fetching);
  await sim.setLang(lang);
  timings.texts = performance.now();
  return sim;
}

// replay opens session id of the first module again in the full one
// (remote) with its tape, sends it every byte typed there and resolves to
// whether it answered the same bytes with as many events.
function replay(remote, id, rec, tape, replays) {
  const want = concat(rec.output);
  return new Promise((resolve) => {
    let got = 0; // bytes answered so far, each equal to want's
    let same = true;
    let events = 0;
    let timer;
    const settle = (ok) => {
      if (!replays.has(id)) return;
      clearTimeout(timer);
      replays.delete(id);
      if (!ok) remote.call('maillab', 'close', id).catch(() => {});
      resolve(ok);
    };
    const check = () => {
      if (!same || got > want.length) settle(false);
      else if (got === want.length && events >= rec.events) settle(events === rec.events);
    };
    replays.set(id, {
      output(bytes) {
        same &&= got + bytes.length <= want.length && bytes.every((b, i) => b === want[got + i]);
        got += bytes.length;
        check();
      },
      event() {
        events++;
        check();
      },
      closed: () => settle(false),
    });
    const options = { ...rec.options, id, ...(tape ? { tape } : {}) };
    timer = setTimeout(() => settle(false), 10000);
    remote.call('maillab', 'open', rec.proto, options).then((r) => r?.error && settle(false), () => settle(false));
    for (const data of rec.input) remote.call('maillab', 'write', id, data).catch(() => {});
    check();
  });
}

function concat(chunks) {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

// withEveryLanguage puts the diagrams' texts in every language into the
// machines the simulator declares, whose titles and labels it gives in
// the languages it has texts in: a diagram is laid out for its widest
// label in any language and relabelled at once when the learner picks
// another.
function withEveryLanguage(machines) {
  const text = (lang, m, key) => texts[lang]?.[m.catalogue]?.[key] ?? texts.en?.[m.catalogue]?.[key];
  for (const m of Object.values(machines)) {
    for (const s of m.states || []) {
      s.title = text('en', m, `state.${s.name}`) ?? s.name;
      s.titles = Object.fromEntries(Object.keys(texts).map((l) => [l, text(l, m, `state.${s.name}`) ?? s.name]));
    }
    for (const e of m.transitions || []) {
      e.label = text('en', m, `transition.${e.id}`) ?? e.label;
      e.labels = Object.fromEntries(Object.keys(texts).map((l) => [l, text(l, m, `transition.${e.id}`) ?? e.label]));
    }
  }
  return machines;
}
