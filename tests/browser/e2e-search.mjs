// Search and agency filter in Chromium from file:// (JS on): the search
// page's results open at a heading (page.html#id, "page › heading"), a
// query goes through the synonym table, and the agency filter finds the
// annex agencies by today's names and by 台 for 臺. No console errors.
//
//   node tests/browser/e2e-search.mjs   (HANDBOOK_PUBLIC for another site)

import { launch, pageUrl, requireSite } from './lib.mjs';

requireSite();
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 360, height: 640 } });
const errors = [];
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
page.on('pageerror', (e) => errors.push(String(e)));
const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); };

for (const [query, href] of [
  ['勒索軟體', 'chapters/what-is-an-incident.html#'],
  ['台北市', 'agencies.html#agency-43'],
  ['戶政', 'agencies.html#agency-2'],
]) {
  await page.goto(pageUrl('search.html', `?q=${encodeURIComponent(query)}`));
  const links = await page.$$eval('#search-results a', (as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
  check(links.some(([h]) => h.startsWith(href)), `search ${query}: no result at ${href}: ${JSON.stringify(links.slice(0, 5))}`);
  if (query === '勒索軟體') {
    const [, label] = links.find(([h]) => h.startsWith(href)) || [null, ''];
    check(label.includes(' › '), `search ${query}: the result does not name page › heading: ${label}`);
  }
}

for (const [query, rows] of [
  ['國發會', ['agency-22', 'agency-27']],
  ['台北市', ['agency-43']],
  ['衛生福利部', ['agency-17']],
  ['NCC', ['agency-36']],
]) {
  await page.goto(pageUrl('agencies.html', `?q=${encodeURIComponent(query)}`));
  const shown = await page.$$eval('#agency-table tbody tr', (trs) => trs.filter((t) => !t.hidden).map((t) => t.id));
  check(JSON.stringify(shown) === JSON.stringify(rows), `filter ${query}: shows ${JSON.stringify(shown)}, expected ${JSON.stringify(rows)}`);
}

await browser.close();
check(errors.length === 0, `console errors: ${errors.join('; ')}`);
if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log('search and agency filter: ok');
