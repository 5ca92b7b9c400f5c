// The lesson panel: a lesson picker (shipped lessons, extra lessons the
// server offers, a file or a dropped file, ?lesson=ID or ?lesson=URL of
// the same origin, &step=N), the current step with its goals and the
// "not yet" reasons, hints before the solution, the solution put into the
// terminal's input line to edit (it does not count as solving), review
// questions, and progress kept across reloads. The lesson engine runs in
// the simulator (maillabLesson); it reads the terminals' event stream,
// never their text.

/* global LESSONS_URL */
import { renderMarkdown } from './markdown.js';
import { tr, pick, actionLabel, actionButton, actionKey } from './texts.js';
import * as store from './progress.js';
import { compileYAML, prepareYAML } from './yaml.js';
import { printable } from '../caret.js';

function h(doc, tag, attrs = {}, ...children) {
  const e = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = printable(v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : printable(v));
  }
  // Goals quote what a session said: shown visibly, as everywhere.
  e.append(...children.filter((c) => c != null).map((c) => (typeof c === 'string' ? printable(c) : c)));
  return e;
}

// value unwraps a {value: JSON} / {error} result of the engine's API.
function value(r) {
  if (r && r.error) throw new Error(r.error);
  return r && r.value !== undefined ? JSON.parse(r.value) : null;
}

export class LessonPanel {
  constructor(lab, api, doc = document) {
    this.lab = lab;
    this.api = api;
    this.doc = doc;
    this.mdNodes = new Map(); // see markdown()
    this.mdUsed = new Set();
    const preview = globalThis.lessonPreviewText;
    if (preview) this.mdNodes.set(preview.key, preview.node);
    delete globalThis.lessonPreviewText;
    this.root = lab.lessonPanel;
    this.entries = [];
    this.lesson = null;
    this.names = new Map(); // terminal number → lesson terminal name
    this.terms = new Map(); // name → terminal number
    this.pendingName = null;
    this.shownSolution = null;
    this.feedback = new Map(); // "step:q" → {correct, explanation}
    this.orders = new Map(); // "step:q" → the order its choices are shown in
    this.renderQueued = false;
    this.action = (line) => actionButton(this.doc, this.lang, line);
  }

  get lang() {
    return this.lab.lang;
  }

  t(key, ...args) {
    return tr(this.lang, key, ...args);
  }

  async start() {
    this.root.hidden = false;
    this.root.classList.add('lesson-panel');
    this.lab.onEvent(({ terminal, event }) => this.onEvent(terminal, event));
    this.lab.onLangChange((lang) => {
      this.render();
      this.api.setLang(lang).then(() => this.render()); // the goals' words come in lang
    });
    this.api.onChange(() => this.queueRender());
    // A lab action in a step's text, hint or explanation is a button
    // (markdown), drawn before the panel may be (main.js's preview).
    this.root.addEventListener('click', (e) => {
      const b = e.target.closest?.('button.lesson-inline-action');
      if (!b || !this.lesson) return;
      this.runAction(b.dataset.line);
      this.queueRender();
    });
    // A terminal opened or closed changes what the panel offers.
    new MutationObserver(() => this.queueRender()).observe(this.doc.getElementById('terminals'), { childList: true });
    // A lesson file dropped anywhere on the page opens: in a lesson the
    // bar that says so is among the folded tools, not on the panel.
    const body = this.doc.body;
    body.addEventListener('dragenter', prepareYAML);
    body.addEventListener('dragover', (e) => {
      if (![...(e.dataTransfer?.types || [])].includes('Files')) return;
      e.preventDefault();
      this.root.classList.add('dragging');
    });
    body.addEventListener('dragleave', (e) => {
      if (!e.relatedTarget) this.root.classList.remove('dragging');
    });
    body.addEventListener('drop', (e) => this.onDrop(e));
    // A lesson about to open draws the panel itself (the preview main.js
    // painted stays till then): drawn before, the panel would be drawn
    // twice more while the page starts.
    const opening = new URLSearchParams(location.search).get('lesson') || store.current();
    // Both lists are asked for at once.
    const extra = this.fetchExtra();
    await this.loadShipped();
    this.addExtra(await extra);
    // Unless the learner picked one meanwhile (the picker lists the
    // shipped lessons as soon as they come): opened again, it would
    // replace the terminal the learner types into.
    if (opening && !this.lesson && !this.queued) await this.openFromURL();
    this.settled = true; // from now on, no lesson means the page without one
    if (opening) this.queueRender();
    else this.render();
  }

  // loadShipped lists the lessons shipped with the lab, compiled at build
  // time (lessons.json, written by labctl export).
  async loadShipped() {
    try {
      const r = await fetch(LESSONS_URL);
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      this.entries = (await r.json()).lessons || [];
    } catch (err) {
      this.entries = [];
      this.fail(`lessons.json: ${err.message || err}`);
    }
  }

  // fetchExtra resolves to the lessons labserver -lessons DIR offers, if
  // any; addExtra lists them after the shipped ones.
  async fetchExtra() {
    try {
      const r = await fetch('/lessons/extra/index.json', { cache: 'no-cache' });
      return r.ok ? (await r.json()).lessons || [] : [];
    } catch {
      return []; // no extra lessons
    }
  }

