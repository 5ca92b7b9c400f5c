// The journey view: a lesson's mail path, drawn from its events
// (maillabJourney, wasm/journey_js.go). The hosts stand as boxes in the
// order the lecture gives (MUA, MSA, the MX hosts by priority, LDA,
// mailbox, the reading client); the message moves along them one event
// at a time; each hop opens its session's transcript, read-only. Beside
// it the envelope of each hop and the header the LDA was given; a
// dig-like DNS panel; the queue with its retry times and the lab clock's
// step and speed; and fault rules, off until the learner adds one.
//
// Nothing a session sent reaches the DOM but through textContent, with
// control characters in caret notation (caret.js).

import * as i18n from '../i18n.js';
import texts from 'catalog:journey';
import { printable } from '../caret.js';
import { readEnvelope, headerLines, recipientDomain, route } from './model.js';

const POLL_MS = 400;
const REVEAL_MS = 500;
const FAULT_VERBS = ['CONNECT', 'EHLO', 'LHLO', 'MAIL', 'RCPT', 'DATA', '.', 'RSET', 'QUIT'];
const STEPS = [300, 3600, 4 * 3600, 24 * 3600];
const SPEEDS = [0, 1, 60, 3600];

// t is the view's text for key (texts/<lang>/journey.json).
const t = (key, ...args) => i18n.format(i18n.lookup(texts, i18n.lang(), key), args);
const ROLE = { mua: 'roleMua', msa: 'roleMsa', mx: 'roleMx', lda: 'roleLda', mailbox: 'roleMailbox', client: 'roleClient' };
const STATUS = { done: 'statusDone', active: 'statusActive', down: 'statusDown', failed: 'statusFailed' };
const DURATION = { 300: 'durFive', 3600: 'durHour', 14400: 'durFourHours', 86400: 'durDay' };
const QUEUE_COLUMNS = [['id', 'queueId'], ['rcpts', 'queueRcpts'], ['attempts', 'queueAttempts'], ['next', 'queueNext'], ['reason', 'queueReason']];

// h builds an element; strings among children become text nodes, never markup.
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c != null) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

// value unwraps a {value} or {error} answer of maillabJourney.
function value(r) {
  if (r && r.error) throw new Error(r.error);
  return r && r.value !== undefined ? JSON.parse(r.value) : null;
}

export class JourneyView {
  constructor(root, lab) {
    this.root = root;
    this.lab = lab;
    this.reset(0);
    this.dig = { name: '', type: 'MX', out: '' };
    this.fault = { host: '', command: 'RCPT', reply: '452 4.2.2 Mailbox full', times: 1 };
    this.error = '';
    this.read = false;
    lab.onEvent(({ event }) => this.sawClient(event));
    lab.onLangChange?.(() => this.render());
  }

  reset(gen) {
    this.gen = gen;
    this.events = []; // every event of this path, in order
    this.shown = 0; // how many of them the picture shows
    this.state = null;
    this.queue = null; // the queue ID of the message drawn; null: the latest
    this.hops = new Map(); // hop id -> transcript
    this.open = null; // the hop whose transcript is open
    this.read = false;
  }

  api() {
    return globalThis.maillabJourney;
  }

  start() {
    // Where the view stands: beside the terminal on a laptop's screen
    // (docked into a terminal's side column, behind a tab of its own),
    // below the terminals on a narrow one.
    this.home = this.root.parentElement;
    this.wide = matchMedia('(min-width: 1000px)');
    this.wide.addEventListener('change', () => this.dock());
    new MutationObserver(() => this.dock()).observe(document.getElementById('terminals'), { childList: true });
    document.addEventListener('sidechoice', (e) => {
      const term = e.target.closest?.('[data-terminal]');
      if (!term || this.root.hidden || !this.wide.matches) return;
      if (e.detail === 'journey') this.dock(term);
      else if (term === this.owner) this.choice = 'explain';
    });
    this.poll();
    setInterval(() => this.poll(), POLL_MS);
    setInterval(() => this.reveal(), REVEAL_MS);
  }

