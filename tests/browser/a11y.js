// Accessibility gate: axe-core (WCAG 2.0/2.1 A and AA rules, contrast included) over pages opened
// from disk in headless Chromium, reflow at 320 CSS px, interactive-form states and a
// keyboard-only walk. Prints one JSON line: {results: {id: {...}}, failures: [...]}.
//
// Usage: node a11y.js SPEC.json, where SPEC is
//   {"jobs": [{"id": "uk/index.html", "file": "/abs/uk/index.html", "query": "?q=…",
//              "state": "fresh" | "errors" | "outcome", "axe": true, "reflow": true,
//              "keyboard": false}]}
//
// axe is evaluated into the page through the DevTools protocol (page.evaluate), which the page's
// own Content-Security-Policy does not govern, so every page keeps its real policy during the run.
"use strict";
const fs = require("fs");
const { launch, watchedPage, fileUrl } = require("./lib");

const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const DESKTOP = { width: 1280, height: 800 };
const NARROW = { width: 320, height: 640 };

async function runAxe(page) {
  await page.evaluate(AXE_SOURCE);
  const res = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"], preload: false }),
    TAGS,
  );
  return res.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(" "), summary: (n.failureSummary || "").slice(0, 300) })),
    count: v.nodes.length,
  }));
}

/** Horizontal overflow at the current viewport: the page scrolls sideways, and which elements
 *  stick out (the outermost ones, at most five). */
async function overflow(page) {
  return page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    if (root.scrollWidth <= width) return null;
    const describe = (e) => {
      let s = e.tagName.toLowerCase();
      if (e.id) s += "#" + e.id;
      if (e.className && typeof e.className === "string") s += "." + e.className.trim().split(/\s+/).join(".");
      return s;
    };
    const out = [];
    for (const e of document.body.querySelectorAll("*")) {
      const r = e.getBoundingClientRect();
      if (r.width === 0 || r.right <= width + 1) continue;
      // Outermost offenders only; anything inside a scroll container does not move the page.
      let p = e.parentElement;
      let inside = false;
      while (p && p !== document.body) {
        if (p.getBoundingClientRect().right > width + 1 || getComputedStyle(p).overflowX !== "visible") {
          inside = true;
          break;
        }
        p = p.parentElement;
      }
      if (!inside) out.push(describe(e) + " (right edge " + Math.round(r.right) + "px)");
      if (out.length >= 5) break;
    }
    return { scrollWidth: root.scrollWidth, clientWidth: width, offenders: out };
  });
}

async function visible(page, selector) {
  return page.evaluate((s) => {
    const e = document.querySelector(s);
    if (!e) return false;
    const r = e.getBoundingClientRect();
    return !e.closest("[hidden]") && r.width > 0 && r.height > 0;
  }, selector);
}

/** Waits for the questionnaire runtime to show the form. */
async function formReady(page) {
  await page.waitForFunction(() => {
    const app = document.getElementById("app");
    return app && !app.hidden && document.querySelector("#step-nav button");
  }, null, { timeout: 10000 });
}

/** Presses the step button (Next or Finish) without answering: the error summary appears. */
async function showErrors(page) {
  await page.click("#step-nav button.primary:not([hidden])");
  await page.waitForFunction(() => {
    const e = document.getElementById("errors");
    return e && !e.hidden && e.querySelector("a");
  }, null, { timeout: 5000 });
}

/** Answers every visible, unanswered question of the current step with its first choice or a
 *  plain value, presses Next or Finish (or an ended interview's button), and repeats until the
 *  outcome screen shows. */
async function reachOutcome(page) {
  const log = [];
  for (let round = 0; round < 60; round++) {
    if (await visible(page, "#summary")) return { ok: true, log };
    const filled = await page.evaluate(() => {
      const shown = (e) => !e.closest("[hidden]") && e.getBoundingClientRect().width > 0;
      const done = [];
      for (const box of document.querySelectorAll("#form .q")) {
        if (!shown(box)) continue;
        const radios = [...box.querySelectorAll("input[type=radio]")];
        const checks = [...box.querySelectorAll("input[type=checkbox]")];
        const fields = [...box.querySelectorAll("input:not([type=radio]):not([type=checkbox]):not([type=hidden]), textarea, select")];
        if (radios.length) {
          if (!radios.some((r) => r.checked)) { radios[0].click(); done.push(radios[0].name || radios[0].id); }
        } else if (checks.length) {
          if (!checks.some((c) => c.checked)) { checks[0].click(); done.push(checks[0].name || checks[0].id); }
        } else {
          for (const f of fields) {
            if (f.disabled || f.readOnly || f.value) continue;
            if (f.tagName === "SELECT") { if (f.options.length > 1) f.selectedIndex = 1; }
            else if (f.type === "number" || f.inputMode === "numeric" || f.inputMode === "decimal") f.value = "30";
            else if (f.type === "date") f.value = "2000-01-01";
            else f.value = "test";
            f.dispatchEvent(new Event("input", { bubbles: true }));
            f.dispatchEvent(new Event("change", { bubbles: true }));
            done.push(f.id);
          }
        }
      }
      return done;
    });
    log.push("answered " + filled.join(","));
    // The one button that goes on: an ended interview's (in its box), else the step's.
    const button = await page.$(".end:not([hidden]) button.primary, #step-nav button.primary:not([hidden])");
    if (!button) break;
    await button.click();
    await page.waitForTimeout(50);
  }
  return { ok: await visible(page, "#summary"), log };
}

