// The offline questionnaire in headless Chromium, from file://. Run by tests/questionnaire.rs:
//   node tests/browser/form.js PUBLIC_DIR OUT_DIR
// PUBLIC_DIR holds the pages that test writes; downloads go to OUT_DIR. Prints one JSON line:
// {failures: [...], export_json, export_csv, ...} with the captured exports for Rust to check.
"use strict";
const path = require("path");
const { launch, watchedPage, fileUrl, check } = require("./lib.js");

const [pub, out] = process.argv.slice(2);
const failures = [];
const report = { failures };
const url = (rel) => fileUrl(path.join(pub, rel));

const { choose, fill, act, visible, text, download, waitNeutral, openWith, toResult, storageDump, noneOf, accessibility, watch } =
  require("./form_steps.js")(out, failures);
const { encrypted, encryptedEc, refusals } = require("./form_sealed.js")({ url, out, failures, report });

// ------------------------------------------------------------------ the full adult interview

async function fullInterview(context) {
  const { page, problems } = await watchedPage(context);
  await openAdultForm(page);
  await firstStep(page);
  await recruitmentAndWork(page);
  await switchLanguage(page);
  await laterSteps(page);
  await adultResult(page);
  await adultPrint(page);
  const json = await exportAdult(page);
  await clearAndReopen(page, json);
  await quickExitByButton(page);
  watch(problems, "adult form")();
  await page.close();
}

async function openAdultForm(page) {
  await page.goto(url("start.html"));
  await page.goto(url("uk/forms/initial-screening/index.html"));
  await page.keyboard.press("Tab");
  check(await page.evaluate(() => document.activeElement.id) === "quick-exit", "quick exit is first in tab order", failures);
  await accessibility(page, "adult form");
}

// Next with nothing answered: errors beside the fields and a focused summary; then the first step.
async function firstStep(page) {
  // Next with nothing answered: errors next to the fields and a focused summary.
  await act(page, "next");
  check(await page.evaluate(() => document.activeElement.id) === "errors", "the error summary takes focus", failures);
  check(await page.getAttribute('input[name="q-consent"][value="yes"]', "aria-invalid") === "true", "aria-invalid on an unanswered required question", failures);
  check(((await page.getAttribute("#w-consent", "aria-describedby")) || "").includes("q-consent-error"), "the error describes its field", failures);
  check(await page.isVisible("#q-consent-error"), "the error is shown next to the field", failures);
  check(await page.locator("#errors a").count() === 4, "four required questions reported", failures);

  await choose(page, "consent", "yes");
  await choose(page, "safe_to_talk", "yes");
  await choose(page, "monitored", "no");
  await choose(page, "danger_now", "no");
  check(!(await visible(page, "#errors")), "fixed errors leave the summary", failures);
  await page.check('input[name="q-urgent_needs"][value="food"]');
  await fill(page, "age", "3x");
  await page.keyboard.press("Tab");
  check(await visible(page, "#q-age-error"), "a bad number is reported when the field is left", failures);
  await fill(page, "age", "34");
  check(!(await visible(page, "#q-age-error")), "the number error clears once fixed", failures);
  await choose(page, "where_now", "displaced");
  await act(page, "next");
  check((await page.evaluate(() => document.activeElement.id)) === "h-recruitment", "a new step focuses its heading", failures);
  check((await text(page, "#progress-text")).includes("2"), "progress shows the step", failures);
}

// Skip logic on the recruitment step, then an entry of the repeat of jobs.
async function recruitmentAndWork(page) {
  await choose(page, "found_via", "online");
  await choose(page, "paid_fee", "yes");
  check(!(await visible(page, "#w-differences")), "a follow-up waits for its condition", failures);
  await choose(page, "promise_differs", "yes");
  check(await visible(page, "#w-differences"), "skip logic shows the follow-up at once", failures);
  await page.check('input[name="q-differences"][value="work"]');
  await choose(page, "forced_start", "no");
  await choose(page, "no_choice", "yes");
  await act(page, "next");

  await page.click('button[data-add="jobs"]');
  await fill(page, "jobs.0.job_work", "Кухня в ресторані");
  await fill(page, "jobs.0.job_place", "Варшава");
  await fill(page, "jobs.0.job_hours", "14");
  await choose(page, "jobs.0.job_pay", "part");
  await act(page, "next");
}