  // dock puts the view where it belongs: into the side column of the
  // terminal the learner chose it in (to, else the one that had it, else
  // the first), its tab chosen unless the learner went back to the
  // explain pane; or, on a narrow screen or without a mail path, back
  // below the terminals, every terminal's side column its explain pane.
  dock(to) {
    const terms = [...document.querySelectorAll('#terminals > [data-terminal]')];
    const side = (el, which) => el.dispatchEvent(new CustomEvent('side', { detail: which }));
    const shown = !this.root.hidden;
    document.documentElement.toggleAttribute('data-journey', shown);
    if (!shown || !this.wide.matches || terms.length === 0) {
      for (const el of terms) side(el, null);
      if (this.root.parentElement !== this.home) this.home.append(this.root);
      this.owner = null;
      return;
    }
    if (to) this.choice = 'journey';
    const owner = to || (terms.includes(this.owner) ? this.owner : terms[0]);
    for (const el of terms) if (el !== owner) side(el, 'explain');
    const slot = owner.querySelector('.side-journey');
    if (this.root.parentElement !== slot) slot.append(this.root);
    this.owner = owner;
    side(owner, this.choice === 'explain' && !to ? 'explain' : 'journey');
  }

  // poll asks the simulator what happened on the mail path since it
  // last asked (one question at a time) and draws it.
  async poll() {
    if (this.polling) return this.polling;
    this.polling = this.pollOnce().finally(() => (this.polling = null));
    return this.polling;
  }

  async pollOnce() {
    const api = this.api();
    let st = null;
    try {
      const last = this.events.length ? this.events[this.events.length - 1].seq : 0;
      st = api ? value(await api.state(last, this.lab.lang)) : null;
    } catch {
      st = null;
    }
    if (!st) {
      if (!this.root.hidden) {
        this.root.hidden = true;
        this.root.replaceChildren();
        this.reset(0);
        this.choice = null;
        this.dock();
      }
      return;
    }
    if (st.gen !== this.gen) {
      this.reset(st.gen);
      this.dig.name = recipientDomain(st, []) || '';
      this.runDig();
    }
    for (const k of ['events', 'queue', 'faults', 'hosts', 'domains']) st[k] ||= [];
    const fresh = st.events.length > 0;
    this.events.push(...st.events);
    const changed = fresh || JSON.stringify(this.state?.queue) !== JSON.stringify(st.queue) || this.state?.speed !== st.speed || JSON.stringify(this.state?.faults) !== JSON.stringify(st.faults);
    this.state = st;
    if (st.speed > 0) api.tick().catch(() => {});
    if (this.root.hidden) {
      this.root.hidden = false;
      this.render();
      this.dock();
    } else if (changed) this.render();
    else this.renderClock();
  }

  // reveal moves the picture on by one event, so the message is seen
  // going from hop to hop.
  reveal() {
    if (this.shown >= this.events.length) return;
    this.shown++;
    this.render();
  }

  // sawClient notes a reading client fetching a message from the
  // recipient's mailbox (the last box of the journey).
  sawClient(ev) {
    if (!this.state || this.read) return;
    if (ev.kind === 'client' && ((ev.proto === 'pop3' && ev.command === 'RETR') || (ev.proto === 'imap' && /FETCH$/.test(ev.command || '')))) {
      this.read = true;
      this.render();
    }
  }

  // shownEvents are the events of the message drawn, as far as shown.
  message() {
    const shown = this.events.slice(0, this.shown);
    const ids = [...new Set(shown.filter((e) => e.kind === 'submitted').map((e) => e.queue))];
    const queue = this.queue && ids.includes(this.queue) ? this.queue : ids[ids.length - 1] || null;
    return { ids, queue, events: shown.filter((e) => e.queue === queue) };
  }

  // transcript is a hop's transcript, asked of the simulator the first
  // time and drawn once it comes.
  transcript(id) {
    if (!this.hops.has(id)) {
      const hops = this.hops;
      hops.set(id, { lines: [] });
      this.api().hop(id).then(value).then(
        (tr) => hops.set(id, tr),
        (err) => hops.set(id, { error: err.message || String(err), lines: [] }),
      ).then(() => this.render());
    }
    return this.hops.get(id);
  }

  // runDig shows what dig(1) answers for the name and type asked.
  async runDig() {
    let out;
    try {
      out = value(await this.api().dig(this.dig.name, this.dig.type)) || '';
    } catch (err) {
      out = err.message || String(err);
    }
    this.dig.out = out;
    this.render();
  }

