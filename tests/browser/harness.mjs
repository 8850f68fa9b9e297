// The harness the end-to-end gates share (e2e.mjs on the bundled handbook,
// e2e-nis2.mjs on examples/nis2): named checks that collect failures and
// go on, browser contexts that record every error and every request
// leaving public/, the walk over every page and its links, the CLI the
// calculator is compared with, and the summary that sets the exit code.
// Nothing here knows a policy: the gates bring their own scenarios.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PUBLIC, PUBLIC_URL, REPO, allowedRequest, htmlPages, pageUrl, relFromUrl } from './lib.mjs';

export const results = []; // { name, ok, details: [] }
export const short = (url) => (url.startsWith(PUBLIC_URL) ? url.slice(PUBLIC_URL.length) : url);

/** Run one named check; failures are collected, never thrown past here. */
export async function step(name, fn) {
  const details = [];
  const fail = (msg) => details.push(msg);
  const t0 = Date.now();
  try {
    await fn(fail);
  } catch (e) {
    details.push(`exception: ${(e && e.message ? e.message : String(e)).split('\n')[0]}`);
  }
  const ok = details.length === 0;
  results.push({ name, ok, details });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  for (const d of details) console.log(`       - ${d}`);
}

/**
 * A browser context that records, per page URL, every console error, page
 * error, failed request and request leaving public/. Requests that leave
 * public/ are aborted, so the test never touches the network.
 */
export async function watchedContext(browser, label, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const problems = [];
  const where = (page) => {
    try {
      return short(page.url()) || '(blank)';
    } catch {
      return '(closed)';
    }
  };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (allowedRequest(url)) return route.continue();
    return route.abort('blockedbyclient');
  });
  context.on('page', (page) => {
    page.on('console', (msg) => {
      if (msg.type() === 'error') {
        const loc = msg.location();
        const at = loc && loc.url ? ` (${short(loc.url)}:${loc.lineNumber + 1})` : '';
        problems.push(`[${label}] console error on ${where(page)}: ${msg.text()}${at}`);
      }
    });
    page.on('pageerror', (err) => {
      const top = (err.stack || '').split('\n').slice(0, 2).join(' ');
      problems.push(`[${label}] page error on ${where(page)}: ${err.message}${top ? ` — ${short(top)}` : ''}`);
    });
    page.on('request', (req) => {
      if (!allowedRequest(req.url())) {
        problems.push(`[${label}] request outside public/ from ${where(page)}: ${req.url()}`);
      }
    });
    page.on('requestfailed', (req) => {
      if (!allowedRequest(req.url())) return; // already reported above
      problems.push(
        `[${label}] request failed on ${where(page)}: ${short(req.url())} (${req.failure()?.errorText})`,
      );
    });
  });
  return { context, problems, reported: 0 };
}

/** Problems recorded and not yet reported, reported into the current step. */
export function drain(watched, fail) {
  for (const p of watched.problems.slice(watched.reported)) fail(p);
  watched.reported = watched.problems.length;
}

export async function settle(page) {
  await page.waitForLoadState('load');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
}

export const isVisible = (page, sel) =>
  page
    .locator(sel)
    .first()
    .isVisible()
    .catch(() => false);

