// Search in headless Chromium, with the built portal opened from disk (file://):
//  - the search page answers two queries from ?q= with results and highlighted terms;
//  - the header box shows suggestions while typing, ↓ and Enter open the first one, and the page
//    opened marks the query's words inside <main>;
//  - each query loads the manifest and only a few of the index files (every request is recorded);
//  - markup typed as a query is shown as text: no element, no dialog, no console error or CSP
//    violation.
// Usage: node search.js PUBLIC_DIR. Prints one JSON line:
//   {failures: [...], loads: {label: [search files requested]}, files: {shards, docs},
//    seen: {opened, marked, hostile: {state, status, suggest}}}.
"use strict";
const fs = require("fs");
const path = require("path");
const { launch, watchedPage, fileUrl, check } = require("./lib");

const LANG = "uk";
/** Search-page queries and the page (path under uk/) the first result must belong to. */
const PAGE_QUERIES = [
  { q: "примусова праця", expect: "indicators/labour/index.html" },
  { q: "боргової кабали", expect: "indicators/labour/index.html" },
];
/** Typed into the header box of the home page. */
const TYPED = "боргова кабала";
const HOSTILE = "<img src=x onerror=alert(1)>";

/** Index files (manifest.js, shard-NN.js, docs/G/N.js) among requested URLs, in order, by their
 *  path under search/. */
function searchFiles(urls) {
  return urls
    .map((u) => decodeURIComponent(new URL(u).pathname))
    .filter((p) => /\/search\/(manifest|shard-\d+|docs\/\d+\/\d+)\.js$/.test(p))
    .map((p) => p.split("/search/").pop());
}

/** Checks one query's file loads: the manifest (unless the page carries it), at least one
 *  shard, and only a few files: two words need at most a shard each plus the prefix shards of
 *  the last word, and each result shown needs at most one docs file. `shown` is null while
 *  typing, where each pause may run a search for what has been typed so far. */
function checkLoads(label, files, shown, totals, failures, pageHasManifest) {
  const shards = files.filter((f) => f.startsWith("shard-"));
  const docs = files.filter((f) => f.startsWith("docs/"));
  check(files.includes("manifest.js") !== pageHasManifest,
    `${label}: manifest.js ${pageHasManifest ? "loaded though the page carries it" : "was not loaded"}`, failures);
  check(shards.length >= 1, `${label}: no shard was loaded`, failures);
  check(new Set(files).size === files.length, `${label}: a file was loaded twice: ${files}`, failures);
  check(shards.length <= 4 && shards.length < totals.shards,
    `${label}: ${shards.length} of ${totals.shards} shards loaded`, failures);
  check(docs.length >= 1 && (shown === null || docs.length <= shown) && docs.length < totals.docs,
    `${label}: ${docs.length} of ${totals.docs} docs files loaded for ${shown} results shown`, failures);
}

async function resultsReady(page) {
  await page.waitForSelector("#search-results[data-state]", { timeout: 15000 });
  return page.getAttribute("#search-results", "data-state");
}

async function searchPage(context, dir, query, totals, failures, loads) {
  const { page, problems, requests } = await watchedPage(context);
  const label = `search page «${query.q}»`;
  try {
    await page.goto(fileUrl(path.join(dir, LANG, "search/index.html")) + "?q=" + encodeURIComponent(query.q));
    const state = await resultsReady(page);
    check(state === "done", `${label}: state ${state}`, failures);
    const hrefs = await page.$$eval("#search-results .search-result a.search-result-link", (as) =>
      as.map((a) => a.getAttribute("href")));
    check(hrefs.length >= 1, `${label}: no results`, failures);
    const first = hrefs[0] ? new URL(hrefs[0], page.url()) : null;
    check(first && first.pathname.endsWith("/" + LANG + "/" + query.expect),
      `${label}: first result ${hrefs[0]}, want ${query.expect}`, failures);
    check(first && first.searchParams.has("highlight"),
      `${label}: result link has no ?highlight=: ${hrefs[0]}`, failures);
    const marks = await page.$$eval("#search-results mark", (ms) => ms.length);
    check(marks >= 1, `${label}: no <mark> in the results`, failures);
    check((await page.inputValue("#search-q")) === query.q,
      `${label}: the header box does not show the query`, failures);
    loads[label] = searchFiles(requests);
    checkLoads(label, loads[label], hrefs.length, totals, failures, true);
  } finally {
    await page.waitForTimeout(100);
    problems.forEach((p) => failures.push(`${label}: ${p}`));
    await page.close();
  }
}

