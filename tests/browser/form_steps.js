// The steps and checks the questionnaire tests share (tests/browser/form.js and form_sealed.js):
// answering, acting, downloading, reading what the browser keeps, and the checks that add to the
// run's failures.
"use strict";
const fs = require("fs");
const path = require("path");
const { check } = require("./lib.js");

const choose = (page, key, value) => page.check(`input[name="q-${key.replace(/\./g, "-")}"][value="${value}"]`);
const fill = (page, key, text) => page.fill(`#q-${key.replace(/\./g, "-")}`, text);
/** Clicks an action's button; saving, printing and clearing are folded under #tools on a step. */
async function act(page, name) {
  await page.evaluate((n) => {
    const b = document.querySelector(`#app button[data-act="${n}"]`);
    const d = b && b.closest("details");
    if (d && !b.checkVisibility()) d.open = true;
  }, name);
  return page.click(`#app button[data-act="${name}"]:visible`);
}
const visible = (page, sel) => page.isVisible(sel);
const text = (page, sel) => page.textContent(sel);

async function download(run, page, action, name) {
  const [dl] = await Promise.all([page.waitForEvent("download"), action()]);
  const file = path.join(run.out, name);
  await dl.saveAs(file);
  return { file, suggested: dl.suggestedFilename(), text: fs.readFileSync(file, "utf8") };
}

/** Waits for the quick exit's neutral page. A second exit fired while the first navigation is
 *  under way aborts that navigation (net::ERR_ABORTED) and starts the same one again. */
async function waitNeutral(page) {
  for (let i = 0; i < 3; i++) {
    try {
      await page.waitForURL(/neutral\.html$/, { timeout: 5000 });
      return;
    } catch (e) {
      if (/neutral\.html$/.test(page.url())) return;
    }
  }
  throw new Error("the neutral page did not open: " + page.url());
}

async function openWith(page, action, file) {
  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), action()]);
  await chooser.setFiles(file);
}

/** Goes forward section by section until the result is shown. */
async function toResult(page) {
  for (let i = 0; i < 20; i++) {
    if (await page.isVisible("#summary")) return;
    if (await page.isVisible('#step-nav button[data-act="finish"]')) await act(page, "finish");
    else await act(page, "next");
  }
}

/** Everything the browser keeps for file:// pages, as one string. */
async function storageDump(page) {
  return page.evaluate(async () => {
    const parts = [];
    const grab = (s) => { for (let i = 0; i < s.length; i++) parts.push(s.key(i) + "=" + s.getItem(s.key(i))); };
    try { grab(localStorage); } catch (e) { parts.push("localStorage:" + e.message); }
    try { grab(sessionStorage); } catch (e) { parts.push("sessionStorage:" + e.message); }
    try { parts.push(document.cookie); } catch (e) { parts.push("cookie:" + e.message); }
    try { parts.push(JSON.stringify(await indexedDB.databases())); } catch (e) { parts.push("idb:" + e.message); }
    try { parts.push(JSON.stringify(await caches.keys())); } catch (e) { parts.push("caches:" + e.message); }
    return parts.join("\n");
  });
}

function noneOf(run, haystack, values, where) {
  for (const v of values) check(!haystack.includes(v), `${where} contains the typed value "${v}"`, run.failures);
}

/** Every control labelled, every group in a fieldset with a legend, ids unique. */
async function accessibility(run, page, where) {
  const problems = await page.evaluate(() => {
    const out = [];
    const ids = new Set();
    document.querySelectorAll("[id]").forEach((e) => { if (ids.has(e.id)) out.push("duplicate id " + e.id); ids.add(e.id); });
    document.querySelectorAll("#form input, #form textarea").forEach((c) => {
      const label = document.querySelector(`label[for="${c.id}"]`);
      if (!label || !label.textContent.trim()) out.push("no label for " + c.id);
      if (c.type === "radio" || c.type === "checkbox") {
        const fs = c.closest("fieldset");
        const legend = fs && fs.querySelector("legend");
        if (!legend || !legend.textContent.trim()) out.push("no fieldset legend for " + c.id);
      }
    });
    const f = document.getElementById("form");
    if (f.getAttribute("autocomplete") !== "off" || f.hasAttribute("action")) out.push("form must be autocomplete=off, no action");
    return out;
  });
  problems.forEach((p) => run.failures.push(`${where}: ${p}`));
}

function watch(run, problems, where) {
  return () => problems.forEach((p) => run.failures.push(`${where}: ${p}`));
}

// The steps that keep nothing of a run, also to be had without one.
const stateless = { choose, fill, act, visible, text, waitNeutral, openWith, toResult, storageDump };

/** The helpers of one run: downloads are saved in `out`, findings go to `failures`. */
module.exports = function steps(out, failures) {
  const run = { out, failures };
  return {
    ...stateless,
    download: (page, action, name) => download(run, page, action, name),
    noneOf: (haystack, values, where) => noneOf(run, haystack, values, where),
    accessibility: (page, where) => accessibility(run, page, where),
    watch: (problems, where) => watch(run, problems, where),
  };
};
Object.assign(module.exports, stateless);
