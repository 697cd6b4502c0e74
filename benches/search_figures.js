// Search figures of a built site: index size, bytes a query loads, query latency.
//
//   node benches/search_figures.js SITE_DIR [LANG] [--query TEXT]... [--runs N] [--chromium]
//
// SITE_DIR is an `oberih build` output folder (the one holding uk/, en/, assets/); LANG defaults
// to uk. Without --query, four two-word Ukrainian queries are used (words found both in the
// default portal and in benches/gen_corpus.py's vocabulary).
//
// What is measured (see the "Search figures" section of benches/README.md):
//  - index: the files of <LANG>/search/ written by src/search/shard.rs (manifest, shards, docs),
//    their count and bytes; the shared page script that carries the client (assets/site.*.js,
//    loaded by every page anyway) is reported apart;
//  - loads: each query runs through the client (src/search/runtime/*.js, which the
//    build bundles into that page script) in a Node vm context whose <script> loader reads the files from disk and
//    records them, exactly as the search page asks for them: the manifest, the shards of the
//    query's words (plus prefix shards of the last word, as typed), then the docs files of the
//    first screen of results (6 pages, up to 3 sections each) or of the header suggestions (the best
//    section of 5 pages);
//  - latency (Node): median of --runs (default 20) runs of search + docs for the first results
//    page. "cold" = a fresh context each run, so every index file is read and evaluated again
//    (the operating system's file cache stays warm); "warm" = the same query again in a context
//    that has the files already (the next keystroke or a repeated search);
//  - latency (Chromium, with --chromium): the same two numbers inside headless Chromium on the
//    file:// search page (cold = a new page each run), and the bytes of the index files the
//    browser requested, summed from their sizes on disk (file:// responses are the files).
// Prints a readable report, then one JSON line with every number.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const { loadClient, clientCode } = require("../tests/search/vm_client");

const DEFAULT_QUERIES = ["первинний скринінг", "захист даних", "оцінка ризику", "психічне здоров'я"];
const PAGE_RESULTS = [6, 3]; // page.js PAGE_SIZE pages, SECTIONS_PER_PAGE sections each
const SUGGEST_RESULTS = [5, 1]; // page.js SUGGEST_LIMIT pages, their best section

function parseArgs(argv) {
  const opts = { site: null, lang: "uk", queries: [], runs: 20, chromium: false };
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--query") opts.queries.push(argv[++i]);
    else if (a === "--runs") opts.runs = Number(argv[++i]);
    else if (a === "--chromium") opts.chromium = true;
    else if (a.startsWith("--")) throw new Error("unknown option " + a);
    else rest.push(a);
  }
  if (!rest.length) {
    throw new Error("usage: node benches/search_figures.js SITE_DIR [LANG] [--query TEXT]... [--runs N] [--chromium]");
  }
  opts.site = path.resolve(rest[0]);
  if (rest[1]) opts.lang = rest[1];
  if (!opts.queries.length) opts.queries = DEFAULT_QUERIES;
  return opts;
}

/** Index files by their path under <LANG>/search/: manifest.js, shard-NN.js, docs/G/N.js. */
const INDEX_FILE = /^(manifest|shard-\d+|docs\/\d+\/\d+)\.js$/;

function indexFiles(dir) {
  const sizes = {};
  (function walk(rel) {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const name = rel ? rel + "/" + entry.name : entry.name;
      if (entry.isDirectory()) walk(name);
      else if (INDEX_FILE.test(name)) sizes[name] = fs.statSync(path.join(dir, name)).size;
    }
  })("");
  return sizes;
}

/** The page script that carries the search client (every page loads it), for its size. */
function pageScript(site) {
  const assets = path.join(site, "assets");
  for (const name of fs.readdirSync(assets).sort()) {
    if (name.endsWith(".js") && fs.readFileSync(path.join(assets, name), "utf8").includes("OberihSearch")) {
      return { name, bytes: fs.statSync(path.join(assets, name)).size };
    }
  }
  throw new Error("no script in " + assets + " defines OberihSearch");
}

/** The client itself, as the theme ships it (the page script above bundles it with other code
 *  that needs a real DOM). */
function clientSource() {
  const dir = path.join(__dirname, "..", "src/search/runtime");
  const code = clientCode(dir);
  return { name: "search client", code, bytes: Buffer.byteLength(code) };
}

/** The site's client in a vm context, loading index files from `dir`. */
function nodeClient(client, dir) {
  return loadClient(client.code, client.name, dir);
}

/** Runs a query as the page does, the first screen's records in waves; `loaded` (the client's
 *  list of requested files) is read after the first wave, when the first results are shown. */
async function runQuery(api, q, results, loaded) {
  const found = await api.search(q);
  const waves = await api.screenWaves(found, results[0], results[1]);
  let first = null;
  for (const wave of waves) {
    await api.docs(wave);
    if (first === null && loaded) first = loaded.length;
  }
  return { hits: found.hits.length, firstFiles: first };
}

