// Runs queries through the built site's search index and logic.js, as the
// search page does: node query.js <site> <logic.js> <queries.json>; prints
// {query: [{url, title, heading}]} as JSON.
"use strict";
const fs = require("fs");
const vm = require("vm");
const [site, logic, queries] = process.argv.slice(2);
const ctx = { window: {}, console };
ctx.globalThis = ctx;
vm.createContext(ctx);
vm.runInContext(fs.readFileSync(site + "/assets/search-index.js", "utf8"), ctx);
vm.runInContext(fs.readFileSync(logic, "utf8"), ctx);
const L = ctx.window.HandbookLogic;
const index = ctx.window.HANDBOOK_SEARCH;
const out = {};
for (const q of JSON.parse(fs.readFileSync(queries, "utf8"))) {
  out[q] = L.search(index, q, 10).map((h) => ({ url: h.url, title: h.title, heading: h.heading }));
}
process.stdout.write(JSON.stringify(out));