  // --- drawing --------------------------------------------------------

  render() {
    const st = this.state;
    if (!st) return;
    const focus = document.activeElement && this.root.contains(document.activeElement) ? document.activeElement.dataset.focus : null;
    const msg = this.message();
    const hopsShown = this.events.slice(0, this.shown).filter((e) => e.kind === 'hop').length;
    this.root.setAttribute('aria-label', t('title'));
    this.root.dataset.shown = String(this.shown);
    this.root.dataset.hops = String(hopsShown);
    const parts = [
      h('div', { class: 'jr-head' },
        h('h2', { text: t('title') }),
        this.messagePicker(msg),
        h('span', { class: 'jr-clock', role: 'status', text: this.clockText() })),
      h('div', { class: 'jr-grid' },
        this.pathView(st, msg),
        h('div', { class: 'jr-side' }, this.transcriptView(), this.envelopeView(msg))),
      h('div', { class: 'jr-grid jr-tools' }, this.digView(), this.queueView(st)),
      this.faultView(st),
      this.error ? h('p', { class: 'jr-error', role: 'alert', text: this.error }) : null];
    this.root.replaceChildren(...parts.filter(Boolean));
    // The steps scroll in a box of their own beside a terminal: the
    // newest in sight.
    const steps = this.root.querySelector('.jr-steps');
    steps.scrollTop = steps.scrollHeight;
    if (focus) this.root.querySelector(`[data-focus="${CSS.escape(focus)}"]`)?.focus();
  }

  clockText() {
    const st = this.state;
    const at = new Date(st.now).toISOString().replace('T', ' ').slice(0, 19);
    return st.speed > 0 ? t('clockRunning', at, st.speed) : t('clockStopped', at);
  }

  renderClock() {
    const c = this.root.querySelector('.jr-clock');
    if (c && this.state) c.textContent = this.clockText();
  }

  messagePicker(msg) {
    if (msg.ids.length < 2) return null;
    return h('label', {}, t('message') + ' ',
      h('select', { 'data-focus': 'message', onchange: (e) => { this.queue = e.target.value; this.render(); } },
        msg.ids.map((id) => h('option', { value: id, selected: id === msg.queue, text: id }))));
  }

  // pathView draws the hosts as boxes in the order of the journey, each
  // marked by what the shown events say of it, and the steps so far.
  pathView(st, msg) {
    const boxes = route(st, msg.events, this.read);
    const list = h('ol', { class: 'jr-path', 'aria-label': t('path') });
    for (const b of boxes) {
      list.append(h('li', { class: `jr-host ${b.status}`, 'data-host': b.name, 'data-role': b.role },
        h('span', { class: 'jr-role', text: t(ROLE[b.role], b.priority ?? '') }),
        h('span', { class: 'jr-name', text: printable(b.name) }),
        b.status !== 'idle' ? h('span', { class: 'jr-status', text: t(STATUS[b.status]) }) : null));
    }
    const steps = h('ol', { class: 'jr-steps', 'aria-label': t('steps'), 'aria-live': 'polite', tabindex: '0' });
    for (const e of msg.events) {
      const item = h('li', { class: `jr-step jr-kind-${e.kind}` }, h('span', { text: printable(e.explain || e.kind) }));
      if (e.kind === 'hop') {
        item.append(' ', h('button', {
          type: 'button', class: 'jr-hop', 'data-hop': e.hop, 'data-focus': `hop-${e.hop}`, 'aria-pressed': String(this.open === e.hop),
          text: t('hopOpen', e.hop, e.proto.toUpperCase(), printable(e.host), printable(e.peer)),
          onclick: () => {
            this.open = this.open === e.hop ? null : e.hop;
            this.render();
            this.root.querySelector('.jr-transcript')?.scrollIntoView({ block: 'nearest' });
          },
        }));
      }
      steps.append(item);
    }
    if (!msg.events.length) steps.append(h('li', { class: 'jr-step', text: t('empty') }));
    return h('div', { class: 'jr-main' }, list, steps);
  }