  addExtra(extra) {
    for (const e of extra) {
      e.extra = true;
      if (!this.entries.some((x) => x.id === e.id)) this.entries.push(e);
    }
  }

  async openFromURL() {
    const q = new URLSearchParams(location.search);
    const want = q.get('lesson');
    const step = parseInt(q.get('step') || '', 10);
    if (want) {
      const entry = this.entries.find((e) => e.id === want);
      if (entry) await this.openEntry(entry, step);
      else await this.openURL(want, step);
      return;
    }
    const cur = store.current();
    if (cur && cur.id) {
      const entry = this.entries.find((e) => e.id === cur.id);
      let ok = false;
      if (entry) ok = await this.openEntry(entry);
      else if (cur.lesson) ok = await this.open({ lesson: cur.lesson });
      else if (cur.source) ok = await this.open({ source: cur.source, file: cur.file });
      // A remembered lesson that no longer opens is forgotten, so the
      // next visit starts with the page as it is without lessons.
      if (!ok) store.setCurrent(null);
    }
  }

  // openURL loads a lesson file from this site only.
  async openURL(ref, step) {
    let url;
    try {
      url = new URL(ref, location.href);
    } catch {
      return this.fail(`${ref}: not a lesson id or URL`);
    }
    if (url.origin !== location.origin) return this.fail(`${ref}: lessons load only from ${location.origin}`);
    // A lesson the server lists is opened from its entry, which carries
    // its Maildir fixture too.
    const served = this.entries.find((e) => e.extra && url.pathname === `/lessons/extra/${e.file}`);
    if (served) return this.openEntry(served, step);
    try {
      const r = await fetch(url);
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      await this.open({ source: await r.text(), file: url.pathname.split('/').pop() }, step);
    } catch (err) {
      this.fail(`${ref}: ${err.message || err}`);
    }
  }

  openEntry(entry, step) {
    return this.open({ lesson: JSON.stringify(entry.lesson), files: entry.files, id: entry.id }, step, true);
  }

  // open opens a lesson: what.lesson is one compiled (a bundle entry's,
  // as JSON text), what.source a YAML file named what.file, compiled
  // first; what.files are its Maildir fixture's files, if any. listed
  // lessons are remembered by id, others whole.
  // One lesson opens at a time: one asked for while another opens opens
  // after it, and the same one asked for again while it opens (a picker
  // changed twice) is not opened twice, which would replace the terminal
  // the learner has begun to type into.
  open(what, step, listed = false) {
    if (what.id && what.id === this.queued) return this.openQueue;
    this.queued = what.id;
    const run = (this.openQueue || Promise.resolve()).then(() => this.openNow(what, step, listed));
    const done = run.catch(() => false).finally(() => {
      if (this.openQueue === done) this.queued = null;
    });
    this.openQueue = done;
    return run;
  }

  async openNow(what, step, listed) {
    let lesson, compiled;
    const files = what.files || null;
    const filesJSON = files ? JSON.stringify(files) : '';
    // While the engine takes the lesson on, the panel still holds the
    // last one: it is not drawn until the lesson's terminal is open.
    this.opening = true;
    try {
      try {
        compiled = what.lesson ?? (await compileYAML(what.source, what.file, filesJSON));
        lesson = JSON.parse(await this.api.load(compiled, this.lang, filesJSON));
      } catch (err) {
        this.opening = false;
        this.fail(err.message || String(err));
        return false;
      }
      const restarting = this.notice === this.t('restarted');
      let notice = restarting ? this.notice : null;
      const saved = store.load(lesson.id);
      if (saved) {
        try {
          value(await this.api.restore(JSON.stringify(saved)));
        } catch {
          // progress of another version of the lesson: start over
          store.remove(lesson.id);
          notice = this.t('progressReset');
        }
      }
      if (Number.isInteger(step) && step >= 1) {
        try {
          value(await this.api.goTo(step - 1));
        } catch {
          // no such step: the lesson opens where its progress stands
        }
      }
      this.error = null;
      this.notice = notice;
      for (const term of this.lab.terminals()) this.lab.closeTerminal(term.terminal);
      this.names.clear();
      this.terms.clear();
      this.feedback.clear();
      this.orders.clear();
      this.typed = 0;
      this.shownSolution = null;
      this.lesson = lesson;
      this.opened = { lesson: compiled, files, listed };
    } finally {
      this.opening = false;
    }
    // Progress outlives a reload, a session does not: a lesson that goes
    // on past its start says so, so that the learner logs in again.
    const at = value(this.api.status())?.progress;
    if (at && !this.notice && (at.step > 0 || at.steps.some((sp) => sp.done)) && !at.finished) {
      this.notice = this.t('resumed', at.step + 1);
    }
    try {
      this.connect('main');
    } catch (err) {
      this.lesson = null;
      this.lab.onReset(null);
      this.lab.onNewTerminal(null);
      this.fail(err.message || String(err));
      return false;
    }
    // Remembered for the next visit only once it has opened, with the
    // protocol of its terminal "main", which that visit lays out while the
    // lesson loads (main.js).
    store.setCurrent({ id: lesson.id, protocol: lesson.protocol, ...(listed ? {} : { lesson: compiled }) });
    this.lab.onReset(() => this.restart());
    this.lab.onNewTerminal(() => this.connectExtra());
    this.lab.showProtocol?.(lesson.protocol);
    // The terminal is drawn in a task of its own, before the panel: one
    // long task would keep the page from answering meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.use('main'); // typing goes to the lesson's terminal
    this.render();
    return true;
  }

