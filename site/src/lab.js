// The page's module API, for the lesson panel and for tests (also on
// globalThis.lab):
//
//   await lab.ready
//   lab.onEvent(fn)                 fn({terminal, session, event}) for every session event; returns unsubscribe
//   lab.protocols()                 [{name, title, port}]: the protocols the simulator registers, in the registry's order
//   lab.openTerminal(proto, opts)   opens a terminal of a protocol of lab.protocols() ("pop3"); opts: {apopTimestamp, disabled: [...], name}; returns its number
//   lab.closeTerminal(n)
//   lab.terminals()                 [{terminal, proto, session, state}]
//   lab.resetStore(fixture)         drops every connection and reloads the mailboxes (null: the demo accounts); reconnects the terminals
//   lab.flush()                     resolves once every change made so far is kept in IndexedDB
//   lab.insertInput(n, text)        puts text into terminal n's input line without sending it
//   lab.setAllowedCommands(list)    shows only these commands as clickable (null: all)
//   lab.focusTerminal(n)            gives terminal n the keyboard
//   lab.showProtocol(proto)         makes proto the toolbar's protocol without opening a terminal
//   lab.onReset(fn)                 the reset button calls fn instead of restoring the demo accounts (null: back to that)
//   lab.onNewTerminal(fn)           "New terminal" calls fn (which returns the terminal's number) instead (null: back to that)
//   lab.lang, lab.setLang(code), lab.onLangChange(fn)
//   lab.lessonPanel                 the <section id="lesson-panel"> to render into (text only via textContent
//                                   or a sanitizing renderer; never innerHTML of lesson text)

let app = null;
let resolveReady;
const ready = new Promise((r) => (resolveReady = r));

function need() {
  if (!app) throw new Error('the lab is not ready yet: await lab.ready');
  return app;
}

export const lab = {
  ready,
  get lang() {
    return app ? app.lang : 'en';
  },
  get lessonPanel() {
    return document.getElementById('lesson-panel');
  },
  onEvent(fn) {
    return need().listen('event', fn);
  },
  onLangChange(fn) {
    return need().listen('lang', fn);
  },
  protocols() {
    return need().protocolList();
  },
  openTerminal(proto, opts = {}) {
    return need().openTerminal(proto, opts);
  },
  closeTerminal(n) {
    need().closeTerminal(n);
  },
  terminals() {
    return need().terminalList();
  },
  resetStore(fixture = null) {
    return need().reset(fixture);
  },
  flush() {
    return need().flush();
  },
  insertInput(n, text) {
    need().panel(n).insertInput(text);
  },
  setAllowedCommands(list) {
    need().setAllowedCommands(list);
  },
  focusTerminal(n) {
    need().panel(n).focus();
  },
  showProtocol(proto) {
    need().showProtocol(proto);
  },
  setLang(code) {
    need().setLang(code);
  },
  onReset(fn) {
    need().lessonReset = fn;
  },
  onNewTerminal(fn) {
    need().lessonNewTerminal = fn;
  },
};

// attach is called once by the page when the simulator is up.
export function attach(a) {
  app = a;
  resolveReady(lab);
}

globalThis.lab = lab;
