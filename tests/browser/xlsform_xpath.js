// The expression cases (tests/expr/cases.toml) as the XLSForm export writes them, evaluated by the
// ODK web engine's own XPath (enketo-core's FormModel, openrosa-xpath-evaluator) in Chromium.
// Run by tests/xlsform_xpath.rs:  node tests/browser/xlsform_xpath.js CASES_JSON WORK_DIR
// Each case gives the instance (XML), today's date, and either the XPath of its truth and of its
// falsity (a condition) or of its value. Prints one JSON line: {failures: [...], checked: N}.
"use strict";
const fs = require("fs");
const { launch, fileUrl } = require("./lib.js");
const { bundle } = require("./enketo_bundle.js");

const [casesFile, work] = process.argv.slice(2);
const cases = JSON.parse(fs.readFileSync(casesFile, "utf8"));
const failures = [];

function verdict(c, got) {
  if (c.condition) {
    const want = c.expect_null ? [false, false] : c.expect ? [true, false] : [false, true];
    return got.t === want[0] && got.f === want[1] ? null : `truth ${got.t}, falsity ${got.f}; want ${want}`;
  }
  const v = got.v;
  let ok;
  if (c.expect_null) ok = v === "";
  else if (typeof c.expect === "number") ok = v !== "" && Number(v) === c.expect;
  else if (Array.isArray(c.expect)) ok = v.split(" ").filter(Boolean).sort().join(" ") === c.expect.slice().sort().join(" ");
  else ok = v === c.expect;
  return ok ? null : `value ${JSON.stringify(v)}; want ${JSON.stringify(c.expect_null ? null : c.expect)}`;
}

(async () => {
  const { context } = await launch();
  try {
    const page = await context.newPage();
    page.on("pageerror", (e) => failures.push("pageerror: " + e.message));
    await page.goto(fileUrl(await bundle(work)));
    for (const c of cases) {
      await page.clock.setFixedTime(new Date(`${c.today}T12:00:00`));
      const got = await page.evaluate((c) => {
        const model = new window.Enketo.FormModel({ modelStr: `<model><instance>${c.xml}</instance></model>` });
        const errors = model.init();
        if (errors && errors.length) return { error: errors.join("; ") };
        try {
          return c.condition
            ? { t: model.evaluate(c.t, "boolean"), f: model.evaluate(c.f, "boolean") }
            : { v: model.evaluate(c.v, "string") };
        } catch (e) {
          return { error: String(e.message || e) };
        }
      }, c);
      const problem = got.error || verdict(c, got);
      if (problem) failures.push(`${c.name}: ${c.expr}\n  ${c.condition ? c.t + "\n  " + c.f : c.v}\n  ${problem}`);
    }
  } catch (e) {
    failures.push("exception: " + (e.stack || e));
  } finally {
    await context.close();
  }
  console.log(JSON.stringify({ failures, checked: cases.length }));
})();
