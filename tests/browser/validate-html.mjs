// Gate: every generated page is valid HTML according to the Nu HTML Checker
// (vnu.jar from the vnu-jar npm package, run with the system Java).
//
//   node tests/browser/validate-html.mjs
//
// Any error (or a page vnu could not check) fails the gate. Warnings are not
// reported (--errors-only).

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PUBLIC, REPO, htmlPages, requireSite } from './lib.mjs';

requireSite();

const require = createRequire(import.meta.url);
const vnuJar = String(require('vnu-jar'));
const java = process.env.JAVA || 'java';

const pages = htmlPages();
console.log(`vnu: checking ${pages.length} HTML pages in ${relative(REPO, PUBLIC) || PUBLIC}/`);
if (pages.length === 0) {
  console.error('FAIL: no HTML pages found');
  process.exit(1);
}

const run = spawnSync(
  java,
  ['-jar', vnuJar, '--errors-only', '--format', 'json', '--skip-non-html', PUBLIC],
  { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
);
if (run.error) {
  console.error(`FAIL: could not run ${java}: ${run.error.message}`);
  process.exit(1);
}

// vnu writes its JSON report to stderr.
let report;
try {
  report = JSON.parse(run.stderr || run.stdout);
} catch (e) {
  console.error(`FAIL: could not parse vnu output (exit ${run.status}):`);
  console.error((run.stderr || '') + (run.stdout || ''));
  process.exit(1);
}

const problems = (report.messages || []).filter((m) => m.type !== 'info');
const byFile = new Map();
for (const m of problems) {
  let file = m.url || '(unknown)';
  if (file.startsWith('file:')) {
    try {
      file = relative(PUBLIC, fileURLToPath(file.replace(/^file:(?!\/\/)/, 'file://')));
    } catch {
      /* keep the URL */
    }
  }
  if (!byFile.has(file)) byFile.set(file, []);
  byFile.get(file).push(m);
}

for (const [file, msgs] of [...byFile].sort()) {
  for (const m of msgs) {
    const line = m.lastLine ?? m.firstLine ?? '?';
    const col = m.firstColumn ?? m.lastColumn ?? '?';
    const kind = m.subType ? `${m.type}/${m.subType}` : m.type;
    console.error(`public/${file}:${line}:${col}: ${kind}: ${m.message}`);
    if (m.extract) console.error(`    ${m.extract.replace(/\n/g, '⏎')}`);
  }
}

if (problems.length > 0 || run.status !== 0) {
  console.error(
    `FAIL: vnu reported ${problems.length} error(s) in ${byFile.size} page(s)` +
      (problems.length === 0 ? ` (exit status ${run.status})` : ''),
  );
  const failed = Math.max(byFile.size, 1);
  console.error(`${pages.length - failed} passed, ${failed} failed`);
  process.exit(1);
}
console.log(`vnu: ${pages.length} pages, 0 errors`);
console.log(`${pages.length} passed, 0 failed`);