export function crawlEveryPage(crawl) {
  return step('every page loads from file:// without errors or outside requests', async (fail) => {
    const pages = htmlPages();
    const ids = new Map(); // rel path → Set of ids
    const links = []; // { from, href, target }
    const page = await crawl.context.newPage();
    page.setDefaultTimeout(10000);
    for (const rel of pages) {
      const resp = await page.goto(pageUrl(rel));
      if (resp && !resp.ok() && resp.status() !== 0) fail(`${rel}: status ${resp.status()}`);
      await settle(page);
      const info = await page.evaluate(() => ({
        ids: [...document.querySelectorAll('[id]')].map((e) => e.id),
        names: [...document.querySelectorAll('a[name]')].map((e) => e.name),
        // SVG <a> uses href (or the old xlink:href) and e.href is not a string
        // there, so resolve the attribute against the document instead.
        links: [
          ...document.querySelectorAll(
            'a[href], area[href], link[href], script[src], img[src], source[src], iframe[src], image[href], use[href], [*|href]',
          ),
        ].map((e) => {
          const raw =
            e.getAttribute('href') ??
            e.getAttribute('src') ??
            e.getAttributeNS('http://www.w3.org/1999/xlink', 'href') ??
            '';
          let abs = '';
          try {
            abs = new URL(raw, document.baseURI).href;
          } catch {
            abs = '';
          }
          return { raw, abs, tag: e.tagName.toLowerCase() };
        }),
      }));
      ids.set(rel, new Set([...info.ids, ...info.names]));
      for (const l of info.links) links.push({ from: rel, ...l });
      drain(crawl, fail);
    }
    await crawl.context.close();
    // Links: relative, inside public/, to files that exist, with fragments
    // that exist. Links to other schemes (https:, tel:, mailto:) are not
    // requests and are allowed; absolute paths are not (they break off a
    // USB stick).
    let bad = 0;
    for (const l of links) {
      const raw = (l.raw || '').trim();
      if (/^(https?:|mailto:|tel:|sms:|data:|blob:|javascript:)/i.test(raw)) {
        if (/^javascript:/i.test(raw)) fail(`${l.from}: javascript: link ${raw}`);
        if (l.tag !== 'a' && l.tag !== 'area' && /^https?:/i.test(raw)) {
          fail(`${l.from}: <${l.tag}> loads from the network: ${raw}`);
        }
        continue;
      }
      if (raw.startsWith('/') || /^file:/i.test(raw)) {
        fail(`${l.from}: non-relative link ${raw}`);
        bad++;
        continue;
      }
      if (!l.abs) {
        fail(`${l.from}: <${l.tag}> has an unparsable URL ${JSON.stringify(raw)}`);
        bad++;
        continue;
      }
      const u = new URL(l.abs);
      const target = relFromUrl(`${u.protocol}//${u.host}${u.pathname}`);
      if (target === null) {
        fail(`${l.from}: link ${raw} points outside public/`);
        bad++;
        continue;
      }
      const file = join(PUBLIC, target);
      if (!existsSync(file) || target === '' || target.endsWith('/')) {
        fail(`${l.from}: broken link ${raw} (no file ${target || '(directory)'})`);
        bad++;
        continue;
      }
      const frag = decodeURIComponent(u.hash.slice(1));
      if (frag && target.endsWith('.html') && ids.has(target) && !ids.get(target).has(frag)) {
        fail(`${l.from}: link ${raw}: no id="${frag}" in ${target}`);
        bad++;
      }
    }
    console.log(`       ${pages.length} pages, ${links.length} links/refs checked, ${bad} bad`);
  });
}

/**
 * `handbook deadlines ARGS --format json`, parsed: the binary that built
 * public/ (.ci/run builds it with `cargo run --release` just before), so the
 * site and the CLI come from one build; `cargo run` only when it is missing.
 */
export function cliJson(args) {
  const bin = process.env.HANDBOOK_BIN || join(REPO, 'target', 'release', 'handbook');
  const [cmd, cmdArgs] = existsSync(bin)
    ? [bin, args]
    : ['cargo', ['run', '--release', '-q', '--', ...args]];
  const out = execFileSync(cmd, cmdArgs, {
    cwd: REPO,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out);
}

/** Print the failed checks and exit 1 if any failed, else 0. */
export function finish() {
  const failed = results.filter((r) => !r.ok);
  console.log('');
  if (failed.length) {
    console.log('Failed checks:');
    for (const r of failed) {
      console.log(`  ${r.name}`);
      for (const d of r.details) console.log(`    - ${d}`);
    }
  }
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
  process.exit(failed.length ? 1 : 0);
}
