// Builds the page into dist/: the bundle under content-hashed names, the
// stylesheet and two small scripts inlined into index.html, and .br and .gz siblings of every
// large asset, which labserver (or any static host that knows them) sends
// to browsers that accept them. lab.wasm and wasm_exec.js are put into
// dist/ by `make wasm` first, with lessonyaml.wasm (the YAML reader for
// lesson files a learner opens) and lessons.json (the shipped lessons,
// compiled by `labctl export`); they keep their names and are referenced
// with their hash as a query, so caches still see a new URL per build.

import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const here = import.meta.dirname;
const dist = join(here, 'dist');
const assets = join(dist, 'assets');
const COMPRESS_MIN = 1024;

function hashOf(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 12);
}

for (const f of ['lab.wasm', 'boot.wasm', 'lessonyaml.wasm', 'lessons.json', 'wasm_exec.js']) {
  if (!existsSync(join(dist, f))) {
    console.error(`dist/${f} is missing: run \`make site\` from the repository root`);
    process.exit(1);
  }
}

rmSync(assets, { recursive: true, force: true });
for (const f of readdirSync(dist)) {
  if (f === 'index.html' || f.endsWith('.br') || f.endsWith('.gz')) rmSync(join(dist, f));
}
mkdirSync(assets, { recursive: true });

// The languages the page offers: the folders of the lab's catalogues of
// texts, English first, each named by its language.json (as
// catalog.Languages orders them).
const textsDir = join(here, '../sim/catalog/texts');
const languages = readdirSync(textsDir)
  .filter((d) => !d.startsWith('.') && statSync(join(textsDir, d)).isDirectory())
  .sort((a, b) => (a === 'en' ? -1 : b === 'en' ? 1 : a < b ? -1 : a > b ? 1 : 0))
  .map((code) => {
    const file = join(textsDir, code, 'language.json');
    const name = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).name : '';
    return { code, name: name || code };
  });

// The page's own words are catalogues of the lab's texts as well
// (texts/<lang>/page.json, lessonpanel.json): `import texts from
// 'catalog:page'` gives every language's file of that catalogue, by
// language code, inlined into the bundle. A language that lacks the file
// is left out, and the page shows English texts in its place; a
// catalogue English lacks stops the build.
//
// `import texts from 'catalog:diagrams'` gives the state diagrams' texts
// (the keys state.* and transition.* of every catalogue), by language and
// catalogue: the page lays a diagram out for its widest label in any
// language and relabels it at once when the learner picks another, while
// the simulator has the texts of the languages fetched so far (below).
const diagramKey = /^(state|transition)\./;
function diagramTexts() {
  const by = {};
  const watchFiles = [];
  for (const { code } of languages) {
    by[code] = {};
    for (const f of readdirSync(join(textsDir, code)).filter((f) => f.endsWith('.json'))) {
      const file = join(textsDir, code, f);
      const keys = Object.entries(JSON.parse(readFileSync(file, 'utf8'))).filter(([k]) => diagramKey.test(k));
      if (keys.length === 0) continue;
      by[code][f.slice(0, -'.json'.length)] = Object.fromEntries(keys);
      watchFiles.push(file);
    }
  }
  return { contents: JSON.stringify(by), loader: 'json', watchFiles };
}

// only, if given, keeps a catalogue's keys it names.
const cataloguesOf = (only) => ({
  name: 'catalogues',
  setup(b) {
    b.onResolve({ filter: /^catalog:/ }, (args) => ({ path: args.path.slice('catalog:'.length), namespace: 'catalog' }));
    b.onLoad({ filter: /.*/, namespace: 'catalog' }, (args) => {
      if (args.path === 'diagrams') return diagramTexts();
      const by = {};
      const watchFiles = [];
      for (const { code } of languages) {
        const file = join(textsDir, code, `${args.path}.json`);
        if (!existsSync(file)) continue;
        by[code] = JSON.parse(readFileSync(file, 'utf8'));
        if (only) by[code] = Object.fromEntries(Object.entries(by[code]).filter(([k]) => only.has(k)));
        watchFiles.push(file);
      }
      if (!by.en) return { errors: [{ text: `no catalogue ${args.path}: sim/catalog/texts/en/${args.path}.json is missing` }] };
      return { contents: JSON.stringify(by), loader: 'json', watchFiles };
    });
  },
});
const catalogues = cataloguesOf(null);

