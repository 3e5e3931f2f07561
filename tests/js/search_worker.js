// Run the built site's own search worker (Material's lunr bundle) in Node, as the browser does:
// set it up with search_index.json, send each query, and report what the worker answered or logged.
// Usage: node search_worker.js WORKER.js search_index.json QUERY...   → one JSON line per query.
"use strict";
const fs = require("fs");
const [worker, indexPath, ...queries] = process.argv.slice(2);
let handler = null;
let answers = [];
const logged = [];
globalThis.self = globalThis;
globalThis.addEventListener = (type, fn) => { if (type === "message") handler = fn; };
globalThis.postMessage = message => answers.push(message);
globalThis.importScripts = () => {};
console.warn = console.error = (...parts) => logged.push(parts.join(" "));
(0, eval)(fs.readFileSync(worker, "utf8"));

const tick = () => new Promise(resolve => setTimeout(resolve, 0));
(async () => {
  const index = JSON.parse(fs.readFileSync(indexPath, "utf8"));
  index.options = index.options || { suggest: false };
  await handler({ data: { type: 0, data: index } });   // SETUP
  await tick();
  for (const query of queries) {
    answers = [];
    logged.length = 0;
    await handler({ data: { type: 2, data: query } });  // QUERY
    await tick();
    const result = answers.find(m => m.type === 3);     // RESULT
    process.stdout.write(JSON.stringify({
      query, errors: [...logged], results: result ? result.data.items.length : null,
      // the pages in the order the panel lists them (each item: a page and its matching sections)
      top: result ? result.data.items.slice(0, 10).map(item => item[0].location) : [],
    }) + "\n");
  }
})();