// Every visible control, numbered (`data-kbd`), with its unfocused look and its label's and parent's.
function focusCandidates(page) {
  return page.evaluate(() => {
    const look = (e) => {
      if (!e) return "";
      const s = getComputedStyle(e);
      return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor, s.backgroundColor, s.textDecorationLine].join("|");
    };
    // checkVisibility: the content of a closed <details> has a box but is not shown.
    const shown = (e) => !e.closest("[hidden]") && e.getBoundingClientRect().width > 0 && getComputedStyle(e).visibility !== "hidden" && e.checkVisibility();
    const sel = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]";
    const out = [];
    let n = 0;
    for (const e of document.querySelectorAll(sel)) {
      // Disabled controls, and those hidden from everyone (a file input opened by its button).
      if (e.disabled || !shown(e) || e.closest("[aria-hidden=true]")) continue;
      e.setAttribute("data-kbd", String(n));
      const group = e.type === "radio" && e.name ? "radio:" + e.name : "el:" + n;
      out.push({
        n,
        group,
        name: e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.name ? "[name=" + e.name + "]" : ""),
        tabindex: e.getAttribute("tabindex"),
        native: e.matches("a[href], button, input, select, textarea, summary"),
        look: look(e),
        labelLook: look(e.labels && e.labels[0]),
        parentLook: look(e.parentElement),
      });
      n++;
    }
    return out;
  });
}

// The focused element, its number (if it was a candidate) and its look now.
function focusedNow(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const look = (x) => {
      if (!x) return "";
      const s = getComputedStyle(x);
      return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor, s.backgroundColor, s.textDecorationLine].join("|");
    };
    return {
      n: e.getAttribute("data-kbd"),
      name: e.tagName.toLowerCase() + (e.id ? "#" + e.id : ""),
      look: look(e),
      labelLook: look(e.labels && e.labels[0]),
      parentLook: look(e.parentElement),
    };
  });
}

/** Keyboard-only walk from a fresh load: the first Tab must reach the quick-exit button, every
 *  visible control of the current view must be reachable by Tab (a radio group once), and each
 *  focused element must look different from its unfocused self. */
async function keyboardWalk(page) {
  const problems = [];
  const candidates = await focusCandidates(page);
  for (const c of candidates) {
    if (c.tabindex !== null && Number(c.tabindex) > 0) problems.push(`${c.name} has a positive tabindex ${c.tabindex}`);
  }
  await page.evaluate(() => { if (document.activeElement) document.activeElement.blur(); window.focus(); });
  const order = [];
  // Native controls must all be reachable (tabindex=-1 on one is a defect); other elements with
  // a tabindex only when it is not negative (headings and regions focused by script).
  const unseen = new Set(candidates.filter((c) => c.native || c.tabindex === null || Number(c.tabindex) >= 0).map((c) => c.group));
  for (let i = 0; i < candidates.length + 20; i++) {
    await page.keyboard.press("Tab");
    const now = await focusedNow(page);
    if (!now) break;
    if (order.length && now.n !== null && now.n === order[0]) break; // wrapped around
    order.push(now.n);
    if (i === 0 && now.name !== "button#quick-exit" && now.name !== "a#quick-exit") {
      problems.push(`the first Tab reaches ${now.name}, not the quick-exit button`);
    }
    const c = now.n === null ? null : candidates[Number(now.n)];
    if (!c) {
      problems.push(`Tab reaches ${now.name}, which is not a visible control`);
      continue;
    }
    unseen.delete(c.group);
    const changed = now.look !== c.look || now.labelLook !== c.labelLook || now.parentLook !== c.parentLook;
    if (!changed) problems.push(`${c.name} shows no visible change when focused`);
  }
  for (const g of unseen) {
    const c = candidates.find((x) => x.group === g);
    problems.push(`${c.name} cannot be reached with Tab`);
  }
  return { problems, order: order.length, controls: candidates.length };
}

async function runJob(context, job) {
  const { page, problems } = await watchedPage(context);
  const result = { problems: [] };
  try {
    await page.setViewportSize(DESKTOP);
    await page.goto(fileUrl(job.file) + (job.query || ""));
    await page.waitForLoadState("load");
    if (job.state) {
      await formReady(page);
      if (job.state === "errors") await showErrors(page);
      if (job.state === "outcome") {
        const r = await reachOutcome(page);
        if (!r.ok) result.problems.push("could not reach the outcome screen: " + r.log.slice(-5).join("; "));
      }
    }
    if (job.query) {
      // Search results appear once the index shards have loaded; check the page with results.
      await page.waitForSelector("#search-results[aria-busy=false]", { timeout: 10000 });
      const hits = await page.$$eval("#search-results li", (l) => l.length);
      if (!hits) result.problems.push("the search for " + job.query + " found nothing");
    }
    if (job.keyboard) result.keyboard = await keyboardWalk(page);
    if (job.axe) result.violations = await runAxe(page);
    if (job.reflow) {
      await page.setViewportSize(NARROW);
      await page.waitForTimeout(50);
      result.overflow = await overflow(page);
    }
  } catch (e) {
    result.problems.push("crashed: " + (e.stack || e.message).split("\n").slice(0, 3).join(" "));
  } finally {
    result.problems.push(...problems);
    await page.close();
  }
  return result;
}

async function main() {
  const spec = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const results = {};
  const failures = [];
  const { context, userDataDir } = await launch();
  try {
    for (const job of spec.jobs) results[job.id] = await runJob(context, job);
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify({ results, failures }) + "\n");
}

if (require.main === module) {
  main().catch((e) => {
    process.stdout.write(JSON.stringify({ results: {}, failures: ["crashed: " + e.stack] }) + "\n");
    process.exit(1);
  });
}

module.exports = { formReady, reachOutcome, showErrors };
