// The questionnaires that encrypt, a part of tests/browser/form.js's run in headless Chromium: the
// sealed export to an RSA and a P-256 office key and the golden vector Rust opens
// (tests/questionnaire.rs), passphrase drafts, and the refusals when WebCrypto, the key or
// DecompressionStream is missing.
"use strict";
const fs = require("fs");
const path = require("path");
const { watchedPage, check } = require("./lib.js");

const FIXTURES = path.join(__dirname, "..", "fixtures", "crypto");

// The steps that keep nothing of a run; those that do come with the run (`run.download`, …).
const { choose, fill, act, visible, text, openWith, storageDump } = require("./form_steps.js");

// The encrypted forms' first answers, up to a new entry of the repeated section «jobs».
async function toJobs(page) {
  await choose(page, "consent", "yes");
  await choose(page, "safe_to_talk", "yes");
  await choose(page, "monitored", "no");
  await choose(page, "danger_now", "no");
  await act(page, "next");
  await act(page, "next");
  await page.click('button[data-add="jobs"]');
}

async function encrypted(run, context) {
  const { page, problems } = await watchedPage(context);
  await page.goto(run.url("uk/forms/encrypted/index.html"));
  check(!(await page.isDisabled('button[data-act="export-encrypted"]')), "encrypted export is available", run.failures);
  check(await page.locator('button[data-act="export-json"]').count() === 0, "no plaintext export on an encrypted form", run.failures);
  await toJobs(page);
  await fill(page, "jobs.0.job_place", "Львів");
  const sealed = await run.download(page, () => act(page, "export-encrypted"), "record.oberih");
  run.report.export_encrypted = sealed.text;
  check(/\.oberih$/.test(sealed.suggested), "encrypted file name " + sealed.suggested, run.failures);
  await page.click('#panel button[data-act="close"]');

  // The golden vector: fixed key and IV, the committed record.
  const golden = fs.readFileSync(path.join(FIXTURES, "golden-record.json"), "utf8");
  run.report.golden_envelope = await page.evaluate(async (text) => {
    const deflated = Uint8Array.from(atob(document.getElementById("form-data").textContent), (c) => c.charCodeAt(0));
    const inflated = new Blob([deflated]).stream().pipeThrough(new DecompressionStream("deflate"));
    const data = JSON.parse(await new Response(inflated).text());
    const key = new Uint8Array(32).map((_, i) => i);
    const iv = new Uint8Array(12).map((_, i) => 100 + i);
    const record = JSON.parse(text);
    const meta = { form: record.form, version: record.version, spki: data.key.spki, fingerprint: data.key.fingerprint };
    return OberihSeal.sealWith(JSON.stringify(record), meta, key, iv);
  }, golden);

  // A passphrase draft: ciphertext only; a wrong passphrase loads nothing.
  await act(page, "save-draft");
  await page.fill("#pass-1", "short");
  await page.fill("#pass-2", "short");
  await page.click('#panel button[type="submit"]');
  check((await text(page, "#pass-error")).length > 0, "a short passphrase is refused", run.failures);
  await page.fill("#pass-1", "correct horse battery");
  await page.fill("#pass-2", "correct horse battery");
  const draft = await run.download(page, () => page.click('#panel button[type="submit"]'), "draft.oberih-draft");
  const env = JSON.parse(draft.text);
  check(env.iterations >= 600000 && env.oberih === "encrypted-draft", "the draft records a strong KDF", run.failures);
  run.noneOf(draft.text, ["Львів", "consent"], "the draft file");
  run.noneOf(await storageDump(page), ["Львів"], "browser storage with drafts");
  await act(page, "clear");
  await page.click('#panel button[data-act="clear-yes"]');
  await openWith(page, () => act(page, "open-draft"), draft.file);
  await page.fill("#pass-1", "wrong passphrase");
  await page.click('#panel button[type="submit"]');
  await page.waitForFunction(() => document.getElementById("pass-error").textContent.length > 0, null, { timeout: 20000 });
  check(await page.inputValue("#q-age") === "" && !(await page.isChecked('input[name="q-consent"][value="yes"]')), "a wrong passphrase loads nothing", run.failures);
  await page.fill("#pass-1", "correct horse battery");
  await page.click('#panel button[type="submit"]');
  await page.waitForFunction(() => document.getElementById("panel").hidden, null, { timeout: 20000 });
  check(await page.inputValue("#q-jobs-0-job_place") === "Львів", "the draft opens with the right passphrase", run.failures);
  run.watch(problems, "encrypted form")();
  await page.close();
}

