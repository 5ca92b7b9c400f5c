// The learner's mailboxes are kept in IndexedDB by hackpadfs's indexeddb
// file system, which the simulator writes through (wasm/disk_js.go). Read
// through that file system, the tree costs one transaction per file and
// directory, after the module has compiled; this reads the same database
// in one read-only transaction while it compiles, and hands the entries
// to the simulator. Its layout is the file system's: object store "info"
// maps a path to {ModTime (ns), Mode, Size, Parent}, "contents" maps a
// file's path to its bytes.

const NAME = 'maillab-maildir'; // as wasm/disk_js.go dbName
const VERSION = 1; // hackpadfs's indexeddb fsVersion
const MODE_DIR = 0x80000000; // Go's fs.ModeDir
const ROOT = '.';

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

// open opens the database, creating it as the file system does on a
// first visit.
function open() {
  const req = indexedDB.open(NAME, VERSION);
  req.onupgradeneeded = () => {
    const db = req.result;
    db.createObjectStore('contents');
    db.createObjectStore('info').createIndex('Parent', 'Parent');
  };
  return request(req);
}

function bytesOf(v) {
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  return new Uint8Array(0);
}

// refused is why the browser refused this page IndexedDB (a private
// window of some browsers, storage turned off), if it did: the
// simulator's thread is then refused it as well (worker.js).
let refused = null;

// readSaved resolves to the saved tree, [{path, dir, mtime, data}], or to
// null when it cannot be read (the simulator then reads it itself, or,
// without IndexedDB, keeps the mailboxes for as long as the page lives).
export async function readSaved() {
  let db;
  try {
    if (typeof indexedDB === 'undefined') throw new DOMException('this browser has no IndexedDB', 'SecurityError');
    try {
      db = await open();
    } catch (err) {
      if (err?.name === 'SecurityError') refused = err.message || err.name;
      throw err;
    }
    const tx = db.transaction(['info', 'contents'], 'readonly');
    const info = tx.objectStore('info');
    const contents = tx.objectStore('contents');
    const [keys, infos, files, datas] = await Promise.all([
      request(info.getAllKeys()),
      request(info.getAll()),
      request(contents.getAllKeys()),
      request(contents.getAll()),
    ]);
    const data = new Map(files.map((k, i) => [k, datas[i]]));
    const entries = [];
    keys.forEach((path, i) => {
      if (path === ROOT) return;
      const mode = infos[i].Mode;
      const dir = mode >= MODE_DIR || mode < 0;
      entries.push({ path, dir, mtime: infos[i].ModTime, data: dir ? null : bytesOf(data.get(path)) });
    });
    return entries;
  } catch (err) {
    console.warn('maillab: reading the saved mailboxes at start:', err?.message || err);
    return null;
  } finally {
    db?.close();
  }
}

// holdMailboxes makes this tab the one that keeps the mailboxes, as a
// maildrop lock would: it resolves to true when this tab keeps them,
// false when another tab of the lab does. Two tabs writing one tree would
// mix their changes. The Web Lock named after the database says it, held
// until the page goes away; where there are no Web Locks (an http://
// address other than localhost is not a secure context), the tabs ask
// each other (askTabs).
export function holdMailboxes() {
  const locks = globalThis.navigator?.locks;
  if (!locks) return askTabs();
  return new Promise((resolve) => {
    locks
      .request(NAME, { ifAvailable: true }, (lock) => {
        resolve(lock !== null);
        return lock && new Promise(() => {});
      })
      .catch(() => resolve(true));
  });
}

// ASK_MS is how long a tab waits for another to say it keeps the
// mailboxes: the module compiles meanwhile, so it delays nothing.
const ASK_MS = 250;

// askTabs asks the other tabs of the lab over a BroadcastChannel: the tab
// that keeps the mailboxes answers, and a tab that hears no answer in
// ASK_MS keeps them and answers from then on. Unlike the lock, two tabs
// opened in the same instant may both keep them.
function askTabs() {
  if (typeof BroadcastChannel !== 'function') return Promise.resolve(true);
  const channel = new BroadcastChannel(NAME);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      channel.onmessage = (e) => e.data === 'who keeps?' && channel.postMessage('kept');
      resolve(true);
    }, ASK_MS);
    channel.onmessage = (e) => {
      if (e.data !== 'kept') return;
      clearTimeout(timer);
      channel.close();
      resolve(false);
    };
    channel.postMessage('who keeps?');
  });
}

// readMailboxes resolves to {keep, entries, refused}: whether this tab
// keeps the mailboxes (holdMailboxes), the saved tree (readSaved), which
// a tab that does not keep them still starts from, and why IndexedDB was
// refused, if it was.
export function readMailboxes() {
  return Promise.all([holdMailboxes(), readSaved()]).then(([keep, entries]) => ({ keep, entries, refused }));
}
