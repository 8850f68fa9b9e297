// Unit tests of themes/default/static/incident-state.js under Node, run by
// tests/incident_state.rs: node incident_state.js <logic.js> <incident-state.js> <data.js>
// Prints one line per failed check and exits 1 if any failed.
"use strict";
const fs = require("fs");
const vm = require("vm");
const [logicPath, statePath, dataPath] = process.argv.slice(2);
const sandbox = { URLSearchParams, Intl, Date, Math, JSON, Object, Array, String, Number };
sandbox.window = sandbox;
vm.createContext(sandbox);
for (const p of [dataPath, logicPath, statePath]) vm.runInContext(fs.readFileSync(p, "utf8"), sandbox, { filename: p });
const L = sandbox.HandbookLogic;
const data = sandbox.HANDBOOK_DATA;
const zone = data.timezone;
let failed = 0;
const check = (name, ok, detail) => {
  if (!ok) {
    failed++;
    console.log(`FAIL ${name}${detail ? ": " + detail : ""}`);
  } else console.log(`ok   ${name}`);
};
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// Round trip: a full state survives encode → decode, answer order kept.
const q0 = data.questions[0], q1 = data.questions[1];
const ev = data.events.find((e) => e.anchor);
const full = {
  discovered: "2026-12-01T03:00",
  role: data.handbook.readers[0] || null,
  answers: [[q1.id, q1.answers[0].id], [q0.id, q0.answers[1].id]],
  unsure: [q0.id],
  actual: { [ev.id]: "2026-12-01T03:40" },
  conditions: [data.conditions[0].id],
  done: [ev.id, "item-1"],
};
const query = L.encodeIncident(full);
const back = L.decodeIncident("?" + query);
check("encode/decode round trip", same(JSON.parse(JSON.stringify(back)), full), query + " -> " + JSON.stringify(back));
check("decode without '?' equals with", same(L.decodeIncident(query), back));
check("an empty state encodes to nothing", L.encodeIncident(L.emptyIncident()) === "");

// Malformed values are dropped, never guessed.
const bad = L.decodeIncident(
  "d=2026-12-01 03:00&a=nocolon&a=:x&a=y:&a=" + q0.id + ":" + q0.answers[0].id + "&a=" + q0.id + ":" + q0.answers[1].id +
  "&u=not-answered&t=" + ev.id + ":yesterday&t=broken&done=&c=&zzz=1"
);
check("malformed discovery time dropped", bad.discovered === null, bad.discovered);
check("malformed answers dropped, the first answer of a question kept", same(JSON.parse(JSON.stringify(bad.answers)), [[q0.id, q0.answers[0].id]]), JSON.stringify(bad.answers));
check("unsure of an unanswered question dropped", bad.unsure.length === 0, JSON.stringify(bad.unsure));
check("malformed actual times dropped", Object.keys(bad.actual).length === 0, JSON.stringify(bad.actual));
check("empty done and conditions dropped", bad.done.length === 0 && bad.conditions.length === 0);
check("the incident facts need a discovery time", L.incidentFacts(bad, data.levels[0].id, zone) === null);

// splitByRole: mine in computed order, others the rest; no role = all mine.
const level = data.levels[0].id;
const facts = L.incidentFacts(full, level, zone);
const rows = L.computeDeadlines(data, facts);
for (const role of data.handbook.readers) {
  const split = L.splitByRole(rows, role);
  check(`splitByRole ${role}: mine are the role's rows in order`, same(split.mine.map((r) => r.event), rows.filter((r) => r.actor === role).map((r) => r.event)));
  check(`splitByRole ${role}: others are the rest`, split.others.length + split.mine.length === rows.length && split.others.every((r) => r.actor !== role));
}
check("splitByRole without a role: every row is mine", L.splitByRole(rows, null).mine.length === rows.length);

// nextDeadline: the earliest open due time ahead; done rows and rights are
// skipped; when all are past, the earliest overdue one; none: null.
const at = (s) => L.parseTime(s, zone);
const row = (event, due, extra) => Object.assign({ event, dueMs: due === null ? null : at(due), actual: null, kind: "deadline" }, extra || {});
const sample = [
  row("a", "2026-12-01T05:00"),
  row("b", "2026-12-01T04:00"),
  row("c", "2026-12-01T03:30", { actual: "2026-12-01T03:20:00+08:00" }),
  row("d", "2026-12-01T03:45", { kind: "right" }),
  row("e", null),
];
check("nextDeadline: earliest open one ahead", (L.nextDeadline(sample, at("2026-12-01T03:10")) || {}).event === "b");
check("nextDeadline: a past one is skipped while one is ahead", (L.nextDeadline(sample, at("2026-12-01T04:30")) || {}).event === "a");
check("nextDeadline: all past gives the earliest overdue", (L.nextDeadline(sample, at("2026-12-02T00:00")) || {}).event === "b");
check("nextDeadline: none with a time gives null", L.nextDeadline([row("e", null)], at("2026-12-01T03:00")) === null);

// clockParts across midnight and the weekday (2026-12-01 is a Tuesday).
const now = at("2026-12-01T23:30");
const p1 = L.clockParts(at("2026-12-02T00:30"), now, zone);
check("clockParts: across midnight is tomorrow", p1.hhmm === "00:30" && p1.days === 1 && p1.weekday === 3 && p1.d === 2, JSON.stringify(p1));
const p0 = L.clockParts(at("2026-12-01T23:59"), now, zone);
check("clockParts: same day is today, Tuesday", p0.hhmm === "23:59" && p0.days === 0 && p0.weekday === 2, JSON.stringify(p0));
const pm = L.clockParts(at("2026-11-30T22:00"), now, zone);
check("clockParts: the day before is -1, Monday", pm.days === -1 && pm.weekday === 1, JSON.stringify(pm));
const py = L.clockParts(at("2027-01-03T08:05"), now, zone);
check("clockParts: across a year end, Sunday = 0", py.y === 2027 && py.mo === 1 && py.days === 33 && py.weekday === 0 && py.hhmm === "08:05", JSON.stringify(py));
check("localDate: yesterday across a month start", L.localDate(at("2026-12-01T00:10"), -1, zone) === "2026-11-30");

process.exit(failed ? 1 : 0);
