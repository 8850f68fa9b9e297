// Gate: the incident path without JavaScript on a 360 × 640 phone, and the
// worksheets on paper.
//
//   node tests/browser/e2e-static.mjs
//
// Checks, each reported separately:
//   * JS off, 360 × 640: home → the level tree (through incident.html when
//     the home page links it, else its link to the tree) → the answers of a
//     level-3 incident on the static pages → the result: the level in large
//     type, the phone line as a tel: link with its number shown, the portal
//     link, the "not sure" note and a link to the reporting agency's
//     worksheet → that worksheet, whose report line states the 1-hour rule
//     and whose worked example gives the report's due time (from
//     `handbook deadlines`, 23:30 + 1 h on the next day) → report.html, a
//     blank form; no page on the way scrolls horizontally;
//   * JS on: report.html with an incident in its query is pre-filled (time,
//     role, answers, level), its script names the phone and fax numbers, and
//     "copy as text" answers;
//   * report.html and the worksheet print: page.pdf({format: 'A4'}) gives a
//     PDF, the pages' own @page size is A4, and under print media every
//     visible text is at least 12 px (9 pt);
//   * no console error, page error or request outside public/ throughout.

import { launch, levelPath, loadData, pageUrl, requireSite } from './lib.mjs';
import { cliJson, drain, finish, settle, short, step, watchedContext } from './harness.mjs';

requireSite();

const PHONE = { width: 360, height: 640 };
const data = loadData();
const path3 = levelPath(data);
if (String(path3.leaf?.outcome?.level) !== '3') {
  console.error(`error: the chosen answers do not end at level 3 (${JSON.stringify(path3.leaf)})`);
  process.exit(1);
}
const worksheet = 'worksheets/3-reporting-agency.html';
const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

/** The page scrolls sideways: its content is wider than the viewport. */
async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const d = document.documentElement;
    return d.scrollWidth > d.clientWidth + 1 ? `${d.scrollWidth} px wide in ${d.clientWidth} px` : null;
  });
}

/** Visible elements with their own text whose computed size is below `min` px. */
async function smallText(page, min) {
  return page.evaluate((min) => {
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own) continue;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      if (style.display === 'none' || style.visibility === 'hidden' || box.width === 0 || box.height === 0) continue;
      const size = parseFloat(style.fontSize);
      if (size < min) out.push(`<${el.tagName.toLowerCase()} class="${el.className}"> ${size}px 「${el.textContent.trim().slice(0, 30)}」`);
    }
    return out;
  }, min);
}

const browser = await launch();
const nojs = await watchedContext(browser, 'no-js', { javaScriptEnabled: false, viewport: PHONE });
const js = await watchedContext(browser, 'js', { viewport: PHONE });

