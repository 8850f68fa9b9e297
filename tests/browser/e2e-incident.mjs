// Gate: the incident workspace with JavaScript on, on a 360 × 640 phone,
// from file:// (issue 10's acceptance walk).
//
//   node tests/browser/e2e-incident.mjs
//
// axe-core (WCAG 2.1 A/AA) also checks the start, question and result
// screens, light and dark.
//
// home → today's date + 03:00 → the reader who makes the initial report →
// the answers of a level of rank 2 (found by walking data.js's level tree,
// never written here) → the result shows the report deadline (03:00 + the
// policy's time limit, 04:00 for the bundled policy) with its weekday, the
// phone line as a tel: link with its number and the portal link, in at most
// 5 interactions after the time was entered. Then: a reload keeps the
// state, the URL in a fresh browser context reproduces the result, Back
// returns to the previous question, "start a new incident" clears the state
// (and the device's copy), and no console error on the way.

import { createRequire } from 'node:module';
import { launch, loadData, pageUrl, requireSite } from './lib.mjs';
import { drain, finish, settle, step, watchedContext } from './harness.mjs';

requireSite();
const data = loadData();
const hb = data.handbook;
const VIEWPORT = { viewport: { width: 360, height: 640 } };

/** The shortest answer path of the level tree to a leaf with `level`. */
function pathTo(level) {
  const tree = data.levelTree;
  const queue = [[0, []]];
  while (queue.length) {
    const [n, path] = queue.shift();
    const node = tree[n];
    if (node.type !== 'question') {
      if (node.outcome && node.outcome.status === 'level' && String(node.outcome.level) === String(level)) return path;
      continue;
    }
    for (const b of node.branches) queue.push([b.node, [...path, [node.question, b.answer]]]);
  }
  return null;
}

const pad = (n) => String(n).padStart(2, '0');
function wallNow(zone) {
  const parts = {};
  for (const p of new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hourCycle: 'h23' }).formatToParts(new Date())) parts[p.type] = p.value;
  return { y: +parts.year, mo: +parts.month, d: +parts.day };
}

const level = data.levels[1].id; // rank 2 of the policy's order (most severe first)
const answers = pathTo(level);
const report = data.events.find((e) => e.id === hb.initial_report);
const role = report.actor;
const today = wallNow(data.timezone);
const date = `${today.y}-${pad(today.mo)}-${pad(today.d)}`;
const within = report.within[String(level)];
const dueMinutes = 3 * 60 + within.minutes;
const due = `${pad(Math.floor(dueMinutes / 60) % 24)}:${pad(dueMinutes % 60)}`;
const weekday = data.text.clock.weekdays[String(new Date(Date.UTC(today.y, today.mo - 1, today.d + Math.floor(dueMinutes / 1440))).getUTCDay())];
const phone = data.contacts.find((c) => c.id === hb.phone_line);
const portal = data.contacts.find((c) => c.id === hb.portal);