  // restart gives the lesson fresh mailboxes from its fixture, keeping
  // the learner's progress.
  async restart() {
    if (!this.opened) return;
    const { lesson, files, listed } = this.opened;
    this.notice = this.t('restarted');
    await this.open({ lesson, files }, undefined, listed);
    this.notice = this.t('restarted');
    this.render();
  }

  // restartStep starts the current step again with the mailboxes it
  // started with: the lesson's terminals close (their ends count for
  // nothing), the engine restores the step's store, and the lesson's
  // terminal opens anew.
  async restartStep() {
    if (!this.lesson) return;
    const st = this.status();
    const terms = this.lab.terminals().map((tm) => tm.terminal);
    this.names.clear();
    this.terms.clear();
    for (const n of terms) {
      try {
        this.lab.closeTerminal(n);
      } catch {
        // already closed
      }
    }
    try {
      await this.api.reset();
    } catch (err) {
      this.fail(err.message || String(err));
      return;
    }
    this.error = null;
    this.notice = this.t('stepRestarted', (st?.progress.step ?? 0) + 1);
    this.connect('main');
    this.render();
    this.use('main');
  }

  // leave closes the lesson and brings back the learner's own mailboxes
  // and terminal, as the page is without a lesson: the page loads again,
  // once what the learner changed before the lesson is kept.
  async leave() {
    store.setCurrent(null);
    this.lab.onReset(null);
    this.lab.onNewTerminal(null);
    try {
      await this.lab.flush();
    } catch (err) {
      console.warn('maillab: keeping the mailboxes before leaving the lesson:', err?.message || err);
    }
    const url = new URL(location.href);
    url.searchParams.delete('lesson');
    url.searchParams.delete('step');
    if (this.lesson) url.searchParams.set('proto', this.lesson.protocol);
    location.assign(url.toString());
  }

  fail(message) {
    this.error = message;
    this.render();
  }

  onDrop(e) {
    this.root.classList.remove('dragging');
    const f = e.dataTransfer?.files && e.dataTransfer.files[0];
    if (!f) return;
    e.preventDefault();
    this.openFile(f);
  }

  async openFile(f) {
    this.open({ source: await f.text(), file: f.name });
  }

  // --- terminals -----------------------------------------------------

  // connect opens terminal name, of the lesson's protocol or proto (a
  // solution's ":connect NAME PROTOCOL").
  connect(name, proto = this.protos?.get(name)) {
    const old = this.terms.get(name);
    if (old !== undefined) {
      try {
        this.lab.closeTerminal(old);
      } catch {
        // already closed
      }
      this.names.delete(old);
    }
    const opts = { ...value(this.api.hostOptions(name)), name };
    this.pendingName = name;
    const n = this.lab.openTerminal(proto || this.lesson.protocol, opts);
    this.pendingName = null;
    this.names.set(n, name);
    this.terms.set(name, n);
    this.current = name;
  }

  // connectExtra opens one more terminal of the lesson ("New terminal"):
  // named as the lesson names its other terminals, in their order, then
  // by number; its commands count for the goals as any of the lesson's.
  connectExtra() {
    const named = [];
    for (const step of this.lesson.steps) {
      for (const line of step.solution || []) {
        const [verb, name] = line.startsWith(':') ? line.slice(1).trim().split(/\s+/) : [];
        if (verb === 'connect' && name && !named.includes(name)) named.push(name);
      }
    }
    let name = named.find((nm) => !this.terms.has(nm));
    for (let k = 2; !name; k++) if (!this.terms.has(String(k))) name = String(k);
    this.connect(name);
    this.render();
    return this.terms.get(name);
  }

  drop(name) {
    const n = this.terms.get(name);
    const term = this.lab.terminals().find((t) => t.terminal === n);
    if (term && term.session) globalThis.maillab.close(term.session);
  }

  use(name) {
    const n = this.terms.get(name);
    if (n === undefined) return;
    this.current = name;
    this.lab.focusTerminal(n);
  }

  onEvent(terminal, event) {
    if (!this.lesson) return;
    let name = this.names.get(terminal);
    if (name === undefined && this.pendingName) {
      name = this.pendingName;
      this.names.set(terminal, name);
    }
    if (name === undefined) return;
    if (event.kind === 'client') {
      this.current = name;
      this.typed = (this.typed || 0) + 1;
    }
    this.api.event(name, JSON.stringify(event));
    this.queueRender();
  }

  // runAction performs a solution's lab action line.
  runAction(line) {
    const [verb, name = 'main', proto] = line.slice(1).trim().split(/\s+/);
    if (verb === 'connect') this.connect(name, proto?.toLowerCase());
    else if (verb === 'drop') this.drop(name);
    else if (verb === 'use') this.use(name);
    else if (verb === 'wait') this.wait(name);
    else if (verb === 'mailq') this.showQueue();
  }

  // wait lets lab time pass on the lesson's mail path (a solution's
  // ":wait 5m"): the retries that fall due run, as labctl play's :wait.
  async wait(span) {
    const secs = waitSeconds(span);
    const j = globalThis.maillabJourney;
    if (!secs || !j) return;
    try {
      await j.step(secs);
    } finally {
      this.render();
    }
  }