// The simulator's texts, one file per language (texts/<lang>.json:
// {catalogue: {key: text}}): lab.wasm carries none (the Makefile builds
// it with the tag fetchtexts), and the page fetches the language it shows
// as it starts, another when the learner picks it. The page's own
// catalogues are in its script instead, labctl's are the command's.
const notSimulators = new Set(['language', 'labctl', 'page', 'lessonpanel', 'journey']);
rmSync(join(dist, 'texts'), { recursive: true, force: true });
mkdirSync(join(dist, 'texts'), { recursive: true });
const textsURLs = {};
for (const { code } of languages) {
  const by = {};
  for (const f of readdirSync(join(textsDir, code)).filter((f) => f.endsWith('.json')).sort()) {
    const name = f.slice(0, -'.json'.length);
    if (!notSimulators.has(name)) by[name] = JSON.parse(readFileSync(join(textsDir, code, f), 'utf8'));
  }
  const file = join(dist, 'texts', `${code}.json`);
  writeFileSync(file, JSON.stringify(by));
  textsURLs[code] = `texts/${code}.json?v=${hashOf(file)}`;
}

// A lesson opened by its link (?lesson=ID) is previewed while the
// simulator loads from a file of its own, preview/ID.json (its title,
// summary and steps' texts, a few KB), which the head's script fetches
// beside the bundle. Waited for after the bundle, all of lessons.json
// (80 KB compressed) had made the lesson's text the page's last paint.
const LESSON_ID = /^[a-z0-9][a-z0-9-]*$/;
rmSync(join(dist, 'preview'), { recursive: true, force: true });
mkdirSync(join(dist, 'preview'), { recursive: true });
for (const e of JSON.parse(readFileSync(join(dist, 'lessons.json'), 'utf8')).lessons || []) {
  const L = e.lesson;
  if (!LESSON_ID.test(e.id) || !L || !Array.isArray(L.steps)) continue;
  const preview = { id: e.id, lesson: { title: L.title, summary: L.summary, protocol: L.protocol, steps: L.steps.map((s) => ({ text: s.text })) } };
  writeFileSync(join(dist, 'preview', `${e.id}.json`), JSON.stringify(preview));
}
const PREVIEW_VERSION = JSON.stringify(hashOf(join(dist, 'lessons.json')));

// What both bundles are built with.
const common = { bundle: true, target: ['es2022'], minify: true, logLevel: 'warning' };

const result = await build({
  ...common,
  entryPoints: [join(here, 'src/main.js')],
  format: 'esm',
  sourcemap: false,
  outdir: assets,
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  // Code the first screen does not need (the lesson panel) is a chunk of
  // its own, imported once the greeting is shown.
  splitting: true,
  chunkNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'linked',
  // V8's compile hint (Chromium 136 and later): every function of these
  // scripts is compiled on a background thread as the script streams in.
  // Nearly all of them run as the page starts, and compiled lazily, each
  // on its first call, they had held the page's thread while it built the
  // first terminal (size_test.go).
  banner: { js: '//# allFunctionsCalledOnLoad' },
  plugins: [catalogues],
  define: {
    LESSONS_URL: JSON.stringify(`lessons.json?v=${hashOf(join(dist, 'lessons.json'))}`),
    LESSON_YAML_URL: JSON.stringify(`lessonyaml.wasm?v=${hashOf(join(dist, 'lessonyaml.wasm'))}`),
    WASM_EXEC_URL: JSON.stringify(`wasm_exec.js?v=${hashOf(join(dist, 'wasm_exec.js'))}`),
    LANGUAGES: JSON.stringify(languages),
    TEXTS_URLS: JSON.stringify(textsURLs),
  },
});

// The simulator's thread (src/worker.js, after Go's wasm_exec.js): a
// classic worker script, inlined into the head's first script, which
// starts it from a Blob. Fetching it, and wasm_exec.js after it, would
// keep the module's compiling waiting for two more requests.
const workerOut = await build({ ...common, entryPoints: [join(here, 'src/worker.js')], format: 'iife', write: false });
const workerSource = readFileSync(join(dist, 'wasm_exec.js'), 'utf8') + '\n' + workerOut.outputFiles[0].text;
const threadSource = { WORKER_SOURCE: JSON.stringify(workerSource) };