async function switchLanguage(page) {
  // Switch language mid-way: every label changes, every answer stays.
  await page.click('button[data-lang="en"]');
  check(await text(page, "#h-conditions") === "Working and living conditions", "section title re-rendered in English", failures);
  check(await page.evaluate(() => document.documentElement.lang) === "en", "html lang follows the switch", failures);
  check((await page.title()).startsWith("Initial screening"), "title follows the switch", failures);
  check(await page.isVisible('.contacts-lang[data-lang="en"]') === false, "contacts stay in the result", failures);
  await act(page, "prev");
  check(await page.inputValue("#q-jobs-0-job_work") === "Кухня в ресторані", "typed text kept across the switch", failures);
  check(await page.isChecked('input[name="q-jobs-0-job_pay"][value="part"]'), "choice kept across the switch", failures);
  check((await text(page, 'label[for="q-jobs-0-job_work"]')).includes("What work did you do there?"), "labels re-rendered", failures);
  await act(page, "next");
}

// The remaining steps to the end, with a follow-up dropped when its reason changes.
async function laterSteps(page) {
  await choose(page, "harmful_conditions", "yes");
  await choose(page, "employer_housing", "no");
  await choose(page, "forced_tasks", "no");
  await act(page, "next");
  await choose(page, "free_to_leave", "yes");
  await choose(page, "threats", "no");
  await choose(page, "violence", "no");
  await choose(page, "isolation", "dk");
  await act(page, "next");
  await choose(page, "docs_held", "no");
  await act(page, "next");

  // Answer a follow-up, then change the answer it depends on: it drops out at once.
  await choose(page, "owes_debt", "yes");
  await choose(page, "debt_grows", "yes");
  await choose(page, "debt_work_off", "no");
  await choose(page, "owes_debt", "no");
  check(!(await visible(page, "#w-debt_grows")), "the follow-up hides", failures);
  check(!(await page.isChecked('input[name="q-debt_grows"][value="yes"]')), "its answer is discarded", failures);
  check((await text(page, "#status")).includes("1"), "the user is told an answer was removed", failures);
  check(await visible(page, "#w-debt_work_off"), "a follow-up with another reason stays", failures);
  await act(page, "next");
  await choose(page, "travel_arranged", "no");
  await choose(page, "knows_address", "yes");
  await act(page, "next");
  await choose(page, "companion_control", "dk");
  await page.check('input[name="q-help_wanted"][value="legal"]');
  await choose(page, "referral_consent", "yes");
  await fill(page, "safe_contact", "Дзвонити після 18:00, фраза Оберіг");
  await fill(page, "notes", "Нотатка інтерв’юера: перший рядок\nдругий рядок, дуже довгий текст ".repeat(3));
  check(await text(page, "#q-long_days") === "1", "a calculation over the repeat is live", failures);
  await act(page, "finish");
}

async function adultResult(page) {
  check(await visible(page, "#summary"), "the result is shown", failures);
  check(await page.evaluate(() => document.activeElement.id) === "result-title", "the result takes focus", failures);
  check(await page.getAttribute("#outcome", "data-outcome") === "refer", "outcome: refer", failures);
  check(await page.locator('li[data-indicator="work_deception"]').count() === 1, "indicators listed with the outcome", failures);
  check(await page.locator('li[data-indicator="debt_bondage"]').count() === 0, "a hidden answer fires no indicator", failures);
  check(await page.isVisible('.contacts-lang[data-lang="en"]') && !(await page.isVisible('.contacts-lang[data-lang="uk"]')), "contacts in the page language", failures);
}

async function adultPrint(page) {
  // Print: only the record and the result, with three different marks.
  await page.emulateMedia({ media: "print" });
  check(!(await visible(page, "#form")) && !(await visible(page, "#quick-exit")) && !(await visible(page, "#toolbar")), "print hides the controls", failures);
  const printed = await text(page, "#summary");
  for (const mark of ["⊘", "○", "✕"]) check(printed.includes(mark), `print shows the mark ${mark}`, failures);
  check(printed.includes("2026.2") || (await text(page, "#form-version")).includes("2026.2"), "print shows the form version", failures);
  // A question the logic skipped keeps its text, marked as not asked.
  const skipped = await page.$$eval("#record dt.not-asked", (dts) => dts.map((d) => d.textContent));
  check(skipped.some((t) => t.includes("Did the debt grow")), `print shows a skipped question's text with its mark: ${skipped}`, failures);
  await page.emulateMedia({ media: "screen" });
}