  // showQueue brings the journey view's queue into sight (":mailq").
  showQueue() {
    const q = document.querySelector('.jr-queue-box') || document.getElementById('journey');
    if (q) {
      const d = q.closest('details');
      if (d) d.open = true;
      q.scrollIntoView({ block: 'nearest' });
    }
  }

  insert(line) {
    const n = this.terms.get(this.current) ?? this.terms.get('main');
    if (n !== undefined) this.lab.insertInput(n, line);
  }

  // --- rendering -----------------------------------------------------

  queueRender() {
    if (this.renderQueued) return;
    this.renderQueued = true;
    setTimeout(() => {
      this.renderQueued = false;
      this.render();
    }, 30);
  }

  status() {
    try {
      return value(this.api.status());
    } catch {
      return null;
    }
  }

  render() {
    if (this.opening) return; // open() draws once the lesson is open
    this.mdUsed.clear();
    const d = this.doc;
    const x = (...a) => h(d, ...a);
    const st = this.lesson ? this.status() : null;
    if (st) store.save(st.progress);
    // The lesson bar (picker, lesson files, progress) heads the panel
    // without a lesson; in one, it is among the toolbar's folded tools,
    // and the panel starts with the lesson itself.
    const bar = this.pickerBar(x);
    const tools = this.lesson ? d.getElementById('lesson-tools') : null;
    const body = tools ? [] : [bar];
    if (this.error) body.push(x('p', { class: 'lesson-error', role: 'alert', text: `${this.t('loadError')} ${this.error}` }));
    if (this.notice) body.push(x('p', { class: 'lesson-notice', role: 'status', text: this.notice }));
    if (this.lesson && st) body.push(...this.lessonView(x, st));
    this.root.dataset.lesson = this.lesson ? this.lesson.id : '';
    delete this.root.dataset.preview; // main.js's preview, drawn while the simulator loaded
    // The page's layout follows (style.css): the lesson in a column of
    // its own beside the terminals, or above them with a bar that stays.
    const html = d.documentElement;
    if (this.lesson) html.dataset.lesson = this.lesson.id;
    else if (this.settled) delete html.dataset.lesson;
    this.renderNow(x, st);
    // The panel is drawn anew on every change; a keyboard user keeps
    // their place in it, and a half-given answer stays as it was.
    const focused = focusKey(this.root, d.activeElement);
    const host = d.getElementById('lesson-tools');
    const barFocus = host && host.contains(d.activeElement) ? d.activeElement.id : null;
    const answers = unsentAnswers(this.root);
    this.root.replaceChildren(...body);
    host?.replaceChildren(...(tools ? [bar] : []));
    if (barFocus) d.getElementById(barFocus)?.focus({ preventScroll: true });
    if (this.clearAnswers) {
      for (const key of [...answers.keys()]) if (key.startsWith(`${this.clearAnswers}|`)) answers.delete(key);
      this.clearAnswers = null;
    }
    restoreAnswers(this.root, answers);
    if (focused) refocus(this.root, focused);
  }

  // renderNow fills the bar that stays in sight above the terminals on a
  // narrow screen: the step, its goals in a few words, and a button to
  // markdown is a step's text (or explanation) rendered, as a div.md.
  // The panel is drawn anew on every change, but the texts are the same
  // nodes from one drawing to the next, rendered once. The first is the
  // preview main.js painted while the simulator loaded.
  markdown(source) {
    const key = `${this.lang}\u0000${source}`;
    let node = this.mdNodes.get(key);
    if (!node || this.mdUsed.has(node)) {
      node = h(this.doc, 'div', { class: 'md' }, renderMarkdown(this.doc, source, this.action));
      if (this.mdNodes.size > 20) this.mdNodes.clear();
      this.mdNodes.set(key, node);
    }
    this.mdUsed.add(node);
    return node;
  }

  // the explain pane of the lesson's terminal.
  renderNow(x, st) {
    const bar = this.doc.getElementById('lesson-now');
    if (!bar) return;
    if (!this.lesson || !st) {
      bar.hidden = true;
      bar.replaceChildren();
      return;
    }
    const p = st.progress;
    const total = this.lesson.steps.length;
    const goals = st.goals || [];
    const met = goals.filter((g) => g.met).length;
    // A dead end is offered its way out instead of its goals, in sight
    // on a phone; the panel says why.
    const stuck = st.stuck && !p.finished;
    const what = p.finished
      ? this.t('finished')
      : goals.length && !stuck ? `${this.t('goals')}: ${met}/${goals.length}${met === goals.length ? ' ✓' : ''}` : '';
    bar.hidden = false;
    bar.replaceChildren(
      x('a', { href: '#lesson-panel', class: 'now-step', text: p.finished ? '✓' : this.t('step', p.step + 1, total) }),
      x('span', { class: 'now-goals', text: what }),
      x('button', { type: 'button', class: 'now-explain', text: this.t('toExplain'), onclick: () => this.showExplain() }),
      // A lesson with a mail path: its journey view, below the terminals.
      x('button', { type: 'button', class: 'now-journey', text: this.t('toJourney'), onclick: () => this.showJourney() }));
    if (stuck) {
      bar.append(x('button', {
        type: 'button', class: 'now-restart', text: this.t('restartShort'), onclick: () => this.restartStep(),
      }));
    }
  }

