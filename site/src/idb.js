// The learner's mailboxes, kept in IndexedDB between visits: a Maildir++
// tree stored file by file, in the layout of hackpadfs's indexeddb file
// system, which earlier versions of the lab wrote through (so their trees
// still load): object store "info" maps a path to {ModTime (ns), Mode,
// Size, Parent}, "contents" maps a file's path to its bytes. The simulator
// reads the whole tree once at start and then saves its changes in
// batches, each one a single transaction: it is applied whole or not at
// all, so a page closed in the middle of a save leaves the previous tree.

const NAME = 'maillab-maildir';
const VERSION = 1;
const MODE_DIR = 0x80000000; // Go's fs.ModeDir
const ROOT = '.';

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error || new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error || new Error('IndexedDB transaction aborted'));
  });
}

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

const parent = (path) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : ROOT);

// openTree reads the saved tree: {entries: [{path, dir, mtime, data}],
// save(batch)}. It resolves to null where IndexedDB is not available
// (the mailboxes then last as long as the page).
export async function openTree() {
  let db;
  try {
    db = await open();
  } catch (err) {
    console.warn('maillab: mailboxes will not be kept across reloads:', err?.message || err);
    return null;
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
    const dir = infos[i].Mode >= MODE_DIR || infos[i].Mode < 0;
    const bytes = data.get(path);
    entries.push({ path, dir, mtime: infos[i].ModTime, data: dir ? null : bytesOf(bytes) });
  });
  return { entries, save: (batch) => save(db, batch) };
}

// save applies one batch {clear, put: [{path, dir, mtime, data}], del:
// [path]} in one transaction.
function save(db, batch) {
  const tx = db.transaction(['info', 'contents'], 'readwrite');
  const info = tx.objectStore('info');
  const contents = tx.objectStore('contents');
  if (batch.clear) {
    info.clear();
    contents.clear();
    info.put({ ModTime: Date.now() * 1e6, Mode: MODE_DIR + 0o700, Size: 0 }, ROOT);
  }
  for (const path of batch.del) {
    info.delete(path);
    contents.delete(path);
  }
  for (const e of batch.put) {
    const size = e.dir ? 0 : e.data.length;
    info.put({ ModTime: e.mtime, Mode: e.dir ? MODE_DIR + 0o700 : 0o600, Size: size, Parent: parent(e.path) }, e.path);
    if (e.dir) contents.delete(e.path);
    else contents.put(e.data, e.path);
  }
  return done(tx);
}
