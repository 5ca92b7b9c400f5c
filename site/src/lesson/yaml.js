// compileYAML reads a lesson file in YAML into the compiled form the lab
// opens (a bundle entry's lesson). The lab's own module carries no YAML
// parser; this starts the one that does (lessonyaml.wasm, with Go's
// runtime from wasm_exec.js) the first time a learner opens a lesson file
// of their own, and keeps it for the next one. It resolves with the
// compiled lesson's JSON text, or rejects with every problem the file has,
// each at its line and column.

import { compileWasm } from '../wasm.js';

/* global LESSON_YAML_URL, WASM_EXEC_URL */
let started = null;

// filesJSON is the JSON of the lesson's Maildir fixture files, or ''.
export function compileYAML(source, file, filesJSON = '') {
  return loaded().then((api) => api.compile(source, file, filesJSON));
}

// prepareYAML starts the module ahead of need, when the learner reaches
// for a lesson file (the Open button, or a file dragged over the panel):
// it loads while they pick the file. A failure is reported when the file
// is compiled, which tries again.
export function prepareYAML() {
  loaded().catch(() => {});
}

function loaded() {
  started ??= start().catch((err) => {
    started = null; // try again with the next file
    throw err;
  });
  return started;
}

// goRuntime loads Go's runtime (wasm_exec.js) into the page: the
// simulator's thread has its own, so the page fetches it only for this.
function goRuntime() {
  if (globalThis.Go) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = WASM_EXEC_URL;
    s.onload = resolve;
    s.onerror = () => {
      s.remove();
      reject(new Error(`${WASM_EXEC_URL} did not load`));
    };
    document.head.append(s);
  });
}

async function start() {
  await goRuntime();
  const go = new globalThis.Go();
  const instance = await WebAssembly.instantiate(await compileWasm(LESSON_YAML_URL), go.importObject);
  const ready = new Promise((resolve) => {
    globalThis.maillabLessonYAMLReady = resolve;
  });
  go.run(instance);
  return ready;
}
