// The questionnaire's printed record: a heading is never left alone at the foot of a sheet.
// Walks the adult form to its result, then pushes «Куди перенаправити» down (a spacer before it)
// until the heading would end just above the foot of the first sheet, prints to PDF (A4) and reads
// each sheet with pdftotext: the heading must share its sheet with the first contact it
// introduces.
// Usage: node filled_print.js FORM_INDEX_HTML PDF_OUT
"use strict";
const { launch, watchedPage, fileUrl, check } = require("./lib");
const { execFileSync } = require("child_process");

const ANSWERS = {
  consent: "yes", safe_to_talk: "yes", monitored: "no", danger_now: "no", referral_consent: "no",
  promise_differs: "yes",
};
const squash = (s) => s.replace(/\s+/g, "");
// A4 less the record's 15 mm margins, in CSS pixels (96 per inch).
const MM = 96 / 25.4;
const PAGE = { width: (210 - 30) * MM, height: (297 - 30) * MM };

async function toResult(page) {
  const visible = (s) => page.isVisible(s);
  for (let i = 0; i < 30 && !(await visible("#summary")); i++) {
    for (const [key, value] of Object.entries(ANSWERS)) {
      const box = "#w-" + key;
      if (!(await page.locator(box).count()) || !(await visible(box))) continue;
      if (!(await page.locator(`${box} input:checked`).count())) await page.check(`input[name="q-${key}"][value="${value}"]`);
    }
    if (await visible("#summary")) break;
    const act = (await visible('#step-nav button[data-act="finish"]')) ? "finish" : "next";
    await page.click(`#app button[data-act="${act}"]:visible`);
  }
}

async function main() {
  const [file, pdfOut] = process.argv.slice(2);
  const failures = [];
  const { context } = await launch();
  let heading = "";
  let contact = "";
  try {
    const { page, problems } = await watchedPage(context);
    await page.setViewportSize({ width: Math.round(PAGE.width), height: 900 });
    await page.goto(fileUrl(file));
    await toResult(page);
    await page.emulateMedia({ media: "print" });
    // The spacer ends the heading 4 px above the foot of the sheet it falls on.
    ({ heading, contact } = await page.evaluate((pageHeight) => {
      const h = document.querySelector("#contacts h2");
      const spacer = document.createElement("div");
      h.parentNode.insertBefore(spacer, h);
      const r = h.getBoundingClientRect();
      const bottom = r.bottom + window.scrollY;
      const room = pageHeight - (bottom % pageHeight);
      spacer.style.height = Math.max(0, room - 4) + "px";
      const first = [...document.querySelectorAll("#contacts .contact-card")].find((c) => c.offsetParent !== null);
      return { heading: h.textContent, contact: first ? first.innerText.split("\n")[0] : "" };
    }, PAGE.height));
    await page.pdf({ path: pdfOut, format: "A4", preferCSSPageSize: true, printBackground: true });
    for (const p of problems) failures.push(p);
  } finally {
    await context.close();
  }
  const text = execFileSync("pdftotext", ["-enc", "UTF-8", pdfOut, "-"]).toString("utf8");
  const sheets = text.split("\f").map(squash);
  const at = sheets.findIndex((s) => s.includes(squash(heading)));
  check(heading.length > 0 && at >= 0, `heading «${heading}» not in the PDF`, failures);
  const first = squash(contact).slice(0, 20);
  check(first.length > 0, "no contact under the heading", failures);
  check(at >= 0 && sheets[at].includes(first), `«${heading}» is on sheet ${at + 1} without its first contact «${contact}»`, failures);
  process.stdout.write(JSON.stringify({ failures, sheets: sheets.length, heading, contact }) + "\n");
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ failures: ["crashed: " + e.stack] }) + "\n");
  process.exit(1);
});
