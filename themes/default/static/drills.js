/*
 * drills.js: the drills page's "drill date -> report due" helper.
 *
 * The pure part (HandbookDrills) mirrors ruleset::drills exactly, and
 * tests/drills_parity.rs holds it to the Rust results:
 * - a yearly date (`by`, a deadline) in a year: the month's last day for
 *   "end" (day null) and for a day the month lacks that year (29 February);
 * - `by`: the first such date on or after the drill's date;
 * - `within` in days (weeks) or months: a calendar step on the date (a month
 *   past a month's end goes to its last day); immediately: the drill's date;
 * - `within` in minutes (hours): elapsed time from the start time on the
 *   zone's wall clock (HandbookLogic.parseTime / addWithin, which refuse a
 *   wall time the clock shows twice or skips), "needs-time" without one;
 * - unspecified: no time.
 * Dates are {y, mo, d}; results are {kind: "on", date: "YYYY-MM-DD"},
 * {kind: "at", time: "YYYY-MM-DDTHH:MM"}, or {kind: "needs-time" |
 * "not-on-clock" | "unspecified"}.
 *
 * The page part fills in the helper that drills.html renders hidden; the
 * words come from the theme's locale (HANDBOOK_DATA.text), the rules from
 * each report's data-rule attribute. Without this script the page shows a
 * worked example per drill instead. No fetch, no modules (file://).
 */
