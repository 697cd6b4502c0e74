// The offline copy over HTTP (a small server on 127.0.0.1, started here): the offer shows the
// size before anything is downloaded on a slow line; the Ukrainian copy is saved; with no
// network, pages, search and a questionnaire (filled and exported) work from it; a rebuilt
// portal is offered as an update that replaces the copy whole; deleting leaves no cache and no
// worker; no storage holds answers; from file:// no worker is registered.
// Usage: node offline.js OLD_PUBLIC NEW_PUBLIC CHANGED_PAGE NEW_TEXT SHOT_DIR
// Prints one JSON line: {failures: [...], visited: [...], caches: [...], ...}.
"use strict";
const http = require("http");
const fs = require("fs");
const path = require("path");
const { launch, fileUrl, check } = require("./lib");
const { formReady, reachOutcome } = require("./a11y");

const [oldDir, newDir, changedPage, newText, shots] = process.argv.slice(2);
const failures = [];
const report = { failures, visited: [], console: [] };
const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".json": "application/json", ".webmanifest": "application/manifest+json", ".png": "image/png",
  ".svg": "image/svg+xml", ".xml": "text/xml",
};

/** A static server over `state.dir`; with `state.down` it drops every connection (no network). */
function serve(state) {
  const requests = [];
  const server = http.createServer((req, res) => {
    if (state.down) return req.socket.destroy();
    if (state.delay) return setTimeout(() => answer(req, res), state.delay);
    answer(req, res);
  });
  function answer(req, res) {
    let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
    requests.push(p);
    if (p.endsWith("/")) p += "index.html";
    const file = path.join(state.dir, p);
    if (!file.startsWith(path.resolve(state.dir)) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404, { "Content-Type": "text/html; charset=utf-8" });
      return res.end(fs.readFileSync(path.join(state.dir, "404.html")));
    }
    res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] || "application/octet-stream", "Cache-Control": "no-cache" });
    res.end(fs.readFileSync(file));
  }
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, requests })));
}

const cacheNames = (page) => page.evaluate(() => caches.keys());
const workers = (page) => page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).map((r) => r.scope));

async function shot(page, name, width) {
  await page.setViewportSize({ width, height: width < 500 ? 740 : 900 });
  await page.locator("#offline").scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, name + "-" + width + ".png") });
}

/** Slow line: the offer states the size, and nothing else of the copy is fetched. */
async function slowOffer(context, origin, served, state) {
  const page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error") report.console.push(m.text()); });
  page.on("pageerror", (e) => report.console.push(e.message));
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false, latency: 400, downloadThroughput: 400 * 1000 / 8, uploadThroughput: 400 * 1000 / 8,
  });
  const before = served.requests.length;
  await page.goto(origin + "/uk/index.html");
  await page.waitForSelector(".offline-save", { timeout: 60000 });
  const size = await page.textContent(".offline-size");
  const manifest = await page.evaluate(() => (document.querySelector("link[rel=manifest]") || {}).href);
  check(manifest === origin + "/uk/manifest.webmanifest", "over http the page names its manifest: " + manifest, failures);
  report.offer = size;
  check(/^Українська: \d+(,\d)?\u00a0(МБ|КБ) · \d+ сторін/.test(size), "the offer states the size: " + size, failures);
  await page.waitForTimeout(1500);
  const asked = served.requests.slice(before);
  report.slow_requests = asked;
  // The page, its stylesheet, script and icon, its web app manifest and the copy's summary.
  const allowed = (p) => ["/uk/index.html", "/uk/manifest.webmanifest", "/offline-copy.js"].includes(p) || p.startsWith("/assets/");
  check(asked.every(allowed), "before the reader's choice only the page itself is fetched: " + asked.join(" "), failures);
  check((await workers(page)).length === 0, "no worker before the reader's choice", failures);
  const early = await cacheNames(page);
  check(early.length === 0, "no cache before the reader's choice: " + early, failures);
  await shot(page, "offer", 360);
  await shot(page, "offer", 1280);
  // The download on the same slow line: progress shows.
  // The worker's own requests are not slowed by the page's emulation: the server answers slowly.
  state.delay = 250;
  await page.setViewportSize({ width: 360, height: 740 });
  await page.click(".offline-save");
  await page.waitForSelector("#offline progress", { timeout: 20000 });
  await page.waitForTimeout(2500);
  await shot(page, "progress", 360);
  await shot(page, "progress", 1280);
  state.delay = 0;
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  return page;
}

