// Privacy gate: opens pages from disk in headless Chromium with every request routed through the
// test, and reports each one that is not a file inside the output folder. Requests are caught
// three ways, because each misses some: page.route (aborts anything leaving the folder, so
// nothing leaves the machine), the `request` event (fires even for requests the page's CSP then
// blocks) and CSP violation reports (blocked attempts).
//
// Usage: node privacy.js SPEC.json, where SPEC is
//   {"jobs": [{"id": "uk/home", "root": "/abs/public", "file": "/abs/public/uk/index.html",
//              "query": "?q=…", "state": "fresh" | "outcome", "search": "text"}]}
// Prints one JSON line: {results: {id: {outside: [...], problems: [...], files: n}}, failures: []}.
"use strict";
const fs = require("fs");
const path = require("path");
const { launch, watchedPage, fileUrl } = require("./lib");
const { formReady, reachOutcome } = require("./a11y");

/** `data:` and `blob:` URLs never leave the page; a `file:` URL must stay inside `root`. */
function classify(url, root) {
  if (url.startsWith("data:") || url.startsWith("blob:")) return "local";
  if (url.startsWith("file://")) {
    let p;
    try {
      p = decodeURIComponent(new URL(url).pathname);
    } catch (e) {
      return "outside";
    }
    const rel = path.relative(root, path.resolve(p));
    return rel.startsWith("..") || path.isAbsolute(rel) ? "outside" : "inside";
  }
  return "outside";
}

async function runJob(context, root, job) {
  const { page, problems } = await watchedPage(context);
  const outside = new Set();
  let files = 0;
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (classify(url, root) === "outside") {
      outside.add("routed: " + url);
      return route.abort("blockedbyclient");
    }
    files++;
    return route.continue();
  });
  page.on("request", (r) => {
    if (classify(r.url(), root) === "outside") outside.add("request: " + r.url());
  });
  const result = { problems: [] };
  try {
    await page.goto(fileUrl(job.file) + (job.query || ""));
    await page.waitForLoadState("load");
    if (job.state) {
      await formReady(page);
      if (job.state === "outcome") {
        const r = await reachOutcome(page);
        if (!r.ok) result.problems.push("could not reach the outcome screen");
      }
    }
    if (job.search) {
      // Type into the header search: suggestions load index shards as classic scripts.
      await page.fill("#search-q", job.search);
      await page.waitForTimeout(400);
    }
    await page.waitForTimeout(300);
  } catch (e) {
    result.problems.push("crashed: " + (e.stack || e.message).split("\n").slice(0, 3).join(" "));
  } finally {
    await page.close();
  }
  // CSP violations name what the page tried to load; any of them is a request that was attempted.
  for (const p of problems) {
    if (p.includes("CSP violation") || p.startsWith("request:")) outside.add(p);
    else result.problems.push(p);
  }
  result.outside = [...outside].sort();
  result.files = files;
  return result;
}

async function main() {
  const spec = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const results = {};
  const { context, userDataDir } = await launch();
  try {
    for (const job of spec.jobs) results[job.id] = await runJob(context, path.resolve(job.root), job);
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify({ results, failures: [] }) + "\n");
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ results: {}, failures: ["crashed: " + e.stack] }) + "\n");
  process.exit(1);
});
