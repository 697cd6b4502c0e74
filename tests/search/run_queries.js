// Runs queries through the site's own search client, as the search page would, for
// tests/search_quality.rs.
//
//   node run_queries.js CLIENT_DIR SITE_DIR < queries.json   (CLIENT_DIR: src/search/runtime)
//
// queries.json is [{"lang": "uk", "q": "…"}, …]. For each language a fresh vm context loads
// SEARCH_JS; the client then asks for SITE_DIR/<lang>/search/manifest.js, shards and docs files
// by inserting <script src> elements, and this script runs each requested file from disk in the
// same context (as Chromium does from file://), so the files call OberihSearch.register
// themselves. Prints one JSON line: [{"lang", "q", "ids": [top 10 ids], "total", "files":
// [files this query loaded]}, …].
"use strict";
const fs = require("fs");
const path = require("path");
const { loadClient, clientCode } = require("./vm_client");

const [clientDir, siteDir] = process.argv.slice(2);
const TOP = 10;

function client(lang) {
  return loadClient(clientCode(clientDir), "search client", path.join(siteDir, lang, "search"));
}

async function main() {
  const queries = JSON.parse(fs.readFileSync(0, "utf8"));
  const clients = {};
  const out = [];
  for (const { lang, q } of queries) {
    const c = (clients[lang] = clients[lang] || client(lang));
    const before = c.loaded.length;
    const found = await c.api.search(q);
    const recs = await c.api.docs(found.hits.slice(0, TOP).map((h) => h.doc));
    out.push({ lang, q, ids: recs.map((r) => r[0]), total: found.hits.length, files: c.loaded.slice(before) });
  }
  return out;
}

main().then(
  (out) => process.stdout.write(JSON.stringify(out) + "\n"),
  (err) => {
    console.error(err && err.stack ? err.stack : String(err));
    process.exit(1);
  }
);