// The head's first script (src/boot.js), inlined: it starts fetching the
// simulator and reading the saved mailboxes before the bundle arrives.
const wasmURL = `lab.wasm?v=${hashOf(join(dist, 'lab.wasm'))}`;
const bootURL = `boot.wasm?v=${hashOf(join(dist, 'boot.wasm'))}`;
const boot = await build({
  ...common,
  entryPoints: [join(here, 'src/boot.js')],
  format: 'iife',
  write: false,
  define: { ...threadSource, WASM_URL: JSON.stringify(wasmURL), BOOT_URL: JSON.stringify(bootURL), LANGUAGES: JSON.stringify(languages), TEXTS_URLS: JSON.stringify(textsURLs), PREVIEW_VERSION },
});
const bootJS = boot.outputFiles[0].text.trim();
if (bootJS.includes('</script')) throw new Error('src/boot.js must not contain </script');

// The end of <body>'s script (src/early.js), inlined: the page's words in
// its language before the first paint, those of index.html only.
const htmlKeys = new Set([...readFileSync(join(here, 'src/index.html'), 'utf8').matchAll(/data-i18n(?:-aria|-title)?="([^"]+)"/g)].map((m) => m[1]));
const early = await build({
  ...common,
  entryPoints: [join(here, 'src/early.js')],
  format: 'iife',
  write: false,
  plugins: [cataloguesOf(htmlKeys)],
  define: { LANGUAGES: JSON.stringify(languages) },
});
const earlyJS = early.outputFiles[0].text.trim();
if (earlyJS.includes('</script')) throw new Error('src/early.js must not contain </script');

const outs = Object.entries(result.metafile.outputs);
const entry = outs.find(([, o]) => o.entryPoint && o.entryPoint.endsWith('src/main.js'));
const js = relative(dist, join(process.cwd(), entry[0]));
const css = relative(dist, join(process.cwd(), entry[1].cssBundle));
// The stylesheet is inlined into the head (a few KB compressed): the first
// paint waits for no request but the page's own.
const cssText = readFileSync(join(dist, css), 'utf8').trim();
if (/<\/style/i.test(cssText)) throw new Error('the stylesheet must not contain </style');
// The chunks the entry imports at once are fetched beside it, not after it.
const preload = entry[1].imports
  .filter((i) => i.kind === 'import-statement' && i.path.endsWith('.js'))
  .map((i) => `<link rel="modulepreload" href="${relative(dist, join(process.cwd(), i.path))}">`)
  .join('\n');
const html = readFileSync(join(here, 'src/index.html'), 'utf8')
  .replace('</head>', () => (preload ? preload + '\n' : '') + '</head>')
  .replaceAll('{{js}}', js)
  .replace('{{css}}', () => cssText)
  .replace('{{boot}}', () => bootJS)
  .replace('{{early}}', () => earlyJS);
writeFileSync(join(dist, 'index.html'), html);

// The list of extra lessons is empty on a static host; labserver -lessons
// DIR answers this path with the lessons of DIR.
mkdirSync(join(dist, 'lessons/extra'), { recursive: true });
writeFileSync(join(dist, 'lessons/extra/index.json'), '{"lessons":[]}\n');

// Precompress: brotli at its best quality and gzip -9, done once here
// rather than on every request.
function walk(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
const report = [];
for (const file of walk(dist)) {
  if (!/\.(js|css|html|wasm|svg|json|txt)$/.test(file) || statSync(file).size < COMPRESS_MIN) continue;
  const data = readFileSync(file);
  const br = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      [constants.BROTLI_PARAM_MODE]: file.endsWith('.wasm') ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
    },
  });
  const gz = gzipSync(data, { level: 9 });
  writeFileSync(file + '.br', br);
  writeFileSync(file + '.gz', gz);
  report.push(`${relative(dist, file).padEnd(48)} ${String(data.length).padStart(9)} raw ${String(gz.length).padStart(9)} gzip ${String(br.length).padStart(9)} br`);
}
console.log(report.join('\n'));
console.log(`built ${basename(dist)}/index.html -> ${js}, ${css}`);