/** With no network: every page named opens from the copy. */
async function openOffline(page, origin, dir, pages) {
  for (const p of pages) {
    const res = await page.goto(origin + p);
    const title = await page.title();
    const file = fs.readFileSync(path.join(dir, p), "utf8");
    const expected = (/<title>([^<]*)<\/title>/.exec(file) || [])[1].replace(/&amp;/g, "&").replace(/&quot;/g, '"');
    report.visited.push(p);
    check(res && res.ok() && title === expected, "offline, " + p + " opens: " + title + " / " + expected, failures);
  }
}

/** With no network: a page the copy leaves out says it is not saved, not that it is missing. */
async function notInCopyOffline(page, origin) {
  await page.goto(origin + "/uk/print.html");
  const heading = await page.textContent("main:not([hidden]) h1:not([hidden])");
  check(heading === "Цієї сторінки немає в збереженій копії",
    "offline, the print document (left out of the copy) says it is not saved: " + heading, failures);
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: width < 500 ? 740 : 900 });
    await page.screenshot({ path: path.join(shots, "not-saved-" + width + ".png") });
  }
}

async function searchOffline(page, origin) {
  await page.goto(origin + "/uk/search/index.html?q=" + encodeURIComponent("торгівля людьми"));
  const found = await page.waitForFunction(() => document.querySelectorAll("#search-results li, .search-results li").length > 0, null, { timeout: 15000 })
    .then(() => true, () => false);
  check(found, "offline, search answers", failures);
}

async function questionnaireOffline(page, origin) {
  await page.goto(origin + "/uk/forms/initial-screening/index.html");
  await formReady(page);
  const typed = await page.evaluate(() => {
    const f = [...document.querySelectorAll("#form input[type=text], #form textarea")].find((e) => !e.closest("[hidden]"));
    if (!f) return "";
    f.value = "Відповідь-офлайн-7319";
    f.dispatchEvent(new Event("input", { bubbles: true }));
    return f.value;
  });
  const r = await reachOutcome(page);
  check(r.ok, "offline, the questionnaire reaches its outcome", failures);
  const [dl] = await Promise.all([
    page.waitForEvent("download", { timeout: 10000 }),
    page.click('#app button[data-act="export-json"]:visible'),
  ]);
  const file = path.join(shots, "export.json");
  await dl.saveAs(file);
  const text = fs.readFileSync(file, "utf8");
  check(text.length > 100 && text.includes("initial-screening"), "offline, the questionnaire exports", failures);
  return [typed || "test", "Відповідь-офлайн-7319"].filter(Boolean);
}