  // showExplain brings the explain pane of the terminal in use into view.
  showExplain() {
    const n = this.terms.get(this.current) ?? this.terms.get('main');
    const pane = this.doc.querySelector(`[data-terminal="${n}"] .explain`);
    if (!pane) return;
    pane.scrollIntoView({ block: 'start' });
    pane.focus({ preventScroll: true });
  }

  showJourney() {
    const view = this.doc.getElementById('journey');
    if (!view || view.hidden) return;
    view.scrollIntoView({ block: 'start' });
    view.focus({ preventScroll: true });
  }

  // pickerBar is the lesson bar, built anew only when what it shows
  // changes (the language, the lesson, the lessons listed or finished):
  // the panel is drawn on every change of a lesson's status, and dozens
  // of options each time would hold up the page.
  pickerBar(x) {
    const saved = store.loadAll();
    const key = [this.lang, this.lesson ? this.lesson.id : '', this.lab.protocols().map((p) => p.name).join(),
      ...this.entries.map((e) => `${e.id}${saved[e.id]?.finished ? '+' : ''}`)].join('\u0000');
    if (this.bar && this.barKey === key) {
      // a choice that did not open shows the lesson that is open
      this.bar.querySelector('#lesson-pick').value = this.lesson ? this.lesson.id : '';
      return this.bar;
    }
    this.barKey = key;
    this.bar = this.buildPickerBar(x, saved);
    return this.bar;
  }

  buildPickerBar(x, saved) {
    const sel = x('select', { id: 'lesson-pick', 'aria-label': this.t('pick'), onchange: (e) => {
      if (e.target.value === '') return this.lesson && this.leave();
      const entry = this.entries.find((en) => en.id === e.target.value);
      if (entry) this.openEntry(entry);
    } }, x('option', { value: '', text: this.t('choose') }));
    // One group per protocol the simulator registers, in its order; a
    // protocol without lessons has none.
    for (const proto of this.lab.protocols()) {
      const entries = this.entries.filter((en) => en.protocol === proto.name);
      if (entries.length === 0) continue;
      const group = x('optgroup', { label: proto.title });
      for (const e of entries) {
        const done = saved[e.id]?.finished ? ' ✓' : '';
        group.append(x('option', { value: e.id, text: `${e.level}. ${pick(e.title, this.lang)}${done}` }));
      }
      sel.append(group);
    }
    sel.value = this.lesson ? this.lesson.id : '';
    const file = x('input', { type: 'file', accept: '.yaml,.yml', id: 'lesson-file', class: 'visually-hidden',
      onfocus: prepareYAML, onclick: prepareYAML, onchange: (e) => e.target.files[0] && this.openFile(e.target.files[0]) });
    const imp = x('input', { type: 'file', accept: '.json', id: 'lesson-import', class: 'visually-hidden',
      onchange: (e) => e.target.files[0] && this.importProgress(e.target.files[0]) });
    return x('div', { class: 'lesson-bar' },
      x('label', { for: 'lesson-pick', text: this.t('pick') }), sel,
      this.lesson ? x('button', { type: 'button', id: 'lesson-leave', text: this.t('close'), onclick: () => this.leave() }) : null,
      x('label', { for: 'lesson-file', class: 'button', text: this.t('open'), onpointerenter: prepareYAML }), file,
      x('span', { class: 'drop-note', text: this.t('drop') }),
      x('button', { type: 'button', id: 'lesson-export', text: this.t('exportP'), onclick: () => this.exportProgress() }),
      x('label', { for: 'lesson-import', class: 'button', text: this.t('importP') }), imp);
  }

