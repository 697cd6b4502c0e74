// The blank paper form in the browser and on paper: the «Друкувати» button prints and is not
// printed, tick boxes are drawn at least 5 mm wide and high (no glyphs), and every printed sheet
// carries the form's footer with its own number and the number of sheets («с. 3 з 10»).
// Usage: node paper.js PRINT_HTML PDF_OUT FOOTER_START SHEET_WORDS
//   FOOTER_START: the footer's text before the page number («Форма · v2026.2 · с. »);
//   SHEET_WORDS: the words between the number and the count («з»).
"use strict";
const { launch, watchedPage, fileUrl, check } = require("./lib");
const { execFileSync } = require("child_process");

const squash = (s) => s.replace(/\s+/g, "");
const MM = 96 / 25.4;

async function main() {
  const [file, pdfOut, footerStart, of] = process.argv.slice(2);
  const failures = [];
  const report = { failures };
  const { context } = await launch();
  try {
    const { page, problems } = await watchedPage(context);
    await page.goto(fileUrl(file));
    const button = page.locator("button[data-print]");
    const shown = await button.isVisible();
    check(shown, "the print button is not shown on screen", failures);
    if (shown) {
      report.button = (await button.textContent()).trim();
      await page.evaluate(() => { window.printed = 0; window.print = () => { window.printed++; }; });
      await button.click();
      check(await page.evaluate(() => window.printed) === 1, "the print button does not print", failures);
    }

    await page.emulateMedia({ media: "print" });
    check(!(await button.isVisible()), "the print button is printed", failures);
    const boxes = await page.$$eval(".pf-box", (els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return { w: r.width, h: r.height, text: e.textContent };
    }));
    report.boxes = boxes.length;
    check(boxes.length > 20, `only ${boxes.length} tick boxes`, failures);
    const small = boxes.filter((b) => b.w < 5 * MM - 0.1 || b.h < 5 * MM - 0.1);
    check(!small.length, `${small.length} tick boxes smaller than 5 mm, e.g. ${JSON.stringify(small[0])}`, failures);
    check(boxes.every((b) => b.text === ""), "a tick box is a text glyph", failures);
    await page.pdf({ path: pdfOut, format: "A4", preferCSSPageSize: true, printBackground: true });
    for (const p of problems) failures.push(p);
  } finally {
    await context.close();
  }
  const text = execFileSync("pdftotext", ["-layout", "-enc", "UTF-8", pdfOut, "-"]).toString("utf8");
  const sheets = text.split("\f").map(squash).filter((s) => s.length);
  report.sheets = sheets.length;
  check(sheets.length > 1, "the form printed on one sheet", failures);
  sheets.forEach((s, i) => {
    const footer = squash(`${footerStart}${i + 1} ${of} ${sheets.length}`);
    check(s.includes(footer), `sheet ${i + 1} lacks the footer «${footer}»`, failures);
  });
  process.stdout.write(JSON.stringify(report) + "\n");
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ failures: ["crashed: " + e.stack] }) + "\n");
  process.exit(1);
});
