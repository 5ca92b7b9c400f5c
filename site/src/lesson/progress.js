// Lesson progress kept in localStorage, so it survives reloads, and
// exported to or imported from a JSON file.

const KEY = 'maillab.lessons.progress';
const CURRENT = 'maillab.lessons.current';
export const FORMAT = 'maillab-lesson-progress';

function read(key, fallback) {
  try {
    const v = localStorage.getItem(key);
    return v ? JSON.parse(v) : fallback;
  } catch {
    return fallback;
  }
}

function write(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage may be off or full; progress then lasts for this page
  }
}

export function loadAll() {
  const all = read(KEY, {});
  return all && typeof all === 'object' ? all : {};
}

export function load(id) {
  return loadAll()[id] || null;
}

export function save(progress) {
  const all = loadAll();
  all[progress.lesson] = progress;
  write(KEY, all);
}

export function current() {
  return read(CURRENT, null);
}

export function setCurrent(entry) {
  write(CURRENT, entry);
}

// exportText is the file a learner downloads.
export function exportText() {
  return JSON.stringify({ format: FORMAT, version: 1, saved: new Date().toISOString(), lessons: loadAll() }, null, 1);
}

// importText merges a downloaded file into the saved progress and returns
// the ids it brought.
export function importText(text) {
  const data = JSON.parse(text);
  if (!data || data.format !== FORMAT || typeof data.lessons !== 'object') {
    throw new Error('not a lesson progress file');
  }
  const all = loadAll();
  const ids = [];
  for (const [id, p] of Object.entries(data.lessons)) {
    if (p && p.lesson === id && Array.isArray(p.steps)) {
      all[id] = p;
      ids.push(id);
    }
  }
  write(KEY, all);
  return ids;
}
