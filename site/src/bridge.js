// The simulator: sim/'s mail store and sessions compiled to WebAssembly
// (wasm/), reached through the global object it registers, `maillab`.

import texts from 'catalog:diagrams';
import { fetchTexts } from './langs.js';
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
    this.machines = withEveryLanguage(JSON.parse(api.machines()));
    // The languages whose texts the simulator has, or is being given.
    this.langs = new Map();
    this.lang = null;
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

  // addTexts gives the simulator its texts in lang ({catalogue: {key:
  // text}}, as fetchTexts resolves).
  addTexts(lang, texts) {
    for (const [name, file] of Object.entries(texts)) {
      const r = this.api.addTexts(lang, name, JSON.stringify(file));
      if (r.error) throw new Error(r.error);
    }
    this.langs.set(lang, Promise.resolve());
  }

  // setLang resolves once the sessions opened from now on explain in
  // lang: its texts are fetched the first time.
  async setLang(lang) {
    this.lang = lang;
    if (!this.langs.has(lang)) {
      const adding = fetchTexts(lang).then((t) => this.addTexts(lang, t));
      this.langs.set(lang, adding);
      adding.catch(() => this.langs.delete(lang)); // a later pick tries again
    }
    await this.langs.get(lang);
    if (this.lang === lang) this.api.setLang(lang); // unless another was picked meanwhile
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
export async function loadSimulator(compiled, lang, timings = {}) {
  const reading = globalThis.maillabSaved || readMailboxes();
  const fetching = globalThis.maillabTexts?.lang === lang ? globalThis.maillabTexts.texts : fetchTexts(lang);
  delete globalThis.maillabTexts;
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
  const sim = new Simulator(api, { keptElsewhere: !keep });
  sim.addTexts(lang, await fetching);
  await sim.setLang(lang);
  timings.texts = performance.now();
  return sim;
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
