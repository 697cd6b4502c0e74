// Opens an unzipped regional pack from disk in the language the region adds (Hungarian):
// searches with the header box, opens a result, and starts the screening form in Hungarian.
// Usage: node region.js SITE_DIR LANG QUERY EXPECTED_LABEL
"use strict";
const { launch, watchedPage, fileUrl, check } = require("./lib");
const path = require("path");

async function main() {
  const [dir, lang, query, expectedLabel] = process.argv.slice(2);
  const failures = [];
  const { context } = await launch();
  try {
    const { page, problems, requests } = await watchedPage(context);
    await page.goto(fileUrl(path.join(dir, "index.html")));
    await page.click(`a[hreflang="${lang}"]`);
    await page.waitForLoadState("load");
    check((await page.getAttribute("html", "lang")) === lang, "chooser did not open " + lang, failures);
    // Search as you type in the header box, then open the full results page.
    await page.fill("#search-q", query);
    await page.waitForSelector("#search-suggest li a", { timeout: 5000 }).catch(() => failures.push("no suggestions for " + query));
    await page.press("#search-q", "Enter");
    await page.waitForLoadState("load");
    await page.waitForSelector("#search-results .search-result a", { timeout: 5000 }).catch(() => failures.push("no results page for " + query));
    const first = await page.$("#search-results .search-result a");
    if (first) {
      await first.click();
      await page.waitForLoadState("load");
      check((await page.getAttribute("html", "lang")) === lang, "search result left the language", failures);
      check((await page.$$("main mark")).length > 0, "the result page does not highlight the query", failures);
    }
    // The form in the added language.
    await page.goto(fileUrl(path.join(dir, lang, "forms/initial-screening/index.html")));
    const legend = ((await page.textContent("fieldset legend")) || "").trim();
    check(legend.includes(expectedLabel), `first question «${legend}» is not «${expectedLabel}»`, failures);
    await page.check("fieldset input[type=radio][value=yes]");
    check(await page.isChecked("fieldset input[type=radio][value=yes]"), "could not answer the first question", failures);
    const outside = requests.filter((u) => !u.startsWith("file://" + path.resolve(dir)));
    check(outside.length === 0, "requests outside the pack: " + outside.join(", "), failures);
    await page.waitForTimeout(200);
    for (const p of problems) failures.push(p);
  } finally {
    await context.close();
  }
  process.stdout.write(JSON.stringify({ failures }) + "\n");
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ failures: ["crashed: " + e.stack] }) + "\n");
  process.exit(1);
});
