// Runs queries through the site's own search client, as the search page would, for
// tests/search_quality.rs.
//
//   node run_queries.js SEARCH_JS SITE_DIR < queries.json
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
const vm = require("vm");

const [searchJs, siteDir] = process.argv.slice(2);
const TOP = 10;

/** A vm context with just enough DOM for the loader: document.createElement("script") and
 *  document.head.appendChild, which runs the file. No document.body, so the page code stays
 *  idle and only the OberihSearch API is used. */
function client(lang) {
  const dir = path.join(siteDir, lang, "search");
  const loaded = [];
  const ctx = { console, setTimeout, clearTimeout };
  vm.createContext(ctx);
  const head = {
    appendChild(el) {
      const file = String(el.src).split("?")[0];
      loaded.push(file);
      setImmediate(() => {
        let code;
        try {
          code = fs.readFileSync(path.join(dir, file), "utf8");
        } catch (e) {
          if (el.onerror) el.onerror(e);
          return;
        }
        vm.runInContext(code, ctx, { filename: file });
        if (el.onload) el.onload();
      });
      return el;
    },
  };
  ctx.document = {
    head,
    createElement(tag) {
      if (tag !== "script") throw new Error("unexpected createElement " + tag);
      return { setAttribute() {}, src: "" };
    },
  };
  vm.runInContext(fs.readFileSync(searchJs, "utf8"), ctx, { filename: searchJs });
  return { api: ctx.OberihSearch, loaded };
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