(function (global) {
  "use strict";

  function pad(n, width) {
    var s = String(n);
    while (s.length < (width || 2)) s = "0" + s;
    return s;
  }

  function daysIn(y, m) {
    return [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  }

  /** "YYYY-MM-DD" (as <input type=date> gives it) to {y, mo, d}, or null. */
  function parseDate(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    if (!m) return null;
    var p = { y: +m[1], mo: +m[2], d: +m[3] };
    if (p.mo < 1 || p.mo > 12 || p.d < 1 || p.d > daysIn(p.y, p.mo)) return null;
    return p;
  }

  function formatDate(p) {
    return pad(p.y, 4) + "-" + pad(p.mo) + "-" + pad(p.d);
  }

  function compareDates(a, b) {
    return (a.y - b.y) || (a.mo - b.mo) || (a.d - b.d);
  }

  /** A UTC Date at midnight of `p` (any year: setUTCFullYear, not Date.UTC). */
  function utcDate(y, mo, d) {
    var t = new Date(0);
    t.setUTCFullYear(y, mo - 1, d);
    return t;
  }

  /** 0 = Sunday, as chrono's num_days_from_sunday. */
  function weekday(p) {
    return utcDate(p.y, p.mo, p.d).getUTCDay();
  }

  function addDays(p, n) {
    var t = utcDate(p.y, p.mo, p.d + n);
    return { y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate() };
  }

  function addMonths(p, n) {
    var index = p.mo - 1 + n;
    var y = p.y + Math.floor(index / 12);
    var mo = (index % 12) + 1;
    return { y: y, mo: mo, d: Math.min(p.d, daysIn(y, mo)) };
  }

  /** Mirrors MonthDay::date_in. `md` is {month, day} (day null: the end). */
  function monthDayIn(md, year) {
    var last = daysIn(year, md.month);
    return { y: year, mo: md.month, d: md.day === null ? last : Math.min(md.day, last) };
  }

  /** Mirrors MonthDay::on_or_after. */
  function onOrAfter(md, from) {
    var thisYear = monthDayIn(md, from.y);
    return compareDates(thisYear, from) >= 0 ? thisYear : monthDayIn(md, from.y + 1);
  }

  /** Mirrors ruleset::drills::due_after; `time` is "HH:MM" or "". */
  function dueWithin(w, date, time, zone) {
    if (w === "immediately") return { kind: "on", date: formatDate(date) };
    if (!w || typeof w !== "object") return { kind: "unspecified" };
    if (typeof w.days === "number") return { kind: "on", date: formatDate(addDays(date, w.days)) };
    if (typeof w.months === "number") return { kind: "on", date: formatDate(addMonths(date, w.months)) };
    if (typeof w.minutes === "number") {
      if (!time) return { kind: "needs-time" };
      var L = global.HandbookLogic;
      var start = L.parseTime(formatDate(date) + "T" + time, zone);
      if (start === null) return { kind: "not-on-clock" };
      return { kind: "at", time: L.localInput(L.addWithin(start, w, zone), zone) };
    }
    return { kind: "unspecified" };
  }

  /**
   * Mirrors DrillReport::dues: `within` first, then `by`. `rule` is
   * {within, by} as the page's data-rule carries it.
   */
  function dues(rule, date, time, zone) {
    var out = [];
    if (rule.within !== null && rule.within !== undefined) out.push(dueWithin(rule.within, date, time, zone));
    if (rule.by) out.push({ kind: "on", date: formatDate(onOrAfter(rule.by, date)) });
    return out;
  }

  global.HandbookDrills = {
    parseDate: parseDate,
    formatDate: formatDate,
    weekday: weekday,
    monthDayIn: monthDayIn,
    onOrAfter: onOrAfter,
    dues: dues
  };

  if (typeof document === "undefined") return;

  // ---- the page ---------------------------------------------------------

  /** `{name}` placeholders filled once each, as site::ics::fill does. */
  function fill(pattern, values) {
    return String(pattern).replace(/\{([a-z_]+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  function start() {
    var section = document.getElementById("drill-helper");
    var data = global.HANDBOOK_DATA;
    var L = global.HandbookLogic;
    if (!section || !data || !data.text || !data.text.drills || !L) return;
    var words = data.text.drills;
    var months = data.text.content.month_names;
    var zone = data.timezone;
    var select = document.getElementById("drill-helper-drill");
    var dateInput = document.getElementById("drill-helper-date");
    var timeField = document.getElementById("drill-helper-time-field");
    var timeInput = document.getElementById("drill-helper-time");
    var prompt = document.getElementById("drill-helper-prompt");
    var blocks = section.querySelectorAll(".drill-helper-drill");
    if (!select || !dateInput || !prompt) return;

    function dateText(p) {
      return fill(words.date, {
        year: p.y, month: p.mo, day: p.d,
        month_name: months["m" + p.mo],
        weekday: data.text.clock.weekdays[weekday(p)]
      });
    }

    function dueText(due) {
      if (due.kind === "on") return dateText(parseDate(due.date));
      if (due.kind === "at") {
        return fill(words.date_time, { date: dateText(parseDate(due.time.slice(0, 10))), time: due.time.slice(11, 16) });
      }
      if (due.kind === "needs-time") return words.needs_time;
      if (due.kind === "not-on-clock") return words.time_not_on_clock;
      return words.no_time_set;
    }

    function selectedNeedsTime() {
      var option = select.options[select.selectedIndex];
      return !!option && option.getAttribute("data-needs-time") === "true";
    }

    function render() {
      var id = select.value;
      var needsTime = selectedNeedsTime();
      if (timeField) timeField.hidden = !needsTime;
      var time = needsTime && timeInput ? timeInput.value.slice(0, 5) : "";
      var date = parseDate(dateInput.value);
      dateInput.setAttribute("aria-invalid", dateInput.value && !date ? "true" : "false");
      prompt.hidden = !!date;
      prompt.textContent = dateInput.value && !date ? words.helper_bad_date : words.helper_prompt;
      Array.prototype.forEach.call(blocks, function (block) {
        var shown = !!date && block.getAttribute("data-drill") === id;
        block.hidden = !shown;
        if (!shown) return;
        var held = block.querySelector(".drill-helper-held-date");
        if (held) held.textContent = time ? fill(words.date_time, { date: dateText(date), time: time }) : dateText(date);
        Array.prototype.forEach.call(block.querySelectorAll("li[data-rule]"), function (li) {
          var rule;
          try { rule = JSON.parse(li.getAttribute("data-rule")); } catch (e) { return; }
          var out = li.querySelector(".drill-due-times");
          if (!out) return;
          while (out.firstChild) out.removeChild(out.firstChild);
          dues(rule, date, time, zone).forEach(function (due, i) {
            if (i > 0) out.appendChild(document.createTextNode(data.text.common.list_sep));
            var strong = document.createElement("strong");
            var machine = due.kind === "on" ? due.date : due.kind === "at" ? due.time : null;
            if (machine) {
              var t = document.createElement("time");
              t.setAttribute("datetime", machine);
              t.textContent = dueText(due);
              strong.appendChild(t);
            } else {
              strong.textContent = dueText(due);
            }
            out.appendChild(strong);
          });
        });
      });
    }

    [select, dateInput, timeInput].forEach(function (el) {
      if (!el) return;
      el.addEventListener("input", render);
      el.addEventListener("change", render);
    });
    section.querySelector("form").addEventListener("submit", function (e) { e.preventDefault(); render(); });
    section.hidden = false;
    render();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(typeof window !== "undefined" ? window : globalThis);