  lessonView(x, st) {
    const L = this.lesson;
    const p = st.progress;
    const total = L.steps.length;
    const i = p.step;
    const step = L.steps[i];
    const out = [];
    out.push(x('h2', { class: 'lesson-title', text: pick(L.title, this.lang) }));
    if (L.summary) out.push(x('p', { class: 'lesson-summary', text: pick(L.summary, this.lang) }));
    const list = x('ol', { class: 'lesson-steps', 'aria-label': this.t('step', i + 1, total) });
    L.steps.forEach((s, k) => {
      const sp = p.steps[k];
      const li = x('li', { 'data-done': sp.done ? 'true' : 'false', 'aria-current': k === i && !p.finished ? 'step' : null },
        x('button', { type: 'button', text: `${k + 1}${sp.done ? ' ✓' : ''}`, title: sp.solution_shown ? this.t('solvedWithHelp') : null,
          onclick: () => this.act(() => this.api.goTo(k)) }));
      list.append(li);
    });
    out.push(list);
    const done = p.steps.filter((s) => s.done).length;
    out.push(x('progress', { max: String(total), value: String(done), 'aria-label': `${done}/${total}` }));

    // The step just done: its explanation and questions.
    const prev = p.finished ? total - 1 : i - 1;
    if (prev >= 0 && p.steps[prev].done && (L.steps[prev].explanation || L.steps[prev].questions)) {
      out.push(x('section', { class: 'lesson-done', 'data-step': String(prev + 1) },
        x('h3', { text: `✓ ${this.t('step', prev + 1, total)}` }),
        L.steps[prev].explanation ? this.markdown(pick(L.steps[prev].explanation, this.lang)) : null,
        this.questionsView(x, prev, p)));
    }
    if (p.finished) {
      out.push(x('p', { class: 'lesson-finished', role: 'status', text: this.t('finished') }), this.summaryView(x, p));
      this.root.dataset.finished = 'true';
      return out;
    }
    this.root.dataset.finished = 'false';
    this.root.dataset.step = String(i + 1);
    const sec = x('section', { class: 'lesson-step', 'data-step': String(i + 1) },
      x('h3', { text: this.t('step', i + 1, total) }),
      this.markdown(pick(step.text, this.lang)));
    if (step.goals && step.goals.length) {
      const ul = x('ul', { class: 'lesson-goals', 'aria-label': this.t('goals'), 'aria-live': 'polite' });
      // A checklist: what each goal asks for, ✓ once met, else the one
      // reason it is not met yet (a reason two goals share is said once).
      const said = new Set();
      st.goals.forEach((g, k) => {
        const reason = !g.met && g.reason && !said.has(g.reason) ? g.reason : '';
        if (reason) said.add(g.reason);
        ul.append(x('li', { 'data-met': g.met ? 'true' : 'false', 'data-goal': String(k) },
          x('span', { class: 'goal-mark', 'aria-hidden': 'true', text: g.met ? '✓' : '○' }), ' ',
          x('span', { class: 'goal-label', text: g.label || '' }),
          x('span', { class: 'visually-hidden', text: g.met ? ` (${this.t('met')})` : '' }),
          reason ? x('span', { class: 'goal-reason', text: reason }) : null));
      });
      sec.append(x('h4', { text: this.t('goals') }), ul);
    }
    // A dead end is said at once, with the way out: the step starts
    // again as it was.
    if (st.stuck) {
      sec.append(x('div', { class: 'lesson-stuck', role: 'alert' },
        x('p', {}, x('strong', { text: this.t('stuck') }), ' ', x('span', { class: 'stuck-reason', text: st.stuck })),
        x('button', { type: 'button', class: 'primary lesson-restart-step', text: this.t('restartStep'), onclick: () => this.restartStep() })));
    }
    sec.append(this.helpView(x, i, p), this.actionsView(x, step, !st.stuck));
    // A step's questions: at once when it has no goals; once it is done
    // otherwise, also when the learner goes back to it.
    if (!step.goals || !step.goals.length) sec.append(this.questionsView(x, i, p));
    else if (p.steps[i].done) {
      if (step.explanation) sec.append(x('div', { class: 'md lesson-explanation' }, renderMarkdown(this.doc, pick(step.explanation, this.lang), this.action)));
      sec.append(this.questionsView(x, i, p));
    }
    sec.append(x('p', { class: 'lesson-link' }, x('a', { href: this.stepLink(i), text: this.t('link') })));
    out.push(sec);
    return out;
  }

  // summaryView closes a lesson: the help it took, the commands typed
  // beside the reference solution's, and the next lesson.
  summaryView(x, p) {
    const hints = p.steps.reduce((a, sp) => a + (sp.hints_shown || 0), 0);
    const solutions = p.steps.filter((sp) => sp.solution_shown).length;
    const reference = this.lesson.steps.reduce((a, st) => a + (st.solution || []).filter((l) => !l.startsWith(':')).length, 0);
    const box = x('section', { class: 'lesson-summary-box' },
      x('ul', {},
        x('li', { text: this.t('sumHints', hints) }),
        x('li', { text: this.t('sumSolutions', solutions) }),
        x('li', { text: this.t('sumCommands', this.typed || 0, reference) })));
    const next = this.nextEntry();
    if (next) {
      box.append(x('button', { type: 'button', id: 'lesson-next', class: 'primary', text: this.t('next', pick(next.title, this.lang)),
        onclick: () => this.openEntry(next) }));
    }
    return box;
  }

  // nextEntry is the lesson after the open one: the next level of its
  // protocol, else the first lesson of the next protocol.
  nextEntry() {
    if (!this.lesson) return null;
    const order = this.lab.protocols().map((pr) => pr.name);
    const sorted = this.entries.filter((e) => !e.extra)
      .sort((a, b) => order.indexOf(a.protocol) - order.indexOf(b.protocol) || a.level - b.level);
    const i = sorted.findIndex((e) => e.id === this.lesson.id);
    return i >= 0 && i + 1 < sorted.length ? sorted[i + 1] : null;
  }

  stepLink(i) {
    const url = new URL(location.href);
    url.search = '';
    url.searchParams.set('proto', this.lesson.protocol);
    url.searchParams.set('lesson', this.lesson.id);
    url.searchParams.set('step', String(i + 1));
    return url.toString();
  }

  helpView(x, i, p) {
    const step = this.lesson.steps[i];
    const shown = p.steps[i].hints_shown || 0;
    const box = x('div', { class: 'lesson-help' });
    const hints = x('ol', { class: 'lesson-hints' });
    for (let k = 0; k < shown && k < (step.hints || []).length; k++) {
      hints.append(x('li', {}, renderMarkdown(this.doc, pick(step.hints[k], this.lang), this.action)));
    }
    const count = (step.hints || []).length;
    const more = shown < count;
    // A step without hints offers none; "no more hints" only after the
    // last one.
    box.append(hints,
      ...(count === 0 ? [] : [x('button', { type: 'button', class: 'lesson-hint', disabled: !more, text: more ? this.t('hint') : this.t('noHints'),
        onclick: () => this.act(() => this.api.hint()) })]),
      x('button', { type: 'button', class: 'lesson-solution', text: this.t('solution'), onclick: () => this.showSolution(i) }));
    if (this.shownSolution && this.shownSolution.step === i) {
      const ul = x('ul', { class: 'lesson-solution-lines' });
      for (const line of this.shownSolution.lines) {
        const action = line.startsWith(':');
        ul.append(x('li', {}, x('code', { text: line }), ' ',
          x('button', { type: 'button', text: action ? this.actionLabel(line) : this.t('insert'),
            onclick: () => (action ? this.runAction(line) : this.insert(line)) })));
      }
      box.append(x('p', { class: 'note', text: this.t('solutionNote') }), ul);
    }
    return box;
  }

