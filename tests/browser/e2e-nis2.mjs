// Gate: the NIS 2 example (examples/nis2) works from disk like the bundled
// handbook, in English, in Brussels time.
//
//   handbook build --root examples/nis2 --out /tmp/nis2-site
//   HANDBOOK_PUBLIC=/tmp/nis2-site node tests/browser/e2e-nis2.mjs
//
// Checks (each reported separately; the run fails at the end if any did):
//   * every page loads from file:// with no error and no request leaving the
//     site, every relative link and fragment resolves (harness.mjs), and
//     every page says it is in the policy's language;
//   * level tree, with JS and without: the answers leading to each level,
//     found in the compiled level tree (never hard-coded), end at that level
//     and show its name;
//   * deadline calculator across the end of daylight saving time in
//     Brussels: discovery 2026-10-25 01:30 (CEST); every row agrees with
//     `handbook deadlines --root examples/nis2 … --format json`, and the
//     CLI's hour deadlines counted from the discovery are exactly that many
//     elapsed hours later (so both cannot be wrong the same way); then with
//     an actual notification time, the one-month step agrees too;
//   * placeholder contacts (from `handbook compile`): marked on the
//     contacts page, never a link, never a property of a vCard; real ones
//     are links;
//   * search finds the early warning's words.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PUBLIC, REPO, htmlPages, launch, levelPath, loadData, pageUrl, requireSite } from './lib.mjs';
import {
  cliJson,
  crawlEveryPage,
  drain,
  finish,
  isVisible,
  settle,
  step,
  watchedContext,
} from './harness.mjs';

requireSite();

// The project the site was built from, relative to the repository.
const ROOT = process.env.HANDBOOK_ROOT || join('examples', 'nis2');
const DISCOVERED = '2026-10-25T01:30'; // CEST; clocks go back at 03:00 that night

const ruleset = cliJson(['compile', '--root', ROOT]);
// The policy's language, as its editor wrote it.
const language = /^language\s*=\s*"([^"]+)"/m.exec(
  readFileSync(resolve(REPO, ROOT, 'policy', 'policy.toml'), 'utf8'),
)?.[1];
const text = (t) => (t && typeof t === 'object' ? (t[language] ?? Object.values(t)[0]) : t);
const data = loadData();
const levels = ruleset.levels.map((l) => l.id);
const discovery = data.discoveryEvent;

/** Answers that reach `level`: the first answer of the question that
 *  leads there, "nothing" elsewhere, found by trying each question's
 *  answers in the compiled tree. */
function pathTo(level) {
  for (const q of data.questions) {
    for (const a of q.answers) {
      try {
        const p = levelPath(data, { [q.id]: a.id });
        if (p.leaf?.outcome?.level === level) return p;
      } catch {
        // this answer cannot be combined with "nothing" elsewhere
      }
    }
  }
  return null;
}

const browser = await launch();
const crawl = await watchedContext(browser, 'js');
const js = await watchedContext(browser, 'js');
const nojs = await watchedContext(browser, 'no-js', { javaScriptEnabled: false });
const page = await js.context.newPage();
page.setDefaultTimeout(10000);

