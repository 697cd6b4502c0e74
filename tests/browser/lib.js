// Shared browser-test helpers: launch Debian's Chromium headless with the network-quiet flags,
// record console errors, CSP violations and every request a page makes.
"use strict";
const { chromium } = require("playwright-core");
const path = require("path");
const os = require("os");
const fs = require("fs");

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

/** `options`: more context options, e.g. a phone's `viewport`, `hasTouch` and `isMobile`. */
async function launch(options = {}) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "oberih-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    ...options,
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync",
    ],
  });
  return { context, userDataDir };
}

/** Opens a page that records problems: console errors, page errors, CSP violations, requests
 *  to anything that is not a local file. */
async function watchedPage(context) {
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push("console: " + m.text()); });
  page.on("pageerror", (e) => problems.push("pageerror: " + e.message));
  page.on("request", (r) => {
    requests.push(r.url());
    if (!r.url().startsWith("file://")) problems.push("request: " + r.url());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI);
    });
  });
  return { page, problems, requests };
}

function fileUrl(p) {
  return "file://" + path.resolve(p);
}

function check(cond, message, failures) {
  if (!cond) failures.push(message);
}

module.exports = { launch, watchedPage, fileUrl, check };