const browser = await launch();
const js = await watchedContext(browser, 'incident', VIEWPORT);
let resultUrl = null;
try {
  const page = await js.context.newPage();
  page.setDefaultTimeout(10000);

  await step(`home → ${date} 03:00 → reader → ${answers ? answers.length : '?'} answers → level ${level} with ${due}`, async (fail) => {
    if (!answers) return fail(`no path of the level tree reaches level ${level}`);
    if (due !== '04:00') fail(`the bundled policy's report is due 1 h after discovery, computed ${due}`);
    await page.goto(pageUrl('index.html'));
    await settle(page);
    const shortcut = page.locator('form.incident-start .incident-shortcuts button[data-day="0"]');
    if (!(await shortcut.isVisible())) fail('the today shortcut is not shown with JavaScript on');
    await shortcut.click();
    const filled = await page.locator('#incident-date').inputValue();
    if (filled !== date) fail(`today shortcut filled ${filled}, expected ${date}`);
    await page.locator('#incident-time').fill('03:00');
    let taps = 0;
    await Promise.all([page.waitForNavigation(), page.locator(`form.incident-start button[name=role][value="${role}"]`).click()]);
    taps++;
    await settle(page);
    for (const [q, a] of answers) {
      const b = page.locator(`#incident-app button[data-answer="${a}"]:not([data-unsure])`);
      if ((await b.count()) !== 1) {
        fail(`question ${q}: no single button for answer ${a} (url ${page.url()})`);
        return;
      }
      await b.click();
      taps++;
    }
    if (taps > 5) fail(`${taps} interactions after entering the time (at most 5)`);
    const result = page.locator('.incident-result');
    await result.waitFor();
    if ((await result.getAttribute('data-level')) !== String(level)) fail(`result level ${await result.getAttribute('data-level')}, expected ${level}`);
    const clock = (await page.locator('.incident-next .incident-clock').textContent()) || '';
    if (!clock.includes(due)) fail(`next deadline shows "${clock}", expected ${due}`);
    if (!clock.includes(weekday)) fail(`next deadline "${clock}" lacks the weekday ${weekday}`);
    const tel = page.locator(`.incident-result a[href="${phone.href}"]`);
    if ((await tel.count()) < 1 || !phone.href.startsWith('tel:')) fail(`no tel: link ${phone.href}`);
    else if (!((await tel.first().textContent()) || '').includes(phone.value)) fail('the tel: link does not show the number');
    if ((await page.locator(`.incident-result a[href="${portal.href}"]`).count()) < 1) fail(`no portal link ${portal.href}`);
    const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    if (!fits) fail('the result scrolls horizontally at 360 px');
    resultUrl = page.url();
    drain(js, fail);
  });

  await step('a reload keeps the state', async (fail) => {
    await page.reload();
    await settle(page);
    if ((await page.locator(`.incident-result[data-level="${level}"]`).count()) !== 1) fail('the result is gone after a reload');
    await page.goto(pageUrl('incident.html'));
    await settle(page);
    if ((await page.locator(`.incident-result[data-level="${level}"]`).count()) !== 1) fail('incident.html without a query does not resume the saved incident');
    if ((await page.locator('.incident-resumed').count()) !== 1) fail('resuming does not say so');
    drain(js, fail);
  });

  await step('the URL in a fresh browser context reproduces the result', async (fail) => {
    const fresh = await watchedContext(browser, 'fresh', VIEWPORT);
    try {
      const p = await fresh.context.newPage();
      await p.goto(resultUrl);
      await settle(p);
      if ((await p.locator(`.incident-result[data-level="${level}"]`).count()) !== 1) fail(`${resultUrl} shows no level ${level} result`);
      const clock = (await p.locator('.incident-next .incident-clock').textContent()) || '';
      if (!clock.includes(due)) fail(`fresh context shows "${clock}"`);
      drain(fresh, fail);
    } finally {
      await fresh.context.close();
    }
  });

  await step('Back returns to the previous question, Forward to the result', async (fail) => {
    // The last question as reached by answering: open the state before
    // the last answer, answer it, then Back.
    const last = answers[answers.length - 1];
    const before = new URL(resultUrl);
    const kept = before.searchParams.getAll('a').slice(0, -1);
    before.searchParams.delete('a');
    for (const a of kept) before.searchParams.append('a', a);
    await page.goto(before.href);
    await settle(page);
    await page.locator(`#incident-app button[data-answer="${last[1]}"]:not([data-unsure])`).click();
    await page.locator(`.incident-result[data-level="${level}"]`).waitFor();
    await page.goBack();
    await settle(page);
    const q = data.questions.find((x) => x.id === last[0]);
    const heading = (await page.locator('#incident-q-title').textContent().catch(() => '')) || '';
    const wanted = q.text[data.language];
    if (heading !== wanted) fail(`after Back the page asks "${heading}", expected "${wanted}"`);
    await page.goForward();
    await settle(page);
    if ((await page.locator(`.incident-result[data-level="${level}"]`).count()) !== 1) fail('Forward does not return to the result');
    drain(js, fail);
  });

  await step('"not sure" takes the question\'s unsure answer and the result says so', async (fail) => {
    const q = data.questions.find((x) => x.id === data.levelTree[0].question);
    if (!q.unsure) return;
    await page.goto(pageUrl('incident.html', `?d=${date}T03:00&role=${role}`));
    await settle(page);
    await page.locator('#incident-app button[data-unsure]').click();
    await settle(page);
    const url = new URL(page.url());
    if (!url.searchParams.getAll('a').includes(`${q.id}:${q.unsure}`)) fail(`not sure did not record ${q.id}:${q.unsure}`);
    if (!url.searchParams.getAll('u').includes(q.id)) fail(`not sure did not record u=${q.id}`);
    drain(js, fail);
  });

  await step('"start a new incident" clears the state and the saved copy', async (fail) => {
    await page.goto(resultUrl);
    await settle(page);
    await page.locator('.incident-result .incident-new').click();
    await settle(page);
    if (new URL(page.url()).search) fail(`the URL still has a query: ${page.url()}`);
    if ((await page.locator('#incident-app form.incident-start').count()) !== 1) fail('no start form after clearing');
    const key = `handbook-incident:${data.digest}`;
    const saved = await page.evaluate((k) => window.localStorage.getItem(k), key);
    if (saved) fail(`localStorage still holds ${saved}`);
    await page.reload();
    await settle(page);
    if ((await page.locator('.incident-result').count()) !== 0) fail('a reload after clearing resumes the old incident');
    drain(js, fail);
  });

  await step('axe: no violations on the start, question and result screens, light and dark', async (fail) => {
    const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
    const before = new URL(resultUrl);
    const first = new URL(resultUrl);
    first.searchParams.delete('a');
    const screens = [['start', pageUrl('incident.html', '?date=&time=')], ['question', first.href], ['result', before.href]];
    // Its own context: axe reads the stylesheets, which file:// refuses
    // with console errors that are axe's, not the page's.
    const ax = await browser.newContext(VIEWPORT);
    const page = await ax.newPage();
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [name, url] of screens) {
        await page.goto(url);
        await settle(page);
        await page.addScriptTag({ path: AXE });
        await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
        const violations = await page.evaluate(async () => {
          const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
          return r.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
        });
        for (const v of violations) fail(`${name} (${scheme}): ${v}`);
      }
    }
    await ax.close();
  });

  await step('no errors reported late', async (fail) => {
    await page.waitForTimeout(200);
    drain(js, fail);
  });
} finally {
  await js.context.close();
  await browser.close();
}
finish();
