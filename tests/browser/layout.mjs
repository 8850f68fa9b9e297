// Gate: no page of the site scrolls sideways on a 360 px phone, with
// JavaScript on and off, in the light and the dark colour scheme.
//
//   node tests/browser/layout.mjs
//
// Every HTML page of the built site (htmlPages(), so pages added later are
// included without editing this file) is opened from file:// at a viewport
// of 360 × 640 CSS px with deviceScaleFactor 2.
//
// Why that one viewport covers 200 % zoom: browser zoom changes the CSS
// viewport (window width / zoom) and the device pixel ratio (× zoom), so a
// 720 px wide window at 200 % is exactly a 360 CSS px viewport at ratio 2.
// Layout is computed in CSS px, so this run is that zoomed window, and it is
// also the 360 px phone (the ratio changes only rasterisation). A 1280 px
// desktop at 200 % is 640 CSS px, wider than this, and not the narrow case.
//
// The rule, per page and state:
//  1. the page itself does not scroll sideways:
//     document.documentElement.scrollWidth <= the viewport width (360);
//  2. no visible element reaches past the viewport's left or right edge,
//     unless it sits inside a scroll container meant for it: an element with
//     overflow-x auto or scroll that is a labelled, keyboard-reachable region
//     (role="region", tabindex="0", aria-label or aria-labelledby) and which
//     itself fits the viewport. Anything that overflows inside another
//     scroll or clip container (overflow-x hidden/clip, or an unlabelled
//     scroller) is a failure: content a reader cannot reach by keyboard, or
//     cannot see at all. Visually hidden text (1 × 1 px, clipped) is skipped.
//  3. The pages that rely on such an inner scrolling region are listed (not a
//     failure), so a table that could fit is visible in the log.
//
// For each failing page the outermost offending elements are printed (an
// element past the edge whose parent is not), with a selector and width.
// JavaScript off is a context with javaScriptEnabled: false, so <noscript>
// content renders as it does for a reader without scripts.
//
// Environment: HANDBOOK_PUBLIC (another built site), LAYOUT_WIDTH (default
// 360), LAYOUT_PAGES (a regular expression: only matching pages, for a quick
// local loop).

import { htmlPages, launch, pageUrl, requireSite } from './lib.mjs';

requireSite();

const WIDTH = Number(process.env.LAYOUT_WIDTH || 360);
const VIEWPORT = { width: WIDTH, height: 640 };
const SCHEMES = ['light', 'dark'];
const only = process.env.LAYOUT_PAGES ? new RegExp(process.env.LAYOUT_PAGES) : null;
const pages = htmlPages().filter((p) => !only || only.test(p));

const failures = []; // { page, state, message, culprits }
const innerScroll = new Map(); // page → Set of region labels
let checks = 0;

