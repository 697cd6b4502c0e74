// ESLint (the `recommended` rules, and functions of at most 60 lines) over the browser runtimes the build ships
// (themes/default/runtime/*.js, src/forms/runtime/*.js, src/search/runtime/*.js) and the Node scripts the tests run. `npx eslint .` runs it;
// scripts/test does, and any finding fails the run.
"use strict";
const js = require("@eslint/js");
const globals = require("globals");
const fs = require("fs");
const path = require("path");

// The questionnaire runtime is one function written in several files: src/forms/runtime/form.parts
// lists them in the order the build joins them (src/forms/interactive.rs). Each file is linted in
// the whole it runs in, joined with the others as a form that does not encrypt gets them and as one
// that does (with the parts marked `sealing`), and only the findings on its own lines are
// reported, at those lines.
const PARTS = path.join(__dirname, "src/forms/runtime");
function formParts() {
  return fs
    .readFileSync(path.join(PARTS, "form.parts"), "utf8")
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"))
    .map((l) => {
      const [name, mark] = l.trim().split(/\s+/);
      return { name, sealing: mark === "sealing" };
    });
}
function linesOf(text) {
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}
// The runtime as one kind of form gets it, with `own` as ESLint has it, and where `own` starts.
function joined(sealing, own, ownText) {
  let text = "";
  let start = 0;
  for (const part of formParts()) {
    if (part.sealing && !sealing) continue;
    if (part.name === own) start = text.split("\n").length - 1;
    text += part.name === own ? ownText : fs.readFileSync(path.join(PARTS, part.name), "utf8");
  }
  return { text, start };
}
const partPlaces = new Map();
const formPart = {
  preprocess(text, filename) {
    const own = path.basename(filename);
    const part = formParts().find((p) => p.name === own);
    if (!part) return [text];
    const wholes = (part.sealing ? [true] : [false, true]).map((sealing) => joined(sealing, own, text));
    partPlaces.set(filename, { starts: wholes.map((w) => w.start), lines: linesOf(text) });
    return wholes.map((w) => w.text);
  },
  postprocess(messages, filename) {
    const place = partPlaces.get(filename);
    if (!place) return messages.flat();
    const seen = new Set();
    return messages.flatMap((found, i) => {
      const start = place.starts[i];
      return found
        .filter((m) => m.line > start && m.line <= start + place.lines)
        .map((m) => {
          const moved = { ...m, line: m.line - start };
          if (m.endLine !== undefined) moved.endLine = m.endLine - start;
          return moved;
        })
        .filter((m) => {
          const key = [m.ruleId, m.line, m.column, m.message].join(" ");
          return !seen.has(key) && seen.add(key);
        });
    });
  },
};

const recommended = {
  ...js.configs.recommended.rules,
  // ES2018 has no `catch {}` without a binding, so an unused `catch (e)` is the only way to write it.
  "no-unused-vars": ["error", { caughtErrors: "none" }],
};

// Classic <script>s in ES2018: no modules, browser globals only.
const runtime = { ecmaVersion: 2018, sourceType: "script", globals: globals.browser };

module.exports = [
  { ignores: ["target/**", "node_modules/**", "tests/lint/**"] },
  {
    // A function fits on a screen. Wrappers run at once (a runtime's IIFE) are not counted: the
    // functions inside them are.
    files: ["**/*.js"],
    rules: { "max-lines-per-function": ["error", { max: 60, skipBlankLines: true, skipComments: true }] },
  },
  {
    // tests/lint holds broken runtimes that show the lint fails (tests/lint.rs lints them).
    files: ["themes/**/*.js", "src/**/runtime/*.js", "tests/lint/**/*.js"],
    languageOptions: runtime,
    rules: {
      ...recommended,
      // The runtimes define the globals the others and the tests call (OberihExpr, OberihSeal...).
      "no-unused-vars": ["error", { caughtErrors: "none", varsIgnorePattern: "^Oberih" }],
    },
  },
  {
    // The build puts expr.js and seal.js before the questionnaire's parts, which use them.
    files: ["src/forms/runtime/form*.js"],
    languageOptions: { globals: { OberihExpr: "readonly", OberihSeal: "readonly" } },
    processor: formPart,
  },
  {
    // Word characters are matched with the zero-width joiner and non-joiner among them (IGNORABLE):
    // each is meant as a character of its own, never joined to its neighbour.
    files: ["src/search/runtime/analysis.js"],
    rules: { "no-misleading-character-class": "off" },
  },
  {
    // The offline copy's service worker runs in a worker, not a page.
    files: ["src/offline/runtime/sw.js"],
    languageOptions: { globals: { ...globals.serviceworker } },
  },
  {
    // Node scripts; tests/browser also hands functions to the page (page.evaluate).
    files: ["tests/**/*.js", "eslint.config.js"],
    ignores: ["tests/lint/**"],
    languageOptions: { ecmaVersion: 2022, sourceType: "commonjs", globals: { ...globals.node } },
    rules: recommended,
  },
  {
    files: ["tests/browser/**/*.js"],
    languageOptions: { globals: { ...globals.node, ...globals.browser, OberihSeal: "readonly" } },
  },
];