/** Nothing of the answers in any storage the page or the worker can write. */
async function noAnswersStored(page, values) {
  const { dump, urls } = await page.evaluate(async () => {
    const parts = [];
    const urls = [];
    for (const s of [localStorage, sessionStorage]) for (let i = 0; i < s.length; i++) parts.push(s.key(i) + "=" + s.getItem(s.key(i)));
    parts.push(JSON.stringify(await indexedDB.databases()));
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) {
        urls.push(req.url);
        const r = await cache.match(req);
        let body = r.body;
        if (r.headers.get("X-Oberih-Gzip")) body = body.pipeThrough(new DecompressionStream("gzip"));
        parts.push(await new Response(body).text());
      }
    }
    return { dump: parts.join("\n"), urls };
  });
  report.storage_bytes = dump.length;
  check(!/\[\{"name"/.test(dump), "no IndexedDB database", failures);
  for (const v of values) check(v === "test" || !dump.includes(v), "storage holds the typed answer " + v, failures);
  const queried = urls.filter((u) => u.includes("?"));
  check(queried.length === 0, "no address with a query (form data) is cached: " + queried, failures);
}

// Offers the copy over the slow network and saves it: one worker, the copy's caches.
async function saveCopy(context, origin, served, state) {
  const page = await slowOffer(context, origin, served, state);
  await page.waitForSelector(".offline-delete", { timeout: 120000 });
  const names = await cacheNames(page);
  report.caches = names;
  check(names.some((n) => / uk [0-9a-f]{10}$/.test(n)) && names.some((n) => / state$/.test(n)), "the uk copy is saved: " + names, failures);
  check((await workers(page)).length === 1, "one worker after saving", failures);
  report.stored = await page.textContent(".offline-status");
  return page;
}

// Offline: saved pages open, pages outside the copy say so, search and the questionnaire work
// and nothing typed is stored. Returns the pages opened.
async function useOffline(page, context, origin, state) {
  state.down = true;
  await context.setOffline(true);
  const list = JSON.parse(fs.readFileSync(path.join(oldDir, "uk/offline.json"), "utf8"));
  const html = list.files.map((f) => f[0]).filter((p) => p.startsWith("uk/") && p.endsWith(".html") && !p.includes("/search/"));
  const picks = ["uk/index.html", "index.html", changedPage, ...html.filter((_, i) => i % Math.ceil(html.length / 6) === 1)].slice(0, 8);
  await openOffline(page, origin, oldDir, picks.map((p) => "/" + p));
  await notInCopyOffline(page, origin);
  await searchOffline(page, origin);
  const typed = await questionnaireOffline(page, origin);
  report.visited.push("/uk/search/index.html", "/uk/forms/initial-screening/index.html");
  await noAnswersStored(page, typed);
  return picks;
}

// A new build on the server; online again, the copy offers the update, and after it only the
// new build's copy is kept.
async function updateCopy(page, context, origin, state, picks) {
  state.dir = newDir;
  state.down = false;
  await context.setOffline(false);
  await page.goto(origin + "/" + changedPage);
  check(!(await page.content()).includes(newText), "before the update the saved page is shown", failures);
  await page.waitForSelector(".offline-update-button", { timeout: 20000 }).catch(async (e) => {
    report.offline_box = await page.evaluate(() => document.getElementById("offline").outerHTML + " " + JSON.stringify(window.OberihOffline));
    throw e;
  });
  report.update = await page.textContent("#offline-update");
  await page.setViewportSize({ width: 360, height: 740 });
  await page.screenshot({ path: path.join(shots, "update-360.png") });
  await Promise.all([page.waitForNavigation({ timeout: 120000 }), page.click(".offline-update-button")]);
  state.down = true;
  await context.setOffline(true);
  await page.goto(origin + "/" + changedPage);
  check((await page.content()).includes(newText), "after the update the new text is shown offline", failures);
  const newBuild = JSON.parse(fs.readFileSync(path.join(newDir, "uk/offline.json"), "utf8")).build;
  const after = await cacheNames(page);
  report.caches_after_update = after;
  const uk = after.filter((n) => / uk [0-9a-f]{10}$/.test(n));
  check(uk.length === 1 && uk[0].endsWith(newBuild), "only the new build's copy is kept: " + after, failures);
  await openOffline(page, origin, newDir, ["/uk/index.html", "/" + changedPage, "/" + picks[3]]);
}

async function deleteCopy(page) {
  await page.click(".offline-delete");
  await page.waitForFunction(() => !document.querySelector(".offline-delete"), null, { timeout: 10000 });
  check((await cacheNames(page)).length === 0, "no cache after deleting", failures);
  check((await workers(page)).length === 0, "no worker after deleting", failures);
  await page.close();
}

// From a folder the page offers nothing and registers nothing.
async function fromFolder(context) {
  const local = await context.newPage();
  await local.goto(fileUrl(path.join(oldDir, "uk/index.html")));
  await local.waitForTimeout(800);
  check(await local.isHidden("#offline"), "from file:// the offer stays hidden", failures);
  const fileWorkers = context.serviceWorkers().filter((w) => w.url().startsWith("file:"));
  check(fileWorkers.length === 0, "from file:// no worker is registered", failures);
  check(await local.evaluate(() => !window.OberihOffline && !document.querySelector("link[rel=manifest]")),
    "from file:// the offline script does nothing", failures);
}

async function main() {
  const state = { dir: oldDir, down: false };
  const served = await serve(state);
  const origin = "http://127.0.0.1:" + served.server.address().port;
  const { context, userDataDir } = await launch();
  try {
    const page = await saveCopy(context, origin, served, state);
    const picks = await useOffline(page, context, origin, state);
    await updateCopy(page, context, origin, state, picks);
    await deleteCopy(page);
    await fromFolder(context);
  } catch (e) {
    failures.push("crashed: " + (e.stack || e.message).split("\n").slice(0, 4).join(" "));
  } finally {
    await context.close();
    served.server.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(report) + "\n");
}

main();
