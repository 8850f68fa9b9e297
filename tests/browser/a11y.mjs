// Gate: axe-core finds no WCAG 2.0/2.1 A and AA violations on one page of
// every page type (pageTypes() in lib.mjs: every chapter, every top-level
// page, and one page of each folder of generated pages, so pages added later
// are included without editing a list), in light and dark colour schemes, at a phone and a
// desktop width, each both with JavaScript and as a reader without it gets
// the page (the site must work from a USB stick with scripts off). Interactive
// states (the deadline calculator filled in, a search with
// results, the level tree answered in the JS widget) are checked when
// handbook.js shows them.
//
//   node tests/browser/a11y.mjs
//
// Every violation is printed (rule, impact, target selectors, page, scheme,
// width) before the gate fails.

import { createRequire } from 'node:module';
import { launch, levelPath, pageTypes, pageUrl, requireSite } from './lib.mjs';

requireSite();

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const SCHEMES = ['light', 'dark'];
const ALL_NODES = !!process.env.A11Y_ALL_NODES;
const MAX_NODES = 8;
const VIEWPORTS = [
  { width: 360, height: 800 },
  { width: 1280, height: 900 },
];

const { types, missing } = pageTypes();
const failures = []; // { where, message }
const violations = []; // flattened, one per rule per check
const notes = new Set();
let checks = 0;
let passedChecks = 0;

for (const m of missing) failures.push({ where: m, message: 'no page of this type in public/' });

async function runAxe(page) {
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!has) await page.addScriptTag({ path: AXE });
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)),
        summary: n.failureSummary,
        html: n.html,
      })),
    }));
  }, TAGS);
}

async function settle(page) {
  await page.waitForLoadState('load');
  await page.evaluate(() => document.fonts && document.fonts.ready.then(() => true));
  // Let handbook.js finish any work it queued on load.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
}

async function check(page, label, scheme, width) {
  checks++;
  let vs;
  try {
    vs = await runAxe(page);
  } catch (e) {
    failures.push({ where: `${label} [${scheme}, ${width}px]`, message: `axe failed: ${e.message}` });
    return;
  }
  if (vs.length === 0) passedChecks++;
  for (const v of vs) violations.push({ ...v, page: label, scheme, width });
}

/** Render <noscript> content as a browser without JavaScript would. */
async function showNoscript(page) {
  await page.evaluate(() => {
    for (const n of [...document.querySelectorAll('noscript')]) {
      const t = document.createElement('template');
      t.innerHTML = n.textContent;
      n.replaceWith(t.content);
    }
  });
}

const visible = (page, sel) =>
  page
    .locator(sel)
    .first()
    .isVisible()
    .catch(() => false);

/** Extra interactive states, each only when handbook.js shows the widget. */
// A word the site's search finds (the bundled handbook's default; the NIS 2
// gate sets its own).
const SEARCH_TERM = process.env.HANDBOOK_SEARCH_TERM || '通報';

const interactive = {
  async deadlines(page, label, scheme, width) {
    if (!(await visible(page, '#calculator'))) {
      notes.add('deadlines: #calculator is hidden (handbook.js not active) — filled state not checked');
      return;
    }
    await page.fill('#calc-discovered-date', '2026-03-02');
    await page.fill('#calc-discovered-time', '09:00');
    // The second most severe level (level 3 of the bundled policy), or the
    // only one: read from the page, so any policy's levels work.
    const levels = await page.locator('#calc-level option').evaluateAll((os) => os.map((o) => o.value));
    if (levels.length) await page.selectOption('#calc-level', levels[Math.min(1, levels.length - 1)]);
    const cond = page.locator('#calc-cond-support-requested');
    if (await cond.count()) await cond.check();
    const details = page.locator('details.actual-times');
    if ((await details.count()) && !(await details.evaluate((d) => d.open))) {
      await details.locator('summary').click();
    }
    const at = page.locator('#calc-at-recheck');
    if ((await at.count()) && (await at.isVisible())) await at.fill('2026-03-02T12:00');
    await page
      .locator('#calc-result')
      .waitFor({ state: 'visible', timeout: 5000 })
      .catch(() => notes.add('deadlines: #calc-result did not become visible after filling the form'));
    await settle(page);
    await check(page, `${label} (calculator filled)`, scheme, width);
  },

  async search(page, label, scheme, width) {
    if (!(await visible(page, '#search-form'))) {
      notes.add('search: #search-form is hidden (handbook.js not active) — query state not checked');
      return;
    }
    await page.fill('#search-input', SEARCH_TERM);
    await page
      .locator('#search-results a')
      .first()
      .waitFor({ state: 'visible', timeout: 5000 })
      .catch(() => notes.add(`search: no result link appeared for ${SEARCH_TERM}`));
    await settle(page);
    await check(page, `${label} (query ${SEARCH_TERM})`, scheme, width);
  },

  async 'classify start'(page, label, scheme, width) {
    if (!(await visible(page, '#tree-app'))) {
      notes.add('classify: #tree-app is hidden (handbook.js not active) — JS widget states not checked');
      return;
    }
    // The widget's first question is covered by the plain check; answer the
    // whole level-3 path and check the result view.
    const data = await page.evaluate(() => window.HANDBOOK_DATA);
    const { steps } = levelPath(data);
    for (const s of steps) {
      await page
        .locator('#tree-app button.tree-answer')
        .filter({ hasText: s.text })
        .last()
        .click({ timeout: 5000 });
    }
    await page
      .locator('#tree-app section.tree-result')
      .waitFor({ state: 'visible', timeout: 5000 })
      .catch(() => notes.add('classify: no section.tree-result after answering the level-3 path'));
    await settle(page);
    await check(page, `${label} (JS widget, level-3 result)`, scheme, width);
  },
};