  transcriptView() {
    if (this.open == null) return null;
    const tr = this.transcript(this.open);
    const pre = h('pre', { class: 'jr-transcript', tabindex: '0', 'aria-label': t('transcript', this.open) });
    for (const l of tr.lines || []) {
      pre.append(h('span', { class: l.dir === 'c' ? 'jr-c' : 'jr-s', text: (l.dir === 'c' ? 'C: ' : 'S: ') + printable(l.line) }), '\n');
    }
    if (tr.error) pre.append(tr.error);
    return h('section', { class: 'jr-box' },
      h('h3', { text: t('transcript', this.open) + (tr.server ? ` — ${printable(tr.client)} → ${printable(tr.server)}` : '') }),
      h('p', { class: 'jr-note', text: t('readonly') }), pre);
  }

  // envelopeView sets the envelope of each hop beside the header, so the
  // two can be told apart.
  envelopeView(msg) {
    const env = h('div', { class: 'jr-col' }, h('h3', { text: t('envelope') }));
    const sub = msg.events.find((e) => e.kind === 'submitted');
    if (sub) {
      env.append(h('p', { class: 'jr-env' }, h('strong', { text: printable(sub.host) }), h('code', { text: `MAIL FROM:${printable(sub.from)}` }),
        ...(sub.rcpts || []).map((r) => h('code', { text: `RCPT TO:<${printable(r)}>` }))));
    }
    for (const e of msg.events.filter((e) => e.kind === 'hop')) {
      const tr = this.transcript(e.hop);
      const lines = readEnvelope(tr.lines || []);
      env.append(h('p', { class: 'jr-env' }, h('strong', { text: `${printable(e.host)} → ${printable(e.peer)}` }),
        ...lines.map((l) => h('code', { text: printable(l) }))));
    }
    const delivered = [...msg.events].reverse().find((e) => e.kind === 'delivered' && e.header);
    const header = delivered?.header ?? sub?.header ?? '';
    const hdr = h('div', { class: 'jr-col' }, h('h3', { text: t(delivered ? 'headerLda' : 'headerMsa') }));
    // It scrolls, so it takes the keyboard's focus to scroll it by keys.
    const pre = h('pre', { class: 'jr-header', tabindex: '0', 'aria-label': t(delivered ? 'headerLda' : 'headerMsa') });
    for (const l of headerLines(header)) pre.append(h('span', { class: /^received:/i.test(l) ? 'jr-received' : '', text: printable(l) }), '\n');
    hdr.append(pre);
    return h('section', { class: 'jr-box jr-envhdr' }, env, hdr);
  }

  digView() {
    const form = h('form', {
      class: 'jr-dig-form',
      onsubmit: (e) => {
        e.preventDefault();
        this.runDig();
      },
    },
    h('label', {}, t('digName') + ' ',
      h('input', { type: 'text', 'data-focus': 'dig-name', value: this.dig.name, maxlength: '253', spellcheck: 'false', autocapitalize: 'off',
        oninput: (e) => { this.dig.name = e.target.value; } })),
    h('select', { 'data-focus': 'dig-type', 'aria-label': t('digType'), onchange: (e) => { this.dig.type = e.target.value; } },
      ['MX', 'A', 'PTR'].map((q) => h('option', { value: q, selected: q === this.dig.type, text: q }))),
    h('button', { type: 'submit', 'data-focus': 'dig-go', text: t('digRun') }));
    return h('section', { class: 'jr-box jr-dig' }, h('h3', { text: t('digTitle') }), form,
      h('pre', { class: 'jr-dig-out', tabindex: '0', 'aria-label': t('digTitle'), text: printable(this.dig.out).replace(/\^I/g, '\t').replace(/\^J/g, '\n') }));
  }

