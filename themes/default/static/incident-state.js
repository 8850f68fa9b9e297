/*
 * The incident state as plain data, and the pure functions every page of the
 * incident workspace shares: reading and writing it as a URL query (so a link
 * reproduces the incident), splitting deadlines into the reader's own and
 * other bodies', and the parts of a clock time a reader needs at a glance
 * (weekday, today or tomorrow).
 *
 * It extends HandbookLogic (logic.js, loaded first) and, like it, must never
 * touch the DOM, the network or storage, hold a word of interface text, or
 * name an id of a policy.
 *
 * State: {discovered: "YYYY-MM-DDTHH:MM" wall time or null, role: actor id
 * or null, answers: [[question, answer], ...] in the order given, unsure:
 * [question ids answered "not sure"], actual: {event: "YYYY-MM-DDTHH:MM"},
 * conditions: [condition ids], done: [checklist keys]}.
 *
 * Query: d=<discovered>&role=<id>&a=<question>:<answer> (repeated, in
 * order)&u=<question> (repeated)&t=<event>:<time> (repeated)&c=<condition>
 * (repeated)&done=<key> (repeated). Unknown keys are ignored; malformed
 * values are dropped, never guessed.
 */
(function (global) {
  "use strict";

  var L = global.HandbookLogic;
  var WALL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

  function emptyIncident() {
    return { discovered: null, role: null, answers: [], unsure: [], actual: {}, conditions: [], done: [] };
  }

  function pair(value) {
    var at = value.indexOf(":");
    if (at <= 0 || at === value.length - 1) return null;
    return [value.slice(0, at), value.slice(at + 1)];
  }

  function unique(list, value) {
    if (value && list.indexOf(value) < 0) list.push(value);
  }

  /** The state a query string ("?d=..." or "d=...") describes. */
  function decodeIncident(search) {
    var s = emptyIncident();
    var q = new URLSearchParams(search || "");
    var d = q.get("d");
    if (d && WALL.test(d)) s.discovered = d;
    var role = q.get("role");
    if (role) s.role = role;
    var asked = {};
    q.getAll("a").forEach(function (v) {
      var p = pair(v);
      if (p && !asked[p[0]]) {
        asked[p[0]] = true;
        s.answers.push(p);
      }
    });
    q.getAll("u").forEach(function (v) { if (asked[v]) unique(s.unsure, v); });
    q.getAll("t").forEach(function (v) {
      var p = pair(v);
      if (p && WALL.test(p[1])) s.actual[p[0]] = p[1];
    });
    q.getAll("c").forEach(function (v) { unique(s.conditions, v); });
    q.getAll("done").forEach(function (v) { unique(s.done, v); });
    return s;
  }

  /** The query string (without "?") for a state; empty parts are left out. */
  function encodeIncident(s) {
    var q = new URLSearchParams();
    if (s.discovered) q.append("d", s.discovered);
    if (s.role) q.append("role", s.role);
    s.answers.forEach(function (p) { q.append("a", p[0] + ":" + p[1]); });
    s.unsure.forEach(function (id) { q.append("u", id); });
    Object.keys(s.actual).sort().forEach(function (id) { q.append("t", id + ":" + s.actual[id]); });
    s.conditions.forEach(function (id) { q.append("c", id); });
    s.done.forEach(function (k) { q.append("done", k); });
    return q.toString();
  }

  /** The answers as {question: answer}, for HandbookLogic.answerSlots. */
  function answersById(s) {
    var byId = {};
    s.answers.forEach(function (p) { byId[p[0]] = p[1]; });
    return byId;
  }

  /**
   * The facts HandbookLogic.computeDeadlines takes, or null while the
   * discovery time is missing or not a valid local time in `zone`.
   */
  function incidentFacts(s, level, zone) {
    if (!s.discovered) return null;
    var discovered = L.parseTime(s.discovered, zone);
    if (discovered === null) return null;
    var actual = {};
    Object.keys(s.actual).forEach(function (id) {
      var ms = L.parseTime(s.actual[id], zone);
      if (ms !== null) actual[id] = ms;
    });
    return { level: level, discovered: discovered, conditions: s.conditions.slice(), actual: actual };
  }

  /**
   * Deadline rows (HandbookLogic.computeDeadlines) split into the role's
   * own, in the order computed (what `handbook deadlines --role` prints),
   * and every other body's. Without a role every row is "mine".
   */
  function splitByRole(rows, role) {
    var out = { mine: [], others: [] };
    rows.forEach(function (r) {
      (role && r.actor !== role ? out.others : out.mine).push(r);
    });
    return out;
  }

  /**
   * The first of `rows` still open at `nowMs`: a due time, not yet done
   * (no actual time), not a right (a time from which one *may* act), and
   * not past; else the earliest overdue one. Null when none has a time.
   */
  function nextDeadline(rows, nowMs) {
    var open = rows.filter(function (r) { return r.dueMs !== null && r.actual === null && r.kind !== "right"; });
    open.sort(function (a, b) { return a.dueMs - b.dueMs; });
    var ahead = open.filter(function (r) { return r.dueMs >= nowMs; });
    if (ahead.length) return ahead[0];
    return open.length ? open[0] : null;
  }

  function dayNumber(w) {
    return Math.floor(Date.UTC(w.y, w.mo - 1, w.d) / 86400000);
  }

  /**
   * What a reader needs of the instant `ms` next to the clock time, in
   * `zone`: {hhmm, y, mo, d, weekday (0 = Sunday), days (calendar days from
   * the local date at `nowMs`: 0 today, 1 tomorrow, -1 yesterday)}.
   */
  function clockParts(ms, nowMs, zone) {
    var w = L.wallTime(ms, zone);
    var now = L.wallTime(nowMs, zone);
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return {
      hhmm: pad(w.h) + ":" + pad(w.mi),
      y: w.y,
      mo: w.mo,
      d: w.d,
      weekday: new Date(Date.UTC(w.y, w.mo - 1, w.d)).getUTCDay(),
      days: dayNumber(w) - dayNumber(now)
    };
  }

  /**
   * The local date `days` calendar days from `nowMs` in `zone`, as
   * "YYYY-MM-DD" (the today/yesterday shortcuts of the discovery time).
   */
  function localDate(nowMs, days, zone) {
    var w = L.wallTime(nowMs, zone);
    var t = new Date(Date.UTC(w.y, w.mo - 1, w.d + days));
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return t.getUTCFullYear() + "-" + pad(t.getUTCMonth() + 1) + "-" + pad(t.getUTCDate());
  }

  L.emptyIncident = emptyIncident;
  L.decodeIncident = decodeIncident;
  L.encodeIncident = encodeIncident;
  L.answersById = answersById;
  L.incidentFacts = incidentFacts;
  L.splitByRole = splitByRole;
  L.nextDeadline = nextDeadline;
  L.clockParts = clockParts;
  L.localDate = localDate;
})(typeof window !== "undefined" ? window : globalThis);
