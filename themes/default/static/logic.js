/*
 * logic.js: the handbook's arithmetic, in the browser.
 *
 * A line-for-line port of the Rust functions the `handbook` CLI uses
 * (ruleset::classify::Classifier::evaluate, classify::walk,
 * ruleset::deadlines::compute, site::search::tokenize), so the decision
 * tree, the calculator and search give exactly the answers of the CLI.
 * `tests/js_parity.rs` runs this file under Node against vectors the Rust
 * code produces. Pure functions only: no DOM, no network, no clock.
 * A classic script (no modules), because modules do not load from file://.
 */
(function (global) {
  "use strict";

  // ---- classification ---------------------------------------------------

  function questionIndex(data, id) {
    for (var i = 0; i < data.questions.length; i++) {
      if (data.questions[i].id === id) return i;
    }
    return -1;
  }

  function answerIndex(question, id) {
    for (var i = 0; i < question.answers.length; i++) {
      if (question.answers[i].id === id) return i;
    }
    return -1;
  }

  /** {questionId: answerId} to one slot per question (index or null). */
  function answerSlots(data, byId) {
    var slots = [];
    for (var i = 0; i < data.questions.length; i++) {
      var q = data.questions[i];
      var a = byId && Object.prototype.hasOwnProperty.call(byId, q.id) ? answerIndex(q, byId[q.id]) : -1;
      slots.push(a >= 0 ? a : null);
    }
    return slots;
  }

  function criterionMatch(data, c, slots) {
    var unknown = false;
    var keys = Object.keys(c.when).sort();
    for (var k = 0; k < keys.length; k++) {
      var qi = questionIndex(data, keys[k]);
      if (qi < 0) continue;
      var given = slots[qi];
      if (given === null || given === undefined) { unknown = true; continue; }
      var answerId = data.questions[qi].answers[given].id;
      if (c.when[keys[k]].indexOf(answerId) < 0) return "no";
    }
    return unknown ? "unknown" : "yes";
  }

  function isNothing(question, index) {
    return !!(question.answers[index] && question.answers[index].nothing);
  }

  function decides(question) {
    for (var i = 0; i < question.answers.length; i++) if (question.answers[i].nothing) return true;
    return false;
  }

  /** Mirrors Classifier::evaluate; `slots` has one answer index or null per question. */
  function evaluate(data, slots) {
    var statuses = data.criteria.map(function (c) { return criterionMatch(data, c, slots); });
    // Severity is the policy's order (criteria carry it): level ids are
    // any ids, so they are never compared themselves.
    var best = null;
    data.criteria.forEach(function (c, i) {
      if (statuses[i] === "yes" && (best === null || c.severity > best.severity)) best = c;
    });
    var possible = data.criteria.filter(function (c, i) {
      return statuses[i] === "unknown" && (best === null || c.severity > best.severity);
    });
    if (possible.length === 0) {
      if (best !== null) {
        var matched = [];
        data.criteria.forEach(function (c, i) {
          if (statuses[i] === "yes" && c.severity === best.severity) matched.push(c.id);
        });
        return { status: "level", level: best.level, criteria: matched };
      }
      var something = false;
      var unanswered = [];
      data.questions.forEach(function (q, qi) {
        if (!decides(q)) return;
        var a = slots[qi];
        if (a === null || a === undefined) unanswered.push(q.id);
        else if (!isNothing(q, a)) something = true;
      });
      if (something) return { status: "unclassified" };
      if (unanswered.length === 0) return { status: "not-an-incident" };
      return { status: "needs-answers", questions: unanswered, at_least: null };
    }
    var needed = [];
    possible.forEach(function (c) {
      Object.keys(c.when).forEach(function (qid) {
        var qi = questionIndex(data, qid);
        if (qi >= 0 && (slots[qi] === null || slots[qi] === undefined) && needed.indexOf(qi) < 0) needed.push(qi);
      });
    });
    needed.sort(function (a, b) { return a - b; });
    return {
      status: "needs-answers",
      questions: needed.map(function (qi) { return data.questions[qi].id; }),
      at_least: best === null ? null : best.level
    };
  }

  /** Mirrors classify::walk: follow the compiled tree with full answers. */
  function walkTree(data, slots) {
    var node = 0;
    for (var guard = 0; guard <= data.levelTree.length; guard++) {
      var n = data.levelTree[node];
      if (!n) return null;
      if (n.type === "leaf") return n.outcome;
      var qi = questionIndex(data, n.question);
      if (qi < 0 || slots[qi] === null || slots[qi] === undefined) return null;
      var answerId = data.questions[qi].answers[slots[qi]].id;
      var next = null;
      for (var b = 0; b < n.branches.length; b++) {
        if (n.branches[b].answer === answerId) next = n.branches[b].node;
      }
      if (next === null) return null;
      node = next;
    }
    return null;
  }

  // ---- time ------------------------------------------------------------
  //
  // Every time is wall-clock time in the policy's zone (data.timezone, an
  // IANA name), read through Intl.DateTimeFormat so daylight saving is the
  // browser's zone database, as chrono-tz is the CLI's. Instants are epoch
  // milliseconds; a wall time is {y, mo, d, h, mi, s}.

  var MINUTE = 60000;
  var DAY = 86400000;
  var formatters = {};

  function pad(n, width) {
    var s = String(n);
    while (s.length < (width || 2)) s = "0" + s;
    return s;
  }

  function daysIn(y, m) {
    return [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  }

  function validDate(y, m, d) {
    return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m);
  }

  /** The wall time at instant `ms` in `zone`. */
  function wallTime(ms, zone) {
    var f = formatters[zone];
    if (!f) {
      f = formatters[zone] = new Intl.DateTimeFormat("en-US", {
        timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", second: "2-digit"
      });
    }
    var w = {};
    f.formatToParts(new Date(ms)).forEach(function (p) {
      if (p.type !== "literal") w[p.type] = +p.value;
    });
    return { y: w.year, mo: w.month, d: w.day, h: w.hour % 24, mi: w.minute, s: w.second };
  }

  function wallAsUtc(w) {
    var t = new Date(0);
    t.setUTCFullYear(w.y, w.mo - 1, w.d);
    t.setUTCHours(w.h, w.mi, w.s, 0);
    return t.getTime();
  }

  /** Minutes the zone's clock is ahead of UTC at instant `ms`. */
  function offsetMinutes(ms, zone) {
    var whole = Math.floor(ms / 1000) * 1000;
    return Math.round((wallAsUtc(wallTime(whole, zone)) - whole) / MINUTE);
  }

  /**
   * The instants a wall time stands for in `zone`: {instants: [ms] (one,
   * two when the clocks show it twice, none when they skip it), before,
   * after (the offsets a day either side)}. Mirrors chrono's
   * from_local_datetime as ruleset::deadlines uses it.
   */
  function localInstants(w, zone) {
    var guess = wallAsUtc(w);
    var before = offsetMinutes(guess - DAY, zone);
    var after = offsetMinutes(guess + DAY, zone);
    var instants = [];
    [before, after].forEach(function (o) {
      var t = guess - o * MINUTE;
      if (offsetMinutes(t, zone) === o && instants.indexOf(t) < 0) instants.push(t);
    });
    instants.sort(function (a, b) { return a - b; });
    return { instants: instants, before: before, after: after, guess: guess };
  }

  /**
   * Mirrors deadlines::resolve_local, for calendar steps: the earlier
   * instant of a wall time shown twice; for one skipped, the instant at the
   * offset in force before the gap.
   */
  function resolveLocal(w, zone) {
    var r = localInstants(w, zone);
    if (r.instants.length > 0) return r.instants[0];
    return r.guess - r.before * MINUTE;
  }

  /**
   * RFC 3339 (2026-03-01T09:00:00+08:00, ...Z) or local time in `zone`
   * (2026-03-01T09:00, 2026-03-01 09:00[:ss]). Returns epoch milliseconds,
   * or null when the text is not a valid time, or is a local time that a
   * daylight-saving change shows twice or skips (deadlines::parse_time
   * refuses those too).
   */
  function parseTime(text, zone) {
    var m = /^\s*(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|z|[+-]\d{2}:\d{2})?\s*$/.exec(text || "");
    if (!m) return null;
    var w = { y: +m[1], mo: +m[2], d: +m[3], h: +m[4], mi: +m[5], s: m[6] ? +m[6] : 0 };
    if (!validDate(w.y, w.mo, w.d) || w.h > 23 || w.mi > 59 || w.s > 59) return null;
    if (!m[7]) {
      var r = localInstants(w, zone);
      return r.instants.length === 1 ? r.instants[0] : null;
    }
    if (!m[6]) return null; // RFC 3339 requires seconds
    var offset = 0;
    if (m[7] !== "Z" && m[7] !== "z") {
      var sign = m[7][0] === "-" ? -1 : 1;
      offset = sign * (+m[7].slice(1, 3) * 60 + +m[7].slice(4, 6));
    }
    return wallAsUtc(w) - offset * MINUTE;
  }

  /** Epoch milliseconds to RFC 3339 with the offset valid then in `zone`. */
  function formatTime(ms, zone) {
    var w = wallTime(ms, zone);
    var o = offsetMinutes(ms, zone);
    var a = Math.abs(o);
    return pad(w.y, 4) + "-" + pad(w.mo) + "-" + pad(w.d) + "T" + pad(w.h) + ":" + pad(w.mi) + ":" + pad(w.s) +
      (o < 0 ? "-" : "+") + pad(Math.floor(a / 60)) + ":" + pad(a % 60);
  }

  /** The wall time of `ms` in `zone` as "YYYY-MM-DDTHH:MM" (datetime-local). */
  function localInput(ms, zone) {
    return formatTime(ms, zone).slice(0, 16);
  }

  // ---- deadlines -------------------------------------------------------

  /**
   * Mirrors Within::minutes: the nominal length in minutes (a day 24 h, a
   * month 30 days), 0 for immediately, null for unspecified. Never a due
   * time: that is addWithin.
   */
  function withinMinutes(w) {
    if (w === "immediately") return 0;
    if (w && typeof w === "object") {
      if (typeof w.minutes === "number") return w.minutes;
      if (typeof w.days === "number") return w.days * 24 * 60;
      if (typeof w.months === "number") return w.months * 30 * 24 * 60;
    }
    return null;
  }

  /**
   * Mirrors Within::after: minutes elapsed; days (weeks) and months as
   * calendar steps on the wall clock of `zone` (a month past the end of the
   * month goes to its last day). Null for unspecified.
   */
  function addWithin(ms, w, zone) {
    if (w === "immediately") return ms;
    if (!w || typeof w !== "object") return null;
    if (typeof w.minutes === "number") return ms + w.minutes * MINUTE;
    var t = wallTime(ms, zone);
    if (typeof w.days === "number") {
      var day = new Date(Date.UTC(2000, 0, 1));
      day.setUTCFullYear(t.y, t.mo - 1, t.d + w.days);
      t = { y: day.getUTCFullYear(), mo: day.getUTCMonth() + 1, d: day.getUTCDate(), h: t.h, mi: t.mi, s: t.s };
      return resolveLocal(t, zone);
    }
    if (typeof w.months === "number") {
      var index = t.mo - 1 + w.months;
      var y = t.y + Math.floor(index / 12);
      var mo = (index % 12) + 1;
      t = { y: y, mo: mo, d: Math.min(t.d, daysIn(y, mo)), h: t.h, mi: t.mi, s: t.s };
      return resolveLocal(t, zone);
    }
    return null;
  }

  /** "1h", "36h", "30m", "3d", "2w", "1mo", "immediately", "unspecified" (Within::label). */
  function withinLabel(w) {
    if (w === "immediately") return "immediately";
    if (w && typeof w === "object") {
      if (typeof w.minutes === "number") return w.minutes % 60 === 0 ? w.minutes / 60 + "h" : w.minutes + "m";
      if (typeof w.days === "number") return w.days % 7 === 0 ? w.days / 7 + "w" : w.days + "d";
      if (typeof w.months === "number") return w.months + "mo";
    }
    return "unspecified";
  }

  /** Mirrors deadlines::dependencies: anchor, prerequisites, not_after. */
  function dependencies(e) {
    var deps = [];
    if (e.anchor !== null && e.anchor !== undefined) deps.push(e.anchor);
    (e.after || []).forEach(function (a) { deps.push(a); });
    if (e.not_after !== null && e.not_after !== undefined) deps.push(e.not_after);
    return deps;
  }

  /** Mirrors deadlines::topological_order. */
  function topologicalOrder(events) {
    var placed = events.map(function () { return false; });
    var order = [];
    var progress = true;
    function indexOf(id) {
      for (var j = 0; j < events.length; j++) if (events[j].id === id) return j;
      return -1;
    }
    while (progress) {
      progress = false;
      for (var i = 0; i < events.length; i++) {
        if (placed[i]) continue;
        var ready = dependencies(events[i]).every(function (a) {
          var j = indexOf(a);
          return j < 0 || placed[j];
        });
        if (ready) { placed[i] = true; order.push(i); progress = true; }
      }
    }
    return order;
  }

  function has(map, key) {
    return Object.prototype.hasOwnProperty.call(map, key);
  }

  /**
   * Mirrors IncidentFacts::given: the time given for an event, or for the
   * discovery event (the one starting event the policy must have, whose id
   * the data names as `discoveryEvent`) the discovery time.
   */
  function givenTime(data, facts, id) {
    var actual = facts.actual || {};
    if (has(actual, id)) return actual[id];
    if (id === data.discoveryEvent) return facts.discovered;
    return null;
  }

  /** Mirrors deadlines::actual_times: times taken over through counts_as. */
  function actualTimes(events, facts) {
    var given = facts.actual || {};
    var out = {};
    Object.keys(given).forEach(function (k) { out[k] = given[k]; });
    events.forEach(function (e) {
      if (e.counts_as && has(given, e.id) && !has(out, e.counts_as)) out[e.counts_as] = given[e.id];
    });
    return out;
  }

  /**
   * Mirrors deadlines::reached: {within, anchor} when the walk reaches the
   * event (level, condition, prerequisites, anchor known), else null.
   */
  function reached(e, facts, known) {
    var within = e.within[String(facts.level)];
    if (within === undefined) return null;
    if (e.when && (facts.conditions || []).indexOf(e.when) < 0) return null;
    if (!(e.after || []).every(function (p) { return has(known, p); })) return null;
    var anchor = has(known, e.anchor) ? known[e.anchor] : null;
    if (!anchor) return null;
    return { within: within, anchor: anchor };
  }

  /** Mirrors deadlines::walk: {known, rows}. */
  function walk(data, facts) {
    var events = data.events;
    var zone = data.timezone;
    var known = {};
    var out = [];
    var actualOf = actualTimes(events, facts);
    topologicalOrder(events).forEach(function (i) {
      var e = events[i];
      var act = has(actualOf, e.id) ? actualOf[e.id] : null;
      if (e.anchor === null || e.anchor === undefined) {
        var given = givenTime(data, facts, e.id);
        if (given === null) given = act;
        var taken = e.not_after && known[e.not_after] ? known[e.not_after].actual : null;
        var time = null, takenOver = false;
        if (given !== null) time = given;
        else if (taken !== null && taken !== undefined) { time = taken; takenOver = true; }
        if (time !== null) known[e.id] = { actual: time, actualAssumed: takenOver, due: null, assumed: false };
        return;
      }
      var reach = reached(e, facts, known);
      if (!reach) return;
      var within = reach.within;
      var anchor = reach.anchor;
      var base = null, assumed = false;
      if (e.if_anchor_missed) {
        if (anchor.actual !== null && anchor.due !== null && anchor.actual <= anchor.due) {
          if (!anchor.assumed) return;
          base = null; assumed = false;
        } else if (anchor.due !== null) { base = anchor.due; assumed = anchor.assumed; }
        else { base = null; assumed = anchor.assumed; }
      } else if (anchor.actual !== null) { base = anchor.actual; assumed = anchor.actualAssumed; }
      else if (anchor.due !== null) { base = anchor.due; assumed = true; }
      else { assumed = anchor.assumed; }
      var due = base !== null ? addWithin(base, within, zone) : null;
      known[e.id] = { actual: act, actualAssumed: false, due: due, assumed: assumed };
      out.push({
        event: e.id,
        actor: e.actor,
        due: due === null ? null : formatTime(due, zone),
        dueMs: due,
        anchor: e.anchor,
        within: withinLabel(within),
        assumed: assumed && due !== null,
        kind: e.kind,
        if_anchor_missed: !!e.if_anchor_missed,
        actual: act === null ? null : formatTime(act, zone),
        source: e.source
      });
    });
    return { known: known, rows: out };
  }

  /**
   * Mirrors deadlines::compute. facts = {level, discovered (ms),
   * conditions: [ids], actual: {eventId: ms}}. Returns
   * [{event, actor, due, anchor, within, assumed, kind, if_anchor_missed,
   * actual, source}] with times as RFC 3339 strings at the zone's offset (or null) and `within` as
   * its label.
   */
  function computeDeadlines(data, facts) {
    return walk(data, facts).rows;
  }

  /** Mirrors deadlines::start_times: [{event, time, timeMs, assumed, from}]. */
  function startTimes(data, facts) {
    var known = walk(data, facts).known;
    var out = [];
    topologicalOrder(data.events).forEach(function (i) {
      var e = data.events[i];
      if (e.anchor !== null && e.anchor !== undefined) return;
      var k = known[e.id];
      if (!k) return;
      out.push({
        event: e.id,
        time: k.actual === null ? null : formatTime(k.actual, data.timezone),
        timeMs: k.actual,
        assumed: k.actualAssumed,
        from: k.actualAssumed ? e.not_after : null
      });
    });
    return out;
  }

  /**
   * Mirrors deadlines::conflicts: given times that cannot all be true.
   * Returns [{event, time, relation: "before" | "after" | "before-deadline"
   * | "anchor-on-time", other, other_time, deadline}] with times as RFC 3339
   * strings at the zone's offset or null (and timeMs / otherMs / deadlineMs).
   */
  function conflicts(data, facts) {
    var events = data.events;
    var zone = data.timezone;
    var given = facts.actual || {};
    var known = walk(data, facts).known;
    function find(id) {
      for (var j = 0; j < events.length; j++) if (events[j].id === id) return events[j];
      return null;
    }
    function item(e, time, relation, other, otherTime, deadline) {
      return {
        event: e.id, time: formatTime(time, zone), timeMs: time, relation: relation, other: other,
        other_time: formatTime(otherTime, zone), otherMs: otherTime,
        deadline: deadline === null ? null : formatTime(deadline, zone), deadlineMs: deadline
      };
    }
    var out = [];
    events.forEach(function (e) {
      if (!has(given, e.id)) return;
      var time = given[e.id];
      if (e.not_after) {
        var limit = givenTime(data, facts, e.not_after);
        if (limit !== null && time > limit) out.push(item(e, time, "after", e.not_after, limit, null));
      }
      var up;
      if (e.if_anchor_missed) {
        var a = e.anchor ? find(e.anchor) : null;
        up = a && a.anchor !== undefined ? a.anchor : null;
      } else {
        up = e.anchor;
      }
      var before = false;
      for (var n = 0; n < events.length; n++) {
        if (up === null || up === undefined) break;
        var other = givenTime(data, facts, up);
        if (other !== null) {
          if (time < other) {
            before = true;
            out.push(item(e, time, "before", up, other, null));
          }
          break;
        }
        var x = find(up);
        up = x ? x.anchor : null;
      }
      // A right on a missed anchor: only against a certain deadline.
      if (before || !e.if_anchor_missed) return;
      var reach = reached(e, facts, known);
      if (!reach || reach.anchor.due === null || reach.anchor.assumed) return;
      var by = reach.anchor.due;
      var done = reach.anchor.actual;
      if (done !== null && done !== undefined && done <= by) out.push(item(e, time, "anchor-on-time", e.anchor, done, by));
      else if (time < by) out.push(item(e, time, "before-deadline", e.anchor, by, by));
    });
    return out;
  }

  // ---- search ----------------------------------------------------------

  function isCjk(cp) {
    return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3100 && cp <= 0x312F) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
      (cp >= 0x20000 && cp <= 0x2FFFF);
  }

  function isAsciiAlnum(ch) {
    return /^[0-9a-z]$/.test(ch);
  }

  var own = Object.prototype.hasOwnProperty;

  /**
   * Mirrors site::synonyms::Synonyms::normalise: full-width ASCII to ASCII,
   * ASCII lower case, then the synonym table's variant folding (`fold`,
   * character to character), so index and query see one spelling.
   */
  function normaliseText(text, synonyms) {
    var fold = (synonyms && synonyms.fold) || {};
    var out = "";
    for (var ch of String(text || "")) {
      var cp = ch.codePointAt(0);
      if (cp >= 0xFF01 && cp <= 0xFF5E) { cp -= 0xFEE0; ch = String.fromCodePoint(cp); }
      if (cp < 128) ch = ch.toLowerCase();
      if (own.call(fold, ch)) ch = fold[ch];
      out += ch;
    }
    return out;
  }

  /** Mirrors site::search::tokenize_with: CJK bigrams and ASCII words. */
  function tokenize(text, synonyms) {
    var tokens = [];
    var run = [];
    var word = "";
    function flushRun() {
      if (run.length === 1) tokens.push(run[0]);
      for (var i = 0; i + 1 < run.length; i++) tokens.push(run[i] + run[i + 1]);
      run = [];
    }
    for (var ch of normaliseText(text, synonyms)) {
      var cp = ch.codePointAt(0);
      if (isCjk(cp)) {
        if (word) { tokens.push(word); word = ""; }
        run.push(ch);
      } else if (isAsciiAlnum(ch)) {
        flushRun();
        word += ch;
      } else {
        flushRun();
        if (word) { tokens.push(word); word = ""; }
      }
    }
    flushRun();
    if (word) tokens.push(word);
    return tokens;
  }

  function unique(list) {
    return list.filter(function (x, i) { return list.indexOf(x) === i; });
  }

  /**
   * A query as clauses, each a list of alternative strings (normalised): a
   * word of a synonym group (the longest that starts at a place; an ASCII
   * word only as a whole word) becomes one clause of the word as typed,
   * the group's other terms and its `finds`; the text between such words
   * is a clause of itself. A result must satisfy every clause through at
   * least one of its alternatives.
   */
  function expandQuery(query, synonyms) {
    var q = normaliseText(String(query || "").trim(), synonyms);
    var groups = (synonyms && synonyms.groups) || [];
    var words = [];
    groups.forEach(function (g, gi) {
      g.terms.forEach(function (t) {
        var w = normaliseText(String(t).trim(), synonyms);
        if (w) words.push({ word: w, group: gi });
      });
    });
    words.sort(function (a, b) { return b.word.length - a.word.length; });
    function wordAt(i, w) {
      if (!q.startsWith(w, i)) return false;
      var before = i > 0 ? q[i - 1] : "";
      var after = q.charAt(i + w.length);
      if (isAsciiAlnum(w[0]) && before && isAsciiAlnum(before)) return false;
      if (isAsciiAlnum(w[w.length - 1]) && after && isAsciiAlnum(after)) return false;
      return true;
    }
    var clauses = [];
    var plain = "";
    function flush() {
      if (plain.trim()) clauses.push([plain.trim()]);
      plain = "";
    }
    var i = 0;
    while (i < q.length) {
      var hit = null;
      for (var k = 0; k < words.length && !hit; k++) if (wordAt(i, words[k].word)) hit = words[k];
      if (!hit) {
        plain += q[i];
        i++;
        continue;
      }
      flush();
      var g = groups[hit.group];
      var norm = function (t) { return normaliseText(String(t).trim(), synonyms); };
      var terms = unique([hit.word].concat(g.terms.map(norm)));
      var clause = unique(terms.concat((g.finds || []).map(norm)));
      clause.terms = terms.length;
      clauses.push(clause);
      i += hit.word.length;
    }
    flush();
    return clauses;
  }

  /** Each document's length relative to the mean (memoised on the index). */
  function docLengths(index) {
    if (index.lengthsCache && index.lengthsCache.length === index.docs.length) return index.lengthsCache;
    var total = 0;
    var raw = index.docs.map(function (d) {
      var len = String(d[1]).length + String(d[2]).length + String(d[3] || "").length;
      total += len;
      return len;
    });
    var mean = total / Math.max(1, raw.length) || 1;
    index.lengthsCache = raw.map(function (len) { return len / mean; });
    return index.lengthsCache;
  }

  /** BM25's term-frequency saturation: k1 = 1.2, b = 0.75. */
  function saturate(count, relativeLength) {
    var k1 = 1.2;
    var b = 0.75;
    return count * (k1 + 1) / (count + k1 * (1 - b + b * relativeLength));
  }

  /**
   * Ranked search over the index search.rs writes: the query expanded
   * through the index's synonym table (expandQuery); a document must
   * contain every token of some alternative of every clause; scored by term
   * frequency weighted by rarity (an alternative other than the typed word
   * counts a little less), with bonuses when the section's heading (or the
   * page title) and the text contain the words found. Returns [{url, title,
   * heading, text, score, matched}], `matched` the alternative each clause
   * was found by.
   */
  function search(index, query, limit) {
    var synonyms = index.synonyms || null;
    var clauses = expandQuery(query, synonyms);
    var n = index.docs.length;
    var lengths = docLengths(index);
    // How many alternatives of a clause are the group's terms (the rest
    // are its `finds`, which count least).
    function termCount(clause) {
      return clause.terms === undefined ? clause.length : clause.terms;
    }
    var scores = null;
    var matched = {};
    for (var c = 0; c < clauses.length; c++) {
      var best = {};
      var bestAlt = {};
      var usable = false;
      for (var a = 0; a < clauses[c].length; a++) {
        var alt = clauses[c][a];
        var tokens = unique(tokenize(alt, synonyms));
        if (tokens.length === 0) continue;
        usable = true;
        var weight = a === 0 ? 1 : a < termCount(clauses[c]) ? 0.8 : 0.6;
        var found = null;
        for (var k = 0; k < tokens.length; k++) {
          var postings = index.terms[tokens[k]];
          if (!postings) { found = {}; break; }
          var idf = Math.log(1 + n / (postings.length / 2));
          var next = {};
          for (var p = 0; p < postings.length; p += 2) {
            var doc = postings[p];
            if (found === null || own.call(found, doc)) {
              next[doc] = (found === null ? 0 : found[doc]) + saturate(postings[p + 1], lengths[doc]) * idf;
            }
          }
          found = next;
        }
        Object.keys(found).forEach(function (d) {
          // The mean over the alternative's tokens, so a long name does not
          // outweigh a short one for having more of them.
          var score = found[d] / tokens.length * weight;
          if (!own.call(best, d) || score > best[d]) { best[d] = score; bestAlt[d] = alt; }
        });
      }
      if (!usable) continue;
      var merged = {};
      Object.keys(best).forEach(function (d) {
        if (scores === null || own.call(scores, d)) {
          merged[d] = (scores === null ? 0 : scores[d]) + best[d];
          matched[d] = (matched[d] || []).concat([bestAlt[d]]);
        }
      });
      scores = merged;
    }
    if (scores === null) return [];
    function containsAll(text, words) {
      var t = normaliseText(text, synonyms);
      return words.every(function (w) { return t.indexOf(w) >= 0; });
    }
    var results = Object.keys(scores).map(function (d) {
      var doc = index.docs[+d];
      var heading = doc[3] || "";
      var words = matched[d] || [];
      var score = scores[d];
      if (containsAll(heading || doc[1], words)) score *= 3;
      else if (containsAll(doc[1] + " " + heading, words)) score *= 2;
      if (containsAll(doc[2], words)) score *= 1.5;
      return { url: doc[0], title: doc[1], heading: heading, text: doc[2], score: score, order: +d, matched: words };
    });
    results.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    // A page section and an entity at the same address are one result.
    var seen = {};
    results = results.filter(function (r) {
      if (own.call(seen, r.url)) return false;
      seen[r.url] = true;
      return true;
    });
    return results.slice(0, limit || 50);
  }

  /**
   * A short excerpt around the first match of the query (or its first
   * token); `query` may be a list of words tried in order (a result's
   * `matched`), and `synonyms` folds the text as the index does.
   */
  function excerpt(text, query, width, synonyms) {
    width = width || 60;
    var lower = synonyms ? normaliseText(text, synonyms) : text.toLowerCase();
    if (lower.length !== text.length) lower = text.toLowerCase();
    var queries = Array.isArray(query) ? query : [query];
    var at = -1;
    var len = 0;
    for (var j = 0; j < queries.length && at < 0; j++) {
      var q = synonyms ? normaliseText(String(queries[j]).trim(), synonyms) : String(queries[j]).trim().toLowerCase();
      at = q ? lower.indexOf(q) : -1;
      len = q.length;
    }
    for (var m = 0; m < queries.length && at < 0; m++) {
      var tokens = tokenize(queries[m], synonyms);
      for (var i = 0; i < tokens.length && at < 0; i++) { at = lower.indexOf(tokens[i]); len = tokens[i].length; }
    }
    if (at < 0) return { before: "", match: "", after: text.slice(0, width * 2) };
    var start = Math.max(0, at - width);
    var end = Math.min(text.length, at + len + width);
    return {
      before: (start > 0 ? "…" : "") + text.slice(start, at),
      match: text.slice(at, at + len),
      after: text.slice(at + len, end) + (end < text.length ? "…" : "")
    };
  }

  global.HandbookLogic = {
    answerSlots: answerSlots,
    evaluate: evaluate,
    walkTree: walkTree,
    parseTime: parseTime,
    formatTime: formatTime,
    localInput: localInput,
    wallTime: wallTime,
    withinMinutes: withinMinutes,
    addWithin: addWithin,
    withinLabel: withinLabel,
    computeDeadlines: computeDeadlines,
    startTimes: startTimes,
    conflicts: conflicts,
    tokenize: tokenize,
    normaliseText: normaliseText,
    expandQuery: expandQuery,
    search: search,
    excerpt: excerpt
  };
})(typeof window !== "undefined" ? window : globalThis);