  // act asks the lesson engine to do something and draws the panel anew
  // once it has.
  async act(f) {
    try {
      value(await f());
    } catch (err) {
      this.fail(err.message || String(err));
    }
    this.render();
  }

  async showSolution(i) {
    let lines;
    try {
      lines = value(await this.api.solution());
    } catch (err) {
      this.fail(err.message || String(err));
      return;
    }
    this.shownSolution = { step: i, lines };
    const first = lines.find((l) => !l.startsWith(':'));
    if (first !== undefined && !lines[0].startsWith(':')) this.insert(first);
    this.render();
  }

  actionLabel(line) {
    return actionLabel(this.lang, line) || line;
  }

  // actionsView offers the lab actions the step needs: connecting a named
  // terminal, cutting a connection without QUIT.
  // Each is offered only where it does something: connecting a terminal
  // that is not open (the step's, or the lesson's closed one), cutting a
  // connection the step's solution cuts.
  actionsView(x, step, restart = true) {
    const names = new Set(['main']);
    const drops = new Set();
    this.protos ??= new Map();
    const timed = [];
    for (const line of step.solution || []) {
      if (!line.startsWith(':')) continue;
      const [verb, name = 'main', proto] = line.slice(1).trim().split(/\s+/);
      if (verb === 'wait' || verb === 'mailq') {
        // Lab time and the queue: the mail path's, not a terminal's.
        if (!timed.includes(line)) timed.push(line);
        continue;
      }
      names.add(name);
      if (verb === 'drop') drops.add(name);
      if (verb === 'connect' && proto) this.protos.set(name, proto.toLowerCase());
    }
    const open = new Set(this.lab.terminals().filter((tm) => tm.session).map((tm) => this.names.get(tm.terminal)));
    // What the step's text offers as a button is not offered twice.
    const inText = new Set();
    for (const m of pick(step.text, this.lang).matchAll(/`(:[^`]+)`/g)) inText.add(actionKey(m[1]));
    const box = x('div', { class: 'lesson-actions' });
    for (const name of names) {
      if (!open.has(name)) {
        if (inText.has(`connect ${name}`)) continue;
        box.append(x('button', { type: 'button', 'data-action': `connect ${name}`, text: this.t('connect', name), onclick: () => this.connect(name) }));
      } else if (drops.has(name) && !inText.has(`drop ${name}`)) {
        box.append(x('button', { type: 'button', 'data-action': `drop ${name}`, text: this.t('dropConn', name), onclick: () => this.drop(name) }));
      }
    }
    for (const line of timed) {
      if (inText.has(actionKey(line))) continue;
      box.append(x('button', { type: 'button', 'data-action': line.slice(1).trim(), text: this.actionLabel(line), onclick: () => this.runAction(line) }));
    }
    // Always at hand (unless offered above as the way out of a dead end).
    if (restart) box.append(x('button', { type: 'button', class: 'lesson-restart-step', text: this.t('restartStep'), onclick: () => this.restartStep() }));
    return box;
  }

  questionsView(x, i, p) {
    const qs = this.lesson.steps[i].questions || [];
    if (!qs.length) return null;
    const box = x('div', { class: 'lesson-questions' }, x('h4', { text: this.t('questions') }));
    qs.forEach((q, k) => {
      const answered = p.steps[i].answers && p.steps[i].answers[k];
      const id = `q-${i}-${k}`;
      const form = x('form', { class: 'lesson-question', 'data-question': `${i}:${k}`, 'data-correct': answered ? 'true' : 'false',
        onsubmit: (e) => { e.preventDefault(); this.answer(i, k, q, form); } });
      const fs = x('fieldset', {}, x('legend', {}, renderMarkdown(this.doc, pick(q.text, this.lang))));
      if (q.kind === 'short') {
        fs.append(x('input', { type: 'text', name: 'text', 'aria-label': pick(q.text, this.lang), autocomplete: 'off' }));
      } else {
        // The choices in an order of their own for each attempt: where
        // the right one stands tells nothing.
        for (const ci of this.choiceOrder(`${i}:${k}`, (q.choices || []).length)) {
          const c = q.choices[ci];
          fs.append(x('label', {}, x('input', { type: q.kind === 'single' ? 'radio' : 'checkbox', name: id, value: String(ci) }), ' ',
            renderMarkdown(this.doc, pick(c.text, this.lang)).textContent));
        }
      }
      const fb = this.feedback.get(`${i}:${k}`);
      fs.append(x('button', { type: 'submit', text: this.t('check') }));
      if (fb || answered) {
        const ok = fb ? fb.correct : true;
        const p = x('p', { class: 'feedback', 'data-correct': ok ? 'true' : 'false', role: 'status',
          text: ok ? `${this.t('correct')} ${pick(q.explanation, this.lang)}`.trim() : this.t('wrong') });
        // What the chosen choices say of themselves: for a wrong one, why
        // it is wrong.
        for (const ci of fb?.chosen || []) {
          const c = (q.choices || [])[ci];
          const why = c && pick(c.explanation, this.lang);
          if (why) p.append(x('span', { class: 'choice-why', 'data-choice': String(ci) }, renderMarkdown(this.doc, why).textContent));
        }
        fs.append(p);
      }
      form.append(fs);
      box.append(form);
    });
    return box;
  }

  // choiceOrder is the order a question's choices are shown in during the
  // current attempt, shuffled anew after each wrong answer.
  choiceOrder(key, n) {
    let order = this.orders.get(key);
    if (!order || order.length !== n) {
      order = shuffled(n);
      this.orders.set(key, order);
    }
    return order;
  }

  async answer(i, k, q, form) {
    const a = {};
    if (q.kind === 'short') a.text = form.querySelector('input[name="text"]').value;
    else a.choices = [...form.querySelectorAll('input:checked')].map((el) => Number(el.value));
    let r;
    try {
      r = value(await this.api.answer(i, k, JSON.stringify(a)));
    } catch (err) {
      this.fail(err.message || String(err));
      return;
    }
    this.feedback.set(`${i}:${k}`, { ...r, chosen: a.choices || [] });
    if (!r.correct && q.kind !== 'short') {
      this.orders.delete(`${i}:${k}`); // the next attempt sees another order
      this.clearAnswers = `${i}:${k}`;
    }
    this.render();
  }

  exportProgress() {
    const blob = new Blob([store.exportText()], { type: 'application/json' });
    const a = this.doc.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'maillab-progress.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  async importProgress(f) {
    let ids;
    try {
      ids = store.importText(await f.text());
    } catch (err) {
      // JSON.parse's own words name no file and no cause a learner knows.
      this.notice = null;
      this.fail(this.t(err instanceof SyntaxError ? 'importNotJSON' : 'importBad', f.name));
      return;
    }
    try {
      if (this.lesson && ids.includes(this.lesson.id)) value(await this.api.restore(JSON.stringify(store.load(this.lesson.id))));
    } catch {
      // progress of another version of the open lesson: kept for the others
    }
    this.error = null;
    this.notice = this.t('imported', ids.length);
    this.render();
  }
}

// shuffled is 0..n-1 in a random order.
function shuffled(n) {
  const a = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

// initLessons starts the panel once the lab is ready.
export async function initLessons(lab) {
  await lab.ready;
  if (!globalThis.maillabLesson) return null;
  const panel = new LessonPanel(lab, globalThis.maillabLesson);
  globalThis.lessonPanel = panel;
  await panel.start();
  return panel;
}

// focusKey names the focused control inside root so that the same control
// can be found again after root is drawn anew: by id, else by its kind,
// class, action, field and (for controls without a class) text, and its
// place among controls like it.
function focusKey(root, el) {
  if (!el || el === root || !root.contains(el)) return null;
  if (el.id) return { id: el.id };
  const k = {
    tag: el.tagName, cls: el.className, action: el.dataset.action ?? '', name: el.name ?? '', value: el.value ?? '',
    text: el.className ? '' : el.textContent,
  };
  k.index = likeKey(root, k).indexOf(el);
  return k;
}

function likeKey(root, k) {
  return [...root.querySelectorAll(k.tag)].filter((c) => c.className === k.cls && (c.dataset.action ?? '') === k.action &&
    (c.name ?? '') === k.name && (c.value ?? '') === k.value && (k.cls ? true : c.textContent === k.text));
}

function refocus(root, k) {
  const el = k.id ? root.querySelector(`#${CSS.escape(k.id)}`) : likeKey(root, k)[k.index];
  if (el && !el.disabled) el.focus({ preventScroll: true });
}

// unsentAnswers keeps what the learner has typed or ticked in the
// questions' forms, keyed by question, field and choice.
function unsentAnswers(root) {
  const kept = new Map();
  for (const [key, i] of answerFields(root)) kept.set(key, i.type === 'text' ? i.value : i.checked);
  return kept;
}

function restoreAnswers(root, kept) {
  for (const [key, i] of answerFields(root)) {
    const v = kept.get(key);
    if (v === undefined) continue;
    if (i.type === 'text') i.value = v;
    else i.checked = v;
  }
}

// answerFields lists the questions' inputs with their keys.
function answerFields(root) {
  return [...root.querySelectorAll('form[data-question] input')].map((i) =>
    [`${i.form.dataset.question}|${i.name}|${i.type === 'text' ? '' : i.value}`, i]);
}

// waitSeconds reads a ":wait" span as labctl play does (5m, 4h, 30s,
// 1h30m): its seconds, or 0 when it is not one from 1s to 144h.
export function waitSeconds(span) {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(String(span || '').trim());
  if (!m || !(m[1] || m[2] || m[3])) return 0;
  const secs = (+(m[1] || 0)) * 3600 + (+(m[2] || 0)) * 60 + (+(m[3] || 0));
  return secs >= 1 && secs <= 144 * 3600 ? secs : 0;
}
