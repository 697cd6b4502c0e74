// Opens the built portal from disk (file://), follows the navigation and the language switcher,
// prints a JSON report: {failures: [...], visited: [...]}. Usage: node site.js PUBLIC_DIR
"use strict";
const { launch, watchedPage, fileUrl, check } = require("./lib");
const path = require("path");

async function main() {
  const dir = process.argv[2];
  const failures = [];
  const visited = [];
  const { context } = await launch();
  try {
    const { page, problems } = await watchedPage(context);
    await page.goto(fileUrl(path.join(dir, "uk/index.html")));
    visited.push(page.url());
    check((await page.getAttribute("html", "lang")) === "uk", "home is not lang=uk", failures);
    // Follow the first three top-level sections through the side navigation.
    const navLinks = await page.$$eval(".site-nav > ul > li.nav-section > a", (as) => as.map((a) => a.textContent));
    check(navLinks.length >= 3, "fewer than 3 sections in the navigation", failures);
    for (const title of navLinks.slice(0, 3)) {
      await page.click(`.site-nav > ul > li.nav-section > a:text-is("${title}")`);
      await page.waitForLoadState("load");
      visited.push(page.url());
      const h1 = (await page.textContent("main h1")) || "";
      check(h1.trim() === title.trim(), `clicked «${title}» but the page says «${h1.trim()}»`, failures);
      check(page.url().startsWith("file://") && page.url().endsWith("/index.html"), "navigation left the file tree: " + page.url(), failures);
    }
    // Open a page inside the section, then switch language: same page in English.
    const child = await page.$(".cards a");
    if (child) {
      await child.click();
      await page.waitForLoadState("load");
      visited.push(page.url());
    }
    const ukUrl = page.url();
    await page.click('.lang-switch a[hreflang="en"]');
    await page.waitForLoadState("load");
    visited.push(page.url());
    check((await page.getAttribute("html", "lang")) === "en", "language switch did not open an English page", failures);
    check(page.url() === ukUrl.replace("/uk/", "/en/"), `language switch went to ${page.url()} from ${ukUrl}`, failures);
    // Next/previous links work.
    const next = await page.$("a[rel=next]");
    if (next) {
      await next.click();
      await page.waitForLoadState("load");
      visited.push(page.url());
      check((await page.getAttribute("html", "lang")) === "en", "next link left the language", failures);
    }
    await page.waitForTimeout(200);
    for (const p of problems) failures.push(p);
  } finally {
    await context.close();
  }
  process.stdout.write(JSON.stringify({ failures, visited }) + "\n");
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ failures: ["crashed: " + e.stack], visited: [] }) + "\n");
  process.exit(1);
});