/** Runs in the page: the layout verdict for the current state. */
function measure(vw) {
  const tolerance = 0.5; // sub-pixel rounding at ratio 2
  const root = document.documentElement;
  const describe = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && parts.length < 4; e = e.parentElement) {
      let s = e.tagName.toLowerCase();
      if (e.id) {
        parts.unshift(`${s}#${e.id}`);
        break;
      }
      const cls = [...e.classList].slice(0, 2);
      if (cls.length) s += `.${cls.join('.')}`;
      const parent = e.parentElement;
      if (parent) {
        const same = [...parent.children].filter((c) => c.tagName === e.tagName);
        if (same.length > 1) s += `:nth-of-type(${same.indexOf(e) + 1})`;
      }
      parts.unshift(s);
    }
    return parts.join(' > ');
  };
  // A scroll container meant for wide content: a keyboard can scroll it
  // (it takes focus itself, or holds links or controls that do, which the
  // browser scrolls into view) and it has a name to announce (aria-label,
  // aria-labelledby, or a figure's figcaption).
  const focusable = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';
  const isLabelledRegion = (el) =>
    (el.getAttribute('tabindex') === '0' || !!el.querySelector(focusable)) &&
    (el.hasAttribute('aria-label') ||
      el.hasAttribute('aria-labelledby') ||
      (el.tagName === 'FIGURE' && !!el.querySelector(':scope > figcaption')));
  const visuallyHidden = (el, r) => {
    if (r.width <= 1 && r.height <= 1) return true;
    const cs = getComputedStyle(el);
    return cs.clip !== 'auto' && cs.position === 'absolute';
  };
  // The nearest ancestor that scrolls or clips horizontally, or null.
  const clipper = (el) => {
    for (let e = el.parentElement; e && e !== root && e !== document.body; e = e.parentElement) {
      const ox = getComputedStyle(e).overflowX;
      if (ox !== 'visible') return e;
    }
    return null;
  };

  const nameOf = (c) => {
    const cap = c.tagName === 'FIGURE' && c.querySelector(':scope > figcaption');
    return c.getAttribute('aria-label') || (cap && cap.textContent.trim()) || describe(c);
  };

  const offenders = [];
  const regions = new Set();
  const regionFailures = [];
  // Judge one box (an element's, or the line boxes of a text node, which can
  // overflow an element whose own box fits: a long URL in a nowrap line).
  // Returns true when the box is an offender outside any allowed region.
  const judge = (el, r) => {
    // Positions relative to the page, not the current scroll position.
    const left = r.left + window.scrollX;
    const right = r.right + window.scrollX;
    if (right <= vw + tolerance && left >= -tolerance) return false;
    if (visuallyHidden(el, r)) return false;
    const c = clipper(el);
    if (!c) return true;
    const cr = c.getBoundingClientRect();
    const contained = c.scrollWidth > c.clientWidth + tolerance || cr.right > vw + tolerance;
    if (!contained) return false; // the clipper's box holds it (e.g. a transformed child)
    const ox = getComputedStyle(c).overflowX;
    if (isLabelledRegion(c) && (ox === 'auto' || ox === 'scroll')) {
      // Allowed when the region fits; when it does not, the region itself
      // is an offender, reported once instead of for each child.
      if (cr.right + window.scrollX <= vw + tolerance && cr.left + window.scrollX >= -tolerance) {
        regions.add(nameOf(c));
      }
      return false;
    }
    regionFailures.push({
      sel: describe(el),
      width: Math.round(r.width),
      why: `inside ${describe(c)} (overflow-x ${ox}, not a labelled scroll region)`,
    });
    return false;
  };
  const skipped = (el) => {
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.display === 'contents') return true;
    if (el.closest('noscript, template, [hidden]')) return true;
    // An SVG drawing is judged as one box: its shapes are clipped to it.
    return !!el.ownerSVGElement;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (skipped(el)) continue;
    if (judge(el, r)) offenders.push(el);
  }
  const boxOffenders = new Set(offenders);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const el = t.parentElement;
    if (!el || !t.textContent.trim() || boxOffenders.has(el) || skipped(el)) continue;
    range.selectNodeContents(t);
    const r = range.getBoundingClientRect();
    if (r.width === 0) continue;
    if (judge(el, r) && !offenders.includes(el)) {
      el.dataset.layoutTextRight = String(Math.round(r.right + window.scrollX));
      offenders.push(el);
    }
  }
  // The outermost offenders: their parent is not itself past the edge.
  const set = new Set(offenders);
  const outer = offenders
    .filter((el) => !set.has(el.parentElement))
    .map((el) => {
      const r = el.getBoundingClientRect();
      const textRight = el.dataset.layoutTextRight;
      delete el.dataset.layoutTextRight;
      return {
        sel: describe(el) + (textRight ? ' (its text)' : ''),
        width: Math.round(r.width),
        right: textRight ? Number(textRight) : Math.round(r.right + window.scrollX),
        text: (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60),
      };
    })
    .sort((a, b) => b.right - a.right);
  // Scroll containers that are labelled regions and really scroll now.
  for (const c of document.querySelectorAll('[role="region"], figure')) {
    if (c.scrollWidth > c.clientWidth + tolerance && c.getBoundingClientRect().width > 0) {
      regions.add(nameOf(c));
    }
  }
  return {
    scrollWidth: root.scrollWidth,
    outer: outer.slice(0, 4),
    outerCount: outer.length,
    clipped: regionFailures.slice(0, 4),
    clippedCount: regionFailures.length,
    regions: [...regions],
  };
}