try {
  await step('JS off at 360 px: home → level 3 → the reporting agency worksheet with the +1 h rule', async (fail) => {
    const p = await nojs.context.newPage();
    p.setDefaultTimeout(10000);
    const noScroll = async () => {
      const wide = await horizontalOverflow(p);
      if (wide) fail(`${short(p.url())} scrolls horizontally: ${wide}`);
    };
    try {
      await p.goto(pageUrl('index.html'));
      await noScroll();
      // The incident start (incident.html) explains itself without JS and
      // links the tree; until the home page has it, its tree link.
      const start = p.locator('a[href$="incident.html"]');
      if ((await start.count()) > 0) {
        await Promise.all([p.waitForNavigation(), start.first().click()]);
        await noScroll();
      }
      const tree = p.locator('main a[href$="classify/index.html"]');
      if ((await tree.count()) === 0) {
        fail(`${short(p.url())} links no level tree`);
        return;
      }
      await Promise.all([p.waitForNavigation(), tree.first().click()]);
      for (const [i, s] of path3.steps.entries()) {
        await noScroll();
        const summary = p.locator('details.question-help summary');
        if ((await summary.count()) > 0) {
          // The help opens without JavaScript.
          await summary.first().click();
          if (!(await p.locator('details.question-help').first().evaluate((d) => d.open))) {
            fail(`question ${i + 1}: the definition does not open`);
          }
        }
        const link = p.locator('a.answer').filter({ hasText: s.text });
        if ((await link.count()) === 0) {
          fail(`question ${i + 1} (${s.question}) on ${short(p.url())}: no answer 「${s.text}」`);
          return;
        }
        await Promise.all([p.waitForNavigation(), link.first().click()]);
      }
      await noScroll();
      const result = p.locator('.result[data-level="3"]');
      if ((await result.count()) === 0) {
        fail(`no level-3 result on ${short(p.url())}`);
        return;
      }
      const big = await p.locator('.result .level-big').first().innerText().catch(() => '');
      if (!big.includes('3 級事件')) fail(`the result shows no large level: 「${big}」`);
      const tel = p.locator('.result .phone-line a[href^="tel:"]');
      if ((await tel.count()) === 0) fail('the result has no tel: link to the phone line');
      else if (!/\d{4}/.test(await tel.first().innerText())) fail('the phone line link does not show its number');
      if ((await p.locator('.result .portal-link a[href^="https://"]').count()) === 0) fail('the result has no portal link');
      if ((await p.locator('.result .unsure-note').count()) === 0) fail('the result does not say how "not sure" was taken');
      const ws = p.locator(`.result a[href$="${worksheet}"]`);
      if ((await ws.count()) === 0) {
        fail(`the result does not link ${worksheet}`);
        return;
      }
      await Promise.all([p.waitForNavigation(), ws.first().click()]);
      await noScroll();
      const line = await p.locator('.worksheet-line[data-event="report"]').first().innerText();
      if (!line.includes('1 小時內')) fail(`the report line does not state the hour: 「${line}」`);
      // The example starts at 23:30 on 30 June of the build year.
      const lead = await p.locator('.worked-example').innerText();
      const year = /(\d{4}) 年 6 月 30 日/.exec(lead)?.[1];
      if (!year) {
        fail(`the worked example does not start on 30 June: 「${lead.slice(0, 120)}」`);
        return;
      }
      const cli = cliJson(['deadlines', '--level', '3', '--discovered', `${year}-06-30T23:30`, '--format', 'json']);
      const due = cli.deadlines.find((d) => d.event === 'report').due; // YYYY-07-01T00:30:00+08:00
      const [, y, mo, d, hm] = /^(\d{4})-(\d\d)-(\d\d)T(\d\d:\d\d)/.exec(due);
      const weekday = WEEKDAYS[new Date(Date.UTC(+y, +mo - 1, +d)).getUTCDay()];
      const example = await p.locator('.example-lines li[data-event="report"]').first().innerText();
      const expected = `${y} 年 ${Number(mo)} 月 ${Number(d)} 日（${weekday}）${hm}`;
      if (d === '30') fail(`the report is due ${due}: the example does not cross midnight`);
      if (!example.includes(expected)) fail(`the worked example does not give ${expected}: 「${example}」`);
      // The blank report form is one link away.
      const report = p.locator('main a[href$="report.html"]');
      if ((await report.count()) === 0) fail('the worksheet does not link report.html');
      else {
        await Promise.all([p.waitForNavigation(), report.first().click()]);
        await noScroll();
        if (!(await p.locator('form.report-form').isVisible())) fail('report.html shows no form without JavaScript');
      }
    } finally {
      await p.close();
    }
    drain(nojs, fail);
  });

  const answers = path3.steps.map((s) => `a=${s.question}:${s.answerId}`).join('&');
  const query = `?d=2026-12-01T03:00&role=reporting-agency&${answers}&u=leak`;

  await step('JS on: report.html is pre-filled from its query, with the phone and fax script and copy as text', async (fail) => {
    await js.context.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => {});
    const p = await js.context.newPage();
    p.setDefaultTimeout(10000);
    try {
      await p.goto(pageUrl('report.html', query));
      await settle(p);
      const wide = await horizontalOverflow(p);
      if (wide) fail(`report.html scrolls horizontally: ${wide}`);
      const values = await p.evaluate(() => ({
        d: document.getElementById('r-discovered').value,
        role: document.getElementById('r-role').value,
        level: document.getElementById('r-level').value,
        leak: document.getElementById('r-q-leak').value,
        unsure: document.querySelector('input[data-unsure="leak"]').checked,
        text: document.getElementById('report-text').value,
      }));
      if (values.d !== '2026-12-01T03:00') fail(`discovery time not pre-filled: ${values.d}`);
      if (values.role !== 'reporting-agency') fail(`role not pre-filled: ${values.role}`);
      if (values.level !== '3') fail(`level not worked out from the answers: ${values.level}`);
      if (values.leak !== 'classified' || !values.unsure) fail(`answers not pre-filled: ${JSON.stringify(values)}`);
      if (!values.text.includes('2026-12-01 03:00') || !values.text.includes('3 級事件')) {
        fail(`the report text lacks the time or level: ${values.text.slice(0, 200)}`);
      }
      const script = await p.locator('.report-script').innerText();
      for (const number of ['(02)2733-9922', '(02)2733-1655']) {
        if (!script.includes(number)) fail(`the phone/fax script does not show ${number}`);
      }
      if ((await p.locator('.report-script a[href^="tel:"]').count()) !== 1) fail('the phone line is not the one tel: link of the script');
      await p.fill('#r-person', 'Test Person');
      const text = await p.locator('#report-text').inputValue();
      if (!text.includes('Test Person')) fail('the text does not follow the form');
      await p.click('#report-copy');
      await p.waitForFunction(() => document.getElementById('report-status').textContent.trim() !== '');
    } finally {
      await p.close();
    }
    drain(js, fail);
  });

  for (const [rel, q] of [
    ['report.html', query],
    [worksheet, ''],
  ]) {
    await step(`${rel} prints on A4 with text of at least 9 pt`, async (fail) => {
      const p = await js.context.newPage();
      p.setDefaultTimeout(10000);
      try {
        await p.goto(pageUrl(rel, q));
        await settle(p);
        const pdf = await p.pdf({ format: 'A4' });
        if (!pdf || pdf.length < 1000 || pdf.subarray(0, 5).toString() !== '%PDF-') fail('page.pdf gave no PDF');
        // The page's own @page size is A4 too (595 × 842 pt).
        const own = (await p.pdf({ preferCSSPageSize: true })).toString('latin1');
        const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(own);
        if (!box || Math.abs(+box[1] - 595.3) > 2 || Math.abs(+box[2] - 841.9) > 2) {
          fail(`the page's own print size is not A4: ${box ? `${box[1]} × ${box[2]} pt` : 'no MediaBox'}`);
        }
        await p.emulateMedia({ media: 'print' });
        const small = await smallText(p, 12);
        for (const s of small.slice(0, 10)) fail(`text below 9 pt in print: ${s}`);
        if (small.length > 10) fail(`… and ${small.length - 10} more`);
        if ((await p.locator('form.report-form').count()) > 0 && !(await p.locator('form.report-form').isVisible())) {
          fail('the report form is hidden in print');
        }
      } finally {
        await p.close();
      }
      drain(js, fail);
    });
  }

  await step('no errors reported late (after the checks above)', async (fail) => {
    for (const w of [nojs, js]) drain(w, fail);
  });
} finally {
  await js.context.close();
  await nojs.context.close();
  await browser.close();
}

finish();
