// Prints a page to PDF with Chromium (A4, the page's own print CSS), extracts the text of each
// PDF page with pdftotext, and checks that (a) given phrases appear and (b) no block matching a
// selector is split across two sheets: its first and last words are on the same page.
// Usage: node print.js HTML_FILE PDF_OUT BLOCK_SELECTOR PHRASE...
"use strict";
const { launch, watchedPage, fileUrl, check } = require("./lib");
const { execFileSync } = require("child_process");

const squash = (s) => s.replace(/\s+/g, "").replace(/[«»"“”]/g, "");

async function main() {
  const [file, pdfOut, selector, ...phrases] = process.argv.slice(2);
  const failures = [];
  const { context } = await launch();
  let blocks = [];
  try {
    const { page, problems } = await watchedPage(context);
    await page.goto(fileUrl(file));
    await page.emulateMedia({ media: "print" });
    blocks = await page.$$eval(selector, (els) =>
      els.map((e) => {
        const lines = e.innerText.split("\n").map((l) => l.trim()).filter((l) => l.length > 3);
        return { first: lines[0] || "", last: lines[lines.length - 1] || "" };
      })
    );
    await page.pdf({ path: pdfOut, format: "A4", preferCSSPageSize: true, printBackground: true });
    for (const p of problems) failures.push(p);
  } finally {
    await context.close();
  }
  // -layout keeps a table's rows in reading order (a tick-box grid is otherwise read column by column).
  const text = execFileSync("pdftotext", ["-layout", "-enc", "UTF-8", pdfOut, "-"]).toString("utf8");
  const pages = text.split("\f").map(squash);
  check(pages.length > 1, "the PDF has a single page", failures);
  for (const phrase of phrases) {
    check(pages.some((p) => p.includes(squash(phrase))), `phrase «${phrase}» not in the PDF`, failures);
  }
  let checked = 0;
  for (const b of blocks) {
    const first = squash(b.first).slice(0, 24);
    const last = squash(b.last).slice(-24);
    const pf = pages.findIndex((p) => p.includes(first));
    if (pf < 0 || !last) continue;
    checked++;
    // The last words may also occur earlier in the text: look from the first page onwards.
    const pl = pages.findIndex((p, i) => i >= pf && p.includes(last));
    check(pl === pf, `block «${b.first.slice(0, 40)}» starts on sheet ${pf + 1} but ends on sheet ${pl + 1}`, failures);
  }
  check(checked >= blocks.length * 0.8, `only ${checked} of ${blocks.length} blocks found in the PDF text`, failures);
  process.stdout.write(JSON.stringify({ failures, pages: pages.length, blocks: blocks.length, checked }) + "\n");
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ failures: ["crashed: " + e.stack] }) + "\n");
  process.exit(1);
});
