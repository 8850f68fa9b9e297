// Shared helpers for the browser gates: where the site is, how to start the
// system Chromium, and how to pick one page of each page type.
//
// The site is tested exactly as a reader gets it from a USB stick: opened
// from disk through file:// URLs, never through a web server.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export const REPO = resolve(here, '..', '..');
export const PUBLIC = process.env.HANDBOOK_PUBLIC
  ? resolve(process.env.HANDBOOK_PUBLIC)
  : join(REPO, 'public');
// file:///…/public/ — every request a page makes must start with this.
export const PUBLIC_URL = pathToFileURL(PUBLIC + sep).href;

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/** Stop with a message if the site has not been built. */
export function requireSite() {
  if (!existsSync(join(PUBLIC, 'index.html'))) {
    console.error(
      `error: ${join(PUBLIC, 'index.html')} does not exist; ` +
        'build the site first with `cargo run --release -q -- build`',
    );
    process.exit(2);
  }
}

/** Launch the Debian Chromium (never a downloaded browser). */
export async function launch() {
  const { chromium } = await import('playwright-core');
  if (!existsSync(CHROMIUM)) {
    console.error(`error: ${CHROMIUM} not found; install it with apt-get install chromium`);
    process.exit(2);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
  });
}

/** All files below `dir`, as paths relative to it with '/' separators, sorted. */
export function listFiles(dir = PUBLIC, filter = () => true) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (filter(p)) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort(naturalCompare);
}

export function htmlPages() {
  return listFiles(PUBLIC, (p) => p.endsWith('.html'));
}

/** Compare so that n2 sorts before n10. */
export function naturalCompare(a, b) {
  return a.localeCompare(b, 'en', { numeric: true });
}

export function readPage(rel) {
  return readFileSync(join(PUBLIC, rel), 'utf8');
}

/** file:// URL of a page given relative to public/, with optional ?query. */
export function pageUrl(rel, query = '') {
  return pathToFileURL(join(PUBLIC, rel)).href + query;
}

/** The path relative to public/ of a file:// URL inside it, else null. */
export function relFromUrl(url) {
  if (!url.startsWith(PUBLIC_URL)) return null;
  const u = new URL(url);
  return decodeURIComponent(u.pathname).slice(fileURLToPath(PUBLIC_URL).length);
}

/** Is this request allowed for an offline site opened from disk? */
export function allowedRequest(url) {
  if (url.startsWith('data:') || url.startsWith('blob:')) return true;
  if (!url.startsWith('file://')) return false;
  // Resolve ../ segments before comparing.
  const u = new URL(url);
  return u.href.startsWith(PUBLIC_URL);
}

/**
 * One page of every page type, as { name, path } with path relative to
 * public/. Pages that are picked by content (a classify leaf, a tree
 * question/outcome page, an org unit page) are the first in natural order.
 * A type with no page at all is reported in `missing`. Every other
 * top-level page and the first page of every other folder are added too, so
 * new page kinds are covered without editing this function.
 */
export function pageTypes() {
  const pages = htmlPages();
  const missing = [];
  const types = [];
  const add = (name, path) => {
    if (path && pages.includes(path)) types.push({ name, path });
    else missing.push(name + (path ? ` (${path})` : ''));
  };
  const first = (pred) => pages.find(pred);

  add('home', 'index.html');
  // Every chapter: they are authored, and any of them may hold a wide table.
  const chapters = pages.filter((p) => p.startsWith('chapters/'));
  if (chapters.length === 0) missing.push('chapter');
  for (const p of chapters) add(`chapter ${p}`, p);
  add('classify start', 'classify/index.html');
  add(
    'classify leaf (level result)',
    first((p) => /^classify\/n\d+\.html$/.test(p) && readPage(p).includes('result-level')),
  );
  add(
    'decision tree question',
    first((p) => p.startsWith('trees/') && readPage(p).includes('class="question"')),
  );
  add(
    'decision tree outcome',
    first((p) => p.startsWith('trees/') && /class="result[" ]/.test(readPage(p))),
  );
  add('deadlines', 'deadlines.html');
  add('contacts', 'contacts/index.html');
  add('org index', 'org/index.html');
  add('org unit', first((p) => /^org\/[^/]+\.html$/.test(p) && p !== 'org/index.html'));
  for (const p of [
    'flow',
    'agencies',
    'levels',
    'duties',
    'drills',
    'accountability',
    'gaps',
    'search',
    'print',
  ]) {
    add(p, `${p}.html`);
  }
  // Pages added later are included without editing this list: every other
  // top-level page (incident.html, report.html, ...) and the first page of
  // every other folder of generated pages (worksheets/, ...), one per family.
  const picked = new Set(types.map((t) => t.path));
  const families = new Set(['chapters', 'classify', 'trees', 'org', 'contacts']);
  for (const p of pages) {
    if (picked.has(p)) continue;
    const slash = p.indexOf('/');
    if (slash < 0) {
      add(p.replace(/\.html$/, ''), p);
    } else if (!families.has(p.slice(0, slash))) {
      const family = p.slice(0, slash);
      families.add(family);
      add(`${family}/ (first of its pages)`, p);
    }
    picked.add(p);
  }
  return { types, missing };
}

/**
 * The answers that lead from the root of the level tree to a level-3
 * result: leak=classified, then the "nothing happened" answer to every
 * other question. Computed from window.HANDBOOK_DATA so the test follows
 * the policy instead of hard-coding node numbers.
 * Returns [{ question, answerId, text }] and the final leaf.
 */
export function levelPath(data, firstAnswer = { leak: 'classified' }) {
  const tree = data.levelTree;
  const questions = new Map(data.questions.map((q) => [q.id, q]));
  const text = (t) => (t && typeof t === 'object' ? t['zh-TW'] ?? Object.values(t)[0] : t);
  const steps = [];
  let n = 0;
  for (let guard = 0; tree[n] && tree[n].type === 'question' && guard < 100; guard++) {
    const node = tree[n];
    const q = questions.get(node.question);
    if (!q) throw new Error(`level tree node ${n}: unknown question ${node.question}`);
    const wanted = firstAnswer[q.id];
    const a = wanted ? q.answers.find((x) => x.id === wanted) : q.answers.find((x) => x.nothing);
    if (!a) throw new Error(`level tree node ${n}: no answer to pick for ${q.id}`);
    const branch = node.branches.find((b) => b.answer === a.id);
    if (!branch) throw new Error(`level tree node ${n}: no branch for ${q.id}=${a.id}`);
    steps.push({ question: q.id, answerId: a.id, text: text(a.text) });
    n = branch.node;
  }
  return { steps, leaf: tree[n] };
}

/** Read window.HANDBOOK_DATA from public/assets/data.js without a browser. */
export function loadData() {
  const src = readFileSync(join(PUBLIC, 'assets', 'data.js'), 'utf8');
  const window = {};
  new Function('window', src)(window);
  if (!window.HANDBOOK_DATA) throw new Error('assets/data.js did not set window.HANDBOOK_DATA');
  return window.HANDBOOK_DATA;
}
