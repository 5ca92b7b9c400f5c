// The simulator: sim/'s mail store and sessions compiled to WebAssembly
// (wasm/), reached through the global object it registers, `maillab`.

import texts from 'catalog:diagrams';
import { fetchTexts } from './langs.js';
import { readMailboxes } from './saved.js';
import { t } from './i18n.js';

// Simulator wraps the raw API: it parses JSON, turns {error} results into
// exceptions and routes each session's output and events to the handler
// of the terminal that opened it.
export class Simulator {
  constructor(api, { keptElsewhere = false, keep = true, readable = true } = {}) {
    this.api = api;
    this.handlers = new Map();
    // Go runs the new session's goroutines before open() returns, so its
    // first events arrive before the caller knows the id: keep them until
    // the handler is attached.
    this.pending = new Map();
    this.listen(api);
    this.machines = withEveryLanguage(JSON.parse(api.machines()));
    // The first module (boot.wasm, POP3 alone) serves until upgrade()
    // hands its sessions to the full one: meanwhile each session's
    // options, the bytes typed and the bytes and events answered are
    // kept, to be replayed and compared.
    this.booting = typeof api.exportTree === 'function';
    this.keep = keep;
    this.readable = readable; // the page read IndexedDB
    this.sessions = new Map();
    this.held = null; // bytes typed during the hand-over, by session
    this.full = this.booting ? new Promise((resolve) => (this.fullReady = resolve)) : Promise.resolve();
    this.texts = new Map(); // the texts given, by language, to give the full module too
    // The languages whose texts the simulator has, or is being given.
    this.langs = new Map();
    this.lang = null;
    // persistent: the mailboxes are kept across reloads. keptElsewhere:
    // they are not, because another tab of the lab keeps them.
    this.persistent = Boolean(api.persistent);
    this.keptElsewhere = keptElsewhere;
  }

  listen(api) {
    api.onOutput((id, bytes) => this.dispatch(id, 'output', bytes));
    api.onEvent((id, json) => this.dispatch(id, 'event', JSON.parse(json)));
    api.onClosed((id) => this.dispatch(id, 'closed'));
  }

  dispatch(id, kind, arg) {
    const rec = this.sessions.get(id);
    if (rec) {
      if (kind === 'output') rec.output.push(arg);
      else if (kind === 'event') rec.events++;
      else this.sessions.delete(id);
    }
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
    if (this.held) throw new Error(t('sim.upgrading'));
    const r = this.api.open(proto, options || {});
    if (r.error) throw new Error(r.error);
    this.handlers.set(r.id, handler);
    if (this.booting) this.sessions.set(r.id, { proto, options: { ...options }, input: [], output: [], events: 0 });
    const early = this.pending.get(r.id) || [];
    this.pending.delete(r.id);
    for (const [kind, arg] of early) this.dispatch(r.id, kind, arg);
    return r.id;
  }

  write(id, data) {
    if (this.held) {
      if (!this.held.has(id)) throw new Error(t('sim.notConnected', id));
      this.held.get(id).push(data);
      return;
    }
    const r = this.api.write(id, data);
    if (r.error) throw new Error(r.error);
    this.sessions.get(id)?.input.push(typeof data === 'string' ? new TextEncoder().encode(data) : data.slice());
  }

  close(id) {
    if (this.held?.has(id)) this.held.set(id, null); // closed once handed over
    else this.api.close(id);
  }