  queueView(st) {
    const rows = st.queue.map((q) => h('tr', {},
      h('td', { text: q.id }),
      h('td', { text: printable((q.rcpts || []).join(', ')) }),
      h('td', { text: String(q.attempts) }),
      h('td', { text: q.next && !q.next.startsWith('0001') ? new Date(q.next).toISOString().replace('T', ' ').slice(0, 19) : '…' }),
      h('td', { text: printable(q.reason || '') })));
    const table = rows.length
      ? h('table', { class: 'jr-queue' },
        h('thead', {}, h('tr', {}, QUEUE_COLUMNS.map(([, k]) => h('th', { scope: 'col', text: t(k) })))),
        h('tbody', {}, rows))
      : h('p', { class: 'jr-note', text: t('queueEmpty') });
    const steps = h('div', { class: 'jr-buttons' }, STEPS.map((s) => h('button', {
      type: 'button', 'data-step': s, 'data-focus': `step-${s}`, text: t('step', t(DURATION[s])),
      onclick: () => this.step(s),
    })));
    const speed = h('label', {}, t('speed') + ' ',
      h('select', { 'data-focus': 'speed', onchange: (e) => this.setSpeed(Number(e.target.value)) },
        SPEEDS.map((x) => h('option', { value: x, selected: x === st.speed, text: x ? `×${x}` : t('speedStopped') }))));
    return h('section', { class: 'jr-box jr-queue-box' }, h('h3', { text: t('queueTitle') }), table, steps, speed);
  }

  faultView(st) {
    const hosts = [...new Set([...st.hosts.map((x) => x.name), ...st.domains.flatMap((d) => (d.mx || []).map((m) => m.host))])];
    if (!this.fault.host) this.fault.host = hosts[0] || '';
    const f = this.fault;
    const form = h('form', {
      class: 'jr-fault-form',
      onsubmit: (e) => {
        e.preventDefault();
        this.call(() => this.api().addFault(JSON.stringify({ host: f.host, command: f.command, reply: f.reply, times: Number(f.times) || 0 })));
      },
    },
    h('label', {}, t('faultHost') + ' ', h('select', { 'data-focus': 'fault-host', onchange: (e) => { f.host = e.target.value; } },
      hosts.map((x) => h('option', { value: x, selected: x === f.host, text: x })))),
    h('label', {}, t('faultCommand') + ' ', h('select', { 'data-focus': 'fault-command', onchange: (e) => { f.command = e.target.value; } },
      FAULT_VERBS.map((v) => h('option', { value: v, selected: v === f.command, text: v === 'CONNECT' ? t('faultGreeting') : v === '.' ? t('faultDot') : v })))),
    h('label', {}, t('faultReply') + ' ', h('input', { type: 'text', 'data-focus': 'fault-reply', value: f.reply, maxlength: '200', spellcheck: 'false', oninput: (e) => { f.reply = e.target.value; } })),
    h('label', {}, t('faultTimes') + ' ', h('input', { type: 'number', 'data-focus': 'fault-times', min: '1', max: '100', value: f.times, oninput: (e) => { f.times = e.target.value; } })),
    h('button', { type: 'submit', 'data-focus': 'fault-add', text: t('faultAdd') }));
    const rules = st.faults.length
      ? h('ul', { class: 'jr-faults' }, st.faults.map((r) => h('li', { text: t('faultRule', printable(r.host), r.command, printable(r.reply), r.times || t('faultAlways')) })))
      : h('p', { class: 'jr-note', text: t('faultNone') });
    const clear = st.faults.length ? h('button', { type: 'button', 'data-focus': 'fault-clear', text: t('faultClear'), onclick: () => this.call(() => this.api().clearFaults()) }) : null;
    return h('details', { class: 'jr-box jr-fault', open: this.faultOpen || null, ontoggle: (e) => { this.faultOpen = e.target.open; } },
      h('summary', { text: t('faultTitle') }), h('p', { class: 'jr-note', text: t('faultAbout') }), form, rules, clear);
  }

  // --- controls -------------------------------------------------------

  // call asks the simulator to do something, then draws what it did.
  async call(fn) {
    try {
      value(await fn());
      this.error = '';
    } catch (err) {
      this.error = err.message || String(err);
    }
    await this.poll();
    this.render();
  }

  async step(seconds) {
    try {
      await this.api().step(seconds);
      this.error = '';
    } catch (err) {
      this.error = err.message || String(err);
    }
    await this.poll();
    this.render();
  }

  setSpeed(x) {
    this.call(() => this.api().speed(x));
  }
}

// initJourney shows the journey view whenever the open lesson has a mail path.
export async function initJourney(lab) {
  await lab.ready;
  const root = document.getElementById('journey');
  if (!root) return null;
  const view = new JourneyView(root, lab);
  view.start();
  globalThis.journeyView = view;
  return view;
}
