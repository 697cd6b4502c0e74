// Opens a questionnaire in a language a region adds whose translation leaves some texts out, and
// checks that those texts are read in the default language (their element carries its `lang`),
// that the notice saying so is shown, and that both follow the language switch.
// Usage: node fallback_form.js PAGE LANG DEFAULT TRANSLATED_LABEL FALLBACK_LABEL
"use strict";
const { launch, watchedPage, fileUrl, check } = require("./lib");

async function main() {
  const [file, lang, fallback, translated, untranslated] = process.argv.slice(2);
  const failures = [];
  const { context } = await launch();
  try {
    const { page, problems } = await watchedPage(context);
    await page.goto(fileUrl(file));
    await page.waitForSelector("#form .q", { timeout: 5000 });
    // The language a label is read in: that of its nearest element with `lang`.
    const readAs = (text) => page.evaluate((text) => {
      const all = [...document.querySelectorAll("#form .q-label span, #form .hint")];
      const el = all.find((e) => e.textContent.trim() === text);
      return el ? el.closest("[lang]").getAttribute("lang") : "not shown";
    }, text);
    const notice = () => page.evaluate((l) => {
      const n = document.querySelector(`.notice[data-lang="${l}"]`);
      return n ? !n.hidden && n.offsetParent !== null : false;
    }, lang);
    check((await readAs(translated)) === lang, `«${translated}» is not read in ${lang}`, failures);
    check((await readAs(untranslated)) === fallback, `«${untranslated}» is not read in ${fallback}`, failures);
    check(await notice(), "no notice that some texts are in " + fallback, failures);
    // In the default language nothing falls back; back in the added one, the marks return.
    await page.click(`button[data-lang="${fallback}"]`);
    check((await readAs(untranslated)) === fallback, `«${untranslated}» lost its language in ${fallback}`, failures);
    check(!(await notice()), "the notice stays in " + fallback, failures);
    const marked = await page.evaluate(() => document.querySelectorAll("#form [lang]").length);
    check(marked === 0, `${marked} elements of the form keep a language of their own in the default language`, failures);
    await page.click(`button[data-lang="${lang}"]`);
    check((await readAs(translated)) === lang, `«${translated}» is not read in ${lang} after switching back`, failures);
    check((await readAs(untranslated)) === fallback, `«${untranslated}» is not marked after switching back`, failures);
    check(await notice(), "the notice does not come back", failures);
    await page.waitForTimeout(100);
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
