// App ties the page together: the toolbar (protocol, language, new
// terminal, deliver, reset), the terminals and the listeners of the lab
// API.

import { TerminalPanel } from './panel.js';
import * as i18n from './i18n.js';

export class App {
  constructor(sim, doc, { proto, lang, timings }) {
    this.sim = sim;
    this.doc = doc;
    this.wanted = proto;
    // The protocols are those the simulator registers, in the registry's
    // order (the order of sim.machines); the first is the default.
    this.protocols = Object.keys(sim.machines);
    this.proto = this.has(proto) ? proto : this.protocols[0] || '';
    this.lang = lang;
    this.timings = timings;
    // greeted resolves once a terminal has shown its first output.
    this.greeted = new Promise((resolve) => (this.onGreeted = resolve));
    this.panels = new Map();
    this.next = 0;
    this.listeners = { event: new Set(), lang: new Set() };
    this.allowedCommands = null;
    this.lessonReset = null; // set by the lesson panel while a lesson is open
    this.lessonNewTerminal = null; // likewise: opens a terminal of the lesson's
    this.spare = null; // the first terminal, laid out early (layOutFirst)
    this.$ = (id) => doc.getElementById(id);
  }

  // has reports whether the simulator serves proto.
  has(proto) {
    return typeof proto === 'string' && Object.hasOwn(this.sim.machines, proto);
  }

  // protocolList is what the page offers: each protocol's name, title and
  // usual port, in the registry's order.
  protocolList() {
    return this.protocols.map((name) => {
      const m = this.sim.machines[name];
      return { name, title: m.title || name.toUpperCase(), port: m.port || 0 };
    });
  }

  // fillProtocols puts the protocols into the menu, each as its title and
  // usual port, "POP3 (110)".
  fillProtocols() {
    const sel = this.$('proto');
    sel.replaceChildren(...this.protocolList().map((p) => new Option(p.port ? i18n.t('proto.option', p.title, p.port) : p.title, p.name)));
    sel.value = this.proto;
  }

  start() {
    const $ = this.$;
    this.fillProtocols();
    $('proto').addEventListener('change', (e) => this.setProto(e.target.value));
    $('lang').value = this.lang;
    $('lang').addEventListener('change', (e) => this.setLang(e.target.value));
    // In a lesson the tools the lesson does not need are folded away.
    $('tools').addEventListener('click', () => {
      const open = $('tools').getAttribute('aria-expanded') !== 'true';
      $('tools').setAttribute('aria-expanded', String(open));
    });
    // In a lesson a new terminal is the lesson's too: named, and its
    // commands count for the lesson's goals.
    $('new-term').addEventListener('click', () => {
      const n = this.lessonNewTerminal ? this.lessonNewTerminal() : this.openTerminal(this.proto);
      if (n !== undefined && this.panels.has(n)) this.panels.get(n).focus();
    });
    $('deliver').addEventListener('click', () => this.deliver());
    $('reset').addEventListener('click', () => $('reset-dialog').showModal());
    $('reset-dialog').addEventListener('close', () => {
      if ($('reset-dialog').returnValue !== 'reset') return;
      // In a lesson, reset means the lesson's own mailboxes, afresh.
      if (this.lessonReset) this.lessonReset();
      else this.reset(null);
    });
    this.sim.setLang(this.lang);
    this.fillUsers();
    this.status('status.ready');
    this.showKeeping();
    if (this.wanted && this.wanted !== this.proto) this.status('proto.unknown', this.wanted);
    // A page opening a lesson leaves the terminals to the lesson, rather
    // than open one it would close at once (main.js opens one if the
    // lesson does not).
    if (this.doc.documentElement.dataset.lesson !== undefined) return;
    this.openTerminal(this.proto);
    this.panels.values().next().value?.focus();
  }

  // showKeeping says whether the mailboxes outlive the page, for as long
  // as it lasts.
  showKeeping() {
    const keeping = this.sim.keptElsewhere ? 'keep.elsewhere' : this.sim.persistent ? null : 'keep.none';
    const el = this.$('keeping');
    if (keeping) {
      el.dataset.i18n = keeping;
      el.textContent = i18n.t(keeping);
    }
    el.hidden = !keeping;
  }

  // upgraded: the full simulator serves, with every protocol.
  upgraded() {
    this.showKeeping();
    if (this.$('status').dataset.key === 'status.first') this.status('status.ready');
    this.protocols = Object.keys(this.sim.machines);
    this.fillProtocols();
    if (this.wanted && !this.has(this.wanted)) this.status('proto.unknown', this.wanted);
  }

  // layOutFirst lays out the terminal a lesson will open first, of proto
  // and with options, before the lesson has loaded: its panel, diagram
  // and xterm are drawn while the simulator loads the lesson, and
  // openTerminal adopts it then, to open its session. Lines typed
  // meanwhile are held till then.
  layOutFirst(proto, options) {
    if (this.next > 0 || this.spare || !this.has(proto)) return;
    this.spare = new TerminalPanel(this, 1, proto, options);
    this.spare.held = [];
    this.spare.place(this.$('terminals'));
    this.$('terminals').dataset.count = '1';
  }

  // dropSpare drops the terminal laid out early if no terminal took it
  // (a lesson that did not open).
  dropSpare() {
    this.spare?.dispose();
    this.spare = null;
  }