// Exports as JSON and CSV; nothing typed is left in storage, the title or the URL.
async function exportAdult(page) {
  const json = await download(page, () => act(page, "export-json"), "full.json");
  report.export_json = json.text;
  check(/^initial-screening-\d{8}-\d{4}\.json$/.test(json.suggested), "a neutral file name: " + json.suggested, failures);
  check(await visible(page, '#panel button[data-act="clear-yes"]'), "after export the form offers to clear", failures);
  await page.click('#panel button[data-act="close"]');
  report.export_csv = (await download(page, () => act(page, "export-csv"), "full.csv")).text;
  await page.click('#panel button[data-act="close"]');

  const typed = ["Кухня в ресторані", "Варшава", "Дзвонити після 18:00", "Нотатка інтерв"];
  noneOf(await storageDump(page), typed, "browser storage after export");
  noneOf(await page.title(), typed, "the title");
  check(!page.url().includes("?") && !page.url().includes("#"), "no answers in the URL", failures);
  return json;
}

async function clearAndReopen(page, json) {
  // Clear, then open the saved file and finish again: the same record.
  await act(page, "clear");
  await page.click('#panel button[data-act="clear-yes"]');
  const left = await page.evaluate(() => Array.from(document.querySelectorAll("#form input, #form textarea"))
    .filter((i) => (i.type === "radio" || i.type === "checkbox") ? i.checked : i.value !== "").length);
  check(left === 0, `clear empties every control (${left} left)`, failures);
  await openWith(page, () => act(page, "open-file"), json.file);
  // Reading the file is asynchronous: wait for the page to say it has loaded it.
  await page
    .waitForFunction(() => (document.getElementById("status") || {}).textContent.includes("full.json"), null, { timeout: 5000 })
    .catch(() => {});
  check((await text(page, "#status")).includes("full.json"), "the saved file is loaded", failures);
  check(await page.inputValue("#q-age") === "34", "answers come back", failures);
  check(await page.inputValue("#q-jobs-0-job_place") === "Варшава", "repeat entries come back", failures);
  await toResult(page);
  report.export_json_reopened = (await download(page, () => act(page, "export-json"), "reopened.json")).text;
  await page.click('#panel button[data-act="clear-yes"]');
  check(await page.inputValue("#q-age") === "", "clear after export empties the form", failures);
}

async function quickExitByButton(page) {
  // Quick exit by the button: the neutral page replaces the form in the history.
  await fill(page, "age", "41");
  await page.click("#quick-exit");
  await waitNeutral(page);
  await page.goBack();
  check(page.url().endsWith("start.html"), "Back after quick exit does not reach the form: " + page.url(), failures);
  noneOf(await page.content(), ["41", "Варшава"], "the page after Back");
}

// ------------------------------------------------------------------ short paths

async function consentNo(context) {
  const { page, problems } = await watchedPage(context);
  await page.goto(url("uk/forms/initial-screening/index.html"));
  await choose(page, "consent", "no");
  check(await visible(page, "#w-consent .end"), "consent no shows the end message", failures);
  check(!(await visible(page, "#w-safe_to_talk")), "nothing else is asked", failures);
  await page.click('#w-consent .end button[data-act="finish"]');
  check(await visible(page, "#summary"), "a hidden required question does not block completion", failures);
  check(await page.getAttribute("#outcome", "data-outcome") === "not_done", "outcome: not done", failures);
  const declined = await result(page);
  check(!declined.claimsNone && !declined.all.includes("Чому"), "consent «Ні» shows no indicator summary: " + declined.all, failures);
  report.export_declined = (await download(page, () => act(page, "export-json"), "declined.json")).text;
  watch(problems, "consent no")();
  await page.close();
}

async function alerts(context) {
  const { page, problems } = await watchedPage(context);
  await page.goto(url("uk/forms/initial-screening/index.html"));
  await choose(page, "consent", "yes");
  await choose(page, "safe_to_talk", "yes");
  await choose(page, "monitored", "no");
  await choose(page, "danger_now", "yes");
  const alert = await text(page, '#w-danger_now [role="alert"]');
  check(alert.includes("102"), "the safety alert shows at once: " + alert, failures);
  check(await visible(page, "#w-danger_now .end"), "immediate danger ends the interview", failures);
  await choose(page, "danger_now", "no");
  check((await text(page, '#w-danger_now [role="alert"]')) === "", "the alert goes when the answer changes", failures);
  await fill(page, "age", "16");
  await page.keyboard.press("Tab");
  check((await text(page, '#w-age [role="alert"]')).length > 0, "an under-18 answer shows its alert", failures);
  watch(problems, "alerts")();
  await page.close();
}

