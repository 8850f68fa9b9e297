// Gate: the site works opened from disk (file://), as from a USB stick.
//
//   node tests/browser/e2e.mjs
//
// Checks, each reported separately (the run goes on after a failure and
// fails at the end if any check failed):
//   * no console error, page error, failed request, or request that leaves
//     public/ (anything but file:// inside public/, data: and blob:) on any
//     visited page — every HTML page is visited once with JavaScript on;
//   * every relative link resolves to an existing file inside public/, and
//     its #fragment to an element id on that page;
//   * level tree, JS widget: home → 判斷等級 → answers for leak=classified
//     (the other questions "nothing") → section.tree-result[data-level="3"];
//   * level tree, no JS: the same path through the static a.answer links →
//     .result containing 「3 級事件」;
//   * deadline calculator (JS): deadlines.html?level=3 filled in matches
//     `handbook deadlines --level 3 … --format json` event by event;
//     the no-JS table (#event-report) is there with and without JS;
//     a late review lists the direct re-check from the review deadline, an
//     on-time one does not, and contradictory times (among them a direct
//     re-check before the review deadline or after an on-time review) give
//     an inline message (#calc-conflicts) instead of a result;
//   * role views: for each reader, deadlines.html?d=…&role=…&level=3 shows
//     exactly `handbook deadlines --role` first (the rest folded), names the
//     .ics by the local date, and a received time goes into the URL and
//     survives a reload;
//   * search (JS): search.html?q=通報 lists at least one result link, and
//     the first one opens.
// A JS feature that handbook.js does not provide yet is a failure with a
// message saying so, never a silent skip.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PUBLIC, launch, levelPath, loadData, pageUrl, relFromUrl, requireSite } from './lib.mjs';
import {
  cliJson,
  crawlEveryPage,
  drain,
  finish,
  isVisible,
  settle,
  short,
  step,
  watchedContext,
} from './harness.mjs';

requireSite();

function cliDeadlines() {
  return cliJson([
    'deadlines',
    '--level',
    '3',
    '--discovered',
    '2026-03-02T09:00',
    '--support',
    '--at',
    'recheck=2026-03-02T12:00',
    '--format',
    'json',
  ]);
}

const data = loadData();
const path3 = levelPath(data);
if (String(path3.leaf?.outcome?.level) !== '3') {
  console.error(
    `error: the path ${path3.steps.map((s) => `${s.question}=${s.answerId}`).join(', ')} ` +
      `does not end at level 3 (leaf: ${JSON.stringify(path3.leaf)})`,
  );
  process.exit(1);
}
const pathText = path3.steps.map((s) => `${s.question}=${s.answerId}「${s.text}」`).join(' → ');

const browser = await launch();
// The walk over every page gets its own context, so whatever handbook.js
// keeps in storage there cannot change the flows tested after it.
const crawl = await watchedContext(browser, 'js');
const js = await watchedContext(browser, 'js');
const nojs = await watchedContext(browser, 'no-js', { javaScriptEnabled: false });
const page = await js.context.newPage();
page.setDefaultTimeout(10000);

