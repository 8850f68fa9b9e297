// Runs the site's logic.js under Node against vectors produced by the Rust
// code (tests/js_parity.rs) and reports every disagreement.
// Usage: node parity.js <logic.js> <data.js> <vectors.json>
"use strict";
const fs = require("fs");
const vm = require("vm");

const [logicPath, dataPath, vectorsPath] = process.argv.slice(2);
const sandbox = {};
sandbox.window = sandbox;
vm.createContext(sandbox);
vm.runInContext(fs.readFileSync(dataPath, "utf8"), sandbox, { filename: "data.js" });
vm.runInContext(fs.readFileSync(logicPath, "utf8"), sandbox, { filename: "logic.js" });
const L = sandbox.HandbookLogic;
const data = sandbox.HANDBOOK_DATA;
const zone = data.timezone;
const vectors = JSON.parse(fs.readFileSync(vectorsPath, "utf8"));

const failures = [];
let passed = 0;
// Key order is not part of the contract; compare with sorted keys.
function canonical(v) {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") {
    const out = {};
    for (const k of Object.keys(v).sort()) out[k] = canonical(v[k]);
    return out;
  }
  return v;
}
function same(kind, input, expected, actual) {
  const e = JSON.stringify(canonical(expected));
  const a = JSON.stringify(canonical(actual));
  if (e === a) passed++;
  else failures.push(`${kind} ${JSON.stringify(input)}\n  rust: ${e}\n  js:   ${a}`);
}

for (const v of vectors.classify || []) {
  const slots = L.answerSlots(data, v.answers);
  same("evaluate", v.answers, v.outcome, L.evaluate(data, slots));
  if (v.tree_level !== undefined) {
    const leaf = L.walkTree(data, slots);
    same("walkTree", v.answers, v.tree_level, leaf && leaf.status === "level" ? leaf.level : null);
  }
}

for (const v of vectors.deadlines || []) {
  const actual = {};
  for (const [event, time] of Object.entries(v.at)) actual[event] = L.parseTime(time, zone);
  const facts = {
    level: v.level,
    discovered: L.parseTime(v.discovered, zone),
    conditions: v.conditions,
    actual,
  };
  const input = { level: v.level, discovered: v.discovered, conditions: v.conditions, at: v.at };
  const found = L.conflicts(data, facts).map((c) => ({
    event: c.event, time: c.time, relation: c.relation, other: c.other, other_time: c.other_time,
    deadline: c.deadline,
  }));
  same("conflicts", input, v.conflicts, found);
  if (v.rejected) continue;
  const got = L.computeDeadlines(data, facts).map((d) => ({
    event: d.event, due: d.due, anchor: d.anchor, within: d.within, assumed: d.assumed, kind: d.kind,
    if_anchor_missed: d.if_anchor_missed, actual: d.actual,
  }));
  same("deadlines", input, v.deadlines, got);
  const starts = L.startTimes(data, facts).map((s) => ({ event: s.event, time: s.time, assumed: s.assumed, from: s.from }));
  same("starts", input, v.starts, starts);
}

// Calendar steps: a due time `within` after `from` (deadlines::Within::after).
for (const v of vectors.steps || []) {
  const ms = L.addWithin(L.parseTime(v.from, zone), v.within, zone);
  same("addWithin", v, v.due, ms === null ? null : L.formatTime(ms, zone));
}

for (const v of vectors.tokenize || []) same("tokenize", v.text, v.tokens, L.tokenize(v.text));

for (const v of vectors.times || []) {
  const ms = L.parseTime(v.text, zone);
  same("parseTime", v.text, v.formatted, ms === null ? null : L.formatTime(ms, zone));
}

console.log(`js parity: ${passed} passed, ${failures.length} failed`);
if (failures.length) {
  console.log(failures.slice(0, 40).join("\n"));
  process.exit(1);
}
