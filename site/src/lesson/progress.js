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

export function remove(id) {
  const all = loadAll();
  delete all[id];
  write(KEY, all);
}

// valid reports whether p looks like progress the engine saved: a step
// number inside its list of steps, and each step's record in shape.
export function valid(id, p) {
  if (!p || typeof p !== 'object' || p.lesson !== id || !Array.isArray(p.steps) || p.steps.length === 0) return false;
  if (!Number.isInteger(p.step) || p.step < 0 || p.step >= p.steps.length) return false;
  if (typeof p.finished !== 'boolean') return false;
  return p.steps.every((s) => s && typeof s === 'object' && typeof s.done === 'boolean' &&
    Number.isInteger(s.hints_shown ?? 0) && (s.answers === undefined || (s.answers && typeof s.answers === 'object')));
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
  const bad = [];
  for (const [id, p] of Object.entries(data.lessons)) {
    if (valid(id, p)) {
      all[id] = p;
      ids.push(id);
    } else {
      bad.push(id);
    }
  }
  if (ids.length === 0 && bad.length > 0) throw new Error(`the progress in this file is damaged (${bad.join(', ')})`);
  write(KEY, all);
  return ids;
}