async function shiftExit(context) {
  const { page, problems } = await watchedPage(context);
  await page.clock.install();
  await page.goto(url("start.html"));
  await page.goto(url("uk/forms/initial-screening/index.html"));
  await choose(page, "consent", "yes");
  await fill(page, "age", "29");
  await page.focus("#form-title");
  await page.keyboard.press("Shift");
  await page.keyboard.press("Shift");
  await page.keyboard.press("KeyA");
  await page.keyboard.press("Shift");
  check(page.url().includes("initial-screening"), "Shift with another key between does not exit", failures);
  await page.keyboard.press("Shift");
  await page.clock.fastForward(6000);
  await page.keyboard.press("Shift");
  check(page.url().includes("initial-screening"), "Shift presses more than 5 s apart do not exit", failures);
  await page.keyboard.press("Shift");
  await page.keyboard.press("Shift");
  await page.keyboard.press("Shift");
  await waitNeutral(page);
  await page.goBack();
  check(page.url().endsWith("start.html"), "Back after Shift×3 does not reach the form: " + page.url(), failures);
  watch(problems, "shift exit")();
  await page.close();
}

// ------------------------------------------------------------------ what the result may claim

const ADULT = "uk/forms/initial-screening/index.html";

/** Goes through the interview step by step, answering each visible question named in `answers`
 *  that has no answer yet, until the result is shown. */
async function interview(page, answers) {
  for (let i = 0; i < 30 && !(await visible(page, "#summary")); i++) {
    for (const [key, value] of Object.entries(answers)) {
      const box = "#w-" + key.replace(/\./g, "-");
      if (!(await page.locator(box).count()) || !(await visible(page, box))) continue;
      if (!(await page.locator(`${box} input:checked`).count())) await choose(page, key, value);
    }
    if (await visible(page, "#summary")) break;
    if (await visible(page, '#step-nav button[data-act="finish"]')) await act(page, "finish");
    else await act(page, "next");
  }
}

/** Back through the steps until question `key` is on screen. */
async function backTo(page, key) {
  if (await visible(page, "#summary")) await act(page, "edit");
  for (let i = 0; i < 12 && !(await visible(page, "#w-" + key)); i++) await act(page, "prev");
}

// Safety questions answered so the interview goes on; every indicator question answered with the
// answer that fires nothing.
const SAFE = { consent: "yes", safe_to_talk: "yes", monitored: "no", danger_now: "no", referral_consent: "no" };
const NOTHING_FOUND = Object.assign({}, SAFE, {
  paid_fee: "no", promise_differs: "no", forced_start: "no", no_choice: "no", harmful_conditions: "no",
  employer_housing: "no", forced_tasks: "no", free_to_leave: "yes", threats: "no", violence: "no",
  isolation: "no", escorted: "no", docs_held: "no", owes_debt: "no", travel_arranged: "no",
  knows_address: "yes", companion_control: "no",
});

/** The result's text, and whether it claims that nothing was found. */
async function result(page) {
  const all = await text(page, "#result");
  const claimsNone = /Ознак не виявлено|Виявлено 0|No indicators found|0 indicators/.test(all);
  return { all, claimsNone, outcome: await page.getAttribute("#outcome", "data-outcome") };
}

