// Runs the site's logic.js and incident-state.js under Node with a built
// site's data.js and prints, for each case, the reader's own deadlines
// (computeDeadlines, then splitByRole(...).mine) as [{event, due}].
// Usage: node role_parity.js <assets dir> <cases.json>
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [assets, casesPath] = process.argv.slice(2);
const sandbox = {};
sandbox.window = sandbox;
// What a browser gives every page script.
sandbox.URLSearchParams = URLSearchParams;
vm.createContext(sandbox);
for (const name of ["data.js", "logic.js", "incident-state.js"]) {
  vm.runInContext(fs.readFileSync(path.join(assets, name), "utf8"), sandbox, { filename: name });
}
const L = sandbox.HandbookLogic;
const data = sandbox.HANDBOOK_DATA;
const zone = data.timezone;
const cases = JSON.parse(fs.readFileSync(casesPath, "utf8"));

const out = cases.map((c) => {
  const state = L.decodeIncident(c.query);
  const facts = L.incidentFacts(state, c.level, zone);
  if (!facts) return { error: "no facts from " + c.query };
  const rows = L.computeDeadlines(data, facts);
  const split = L.splitByRole(rows, state.role);
  if (split.mine.length + split.others.length !== rows.length) return { error: "split lost rows" };
  return {
    readers: (data.handbook || {}).readers || [],
    mine: split.mine.map((r) => ({ event: r.event, due: r.due })),
  };
});
process.stdout.write(JSON.stringify(out));