try {
  await crawlEveryPage(crawl);

  await step(`every page is marked as ${language}`, async (fail) => {
    if (!language) {
      fail('`handbook compile` has no meta.language');
      return;
    }
    for (const rel of htmlPages()) {
      const html = readFileSync(join(PUBLIC, rel), 'utf8');
      const lang = /<html[^>]*\slang="([^"]*)"/.exec(html)?.[1];
      if (!lang || !(lang === language || lang.startsWith(`${language}-`))) {
        fail(`${rel}: <html lang=${JSON.stringify(lang ?? null)}>, the policy's language is ${language}`);
      }
    }
  });

  for (const level of levels) {
    const path = pathTo(level);
    const name = text(ruleset.levels.find((l) => l.id === level).name);
    const said = path ? path.steps.map((s) => `${s.question}=${s.answerId}`).join(', ') : '(no path)';
    await step(`level tree, JS widget: ${said} → ${level}`, async (fail) => {
      if (!path) {
        fail(`no answer in the level tree leads to ${level}`);
        return;
      }
      await page.goto(pageUrl('classify/index.html'));
      await settle(page);
      if (!(await isVisible(page, '#tree-app'))) {
        fail('#tree-app is hidden: the JS level tree is not active');
        return;
      }
      for (const [i, s] of path.steps.entries()) {
        const btn = page.locator('#tree-app button.tree-answer').filter({ hasText: s.text });
        try {
          await btn.last().waitFor({ state: 'visible', timeout: 5000 });
        } catch {
          fail(`question ${i + 1} (${s.question}): no button 「${s.text}」`);
          return;
        }
        await btn.last().click();
      }
      const result = page.locator('#tree-app section.tree-result');
      await result.first().waitFor({ state: 'visible', timeout: 5000 });
      const got = await result.first().getAttribute('data-level');
      if (got !== String(level)) fail(`data-level=${JSON.stringify(got)}, expected ${JSON.stringify(level)}`);
      const shown = await result.first().innerText();
      if (!shown.includes(name)) fail(`the result does not name ${JSON.stringify(name)}: ${shown.slice(0, 120)}`);
      drain(js, fail);
    });
    await step(`level tree, no JS: ${said} → ${level}`, async (fail) => {
      if (!path) {
        fail(`no answer in the level tree leads to ${level}`);
        return;
      }
      const p = await nojs.context.newPage();
      try {
        await p.goto(pageUrl('classify/index.html'));
        for (const [i, s] of path.steps.entries()) {
          const link = p.locator('a.answer').filter({ hasText: s.text });
          if ((await link.count()) === 0) {
            fail(`question ${i + 1} (${s.question}): no a.answer 「${s.text}」`);
            return;
          }
          await Promise.all([p.waitForNavigation(), link.first().click()]);
        }
        const shown = (await p.locator('.result').first().innerText().catch(() => '')) || '';
        if (!shown.includes(name)) fail(`.result does not name ${JSON.stringify(name)}: ${shown.slice(0, 120)}`);
      } finally {
        await p.close();
      }
      drain(nojs, fail);
    });
  }

  /** Fill the calculator and compare its rows with the CLI's, event by event. */
  async function compareCalculator(fail, level, actual) {
    const args = ['deadlines', '--root', ROOT, '--level', String(level), '--discovered', DISCOVERED];
    for (const [event, time] of Object.entries(actual)) args.push('--at', `${event}=${time}`);
    const cli = cliJson([...args, '--format', 'json']);
    await page.goto(pageUrl('deadlines.html', `?level=${encodeURIComponent(level)}`));
    await settle(page);
    if (!(await isVisible(page, '#calculator'))) {
      fail('#calculator is hidden on deadlines.html: the JS calculator is not active');
      return cli;
    }
    const chosen = await page.locator('#calc-level').inputValue().catch(() => null);
    if (chosen !== String(level)) await page.selectOption('#calc-level', String(level));
    await page.fill('#calc-discovered-date', DISCOVERED.slice(0, 10));
    await page.fill('#calc-discovered-time', DISCOVERED.slice(11, 16));
    const details = page.locator('details.actual-times');
    if (Object.keys(actual).length && (await details.count()) && !(await details.evaluate((d) => d.open))) {
      await details.locator('summary').click();
    }
    for (const [event, time] of Object.entries(actual)) await page.fill(`#calc-at-${event}`, time);
    const expected = cli.deadlines.map((d) => ({ event: d.event, due: d.due ?? '' }));
    let problems = [];
    for (let t = 0; t < 50; t++) {
      const rows = await page.evaluate(() =>
        [...document.querySelectorAll('tr[data-event]')].map((tr) => ({
          event: tr.getAttribute('data-event'),
          due: tr.getAttribute('data-due') ?? '',
        })),
      );
      const got = new Map(rows.map((r) => [r.event, r.due]));
      problems = [];
      for (const e of expected) {
        if (!got.has(e.event)) problems.push(`no row for ${e.event} (CLI due ${e.due || 'none'})`);
        else if (got.get(e.event) !== e.due) problems.push(`${e.event}: data-due=${JSON.stringify(got.get(e.event))}, CLI ${JSON.stringify(e.due)}`);
      }
      const want = new Set(expected.map((e) => e.event));
      for (const r of rows) if (!want.has(r.event)) problems.push(`extra row ${r.event}, not in the CLI output`);
      if (rows.length && problems.length === 0) break;
      await page.waitForTimeout(100);
    }
    for (const p of problems) fail(p);
    console.log(`       ${expected.length} CLI events compared`);
    return cli;
  }

  const severe = levels[0];
  await step(`calculator across the end of summer time (discovery ${DISCOVERED} Brussels) agrees with the CLI`, async (fail) => {
    const cli = await compareCalculator(fail, severe, {});
    // Hour deadlines from the discovery are elapsed hours, whatever the clock.
    const start = Date.parse(cli.discovered);
    if (!/\+02:00$/.test(cli.discovered)) fail(`the CLI reads ${DISCOVERED} as ${cli.discovered}, not summer time (+02:00)`);
    let crossed = 0;
    for (const d of cli.deadlines) {
      const hours = /^(\d+)h$/.exec(d.within || '')?.[1];
      if (d.anchor !== discovery || !hours || !d.due) continue;
      const elapsed = (Date.parse(d.due) - start) / 3600e3;
      if (elapsed !== Number(hours)) fail(`${d.event}: due ${d.due} is ${elapsed} h after ${cli.discovered}, not ${hours} h`);
      if (/\+01:00$/.test(d.due)) crossed++;
    }
    if (crossed < 2) fail(`expected the 24 h and 72 h deadlines to fall in winter time (+01:00); ${crossed} do`);
  });

  await step('calculator: a given notification time moves the one-month report as the CLI does', async (fail) => {
    const base = cliJson(['deadlines', '--root', ROOT, '--level', String(severe), '--discovered', DISCOVERED, '--format', 'json']);
    const monthly = base.deadlines.find((d) => d.within === '1mo' && d.anchor && d.anchor !== discovery);
    const anchor = monthly?.anchor;
    if (!anchor) {
      fail('no deadline timed in months from an event other than the discovery');
      return;
    }
    const cli = await compareCalculator(fail, severe, { [anchor]: '2026-10-27T10:00' });
    const due = cli.deadlines.find((d) => d.event === monthly.event)?.due;
    if (due !== '2026-11-27T10:00:00+01:00') fail(`${monthly.event}: CLI due ${due}, one calendar month after 2026-10-27 10:00 is 2026-11-27T10:00:00+01:00`);
  });

  await step('placeholder contacts are marked and never a link or vCard property', async (fail) => {
    const contacts = ruleset.contacts || [];
    const stand = contacts.filter((c) => c.placeholder);
    if (stand.length === 0) fail('the rule set has no placeholder contact to test');
    await page.goto(pageUrl('contacts/index.html'));
    await settle(page);
    for (const c of contacts) {
      const card = page.locator(`#contact-${c.id}`);
      if ((await card.count()) === 0) {
        fail(`no card #contact-${c.id}`);
        continue;
      }
      // The contact's own value (`.value`); a note in the card may link
      // another contact, such as the phone line to call instead.
      const hrefs = await card.locator('.value a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      const linked = hrefs.some((h) => /^(tel:|mailto:|https?:)/.test(h) && (h.includes(c.value) || h.startsWith('tel:')));
      const marked = (await card.locator('.placeholder-mark').count()) > 0;
      if (c.placeholder && linked) fail(`placeholder ${c.id} is a link: ${hrefs.join(' ')}`);
      if (c.placeholder && !marked) fail(`placeholder ${c.id} is not marked (.placeholder-mark)`);
      if (!c.placeholder && !linked) fail(`real contact ${c.id} is not a link`);
      if (!c.placeholder && marked) fail(`real contact ${c.id} is marked as a placeholder`);
    }
    for (const owner of new Set(contacts.map((c) => c.owner))) {
      let vcf = '';
      try {
        vcf = readFileSync(join(PUBLIC, 'contacts', `${owner}.vcf`), 'utf8').replace(/\r\n[ \t]/g, '');
      } catch {
        continue; // an owner without a vCard offers nothing to dial
      }
      for (const c of stand.filter((x) => x.owner === owner)) {
        const props = vcf.split('\r\n').filter((l) => /^(TEL|EMAIL|URL)[;:]/.test(l));
        if (props.some((l) => l.includes(c.value) || l.includes(c.value.replace(/[^\d+]/g, '')))) {
          fail(`contacts/${owner}.vcf offers placeholder ${c.id} as ${props.join(' ')}`);
        }
      }
    }
    drain(js, fail);
  });

  await step('search finds the first report', async (fail) => {
    const first = ruleset.events.find((e) => e.id === ruleset.handbook?.initial_report);
    const word = text(first?.name)?.split(/\s+/).find((w) => w.length > 4);
    if (!word) {
      fail('no word to search for in the initial report\'s name');
      return;
    }
    await page.goto(pageUrl('search.html', `?q=${encodeURIComponent(word)}`));
    await settle(page);
    const links = page.locator('#search-results a');
    try {
      await links.first().waitFor({ state: 'visible', timeout: 5000 });
    } catch {
      fail(`no result for ${JSON.stringify(word)}`);
    }
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