  // ensureTerminal opens a terminal when none is open.
  ensureTerminal() {
    if (this.panels.size > 0) return;
    this.openTerminal(this.proto);
    this.panels.values().next().value?.focus();
  }

  status(key, ...args) {
    this.$('status').textContent = i18n.t(key, ...args);
    this.$('status').dataset.key = key;
  }

  fillUsers() {
    const sel = this.$('deliver-user');
    const keep = sel.value;
    sel.replaceChildren(...this.sim.users().map((u) => new Option(u, u)));
    sel.value = keep || 'melanie';
    if (!sel.value && sel.options.length) sel.selectedIndex = 0;
  }

  listen(kind, fn) {
    this.listeners[kind].add(fn);
    return () => this.listeners[kind].delete(fn);
  }

  emit(panel, event) {
    for (const fn of this.listeners.event) {
      try {
        fn({ terminal: panel.n, session: event.session, event });
      } catch (err) {
        console.error(err);
      }
    }
  }

  // sawOutput records the timings the measurement test reads.
  sawOutput() {
    const now = performance.now();
    if (this.timings.greeting == null) {
      this.timings.greeting = now;
      this.onGreeted();
    }
    if (this.timings.keydown != null) {
      this.timings.responses.push(now - this.timings.keydown);
      this.timings.keydown = null;
    }
  }

  openTerminal(proto, opts = {}) {
    if (!this.has(proto)) {
      this.status('proto.unknown', proto);
      throw new Error(i18n.t('proto.unknown', proto));
    }
    const n = ++this.next;
    const spare = this.spare;
    this.spare = null;
    const panel = spare?.adopt(n, proto, opts) ? spare : new TerminalPanel(this, n, proto, opts);
    this.panels.set(n, panel);
    panel.mount(this.$('terminals'));
    this.layout();
    return n;
  }

  panel(n) {
    const p = this.panels.get(Number(n));
    if (!p) throw new Error(`no terminal ${n}`);
    return p;
  }

  closeTerminal(n) {
    if (this.spare?.n === Number(n) && !this.panels.has(Number(n))) {
      this.dropSpare();
      return;
    }
    this.panel(n).dispose();
    this.panels.delete(Number(n));
    this.layout();
    const first = this.panels.values().next().value;
    (first || this.$('new-term')).focus();
  }

  terminalList() {
    return [...this.panels.values()].map((p) => ({ terminal: p.n, proto: p.proto, session: p.session, state: p.state }));
  }

  layout() {
    this.$('terminals').dataset.count = String(this.panels.size);
  }

  // showProtocol makes proto the toolbar's protocol (a lesson's), as the
  // terminals already open speak it, without opening another.
  showProtocol(proto) {
    if (!this.has(proto)) return;
    this.proto = proto;
    this.$('proto').value = proto;
  }

  setProto(proto) {
    if (proto === this.proto) return;
    if (!this.has(proto)) {
      // Keep the terminals that work rather than close them for nothing.
      this.$('proto').value = this.proto;
      this.status('proto.unknown', proto);
      return;
    }
    this.proto = proto;
    const url = new URL(location.href);
    url.searchParams.set('proto', proto);
    history.replaceState(null, '', url);
    // The terminals already open stay: a learner sends a message in an
    // SMTP terminal and fetches it in the POP3 or IMAP one beside it.
    // "New terminal" opens more of the chosen protocol.
    this.panels.get(this.openTerminal(proto)).focus();
  }

  // setLang shows the page in code at once; the simulator's texts in it
  // are fetched the first time, and the listeners (the lesson panel) hear
  // of it once the simulator has them.
  async setLang(code) {
    const lang = i18n.setLang(code);
    this.lang = lang;
    try {
      localStorage.setItem('maillab.lang', this.lang);
    } catch {
      // storage may be off; the choice then lasts for this page
    }
    this.doc.documentElement.lang = this.lang;
    this.$('lang').value = this.lang;
    i18n.translate(this.doc);
    this.doc.title = i18n.t('page.title');
    this.fillProtocols();
    for (const p of this.panels.values()) p.translate();
    try {
      await this.sim.setLang(lang);
    } catch (err) {
      this.$('status').textContent = String(err.message || err);
      return;
    }
    if (this.lang !== lang) return; // another was picked meanwhile
    this.status('lang.note');
    for (const fn of this.listeners.lang) fn(lang);
  }

  setAllowedCommands(list) {
    this.allowedCommands = list ? new Set(list.map((c) => c.toUpperCase())) : null;
    for (const p of this.panels.values()) p.renderCommands();
  }

  // flush resolves once every change made so far is kept in IndexedDB.
  flush() {
    return this.sim.flush();
  }

  async deliver() {
    const user = this.$('deliver-user').value;
    try {
      const uid = await this.sim.deliver(user);
      this.status('deliver.done', uid, user);
    } catch (err) {
      this.$('status').textContent = String(err.message || err);
    }
  }

  // reset drops every connection, reloads the mailboxes and connects each
  // terminal again.
  async reset(fixture) {
    const btn = this.$('reset');
    btn.disabled = true;
    this.resetting = true; // the terminals say they connect again by themselves
    try {
      await this.sim.reset(fixture);
      this.resetting = false;
      this.fillUsers();
      for (const p of this.panels.values()) p.connect();
      this.status('reset.done');
    } catch (err) {
      this.$('status').textContent = String(err.message || err);
      throw err;
    } finally {
      this.resetting = false;
      btn.disabled = false;
    }
  }
}