async function headerBox(context, dir, totals, failures, loads, seen) {
  const { page, problems, requests } = await watchedPage(context);
  const label = `header box «${TYPED}»`;
  try {
    await page.goto(fileUrl(path.join(dir, LANG, "index.html")));
    await page.click("#search-q");
    await page.keyboard.type(TYPED, { delay: 30 });
    await page.waitForSelector("#search-suggest:not([hidden]) .search-suggest-item", { timeout: 15000 });
    const items = await page.$$eval("#search-suggest .search-suggest-item a", (as) =>
      as.map((a) => a.getAttribute("href")));
    check(items.length >= 1, `${label}: no suggestions`, failures);
    check((await page.getAttribute("#search-q", "aria-expanded")) === "true",
      `${label}: aria-expanded is not true`, failures);
    const suggestMarks = await page.$$eval("#search-suggest mark", (ms) => ms.length);
    check(suggestMarks >= 1, `${label}: no <mark> in the suggestions`, failures);
    loads[label] = searchFiles(requests);
    checkLoads(label, loads[label], null, totals, failures, false);

    // ↓ selects the first suggestion, Enter opens it.
    await page.keyboard.press("ArrowDown");
    const active = await page.getAttribute("#search-q", "aria-activedescendant");
    const selected = await page.$$eval('#search-suggest [aria-selected="true"]', (els) => els.map((e) => e.id));
    check(active && selected.length === 1 && selected[0] === active,
      `${label}: ↓ selected ${selected}, active ${active}`, failures);
    // The chosen suggestion must be seen: focus stays in the box, so only its look shows it.
    const looks = await page.$$eval("#search-suggest [role=option]", (els) => els.map((e) => {
      const s = getComputedStyle(e);
      return [s.backgroundColor, s.boxShadow, s.outlineStyle].join("|");
    }));
    check(looks.length >= 2 && looks[0] !== looks[1], `${label}: the chosen suggestion looks like the others: ${looks[0]}`, failures);
    // In a high-contrast theme (forced colours) backgrounds and shadows are dropped: an outline stays.
    await page.emulateMedia({ forcedColors: "active" });
    const forced = await page.$$eval("#search-suggest [role=option]", (els) => els.map((e) => getComputedStyle(e).outlineStyle));
    check(forced.length >= 2 && forced[0] !== "none" && forced[1] === "none",
      `${label}: in forced colours the chosen suggestion has no outline: ${forced}`, failures);
    await page.emulateMedia({ forcedColors: "none" });
    await Promise.all([page.waitForNavigation({ timeout: 15000 }), page.keyboard.press("Enter")]);
    const target = new URL(page.url());
    const want = new URL(items[0], fileUrl(path.join(dir, LANG, "index.html")));
    check(target.pathname === want.pathname,
      `${label}: Enter opened ${target.pathname}, want ${want.pathname}`, failures);
    check(target.protocol === "file:", `${label}: Enter left file://: ${page.url()}`, failures);
    check(target.searchParams.has("highlight"), `${label}: opened page has no ?highlight=: ${page.url()}`, failures);
    await page.waitForSelector("main mark", { timeout: 15000 });
    const marked = await page.$$eval("main mark", (ms) => ms.map((m) => m.textContent.toLowerCase()));
    check(marked.length >= 2, `${label}: only ${marked.length} words marked on the opened page`, failures);
    check(marked.every((w) => /^(борг|кабал)/.test(w)),
      `${label}: marked words that are not the query's: ${marked.slice(0, 10)}`, failures);
    check(marked.some((w) => w.startsWith("кабал")), `${label}: «кабала» is not marked on the opened page`,
      failures);
    const outside = await page.$$eval("mark", (ms) => ms.filter((m) => !m.closest("main")).length);
    check(outside === 0, `${label}: ${outside} marks outside <main>`, failures);
    seen.opened = target.pathname.split("/" + LANG + "/")[1] + target.search + target.hash;
    seen.marked = marked.length;
  } finally {
    await page.waitForTimeout(100);
    problems.forEach((p) => failures.push(`${label}: ${p}`));
    await page.close();
  }
}

async function hostileQuery(context, dir, failures, seen) {
  const { page, problems } = await watchedPage(context);
  const dialogs = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  const label = "markup as a query";
  try {
    // On the search page, from ?q=.
    await page.goto(fileUrl(path.join(dir, LANG, "search/index.html")) + "?q=" + encodeURIComponent(HOSTILE));
    const state = await resultsReady(page);
    check(state === "none" || state === "done", `${label}: state ${state}`, failures);
    const status = (await page.textContent("#search-results")) || "";
    if (state === "none") {
      check(status.includes(HOSTILE), `${label}: the message does not show the query as text: ${status}`, failures);
    }
    check((await page.inputValue("#search-q")) === HOSTILE,
      `${label}: the header box does not hold the query as text`, failures);
    // Typed into the header box.
    await page.fill("#search-q", "");
    await page.click("#search-q");
    await page.keyboard.type(HOSTILE, { delay: 10 });
    await page.waitForSelector("#search-suggest:not([hidden])", { timeout: 15000 });
    await page.waitForTimeout(300);
    const suggest = (await page.textContent("#search-suggest")) || "";
    check(suggest.includes(HOSTILE), `${label}: suggestions do not show the query as text: ${suggest}`, failures);
    const imgs = await page.$$eval("#search-results img, #search-suggest img, main img[src='x']", (x) => x.length);
    seen.hostile = { state, status: status.trim(), suggest: suggest.trim() };
    check(imgs === 0, `${label}: ${imgs} <img> elements were created from the query`, failures);
    await page.waitForTimeout(300);
    check(dialogs.length === 0, `${label}: dialogs opened: ${dialogs}`, failures);
  } finally {
    problems.forEach((p) => failures.push(`${label}: ${p}`));
    await page.close();
  }
}

async function main() {
  const dir = path.resolve(process.argv[2]);
  const failures = [];
  const loads = {};
  const seen = {};
  const indexDir = path.join(dir, LANG, "search");
  const names = fs.readdirSync(indexDir);
  const docsDir = path.join(indexDir, "docs");
  const totals = {
    shards: names.filter((n) => /^shard-\d+\.js$/.test(n)).length,
    docs: fs.readdirSync(docsDir).reduce((n, group) => n + fs.readdirSync(path.join(docsDir, group)).length, 0),
  };
  const { context, userDataDir } = await launch();
  try {
    for (const q of PAGE_QUERIES) await searchPage(context, dir, q, totals, failures, loads);
    await headerBox(context, dir, totals, failures, loads, seen);
    await hostileQuery(context, dir, failures, seen);
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify({ failures, loads, files: totals, seen }) + "\n");
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ failures: ["crashed: " + e.stack], loads: {}, files: {} }) + "\n");
  process.exit(1);
});
