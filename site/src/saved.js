// The learner's mailboxes are kept in IndexedDB, laid out as hackpadfs's
// indexeddb file system lays out a tree (which earlier versions of the
// simulator wrote through): object store "info" maps a path to {ModTime
// (ns), Mode, Size, Parent}, "contents" maps a file's path to its bytes.
// The page does the reading and writing for the simulator
// (wasm/disk_js.go): it reads the tree in one read-only transaction while
// the module compiles and hands the entries over, and writes each batch
// of the simulator's changes in one transaction.

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

// readSaved resolves to the saved tree, [{path, dir, mtime, data}], or to
// null when it cannot be read (the simulator then reads it itself, or,
// without IndexedDB, keeps the mailboxes for as long as the page lives).
export async function readSaved() {
  let db;
  try {
    db = await open();
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

const MODE_FILE = 0o600; // as the simulator writes them
const MODE_DIRECTORY = (MODE_DIR | 0o700) >>> 0;

let writing = null; // the database, opened by the first batch

// saveBatch applies one batch of the simulator's changes to the saved
// tree (wasm/disk_js.go), in one transaction, as hackpadfs's indexeddb
// file system lays the tree out: clear drops everything first; put is
// [{path, dir, mtime, data}] in order, each entry's parent directories
// made, a file replacing whatever lay at its path, a directory replacing a
// file or keeping what it holds; del lists
// paths removed with everything below them. It resolves once the
// transaction is done.
export async function saveBatch(clear, put, del) {
  writing ??= open().catch((err) => {
    writing = null;
    throw err;
  });
  const db = await writing;
  const tx = db.transaction(['info', 'contents'], 'readwrite', { durability: 'relaxed' });
  const info = tx.objectStore('info');
  const contents = tx.objectStore('contents');
  const done = new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error('the transaction was aborted'));
  });
  const remove = (path) => {
    const below = IDBKeyRange.bound(`${path}/`, `${path}/\uffff`);
    for (const store of [info, contents]) {
      store.delete(path);
      store.delete(below);
    }
  };
  const made = new Set();
  const dir = (path, mtime) => {
    if (made.has(path)) return;
    made.add(path);
    const record = { ModTime: mtime, Mode: MODE_DIRECTORY, Size: 0 };
    if (path !== ROOT) record.Parent = parentOf(path);
    info.put(record, path);
  };
  const parents = (path, mtime) => {
    const chain = [];
    for (let p = parentOf(path); p !== ROOT; p = parentOf(p)) chain.unshift(p);
    dir(ROOT, mtime);
    for (const p of chain) dir(p, mtime);
  };
  if (clear) {
    info.clear();
    contents.clear();
  }
  for (const e of put) {
    parents(e.path, e.mtime);
    if (e.dir) {
      contents.delete(e.path); // a file that was there; a directory keeps what it holds
      made.delete(e.path);
      dir(e.path, e.mtime);
      continue;
    }
    remove(e.path); // a directory that was there goes with what it held
    info.put({ ModTime: e.mtime, Mode: MODE_FILE, Size: e.data.length, Parent: parentOf(e.path) }, e.path);
    contents.put(e.data, e.path);
  }
  for (const path of del) remove(path);
  return done;
}

function parentOf(path) {
  const i = path.lastIndexOf('/');
  return i < 0 ? ROOT : path.slice(0, i);
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

// readMailboxes resolves to {keep, entries}: whether this tab keeps the
// mailboxes (holdMailboxes) and the saved tree (readSaved), which a tab
// that does not keep them still starts from.
export function readMailboxes() {
  return Promise.all([holdMailboxes(), readSaved()]).then(([keep, entries]) => ({ keep, entries }));
}