// One context per scheme × width × JS state; two run at a time (the CI
// machine has two cores: while axe runs in one renderer, the other loads).
const configs = [];
for (const scheme of SCHEMES) {
  for (const viewport of VIEWPORTS) {
    for (const javaScriptEnabled of [true, false]) configs.push({ scheme, viewport, javaScriptEnabled });
  }
}
const PARALLEL = 2;

async function runConfig(browser, { scheme, viewport, javaScriptEnabled }) {
  // axe needs JavaScript (and its timers), so "no JS" is emulated: the
  // site's own scripts are served empty and <noscript> content is
  // shown, which is what a reader without JavaScript gets.
  const context = await browser.newContext({ viewport, colorScheme: scheme });
  // Offline: nothing outside file:// may load (e2e.mjs reports these).
  await context.route(/^(https?|wss?|ftp):/, (route) => route.abort());
  if (!javaScriptEnabled) {
    await context.route(/^file:.*\.m?js(\?.*)?$/, (route) =>
      route.fulfill({ status: 200, contentType: 'text/javascript', body: '' }),
    );
  }
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  for (const { name, path } of types) {
    const label = `${path} (${name}${javaScriptEnabled ? '' : ', no JS'})`;
    try {
      await page.goto(pageUrl(path));
      await page.emulateMedia({ colorScheme: scheme });
      if (!javaScriptEnabled) await showNoscript(page);
      await settle(page);
      await check(page, label, scheme, viewport.width);
      if (javaScriptEnabled && interactive[name]) {
        await interactive[name](page, label, scheme, viewport.width);
      }
    } catch (e) {
      failures.push({
        where: `${label} [${scheme}, ${viewport.width}px]`,
        message: e.message.split('\n')[0],
      });
    }
  }
  await context.close();
}

const t0 = Date.now();
const browser = await launch();
try {
  const queue = [...configs];
  const worker = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) await runConfig(browser, c);
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
} finally {
  await browser.close();
}

// Report: every violation, then a summary grouped by rule.
for (const v of violations) {
  console.error(
    `VIOLATION ${v.id} (${v.impact}) on ${v.page} [${v.scheme}, ${v.width}px]: ${v.help}`,
  );
  const shown = ALL_NODES ? v.nodes : v.nodes.slice(0, MAX_NODES);
  for (const n of shown) {
    console.error(`    target: ${n.target.join(', ')}`);
    if (n.summary) console.error(`      ${n.summary.replace(/\n\s*/g, ' | ')}`);
  }
  if (shown.length < v.nodes.length) {
    console.error(`    … and ${v.nodes.length - shown.length} more node(s) (A11Y_ALL_NODES=1 lists all)`);
  }
}
for (const f of failures) console.error(`FAIL ${f.where}: ${f.message}`);
for (const n of notes) console.log(`note: ${n}`);

if (violations.length) {
  const byRule = new Map();
  for (const v of violations) {
    const r = byRule.get(v.id) || { impact: v.impact, help: v.help, url: v.helpUrl, where: new Set(), nodes: 0 };
    r.where.add(v.page);
    r.nodes += v.nodes.length;
    byRule.set(v.id, r);
  }
  console.error('\nSummary by rule:');
  for (const [id, r] of byRule) {
    console.error(`  ${id} (${r.impact}): ${r.help} — ${r.nodes} node(s) on ${[...r.where].join('; ')}`);
    console.error(`    ${r.url}`);
  }
}

console.log(
  `axe: ${types.length} page types × JS on/off × ${SCHEMES.length} schemes × ` +
    `${VIEWPORTS.length} widths, ` +
    `${checks} checks, ${violations.length} violation(s), ${failures.length} other failure(s), ` +
    `${((Date.now() - t0) / 1000).toFixed(1)}s`,
);
const failedChecks = checks - passedChecks + failures.length;
console.log(`${passedChecks} passed, ${failedChecks} failed`);
process.exit(violations.length || failures.length ? 1 : 0);
