// Opens missing addresses of a portal served over HTTP (nginx, started by tests/hosting.rs) and
// the 404 page from disk; checks the page is styled, in the address's language, that its links
// lead to pages that exist and that its phone menu holds the navigation. Prints a JSON report:
// {failures: [...], checked: N}.
// Usage: node hosting.js CASES_JSON [SCREENSHOT_DIR]
//   CASES_JSON: [{"url": "...", "lang": "uk", "title": "...", "shot": "name"}, ...]
"use strict";
const { launch, check } = require("./lib");
const fs = require("fs");
const path = require("path");

// The header's background in the default theme (--brand): only there when the stylesheet applied.
const BRAND = "rgb(29, 79, 145)";

// A page that records its console errors, script errors, CSP violations and requests to
// other origins than `origin` in `problems`.
async function hostedPage(context, origin, problems) {
  const page = await context.newPage();
  page.on("console", (m) => {
    // The page itself answers 404 on purpose, and a browser asks for /favicon.ico on its own.
    const from = (m.location() && m.location().url) || "";
    const expected = from === page.url() || from.endsWith("/favicon.ico");
    if (m.type() === "error" && !(expected && m.text().startsWith("Failed to load resource"))) {
      problems.push("console: " + m.text() + " " + from);
    }
  });
  page.on("pageerror", (e) => problems.push("pageerror: " + e.message));
  page.on("request", (r) => {
    if (!r.url().startsWith(origin + "/") && !r.url().startsWith("file://")) problems.push("request: " + r.url());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI);
    });
  });
  return page;
}

// What the not-found page shows: one language's variant, its header and its links.
function shownVariant(page) {
  return page.evaluate(() => {
    const shown = [...document.querySelectorAll("[data-variant]")].filter((v) => !v.hidden);
    const v = shown[0];
    const header = v && v.querySelector(".site-header");
    const menu = v && v.querySelector(".menu-link");
    const nav = menu && document.querySelector(menu.getAttribute("href"));
    return {
      shown: shown.length,
      lang: document.documentElement.lang,
      title: document.title,
      h1: v ? v.querySelector("h1").textContent.trim() : "",
      background: header ? getComputedStyle(header).backgroundColor : "",
      menuVisible: menu ? getComputedStyle(menu).display !== "none" : false,
      navLinks: nav ? nav.querySelectorAll("a[href]").length : 0,
      links: v ? [...v.querySelectorAll("a[href]:not([href^='#'])")].map((a) => a.href).concat([v.querySelector("form").action]) : [],
    };
  });
}

async function checkCase(context, c, shots, failures) {
  const origin = new URL(c.url).origin;
  const problems = [];
  const page = await hostedPage(context, origin, problems);
  const where = c.url;
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    const response = await page.goto(c.url);
    if (!c.url.startsWith("file:")) check(response && response.status() === 404, `${where}: status ${response && response.status()}`, failures);
    const seen = await shownVariant(page);
    check(seen.shown === 1, `${where}: ${seen.shown} languages shown`, failures);
    check(seen.lang === c.lang, `${where}: lang=${seen.lang}, wanted ${c.lang}`, failures);
    check(seen.h1 === c.title && seen.title.startsWith(c.title), `${where}: «${seen.h1}» / «${seen.title}», wanted «${c.title}»`, failures);
    check(seen.background === BRAND, `${where} at ${width}px: header background ${seen.background}: stylesheet not applied`, failures);
    check(seen.navLinks >= 2, `${where}: the menu's navigation holds ${seen.navLinks} links`, failures);
    if (width === 360) check(seen.menuVisible, `${where}: no menu link at 360px`, failures);
    for (const link of new Set(seen.links.map((l) => l.split("#")[0]))) {
      if (link.startsWith("file://")) {
        check(fs.existsSync(decodeURIComponent(new URL(link).pathname)), `${where}: link to a missing file ${link}`, failures);
      } else {
        check(link.startsWith(origin + "/"), `${where}: link to another origin ${link}`, failures);
        const r = await context.request.get(link);
        check(r.status() === 200, `${where}: link ${link} answers ${r.status()}`, failures);
      }
    }
    if (shots && c.shot) await page.screenshot({ path: path.join(shots, `${c.shot}-${width}.png`), fullPage: true });
  }
  for (const p of problems) failures.push(`${where}: ${p}`);
  await page.close();
}

async function main() {
  const cases = JSON.parse(process.argv[2]);
  const shots = process.argv[3];
  const failures = [];
  const { context } = await launch();
  try {
    for (const c of cases) await checkCase(context, c, shots, failures);
  } catch (e) {
    failures.push("exception: " + (e && e.stack ? e.stack : e));
  } finally {
    await context.close();
  }
  console.log(JSON.stringify({ failures, checked: cases.length }));
}

main();
