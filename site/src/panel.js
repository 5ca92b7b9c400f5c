// TerminalPanel is one terminal with everything that reads its session's
// event stream: the transcript (role="log"), the state diagram, the
// commands allowed now, the explain pane and the raw byte view. All of it
// is scoped in an element with data-terminal="N".

import { nextTask } from './paint.js';
import { TelnetTerminal } from './terminal.js';
import { Diagram } from './diagram.js';
import { RawView } from './raw.js';
import { Follower } from './follow.js';
import { t } from './i18n.js';
import { printable } from './caret.js';

const MAX_LOG = 3000;
const MAX_EXPLAIN = 12; // items in the explain pane
const MAX_RESPONSE = 1 << 20; // bytes of one answer kept to find a message in it
// An IMAP literal that holds a whole message or its header.
const MESSAGE_LITERAL = /(?:BODY(?:\.PEEK)?\[(?:HEADER)?\]|RFC822(?:\.HEADER)?)(?:<\d+>)? \{(\d+)\}\r\n/g;
const encoder = new TextEncoder();

// Commands that take no argument are inserted as they are; the others get
// a trailing space for the argument.
const NO_ARGS = new Set([
  'STAT', 'NOOP', 'RSET', 'QUIT', 'CAPA', 'STLS', 'LIST', 'UIDL',
  'CAPABILITY', 'LOGOUT', 'STARTTLS', 'CHECK', 'CLOSE', 'EXPUNGE', 'IDLE', 'UNSELECT', 'NAMESPACE',
]);

function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null) continue;
    if (k === 'text') e.textContent = printable(v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, printable(v));
  }
  e.append(...children.map((c) => (typeof c === 'string' ? printable(c) : c)));
  return e;
}

// latin1 maps bytes one to one onto characters, to search an answer's
// bytes with regular expressions.
function latin1(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
  return s;
}

export class TerminalPanel {
  // app gives the simulator, the lesson restrictions and the event fan-out.
  constructor(app, n, proto, options = {}) {
    this.app = app;
    this.n = n;
    this.proto = proto;
    this.options = options;
    // The machine as the registry declares it: its states and commands,
    // and the protocol's title, port, tags and dot-stuffing.
    this.machine = app.sim.machines[proto];
    this.title = this.machine.title || proto.toUpperCase();
    this.session = null;
    this.state = '';
    this.tagCount = 0;
    this.gen = 0;
    this.build();
  }

