// Search over a weak network: the search page of a portal served over http, opened with a cold
// cache in Chromium throttled to 400 kbit/s each way and 400 ms of round trip (Chrome's "Slow 3G"
// figures, through the DevTools protocol), answers a two-word Ukrainian query.
//
// Usage: node search_network.js BASE_URL QUERY. Prints one JSON line:
//   {failures, requests: [{path, start, end, bytes}], searchData: [...], depth, ms}
// where `requests` are those made after the page itself until the results were shown,
// `searchData` the index files among them,
// and `depth` the longest chain of index files each requested only after the one before it had
// arrived (sequential round trips).
"use strict";
const { launch } = require("./lib");

const THROTTLE = { offline: false, latency: 400, downloadThroughput: 400000 / 8, uploadThroughput: 400000 / 8 };

/** Round trips in sequence: a request is one trip after the latest index file that had arrived
 *  before it was sent. */
function depth(files) {
  const level = [];
  files.forEach((f, i) => {
    let before = 0;
    for (let j = 0; j < i; j++) if (files[j].end <= f.start) before = Math.max(before, level[j]);
    level.push(before + 1);
  });
  return level.length ? Math.max(...level) : 0;
}

async function main() {
  const [base, query] = process.argv.slice(2);
  const failures = [];
  const { context } = await launch();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", THROTTLE);
  const seen = new Map();
  cdp.on("Network.requestWillBeSent", (e) =>
    seen.set(e.requestId, { url: e.request.url, start: e.timestamp, wall: e.wallTime * 1000 }));
  cdp.on("Network.loadingFinished", (e) => {
    const r = seen.get(e.requestId);
    if (r) Object.assign(r, { end: e.timestamp, bytes: e.encodedDataLength });
  });
  // The moment the page shows its results, by the page's own clock.
  await page.addInitScript(() => {
    new MutationObserver(() => {
      // The first results in the list (the rest of the screen may still be on its way), or the
      // page's last word when there are none.
      const box = document.getElementById("search-results");
      const shown = box && (box.querySelector(".search-result") || box.hasAttribute("data-state"));
      if (shown && !window.shownAt) window.shownAt = Date.now();
    }).observe(document, { attributes: true, subtree: true });
  });
  const url = base + "uk/search/index.html?q=" + encodeURIComponent(query);
  const started = Date.now();
  await page.goto(url);
  await page.waitForSelector("#search-results[data-state]", { timeout: 60000 });
  const shownAt = await page.evaluate(() => window.shownAt || Date.now());
  const state = await page.getAttribute("#search-results", "data-state");
  // From the page's request to the moment the results were in the page.
  const pageRequest = [...seen.values()].find((r) => new URL(r.url).pathname.endsWith("/search/index.html"));
  const ms = Math.round(shownAt - (pageRequest ? pageRequest.wall : started));
  if (state !== "done") failures.push("the search page ended in state " + state);
  const results = await page.$$eval(".search-result", (els) => els.length);
  if (!results) failures.push("no results shown");
  // What was asked for until the results were shown.
  const all = [...seen.values()].filter((r) => r.wall < shownAt).map((r) => ({
    path: new URL(r.url).pathname, start: r.start, end: r.end === undefined ? Infinity : r.end, bytes: r.bytes || 0,
  }));
  const requests = all.filter((r) => !r.path.endsWith("/search/index.html"));
  const searchData = requests.filter((r) => /\/search\/(manifest|shard-\d+|docs\/\d+\/\d+)\.js$/.test(r.path));
  await context.close();
  console.log(JSON.stringify({ failures, requests, searchData, depth: depth(searchData), ms, results }));
}

main().catch((e) => {
  console.log(JSON.stringify({ failures: ["crashed: " + (e && e.stack ? e.stack : e)] }));
  process.exit(1);
});