try {
  // -- every page once, JS on: console/page errors, requests, links ------
  await crawlEveryPage(crawl);

  // -- level tree with JS ----------------------------------------------
  await step(`level tree, JS widget: ${pathText} → 3 級`, async (fail) => {
    await page.goto(pageUrl('index.html'));
    await settle(page);
    await page.getByRole('link', { name: '判斷等級', exact: true }).first().click();
    await page.waitForURL((u) => u.pathname.endsWith('/classify/index.html'));
    await settle(page);
    if (!(await isVisible(page, '#tree-app'))) {
      fail('#tree-app is hidden on classify/index.html: the JS level-tree widget is not active (handbook.js does not provide it yet)');
    } else {
      const inPage = await page.evaluate(() => typeof window.HANDBOOK_DATA === 'object');
      if (!inPage) fail('window.HANDBOOK_DATA is not defined in the page (assets/data.js not loaded?)');
      for (const [i, s] of path3.steps.entries()) {
        const buttons = page.locator('#tree-app button.tree-answer');
        // .last(): if the widget keeps answered questions on screen, the
        // current question is the newest one.
        const btn = buttons.filter({ hasText: s.text });
        try {
          await btn.last().waitFor({ state: 'visible', timeout: 5000 });
        } catch {
          const shown = await buttons.allInnerTexts().catch(() => []);
          fail(`question ${i + 1} (${s.question}): no button.tree-answer 「${s.text}」; buttons shown: ${JSON.stringify(shown)}`);
          return;
        }
        await btn.last().click();
      }
      const result = page.locator('#tree-app section.tree-result');
      try {
        await result.first().waitFor({ state: 'visible', timeout: 5000 });
      } catch {
        fail('no visible section.tree-result in #tree-app after answering the path');
        return;
      }
      const level = await result.first().getAttribute('data-level');
      if (level !== '3') fail(`section.tree-result has data-level=${JSON.stringify(level)}, expected "3"`);
      const text = await result.first().innerText();
      if (!text.includes('3 級事件')) fail(`section.tree-result does not mention 「3 級事件」: ${text.slice(0, 120)}`);
    }
    drain(js, fail);
  });

  // -- level tree without JS -------------------------------------------
  await step(`level tree, no JS (static pages): ${pathText} → 3 級`, async (fail) => {
    const p = await nojs.context.newPage();
    p.setDefaultTimeout(10000);
    try {
      await p.goto(pageUrl('index.html'));
      await p.getByRole('link', { name: '判斷等級', exact: true }).first().click();
      await p.waitForURL((u) => u.pathname.endsWith('/classify/index.html'));
      if (await isVisible(p, '#tree-app')) fail('#tree-app is visible with JavaScript off (must stay hidden)');
      for (const [i, s] of path3.steps.entries()) {
        const link = p.locator('a.answer').filter({ hasText: s.text });
        if ((await link.count()) === 0) {
          const shown = await p.locator('a.answer').allInnerTexts();
          fail(`question ${i + 1} (${s.question}) on ${short(p.url())}: no a.answer 「${s.text}」; answers: ${JSON.stringify(shown)}`);
          return;
        }
        await Promise.all([p.waitForNavigation(), link.first().click()]);
      }
      const result = p.locator('.result');
      if ((await result.count()) === 0) {
        fail(`no .result on ${short(p.url())}`);
      } else {
        const text = await result.first().innerText();
        if (!text.includes('3 級事件')) fail(`.result on ${short(p.url())} does not contain 「3 級事件」: ${text.slice(0, 120)}`);
      }
    } finally {
      await p.close();
    }
    drain(nojs, fail);
  });

  // -- deadline calculator ---------------------------------------------
  await step('deadline calculator (JS) agrees with `handbook deadlines` for level 3', async (fail) => {
    await page.goto(pageUrl('deadlines.html', '?level=3'));
    await settle(page);
    if ((await page.locator('#event-report').count()) === 0) fail('no #event-report row in the static table');
    if (!(await isVisible(page, '#calculator'))) {
      fail('#calculator is hidden on deadlines.html: the JS calculator is not active (handbook.js does not provide it yet)');
      drain(js, fail);
      return;
    }
    const level = await page.locator('#calc-level').inputValue().catch(() => null);
    if (level !== '3') fail(`?level=3 did not preselect level 3 (#calc-level is ${JSON.stringify(level)})`);
    await page.fill('#calc-discovered-date', '2026-03-02');
    await page.fill('#calc-discovered-time', '09:00');
    if (level !== '3') await page.selectOption('#calc-level', '3');
    await page.locator('#calc-cond-support-requested').check();
    const details = page.locator('details.actual-times');
    if ((await details.count()) && !(await details.evaluate((d) => d.open))) {
      await details.locator('summary').click();
    }
    await page.fill('#calc-at-recheck', '2026-03-02T12:00');

    const expected = cliDeadlines().deadlines.map((d) => ({ event: d.event, due: d.due ?? '' }));
    const read = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('tr[data-event]')].map((tr) => ({
          event: tr.getAttribute('data-event'),
          due: tr.getAttribute('data-due') ?? '',
          hasDue: tr.hasAttribute('data-due'),
        })),
      );
    const diff = (rows) => {
      const out = [];
      const got = new Map();
      for (const r of rows) {
        if (got.has(r.event)) out.push(`event ${r.event} appears in more than one tr[data-event]`);
        got.set(r.event, r);
      }
      for (const e of expected) {
        const r = got.get(e.event);
        if (!r) out.push(`missing row for event ${e.event} (CLI due ${e.due || 'null'})`);
        else if (!r.hasDue) out.push(`row ${e.event} has no data-due attribute (CLI due ${e.due || 'null'})`);
        else if (r.due !== e.due) out.push(`row ${e.event}: data-due=${JSON.stringify(r.due)}, CLI due ${JSON.stringify(e.due || null)}`);
      }
      const want = new Set(expected.map((e) => e.event));
      for (const r of rows) if (!want.has(r.event)) out.push(`extra row for event ${r.event} (not in the CLI output)`);
      return out;
    };
    // The page may recompute after a short delay; poll for up to 5 s.
    let rows = [];
    let problems = ['no tr[data-event] rows'];
    for (let t = 0; t < 50; t++) {
      rows = await read();
      problems = rows.length ? diff(rows) : ['no tr[data-event] rows after filling the calculator'];
      if (problems.length === 0) break;
      await page.waitForTimeout(100);
    }
    for (const p of problems) fail(p);
    console.log(`       ${rows.length} rows, ${expected.length} CLI events`);
    drain(js, fail);
  });

  await step('calculator: a late review gives the direct re-check from the review deadline; contradictions are refused inline', async (fail) => {
    await page.goto(pageUrl('deadlines.html', '?level=4'));
    await settle(page);
    if (!(await isVisible(page, '#calculator'))) {
      fail('#calculator is hidden');
      return;
    }
    await page.fill('#calc-discovered-date', '2026-03-02');
    await page.fill('#calc-discovered-time', '03:00');
    const details = page.locator('details.actual-times');
    if ((await details.count()) && !(await details.evaluate((d) => d.open))) {
      await details.locator('summary').click();
    }
    // No occurrence given: the calculator says it assumed the discovery
    // time, as the CLI lists it above the table.
    await page.waitForTimeout(100);
    if (!(await isVisible(page, '#calc-starts'))) fail('no occurrence given: #calc-starts (the assumed start) is not shown');
    else if (!(await page.locator('#calc-starts [data-event="occurred"]').count())) fail('#calc-starts does not name the assumed occurrence');
    await page.fill('#calc-at-report', '2026-03-02T03:30');
    await page.fill('#calc-at-review', '2026-03-02T07:00');
    const right = () => page.locator('tr[data-event="recheck-direct"]').getAttribute('data-due', { timeout: 2000 }).catch(() => null);
    const due = await right();
    if (due !== '2026-03-02T04:30:00+08:00') fail(`late review: recheck-direct data-due=${JSON.stringify(due)}, want the review deadline 04:30`);
    if (!(await page.locator('tr[data-event="recheck-direct"] .missed').count())) fail('late review: no note that the right counts from the missed deadline');
    await page.fill('#calc-at-review', '2026-03-02T04:10');
    await page.waitForTimeout(100);
    if (await page.locator('tr[data-event="recheck-direct"]').count()) fail('on-time review: recheck-direct is still listed');
    // The review before the report it reviews: a message, no result.
    await page.fill('#calc-at-review', '2026-03-02T03:10');
    await page.waitForTimeout(100);
    if (!(await isVisible(page, '#calc-conflicts'))) fail('contradictory times: #calc-conflicts is not shown');
    const text = (await page.locator('#calc-conflicts').textContent().catch(() => '')) || '';
    for (const t of ['03:10', '03:30']) if (!text.includes(t)) fail(`the message does not name ${t}: ${JSON.stringify(text)}`);
    if (await isVisible(page, '#calc-result')) fail('contradictory times: a result is still shown');
    if ((await page.locator('#calc-at-review[aria-invalid="true"]').count()) === 0) fail('the contradictory input is not marked aria-invalid');
    // A direct re-check before the review deadline (04:30) the right arises
    // from, then after an on-time review (04:10): a message naming both
    // times, no result.
    await page.fill('#calc-at-review', '');
    for (const [review, recheck, times] of [['', '2026-03-02T04:00', ['04:00', '04:30']], ['2026-03-02T04:10', '2026-03-02T05:00', ['05:00', '04:10', '04:30']]]) {
      await page.fill('#calc-at-review', review);
      await page.fill('#calc-at-recheck-direct', recheck);
      await page.waitForTimeout(100);
      const what = `direct re-check at ${recheck}${review ? ` after a review at ${review}` : ''}`;
      if (!(await isVisible(page, '#calc-conflicts'))) fail(`${what}: #calc-conflicts is not shown`);
      const said = (await page.locator('#calc-conflicts').textContent().catch(() => '')) || '';
      for (const t of times) if (!said.includes(t)) fail(`${what}: the message does not name ${t}: ${JSON.stringify(said)}`);
      if (await isVisible(page, '#calc-result')) fail(`${what}: a result is still shown`);
      if ((await page.locator('#calc-at-recheck-direct[aria-invalid="true"]').count()) === 0) fail(`${what}: the input is not marked aria-invalid`);
    }
    // From the missed deadline on, the right is accepted.
    await page.fill('#calc-at-review', '');
    await page.fill('#calc-at-recheck-direct', '2026-03-02T04:30');
    await page.waitForTimeout(100);
    if (await isVisible(page, '#calc-conflicts')) fail('a direct re-check at the missed review deadline is refused');
    await page.fill('#calc-at-recheck-direct', '');
    // An occurrence after the discovery.
    await page.fill('#calc-at-review', '');
    await page.fill('#calc-at-occurred', '2026-03-02T03:05');
    await page.waitForTimeout(100);
    if (!(await isVisible(page, '#calc-conflicts'))) fail('an occurrence after the discovery is not refused');
    await page.fill('#calc-at-occurred', '2026-03-02T01:00');
    await page.waitForTimeout(100);
    if (await isVisible(page, '#calc-conflicts')) fail('the message stays after the times were corrected');
    if (await isVisible(page, '#calc-starts')) fail('an occurrence was given, yet #calc-starts still says it is assumed');
    if (!(await isVisible(page, '#calc-result'))) fail('no result after the times were corrected');
    drain(js, fail);
  });

  await step('calculator role views: each reader sees what `handbook deadlines --role` prints first, the rest folded; the URL keeps the state', async (fail) => {
    const readers = (data.handbook && data.handbook.readers) || [];
    if (!readers.length) fail('the bundled data.js has no handbook.readers');
    const at = '2026-03-02T03:00';
    // Never "now": without ?d= the discovery date and time are empty and no deadline is shown.
    await page.goto(pageUrl('deadlines.html', '?level=3'));
    await settle(page);
    const empty = [await page.inputValue('#calc-discovered-date'), await page.inputValue('#calc-discovered-time')];
    if (empty.join('')) fail(`the discovery time is prefilled: ${JSON.stringify(empty)}`);
    if (await page.locator('tr[data-event]').count()) fail('deadlines are shown before a discovery time is given');
    for (const reader of readers) {
      await page.goto(pageUrl('deadlines.html', `?d=${at}&role=${encodeURIComponent(reader)}&level=3`));
      await settle(page);
      if (!(await page.locator(`#calc-role-${reader}`).isChecked())) fail(`?role=${reader} did not choose the reader`);
      const cli = cliJson(['deadlines', '--level', '3', '--discovered', at, '--role', reader, '--format', 'json']);
      const want = cli.deadlines.map((d) => `${d.event}@${d.due ?? ''}`);
      const got = await page.evaluate(() =>
        [...document.querySelectorAll('#calc-table tr[data-event]')].map((tr) => `${tr.getAttribute('data-event')}@${tr.getAttribute('data-due')}`),
      );
      if (JSON.stringify(got) !== JSON.stringify(want)) fail(`${reader}: mine ${JSON.stringify(got)}, CLI --role ${JSON.stringify(want)}`);
      const others = await page.locator('details.calc-others tr[data-event]').count();
      const all = cliJson(['deadlines', '--level', '3', '--discovered', at, '--format', 'json']).deadlines.length;
      if (others + got.length !== all) fail(`${reader}: ${got.length} mine + ${others} folded, CLI has ${all}`);
      if (await page.locator('details.calc-others').evaluate((d) => d.open)) fail(`${reader}: other bodies' deadlines are not folded`);
      const ics = (await page.getAttribute('#calc-ics', 'download')) || '';
      if (got.some((r) => !r.endsWith('@')) && !ics.startsWith('incident-deadlines-20260302T0300-')) fail(`${reader}: .ics name ${ics} is not the local date and time`);
    }
    // An entered time goes into the URL and survives a reload.
    // The second reader (a reviewer in the bundled policy) gets inputs for when another body's step reached them.
    await page.goto(pageUrl('deadlines.html', `?d=${at}&role=${encodeURIComponent(readers[1] || readers[0])}&level=3`));
    await settle(page);
    const received = page.locator('#calc-received input[data-event]');
    if (readers.length > 1 && !(await received.count())) fail('a reviewer is offered no input for the time a report was received');
    else if (await received.count()) {
      const id = await received.first().getAttribute('data-event');
      await received.first().fill('2026-03-02T03:20');
      await page.waitForTimeout(100);
      if (!decodeURIComponent(page.url()).includes(`t=${id}:2026-03-02T03:20`)) fail(`the received time is not in the URL: ${page.url()}`);
      await page.reload();
      await settle(page);
      if ((await page.locator(`input[data-event="${id}"]`).inputValue()) !== '2026-03-02T03:20') fail('the received time is lost on reload');
      if ((await page.locator('#calc-discovered-time').inputValue()) !== '03:00') fail('the discovery time is lost on reload');
    }
    drain(js, fail);
  });

  await step('deadlines.html without JS keeps the static table (#event-report)', async (fail) => {
    const p = await nojs.context.newPage();
    try {
      await p.goto(pageUrl('deadlines.html', '?level=3'));
      if ((await p.locator('#event-report').count()) === 0) fail('no #event-report in deadlines.html');
      else if (!(await p.locator('#event-report').isVisible())) fail('#event-report is not visible without JS');
      if (await isVisible(p, '#calculator')) fail('#calculator is visible with JavaScript off (must stay hidden)');
    } finally {
      await p.close();
    }
    drain(nojs, fail);
  });

  // -- search ----------------------------------------------------------
  await step('search (JS): search.html?q=通報 lists results', async (fail) => {
    await page.goto(pageUrl('search.html', `?q=${encodeURIComponent('通報')}`));
    await settle(page);
    if (!(await isVisible(page, '#search-form'))) {
      fail('#search-form is hidden on search.html: JS search is not active (handbook.js does not provide it yet)');
      drain(js, fail);
      return;
    }
    const links = page.locator('#search-results a');
    try {
      await links.first().waitFor({ state: 'visible', timeout: 3000 });
    } catch {
      // ?q= not applied; type the query instead.
      await page.fill('#search-input', '通報');
      try {
        await links.first().waitFor({ state: 'visible', timeout: 5000 });
        fail('search.html?q=通報 did not search on load (typing into #search-input did)');
      } catch {
        fail('no result link in #search-results for 通報 (neither ?q= nor typing)');
        drain(js, fail);
        return;
      }
    }
    const n = await links.count();
    console.log(`       ${n} result link(s)`);
    const href = await links.first().getAttribute('href');
    await Promise.all([page.waitForNavigation(), links.first().click()]);
    const rel = relFromUrl(page.url().split(/[?#]/)[0]);
    if (rel === null || !existsSync(join(PUBLIC, rel))) fail(`first result ${href} opened ${page.url()}, not a page in public/`);
    drain(js, fail);
  });

  await step('no errors reported late (after the checks above)', async (fail) => {
    await page.waitForTimeout(200);
    for (const w of [crawl, js, nojs]) drain(w, fail);
  });
} finally {
  await js.context.close();
  await nojs.context.close();
  await browser.close();
}

finish();