  build() {
    const n = this.n;
    const id = (s) => `term-${n}-${s}`;
    this.titleEl = h('h2', { id: id('title') });
    this.stateEl = h('span', { class: 'state-badge', 'aria-live': 'off' });
    this.closeBtn = h('button', { type: 'button', class: 'close', onclick: () => this.app.closeTerminal(n) }, '×');
    this.screen = h('div', { class: 'screen' });
    this.diagramBox = h('figure', { class: 'diagram-box' });
    this.diagramCaption = h('figcaption');
    this.commandsTitle = h('h3');
    this.commandsHint = h('p', { class: 'hint' });
    this.commandsList = h('ul', { class: 'commands' });
    this.explainTitle = h('h3');
    // One item per response line explained since the learner's last line
    // (a SELECT explains each untagged line and the tagged OK).
    // It scrolls, so it takes the keyboard's focus to scroll it by keys.
    this.explainList = h('div', { class: 'explain-list', tabindex: '0', role: 'region' });
    this.explainMore = h('p', { class: 'explain-more' }); // "… n more", in the list when needed
    this.explainAllowed = h('p', { class: 'explain-allowed' });
    this.logTab = h('button', { type: 'button', role: 'tab', id: id('log-tab'), 'aria-controls': id('log-panel'), 'aria-selected': 'true' });
    this.rawTab = h('button', { type: 'button', role: 'tab', id: id('raw-tab'), 'aria-controls': id('raw-panel'), 'aria-selected': 'false', tabindex: '-1' });
    this.log = h('div', { role: 'log', class: 'log', tabindex: '0' });
    this.rawEl = h('div', { class: 'raw', tabindex: '0' });
    this.logPanel = h('div', { role: 'tabpanel', id: id('log-panel'), 'aria-labelledby': id('log-tab') }, this.log);
    this.rawPanel = h('div', { role: 'tabpanel', id: id('raw-panel'), 'aria-labelledby': id('raw-tab'), hidden: '' }, this.rawEl);
    const tablist = h('div', { role: 'tablist', class: 'tabs', onkeydown: (e) => this.tabKeys(e) }, this.logTab, this.rawTab);
    this.explainTab = h('button', { type: 'button', role: 'tab', id: id('explain-tab'), 'aria-controls': id('explain-panel'), 'aria-selected': 'true' });
    this.journeyTab = h('button', { type: 'button', role: 'tab', id: id('journey-tab'), 'aria-controls': id('journey-panel'), 'aria-selected': 'false', tabindex: '-1' });
    this.sideTabs = h('div', { role: 'tablist', class: 'tabs side-tabs', hidden: '', onkeydown: (e) => {
      if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
      this.chooseSide(this.journeyTab.getAttribute('aria-selected') === 'true' ? 'explain' : 'journey', true);
      e.preventDefault();
    } }, this.explainTab, this.journeyTab);
    this.journeySlot = h('div', { class: 'side-journey', role: 'tabpanel', id: id('journey-panel'), 'aria-labelledby': id('journey-tab'), hidden: '' });
    this.explainTab.addEventListener('click', () => this.chooseSide('explain', true));
    this.journeyTab.addEventListener('click', () => this.chooseSide('journey', true));
    this.logTab.addEventListener('click', () => this.showTab('log'));
    this.rawTab.addEventListener('click', () => this.showTab('raw'));

    this.el = h('section', { class: 'terminal', 'data-terminal': String(n), 'data-proto': this.proto, 'aria-labelledby': id('title') },
      h('header', { class: 'terminal-head' }, this.titleEl, this.stateEl, this.closeBtn),
      h('div', { class: 'terminal-body' },
        h('div', { class: 'main-col' }, this.screen, tablist, this.logPanel, this.rawPanel),
        h('div', { class: 'side-col' },
          this.sideTabs,
          h('div', { class: 'side-explain', role: 'tabpanel', id: id('explain-panel'), 'aria-labelledby': id('explain-tab') },
            this.diagramBox,
            h('div', { class: 'commands-box' }, this.commandsTitle, this.commandsHint, this.commandsList),
            h('div', { class: 'explain', tabindex: '-1' }, this.explainTitle, this.explainList, this.explainAllowed)),
          this.journeySlot)));
    // A lesson with a mail path shows its journey view beside the
    // terminal on a laptop's screen (journey/journey.js docks it here),
    // the explain pane one click away on a tab of its own.
    this.el.addEventListener('side', (e) => this.showSide(e.detail));

    this.diagram = new Diagram(this.machine, `t${n}`, { lang: this.app.lang });
    this.legend = h('details', { class: 'diagram-legend' }, h('summary'), h('dl'));
    this.diagramBox.append(this.diagramCaption, this.diagram.svg, this.legend);
    // A click or tap on a number opens the legend at its meaning.
    this.diagram.svg.addEventListener('click', (e) => {
      const id = e.target.closest?.('.edge')?.dataset.transition;
      const item = id && this.legend.querySelector(`dt[data-transition="${CSS.escape(id)}"]`);
      if (!item) return;
      this.legend.open = true;
      for (const x of this.legend.querySelectorAll('[data-lit]')) delete x.dataset.lit;
      item.dataset.lit = 'true';
      item.nextElementSibling.dataset.lit = 'true';
    });
    // The side column makes room for the whole diagram where it can.
    const { width, height } = this.diagram.svg.viewBox.baseVal;
    this.el.style.setProperty('--diagram-width', `${Math.ceil(width)}px`);
    this.el.style.setProperty('--diagram-ratio', String(width / height));
    this.raw = new RawView(this.rawEl, this.machine.dotStuffed);
    this.logFollower = new Follower(this.log);
  }

