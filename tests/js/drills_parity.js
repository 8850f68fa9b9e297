// Runs the pure part of the drills page's script (drills.js, with logic.js
// for times of day) under Node against vectors the Rust code produced
// (tests/drills_parity.rs) and reports every disagreement.
// Usage: node drills_parity.js <logic.js> <drills.js> <vectors.json>
"use strict";
const fs = require("fs");
const vm = require("vm");

const [logicPath, drillsPath, vectorsPath] = process.argv.slice(2);
const sandbox = {};
sandbox.window = sandbox;
vm.createContext(sandbox);
vm.runInContext(fs.readFileSync(logicPath, "utf8"), sandbox, { filename: "logic.js" });
vm.runInContext(fs.readFileSync(drillsPath, "utf8"), sandbox, { filename: "drills.js" });
const D = sandbox.HandbookDrills;
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
// Results cross the vm boundary; copy them into this realm's plain objects.
const plain = (v) => JSON.parse(JSON.stringify(v));

for (const v of vectors.dues) {
  const date = D.parseDate(v.date);
  if (date === null) {
    failures.push(`parseDate refused ${v.date}`);
    continue;
  }
  same("dues", v, v.expected, plain(D.dues(v.rule, date, v.time, v.zone)));
}
for (const v of vectors.yearly) {
  same("monthDayIn", v, v.expected, D.formatDate(D.monthDayIn(v.by, v.year)));
}
for (const v of vectors.weekdays) {
  same("weekday", v, v.expected, D.weekday(D.parseDate(v.date)));
}
for (const text of vectors.not_dates) {
  same("parseDate", text, null, D.parseDate(text));
}

console.log(`${passed} agreed`);
if (failures.length) {
  console.log(failures.slice(0, 30).join("\n"));
  console.log(`${failures.length} disagreed`);
  process.exit(1);
}
