// Print gate: the pages a reader prints in an incident, printed by Chromium
// to A4 PDF from file://, as a reader would with "Save as PDF".
//
//   node tests/browser/print.mjs
//
// - print.html (contacts first, then levels, deadlines and the chapters
//   marked `print = true`; the other chapters by title and file) is at most
//   MAX_PRINT_PAGES A4 pages. The bound: the contacts and the levels fill
//   about one page, the deadline table (one row per event, a column per
//   level, at 9.5 pt) up to two, the first-hour chapter about two, and the
//   list of the other chapters less than one. The old print page, every
//   chapter in full with the contacts last, was 20 pages.
// - contacts/index.html prints on exactly one A4 page.
// - Under print media every visible text of both pages (and of a chapter,
//   the deadlines page and a tree outcome) is at least 12 px (9 pt) and
//   black: the old stylesheet merged a page-break rule with a grey
//   small-print rule and printed tables at 6.7 pt grey.

import { launch, pageUrl, requireSite } from './lib.mjs';

const MAX_PRINT_PAGES = 6;
const MIN_PX = 12; // 9 pt
const BLACK = 'rgb(0, 0, 0)';

requireSite();
const browser = await launch();
const failures = [];
const fail = (msg) => failures.push(msg);

/** A4 pages of a Chromium PDF: one `/Type /Page` object per page. */
function pdfPages(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) || []).length;
}

/** Every element with its own visible text: its font size and colour. */
async function smallOrGrey(page) {
  return page.evaluate(
    ({ minPx, black }) => {
      const out = [];
      for (const el of document.querySelectorAll('body *')) {
        const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
        if (!own || !el.getClientRects().length) continue;
        const cs = getComputedStyle(el);
        if (cs.visibility === 'hidden') continue;
        const px = parseFloat(cs.fontSize);
        if (px < minPx - 0.01 || cs.color !== black) {
          out.push(`${el.tagName.toLowerCase()}.${el.className || ''} ${px}px ${cs.color}: ${el.textContent.trim().slice(0, 40)}`);
        }
      }
      return out;
    },
    { minPx: MIN_PX, black: BLACK },
  );
}

const context = await browser.newContext();
const page = await context.newPage();
page.on('pageerror', (e) => fail(`page error: ${e.message}`));

async function printed(rel) {
  await page.goto(pageUrl(rel));
  await page.emulateMedia({ media: 'print', colorScheme: 'light' });
  const pdf = await page.pdf({ format: 'A4' });
  const bad = await smallOrGrey(page);
  for (const b of bad.slice(0, 10)) fail(`${rel}: printed below ${MIN_PX} px or not black: ${b}`);
  if (bad.length > 10) fail(`${rel}: ... and ${bad.length - 10} more`);
  return pdfPages(pdf);
}

const printPages = await printed('print.html');
if (printPages < 1 || printPages > MAX_PRINT_PAGES) {
  fail(`print.html prints on ${printPages} A4 pages, more than ${MAX_PRINT_PAGES}`);
}
// Contacts first: the first section of the printed page is the contacts.
const firstSection = await page.evaluate(() => {
  const s = document.querySelector('main section, main article');
  return s ? s.id : null;
});
if (firstSection !== 'print-contacts') fail(`print.html starts with #${firstSection}, not the contacts`);

const contactPages = await printed('contacts/index.html');
if (contactPages !== 1) fail(`contacts/index.html prints on ${contactPages} A4 pages, not 1`);

for (const rel of ['chapters/first-hour.html', 'deadlines.html', 'trees/reporting-channel/outcome-no-channel.html']) {
  await printed(rel);
}

await browser.close();
if (failures.length) {
  for (const f of failures) console.error(`FAIL ${f}`);
  process.exit(1);
}
console.log(`print: print.html ${printPages} A4 pages (at most ${MAX_PRINT_PAGES}), contacts 1 page, printed text >= ${MIN_PX} px and black`);