async function blankAnswers(context) {
  const { page, problems } = await watchedPage(context);
  await page.goto(url(ADULT));
  // Only the required questions answered, «Далі» through the rest.
  await interview(page, SAFE);
  let r = await result(page);
  check(!r.claimsNone, "blank answers are read as «no»: " + r.all, failures);
  check(r.outcome !== "none", "outcome «none» with blank indicator questions", failures);
  check(r.all.includes("Скринінг неповний: 17 питань без відповіді"), "the result counts the 17 unanswered indicator questions: " + r.all, failures);
  await page.emulateMedia({ media: "print" });
  const printed = await text(page, "#summary");
  check(printed.includes("17 питань без відповіді") && !/Ознак не виявлено/.test(printed), "the print says the screening is incomplete", failures);
  await page.emulateMedia({ media: "screen" });
  report.export_blank = (await download(page, () => act(page, "export-json"), "blank.json")).text;
  await page.click('#panel button[data-act="close"]');
  report.export_blank_csv = (await download(page, () => act(page, "export-csv"), "blank.csv")).text;
  await page.click('#panel button[data-act="close"]');
  await page.click('button[data-lang="en"]');
  r = await result(page);
  check(r.all.includes("17 questions") && !r.claimsNone, "in English too: " + r.all, failures);
  await page.click('button[data-lang="uk"]');

  // Two, then one indicator question left blank; then one «Не знає»; then every one answered.
  await act(page, "clear");
  await page.click('#panel button[data-act="clear-yes"]');
  const two = Object.assign({}, NOTHING_FOUND);
  delete two.travel_arranged;
  delete two.knows_address;
  await interview(page, two);
  r = await result(page);
  check(r.all.includes("2 питання без відповіді") && !r.claimsNone, "two blank: " + r.all, failures);
  check(r.outcome === "incomplete", "two blank: outcome " + r.outcome, failures);
  await backTo(page, "travel_arranged");
  await choose(page, "travel_arranged", "no");
  await toResult(page);
  r = await result(page);
  check(r.all.includes("1 питання без відповіді") && !r.claimsNone, "one blank: " + r.all, failures);
  check(r.outcome === "incomplete", "one blank: outcome " + r.outcome, failures);
  await backTo(page, "knows_address");
  await choose(page, "knows_address", "dk");
  await toResult(page);
  r = await result(page);
  check(!r.claimsNone && r.outcome === "incomplete", "one «Не знає»: outcome " + r.outcome + ": " + r.all, failures);
  await backTo(page, "knows_address");
  await choose(page, "knows_address", "yes");
  await toResult(page);
  r = await result(page);
  check(r.outcome === "none" && r.all.includes("Ознак не виявлено"), "every indicator question answered: " + r.outcome + ": " + r.all, failures);
  check(!r.all.includes("Скринінг неповний"), "a complete screening is not called incomplete", failures);
  watch(problems, "blank answers")();
  await page.close();
}

async function typedAge(context) {
  const { page, problems } = await watchedPage(context);
  await page.goto(url(ADULT));
  await choose(page, "consent", "yes");
  await choose(page, "where_now", "home");
  const before = await page.locator("#w-where_now").boundingBox();
  await page.click("#q-age");
  await page.keyboard.type("4");
  check((await text(page, '#w-age [role="alert"]')) === "", "no alert after the first key of «45»", failures);
  check(!(await visible(page, "#w-age .end")), "no ending after the first key of «45»", failures);
  check(await visible(page, "#w-where_now"), "the next question stays while typing", failures);
  const during = await page.locator("#w-where_now").boundingBox();
  check(before && during && before.y === during.y, "the layout does not jump while typing", failures);
  await page.keyboard.type("5");
  await page.keyboard.press("Tab");
  check((await text(page, '#w-age [role="alert"]')) === "" && !(await visible(page, "#w-age .end")), "45 raises nothing", failures);
  check(await page.isChecked('input[name="q-where_now"][value="home"]'), "a later answer survives the typing", failures);
  await page.fill("#q-age", "");
  await page.click("#q-age");
  await page.keyboard.type("16");
  check((await text(page, '#w-age [role="alert"]')) === "", "no alert before the field is left", failures);
  await page.keyboard.press("Tab");
  check((await text(page, '#w-age [role="alert"]')).length > 0, "16 raises the alert once the field is left", failures);
  check(await visible(page, "#w-age .end"), "16 ends the interview once the field is left", failures);
  watch(problems, "typed age")();
  await page.close();
}

/** Each yes/no question asks one thing: at most one question mark in its label. */
async function oneQuestionEach(page, where) {
  const double = await page.evaluate(() => Array.from(document.querySelectorAll("#form fieldset.q")).filter((fs) => {
    const values = Array.from(fs.querySelectorAll("input[type=radio]")).map((r) => r.value).filter((v) => v !== "dk" && v !== "refused");
    return values.length === 2 && values.includes("yes") && values.includes("no");
  }).map((fs) => fs.querySelector("legend").textContent).filter((t) => (t.match(/\?/g) || []).length > 1));
  check(!double.length, `${where}: a yes/no question asks two things: ${double.join(" | ")}`, failures);
}