  // upgrade hands the first module's sessions and mailboxes to the full
  // simulator (compiled: its compiled module). The first module ends
  // every session and hands over its tree; the full one starts from it
  // and each session still open is opened there again under its id and
  // given every byte typed so far, its answers unseen: a session of
  // the same protocol on the same mailboxes given the same bytes answers
  // the same, which is checked byte for byte before its terminal is
  // switched to it. Typing meanwhile waits and is sent after. A session
  // whose answers differ (an AUTH exchange with a random challenge) is
  // closed, and its terminal says so.
  async upgrade(compiled) {
    if (!this.booting) return;
    const first = this.api;
    const module = await compiled;
    this.held = new Map([...this.sessions.keys()].map((id) => [id, []]));
    try {
      await macrotask(); // answers still on their way come in
      await macrotask();
      const open = [...this.sessions].filter(([id]) => this.handlers.has(id));
      const quiet = () => {};
      first.onOutput(quiet);
      first.onEvent(quiet);
      first.onClosed(quiet);
      const tree = await first.exportTree();
      first.exit();
      const api = await startModule(module, { saved: tree.entries, keep: this.keep, handed: tree.handed, unreadable: !this.readable });
      api.shown(); // the greeting was shown long ago: saving may begin
      for (const [lang, texts] of this.texts) this.giveTexts(api, lang, texts);
      if (this.lang) api.setLang(this.lang);
      const replays = new Map();
      api.onOutput((id, bytes) => replays.get(id)?.output(bytes));
      api.onEvent((id) => replays.get(id)?.event());
      api.onClosed((id) => replays.get(id)?.closed());
      const results = await Promise.all(open.map(([id, rec]) => replay(api, id, rec, replays)));
      this.api = api;
      this.listen(api);
      this.machines = withEveryLanguage(JSON.parse(api.machines()));
      this.booting = false;
      this.persistent = Boolean(api.persistent);
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
        if (typed === null) this.api.close(id);
        else for (const data of typed || []) this.write(id, data);
      });
    } finally {
      this.held = null;
      this.fullReady();
    }
  }

  users() {
    return Array.from(this.api.users());
  }

  // addTexts gives the simulator its texts in lang ({catalogue: {key:
  // text}}, as fetchTexts resolves).
  addTexts(lang, texts) {
    this.giveTexts(this.api, lang, texts);
    this.texts.set(lang, texts);
    this.langs.set(lang, Promise.resolve());
  }

  giveTexts(api, lang, texts) {
    for (const [name, file] of Object.entries(texts)) {
      const r = api.addTexts(lang, name, JSON.stringify(file));
      if (r.error) throw new Error(r.error);
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
    if (this.lang === lang) this.api.setLang(lang); // unless another was picked meanwhile
  }

  // decodeMessage returns, as JSON, a fetched message's RFC 2047 words and
  // text decoded (wasm/decode.go).
  // The first module has none: while it serves, this is a Promise of
  // what the full one answers.
  decodeMessage(bytes) {
    if (!this.booting) return this.api.decodeMessage(bytes);
    return this.full.then(() => this.api.decodeMessage(bytes));
  }

  // What changes or keeps the mailboxes is done by the full module.
  async deliver(user) {
    await this.full;
    return this.api.deliver(user);
  }

  // shown tells the simulator the first greeting is on the screen: the
  // first visit's seeding of IndexedDB, held back until then, may begin.
  shown() {
    this.api.shown();
  }

  // flush resolves once every change made so far is saved in IndexedDB.
  async flush() {
    await this.full;
    return this.api.flush();
  }

  async reset(fixture) {
    await this.full;
    return this.api.reset(fixture == null ? undefined : typeof fixture === 'string' ? fixture : JSON.stringify(fixture));
  }
}

// loadSimulator starts lab.wasm (wasm_exec.js must be loaded) from the
// module the page's head started to fetch and compile (globalThis.
// maillabWasm, see boot.js) and resolves once the simulator serves. The
// simulator keeps the mailboxes in IndexedDB itself (hackpadfs's indexeddb
// file system); the head started to read the tree saved there meanwhile
// (globalThis.maillabSaved; saved.js).
export async function loadSimulator(compiled, lang, timings = {}) {
  const reading = globalThis.maillabSaved || readMailboxes();
  const fetching = globalThis.maillabTexts?.lang === lang ? globalThis.maillabTexts.texts : fetchTexts(lang);
  delete globalThis.maillabTexts;
  const module = await compiled;
  timings.compiled = performance.now();
  const { keep, entries } = await reading;
  delete globalThis.maillabSaved; // the simulator takes it; let the page's copy go
  const api = await startModule(module, { saved: entries, keep, unreadable: entries == null }, timings);
  timings.ready = performance.now();
  const sim = new Simulator(api, { keptElsewhere: !keep, keep, readable: entries != null });
  sim.addTexts(lang, await fetching);
  await sim.setLang(lang);
  timings.texts = performance.now();
  return sim;
}

// startModule instantiates a compiled simulator and resolves to its API
// once it serves; boot is what it starts from (see wasm/js.go main).
async function startModule(module, boot, timings = {}) {
  const go = new globalThis.Go();
  const instance = await WebAssembly.instantiate(module, go.importObject);
  timings.instantiated = performance.now();
  const ready = new Promise((resolve, reject) => {
    globalThis.maillabBoot = { ...boot, ready: resolve, fail: (msg) => reject(new Error(msg)) };
  });
  go.run(instance);
  return ready;
}

// replay opens session id of the first module again in the full one,
// sends it every byte typed there and resolves to whether it answered
// the same bytes with as many events.
function replay(api, id, rec, replays) {
  const want = concat(rec.output);
  return new Promise((resolve) => {
    let got = 0; // bytes answered so far, each equal to want's
    let same = true;
    let events = 0;
    let timer;
    const settle = (ok) => {
      clearTimeout(timer);
      replays.delete(id);
      if (!ok) api.close(id);
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
    // The greeting's APOP timestamp is the one the learner saw.
    const options = { ...rec.options, id };
    const stamp = /<[^<>\s@]+@[^<>\s]+>/.exec(new TextDecoder('latin1').decode(want.subarray(0, want.indexOf(10) + 1 || want.length)));
    if (rec.proto === 'pop3' && !options.apopTimestamp && stamp) options.apopTimestamp = stamp[0];
    const r = api.open(rec.proto, options);
    if (r.error) return settle(false);
    for (const data of rec.input) api.write(id, data);
    timer = setTimeout(() => settle(false), 10000);
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

function macrotask() {
  return new Promise((resolve) => setTimeout(resolve, 0));
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