// A P-256 office key: the page seals in envelope format 2 (ECDH-ES + HKDF), a fresh ephemeral
// key per record; Rust opens it (tests/questionnaire.rs).
async function encryptedEc(run, context) {
  const { page, problems } = await watchedPage(context);
  await page.goto(run.url("uk/forms/encrypted-ec/index.html"));
  check(!(await page.isDisabled('button[data-act="export-encrypted"]')), "encrypted export with a P-256 key is available", run.failures);
  await toJobs(page);
  await fill(page, "jobs.0.job_place", "Кам’янець-Подільський");
  const first = await run.download(page, () => act(page, "export-encrypted"), "record-ec.oberih");
  await page.click('#panel button[data-act="close"]');
  const second = await run.download(page, () => act(page, "export-encrypted"), "record-ec-2.oberih");
  run.report.export_encrypted_ec = [first.text, second.text];
  run.watch(problems, "encrypted form, P-256 key")();
  await page.close();
}

async function refusals(run, context) {
  // WebCrypto missing: the page refuses and says why; there is no plaintext way out.
  const { page, problems } = await watchedPage(context);
  await page.addInitScript(() => { Object.defineProperty(Crypto.prototype, "subtle", { get() { return undefined; } }); });
  await page.goto(run.url("uk/forms/encrypted/index.html"));
  check(await page.isDisabled('button[data-act="export-encrypted"]'), "no WebCrypto: export is disabled", run.failures);
  check(await page.isDisabled('button[data-act="save-draft"]'), "no WebCrypto: drafts are disabled", run.failures);
  check((await text(page, "#crypto-notice")).includes("шифрувати"), "no WebCrypto: the page says why", run.failures);
  run.watch(problems, "no WebCrypto")();
  await page.close();

  const second = await watchedPage(context);
  await second.page.goto(run.url("uk/forms/no-key/index.html"));
  check(await second.page.isDisabled('button[data-act="export-encrypted"]'), "no key: export is disabled", run.failures);
  check(await second.page.isVisible("#crypto-notice"), "no key: the page says why", run.failures);
  run.watch(second.problems, "no key")();
  await second.page.close();

  // No DecompressionStream (Firefox and Safari before 2023): the page says so, and the quick exit
  // still works, as a plain link.
  const old = await watchedPage(context);
  await old.page.addInitScript(() => { delete window.DecompressionStream; });
  await old.page.goto(run.url("uk/forms/initial-screening/index.html"));
  await old.page.waitForSelector("#old-browser", { state: "visible", timeout: 5000 });
  check((await text(old.page, "#old-browser")).includes("застарий"), "old browser: the page says why", run.failures);
  check(!(await visible(old.page, "#app")), "old browser: no half-working form", run.failures);
  await old.page.click("#quick-exit");
  await old.page.waitForURL(/neutral\.html$/);
  run.watch(old.problems, "old browser")();
  await old.page.close();
}

/** The runs, reporting into the form test's `report` and `failures`; `url` finds a page. */
module.exports = function sealed({ url, out, failures, report }) {
  const run = { url, out, failures, report, ...require("./form_steps.js")(out, failures) };
  return {
    encrypted: (context) => encrypted(run, context),
    encryptedEc: (context) => encryptedEc(run, context),
    refusals: (context) => refusals(run, context),
  };
};