async function watchedPhone(context) {
  const { page, problems } = await watchedPage(context);
  for (const rel of [ADULT, "en/forms/initial-screening/index.html", "uk/forms/child-screening/index.html"]) {
    await page.goto(url(rel));
    await oneQuestionEach(page, rel);
  }
  await page.goto(url("en/forms/initial-screening/index.html"));
  await choose(page, "consent", "yes");
  await choose(page, "safe_to_talk", "yes");
  const label = await text(page, "#w-monitored legend").catch(() => "");
  check(/checking your phone/.test(label), "a question of its own asks whether someone checks the phone: " + label, failures);
  await choose(page, "monitored", "yes").catch(() => {});
  check(await visible(page, "#w-monitored .end"), "someone checking the phone ends the interview", failures);
  check(!(await visible(page, "#w-danger_now")), "nothing else is asked", failures);
  await page.click('#w-monitored .end button[data-act="finish"]').catch(() => {});
  check(await page.getAttribute("#outcome", "data-outcome").catch(() => null) === "not_done", "outcome: not done", failures);
  watch(problems, "watched phone")();
  await page.close();
}

async function childLink(context) {
  const { page, problems } = await watchedPage(context);
  await page.goto(url(ADULT));
  for (const [key, value] of Object.entries(SAFE)) if (key !== "referral_consent") await choose(page, key, value);
  await fill(page, "age", "16");
  await page.keyboard.press("Tab");
  const link = page.locator("#w-age .end a");
  check(await link.count() === 1, "the age ending links to the child form", failures);
  if (await link.count()) {
    check((await link.getAttribute("href")) === "../../../uk/forms/child-screening/index.html", "a relative link in the page language: " + (await link.getAttribute("href")), failures);
    await page.click('button[data-lang="en"]');
    check((await link.getAttribute("href")) === "../../../en/forms/child-screening/index.html", "the link follows the language: " + (await link.getAttribute("href")), failures);
    await page.click('#w-age .end button[data-act="finish"]');
    const r = await result(page);
    check(r.outcome === "child" && !r.claimsNone, "an ended interview claims no indicator summary: " + r.all, failures);
    check(await page.locator("#result a[href$='/en/forms/child-screening/index.html']").count() >= 1, "the result links to the child form", failures);
    await page.click("#result .end a");
    await page.waitForURL(/en\/forms\/child-screening\/index\.html$/, { timeout: 5000 }).catch(() => {});
    check(/en\/forms\/child-screening\/index\.html$/.test(page.url()), "the link opens the child form from file://: " + page.url(), failures);
    check(await page.locator("#w-agrees").count() === 1, "the child form runs", failures);
  }
  watch(problems, "child link")();
  await page.close();
}

// ------------------------------------------------------------------ other pages

async function xss(context) {
  const { page, problems } = await watchedPage(context);
  page.on("dialog", (d) => { failures.push("xss: a dialog opened: " + d.message()); d.dismiss(); });
  await page.goto(url("uk/forms/xss/index.html"));
  check(await text(page, "#form-title") === "</script><script>alert(1)</script>", "a title with markup is text", failures);
  check((await text(page, "#w-q legend")).includes("</script><script>alert(1)</script>"), "a label with markup is text", failures);
  check(await page.locator("#form img, #form b").count() === 0, "no markup from texts", failures);
  await choose(page, "q", "yes");
  await act(page, "finish");
  check((await text(page, "#outcome")).includes("</style><script>"), "an outcome with markup is text", failures);
  await page.waitForTimeout(200);
  watch(problems, "xss")();
  await page.close();
}

async function childOnOnePage(context) {
  const { page, problems } = await watchedPage(context);
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto(url("uk/forms/child-screening/index.html"));
  await accessibility(page, "child form");
  check(await page.locator("#form section.sec:visible").count() > 1, "single_page shows every section", failures);
  const narrow = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  check(await narrow(), "no horizontal scroll at 320 px", failures);
  await choose(page, "agrees", "yes");
  await choose(page, "danger_now", "no");
  check((await text(page, "#progress-text")).includes("2"), "progress counts answers", failures);
  await act(page, "finish");
  check(await visible(page, "#summary"), "single_page finishes", failures);
  check(await narrow(), "no horizontal scroll in the result at 320 px", failures);
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  const focusStyle = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  check(focusStyle !== "none", "focus is visible", failures);
  watch(problems, "child form")();
  await page.close();
}

(async () => {
  const { context } = await launch();
  try {
    for (const run of [fullInterview, consentNo, alerts, blankAnswers, typedAge, watchedPhone, childLink, shiftExit, encrypted, encryptedEc, refusals, xss, childOnOnePage]) {
      try {
        await run(context);
      } catch (e) {
        failures.push(`${run.name}: ${e.message.split("\n")[0]}`);
      }
    }
  } finally {
    await context.close();
  }
  console.log(JSON.stringify(report));
})();