// Node-side waits only: with JavaScript off, a page's own timers and
// animation frames never run, so page.evaluate may not wait for them. The
// measurement reads layout synchronously (getBoundingClientRect forces it);
// the site has no web fonts, so nothing re-flows after load.
async function settle(page) {
  await page.waitForLoadState('load');
  await page.waitForTimeout(30);
}

async function runState(browser, javaScriptEnabled) {
  const js = javaScriptEnabled ? 'JS on' : 'JS off';
  const context = await browser.newContext({
    viewport: VIEWPORT,
    deviceScaleFactor: 2,
    isMobile: false,
    javaScriptEnabled,
  });
  // Offline: nothing outside file:// may load (e2e.mjs reports those).
  await context.route(/^(https?|wss?|ftp):/, (route) => route.abort());
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  for (const rel of pages) {
    try {
      await page.emulateMedia({ colorScheme: SCHEMES[0] });
      await page.goto(pageUrl(rel));
      await settle(page);
      for (const scheme of SCHEMES) {
        if (scheme !== SCHEMES[0]) {
          await page.emulateMedia({ colorScheme: scheme });
        }
        checks++;
        // measure() is a closed function (no outer names), passed by source.
        const m = await page.evaluate(measure, WIDTH);
        const state = `${js}, ${scheme}`;
        for (const label of m.regions) {
          if (!innerScroll.has(rel)) innerScroll.set(rel, new Set());
          innerScroll.get(rel).add(label);
        }
        const problems = [];
        if (m.scrollWidth > WIDTH) problems.push(`page scrolls sideways: scrollWidth ${m.scrollWidth} > ${WIDTH}`);
        if (m.outerCount && m.scrollWidth <= WIDTH) {
          problems.push(`${m.outerCount} element(s) reach past the viewport edge`);
        }
        if (m.clippedCount) problems.push(`${m.clippedCount} element(s) cut off inside a container`);
        if (problems.length) {
          failures.push({ page: rel, state, message: problems.join('; '), outer: m.outer, clipped: m.clipped });
        }
      }
    } catch (e) {
      failures.push({ page: rel, state: js, message: `exception: ${e.message.split('\n')[0]}`, outer: [], clipped: [] });
    }
  }
  await context.close();
}

const t0 = Date.now();
const browser = await launch();
try {
  // Two contexts in parallel (the CI machine has two cores).
  await Promise.all([runState(browser, true), runState(browser, false)]);
} finally {
  await browser.close();
}

failures.sort((a, b) => a.page.localeCompare(b.page, 'en', { numeric: true }) || a.state.localeCompare(b.state));
for (const f of failures) {
  console.error(`FAIL ${f.page} [${f.state}, ${WIDTH}px]: ${f.message}`);
  for (const o of f.outer) {
    console.error(`    widest: ${o.sel} (${o.width}px wide, right edge at ${o.right}px) “${o.text}”`);
  }
  for (const c of f.clipped) console.error(`    cut off: ${c.sel} (${c.width}px) ${c.why}`);
}
if (innerScroll.size) {
  // Grouped by region name, so a family of generated pages is one line.
  const byLabel = new Map();
  for (const [rel, labels] of innerScroll) {
    for (const l of labels) byLabel.set(l, [...(byLabel.get(l) || []), rel]);
  }
  console.log(`regions that scroll inside themselves at ${WIDTH}px (allowed; the page does not scroll):`);
  for (const [label, rels] of byLabel) {
    rels.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const shown = rels.length > 3 ? `${rels.slice(0, 3).join(', ')} … (${rels.length} pages)` : rels.join(', ');
    console.log(`  ${label}: ${shown}`);
  }
}
const failedPages = new Set(failures.map((f) => f.page));
console.log(
  `layout: ${pages.length} pages × JS on/off × ${SCHEMES.length} schemes at ${WIDTH}×${VIEWPORT.height} ` +
    `(ratio 2), ${checks} checks, ${failures.length} failed on ${failedPages.size} page(s), ` +
    `${((Date.now() - t0) / 1000).toFixed(1)}s`,
);
process.exit(failures.length ? 1 : 0);