function median(xs) {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function bytesOf(files, sizes) {
  const out = { manifest: 0, shards: 0, docs: 0, files: files.length };
  for (const f of files) {
    const kind = f === "manifest.js" ? "manifest" : f.startsWith("shard-") ? "shards" : "docs";
    out[kind] += sizes[f] || 0;
  }
  out.total = out.manifest + out.shards + out.docs;
  return out;
}

async function nodeFigures(opts, client, dir, sizes) {
  const out = {};
  for (const q of opts.queries) {
    const page = nodeClient(client, dir);
    const { hits, firstFiles } = await runQuery(page.api, q, PAGE_RESULTS, page.loaded);
    const suggest = nodeClient(client, dir);
    const suggestFirst = (await runQuery(suggest.api, q, SUGGEST_RESULTS, suggest.loaded)).firstFiles;
    const cold = [];
    const warm = [];
    for (let i = 0; i < opts.runs; i++) {
      const c = nodeClient(client, dir);
      const t0 = process.hrtime.bigint();
      await runQuery(c.api, q, PAGE_RESULTS);
      cold.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    for (let i = 0; i < opts.runs; i++) {
      const t0 = process.hrtime.bigint();
      await runQuery(page.api, q, PAGE_RESULTS);
      warm.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    out[q] = {
      hits,
      page: { ...bytesOf(page.loaded, sizes), list: page.loaded, firstFiles },
      suggest: { ...bytesOf(suggest.loaded, sizes), firstFiles: suggestFirst },
      nodeColdMs: median(cold),
      nodeWarmMs: median(warm),
    };
  }
  return out;
}

async function chromiumFigures(opts, dir, sizes, out) {
  const { launch } = require("../tests/browser/lib");
  const { context, userDataDir } = await launch();
  const url = "file://" + path.join(dir, "index.html");
  const measure = (page, q, n) =>
    page.evaluate(
      async ([q, n]) => {
        const S = window.OberihSearch;
        const t0 = performance.now();
        const found = await S.search(q);
        await S.docs(await S.screenDocs(found, n[0], n[1]));
        return performance.now() - t0;
      },
      [q, n]
    );
  try {
    for (const q of opts.queries) {
      const cold = [];
      const warm = [];
      let files = null;
      for (let i = 0; i < opts.runs; i++) {
        const page = await context.newPage();
        const requested = [];
        page.on("request", (r) => {
          requested.push(decodeURIComponent(new URL(r.url()).pathname).split("/search/").pop());
        });
        await page.goto(url);
        await page.waitForFunction(() => window.OberihSearch !== undefined);
        const before = requested.length;
        cold.push(await measure(page, q, PAGE_RESULTS));
        if (!files) files = requested.slice(before).filter((f) => sizes[f] !== undefined);
        if (i === 0) for (let k = 0; k < opts.runs; k++) warm.push(await measure(page, q, PAGE_RESULTS));
        await page.close();
      }
      out[q].chromium = { coldMs: median(cold), warmMs: median(warm), ...bytesOf(files, sizes) };
    }
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

const kb = (b) => (b / 1024).toFixed(1) + " KB";
const ms = (x) => x.toFixed(1) + " ms";

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const dir = path.join(opts.site, opts.lang, "search");
  const sizes = indexFiles(dir);
  const client = clientSource();
  const script = pageScript(opts.site);
  const names = Object.keys(sizes);
  const of = (re) => names.filter((n) => re.test(n));
  const sum = (list) => list.reduce((a, n) => a + sizes[n], 0);
  const max = (list) => list.reduce((a, n) => Math.max(a, sizes[n]), 0);
  const manifestCode = fs.readFileSync(path.join(dir, "manifest.js"), "utf8");
  const manifest = vm.runInNewContext(
    "var m; var OberihSearch = {register: function (k, n, d) { m = d; }};" + manifestCode + "; m"
  );
  const index = {
    docs: manifest.docCount,
    files: names.length,
    bytes: sum(names),
    manifest: sizes["manifest.js"],
    shards: of(/^shard-/).length,
    shardBytes: sum(of(/^shard-/)),
    largestShard: max(of(/^shard-/)),
    docsFiles: of(/^docs\//).length,
    docsBytes: sum(of(/^docs\//)),
    largestDocs: max(of(/^docs\//)),
    pageScript: script.bytes,
    client: client.bytes,
  };
  const queries = await nodeFigures(opts, client, dir, sizes);
  if (opts.chromium) await chromiumFigures(opts, dir, sizes, queries);

  console.log(`${opts.site} [${opts.lang}]: ${index.docs} search documents`);
  console.log(
    `index: ${index.files} files, ${kb(index.bytes)} (manifest ${kb(index.manifest)}; ` +
      `${index.shards} shards ${kb(index.shardBytes)}, largest ${kb(index.largestShard)}; ` +
      `${index.docsFiles} docs files ${kb(index.docsBytes)}, largest ${kb(index.largestDocs)}); ` +
      `page script with the client ${kb(index.pageScript)} (every page loads it; the client alone ${kb(index.client)})`
  );
  for (const [q, r] of Object.entries(queries)) {
    const p = r.page;
    let line =
      `«${q}»: ${r.hits} results; results page loads ${p.files} files ${kb(p.total)} (manifest ${kb(p.manifest)}, ` +
      `shards ${kb(p.shards)}, docs ${kb(p.docs)}), the first results after ${p.firstFiles}; ` +
      `suggestions ${r.suggest.files} files ${kb(r.suggest.total)}, the first after ${r.suggest.firstFiles}; ` +
      `node ${ms(r.nodeColdMs)} cold, ${ms(r.nodeWarmMs)} warm`;
    if (r.chromium) {
      const c = r.chromium;
      line += `; chromium ${ms(c.coldMs)} cold, ${ms(c.warmMs)} warm, ${kb(c.total)} requested`;
    }
    console.log(line);
  }
  process.stdout.write(JSON.stringify({ site: opts.site, lang: opts.lang, runs: opts.runs, index, queries }) + "\n");
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
