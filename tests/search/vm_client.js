// The site's search client running in a Node `vm` context, as on a page opened from file://:
// the client inserts <script src> elements for manifest.js, shards and docs files, and this
// loader runs each requested file from disk in the same context, so the files call
// OberihSearch.register themselves. There is no document.body, so the page code stays idle and
// only the OberihSearch API is used. Shared by tests/search/run_queries.js and
// benches/search_figures.js.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

/** Loads the client `code` (named `filename` in stack traces) with index files read from
 *  `indexDir`. Returns the client's API and the list of files it asked for, in order. */
function loadClient(code, filename, indexDir) {
  const loaded = [];
  const ctx = { console, setTimeout, clearTimeout };
  vm.createContext(ctx);
  ctx.document = {
    head: {
      appendChild(el) {
        const file = String(el.src).split("?")[0];
        loaded.push(file);
        setImmediate(() => {
          let source;
          try {
            source = fs.readFileSync(path.join(indexDir, file), "utf8");
          } catch (e) {
            if (el.onerror) el.onerror(e);
            return;
          }
          vm.runInContext(source, ctx, { filename: file });
          if (el.onload) el.onload();
        });
        return el;
      },
    },
    createElement(tag) {
      if (tag !== "script") throw new Error("unexpected createElement " + tag);
      return { setAttribute() {}, src: "" };
    },
  };
  vm.runInContext(code, ctx, { filename });
  return { api: ctx.OberihSearch, loaded };
}

/** The search client's parts in `dir` (src/search/runtime), joined in the order the build joins
 *  them (CLIENT_PARTS in src/search/mod.rs). */
const CLIENT_PARTS = ["analysis.js", "query.js", "page.js"];
function clientCode(dir) {
  return CLIENT_PARTS.map((part) => fs.readFileSync(path.join(dir, part), "utf8")).join("");
}

module.exports = { loadClient, clientCode, CLIENT_PARTS };