  // mount puts the panel into the page, opens its session and draws its
  // terminal. The session is opened first: the simulator, in a thread of
  // its own, greets while the terminal is drawn. The terminal (xterm,
  // which measures its characters in a layout of the page) is drawn in
  // tasks of its own, so that no task holds the page for long; what comes
  // for it meanwhile waits. They follow at once, not after a paint of the
  // empty panel: the greeting came 20 ms sooner on a reload (median of 12
  // to 16 reloads, two runs), and the first paint shows the terminal.
  mount(parent) {
    const early = this.placed;
    if (!early) this.place(parent);
    this.connect();
    if (early) this.translate(); // named as its lesson names it now
    // Lines typed into a panel laid out early go now, as typed ahead.
    const held = this.held || [];
    this.held = null;
    for (const line of held) this.onLine(line);
  }

  // place lays the panel out and draws its terminal, with no session yet:
  // mount opens it, at once or, for a lesson's terminal laid out while the
  // lesson loads (App.layOutFirst), once the lesson opens it.
  place(parent) {
    this.app.timings.laid ??= performance.now();
    this.placed = true;
    parent.append(this.el);
    this.early = [];
    this.screen.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this.app.timings.keydown = e.timeStamp;
    }, true);
    this.translate();
    nextTask().then(() => this.draw());
  }

  // adopt makes a panel laid out early (App.layOutFirst) terminal n, with
  // options, if it is what openTerminal would make: the same number and
  // protocol. Otherwise it is dropped.
  adopt(n, proto, options) {
    if (this.disposed || n !== this.n || proto !== this.proto) {
      this.dispose();
      return false;
    }
    this.options = options;
    return true;
  }

  // draw makes xterm, opens it in the page, fits it to its box and hands
  // it what came for it, each in a task of its own: one task for all of
  // them held a phone's page for a third of a second.
  async draw() {
    if (this.disposed) return;
    const term = new TelnetTerminal(this.screen, { label: t('term.aria', this.n), onLine: (line) => this.onLine(line) });
    for (const step of [() => term.open(), () => term.fit(), null]) {
      await nextTask();
      if (this.disposed) {
        term.dispose();
        return;
      }
      step?.();
    }
    term.setLabel(t('term.aria', this.n)); // the language may have changed meanwhile
    this.term = term;
    this.app.timings.drawn ??= performance.now();
    const early = this.early;
    this.early = null;
    for (const fn of early) fn(term);
  }

  // withTerm calls fn with the terminal, at once or once it is drawn.
  withTerm(fn) {
    if (this.term) fn(this.term);
    else if (this.early) this.early.push(fn);
  }

  focus() {
    this.withTerm((term) => term.focus());
  }

  // say puts a line of the terminal's own on it.
  say(text) {
    this.withTerm((term) => term.notice(text));
  }

  translate() {
    // A lesson's terminal is named as the lesson names it ("main", "phone").
    this.titleEl.textContent = this.options.name
      ? t('term.titleNamed', this.n, this.options.name, this.title, this.machine.port)
      : t('term.title', this.n, this.title, this.machine.port);
    this.closeBtn.setAttribute('aria-label', t('term.close') + ` ${this.n}`);
    this.closeBtn.title = t('term.close');
    this.term?.setLabel(t('term.aria', this.n));
    this.diagramCaption.textContent = t('diagram.title');
    this.diagram.setStartLabel(t('diagram.start'));
    this.diagram.setLang(this.app.lang);
    const legend = this.diagram.legend();
    this.legend.hidden = legend.length === 0;
    this.legend.firstElementChild.textContent = t('diagram.legend');
    this.legend.lastElementChild.replaceChildren(...legend.flatMap(({ id, label }) => [
      h('dt', { 'data-transition': id, text: `(${id})` }), h('dd', { text: label })]));
    this.commandsTitle.textContent = t('commands.title');
    this.commandsHint.textContent = t('commands.hint');
    this.explainTitle.textContent = t('explain.title');
    this.explainList.setAttribute('aria-label', t('explain.title'));
    if (!this.explained) this.clearExplain();
    else if (this.explainSkipped) this.explainMore.textContent = t('explain.more', this.explainSkipped);
    this.explainTab.textContent = t('side.explain');
    this.journeyTab.textContent = t('side.journey');
    this.logTab.textContent = t('log.tab');
    this.rawTab.textContent = t('raw.tab');
    this.log.setAttribute('aria-label', t('log.aria', this.n));
    this.rawEl.setAttribute('aria-label', t('raw.aria', this.n));
    this.updateState(this.state);
  }

  showTab(which) {
    const log = which === 'log';
    this.logTab.setAttribute('aria-selected', String(log));
    this.rawTab.setAttribute('aria-selected', String(!log));
    this.logTab.tabIndex = log ? 0 : -1;
    this.rawTab.tabIndex = log ? -1 : 0;
    this.logPanel.hidden = !log;
    this.rawPanel.hidden = log;
    (log ? this.logFollower : this.raw.follower).added(); // lines added while hidden
    (log ? this.logTab : this.rawTab).focus();
  }

  // chooseSide is the learner's choice of what the side column shows;
  // the journey view hears of it (it docks where it is chosen).
  chooseSide(which, focus) {
    this.showSide(which);
    if (focus) (which === 'journey' ? this.journeyTab : this.explainTab).focus();
    this.el.dispatchEvent(new CustomEvent('sidechoice', { bubbles: true, detail: which }));
  }

  // showSide shows the explain pane ('explain') or the journey view's
  // slot ('journey'); null hides the tabs, leaving the explain pane.
  showSide(which) {
    this.sideTabs.hidden = which == null;
    const journey = which === 'journey';
    this.explainTab.setAttribute('aria-selected', String(!journey));
    this.journeyTab.setAttribute('aria-selected', String(journey));
    this.explainTab.tabIndex = journey ? -1 : 0;
    this.journeyTab.tabIndex = journey ? 0 : -1;
    this.journeySlot.hidden = !journey;
    this.el.querySelector('.side-explain').hidden = journey;
  }

  tabKeys(e) {
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      this.showTab(this.logTab.getAttribute('aria-selected') === 'true' ? 'raw' : 'log');
      e.preventDefault();
    }
  }

  // connect opens a new session, as `telnet localhost 110` would. What
  // the previous session said stays in the transcript, above a separator.
  connect() {
    if (this.log.childElementCount > 0) this.log.append(h('div', { class: 'log-sep', text: t('log.separator') }));
    this.raw.separate(t('log.separator'));
    delete this.el.dataset.closed;
    this.diagram.reset();
    this.tagCount = 0;
    this.greeted = false;
    this.clearExplain();
    this.say(t('term.connecting'));
    try {
      // A connection that ended late (after a reset reconnected) must not
      // touch its successor.
      const gen = ++this.gen;
      this.session = this.app.sim.open(this.proto, { ...this.options, lang: this.app.lang }, {
        output: (b) => gen === this.gen && this.output(b),
        event: (ev) => gen === this.gen && this.event(ev),
        closed: () => gen === this.gen && this.closed(),
        notice: (text) => gen === this.gen && this.say(text),
      });
    } catch (err) {
      this.say(String(err.message || err));
      this.session = null;
      return;
    }
    this.el.dataset.session = this.session;
    delete this.el.dataset.closed;
    this.renderCommands();
  }

  output(bytes) {
    // Telnet prints its own two lines once the connection is up, i.e. just
    // before the greeting.
    if (!this.greeted) {
      this.greeted = true;
      this.say(t('term.connected'));
      this.say(t('term.escape'));
    }
    this.withTerm((term) => {
      term.writeServer(bytes);
      this.app.sawOutput(this);
    });
    this.raw.add('s', bytes);
    this.collect(bytes);
  }

  // collect keeps the bytes of the answer to the learner's last line and
  // decodes each message in it once whole: a POP3 RETR or TOP answer, an
  // IMAP literal of BODY[] or RFC822.
  collect(bytes) {
    if (!this.resp || this.resp.length + bytes.length > MAX_RESPONSE) return;
    const joined = new Uint8Array(this.resp.length + bytes.length);
    joined.set(this.resp);
    joined.set(bytes, this.resp.length);
    this.resp = joined;
    const text = latin1(joined);
    if (this.machine.dotStuffed === 'server') {
      if (this.respDone || !/^(RETR|TOP)$/i.test(this.respCommand) || !text.startsWith('+OK') || !text.endsWith('\r\n.\r\n')) return;
      this.respDone = true;
      const start = text.indexOf('\r\n') + 2;
      const body = text.slice(start, text.length - 3).replace(/^\./gm, ''); // dot-stuffing undone
      this.decodeMessage(Uint8Array.from(body, (c) => c.charCodeAt(0)));
      return;
    }
    for (const m of text.matchAll(MESSAGE_LITERAL)) {
      const from = m.index + m[0].length;
      const n = Number(m[1]);
      if (from <= this.respDecoded || from + n > joined.length) continue;
      this.respDecoded = from;
      this.decodeMessage(joined.subarray(from, from + n));
    }
  }

  // decodeMessage explains a fetched message: its RFC 2047 words and its
  // text, decoded, with the charset and encodings named; the terminal
  // says in which charset the bytes it showed as \xNN are.
  decodeMessage(bytes) {
    this.app.sim.decodeMessage(bytes).then((json) => this.explainDecoded(json), () => {});
  }

  explainDecoded(json) {
    let d;
    try {
      d = JSON.parse(json);
    } catch {
      return;
    }
    const parts = [];
    for (const f of d.fields || []) {
      const how = (f.words || []).map((w) => t('decode.word', w.charset, w.encoding === 'B' ? 'base64' : 'quoted-printable')).join('; ');
      parts.push({ token: `${f.name}: ${f.raw}`, meaning: t('decode.field', f.decoded, how) });
    }
    if (d.type) {
      parts.push({
        token: t('decode.textToken', d.type, d.charset, d.encoding),
        meaning: d.error ? t('decode.unknown', d.charset) : d.text,
        lines: !d.error,
      });
    }
    if (!parts.length) return;
    this.explain({ text: t('decode.title'), parts });
    if (d.nonAscii) this.say(t('term.charset', d.charset || 'us-ascii'));
  }

  closed() {
    this.withTerm((term) => term.closed());
    this.say(t('term.closed'));
    // A reset connects every terminal again by itself; otherwise Enter does.
    this.say(t(this.app.resetting ? 'term.reconnect' : 'term.again'));
    this.session = null;
    this.greeted = false;
    delete this.el.dataset.session;
    // The session is over. Ended in a state that takes no commands (after
    // QUIT: UPDATE, LOGOUT), the diagram keeps it; cut in the middle, it
    // shows no state any more. The badge says so.
    this.el.dataset.closed = 'true';
    if ((this.machine.commands[this.state] || []).length > 0) this.updateState('');
    else this.renderCommands();
    this.stateEl.textContent = this.state ? `${this.diagram.title(this.state)} · ${t('diagram.closed')}` : t('diagram.closed');
  }

  // onLine sends a line the learner typed. Typed while not connected, it
  // connects first (as Enter does) and is sent once connected.
  onLine(line) {
    if (this.held) {
      this.held.push(line);
      return;
    }
    if (!this.session) {
      this.connect();
      if (!this.session || line === '') return;
    }
    const bytes = encoder.encode(line + '\r\n');
    this.app.timings.sent = performance.now();
    try {
      this.app.sim.write(this.session, bytes);
    } catch (err) {
      this.say(String(err.message || err));
    }
    this.raw.add('c', bytes);
  }

  event(ev) {
    switch (ev.kind) {
      case 'client':
        this.logLine('c', ev.line);
        this.resp = new Uint8Array(0);
        this.respCommand = ev.command || '';
        this.respDone = false;
        this.respDecoded = -1;
        if (ev.tag) this.tagCount++;
        this.diagram.showAllowed([]);
        this.explainFresh = true;
        break;
      case 'server':
        this.logLine('s', ev.line);
        break;
      case 'transition':
        this.diagram.take(ev.transition, ev.from, ev.to);
        break;
      case 'explain':
        this.explain(ev);
        break;
    }
    if (ev.state !== undefined && ev.state !== this.state) this.updateState(ev.state);
    this.app.emit(this, ev);
  }

  logLine(dir, text) {
    const div = document.createElement('div');
    div.dataset.dir = dir;
    div.textContent = printable(text);
    this.log.append(div);
    while (this.log.childElementCount > MAX_LOG) this.log.firstElementChild.remove();
    this.logFollower.added();
  }

  // clearExplain empties the explain pane.
  clearExplain() {
    this.explained = false;
    this.explainFresh = false;
    this.explainSkipped = 0;
    this.explainList.replaceChildren(h('p', { class: 'explain-text', text: t('explain.empty') }));
    this.explainAllowed.textContent = '';
  }

  // explain adds what a response means to the pane: the items since the
  // learner's last line stay, the first MAX_EXPLAIN - 1 of them and the
  // latest (a FETCH 1:* explains every message).
  explain(ev) {
    if (!this.explained || this.explainFresh) {
      this.explainList.replaceChildren();
      this.explainSkipped = 0;
    }
    this.explained = true;
    this.explainFresh = false;
    const item = h('div', { class: 'explain-item' }, h('p', { class: 'explain-text', text: ev.text || '' }));
    if (ev.parts && ev.parts.length) {
      const parts = h('dl', { class: 'explain-parts' });
      for (const p of ev.parts) {
        const dd = h('dd', { class: p.lines ? 'lines' : null });
        dd.textContent = printable(p.meaning, { keepLines: Boolean(p.lines) });
        parts.append(h('dt', {}, h('code', { text: p.token })), dd);
      }
      item.append(parts);
    }
    if (this.explainList.querySelectorAll(':scope > .explain-item').length >= MAX_EXPLAIN) {
      this.explainList.lastElementChild.remove();
      this.explainSkipped++;
      this.explainMore.textContent = t('explain.more', this.explainSkipped);
    }
    this.explainList.append(item);
    // The latest item comes after the count of those left out.
    if (this.explainSkipped) item.before(this.explainMore);
    const allowed = ev.allowed || [];
    this.explainAllowed.textContent = allowed.length
      ? t('explain.allowed', printable(ev.command || ''), allowed.map((s) => this.diagram.title(s)).join(', '))
      : '';
    this.diagram.showAllowed(allowed);
  }

  updateState(state) {
    this.state = state;
    if (this.diagram.current !== state) this.diagram.setState(state);
    const title = state ? this.diagram.title(state) : t('diagram.none');
    this.stateEl.textContent = !state && this.el.dataset.closed ? t('diagram.closed') : title;
    this.diagram.svg.setAttribute('aria-label', t('diagram.aria', this.title, title));
    this.renderCommands();
  }

  // commands lists what the current state allows, less what a lesson hides.
  commands() {
    if (!this.session) return [];
    const all = this.machine.commands[this.state] || [];
    const hidden = new Set((this.options.disabled || []).map((c) => c.toUpperCase()));
    const only = this.app.allowedCommands;
    return all.filter((c) => !hidden.has(c) && (!only || only.has(c)));
  }

  renderCommands() {
    const cmds = this.commands();
    this.commandsList.replaceChildren(
      ...cmds.map((c) => h('li', {}, h('button', { type: 'button', class: 'cmd', onclick: () => this.pick(c) }, c))),
    );
    if (cmds.length === 0) this.commandsList.append(h('li', { class: 'none', text: t('commands.none') }));
  }

  // pick puts a command into the input line; a tagged protocol's commands
  // (IMAP's) get the next tag, as the lectures number them (a001, a002, ...).
  pick(cmd) {
    let text = NO_ARGS.has(cmd) ? cmd : cmd + ' ';
    if (this.machine.tagged) text = `a${String(this.tagCount + 1).padStart(3, '0')} ${text}`;
    this.withTerm((term) => {
      term.setInput(text);
      term.focus();
    });
  }

  insertInput(text) {
    this.withTerm((term) => {
      term.insertInput(text);
      term.focus();
    });
  }

  dispose() {
    this.gen++;
    this.disposed = true;
    if (this.session) this.app.sim.close(this.session);
    this.term?.dispose();
    this.el.remove();
  }
}
